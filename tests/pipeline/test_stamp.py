"""The build stamp: a rebuild with nothing changed stops before planning, and every kind of
change (project files, templates, assets, outputs, options, provenance) still rebuilds."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import presskit.pipeline.plan
from presskit.pipeline.build import build
from presskit.pipeline.cache import cache_file
from presskit.pipeline.documents import BuildOptions
from presskit.pipeline.stamp import (
    TRUST_AFTER_NS,
    FileState,
    project_templates,
    state_of,
    unchanged,
)
from presskit.project.loading import load_project
from tests.conftest import FIXTURES, build_in_place, identities, pdf_text, squash

pytestmark = pytest.mark.slow
Edit = Callable[[Path, str, str], None]
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<rect width="10" height="10" fill="{colour}"/></svg>'
)


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Records each time a build plans (renders HTML), i.e. did not stop at its stamp."""
    calls: list[str] = []
    real = presskit.pipeline.plan.plan

    def counting(*args: object, **kwargs: object) -> object:
        calls.append("plan")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(presskit.pipeline.plan, "plan", counting)
    yield calls


def age(path: Path, seconds: float = 3600) -> None:
    """Make `path` look last modified `seconds` ago, as files not just edited are."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_no_op_rebuild_stops_at_the_stamp(mini: Path, plans: list[str]) -> None:
    first = build_in_place(mini)
    assert plans == ["plan"]
    before = identities(mini / "output")
    again = build_in_place(mini)
    assert plans == ["plan"]  # the second build did not plan
    assert (again.rendered, again.written, again.built_events) == ([], [], [])
    assert again.unchanged_events == ["gala"]
    assert sorted(again.unchanged) == sorted(first.written)
    assert identities(mini / "output") == before


def test_the_stamp_records_every_file_read_and_made(mini: Path) -> None:
    build_in_place(mini)
    stamp = json.loads((cache_file(mini / "output")).read_text())["stamp"]
    assert sorted(stamp["sources"]) == [
        "campaign/letter.md",
        "campaign/signatories.yaml",
        "events/gala.yaml",
        "presskit.yaml",
        "question_banks/alpha.yaml",
        "question_banks/beta.yaml",
    ]
    assert any(
        path.endswith("presskit/render/templates/press-kit.html.j2") for path in stamp["inputs"]
    )
    assert not any("__pycache__" in path for path in stamp["inputs"])
    assert sorted(stamp["made"]) == [
        "gala/gala-press-kit.zip",
        "gala/index.html",
        "gala/pocket-card.pdf",
        "gala/pocket-cards-sheet.pdf",
        "gala/press-kit.pdf",
        "gala/questions.pdf",
        "index.html",
    ]
    assert stamp["events"] == ["gala"]


def test_touching_a_file_without_changing_it_is_still_a_no_op(mini: Path, plans: list[str]) -> None:
    build_in_place(mini)
    bank = mini / "question_banks/alpha.yaml"
    bank.write_bytes(bank.read_bytes())  # a save with no edit: new time, same text
    build_in_place(mini)
    assert plans == ["plan"]


SOURCE_DATE = "1800000000"
# Changes after which a build from scratch is the pristine build itself: the same project
# files and the same options (`force` re-renders but decides no byte).
SAME_INPUTS = frozenset({"output deleted", "output damaged", "portal damaged", "force"})


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The project every `test_each_kind_of_change_builds_again` starts from (mini with a
    template, a logo and a second event), built once: `(project, pristine copy of it)`."""
    base = tmp_path_factory.mktemp("changes")
    mini = base / "mini"
    shutil.copytree(FIXTURES / "mini", mini)
    (mini / "templates").mkdir()
    (mini / "templates/questions.html.j2").write_text('{% extends "builtin/questions.html.j2" %}')
    (mini / "logo.svg").write_text(LOGO.format(colour="red"))
    with (mini / "presskit.yaml").open("a") as campaign:
        campaign.write("branding:\n  logo: logo.svg\n")
    (mini / "events/spare.yaml").write_text(
        "name: Spare Night\ndate: 2027-06-01\nvenue: Spare Hall\nkind: panel\n"
        "select:\n  banks: [alpha]\n  count: 1\n"
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE)
        build_in_place(mini)
    pristine = base / "pristine"
    shutil.copytree(mini, pristine)  # copy2: sizes, contents and modification times kept
    return mini, pristine


@pytest.fixture
def built(prepared: tuple[Path, Path]) -> Path:
    """The prepared project, put back as it was built, at the same path (the stamp's key
    holds the project's and the output's paths), so its stamp still holds."""
    mini, pristine = prepared
    shutil.rmtree(mini)
    shutil.copytree(pristine, mini)
    return mini


