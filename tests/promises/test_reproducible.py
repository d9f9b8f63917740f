"""Same inputs, same bytes: across folders, processes and hash seeds; dates only from the data
or SOURCE_DATE_EPOCH, never from the build machine's clock."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from presskit.errors import PresskitError
from presskit.pipeline.provenance import source_date
from tests.conftest import FIXTURES, REPO, pdf_text, squash

FILES = ("gala/press-kit.pdf", "gala/questions.pdf", "gala/index.html")
EPOCH = "1800000000"  # 2027-01-15T08:00:00Z


def build_copy(where: Path, *, epoch: str | None, seed: str) -> dict[str, bytes]:
    """Copy the mini project to `where` and build it with `python -m presskit`."""
    project = where / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = seed
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    # One process per build (PDFs too: `--jobs 1`); that a pool of workers gives the same
    # bytes as one process is tests/pipeline/test_cache.py's.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "presskit",
            "build",
            "--quiet",
            "--jobs",
            "1",
            "--project",
            str(project),
        ],
        env=env,
        check=True,
        cwd=where,
    )
    return {name: (project / "output" / name).read_bytes() for name in FILES}


@pytest.mark.slow
def test_two_builds_in_different_folders_are_byte_identical(tmp_path: Path) -> None:
    first = build_copy(tmp_path / "a", epoch=None, seed="1")
    second = build_copy(tmp_path / "somewhere/else/b", epoch=None, seed="2")
    assert first == second
    for name in FILES[:2]:
        info = PdfReader(tmp_path / "a/mini/output" / name).metadata
        assert info is not None
        assert "/CreationDate" not in info and "/ModDate" not in info  # no clock time
    assert b"dcterms" not in first["gala/index.html"]


@pytest.mark.slow
def test_source_date_epoch_dates_the_kits_reproducibly(tmp_path: Path) -> None:
    first = build_copy(tmp_path / "a", epoch=EPOCH, seed="3")
    second = build_copy(tmp_path / "b", epoch=EPOCH, seed="4")
    assert first == second
    for name in FILES[:2]:
        info = PdfReader(tmp_path / "a/mini/output" / name).metadata
        assert info is not None
        assert info["/CreationDate"] == info["/ModDate"] == "D:20270115"
    soup = BeautifulSoup(first["gala/index.html"], "html.parser")
    meta = soup.find("meta", attrs={"name": "dcterms.created"})
    assert meta is not None and meta["content"] == "2027-01-15"
    later = build_copy(tmp_path / "c", epoch=str(int(EPOCH) + 86400), seed="3")
    assert all(later[name] != first[name] for name in FILES)  # the date really comes from it


@pytest.mark.slow
def test_templates_can_print_the_build_date(mini: Path) -> None:
    (mini / "templates").mkdir()
    (mini / "templates/questions.html.j2").write_text(
        '{% extends "builtin/questions.html.j2" %}{% block header %}'
        "<p>Built {{ provenance.date or 'undated' }}</p>{% endblock %}"
    )
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    for epoch, expected in [(EPOCH, "Built January 15, 2027"), (None, "Built undated")]:
        if epoch:
            env["SOURCE_DATE_EPOCH"] = epoch
        else:
            env.pop("SOURCE_DATE_EPOCH", None)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "presskit",
                "build",
                "--quiet",
                "--format",
                "pdf",
                "--jobs",
                "1",
                "--project",
                str(mini),
            ],
            env=env,
            check=True,
        )
        assert expected in squash(pdf_text(mini / "output/gala/questions.pdf"))


@pytest.mark.parametrize("value", ["yesterday", "-1", "1.5", "99999999999999999999"])
def test_a_bad_source_date_epoch_is_a_clear_error(value: str) -> None:
    with pytest.raises(PresskitError) as exc:
        source_date({"SOURCE_DATE_EPOCH": value})
    assert exc.value.message == (
        f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, not {value!r}"
    )


def test_unset_or_empty_source_date_epoch_means_no_date() -> None:
    assert source_date({}) is None
    assert source_date({"SOURCE_DATE_EPOCH": ""}) is None


def test_presskit_never_reads_the_clock_for_output() -> None:
    """A guard for later changes: a build date must come from presskit.builddate. A clock read
    for the terminal only says so in a comment on its line or the line before it."""
    clock = re.compile(
        r"\b(?:datetime\.now|date\.today|datetime\.today|utcnow|time\.time|"
        r"time\.localtime|time\.gmtime|time\.ctime|time\.strftime)\b"
    )
    offenders = []
    for path in sorted((REPO / "presskit").rglob("*.py")):
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines, 1):
            nearby = line + (lines[number - 2] if number > 1 else "")
            if clock.search(line) and "not in any kit" not in nearby:
                offenders.append(f"{path.relative_to(REPO)}:{number}")
    assert offenders == []
