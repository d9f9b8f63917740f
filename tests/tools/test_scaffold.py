"""`presskit new`: the starter project, shipped in the package, written into an empty folder."""

from __future__ import annotations

import html
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from presskit.cli import main
from presskit.errors import PresskitError
from presskit.project.loading import load_project
from presskit.tools.scaffold import new_project, starter_files
from tests.conftest import REPO, squash

STARTER = Path(__file__).parents[2] / "presskit/tools/starter"


def test_the_starter_is_written_with_its_schemas_and_a_gitignore(tmp_path: Path) -> None:
    written = new_project(tmp_path / "kit")
    assert sorted(p.relative_to(tmp_path / "kit").as_posix() for p in written) == [
        ".gitignore",
        "campaign/letter.md",
        "campaign/signatories.yaml",
        "events/sample-red-carpet.yaml",
        "presskit.yaml",
        "question_banks/red-carpet-basics.yaml",
        "schemas/bank.schema.json",
        "schemas/campaign.schema.json",
        "schemas/event.schema.json",
        "schemas/signatories.schema.json",
    ]
    assert load_project(tmp_path / "kit").events[0].slug == "sample-red-carpet"


def test_the_gitignore_keeps_output_out_of_git(tmp_path: Path) -> None:
    assert dict(starter_files())[".gitignore"] == (STARTER / "gitignore").read_bytes()
    kit = tmp_path / "kit"
    new_project(kit)
    (kit / "output/sample-red-carpet").mkdir(parents=True)
    (kit / ".output.presskit").mkdir()
    (kit / ".output.presskit/cache.json").write_text("{}")
    (kit / "output/sample-red-carpet/index.html").write_text("<p>")
    for held in ("output-private", "output-drafts", "output-drafts-private"):
        (kit / held / "sample-red-carpet").mkdir(parents=True)
        (kit / held / "sample-red-carpet/press-kit.pdf").write_text("%PDF")
    subprocess.run(["git", "init", "-q", str(kit)], check=True)
    status = subprocess.run(
        ["git", "-C", str(kit), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    )
    listed = sorted(line[3:] for line in status.stdout.splitlines())
    assert ".gitignore" in listed
    assert "presskit.yaml" in listed
    assert not [name for name in listed if name.startswith(("output", ".output"))]


def test_only_a_missing_or_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert new_project(tmp_path / "empty")
    (tmp_path / "full").mkdir()
    (tmp_path / "full/notes.txt").write_text("mine")
    with pytest.raises(PresskitError, match="already exists and is not an empty folder"):
        new_project(tmp_path / "full")
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("where", ["starter", "repository"])
def test_no_kit_prints_the_instructions_meant_for_editors(where: str, tmp_path: Path) -> None:
    """The signatory list's "add names only from a verified source" is a YAML comment: the
    printed `source` says only where the names come from."""
    if where == "starter":
        project = tmp_path / "kit"
        new_project(project)
        event = "sample-red-carpet"
    else:
        project, event = REPO, "awards-night-red-carpet"
    out = tmp_path / "out"
    args = ["build", "--project", str(project), "--out", str(out), "--format", "html", "-q"]
    result = CliRunner().invoke(main, [*args, "--event", event])
    assert result.exit_code == 0, result.output
    page = squash(html.unescape((out / event / "index.html").read_text(encoding="utf-8")))
    assert "Men In Hollywood Launch #AskMoreOfHim Campaign" in page
    assert "verified source" not in page
    assert "add names" not in page.lower()
