"""The command line, through CliRunner (exact output and exit codes) and once for real."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from presskit import __version__
from presskit.cli import main
from tests.conftest import pdf_pages

Edit = Callable[[Path, str, str], None]


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"presskit, version {__version__}\n"


@pytest.mark.parametrize("command", sorted(main.commands))  # type: ignore[attr-defined]
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage: main " + command in result.output
    help_text = main.commands[command].help  # type: ignore[attr-defined]
    assert help_text and help_text.strip()


def test_validate_ok(mini: Path) -> None:
    result = run("validate", "--project", str(mini))
    assert result.exit_code == 0
    assert result.output == ("ok: 2 banks, 7 questions (5 approved), 1 events, "
                             "4 signatories\n")


def test_validate_reports_every_problem_without_traceback(mini: Path, edit: Edit) -> None:
    edit(mini / "question_banks/beta.yaml", "theme: Beta theme", "themes: Beta theme")
    edit(mini / "events/gala.yaml", "venue: Test Hall", "venue:")
    result = run("validate", "--project", str(mini))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{mini}/events/gala.yaml:3:7: venue: Input should be a valid string\n"
        f"{mini}/question_banks/beta.yaml:1:1: theme: required, but missing\n"
        f"{mini}/question_banks/beta.yaml:1:1: themes: unknown key 'themes' "
        "(did you mean 'theme'?)\n"
        "3 problems found; nothing was written.\n")
    assert "Traceback" not in result.output


def test_validate_checks_selections(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "count: 4", "count: 30")
    result = run("validate", "--project", str(mini))
    assert result.exit_code == 1
    assert "select.count: asks for 30 questions but only 5 match (short by 25)" in result.stderr


def test_build_writes_the_kits(mini: Path) -> None:
    result = run("build", "--project", str(mini), "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"built 1 event(s): 5 file(s) in {mini}/output/ (")
    assert pdf_pages(mini / "output/gala/questions.pdf") == 1
    assert not (mini / "output/gala/index.html").exists()


def test_build_with_bad_content_exits_1_and_writes_nothing(mini: Path, edit: Edit) -> None:
    edit(mini / "question_banks/alpha.yaml", "status: approved", "status: aproved")
    result = run("build", "--project", str(mini))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{mini}/question_banks/alpha.yaml:8:13: "
                                    "questions[0].status: must be one of")
    assert not (mini / "output").exists()


def test_bad_usage_exits_2(mini: Path) -> None:
    result = run("build", "--project", str(mini), "--event", "nope")
    assert result.exit_code == 2
    assert "Error: no event named 'nope'; known events: gala" in result.stderr
    assert run("build", "--format", "docx").exit_code == 2


def test_project_defaults_to_the_current_folder(mini: Path, monkeypatch: pytest.MonkeyPatch,
                                                edit: Edit) -> None:
    monkeypatch.chdir(mini)
    edit(mini / "events/gala.yaml", "venue: Test Hall", "venu: Test Hall")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.startswith("events/gala.yaml:1:1: venue: required, but missing\n")


def test_no_project_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == ("presskit.yaml:1:1: file not found\n"
                             "1 problem found; nothing was written.\n")


def test_new_then_build(tmp_path: Path) -> None:
    result = run("new", str(tmp_path / "kit"))
    assert result.exit_code == 0
    assert (tmp_path / "kit/presskit.yaml").is_file()
    assert run("validate", "--project", str(tmp_path / "kit")).exit_code == 0
    assert run("build", "--project", str(tmp_path / "kit"), "--format", "html").exit_code == 0
    again = run("new", str(tmp_path / "kit"))
    assert again.exit_code == 1
    assert "already exists and is not an empty folder" in again.stderr


@pytest.mark.slow
def test_real_subprocess(mini: Path) -> None:
    """`python -m presskit` as a user runs it: exit codes and streams, no traceback."""
    ok = subprocess.run([sys.executable, "-m", "presskit", "build", "--project", str(mini)],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert "built 1 event(s): 6 file(s)" in ok.stdout
    assert pdf_pages(mini / "output/gala/questions.pdf") == 1
    (mini / "question_banks/alpha.yaml").write_text("theme: [unclosed\n")
    bad = subprocess.run([sys.executable, "-m", "presskit", "validate", "--project", str(mini)],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert bad.stderr.startswith(f"{mini}/question_banks/alpha.yaml:2:1: YAML syntax error")
    assert "Traceback" not in bad.stderr
