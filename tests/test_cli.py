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
        rf"1 kit built, 0 unchanged, 6 files written in {out} \(\d+\.\d s\)\n", result.output
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
    assert "1 kit built, 0 unchanged, 7 files written in" in ok.stdout
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
    assert first.output.startswith("1 kit built, 0 unchanged, 7 files written in ")
    again = run("build", "--project", str(mini), "--jobs", "1")
    assert again.output.startswith("0 kits built, 1 unchanged, 0 files written in ")
    forced = run("build", "--project", str(mini), "--jobs", "1", "--force", "--debug-html")
    assert forced.output.startswith("1 kit built, 0 unchanged, 4 files written in ")  # the HTML


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
        "gala/pocket-cards-sheet.pdf",
        "gala/press-kit.pdf",
        "gala/questions.pdf",
        "index.html",
    ]
    lines = verbose.output.splitlines()
    assert lines[:-1] == [f"wrote     {name}" for name in files]
    assert lines[-1].startswith("1 kit built, 0 unchanged, 7 files written in ")
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


# Operating-system errors: one line naming the path and the reason, exit 1, no traceback.
# Tests run as root, which ignores permissions, so the OS refuses in other ways here.


def test_an_output_folder_that_is_a_file_is_one_line(mini: Path) -> None:
    out = mini / "output"
    out.mkdir()
    (out / "gala").write_text("not a folder")
    result = run("build", "--project", str(mini), "--format", "html")
    assert result.exit_code == 1
    assert result.stderr == f"error: {out}/gala: File exists\n"
    assert (out / "gala").read_text() == "not a folder"


def test_an_output_path_under_a_file_is_one_line(mini: Path, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = run("build", "--project", str(mini), "--out", str(tmp_path / "afile/out"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: cannot lock the output folder ({tmp_path}/afile/")
    assert result.stderr.endswith(": Not a directory\n")


def test_a_project_path_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = run("validate", "--project", str(tmp_path / "afile"))
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Directory '{tmp_path}/afile' is a file.\n")
    assert "Traceback" not in result.output


FSIZE_BUILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
from presskit.cli import main
main(sys.argv[1:], prog_name="presskit")
"""


@pytest.mark.slow
def test_a_file_size_limit_is_one_line_and_leaves_no_partial_file(mini: Path) -> None:
    """RLIMIT_FSIZE makes the first large write fail with EFBIG (a full disk, likewise)."""
    done = subprocess.run(
        [sys.executable, "-c", FSIZE_BUILD, "build", "--project", str(mini), "--jobs", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    named = re.fullmatch(rf"error: ({mini}/output/gala/[\w.-]+): File too large\n", done.stderr)
    assert named, done.stderr
    assert not Path(named[1]).exists()  # not half-written: not there at all
    left = [p for p in (mini / "output").rglob("*") if p.is_file()]
    assert all(p.stat().st_size < 20_000 for p in left)
    assert not [p for p in left if p.name.endswith(".tmp")]


def test_a_broken_pipe_is_left_to_click(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that went away (`presskit questions | head`) is not reported as an error."""

    def gone(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(click, "echo", gone)
    result = CliRunner().invoke(main, ["validate", "--project", str(mini)])
    assert result.exit_code == 1
    assert "error:" not in result.output


# Bad paths for `presskit new` and `presskit schema --write`: one line, exit 1, nothing written.


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("afile", "afile already exists and is not an empty folder; choose a new folder name"),
        ("afile/kit", "afile/kit: afile is not a folder; choose another path"),
        ("full", "full already exists and is not an empty folder; choose a new folder name"),
        ("/dev/full/kit", "/dev/full/kit: /dev/full is not a folder; choose another path"),
        (
            "/proc/kit",
            "/proc/kit: cannot write there (No such file or directory); nothing was written",
        ),
    ],
)
def test_new_refuses_a_bad_path_in_one_line(
    where: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    (tmp_path / "full").mkdir()
    (tmp_path / "full/notes.txt").write_text("mine")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = run("new", where)
    assert result.exit_code == 1
    assert result.stderr == f"error: {message}\n"
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


NEW_UNDER_FSIZE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (2_000, 2_000))
from presskit.cli import main
main(sys.argv[1:], prog_name="presskit")
"""


def test_new_that_fails_midway_leaves_nothing(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", NEW_UNDER_FSIZE, "new", "a/kit"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == "error: a/kit: cannot write there (File too large); nothing was written\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("schemas", "{p}/schemas: is not a folder; choose another path"),
        ("/dev/full", "/dev/full/schemas: /dev/full is not a folder; choose another path"),
    ],
)
def test_schema_write_refuses_a_bad_path_in_one_line(
    layout: str, message: str, tmp_path: Path
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "schemas").write_text("a file")
    where = project if layout == "schemas" else Path(layout)
    result = run("schema", "--write", "--project", str(where))
    assert result.exit_code == 1
    assert result.stderr == "error: " + message.format(p=project) + "\n"
    assert (project / "schemas").read_text() == "a file"
