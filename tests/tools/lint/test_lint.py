"""`presskit lint`: every rule fails on its fixture and passes on the corrected one.

tests/fixtures/lint/base is a clean project; tests/fixtures/lint/<CODE>/{fail,pass}/ hold the
files that replace base's to break (or to fix) exactly what rule <CODE> checks.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from presskit.cli import main
from presskit.tools.lint import RULES, render, similarity
from presskit.tools.scaffold import new_project
from tests.conftest import FIXTURES, REPO

LINT = FIXTURES / "lint"
BETA = "question_banks/beta.yaml"
GALA = "events/gala.yaml"

# rule -> (exit code, [(path, line, col, question id)]) for its failing fixture.
FAILING: dict[str, tuple[int, list[tuple[str, int, int, str | None]]]] = {
    "PK001": (1, [(BETA, 12, 5, None), (BETA, 13, 13, None)]),
    "PK002": (
        1,
        [("presskit.yaml", 5, 5, None), ("presskit.yaml", 6, 5, None), (BETA, 14, 17, "b-new")],
    ),
    "PK003": (1, [(BETA, 14, 11, "b-new")]),
    "PK101": (1, [(BETA, 10, 9, "a-listen")]),
    "PK102": (1, [(BETA, 11, 11, "b-new"), (BETA, 17, 11, "b-truth-again")]),
    "PK103": (0, [(BETA, 11, 11, "b-new")]),
    "PK104": (0, [(BETA, 11, 11, "b-new")]),
    "PK105": (0, [(BETA, 11, 11, "b-new")]),
    "PK106": (0, [(BETA, 11, 11, "b-new"), (BETA, 14, 11, "b-ally")]),
    "PK107": (0, [(BETA, 12, 5, "b-new"), (BETA, 16, 18, "b-help")]),
    "PK201": (1, [(GALA, 6, 18, None), (GALA, 7, 10, None), (GALA, 9, 12, None)]),
    "PK202": (1, [(GALA, 7, 12, "a-draft"), (GALA, 7, 21, "a-old")]),
    "PK203": (1, [(GALA, 6, 10, None)]),
    "PK301": (1, [("campaign/signatories.yaml", 6, 11, None)]),
    "PK401": (0, [(BETA, 1, 1, None), (BETA, 3, 5, "b-speak")]),
}


def case(tmp_path: Path, code: str | None = None, kind: str = "fail") -> Path:
    """A copy of the clean base project with rule `code`'s fixture files laid over it."""
    target = tmp_path / "project"
    shutil.copytree(LINT / "base", target)
    if code is not None:
        shutil.copytree(LINT / code / kind, target, dirs_exist_ok=True)
    return target


def lint(project: Path, *args: str, monkeypatch: pytest.MonkeyPatch | None = None) -> Result:
    if monkeypatch is not None:
        monkeypatch.chdir(project)
        return CliRunner().invoke(main, ["lint", *args])
    return CliRunner().invoke(main, ["lint", "--project", str(project), *args])


def findings(result: Result) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(result.stdout)
    return data


def test_every_rule_has_fixtures() -> None:
    assert set(FAILING) == set(RULES)
    for code in RULES:
        assert (LINT / code / "fail").is_dir() and (LINT / code / "pass").is_dir(), code


