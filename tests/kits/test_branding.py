"""Branding: validation with locations, campaign defaults with event overrides, and colours,
logo, font, sponsor and embargo read back from the built HTML and PDFs."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from PIL import Image

from presskit.errors import ValidationFailed
from presskit.kits.branding import (
    DEFAULT_PRIMARY,
    merged,
    page_characters,
    subset_font,
    subset_fonts,
)
from presskit.kits.branding import brand as make_brand
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.contrast import AAA_TEXT, DARK_PAPER, on_background, ratio
from presskit.project.loading import load_project
from presskit.project.models import Branding
from presskit.render.fonts import FONT_DIR
from tests.conftest import FIXTURES, pdf_text, squash

Edit = Callable[[Path, str, str], None]
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")  # from fonts-dejavu-core
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20" fill="#123456"/></svg>'
)
CAMPAIGN_BRANDING = """branding:
  logo: brand/logo.svg
  primary: "#123456"
  accent: "#9A3412"
  font:
    family: Brand Serif
    files:
      - path: brand/serif.ttf
  sponsor: Hosted by the Test Hall
  embargo: Embargoed until 7 March 2027, 18:00
"""
EVENT_BRANDING = """branding:
  accent: "#7c2d12"
  embargo: Embargoed until the gala starts
contacts:
  - name: Gala Press Desk
    email: gala@example.org
