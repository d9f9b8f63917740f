"""Branding: validation with locations, campaign defaults with event overrides, and colours,
logo, font, sponsor and embargo read back from the built HTML and PDFs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from presskit.errors import ValidationFailed
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
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
    assert problems(mini) == [f"p/presskit.yaml:8:12: branding.primary: {message}"]


def test_font_family_cannot_break_out_of_css(mini: Path) -> None:
    brand(
        mini,
        "branding:\n  font:\n    family: 'X\"; } body {'\n    files:\n"
        "      - path: brand/serif.ttf\n",
    )
    assert problems(mini) == [
        "p/presskit.yaml:9:13: branding.font.family: 'X\"; } body {' is not a plain font family "
        "name: use letters, digits, spaces, '_' and '-' (up to 64)"
    ]


def test_logo_must_be_svg_or_png(mini: Path) -> None:
    brand(mini, "branding:\n  logo: brand/logo.gif\n")
    assert problems(mini) == [
        "p/presskit.yaml:8:9: branding.logo: 'brand/logo.gif' must be a SVG or PNG file"
    ]
