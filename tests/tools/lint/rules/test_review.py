"""What waits for a person: PK108 (changed since approval), PK109 (approval not recorded) and
PK302 (outdated translation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.tools.lint.registry import rules_in
from presskit.tools.lint.rules import review
from tests.tools.lint.conftest import (
    case,
    fails_on_its_fixture,
    findings,
    lint,
    passes_on_the_corrected_fixture,
)

CODES = [r.code for r in rules_in(review)]


def test_the_module_holds_the_three_rules() -> None:
    assert CODES == ["PK108", "PK109", "PK302"]


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


def test_findings_say_what_to_run(tmp_path: Path) -> None:
    changed = findings(lint(case(tmp_path / "a", "PK108"), "--format", "json"))
    assert changed[0]["hint"] == (
        "See what changed with `presskit review`, then `presskit approve b-power`; "
        "or undo the edit."
    )
    [approved_as] = changed[0]["related"]  # type: ignore[misc]
    assert (approved_as["line"], approved_as["col"], approved_as["question"]) == (11, 18, "b-power")
    unrecorded = findings(lint(case(tmp_path / "b", "PK109"), "--format", "json"))
    assert "`presskit approve --record`" in str(unrecorded[0]["hint"])
    outdated = findings(lint(case(tmp_path / "c", "PK302"), "--format", "json"))
    assert outdated[1]["message"].endswith("kits in it show the English")  # type: ignore[union-attr]
    assert "translated_from: '92713c4ae4'" in str(outdated[1]["hint"])


def test_outdated_findings_follow_the_campaign_setting(tmp_path: Path) -> None:
    project = case(tmp_path, "PK302")
    with (project / "presskit.yaml").open("a") as handle:
        handle.write("outdated_translations: keep\n")
    found = findings(lint(project, "--format", "json"))
    assert [f["code"] for f in found] == ["PK302", "PK302"]
    assert all(str(f["message"]).endswith("still show the outdated text") for f in found)
