"""Provenance: the build date and bank version come from the data, never the machine's clock."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from presskit.cli import main
from presskit.errors import PresskitError
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.pipeline.provenance import (
    PastVersion,
    Provenance,
    build_clock,
    past_versions,
    project_provenance,
    source_date,
)
from presskit.project.loading import load_project
from presskit.project.models import ProvenanceMode

COMMIT_DATE = "2027-02-03T04:05:06+00:00"


def git(root: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_DATE": COMMIT_DATE,
        "GIT_COMMITTER_DATE": COMMIT_DATE,
        "HOME": str(root),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [
            "git",
            "-C",
            str(root),
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            *args,
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return done.stdout.strip()


@pytest.fixture(autouse=True)
def no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_outside_git_there_is_no_date_and_no_commit(mini: Path) -> None:
    assert project_provenance(load_project(mini)) == Provenance(None, None, False)


def test_source_date_epoch_sets_the_date(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert source_date() == dt.date(2027, 1, 15)
    assert project_provenance(load_project(mini)).date == dt.date(2027, 1, 15)
    assert source_date({"SOURCE_DATE_EPOCH": ""}) is None


def test_a_bad_source_date_epoch_is_a_clear_error(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(PresskitError, match="SOURCE_DATE_EPOCH must be a whole number"):
        source_date()
    result = CliRunner().invoke(main, ["build", "--project", str(mini)])
    assert result.exit_code == 1
    assert result.output == (
        "error: SOURCE_DATE_EPOCH must be a whole number of seconds since "
        "1970-01-01, not 'yesterday'\n"
    )
    assert not (mini / "output").exists()


def test_in_git_the_commit_and_its_date_are_used(mini: Path) -> None:
    git(mini, "init", "-q")
    git(mini, "add", "-A")
    git(mini, "commit", "-q", "-m", "banks")
    head = git(mini, "rev-parse", "HEAD")
    found = project_provenance(load_project(mini))
    assert found == Provenance(dt.date(2027, 2, 3), head, modified=False)
    assert found.short_commit == head[:12]

    (mini / "notes.txt").write_text("not an input of any kit")
    assert not project_provenance(load_project(mini)).modified
    with (mini / "question_banks/alpha.yaml").open("a") as handle:
        handle.write("# an edit\n")
    assert project_provenance(load_project(mini)).modified


DATE = dt.date(2027, 1, 15)
COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("provenance", "mode", "line"),
    [
        (Provenance(DATE, COMMIT), "short", "Version of January 15, 2027 · ref 0123456"),
        (
            Provenance(DATE, COMMIT, modified=True),
            "short",
            "Version of January 15, 2027 · ref 0123456 (amended)",
        ),
        (Provenance(DATE, None), "short", "Version of January 15, 2027"),
        (Provenance(None, None), "short", "Undated version"),
        (
            Provenance(DATE, COMMIT),
            "full",
            "Version of January 15, 2027 · question banks ref 0123456789ab",
        ),
        (
            Provenance(DATE, COMMIT, modified=True),
            "full",
            "Version of January 15, 2027 · question banks ref 0123456789ab, "
            "with changes not yet committed",
        ),
        (
            Provenance(None, None),
            "full",
            "Undated version · question banks not under version control",
        ),
        (Provenance(DATE, COMMIT, modified=True), "off", None),
    ],
)
def test_the_version_line_reads_like_an_imprint(
    provenance: Provenance, mode: ProvenanceMode, line: str | None
) -> None:
    assert provenance.line("en", mode) == line
    assert provenance.as_context("en", mode)["line"] == line


def test_the_version_line_is_in_the_kits_language() -> None:
    amended = Provenance(DATE, COMMIT, modified=True)
    assert amended.line("fr") == "Version du 15 janvier 2027 · réf. 0123456 (modifiée)"
    assert amended.line("es") == "Versión del 15 de enero de 2027 · ref. 0123456 (modificada)"
    assert Provenance(None, None).line("fr", "full") == (
        "Version non datée · banques de questions hors gestion de versions"
    )
    # right to left: the reference is isolated, so its digits are never reordered
    assert Provenance(DATE, COMMIT).line("ar") == "نسخة 15 يناير 2027 · المرجع \u20660123456\u2069"


def _committed(mini: Path, monkeypatch: pytest.MonkeyPatch, settings: str = "") -> str:
    """Commit the mini project (with `settings` added to presskit.yaml), fix the date, and
    return the commit."""
    if settings:
        with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
            handle.write(settings)
    git(mini, "init", "-q")
    git(mini, "add", "-A")
    git(mini, "commit", "-q", "-m", "banks")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    return git(mini, "rev-parse", "HEAD")


def _html_footer(path: Path) -> tuple[str | None, str | None]:
    """The one-pager's or portal's provenance line and question ids (None when absent)."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    found = [soup.select_one(f"footer {c}") for c in (".provenance", ".question-ids")]
    return found[0].get_text() if found[0] else None, found[1].get_text() if found[1] else None