def test_the_base_project_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = lint(case(tmp_path), monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert result.stdout == "no problems (2 banks, 6 questions, 1 event)\n"


@pytest.mark.parametrize("code", sorted(FAILING))
def test_rule_fails_on_its_fixture(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exit_code, expected = FAILING[code]
    result = lint(case(tmp_path, code), "--format", "json", monkeypatch=monkeypatch)
    found = findings(result)
    assert [(f["path"], f["line"], f["col"], f["question"]) for f in found] == expected, found
    assert {f["code"] for f in found} == {code}
    assert {f["severity"] for f in found} == {"error" if exit_code else "warning"}
    assert all(f["message"] and f["hint"] for f in found)
    assert result.exit_code == exit_code


@pytest.mark.parametrize("code", sorted(FAILING))
def test_rule_passes_on_the_corrected_fixture(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = lint(case(tmp_path, code, "pass"), "--format", "json", monkeypatch=monkeypatch)
    assert findings(result) == []
    assert result.exit_code == 0


def test_text_output_names_place_rule_question_message_and_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = lint(case(tmp_path, "PK103"), monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert result.stdout == (
        "question_banks/beta.yaml:11:11: warning PK103 [b-new]: 84% similar to 'b-speak' "
        "('When did you last speak up for a colleague?')\n"
        "    hint: Merge them, reword one so each asks something different, or retire one.\n"
        "    see: question_banks/beta.yaml:4:11 (b-speak)\n"
        "0 errors, 1 warning (2 banks, 7 questions, 1 event)\n"
    )


def test_paths_are_shown_as_the_project_was_given(tmp_path: Path) -> None:
    project = case(tmp_path, "PK104")
    result = lint(project)
    assert result.stdout.startswith(f"{project}/question_banks/beta.yaml:11:11: warning PK104")


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
    assert "title=PK103::[b-new] 84%25 similar" in warning.stdout


def test_rules_can_be_turned_off_made_errors_and_tuned(
    tmp_path: Path, edit: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path, "PK104")
    config = project / "presskit.yaml"
    with config.open("a") as handle:
        handle.write("lint:\n  rules:\n    PK104: error\n")
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


def test_a_silence_covers_both_questions_of_a_pair(
    tmp_path: Path, edit: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path, "PK103")
    edit(
        project / BETA,
        "  - id: b-power\n",
        "    lint:\n      ignore:\n        - rule: PK103\n          reason: Asked of crews.\n"
        "  - id: b-power\n",
    )
    result = lint(project, monkeypatch=monkeypatch)
    assert (result.exit_code, result.stdout) == (0, "no problems (2 banks, 7 questions, 1 event)\n")


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


def test_a_broken_file_is_a_finding_and_the_rest_is_still_linted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path, "PK104")
    (project / "question_banks/alpha.yaml").write_text("theme: [unclosed\n")
    result = lint(project, "--format", "json", monkeypatch=monkeypatch)
    found = [(f["code"], f["path"], f["line"], f["col"]) for f in findings(result)]
    assert found == [("PK001", "question_banks/alpha.yaml", 2, 1), ("PK104", BETA, 11, 11)]
    # Without alpha, gala's pin and count cannot be judged: no false PK201/PK203.
    assert result.exit_code == 1


def test_no_project_is_one_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["lint"])
    assert result.exit_code == 1
    assert result.stdout.startswith("presskit.yaml:1:1: error PK001: file not found\n")


def test_lint_reports_what_selection_would_refuse(
    tmp_path: Path, edit: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project that loads but cannot be built: the selection problem is a finding too."""
    project = case(tmp_path)
    edit(project / GALA, "count: 3", "count: 1\n  pinned_note: x")  # invalid key
    result = findings(lint(project, "--format", "json", monkeypatch=monkeypatch))
    assert [(f["code"], f["line"]) for f in result] == [("PK001", 7)]
    project2 = case(tmp_path / "two")
    edit(project2 / GALA, "pinned: [b-speak]", "pinned: [b-speak, a-listen]\n  exclude: [a-listen]")
    both = findings(lint(project2, "--format", "json"))
    assert [(f["code"], f["message"]) for f in both] == [
        ("PK001", "select.pinned[1]: 'a-listen' is both pinned and excluded")
    ]


def test_rules_are_listed(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "--rules"])
    assert result.exit_code == 0
    for code, rule in RULES.items():
        assert f"{code} {rule.name} ({rule.severity}" in result.stdout


def test_similarity_is_over_words() -> None:
    assert similarity(
        "When did you last speak up for a colleague?", "when did you last speak up for a co-worker?"
    ) == pytest.approx(16 / 19)
    assert (
        similarity("What does being an ally mean to you?", "What does accountability mean to you?")
        < 0.8
    )


def test_the_shipped_project_lints_without_errors() -> None:
    result = CliRunner().invoke(main, ["lint", "--project", str(REPO)])
    assert result.exit_code == 0, result.stdout
    assert " 0 errors" in result.stdout or result.stdout.startswith("no problems")


def test_a_new_project_lints_without_errors(tmp_path: Path) -> None:
    new_project(tmp_path / "kit")
    result = CliRunner().invoke(main, ["lint", "--project", str(tmp_path / "kit")])
    assert result.exit_code == 0, result.stdout


def test_render_without_findings() -> None:
    from presskit.tools.lint import Report

    assert render(Report([], 1, 1, 1), "json") == "[]\n"
    assert render(Report([], 1, 1, 1), "github") == ""


def test_the_pre_commit_hook_runs_lint_on_the_project() -> None:
    import re
    import shlex
    import tomllib

    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["presskit-lint"]
    hook = hooks[0]
    assert hook["language"] == "python"  # pre-commit pip-installs this repository
    assert hook["pass_filenames"] is False
    command, *args = shlex.split(hook["entry"])
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts[command] == "presskit.cli:main"
    for changed in ("presskit.yaml", "question_banks/allyship.yaml", "campaign/letter.md"):
        assert re.search(hook["files"], changed), changed
    assert not re.search(hook["files"], "presskit/lint.py")
    result = CliRunner().invoke(main, [*args, "--project", str(REPO)])
    assert result.exit_code == 0, result.output
