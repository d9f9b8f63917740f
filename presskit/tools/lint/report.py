"""What lint found, for people (text), for tools (json) and for GitHub Actions (github)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from presskit.tools.lint.model import Finding
from presskit.tools.lint.registry import RULES
from presskit.wording import plural

FORMATS = ("text", "json", "github")


@dataclass
class Report:
    findings: list[Finding]
    banks: int
    questions: int
    events: int

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


def to_json(f: Finding) -> dict[str, Any]:
    """The stable JSON form; fields are documented in the README and never renamed."""
    return {
        "code": f.code,
        "rule": RULES[f.code].name,
        "severity": f.severity,
        "path": f.path,
        "line": f.line,
        "col": f.col,
        "question": f.question,
        "message": f.message,
        "hint": f.hint,
        "related": [
            {"path": r.path, "line": r.line, "col": r.col, "question": r.question}
            for r in f.related
        ],
    }


def render(report: Report, fmt: str) -> str:
    """The report in one of `FORMATS`."""
    if fmt == "json":
        return (
            json.dumps([to_json(f) for f in report.findings], indent=2, ensure_ascii=False) + "\n"
        )
    if fmt == "github":
        return "".join(_annotation(f) + "\n" for f in report.findings)
    lines = []
    for f in report.findings:
        about = f" [{f.question}]" if f.question else ""
        lines.append(f"{f.path}:{f.line}:{f.col}: {f.severity} {f.code}{about}: {f.message}")
        lines.append(f"    hint: {f.hint}")
        lines.extend(f"    see: {r}" for r in f.related)
    checked = (
        f"{plural(report.banks, 'bank')}, {plural(report.questions, 'question')}, "
        f"{plural(report.events, 'event')}"
    )
    if report.findings:
        lines.append(
            f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')} ({checked})"
        )
    else:
        lines.append(f"no problems ({checked})")
    return "\n".join(lines) + "\n"


def _escape(value: str, *, prop: bool = False) -> str:
    """GitHub workflow-command escaping (properties also escape ':' and ',')."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _annotation(f: Finding) -> str:
    props = ",".join(
        [
            f"file={_escape(f.path, prop=True)}",
            f"line={f.line}",
            f"col={f.col}",
            f"title={_escape(f.code, prop=True)}",
        ]
    )
    about = f"[{f.question}] " if f.question else ""
    message = _escape(f"{about}{f.message}" + "\n" + f"hint: {f.hint}")
    return f"::{f.severity} {props}::{message}"


def describe_rules() -> str:
    """The rule list for `presskit lint --rules` and the README."""
    lines = []
    for r in RULES.values():
        lock = ", always on" if r.locked else ""
        lines.append(f"{r.code} {r.name} ({r.severity}{lock}): {r.summary}")
    return "\n".join(lines) + "\n"
