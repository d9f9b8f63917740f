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
    Provenance,
    build_clock,
    project_provenance,
    source_date,
)
from presskit.project.loading import load_project

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


@pytest.mark.slow  # renders PDFs
def test_every_output_carries_the_provenance(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import pdf_text, squash

    git(mini, "init", "-q")
    git(mini, "add", "-A")
    git(mini, "commit", "-q", "-m", "banks")
    short = git(mini, "rev-parse", "HEAD")[:12]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    build(load_project(mini), BuildOptions(out=mini / "output"))
    line = f"Built January 15, 2027 · question banks at commit {short}"
    ids = "Question ids: b-two, b-one, a-one, a-two"
    for name in ["index.html", "gala/index.html"]:
        soup = BeautifulSoup((mini / "output" / name).read_text(), "html.parser")
        assert soup.select_one("footer .provenance").get_text() == line  # type: ignore[union-attr]
    soup = BeautifulSoup((mini / "output/gala/index.html").read_text(), "html.parser")
    assert soup.select_one("footer .question-ids").get_text() == ids  # type: ignore[union-attr]
    for name in ["press-kit.pdf", "questions.pdf"]:
        text = squash(pdf_text(mini / "output/gala" / name))
        assert line in text and ids in text, name
        assert f"#TestCampaign · Test Gala · {line}" in text  # the running footer, every page
    card = squash(pdf_text(mini / "output/gala/pocket-card.pdf"))
    assert line in card and "Question ids: b-two, b-one, a-one, a-two" in card


def test_unversioned_kits_say_so(mini: Path) -> None:
    build(load_project(mini), BuildOptions(out=mini / "output", formats=frozenset({"html"})))
    soup = BeautifulSoup((mini / "output/gala/index.html").read_text(), "html.parser")
    text = soup.select_one("footer .provenance").get_text()  # type: ignore[union-attr]
    assert text == "unversioned (no git commit)"


def test_the_build_clock_is_source_date_epoch_to_the_second_else_now() -> None:
    assert build_clock({"SOURCE_DATE_EPOCH": "1804471200"}) == dt.datetime(
        2027, 3, 8, 2, tzinfo=dt.UTC
    )
    before = dt.datetime.now(dt.UTC)
    assert before <= build_clock({}) <= dt.datetime.now(dt.UTC)
    with pytest.raises(PresskitError, match="SOURCE_DATE_EPOCH"):
        build_clock({"SOURCE_DATE_EPOCH": "soon"})
