"""Which rules exist, and how presskit.yaml's `lint:` settings configure them.

The rules are collected from the modules in `MODULES`, in code order. PK001 has no function of
its own: the runner turns every problem loading and selection report into a PK001 finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from presskit.project.models import LintSettings
from presskit.tools.lint.model import Rule, Severity
from presskit.tools.lint.rules import (
    contacts,
    events,
    languages,
    questions,
    review,
    settings,
    signatories,
)

MODULES: tuple[ModuleType, ...] = (
    settings,
    questions,
    review,
    events,
    signatories,
    languages,
    contacts,
)

INVALID = Rule(
    "PK001",
    "invalid",
    "error",
    "The project does not validate (YAML, schema, files, references, "
    "selection): the same problems `presskit validate` reports.",
    None,
    locked=True,
)


def rules_in(module: ModuleType) -> list[Rule]:
    """The rules a rule module defines, in the order it defines them."""
    return [value for value in vars(module).values() if isinstance(value, Rule)]


def registry(rules: Iterable[Rule]) -> dict[str, Rule]:
    """Rules by code, in code order; two rules with one code are a bug."""
    by_code: dict[str, Rule] = {}
    for rule in sorted(rules, key=lambda r: r.code):
        if rule.code in by_code:
            raise ValueError(f"rule {rule.code} registered twice")
        by_code[rule.code] = rule
    return by_code


RULES: dict[str, Rule] = registry([INVALID, *(r for m in MODULES for r in rules_in(m))])


def severity_of(code: str, lint: LintSettings) -> Severity | None:
    """The configured severity of a rule, or None if it is turned off."""
    rule = RULES[code]
    setting = lint.rules.get(code, True)
    if rule.locked or setting is True:
        return rule.severity
    if setting is False:
        return None
    return setting
