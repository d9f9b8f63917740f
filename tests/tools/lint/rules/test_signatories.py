"""The signatory list rule PK301."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.tools.lint.registry import rules_in
from presskit.tools.lint.rules import signatories
from presskit.tools.lint.rules.signatories import skeleton
from presskit.tools.lint.runner import lint_project
from tests.tools.lint.conftest import (
    fails_on_its_fixture,
    passes_on_the_corrected_fixture,
)

CODES = [r.code for r in rules_in(signatories)]


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


@pytest.mark.parametrize(
    "copy",
    [
        "D\u0430vid Arquette",  # a Cyrillic a
        "Da\u200bvid Arquette",  # a zero-width space
        "\u202eDavid Arquette\u202c",  # a right-to-left override
        "\u2066David\u2069 Arquette",  # an isolate
        "\uff24\uff21\uff36\uff29\uff24  arquette",  # fullwidth, case, spacing
        "D\u03b1vid Arquette",  # a Greek alpha
    ],
)
def test_duplicates_are_caught_through_invisible_and_look_alike_characters(copy: str) -> None:
    assert skeleton(copy) == skeleton("David Arquette")


def test_different_names_stay_different() -> None:
    assert skeleton("David Arquette") != skeleton("Davide Arquette")
    assert skeleton("\u041catt \u041ccGorry") == skeleton("Matt McGorry") != skeleton("Mat McGorry")


def test_a_look_alike_duplicate_names_both_entries(mini: Path) -> None:
    path = mini / "campaign/signatories.yaml"
    path.write_text(path.read_text() + '  - name: "D\\u0430vid Arque\\u200btte"\n')
    report = lint_project(mini, "p")
    [found] = [f for f in report.findings if f.code == "PK301"]
    assert (found.path, found.line) == ("p/campaign/signatories.yaml", 10)
    assert [(p.path, p.line) for p in found.related] == [("p/campaign/signatories.yaml", 2)]
    assert found.message.endswith("is already listed at line 2 (as 'David Arquette')")
