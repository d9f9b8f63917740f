"""Values that reach CSS (branding colours and font names) cannot inject CSS: HTML escaping does
not protect a stylesheet, so the models accept only the exact expected shape."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pydantic import TypeAdapter, ValidationError

from presskit.cli import main
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from presskit.project.models import FontFamily, HexColour

COLOUR = TypeAdapter(HexColour)
FONT = TypeAdapter(FontFamily)

CSS_INJECTIONS = [
    "red; } body { background: url(file:///etc/passwd) }",
    "#fff; background-image: url(http://127.0.0.1/x.png)",
    "#fff}</style><script>alert(1)</script>",
    "expression(alert(1))",
    "#fff\n",
    " #fff",
    "#fff ",
    "#ffff",
    "#12345",
    "#1234567",
    "#ggg",
    "fff",
    "#",
    "",
    "rgb(0,0,0)",
    "var(--x)",
    "inherit",
    "red",
    "#fff/**/",
    "\\23 fff",
    "#fff\\;",
    "#\uff46\uff46\uff46",  # full-width letters
]


@pytest.mark.parametrize("value", ["#fff", "#FFF", "#1a2b3c", "#A0B1C2", "#000000"])
def test_hex_colours_are_accepted_and_normalised(value: str) -> None:
    assert COLOUR.validate_python(value) == value.lower()


@pytest.mark.parametrize("value", CSS_INJECTIONS)
def test_anything_else_is_not_a_colour(value: str) -> None:
    with pytest.raises(ValidationError):
        COLOUR.validate_python(value)


@pytest.mark.parametrize("value", ["Source Sans 3", "DejaVu Sans", "Noto_Naskh-Arabic", "A"])
def test_font_family_names(value: str) -> None:
    assert FONT.validate_python(value) == value


@pytest.mark.parametrize(
    "value",
    [
        'x"; } body { color: red',
        "Arial, sans-serif",
        "a;b",
        "url(x)",
        "x}",
        "x'",
        " x",
        "a\nb",
        "a" * 65,
        "",
        "\\41 rial",
        "x</style>",
    ],
)
def test_font_family_cannot_carry_css(value: str) -> None:
    with pytest.raises(ValidationError):
        FONT.validate_python(value)


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def set_branding(mini: Path, rel: str, branding: dict[str, object]) -> None:
    data = yaml.safe_load((mini / rel).read_text())
    data["branding"] = branding
    (mini / rel).write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize(
    ("rel", "key"),
    [("presskit.yaml", "primary"), ("presskit.yaml", "accent"), ("events/gala.yaml", "primary")],
)
def test_colour_injection_is_a_located_validation_error(mini: Path, rel: str, key: str) -> None:
    evil = "red; } body { background: url(file:///etc/passwd) }"
    set_branding(mini, rel, {key: evil})
    result = run("build", "--project", str(mini))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{mini}/{rel}:")
    assert lines[0].endswith(
        f": branding.{key}: {evil!r} is not a colour: use a hex colour such as '#6b1d4e' or '#b12'"
    )
    assert not (mini / "output").exists()


def test_font_name_injection_is_a_located_validation_error(mini: Path) -> None:
    set_branding(
        mini,
        "presskit.yaml",
        {"font": {"family": 'X"; } * { display: none } a {', "files": [{"path": "f.ttf"}]}},
    )
    result = run("validate", "--project", str(mini))
    assert result.exit_code == 1
    assert "branding.font.family: " in result.stderr
    assert "is not a plain font family name" in result.stderr


def test_a_valid_colour_reaches_the_stylesheet_as_written(mini: Path) -> None:
    set_branding(mini, "presskit.yaml", {"primary": "#1A2B3C", "accent": "#b12"})
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    soup = BeautifulSoup((mini / "out/gala/index.html").read_text(), "html.parser")
    css = "".join(style.get_text() for style in soup.find_all("style"))
    assert "--brand-primary: #1a2b3c;" in css
    assert "--brand-accent: #b12;" in css
