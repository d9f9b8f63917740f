"""Nothing runs that a received project names: its `.git/config` is never obeyed.

A project can arrive as a zip with its `.git/` folder. The provenance line (commit and
uncommitted changes) and `signatories diff` read that repository; git would run whatever the
repository's own configuration names (fsmonitor hooks, filter drivers, a signature checker, a
pager...). Each hostile setting below points at a script that leaves a marker file: nothing
presskit does may create it, and the answers stay what they would be in a clean repository.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from presskit.cli import main
from presskit.pipeline.provenance import Provenance, find_repository, project_provenance
from presskit.project.loading import load_project
from tests.conftest import build_in_place

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

COMMIT_DATE = "2027-02-03T04:05:06+00:00"


def git(root: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_DATE": COMMIT_DATE,
        "GIT_COMMITTER_DATE": COMMIT_DATE,
        "HOME": str(root),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": os.environ["PATH"],
    }
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return done.stdout.strip()


def committed(project: Path) -> str:
    """`project` as a git repository with one commit; returns the commit id."""
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "banks")
    return git(project, "rev-parse", "HEAD")


def signed_head(project: Path) -> str:
    """Make HEAD a commit carrying a (fake) signature, so signature checks would run."""
    tree = git(project, "rev-parse", "HEAD^{tree}")
    parent = git(project, "rev-parse", "HEAD")
    body = (
        f"tree {tree}\nparent {parent}\n"
        "author T <t@example.org> 1801000000 +0000\n"
        "committer T <t@example.org> 1801000000 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n"
        "\nsigned\n"
    )
    done = subprocess.run(
        ["git", "-C", str(project), "hash-object", "-t", "commit", "-w", "--stdin"],
        input=body,
        capture_output=True,
        text=True,
        check=True,
    )
    commit = done.stdout.strip()
    git(project, "update-ref", "HEAD", commit)
    return commit


def hostile_script(tmp_path: Path) -> tuple[Path, Path]:
    """A program that appends to a marker file, then passes its input through."""
    marker = tmp_path / "marker"
    script = tmp_path / "evil.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> "{marker}"\nexec cat\n')
    script.chmod(0o755)
    return script, marker


def configure(project: Path, settings: dict[str, str]) -> None:
    configure_file(project / ".git/config", settings)


def configure_file(config: Path, settings: dict[str, str]) -> None:
    for key, value in settings.items():
        subprocess.run(["git", "config", "--file", str(config), key, value], check=True)


def hostile_settings(project: Path, script: Path, kind: str) -> None:
    """Write one kind of hostile configuration into the project's repository."""
    if kind == "fsmonitor":
        configure(project, {"core.fsmonitor": str(script)})
    elif kind == "filter":
        configure(
            project,
            {
                "filter.evil.clean": str(script),
                "filter.evil.smudge": str(script),
                "filter.evil.required": "true",
            },
        )
        (project / ".gitattributes").write_text("* filter=evil\n")
        # stat data that no longer matches the index: status must look at the content again
        for path in project.rglob("*.yaml"):
            os.utime(path, (1_900_000_000, 1_900_000_000))
    elif kind == "signature":
        signed_head(project)
        configure(
            project,
            {
                "log.showSignature": "true",
                "gpg.program": str(script),
                "gpg.openpgp.program": str(script),
            },
        )
    elif kind == "include":  # the same, one step removed
        extra = project / ".git/extra.cfg"
        extra.write_text(f"[core]\n\tfsmonitor = {script}\n")
        configure(project, {"include.path": str(extra)})
    elif kind == "everything-else":
        hooks = project / ".git/evil-hooks"
        hooks.mkdir()
        for hook in ["post-index-change", "pre-commit", "post-checkout", "reference-transaction"]:
            (hooks / hook).symlink_to(script)
        configure(
            project,
            {
                "core.pager": str(script),
                "pager.log": str(script),
                "pager.status": str(script),
                "pager.show": str(script),
                "core.hooksPath": str(hooks),
                "diff.external": str(script),
                "core.editor": str(script),
                "core.askPass": str(script),
                "core.sshCommand": str(script),
                "core.alternateRefsCommand": str(script),
                "credential.helper": f"!{script}",
                "diff.evil.textconv": str(script),
            },
        )
        (project / ".gitattributes").write_text("*.yaml diff=evil\n")


KINDS = ["fsmonitor", "filter", "signature", "include", "everything-else"]


@pytest.fixture(autouse=True)
def no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.mark.parametrize("kind", KINDS)
def test_provenance_runs_nothing_the_repository_names(
    mini: Path, tmp_path: Path, kind: str
) -> None:
    script, marker = hostile_script(tmp_path)
    head = committed(mini)
    hostile_settings(mini, script, kind)
    if kind == "signature":
        head = git(mini, "rev-parse", "HEAD")
    found = project_provenance(load_project(mini))
    assert not marker.exists(), marker.read_text()
    date = dt.date(2027, 1, 26) if kind == "signature" else dt.date(2027, 2, 3)
    # the filter case added .gitattributes, outside the inputs; nothing the kits use changed
    assert found == Provenance(date, head, modified=False)


