"""A branded project's pages in Chromium: the brand's colours (light and dark scheme), logo and
font reach the one-pager and the portal, the inlined font is a subset that still renders the
text in that font, and the page stays small."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.contrast import AAA_TEXT, DARK_PAPER, on_background, ratio
from presskit.project.loading import load_project
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")  # Bitstream Vera licence
PRIMARY, ACCENT = "#0b6e4f", "#b3541e"
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    '<rect x="4" y="4" width="112" height="32" fill="{}"/></svg>'
)


def rgb(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def hex_of(css: str) -> str:
    red, green, blue = (int(n) for n in re.findall(r"\d+", css)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project with colours, a font and a logo; its event has a dark-scheme logo."""
    root = tmp_path_factory.mktemp("branded") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    (root / "brand").mkdir()
    shutil.copyfile(SERIF, root / "brand/serif.ttf")
    (root / "brand/logo.svg").write_text(LOGO.format("#0b3d2e"), encoding="utf-8")
    (root / "brand/event.svg").write_text(LOGO.format("#222222"), encoding="utf-8")
    (root / "brand/event-dark.svg").write_text(LOGO.format("#eeeeee"), encoding="utf-8")
    with (root / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            f'branding:\n  logo: brand/logo.svg\n  primary: "{PRIMARY}"\n  accent: "{ACCENT}"\n'
            "  font:\n    family: Brand Serif\n    files:\n      - path: brand/serif.ttf\n"
        )
    with (root / "events/gala.yaml").open("a", encoding="utf-8") as handle:
        handle.write("branding:\n  logo: brand/event.svg\n  logo_dark: brand/event-dark.svg\n")
    out = root / "output"
    build(load_project(root), BuildOptions(out=out))
    return out


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport=PHONE)
    yield ctx.new_page()
    ctx.close()


def open_page(page: Any, path: Path, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(path.as_uri())
    page.evaluate("document.fonts.ready")


def style(page: Any, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")


def test_the_one_pager_with_a_font_is_small_and_renders_in_that_font(
    branded: Path, page: Any
) -> None:
    onepager = branded / "gala/index.html"
    assert onepager.stat().st_size < 100_000  # the whole font file is about 380 kB
    open_page(page, onepager, "light")
    assert page.evaluate("""document.fonts.check('16px "Brand Serif"')""")
    fonts = page.evaluate("[...document.fonts].map(f => [f.family, f.status])")
    assert ["Brand Serif", "loaded"] in fonts
    # the rest is presskit's own typeface, the fallback for what the brand's font lacks
    assert {family for family, _ in fonts} <= {"Brand Serif", "Noto Sans", "Noto Naskh Arabic"}
    assert style(page, "body", "fontFamily").startswith('"Brand Serif"')
    # The heading's text measured in the inlined subset and in the same font installed on the
    # machine (DejaVu Serif): the same width, so every glyph came from the subset; and another
    # width in the fallback (monospace, which a glyph missing from the subset would fall back
    # to), so the measure tells them apart.
    widths = page.evaluate(
        """() => {
          const text = document.querySelector('.question .text').textContent;
          const ctx = document.createElement('canvas').getContext('2d');
          return ['"Brand Serif", monospace', '"DejaVu Serif"', 'monospace'].map(f => {
            ctx.font = `20px ${f}`; return ctx.measureText(text).width; });
        }"""
    )
    assert widths[0] == pytest.approx(widths[1], abs=0.01)
    assert abs(widths[0] - widths[2]) > 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_one_pager_wears_the_brand_colours(branded: Path, page: Any, scheme: str) -> None:
    open_page(page, branded / "gala/index.html", scheme)
    primary, accent = (
        (PRIMARY, ACCENT)
        if scheme == "light"
        else (
            on_background(PRIMARY, DARK_PAPER, AAA_TEXT),
            on_background(ACCENT, DARK_PAPER, AAA_TEXT),
        )
    )
    assert style(page, "h2", "color") == rgb(primary)
    assert style(page, "button.copy", "backgroundColor") == rgb(primary)
    assert style(page, ".question .num", "color") == rgb(accent)
    assert style(page, ".hashtag", "color") == rgb(primary)
    background = hex_of(style(page, "body", "backgroundColor"))
    label = hex_of(style(page, "button.copy", "color"))
    assert ratio(primary, background) >= 4.5
    assert ratio(accent, background) >= 4.5
    assert ratio(label, primary) >= 4.5  # the button's label on its fill


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_portal_wears_the_campaigns_brand(branded: Path, page: Any, scheme: str) -> None:
    open_page(page, branded / "index.html", scheme)
    primary = PRIMARY if scheme == "light" else on_background(PRIMARY, DARK_PAPER, AAA_TEXT)
    assert style(page, "h2", "color") == rgb(primary)
    assert style(page, ".event h3 a", "color") == rgb(primary)  # links
    assert style(page, ".hashtag", "color") == rgb(primary)
    assert style(page, "body", "fontFamily").startswith('"Brand Serif"')
    assert page.evaluate("""document.fonts.check('16px "Brand Serif"')""")
    logo = page.query_selector("header img.logo")
    assert logo is not None and logo.get_attribute("alt") == "Test Campaign logo"
    # the campaign has no dark-scheme logo: in the dark scheme it sits on a light backdrop
    backdrop = style(page, "header img.logo", "backgroundColor")
    assert backdrop == ("rgb(255, 255, 255)" if scheme == "dark" else "rgba(0, 0, 0, 0)")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_dark_scheme_logo_replaces_the_logo_there(branded: Path, page: Any, scheme: str) -> None:
    open_page(page, branded / "gala/index.html", scheme)
    shown = page.eval_on_selector("header img.logo", "e => e.currentSrc")
    dark = page.eval_on_selector("header picture source", "e => e.srcset")
    light = page.eval_on_selector("header img.logo", "e => e.getAttribute('src')")
    assert dark != light
    assert shown == (dark if scheme == "dark" else light)
    assert style(page, "header img.logo", "backgroundColor") == "rgba(0, 0, 0, 0)"


def test_screenshots_of_the_branded_pages(browser: Any, branded: Path, results: Path) -> None:
    for scheme in ("light", "dark"):
        for size in (PHONE, DESKTOP):
            ctx = browser.new_context(viewport=size, color_scheme=scheme)
            page = ctx.new_page()
            for name, path in (("portal", "index.html"), ("onepager", "gala/index.html")):
                page.goto((branded / path).as_uri())
                page.evaluate("document.fonts.ready")
                shot = results / f"branded-{name}-{size['width']}-{scheme}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 0
            ctx.close()
