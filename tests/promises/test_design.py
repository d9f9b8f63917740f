"""The kits' design, read back from the PDFs: a title page with presence, no page left mostly
empty for want of a layout, and the event's description where reporters look."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from tests.conftest import REPO, build_in_place, pdf_pages, pdf_text, squash

pytestmark = pytest.mark.slow

Edit = Callable[[Path, str, str], None]
BRAND = (0x0B / 255, 0x53 / 255, 0x94 / 255)  # "#0B5394"


def _close(color: object, expected: tuple[float, ...]) -> bool:
    return isinstance(color, tuple | list) and all(
        abs(a - b) < 0.01 for a, b in zip(color, expected, strict=True)
    )


def test_the_cover_is_a_title_page_in_the_brand_colour(mini: Path) -> None:
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as settings:
        settings.write('branding:\n  primary: "#0B5394"\n')
    build_in_place(mini, formats=frozenset({"pdf"}))
    with pdfplumber.open(mini / "output/gala/press-kit.pdf") as pdf:
        cover = pdf.pages[0]
        height = float(cover.height)
        title = [c for c in cover.chars if c["text"] in "TestCampaign" and c["size"] > 30]
        # the campaign's name, large and in the brand colour
        assert "".join(c["text"] for c in title) == "TestCampaign"
        assert all(_close(c["non_stroking_color"], BRAND) for c in title)
        # a band of the brand colour across the top of the paper, edge to edge
        band = [
            r
            for r in cover.rects
            if r["fill"] and _close(r["non_stroking_color"], BRAND) and r["top"] < 1
        ]
        assert band and band[0]["width"] >= float(cover.width) - 1
        # the event's facts at the foot of the page
        date = next(w for w in cover.extract_words() if w["text"] == "Date")
        assert date["top"] > 0.7 * height


def test_the_signatories_share_the_letters_page(tmp_path: Path) -> None:
    project = tmp_path / "kit"
    for part in ["campaign", "events", "question_banks"]:
        shutil.copytree(REPO / part, project / part)
    shutil.copy(REPO / "presskit.yaml", project / "presskit.yaml")
    for slug in ("film-premiere", "mahrajan-arabi"):
        build(
            load_project(project),
            BuildOptions(out=project / "out", events=(slug,), formats=frozenset({"pdf"})),
        )
        kit = project / "out" / slug / "press-kit.pdf"
        with pdfplumber.open(kit) as pdf:
            pages = [squash(page.extract_text()) for page in pdf.pages]
        # the letter's last excerpt (the cover's tagline says it too)
        letter_ends = max(i for i, t in enumerate(pages) if "more men to use their priv" in t)
        signatories = next(i for i, t in enumerate(pages) if "David Schwimmer" in t)
        assert signatories == letter_ends, slug
        # cover, letter with signatories, questions (the signatories had a page of their own)
        assert pdf_pages(kit) == 3, slug


def test_a_list_of_signatories_longer_than_a_page_runs_on(mini: Path) -> None:
    # Kept whole while it fits a page; longer, it breaks like any text (WeasyPrint 70 failed an
    # assertion on a grid that was told not to break and could not fit).
    names = [f"Signatory {n:03d}" for n in range(1, 161)]
    (mini / "campaign/signatories.yaml").write_text(
        "signatories:\n" + "".join(f"  - name: {name}\n" for name in names), encoding="utf-8"
    )
    build_in_place(mini, formats=frozenset({"pdf"}))
    kit = mini / "output/gala/press-kit.pdf"
    with pdfplumber.open(kit) as pdf:
        pages = [squash(page.extract_text()) for page in pdf.pages]
    holding = [i for i, text in enumerate(pages) if "Signatory" in text]
    assert len(holding) >= 2  # a page could not hold them all
    assert all(name in " ".join(pages) for name in names)


def test_the_description_reaches_the_sheet_and_the_page(mini: Path, edit: Edit) -> None:
    words = " ".join(f"word{n}" for n in range(80))
    description = f"Short open questions for a busy carpet, {words}, to the very end."
    edit(
        mini / "events/gala.yaml",
        "city: Testville\n",
        f"city: Testville\ndescription: {description}\n",
    )
    build_in_place(mini)
    out = mini / "output/gala"
    assert description in squash(pdf_text(out / "questions.pdf"))  # whole, never cut
    assert pdf_pages(out / "questions.pdf") == 1
    page = (out / "index.html").read_text(encoding="utf-8")
    header = page[page.index('<header class="page-header">') : page.index("</header>")]
    assert f'<p class="event-description">{description}</p>' in header