IDS = "Question ids: b-two, b-one, a-one, a-two"
PDFS = ["press-kit.pdf", "questions.pdf", "pocket-card.pdf"]


@pytest.mark.slow  # renders PDFs
def test_by_default_every_output_carries_a_short_line_and_no_ids(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import pdf_text, squash

    short = _committed(mini, monkeypatch)[:7]
    build(load_project(mini), BuildOptions(out=mini / "output", jobs=1))
    line = f"Version of January 15, 2027 · ref {short}"
    for name in ["index.html", "gala/index.html"]:
        assert _html_footer(mini / "output" / name) == (line, None), name
    for name in PDFS:
        text = squash(pdf_text(mini / "output/gala" / name))
        assert line in text and "Question ids" not in text, name
        assert "banks at commit" not in text and "unversioned" not in text, name
    for name in ["press-kit.pdf", "questions.pdf"]:  # the running footer, every page
        assert f"#TestCampaign · Test Gala · {line}" in squash(
            pdf_text(mini / "output/gala" / name)
        )


@pytest.mark.slow  # renders PDFs
def test_full_provenance_and_question_ids_when_asked(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import pdf_text, squash

    commit = _committed(mini, monkeypatch, "provenance: full\nshow_question_ids: true\n")
    (mini / "question_banks/alpha.yaml").open("a").write("# an edit not yet committed\n")
    build(load_project(mini), BuildOptions(out=mini / "output", jobs=1))
    line = (
        f"Version of January 15, 2027 · question banks ref {commit[:12]}, "
        "with changes not yet committed"
    )
    assert _html_footer(mini / "output/index.html") == (line, None)  # the portal lists no ids
    assert _html_footer(mini / "output/gala/index.html") == (line, IDS)
    for name in PDFS:
        text = squash(pdf_text(mini / "output/gala" / name))
        assert line in text and IDS in text, name


@pytest.mark.slow  # renders PDFs
def test_provenance_off_leaves_no_version_line_anywhere(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import pdf_text, squash

    _committed(mini, monkeypatch, "provenance: off\n")
    build(load_project(mini), BuildOptions(out=mini / "output", jobs=1))
    for name in ["index.html", "gala/index.html"]:
        assert _html_footer(mini / "output" / name) == (None, None), name
    for name in PDFS:
        text = squash(pdf_text(mini / "output/gala" / name))
        assert "Version" not in text and "ref " not in text and "Question ids" not in text, name
    footer = "#TestCampaign · Test Gala Page 1 of"  # the running footer ends with the event
    assert footer in squash(pdf_text(mini / "output/gala/press-kit.pdf"))


def test_unversioned_kits_say_undated(mini: Path) -> None:
    build(load_project(mini), BuildOptions(out=mini / "output", formats=frozenset({"html"})))
    assert _html_footer(mini / "output/gala/index.html") == ("Undated version", None)


def test_the_build_clock_is_source_date_epoch_to_the_second_else_now() -> None:
    assert build_clock({"SOURCE_DATE_EPOCH": "1804471200"}) == dt.datetime(
        2027, 3, 8, 2, tzinfo=dt.UTC
    )
    before = dt.datetime.now(dt.UTC)
    assert before <= build_clock({}) <= dt.datetime.now(dt.UTC)
    with pytest.raises(PresskitError, match="SOURCE_DATE_EPOCH"):
        build_clock({"SOURCE_DATE_EPOCH": "soon"})


def test_past_versions_are_a_files_commits_newest_first(tmp_path: Path) -> None:
    """The one reader of a file's git history (review's approved wordings, translations'
    earlier English): each commit that changed the file, newest first, up to the limit."""
    bank = tmp_path / "banks" / "b.yaml"
    bank.parent.mkdir()
    assert list(past_versions(tmp_path, "banks/b.yaml", 5)) == []  # not in git: nothing
    git(tmp_path, "init", "-q")
    for n, subject in enumerate(["first", "second", "third"]):
        bank.write_text(f"\ufeffversion: {n}\n", encoding="utf-8")  # a BOM, as editors write
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", subject)
    (tmp_path / "other.txt").write_text("not the bank")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "unrelated")

    found = list(past_versions(tmp_path / "banks", "b.yaml", 2))
    assert [(p.subject, p.text, p.date) for p in found] == [
        ("third", "version: 2\n", "2027-02-03"),
        ("second", "version: 1\n", "2027-02-03"),
    ]
    assert all(isinstance(p, PastVersion) and len(p.commit) >= 7 for p in found)
    assert list(past_versions(tmp_path, "banks/missing.yaml", 5)) == []
