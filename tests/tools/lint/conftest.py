"""Shared by lint's tests: tests/fixtures/lint/base is a clean project;
tests/fixtures/lint/<CODE>/{fail,pass}/ hold the files that replace base's to break (or to fix)
exactly what rule <CODE> checks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from presskit.cli import main
from tests.conftest import FIXTURES

LINT = FIXTURES / "lint"
ALPHA = "question_banks/alpha.yaml"
BETA = "question_banks/beta.yaml"
GALA = "events/gala.yaml"

# rule -> (exit code, [(path, line, col, question id)]) for its failing fixture.
FAILING: dict[str, tuple[int, list[tuple[str, int, int, str | None]]]] = {
    "PK001": (1, [(BETA, 12, 5, None), (BETA, 13, 13, None)]),
    "PK002": (
        1,
        [("presskit.yaml", 5, 5, None), ("presskit.yaml", 6, 5, None), (BETA, 14, 17, "b-new")],
    ),
    "PK003": (1, [(BETA, 14, 11, "b-new")]),
    "PK101": (1, [(BETA, 10, 9, "a-listen")]),
    "PK102": (1, [(BETA, 11, 11, "b-new"), (BETA, 17, 11, "b-truth-again")]),
    "PK103": (0, [(BETA, 4, 11, "b-speak")]),
    "PK104": (0, [(BETA, 11, 11, "b-new")]),
    "PK105": (0, [(BETA, 11, 11, "b-new")]),
    "PK106": (0, [(BETA, 11, 11, "b-new"), (BETA, 14, 11, "b-ally")]),
    "PK107": (0, [(BETA, 12, 5, "b-new"), (BETA, 16, 18, "b-help")]),
    "PK108": (0, [(BETA, 9, 11, "b-power")]),
    "PK109": (0, [(ALPHA, 7, 13, "a-listen"), (BETA, 6, 13, "b-speak")]),
    "PK201": (1, [(GALA, 6, 18, None), (GALA, 7, 10, None), (GALA, 9, 12, None)]),
    "PK202": (1, [(GALA, 7, 12, "a-draft"), (GALA, 7, 21, "a-old")]),
    "PK203": (1, [(GALA, 6, 10, None)]),
    "PK301": (1, [("campaign/signatories.yaml", 6, 11, None)]),
    "PK302": (0, [(BETA, 5, 22, None), (BETA, 14, 26, "b-speak")]),
    "PK303": (0, [("locales/de.yaml", 2, 1, None)]),
    "PK304": (0, [("presskit.yaml", 3, 10, None), (BETA, 1, 1, None)]),
    "PK401": (0, [(BETA, 6, 5, "b-speak"), (BETA, 16, 9, "b-power")]),
    "PK501": (
        0,
        [
            (GALA, 10, 11, None),
            (GALA, 11, 12, None),
            ("presskit.yaml", 4, 11, None),
            ("presskit.yaml", 5, 12, None),
            ("presskit.yaml", 7, 12, None),
            ("presskit.yaml", 8, 10, None),
        ],
    ),
}


def case(tmp_path: Path, code: str | None = None, kind: str = "fail") -> Path:
    """A copy of the clean base project with rule `code`'s fixture files laid over it."""
    target = tmp_path / "project"
    shutil.copytree(LINT / "base", target)
    if code is not None:
        shutil.copytree(LINT / code / kind, target, dirs_exist_ok=True)
    return target


def lint(project: Path, *args: str, monkeypatch: pytest.MonkeyPatch | None = None) -> Result:
    if monkeypatch is not None:
        monkeypatch.chdir(project)
        return CliRunner().invoke(main, ["lint", *args])
    return CliRunner().invoke(main, ["lint", "--project", str(project), *args])


def findings(result: Result) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(result.stdout)
    return data


def fails_on_its_fixture(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rule `code` finds exactly the expected places in its failing fixture, and nothing else."""
    exit_code, expected = FAILING[code]
    result = lint(case(tmp_path, code), "--format", "json", monkeypatch=monkeypatch)
    found = findings(result)
    assert [(f["path"], f["line"], f["col"], f["question"]) for f in found] == expected, found
    assert {f["code"] for f in found} == {code}
    assert {f["severity"] for f in found} == {"error" if exit_code else "warning"}
    assert all(f["message"] and f["hint"] for f in found)
    assert result.exit_code == exit_code


def passes_on_the_corrected_fixture(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = lint(case(tmp_path, code, "pass"), "--format", "json", monkeypatch=monkeypatch)
    assert findings(result) == []
    assert result.exit_code == 0
