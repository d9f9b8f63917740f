"""Event rules PK201 to PK203."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from presskit.tools.lint.registry import rules_in
from presskit.tools.lint.rules import events
from tests.tools.lint.conftest import (
    GALA,
    case,
    fails_on_its_fixture,
    findings,
    lint,
    passes_on_the_corrected_fixture,
)

CODES = [r.code for r in rules_in(events)]


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


def test_pk201_leaves_unknown_tones_to_the_loader(
    tmp_path: Path, edit: Callable[[Path, str, str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One check finds bad references; PK201 reports the unknown banks, tags and ids, and the
    rest (here a tone no question has) arrives as the loader's problem, PK001. PK203 counts
    what the event can draw by the one drawability rule, tones and tags included."""
    project = case(tmp_path)
    edit(project / GALA, "count: 3", "count: 3\n  tones: [ligth]\n  tags: [nope]")
    found = findings(lint(project, "--format", "json", monkeypatch=monkeypatch))
    assert [(f["code"], f["line"], f["message"]) for f in found] == [
        (
            "PK203",
            6,
            "asks for 3 questions but its banks have only 1 approved one that matches "
            "(pinned 1, alpha 0, beta 0)",
        ),
        ("PK001", 7, "select.tones[0]: no question has the tone 'ligth'"),
        ("PK201", 8, "no question has the tag 'nope'"),
    ]
