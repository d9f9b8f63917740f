"""`presskit lint`: schema validation, then editorial rules, as located findings with hints.

Validation (the same loader and selection checks `validate` and `build` run, kept going past
problems) comes first and never crashes lint: every problem it reports becomes a finding. The
editorial rules then run over whatever did load.

- `model`: the shared vocabulary (Place, Hit, Finding, Corpus, Rule and the `@rule` decorator);
- `rules/`: the rules, one module per kind of thing checked (settings, questions, events,
  signatories, languages); a rule is a `@rule(code, name, severity, summary)` function that
  yields `Hit`s. To add a rule, write one such function;
- `registry`: which rules exist and how presskit.yaml's `lint:` settings configure them;
- `runner`: load, run the enabled rules, drop silenced hits, collect the findings;
- `report`: the findings as text, JSON or GitHub annotations.
"""

from __future__ import annotations

from presskit.tools.lint.registry import RULES
from presskit.tools.lint.report import Report, describe_rules, render
from presskit.tools.lint.runner import lint_project
from presskit.tools.lint.text import similarity

__all__ = ["RULES", "Report", "describe_rules", "lint_project", "render", "similarity"]
