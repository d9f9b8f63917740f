"""Colour contrast: the WCAG maths, the nearest colour that passes, and the one-line problems
loading reports (through `presskit validate`, which exits non-zero)."""

from __future__ import annotations

import colorsys
from pathlib import Path

import pytest
from click.testing import CliRunner

from presskit.cli import main
from presskit.project.contrast import (
    AA_TEXT,
    DARK_PAPER,
    PAPER,
    _rgb,
    luminance,
    on_background,
    ratio,
    shown,
)

ONEPAGER_CSS = Path(__file__).parents[2] / "presskit/render/templates/onepager.css"


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the well-known lightest AA grey on white
        ("#777", "#fff", 4.48),  # short hex reads as its long form
        ("#ffff00", "#ffffff", 1.07),
    ],
)
def test_ratio_matches_wcag(foreground: str, background: str, expected: float) -> None:
    assert ratio(foreground, background) == pytest.approx(expected, abs=0.01)
    assert ratio(background, foreground) == ratio(foreground, background)


def test_luminance_ends() -> None:
    assert luminance("#000") == 0
    assert luminance("#fff") == pytest.approx(1)


def test_shown_rounds_down_so_a_failure_never_reads_as_a_pass() -> None:
    assert shown(4.4999) == "4.4:1"
    assert shown(1.6) == "1.6:1"
    assert shown(21) == "21.0:1"


@pytest.mark.parametrize(
    ("colour", "background", "expected"),
    [
        ("#6b1d4e", PAPER, "#6b1d4e"),  # passes: itself, unchanged
        ("#f5d90a", PAPER, "#867705"),  # yellow: darkened, same hue
        ("#777777", PAPER, "#767676"),  # just short: one step darker
        ("#6b1d4e", DARK_PAPER, "#ce4a9d"),  # the default, lightened for the dark scheme
        ("#123456", DARK_PAPER, "#2c7fd2"),
    ],
)
def test_nearest_colour_that_passes(colour: str, background: str, expected: str) -> None:
    assert on_background(colour, background) == expected
    assert ratio(expected, background) >= AA_TEXT
    if expected != colour:  # the nearest: one lightness step (0.1 %) less would fail
        hue, light, sat = colorsys.rgb_to_hls(*_rgb(expected))
        original = colorsys.rgb_to_hls(*_rgb(colour))
        assert hue == pytest.approx(original[0], abs=0.01)
        assert sat == pytest.approx(original[2], abs=0.02)
        nudged = light + (0.004 if light < original[1] else -0.004)
        closer = "#" + "".join(
            f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, nudged, sat)
        )
        assert ratio(closer, background) < AA_TEXT


def test_dark_paper_is_the_pages_dark_background() -> None:
    """The dark-scheme colours are made for the background onepager.css really uses."""
    dark = ONEPAGER_CSS.read_text(encoding="utf-8").split("prefers-color-scheme: dark", 1)[1]
    assert f"--paper: {DARK_PAPER};" in dark


def test_faint_colours_are_reported_with_ratio_and_suggestion(mini: Path) -> None:
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write('branding:\n  primary: "#F5D90A"\n  accent: "#6b1d4e"\n')
    with (mini / "events/gala.yaml").open("a", encoding="utf-8") as handle:
        handle.write('branding:\n  accent: "#abcdef"\n')
    result = CliRunner().invoke(main, ["validate", "--project", str(mini)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{mini}/events/gala.yaml:10:11: branding.accent: #abcdef on white has a contrast of "
        "1.6:1, below the 4.5:1 that text needs (WCAG AA; headings, links and white button "
        "labels use it); the nearest colour that passes is #2778ca\n"
        f"{mini}/presskit.yaml:9:12: branding.primary: #f5d90a on white has a contrast of "
        "1.4:1, below the 4.5:1 that text needs (WCAG AA; headings, links and white button "
        "labels use it); the nearest colour that passes is #867705\n"
        "2 problems found; nothing was written.\n"
    )


def test_readable_colours_pass(mini: Path) -> None:
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write('branding:\n  primary: "#767676"\n  accent: "#000"\n')
    result = CliRunner().invoke(main, ["validate", "--project", str(mini)])
    assert result.exit_code == 0, result.output