@pytest.mark.parametrize("kind", KINDS)
def test_a_build_runs_nothing_the_repository_names(mini: Path, tmp_path: Path, kind: str) -> None:
    script, marker = hostile_script(tmp_path)
    committed(mini)
    hostile_settings(mini, script, kind)
    build_in_place(mini, formats=frozenset({"html"}))
    assert (mini / "output/gala/index.html").is_file()
    assert not marker.exists(), marker.read_text()


def test_uncommitted_changes_are_still_seen_in_a_hostile_repository(
    mini: Path, tmp_path: Path
) -> None:
    script, marker = hostile_script(tmp_path)
    committed(mini)
    hostile_settings(mini, script, "filter")
    with (mini / "question_banks/alpha.yaml").open("a") as handle:
        handle.write("# an edit\n")
    assert project_provenance(load_project(mini)).modified
    git(mini, "-c", "filter.evil.clean=cat", "commit", "-q", "-am", "the edit")  # the test's own
    assert not project_provenance(load_project(mini)).modified
    (mini / "question_banks/notes.txt").write_text("an untracked file among the inputs\n")
    assert project_provenance(load_project(mini)).modified
    assert not marker.exists()


def test_a_linked_worktree_and_a_subfolder_are_found(mini: Path, tmp_path: Path) -> None:
    head = committed(mini)
    linked = tmp_path / "linked"
    git(mini, "worktree", "add", "-q", "--detach", str(linked))
    repository = find_repository(linked / "question_banks")
    assert repository is not None
    assert repository.work_tree == linked.resolve()
    assert repository.common_dir == (mini / ".git").resolve()
    found = project_provenance(load_project(linked))
    assert found == Provenance(dt.date(2027, 2, 3), head, modified=False)
    (linked / "events/gala.yaml").write_text((linked / "events/gala.yaml").read_text() + "\n")
    assert project_provenance(load_project(linked)).modified
    assert not project_provenance(load_project(mini)).modified


def test_a_submodule_with_hostile_settings_runs_nothing(mini: Path, tmp_path: Path) -> None:
    script, marker = hostile_script(tmp_path)
    shared = tmp_path / "shared-banks"
    shared.mkdir()
    (shared / "notes.txt").write_text("banks shared between campaigns\n")
    committed(shared)
    committed(mini)
    git(
        mini,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(shared),
        "question_banks/shared",
    )
    git(mini, "commit", "-q", "-m", "shared banks")
    head = git(mini, "rev-parse", "HEAD")
    sub_config = mini / ".git/modules/question_banks/shared/config"
    configure_file(sub_config, {"core.fsmonitor": str(script)})
    (mini / "question_banks/shared/notes.txt").write_text("edited inside the submodule\n")
    found = project_provenance(load_project(mini))
    assert not marker.exists(), marker.read_text()
    assert found.commit == head


def test_an_index_that_is_not_a_file_does_not_hang_the_build(mini: Path) -> None:
    head = committed(mini)
    (mini / ".git/index").unlink()
    os.mkfifo(mini / ".git/index")
    started = time.monotonic()
    found = project_provenance(load_project(mini))
    assert time.monotonic() - started < 5
    assert found.commit == head
    assert found.modified  # nothing to compare with: presskit cannot vouch for the files


def test_the_callers_git_environment_does_not_redirect_provenance(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = committed(mini)
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git/index"))
    assert project_provenance(load_project(mini)).commit == head


@pytest.mark.parametrize("kind", KINDS)
def test_signatories_diff_runs_nothing_the_repository_names(
    mini: Path, tmp_path: Path, kind: str
) -> None:
    script, marker = hostile_script(tmp_path)
    committed(mini)
    listing = mini / "campaign/signatories.yaml"
    listing.write_text(
        listing.read_text().replace("  - name: Matt McGorry\n    sort_as: McGorry, Matt\n", "")
    )
    hostile_settings(mini, script, kind)
    result = CliRunner().invoke(main, ["signatories", "diff", "--project", str(mini), "HEAD"])
    assert not marker.exists(), marker.read_text()
    assert result.output == "- Matt McGorry\n0 added, 1 removed; 4 -> 3 signatories in kits\n"
    assert result.exit_code == 0


def test_a_revision_that_looks_like_an_option_is_a_revision(mini: Path, tmp_path: Path) -> None:
    committed(mini)
    # git would read `--output=<target>:./campaign/signatories.yaml` as "write to that file"
    target = tmp_path / "out"
    (tmp_path / "out:." / "campaign").mkdir(parents=True)
    written = tmp_path / "out:." / "campaign" / "signatories.yaml"
    result = CliRunner().invoke(
        main, ["signatories", "diff", "--project", str(mini), "--", f"--output={target}", "HEAD"]
    )
    assert not written.exists()
    assert result.exit_code == 1
    assert result.output.startswith(
        f"error: --output={target}: not a file, nor a git revision holding "
        "campaign/signatories.yaml ("
    )


def test_a_revision_outside_any_repository_is_a_clear_error(mini: Path) -> None:
    result = CliRunner().invoke(main, ["signatories", "diff", "--project", str(mini), "HEAD~1"])
    assert result.exit_code == 1
    assert result.output == (
        "error: HEAD~1: not a file, and the project is not in a git repository\n"
    )
