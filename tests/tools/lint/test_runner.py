"""Running lint: load as validate does, keep going past problems, run the rules."""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from presskit.cli import main
from presskit.errors import PresskitError, Problem, ValidationFailed
from presskit.tools.lint import runner
from presskit.tools.scaffold import new_project
from tests.conftest import REPO
from tests.tools.lint.conftest import (
    BETA,
    GALA,
    case,
    fails_on_its_fixture,
    findings,
    lint,
    passes_on_the_corrected_fixture,
)


def test_the_base_project_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = lint(case(tmp_path), monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert result.stdout == "no problems (2 banks, 6 questions, 1 event)\n"


def test_paths_are_shown_as_the_project_was_given(tmp_path: Path) -> None:
    project = case(tmp_path, "PK104")
    result = lint(project)
    assert result.stdout.startswith(f"{project}/question_banks/beta.yaml:11:11: warning PK104")


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


def test_the_shipped_project_lints_without_errors() -> None:
    """Its only findings are the warnings about the placeholder press contact (PK501)."""
    result = CliRunner().invoke(main, ["lint", "--project", str(REPO), "--format", "json"])
    assert result.exit_code == 0, result.stdout
    assert {f["code"] for f in findings(result)} == {"PK501"}


def test_a_new_project_lints_without_errors_but_flags_its_placeholder_contact(
    tmp_path: Path,
) -> None:
    new_project(tmp_path / "kit")
    result = CliRunner().invoke(main, ["lint", "--project", str(tmp_path / "kit")])
    assert result.exit_code == 0, result.stdout
    assert "warning PK501" in result.stdout
    assert "'Press office (placeholder)'" in result.stdout
    assert "press@example.org is at a domain reserved for examples" in result.stdout


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


@pytest.mark.parametrize("code", ["PK001"])
def test_load_problems_are_pk001_findings(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fails_on_its_fixture(code, tmp_path, monkeypatch)
    passes_on_the_corrected_fixture(code, tmp_path / "pass", monkeypatch)


# `--format json` prints JSON whatever stops loading; each is a PK001 finding and exit 1.


def json_findings(result: Result) -> list[tuple[object, ...]]:
    """The findings parsed from stdout (which must be JSON), as (code, path, line, message)."""
    assert result.exit_code == 1, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    return [(f["code"], f["path"], f["line"], f["message"]) for f in data]


def test_json_when_the_project_path_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = lint(tmp_path / "afile", "--format", "json")
    assert json_findings(result) == [
        ("PK001", f"{tmp_path}/afile/presskit.yaml", 1, "cannot read file: Not a directory")
    ]


def test_json_when_presskit_yaml_is_broken(tmp_path: Path) -> None:
    project = case(tmp_path)
    (project / "presskit.yaml").write_text("name: [unclosed\n")
    found = json_findings(lint(project, "--format", "json"))
    assert [(code, path) for code, path, _, _ in found] == [("PK001", f"{project}/presskit.yaml")]


def test_json_when_the_os_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An OS error while loading (root reads everything here, so it is raised for the test)."""
    project = case(tmp_path)
    bank = str(project / BETA)

    def refuse(root: Path, display: str) -> None:
        raise OSError(errno.EIO, "Input/output error", bank)

    monkeypatch.setattr(runner, "load_partial", refuse)
    found = json_findings(lint(project, "--format", "json"))
    assert found == [("PK001", bank, 1, "Input/output error")]
    text = lint(project)
    assert text.exit_code == 1
    assert text.stdout.startswith(f"{bank}:1:1: error PK001: Input/output error\n")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            PresskitError("the output folder is locked"),
            ("PK001", "P", 1, "the output folder is locked"),
        ),
        (
            ValidationFailed([Problem("events/gala.yaml", 3, 5, "select.count", "too many")]),
            ("PK001", "events/gala.yaml", 3, "select.count: too many"),
        ),
    ],
)
def test_json_when_loading_stops_with_a_user_error(
    error: PresskitError,
    expected: tuple[object, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = case(tmp_path)

    def stop(root: Path, display: str) -> None:
        raise error

    monkeypatch.setattr(runner, "load_partial", stop)
    found = json_findings(lint(project, "--format", "json"))
    assert found == [tuple(str(project) if v == "P" else v for v in expected)]


def test_rule_runs_only_the_rules_named_and_refuses_unknown_codes(tmp_path: Path) -> None:
    project = case(tmp_path, "PK401")
    every = runner.lint_project(project, "p")
    assert {f.code for f in every.findings} == {"PK401"}
    assert runner.lint_project(project, "p", frozenset({"PK303", "PK304"})).findings == []
    result = CliRunner().invoke(main, ["lint", "--project", str(project), "--rule", "pk401"])
    assert result.exit_code == 0 and "PK401" in result.output
    refused = CliRunner().invoke(main, ["lint", "--project", str(project), "--rule", "PK999"])
    assert refused.exit_code == 2
    assert "no rule PK999; `presskit lint --rules` lists them" in refused.output
