"""Lint reports: text for people, JSON for tools, annotations for GitHub Actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.tools.lint.report import Report, render
from tests.tools.lint.conftest import case, findings, lint


def test_text_output_names_place_rule_question_message_and_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = lint(case(tmp_path, "PK103"), monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert result.stdout == (
        "question_banks/beta.yaml:4:11: warning PK103 [b-speak]: reads 84% like 'b-new' "
        "('When did you last speak up for a co-worker?')\n"
        "    hint: Merge them, reword them so each asks something different, or retire some.\n"
        "    see: question_banks/beta.yaml:11:11 (b-new)\n"
        "0 errors, 1 warning (2 banks, 7 questions, 1 event)\n"
    )


def test_json_is_the_documented_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = lint(case(tmp_path, "PK202"), "--format", "json", monkeypatch=monkeypatch)
    assert findings(result)[0] == {
        "code": "PK202",
        "rule": "pins-unapproved",
        "severity": "error",
        "path": "events/gala.yaml",
        "line": 7,
        "col": 12,
        "question": "a-draft",
        "message": "pins 'a-draft', which is draft",
        "hint": "Approve the question, or unpin it.",
        "related": [
            {"path": "question_banks/alpha.yaml", "line": 14, "col": 13, "question": "a-draft"}
        ],
    }


def test_github_format_prints_workflow_annotations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = lint(case(tmp_path, "PK101"), "--format", "github", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=question_banks/beta.yaml,line=10,col=9,title=PK101::[a-listen] duplicate "
        "question id 'a-listen' (first used at question_banks/alpha.yaml:3)%0Ahint: Give this "
        "question a new id; ids are never reused, not even those of retired questions.\n"
    )
    warning = lint(case(tmp_path / "w", "PK103"), "--format", "github")
    assert warning.stdout.startswith("::warning file=")
    assert "title=PK103::[b-speak] reads 84%25 like 'b-new'" in warning.stdout


def test_render_without_findings() -> None:
    assert render(Report([], 1, 1, 1), "json") == "[]\n"
    assert render(Report([], 1, 1, 1), "github") == ""
