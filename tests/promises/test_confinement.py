"""Nothing a project holds may read the machine's files, reach the network or write outside the
output folder: symbolic links, file:// and http:// URLs, hostile templates, `..` in paths."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from presskit.cli import main
from presskit.errors import PresskitError, RenderError
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.pipeline.output import confined, event_folder
from presskit.project.loading import load_project
from tests.conftest import PNG_1PX

Edit = Callable[[Path, str, str], None]
LINK_OUT = "is a symbolic link leading outside the project; refused"


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def validate_errors(project: Path) -> list[str]:
    result = run("validate", "--project", str(project))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("found; nothing was written.")
    return lines[:-1]


def override(project: Path, name: str, text: str) -> None:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / name).write_text(text, encoding="utf-8")


# --- symbolic links out of the project --------------------------------------------------------


def test_bank_file_linked_to_etc_passwd_is_refused(mini: Path) -> None:
    (mini / "question_banks/evil.yaml").symlink_to("/etc/passwd")
    assert validate_errors(mini) == [f"{mini}/question_banks/evil.yaml:1:1: {LINK_OUT}"]


def test_event_file_linked_outside_is_refused_even_when_valid(mini: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    shutil.copy(mini / "events/gala.yaml", outside)
    (mini / "events/copy.yaml").symlink_to(outside)
    assert validate_errors(mini) == [f"{mini}/events/copy.yaml:1:1: {LINK_OUT}"]


def test_links_inside_the_project_are_fine(mini: Path) -> None:
    (mini / "shared").mkdir()
    (mini / "question_banks/alpha.yaml").rename(mini / "shared/alpha.yaml")
    (mini / "question_banks/alpha.yaml").symlink_to(mini / "shared/alpha.yaml")
    assert run("validate", "--project", str(mini)).exit_code == 0


def test_campaign_files_and_folders_linked_outside_are_refused(mini: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for name in ["campaign/letter.md", "campaign/signatories.yaml"]:
        shutil.copy(mini / name, outside)
        (mini / name).unlink()
        (mini / name).symlink_to(outside / Path(name).name)
    shutil.move(mini / "events", outside / "events")
    (mini / "events").symlink_to(outside / "events")
    assert validate_errors(mini) == [
        f"{mini}/presskit.yaml:1:1: events: folder events {LINK_OUT}",
        f"{mini}/presskit.yaml:1:1: letter: file campaign/letter.md {LINK_OUT}",
        f"{mini}/presskit.yaml:1:1: signatories: file campaign/signatories.yaml {LINK_OUT}",
    ]


def test_letter_linked_to_etc_passwd_is_never_read(mini: Path) -> None:
    (mini / "campaign/letter.md").unlink()
    (mini / "campaign/letter.md").symlink_to("/etc/passwd")
    result = run("build", "--project", str(mini))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{mini}/presskit.yaml:1:1: letter: file campaign/letter.md "
        f"{LINK_OUT}\n1 problem found; nothing was written.\n"
    )
    assert not (mini / "output").exists()


def test_campaign_file_linked_outside_is_refused(mini: Path, tmp_path: Path) -> None:
    shutil.move(mini / "presskit.yaml", tmp_path / "presskit.yaml")
    (mini / "presskit.yaml").symlink_to(tmp_path / "presskit.yaml")
    assert validate_errors(mini) == [f"{mini}/presskit.yaml:1:1: {LINK_OUT}"]


def test_templates_folder_linked_outside_is_refused(mini: Path, tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl/onepager.html.j2").write_text("stolen")
    (mini / "templates").symlink_to(tmp_path / "tpl")
    with pytest.raises(
        RenderError,
        match=r"^templates/: a symbolic link leading outside the "
        r"project; refused$",
    ):
        build(load_project(mini), BuildOptions(out=mini / "out"))
    assert not (mini / "out").exists()


def test_template_file_linked_outside_is_refused(mini: Path) -> None:
    (mini / "templates").mkdir()
    (mini / "templates/onepager.html.j2").symlink_to("/etc/passwd")
    with pytest.raises(
        RenderError,
        match=r"^templates/onepager\.html\.j2: a symbolic link "
        r"leading outside the project; refused$",
    ):
        build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    assert not (mini / "out").exists()


@pytest.mark.slow
def test_asset_linked_outside_is_refused_and_named(mini: Path, tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG_1PX)
    (mini / "logo.png").symlink_to(tmp_path / "logo.png")
    override(
        mini,
        "questions.html.j2",
        '{% extends "builtin/questions.html.j2" %}\n'
        '{% block header %}<img src="logo.png" alt="logo">{% endblock %}',
    )
    with pytest.raises(RenderError) as exc:
        build(load_project(mini), BuildOptions(out=mini / "out"))
    assert str(exc.value.message) == (
        f"gala/questions.pdf: refused to load {(mini / 'logo.png').as_uri()} (a symbolic link "
        "leading outside the project; from templates/questions.html.j2:2)"
    )
    assert not (mini / "out").exists()


# --- file:// and the network -------------------------------------------------------------------


@pytest.mark.slow
def test_image_at_etc_passwd_is_refused_and_named(mini: Path) -> None:
    override(
        mini,
        "press-kit.html.j2",
        '{% extends "builtin/press-kit.html.j2" %}\n'
        '{% block cover %}\n<img src="file:///etc/passwd">{% endblock %}',
    )
    result = run("build", "--project", str(mini))
    assert result.exit_code == 1
    assert result.stderr == (
        "error: gala/press-kit.pdf: refused to load file:///etc/passwd "
        "(outside the project; from templates/press-kit.html.j2:3)\n"
    )
    assert not (mini / "output").exists()


@pytest.mark.slow
def test_remote_assets_are_refused_and_the_server_sees_nothing(
    mini: Path, loopback: tuple[str, list[str]]
) -> None:
    base, seen = loopback
    override(
        mini,
        "press-kit.html.j2",
        '{% extends "builtin/press-kit.html.j2" %}\n'
        f'{{% block cover %}}<img src="{base}/logo.png" alt="">'
        f'<link rel="stylesheet" href="{base}/x.css">'
        f'<link rel="attachment" href="{base}/secret.txt">'
        f'<p style="background: url({base}/bg.png)">x</p>{{% endblock %}}',
    )
    with pytest.raises(RenderError) as exc:
        build(load_project(mini), BuildOptions(out=mini / "out"))
    message = str(exc.value.message)
    assert message.startswith("gala/press-kit.pdf: refused to load ")
    for path in ["/bg.png", "/logo.png", "/x.css"]:
        assert (
            f"{base}{path} (remote files are off; set allow_remote_assets: true in "
            "presskit.yaml to allow http and https; from templates/press-kit.html.j2:2)" in message
        ), path
    assert seen == []
    assert not (mini / "out").exists()


@pytest.mark.slow
def test_remote_assets_when_the_campaign_allows_them(
    mini: Path, loopback: tuple[str, list[str]]
) -> None:
    base, seen = loopback
    with (mini / "presskit.yaml").open("a") as handle:
        handle.write("allow_remote_assets: true\n")
    override(
        mini,
        "press-kit.html.j2",
        '{% extends "builtin/press-kit.html.j2" %}\n'
        f'{{% block cover %}}<img src="{base}/logo.png" alt="logo">{{% endblock %}}',
    )
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"pdf"})))
    assert seen == ["/logo.png"]
    first_page = PdfReader(mini / "out/gala/press-kit.pdf").pages[0]
    assert len(first_page.images) == 1


@pytest.mark.slow
def test_other_schemes_are_refused_even_with_remote_assets(mini: Path) -> None:
    with (mini / "presskit.yaml").open("a") as handle:
        handle.write("allow_remote_assets: true\n")
    override(
        mini,
        "questions.html.j2",
        '{% extends "builtin/questions.html.j2" %}'
        '{% block header %}<img src="ftp://127.0.0.1/x.png">'
        '<img src="file:///etc/hostname">{% endblock %}',
    )
    with pytest.raises(RenderError) as exc:
        build(load_project(mini), BuildOptions(out=mini / "out"))
    assert str(exc.value.message) == (
        "gala/questions.pdf: refused to load file:///etc/hostname (outside the project; from "
        "templates/questions.html.j2:1), ftp://127.0.0.1/x.png (the ftp: scheme is not allowed; "
        "from templates/questions.html.j2:1)"
    )


# --- hostile project templates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "templates/onepager.html.j2:1: blocked by the template sandbox",
        ),
        (
            "{{ campaign.__class__.__init__.__globals__ }}",
            "templates/onepager.html.j2:1: blocked by the template sandbox",
        ),
        ("{{ lipsum.__globals__.os.popen('id').read() }}", "templates/onepager.html.j2:1: "),
        ("{{ cycler.__init__.__globals__.os }}", "templates/onepager.html.j2:1: "),
        ('{% include "../presskit.yaml" %}', "template not found: ../presskit.yaml"),
        ('{% include "/etc/passwd" %}', "template not found: /etc/passwd"),
        ('{% extends "builtin/../../cli.py" %}', "template not found: builtin/../../cli.py"),
    ],
)
def test_hostile_project_template_is_stopped(mini: Path, template: str, expected: str) -> None:
    override(mini, "onepager.html.j2", template)
    with pytest.raises(RenderError) as exc:
        build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    assert str(exc.value.message).startswith(expected)
    assert not (mini / "out").exists()


def test_project_template_output_is_still_escaped(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "name: Test Gala", "name: '<script>alert(1)</script>'")
    override(mini, "onepager.html.j2", "<h1>{{ event.name }}</h1>{{ event.name|lower }}")
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    policy, html = (mini / "out/gala/index.html").read_text().split("\n", 1)
    assert policy.startswith('<meta http-equiv="Content-Security-Policy"')
    assert html == (
        "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>&lt;script&gt;alert(1)&lt;/script&gt;"
    )


# --- output paths ------------------------------------------------------------------------------


@pytest.mark.parametrize("part", ["..", ".", "", "/etc", "a/b", "..\\x", "x\0y"])
def test_output_names_cannot_leave_the_folder(tmp_path: Path, part: str) -> None:
    with pytest.raises(PresskitError, match="refusing to write outside the output folder"):
        confined(tmp_path, part)


@pytest.mark.parametrize("slug", ["..", "../etc", "/tmp/x", "Gala", "a..b", "a_b", ""])
def test_event_folders_must_be_slugs(tmp_path: Path, slug: str) -> None:
    with pytest.raises(PresskitError, match="is not a safe folder name"):
        event_folder(tmp_path, slug)


def test_event_file_names_must_be_slugs(mini: Path) -> None:
    shutil.copy(mini / "events/gala.yaml", mini / "events/..gala.yaml")
    shutil.copy(mini / "events/gala.yaml", mini / "events/Big Gala.yaml")
    assert validate_errors(mini) == [
        f"{mini}/events/..gala.yaml:1:1: file name '..gala.yaml' must be a slug like "
        "'red-carpet-2027.yaml' (lowercase, digits, hyphens)",
        f"{mini}/events/Big Gala.yaml:1:1: file name 'Big Gala.yaml' must be a slug like "
        "'red-carpet-2027.yaml' (lowercase, digits, hyphens)",
    ]


def test_unknown_event_slugs_are_usage_errors(mini: Path) -> None:
    result = run("build", "--project", str(mini), "--event", "../../etc")
    assert result.exit_code == 2
    assert "no event named '../../etc'" in result.stderr


def test_symlinked_event_folder_in_the_output_is_refused(mini: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (mini / "out").mkdir()
    (mini / "out/gala").symlink_to(outside)
    with pytest.raises(PresskitError, match="refusing to write outside the output folder"):
        build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    assert list(outside.iterdir()) == []


def test_symlinked_output_file_is_refused(mini: Path, tmp_path: Path) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("keep me")
    (mini / "out/gala").mkdir(parents=True)
    (mini / "out/gala/index.html").symlink_to(target)
    with pytest.raises(PresskitError, match="refusing to write outside the output folder"):
        build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    assert target.read_text() == "keep me"


def test_paths_in_presskit_yaml_stay_inside(mini: Path) -> None:
    with (mini / "presskit.yaml").open("a") as handle:
        handle.write("letter: ../../etc/passwd\nevents: /etc\n")
    assert validate_errors(mini) == [
        f"{mini}/presskit.yaml:8:9: letter: '../../etc/passwd' must be a path inside the project "
        "(relative, without '..')",
        f"{mini}/presskit.yaml:9:9: events: '/etc' must be a path inside the project "
        "(relative, without '..')",
    ]


def test_lint_never_reads_a_file_linked_outside(mini: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text(
        "theme: Secret theme\nquestions:\n  - id: secret-one\n"
        "    text: Do you know the secret text\n    status: approved\n"
    )
    (mini / "question_banks/secret.yaml").symlink_to(outside)
    result = run("lint", "--project", str(mini))
    assert result.exit_code == 1
    assert f"{mini}/question_banks/secret.yaml:1:1:" in result.output
    assert LINK_OUT in result.output
    assert "secret-one" not in result.output and "secret text" not in result.output
