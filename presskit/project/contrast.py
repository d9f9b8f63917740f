"""Colour contrast (WCAG 2): is a brand colour readable on the backgrounds kits put it on?

Brand colours colour text on white paper (headings, links, question numbers) and fill buttons
whose labels are white, which is the same pair of colours. Below the 4.5:1 that WCAG AA asks of
text, loading reports the field, the ratio and the nearest colour that passes: the same hue and
saturation with the lightness moved as little as possible. The pages' dark scheme does not use
the brand colour as written (no colour reads on both white and near-black): it uses the nearest
colour that reaches 7:1 on the dark background, from `on_background`.
"""

from __future__ import annotations

import colorsys
import math

from presskit.errors import Problem
from presskit.project.models import Branding
from presskit.project.yamlfile import Loc, SourceMap

AA_TEXT = 4.5
"""The contrast WCAG AA asks of normal-size text."""
AAA_TEXT = 7.0
"""The contrast WCAG AAA asks of normal-size text: what the dark scheme's colours are made to
reach (a colour only just at 4.5:1 looks dim on a dark page)."""
PAPER = "#ffffff"
"""The page and paper every kit prints or shows brand colours on (light scheme)."""
DARK_PAPER = "#141214"
"""The pages' background in the dark scheme (onepager.css's `--paper` there)."""
CHECKED = ("primary", "accent")
"""The branding fields that colour text."""


def _rgb(colour: str) -> tuple[float, float, float]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """The relative luminance of a hex colour (WCAG 2), 0 for black to 1 for white."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ratio(foreground: str, background: str) -> float:
    """The contrast ratio of two hex colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shown(value: float) -> str:
    """A ratio as people read it, rounded down so a failing one never shows as passing: 4.4:1."""
    return f"{math.floor(value * 10) / 10:.1f}:1"


def on_background(colour: str, background: str, minimum: float = AA_TEXT) -> str:
    """`colour` itself if it reaches `minimum` on `background`, else the colour of the same hue
    and saturation whose lightness is nearest to it and does (as lowercase hex)."""
    colour = _hex(_rgb(colour))
    if ratio(colour, background) >= minimum:
        return colour
    hue, lightness, saturation = colorsys.rgb_to_hls(*_rgb(colour))
    steps = 1000  # lightness in steps of 0.1 %: plenty for 8-bit colour, and deterministic
    start = round(lightness * steps)
    for distance in range(1, steps + 1):
        for step in (start - distance, start + distance):
            if 0 <= step <= steps:
                candidate = _hex(colorsys.hls_to_rgb(hue, step / steps, saturation))
                if ratio(candidate, background) >= minimum:
                    return candidate
    return "#000000" if luminance(background) > 0.5 else "#ffffff"  # pragma: no cover


def contrast_problems(branding: Branding | None, source: SourceMap, at: Loc) -> list[Problem]:
    """One problem for each brand colour that is too faint on white paper, with its ratio and
    the nearest colour that passes."""
    if branding is None:
        return []
    problems = []
    for name in CHECKED:
        colour = getattr(branding, name)
        if colour is None or (value := ratio(colour, PAPER)) >= AA_TEXT:
            continue
        problems.append(
            source.problem(
                (*at, name),
                f"{colour} on white has a contrast of {shown(value)}, below the {AA_TEXT:g}:1 "
                "that text needs (WCAG AA; headings, links and white button labels use it); "
                f"the nearest colour that passes is {on_background(colour, PAPER)}",
            )
        )
    return problems
