"""Validated types for values that reach CSS: nothing but the expected shape gets through."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from presskit.models import CssColor, CssFontFamily

COLOR = TypeAdapter(CssColor)
FONT = TypeAdapter(CssFontFamily)

CSS_INJECTIONS = [
    "red; } body { background: url(file:///etc/passwd) }",
    "#fff; background-image: url(http://127.0.0.1/x.png)",
    "#fff}</style><script>alert(1)</script>",
    "expression(alert(1))",
    "#fff\n", " #fff", "#fff ", "#ffff", "#12345", "#1234567", "#ggg", "fff", "#", "",
    "rgb(0,0,0)", "var(--x)", "inherit", "red", "#fff/**/", "\\23 fff", "#fff\\;",
    "#\uff46\uff46\uff46",  # full-width letters
]


@pytest.mark.parametrize("value", ["#fff", "#FFF", "#1a2b3c", "#A0B1C2", "#000000"])
def test_hex_colours_are_accepted_and_normalised(value: str) -> None:
    assert COLOR.validate_python(value) == value.lower()


@pytest.mark.parametrize("value", CSS_INJECTIONS)
def test_anything_else_is_not_a_colour(value: str) -> None:
    with pytest.raises(ValidationError):
        COLOR.validate_python(value)


def test_colour_error_says_what_to_write() -> None:
    with pytest.raises(ValidationError) as exc:
        COLOR.validate_python("red; }")
    assert exc.value.errors()[0]["msg"] == (
        "Value error, 'red; }' is not a colour: use a hex colour such as '#1a2b3c' or '#fff'")


@pytest.mark.parametrize("value", ["Source Sans 3", "DejaVu Sans", "Noto_Naskh-Arabic", "A"])
def test_font_family_names(value: str) -> None:
    assert FONT.validate_python(value) == value


@pytest.mark.parametrize("value", [
    'x"; } body { color: red', "Arial, sans-serif", "a;b", "url(x)", "x}", "x'", " x", "x ",
    "a\nb", "a" * 65, "", "\\41 rial"])
def test_font_family_cannot_carry_css(value: str) -> None:
    with pytest.raises(ValidationError):
        FONT.validate_python(value)