@pytest.mark.parametrize(
    "change",
    [
        "bank",
        "new event",
        "removed event",
        "template",
        "logo",
        "output deleted",
        "output damaged",
        "portal damaged",
        "formats",
        "debug html",
        "SOURCE_DATE_EPOCH",
        "force",
    ],
)
def test_each_kind_of_change_builds_again(
    built: Path,
    prepared: tuple[Path, Path],
    plans: list[str],
    edit: Edit,
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    mini = built
    template = mini / "templates/questions.html.j2"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE)
    # The put-back project is up to date: its rebuild stops at the stamp, so the plan below
    # is the change's doing.
    assert build_in_place(mini).written == []
    assert plans == []
    out = mini / "output"
    options: dict[str, object] = {}
    if change == "bank":
        edit(
            mini / "question_banks/beta.yaml",
            "What does beta one ask?",
            "What does beta one ask now?",
        )
    elif change == "new event":
        (mini / "events/extra.yaml").write_text(
            (mini / "events/spare.yaml").read_text().replace("Spare", "Extra")
        )
    elif change == "removed event":
        (mini / "events/spare.yaml").unlink()
    elif change == "template":
        edit(template, "%}", "%}{# a comment #}")
    elif change == "logo":
        (mini / "logo.svg").write_text(LOGO.format(colour="blue"))
    elif change == "output deleted":
        (out / "gala/questions.pdf").unlink()
    elif change == "output damaged":
        (out / "gala/press-kit.pdf").write_bytes(b"%PDF-tampered")
    elif change == "portal damaged":
        (out / "index.html").write_text("<p>defaced</p>")
    elif change == "formats":
        options["formats"] = frozenset({"html"})
    elif change == "debug html":
        options["debug_html"] = True
    elif change == "SOURCE_DATE_EPOCH":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")
    elif change == "force":
        options["force"] = True
    result = build_in_place(mini, **options)
    assert plans == ["plan"], change
    # What the rebuild made is what a build from scratch makes (an HTML-only build's zip and
    # portal also hold the PDFs already in the folder, so that one cannot compare). With the
    # same inputs and options, the pristine build is that build from scratch.
    if change in SAME_INPUTS:
        fresh = prepared[1] / "output"
    elif change != "formats":
        fresh = mini / "fresh"
        build(load_project(mini), BuildOptions(out=fresh, jobs=1, **options))  # type: ignore[arg-type]
    if change != "formats":
        for path in [*result.written, *result.unchanged]:
            assert path.read_bytes() == (fresh / path.relative_to(out)).read_bytes(), path
    # ...and, built again with nothing changed, it is a no-op.
    planned = len(plans)
    again = build_in_place(mini, **{k: v for k, v in options.items() if k != "force"})
    assert len(plans) == planned and again.written == [], change


