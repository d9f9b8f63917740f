"""Rules about lint settings and silences (PK002, PK003)."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.project.models import LintSettings
from presskit.project.yamlfile import parse
from presskit.tools.lint.model import Corpus
from presskit.tools.lint.registry import RULES, rules_in
from presskit.tools.lint.rules import settings
from presskit.tools.lint.rules.settings import lint_settings
from tests.tools.lint.conftest import (
    fails_on_its_fixture,
    passes_on_the_corrected_fixture,
)

CODES = [r.code for r in rules_in(settings)]


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


def test_bad_settings_are_judged_against_the_rules_being_run(tmp_path: Path) -> None:
    _, source = parse("lint:\n  rules:\n    PK104: off\n    PK105: off\n", "presskit.yaml")
    settings = LintSettings.model_validate({"rules": {"PK104": False, "PK105": False}})
    rules = {"PK104": RULES["PK104"], "PK101": RULES["PK101"]}
    corpus = Corpus(settings, campaign_source=source, rules=rules)
    assert lint_settings.check is not None
    assert [(h.place.line, h.message) for h in lint_settings.check(corpus)] == [
        (4, "no lint rule PK105 (did you mean 'PK104'?)")
    ]
