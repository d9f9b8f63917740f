"""Question rules PK101 to PK107: each on its fixtures, and their settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from presskit.tools.lint.registry import rules_in
from presskit.tools.lint.rules import questions
from tests.tools.lint.conftest import (
    BETA,
    case,
    fails_on_its_fixture,
    findings,
    lint,
    passes_on_the_corrected_fixture,
)

CODES = [r.code for r in rules_in(questions)]


@pytest.mark.parametrize("code", CODES)
def test_rule_fails_on_its_fixture(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fails_on_its_fixture(code, tmp_path, monkeypatch)


@pytest.mark.parametrize("code", CODES)
def test_rule_passes_on_the_corrected_fixture(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes_on_the_corrected_fixture(code, tmp_path, monkeypatch)


@pytest.mark.parametrize(("threshold", "found"), [(0.84, ["PK103"]), (0.85, [])])
def test_the_near_duplicate_threshold_is_configurable(
    threshold: float, found: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path, "PK103")  # the pair is 84% alike
    with (project / "presskit.yaml").open("a") as handle:
        handle.write(f"lint:\n  similarity: {threshold}\n")
    result = lint(project, "--format", "json", monkeypatch=monkeypatch)
    assert [f["code"] for f in findings(result)] == found


def test_custom_closed_openers_replace_the_built_in_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path, "PK106")
    with (project / "presskit.yaml").open("a") as handle:
        handle.write("lint:\n  closed_openers: [Where does]\n")
    found = findings(lint(project, "--format", "json", monkeypatch=monkeypatch))
    assert [(f["question"], f["message"]) for f in found] == [
        ("b-power", "opens with 'Where does', which invites a yes or no")
    ]


def test_retired_questions_are_not_duplicates(
    tmp_path: Path, edit: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path, "PK102")
    edit(
        project / BETA,
        "b-new\n    text: WHEN did you last   speak up for a colleague?\n    status: approved",
        "b-new\n    text: WHEN did you last   speak up for a colleague?\n    status: retired",
    )
    found = findings(lint(project, "--format", "json", monkeypatch=monkeypatch))
    assert [f["question"] for f in found] == ["b-truth-again"]