def test_a_new_source_date_reaches_the_kits(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15
    build_in_place(mini)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")  # 2030-03-17
    assert build_in_place(mini).built_events == ["gala"]
    assert "2030" in squash(pdf_text(mini / "output/gala/questions.pdf"))


def test_a_template_added_to_the_project_builds_again(mini: Path, plans: list[str]) -> None:
    build_in_place(mini)
    (mini / "templates").mkdir()
    (mini / "templates/press-kit.html.j2").write_text(
        '{% extends "builtin/press-kit.html.j2" %}{% block cover %}OVERRIDDEN{{ super() }}'
        "{% endblock %}"
    )
    assert build_in_place(mini).rendered == ["gala/press-kit.pdf"]
    assert "OVERRIDDEN" in pdf_text(mini / "output/gala/press-kit.pdf")


def test_an_edit_in_the_same_clock_tick_is_caught(mini: Path, plans: list[str]) -> None:
    """Same size, and the old modification time put back: only the content hash can tell,
    and it is checked because the time is too close to when the stamp was taken."""
    (mini / "templates").mkdir()
    template = mini / "templates/questions.html.j2"
    template.write_text('{% extends "builtin/questions.html.j2" %}{# AAAA #}')
    build_in_place(mini)
    recorded = template.stat().st_mtime_ns
    template.write_text('{% extends "builtin/questions.html.j2" %}{# BBBB #}')
    os.utime(template, ns=(recorded, recorded))
    build_in_place(mini)
    assert plans == ["plan", "plan"]


def test_a_subset_build_watches_the_other_kits_files_its_portal_lists(
    mini: Path, plans: list[str]
) -> None:
    (mini / "events/other.yaml").write_text(
        "name: Other Night\ndate: 2027-05-01\nvenue: Other Hall\nkind: panel\n"
        "select:\n  banks: [alpha]\n  count: 2\n"
    )
    build_in_place(mini)
    build_in_place(mini, events=("gala",))
    assert "other/press-kit.pdf" in (mini / "output/index.html").read_text()
    (mini / "output/other/press-kit.pdf").unlink()
    build_in_place(mini, events=("gala",))
    assert plans == ["plan", "plan", "plan"]
    assert "other/press-kit.pdf" not in (mini / "output/index.html").read_text()


def test_a_damaged_stamp_means_a_full_plan(mini: Path, plans: list[str]) -> None:
    build_in_place(mini)
    cache = cache_file(mini / "output")
    data = json.loads(cache.read_text())
    data["stamp"]["outputs"]["gala/press-kit.pdf"] = "not a state"
    cache.write_text(json.dumps(data))
    result = build_in_place(mini)
    assert plans == ["plan", "plan"]
    # A cache file that does not parse is ignored whole: a full rebuild, never an error.
    assert result.rendered == [
        "gala/press-kit.pdf",
        "gala/questions.pdf",
        "gala/pocket-card.pdf",
        "gala/pocket-cards-sheet.pdf",
    ]
    assert json.loads(cache.read_text())["stamp"]["outputs"]["gala/press-kit.pdf"]["size"] > 0


# File states, on their own.


def test_an_old_file_with_its_recorded_size_and_time_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "a.txt"
    file.write_text("content")
    age(file)
    state = state_of(file)
    assert state is not None and state.mtime_ns + TRUST_AFTER_NS < state.seen_ns

    def no_reading(self: Path) -> bytes:
        raise AssertionError(f"read {self}")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    assert unchanged(file, state)


def test_a_recent_file_is_compared_by_content(tmp_path: Path) -> None:
    file = tmp_path / "a.txt"
    file.write_text("content")
    state = state_of(file)
    assert state is not None
    file.write_text("CONTENT")
    os.utime(file, ns=(state.mtime_ns, state.mtime_ns))
    assert not unchanged(file, state)
    file.write_text("content")
    assert unchanged(file, state)  # new time, same bytes


def test_absent_files_and_sizes(tmp_path: Path) -> None:
    file = tmp_path / "a.txt"
    assert state_of(file) is None
    assert unchanged(file, None)  # still absent
    file.write_text("x")
    assert not unchanged(file, None)  # appeared
    state = state_of(file)
    file.write_text("xy")
    assert not unchanged(file, state)
    file.unlink()
    assert not unchanged(file, state)


def test_only_what_the_template_loader_would_read_is_listed(tmp_path: Path) -> None:
    root = tmp_path / "project"
    folder = root / "templates"
    (folder / "partials").mkdir(parents=True)
    (folder / "press-kit.html.j2").write_text("mine")
    (root / "shared.html.j2").write_text("shared")
    (folder / "partials/shared.html.j2").symlink_to(root / "shared.html.j2")  # inside: fine
    (tmp_path / "secret.txt").write_text("not the project's")
    (folder / "leak.html.j2").symlink_to(tmp_path / "secret.txt")
    (folder / "zero.html.j2").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.html.j2")
    os.mkfifo(root / "inner-fifo")
    (folder / "to-fifo.html.j2").symlink_to(root / "inner-fifo")
    assert sorted(project_templates(root)) == [
        folder / "partials/shared.html.j2",
        folder / "press-kit.html.j2",
    ]
    # and the files themselves are never read as inputs, whoever asks
    seen = FileState(size=0, mtime_ns=0, sha256="", seen_ns=0)
    for path in (folder / "fifo.html.j2", folder / "zero.html.j2"):
        assert state_of(path) is None
        assert unchanged(path, seen) is False


def test_a_linked_templates_folder_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/page.html.j2").write_text("not the project's")
    (tmp_path / "project").mkdir()
    (tmp_path / "project/templates").symlink_to(tmp_path / "outside")
    assert project_templates(tmp_path / "project") == []


def _at_most_2_gb() -> None:
    """Keep a build that reads a device forever from taking the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero"])
def test_a_fifo_or_a_device_in_templates_never_hangs_the_build(mini: Path, kind: str) -> None:
    (mini / "templates").mkdir(exist_ok=True)
    if kind == "fifo":
        os.mkfifo(mini / "templates/notes.html.j2")
    else:
        (mini / "templates/notes.html.j2").symlink_to("/dev/zero")
    command = [sys.executable, "-m", "presskit", "build", "--project", str(mini)]
    for _ in range(2):  # a full build, then the one the stamp stops
        done = subprocess.run(
            [*command, "--format", "html", "--quiet"],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_at_most_2_gb,
        )
        assert (done.returncode, done.stderr) == (0, "")
    assert (mini / "output/gala/index.html").is_file()
