"""The command line, through CliRunner (exact output and exit codes) and once for real."""

from __future__ import annotations

import re
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
    assert result.output == ("ok: 2 banks, 7 questions (5 approved), 1 event, 4 signatories\n")


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
        "3 problems found; nothing was written.\n"
    )
    assert "Traceback" not in result.output


def test_validate_checks_selections(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "count: 4", "count: 30")
    result = run("validate", "--project", str(mini))
    assert result.exit_code == 1
    assert "select.count: asks for 30 questions but only 5 match (short by 25)" in result.stderr


@pytest.mark.slow
def test_build_writes_the_kits(mini: Path) -> None:
    result = run("build", "--project", str(mini), "--format", "pdf")
    assert result.exit_code == 0, result.output
    out = re.escape(f"{mini}/output/")
    assert re.fullmatch(
        rf"1 kit built, 0 unchanged, 5 files written in {out} \(\d+\.\d s\)\n", result.output
    )
    assert pdf_pages(mini / "output/gala/questions.pdf") == 1
    assert not (mini / "output/gala/index.html").exists()


def test_build_with_bad_content_exits_1_and_writes_nothing(mini: Path, edit: Edit) -> None:
    edit(mini / "question_banks/alpha.yaml", "status: approved", "status: aproved")
    result = run("build", "--project", str(mini))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{mini}/question_banks/alpha.yaml:8:13: questions[0].status: must be one of"
    )
    assert not (mini / "output").exists()


def test_bad_usage_exits_2(mini: Path) -> None:
    result = run("build", "--project", str(mini), "--event", "nope")
    assert result.exit_code == 2
    assert "Error: no event named 'nope'; known events: gala" in result.stderr
    assert run("build", "--format", "docx").exit_code == 2


def test_project_defaults_to_the_current_folder(
    mini: Path, monkeypatch: pytest.MonkeyPatch, edit: Edit
) -> None:
    monkeypatch.chdir(mini)
    edit(mini / "events/gala.yaml", "venue: Test Hall", "venu: Test Hall")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.startswith("events/gala.yaml:1:1: venue: required, but missing\n")


def test_no_project_here_nor_above(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in ("build", "validate", "stats", "questions"):
        result = run(command)
        assert result.exit_code == 1
        assert result.stderr == (
            "error: no presskit.yaml found here or in any parent folder; "
            "to start a project: presskit new DIR\n"
        )


def test_a_project_folder_without_presskit_yaml(tmp_path: Path) -> None:
    result = run("validate", "--project", str(tmp_path / "kit"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: no presskit.yaml in {tmp_path}/kit/; give the folder that holds it, "
        f"or start a project there: presskit new {tmp_path}/kit\n"
    )


def test_a_subfolder_finds_its_project_as_git_does(
    mini: Path, monkeypatch: pytest.MonkeyPatch, edit: Edit
) -> None:
    monkeypatch.chdir(mini / "question_banks")
    assert run("validate").output == (
        "ok: 2 banks, 7 questions (5 approved), 1 event, 4 signatories\n"
    )
    edit(mini / "events/gala.yaml", "venue: Test Hall", "venu: Test Hall")
    result = run("validate")
    assert result.stderr.startswith("../events/gala.yaml:1:1: venue: required, but missing\n")
    lint = run("lint", "--format", "json")
    assert '"path": "../events/gala.yaml"' in lint.output


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
    ok = subprocess.run(
        [sys.executable, "-m", "presskit", "build", "--project", str(mini)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "1 kit built, 0 unchanged, 6 files written in" in ok.stdout
    assert pdf_pages(mini / "output/gala/questions.pdf") == 1
    (mini / "question_banks/alpha.yaml").write_text("theme: [unclosed\n")
    bad = subprocess.run(
        [sys.executable, "-m", "presskit", "validate", "--project", str(mini)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith(f"{mini}/question_banks/alpha.yaml:2:1: YAML syntax error")
    assert "Traceback" not in bad.stderr


@pytest.mark.slow
def test_build_summary_counts_built_and_unchanged_kits(mini: Path) -> None:
    first = run("build", "--project", str(mini), "--jobs", "1")
    assert first.exit_code == 0
    assert first.stderr == ""  # no progress bar when stderr is not a terminal
    assert first.output.startswith("1 kit built, 0 unchanged, 6 files written in ")
    again = run("build", "--project", str(mini), "--jobs", "1")
    assert again.output.startswith("0 kits built, 1 unchanged, 0 files written in ")
    forced = run("build", "--project", str(mini), "--jobs", "1", "--force", "--debug-html")
    assert forced.output.startswith("1 kit built, 0 unchanged, 3 files written in ")  # the HTML


@pytest.mark.slow
def test_build_quiet_and_verbose(mini: Path, edit: Edit) -> None:
    quiet = run("build", "--project", str(mini), "--jobs", "1", "-q")
    assert (quiet.exit_code, quiet.output) == (0, "")
    edit(mini / "question_banks/beta.yaml", "What does beta one ask?", "What now?")
    verbose = run("build", "--project", str(mini), "--jobs", "1", "--verbose")
    files = [
        "gala/gala-press-kit.zip",
        "gala/index.html",
        "gala/pocket-card.pdf",
        "gala/press-kit.pdf",
        "gala/questions.pdf",
        "index.html",
    ]
    lines = verbose.output.splitlines()
    assert lines[:-1] == [f"wrote     {name}" for name in files]
    assert lines[-1].startswith("1 kit built, 0 unchanged, 6 files written in ")
    again = run("build", "--project", str(mini), "-v").output.splitlines()
    assert again[:-1] == [f"unchanged {name}" for name in files]
    assert again[-1].startswith("0 kits built, 1 unchanged, 0 files written in ")
    both = run("build", "--project", str(mini), "-q", "-v")
    assert both.exit_code == 2
    assert "Error: --quiet and --verbose cannot be used together" in both.stderr
    assert run("build", "--project", str(mini), "--jobs", "0").exit_code == 2


@pytest.mark.slow
def test_a_worker_error_is_one_clean_message(mini: Path) -> None:
    (mini / "templates").mkdir()
    (mini / "templates/press-kit.html.j2").write_text(
        '{% extends "builtin/press-kit.html.j2" %}'
        '{% block cover %}<img src="http://127.0.0.1:9/x.png">{% endblock %}'
    )
    result = run("build", "--project", str(mini), "--jobs", "2")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: gala/press-kit.pdf: refused to load http://127.0.0.1:9/x.png (remote files are "
        "off; set allow_remote_assets: true in presskit.yaml to allow http and https; from "
        "templates/press-kit.html.j2:1)\n"
    )
    assert not (mini / "output").exists()


IMPORTS_AFTER = """
import sys
from presskit.cli import main
try:
    main(sys.argv[1:], prog_name="presskit")
except SystemExit:
    pass
heavy = ["weasyprint", "jinja2", "yaml", "pydantic", "markdown_it", "babel"]
print(" ".join(name for name in heavy if name in sys.modules))
"""


@pytest.mark.parametrize(
    ("args", "imported"),
    [
        (["--help"], ""),
        (["build", "--help"], ""),
        (["validate"], "yaml pydantic"),
    ],
)
def test_help_and_validate_stay_light(mini: Path, args: list[str], imported: str) -> None:
    """--help imports no library beyond click; validate never imports WeasyPrint or Jinja2."""
    args = [a.replace("validate", f"validate --project={mini}") for a in args]
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS_AFTER, *" ".join(args).split()],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == imported