"""


def brand(root: Path, campaign: str = CAMPAIGN_BRANDING, event: str = "") -> None:
    (root / "brand").mkdir(exist_ok=True)
    (root / "brand/logo.svg").write_text(LOGO, encoding="utf-8")
    shutil.copyfile(SERIF, root / "brand/serif.ttf")
    with (root / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write(campaign)
    with (root / "events/gala.yaml").open("a", encoding="utf-8") as handle:
        handle.write(event)


def problems(root: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as exc:
        load_project(root, display="p")
    return [str(p) for p in exc.value.problems]


@pytest.fixture(scope="module")
def kits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("branding") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    brand(root, event=EVENT_BRANDING)
    build(load_project(root), BuildOptions(out=root / "output"))
    return root / "output/gala"


@pytest.mark.slow  # renders PDFs
def test_colours_logo_and_font_reach_the_one_pager(kits: Path) -> None:
    html = (kits / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    style = soup.style.get_text()  # type: ignore[union-attr]
    assert "--brand-primary: #123456;" in style
    assert "--brand-accent: #7c2d12;" in style  # the event's accent overrides the campaign's
    assert '--brand-font: "Brand Serif";' in style
    assert '@font-face { font-family: "Brand Serif"; src: url(data:font/woff2;base64,' in style
    logo = soup.select_one("img.logo")
    assert logo is not None and logo["src"].startswith("data:image/svg+xml;base64,")
    assert logo["alt"] == "Test Campaign logo"
    assert soup.select_one(".embargo").get_text() == "Embargoed until the gala starts"  # type: ignore[union-attr]
    assert soup.select_one(".sponsor").get_text() == "Hosted by the Test Hall"  # type: ignore[union-attr]
    assert [li.strong.get_text() for li in soup.select("ul.contacts li")] == ["Gala Press Desk"]  # type: ignore[union-attr]


@pytest.mark.slow  # renders PDFs
def test_branding_reaches_the_pdfs(kits: Path, tmp_path: Path) -> None:
    text = squash(pdf_text(kits / "press-kit.pdf"))
    for needle in [
        "Embargoed until the gala starts",
        "Hosted by the Test Hall",
        "Gala Press Desk",
        "#TestCampaign · Test Gala · Embargoed until the gala starts",
    ]:
        assert needle in text, needle
    assert "Test Press Office" not in text
    fonts = subprocess.run(
        ["pdffonts", str(kits / "questions.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "Brand-Serif" in fonts  # the brand font, embedded under its family name
    # the header rule of the question sheet is drawn in the primary colour
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "100",
            "-png",
            "-singlefile",
            str(kits / "questions.pdf"),
            str(tmp_path / "sheet"),
        ],
        check=True,
    )
    with Image.open(tmp_path / "sheet.png") as image:
        colours = {colour for _, colour in image.convert("RGB").getcolors(1_000_000) or []}
    assert (0x12, 0x34, 0x56) in colours


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            '"red; } body { display: none"',
            "'red; } body { display: none' is not a colour: use a hex colour such as '#6b1d4e' or "
            "'#b12'",
        ),
        ('"#12345"', "'#12345' is not a colour: use a hex colour such as '#6b1d4e' or '#b12'"),
    ],
)
def test_colours_must_be_strict_hex(mini: Path, value: str, message: str) -> None:
    brand(mini, f"branding:\n  primary: {value}\n")
    assert problems(mini) == [f"p/presskit.yaml:9:12: branding.primary: {message}"]


def test_font_family_cannot_break_out_of_css(mini: Path) -> None:
    brand(
        mini,
        "branding:\n  font:\n    family: 'X\"; } body {'\n    files:\n"
        "      - path: brand/serif.ttf\n",
    )
    assert problems(mini) == [
        "p/presskit.yaml:10:13: branding.font.family: 'X\"; } body {' is not a plain font family "
        "name: use letters, digits, spaces, '_' and '-' (up to 64)"
    ]


def test_logo_must_be_svg_or_png(mini: Path) -> None:
    brand(mini, "branding:\n  logo: brand/logo.gif\n")
    assert problems(mini) == [
        "p/presskit.yaml:9:9: branding.logo: 'brand/logo.gif' must be a SVG or PNG file"
    ]


TEMPLATES = Path(__file__).parents[2] / "presskit/render/templates"


def test_the_default_colour_is_written_once() -> None:
    """Stylesheets read --brand-primary and --brand-accent, which _branding.css.j2 always sets;
    none repeats the default as a fallback (the pocket card's stylesheet is another change's)."""
    for css in sorted(TEMPLATES.glob("*.css")):
        if css.name == "pocket-card.css":
            continue
        text = css.read_text(encoding="utf-8")
        assert DEFAULT_PRIMARY not in text, css.name
        assert not re.search(r"var\(--brand-(primary|accent)(-dark)?,", text), css.name


def test_default_and_fallback_colours(tmp_path: Path) -> None:
    plain = make_brand(tmp_path, Branding())
    assert (plain.primary, plain.accent) == (DEFAULT_PRIMARY, DEFAULT_PRIMARY)
    assert ratio(plain.primary_dark, DARK_PAPER) >= AAA_TEXT
    only_primary = make_brand(tmp_path, Branding(primary="#123456"))
    assert (only_primary.primary, only_primary.accent) == ("#123456", "#123456")
    both = make_brand(tmp_path, Branding(primary="#123456", accent="#7c2d12"))
    assert both.accent == "#7c2d12"
    assert both.accent_dark == on_background("#7c2d12", DARK_PAPER, AAA_TEXT) != "#7c2d12"


def test_an_events_logo_does_not_keep_the_campaigns_dark_logo() -> None:
    campaign = Branding(logo="a.svg", logo_dark="a-dark.svg")
    assert merged(campaign, Branding(primary="#123456")).logo_dark == "a-dark.svg"
    assert merged(campaign, Branding(logo="b.svg")).logo_dark is None
    both = Branding(logo="b.svg", logo_dark="b-dark.svg")
    assert merged(campaign, both).logo_dark == "b-dark.svg"


def test_logo_dark_is_checked_like_the_logo(mini: Path) -> None:
    brand(mini, "branding:\n  logo: brand/logo.svg\n  logo_dark: brand/missing.svg\n")
    assert problems(mini) == [
        "p/presskit.yaml:10:14: branding.logo_dark: file not found in the project: "
        "brand/missing.svg"
    ]


def test_logo_dark_reaches_pages_only(tmp_path: Path) -> None:
    (tmp_path / "dark.svg").write_text(LOGO.replace("#123456", "#eeeeee"), encoding="utf-8")
    (tmp_path / "logo.svg").write_text(LOGO, encoding="utf-8")
    made = make_brand(tmp_path, Branding(logo="logo.svg", logo_dark="dark.svg"))
    assert made.logo_dark is not None and made.logo_dark.startswith("data:image/svg+xml;base64,")
    assert made.logo_dark != made.logo


def _font_page(text: str) -> str:
    src = "data:font/ttf;base64," + base64.b64encode(SERIF.read_bytes()).decode("ascii")
    return (
        f'<style>@font-face {{ font-family: "B"; src: url({src}) format("truetype"); }}</style>'
        f"<p>{text}</p>"
    )


def _cmap(page: str) -> set[int]:
    found = re.search(r"url\(data:font/(\w+);base64,([^)]+)\) format\(\"(\w+)\"\)", page)
    assert found is not None
    assert found.group(1) == found.group(3) == "woff2"  # Brotli is installed here
    font = TTFont(io.BytesIO(base64.b64decode(found.group(2))))
    return set(font.getBestCmap())


def test_inlined_fonts_are_subset_to_the_page() -> None:
    page = _font_page("Caf&eacute; &amp; «ça»")
    small = subset_fonts(page)
    assert len(small) < len(page) / 10
    assert subset_fonts(page) == small  # the same bytes every time
    cmap = _cmap(small)
    for char in "Café&«ça»CAFÉÇ0123456789 ":
        assert ord(char) in cmap, char
    assert ord("Z") not in cmap and ord("ж") not in cmap


def test_page_characters() -> None:
    """Text, attributes and entities decoded, both cases of each letter, digits always."""
    found = page_characters("<b title='Ñ'>a&lt;&#x263a;</b>")
    assert found == "".join(sorted(found))
    assert set(found) == set("<b title='Ñ'>a☺/" + "BTILEAñ" + "0123456789")


def test_a_page_without_fonts_is_left_as_it_is() -> None:
    page = "<p>plain</p>"
    assert subset_fonts(page) is page


@pytest.mark.slow  # renders PDFs
def test_the_one_pager_with_a_font_stays_small(kits: Path) -> None:
    assert (kits / "index.html").stat().st_size < 100_000
    # the DejaVu Serif file alone is over 300 kB
    assert SERIF.stat().st_size > 300_000


@pytest.mark.slow  # renders PDFs
@pytest.mark.parametrize(
    ("name", "heading", "number"),
    [("press-kit.pdf", "Signatories", "1."), ("questions.pdf", "BETA THEME", "1.")],
)
def test_brand_colours_read_back_from_the_pdfs(
    kits: Path, name: str, heading: str, number: str
) -> None:
    with pdfplumber.open(kits / name) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    text = "".join(c["text"] for c in chars)

    def colour_of(needle: str) -> tuple[int, ...]:
        start = text.index(needle)
        colours = {
            tuple(round(v * 255) for v in c["non_stroking_color"])
            for c in chars[start : start + len(needle)]
        }
        assert len(colours) == 1, colours
        return colours.pop()

    assert colour_of(heading) == (0x12, 0x34, 0x56)  # primary: headings
    assert colour_of(number) == (0x7C, 0x2D, 0x12)  # the event's accent: question numbers


def test_a_font_that_cannot_be_subset_is_left_whole() -> None:
    """A project template may inline a font of its own; one fontTools cannot read stays as it
    is rather than stopping the build."""
    page = '<style>@font-face { src: url(data:font/ttf;base64,AAAA) format("truetype"); }</style>'
    assert subset_fonts(page) == page


def test_the_one_subsetter_keeps_only_the_characters_asked_for() -> None:
    whole = (FONT_DIR / "NotoSans-Regular.ttf").read_bytes()
    small = subset_font(whole, "Hello")
    assert small[:4] == b"wOF2"
    assert len(small) < len(whole) / 50
    font = TTFont(io.BytesIO(small))
    assert set(font.getBestCmap()) == {ord(c) for c in "Helo"}
    assert subset_font(whole, "Hello") == small  # reproducible: no clock in the file


def test_the_one_subsetter_reads_woff2_and_keeps_names_and_shaping() -> None:
    """A brand's font may come as WOFF2 (HarfBuzz reads bare fonts only); the subset keeps the
    font's names (its copyright and licence) and the layout tables that shape Arabic."""
    whole = (FONT_DIR / "NotoNaskhArabic-Regular.ttf").read_bytes()
    woff2 = subset_font(whole, "سلام abc")
    again = TTFont(io.BytesIO(subset_font(woff2, "سلا")))
    assert set(again.getBestCmap()) == {ord(c) for c in "سلا"}
    names = {n.nameID for n in again["name"].names}
    assert {0, 13} <= names  # copyright, licence
    assert {"GSUB", "GPOS"} <= set(again.keys())
    features = {r.FeatureTag for r in again["GSUB"].table.FeatureList.FeatureRecord}
    assert {"init", "medi", "fina"} <= features  # Arabic joining forms
