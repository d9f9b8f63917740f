"""Which rules exist, and how presskit.yaml configures them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from presskit.cli import main
from presskit.project.models import LintSettings
from presskit.tools.lint.registry import INVALID, MODULES, RULES, registry, rules_in, severity_of
from tests.tools.lint.conftest import FAILING, LINT, case, findings, lint


def test_every_rule_has_fixtures() -> None:
    assert set(FAILING) == set(RULES)
    for code in RULES:
        assert (LINT / code / "fail").is_dir() and (LINT / code / "pass").is_dir(), code


def test_rules_are_listed(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "--rules"])
    assert result.exit_code == 0
    for code, rule in RULES.items():
        assert f"{code} {rule.name} ({rule.severity}" in result.stdout


def test_rules_can_be_turned_off_made_errors_and_tuned(
    tmp_path: Path, edit: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path, "PK104")
    config = project / "presskit.yaml"
    with config.open("a") as handle:
        handle.write("    PK104: error\n")  # base ends in its `lint.rules`
    escalated = lint(project, "--format", "json", monkeypatch=monkeypatch)
    assert [(f["code"], f["severity"]) for f in findings(escalated)] == [("PK104", "error")]
    assert escalated.exit_code == 1
    edit(config, "PK104: error", "PK104: off")
    off = lint(project, monkeypatch=monkeypatch)
    assert (off.exit_code, off.stdout) == (0, "no problems (2 banks, 7 questions, 1 event)\n")

    with config.open("a") as handle:
        handle.write("  max_words: 10\n")
    tuned = findings(lint(project, "--format", "json", monkeypatch=monkeypatch))
    too_long = [(f["question"], f["message"]) for f in tuned if f["code"] == "PK105"]
    assert too_long == [("a-change", "11 words; the limit is 10")]


def test_every_rule_module_defines_rules_and_codes_are_unique() -> None:
    assert all(rules_in(module) for module in MODULES)
    assert list(RULES) == sorted(RULES)
    with pytest.raises(ValueError, match="PK001 registered twice"):
        registry([INVALID, INVALID])


def test_severity_of_follows_the_settings_except_for_locked_rules() -> None:
    settings = LintSettings.model_validate({"rules": {"PK104": "error", "PK105": False}})
    assert severity_of("PK104", settings) == "error"
    assert severity_of("PK105", settings) is None
    assert severity_of("PK106", settings) == "warning"
    locked = LintSettings.model_validate({"rules": {"PK101": False}})
    assert severity_of("PK101", locked) == "error"
