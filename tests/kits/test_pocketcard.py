"""The pocket card: top questions, pinned first, on two pages of a small card, tagged."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from presskit.errors import RenderError, ValidationFailed
from presskit.kits.pocketcard import card_context, top_picks
from presskit.kits.select import select
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from tests.conftest import REPO, pdf_text, squash

Edit = Callable[[Path, str, str], None]
MM = 72 / 25.4


def test_pins_come_first_then_one_theme_after_another(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "count: 4\n  pinned: [b-two]", "count: 5\n  pinned: [a-two]")
    project = load_project(mini)
    selection = select(project, project.event("gala"))
    assert selection.question_ids == ["a-two", "a-one", "a-three", "b-one", "b-two"]
    assert [p.question.id for p in top_picks(selection, 8)] == [
        "a-two",
        "a-one",
        "b-one",
        "a-three",
        "b-two",
    ]
    assert [p.question.id for p in top_picks(selection, 3)] == ["a-two", "a-one", "b-one"]


def test_the_default_events_get_up_to_eight_pinned_first() -> None:
    project = load_project(REPO, display=".")
    for event_file in project.events:
        selection = select(project, event_file)
        picks = top_picks(selection, 8)
        pinned = event_file.event.select.pinned
        assert len(picks) == min(8, len(selection.question_ids))
        assert [p.question.id for p in picks[: len(pinned)]] == pinned


def test_card_settings_are_validated(mini: Path) -> None:
    with (mini / "presskit.yaml").open("a") as handle:
        handle.write("pocket_card:\n  size: a5\n  questions: 12\n")
    with pytest.raises(ValidationFailed) as caught:
        load_project(mini, display=".")
    assert [str(p) for p in caught.value.problems] == [
        "presskit.yaml:9:9: pocket_card.size: must be one of 'a6', 'index-3x5' or 'index-4x6'",
        "presskit.yaml:10:14: pocket_card.questions: Input should be less than or equal to 8",
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("size", "width_mm", "height_mm"),
    [("a6", 105, 148), ("index-3x5", 76.2, 127), ("index-4x6", 101.6, 152.4)],
)
def test_a_two_sided_tagged_card_of_the_chosen_size(
    tmp_path: Path, size: str, width_mm: float, height_mm: float
) -> None:
    project = tmp_path / "kit"
    for part in ["campaign", "events", "question_banks"]:
        shutil.copytree(REPO / part, project / part)
    text = (REPO / "presskit.yaml").read_text(encoding="utf-8")
    (project / "presskit.yaml").write_text(text + f"pocket_card:\n  size: {size}\n")
    build(
        load_project(project),
        BuildOptions(
            out=project / "out", events=("film-festival-panel",), formats=frozenset({"pdf"})
        ),
    )
    card = project / "out/film-festival-panel/pocket-card.pdf"
    reader = PdfReader(card)
    assert len(reader.pages) == 2  # front and back
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)) == (
        width_mm,
        height_mm,
    )
    info = subprocess.run(["pdfinfo", str(card)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    assert (
        "Title:           Film Festival Panel (sample) · Pocket card · #AskMoreOfHim" in info.stdout
    )
    front, back = (squash(page.extract_text()) for page in reader.pages)
    assert front.startswith("#AskMoreOfHim · Pocket card Film Festival Panel (sample)")
    assert "1 The letter calls for" in front and "Questions continue on the back" in front
    first_on_back = re.match(r"(\d+) ", back)  # the kit's number, where the front stopped
    assert first_on_back and int(first_on_back[1]) > 4
    assert "Undated version" in back  # a copy outside git
    assert "Question ids:" not in back  # show_question_ids is off by default
    assert squash(pdf_text(card)).count("?") >= 8


@pytest.mark.slow
def test_a_card_that_cannot_fit_says_what_to_change(mini: Path) -> None:
    (mini / "templates").mkdir()  # a project's card style with type too large for any card
    (mini / "templates/pocket-card.css").write_text(".card-question { font-size: 60pt; }")
    with pytest.raises(
        RenderError,
        match=r"gala/pocket-card.pdf: does not fit on 2 pages "
        r"even in the most compact layout; lower pocket_card.questions",
    ):
        build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"pdf"})))
    assert not (mini / "out").exists()


def test_the_card_context_splits_the_questions_larger_half_first(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "count: 4", "count: 5")
    project = load_project(mini)
    card = card_context(select(project, project.event("gala")), 8, "index-3x5")
    assert [q.id for q in card.front] == ["b-two", "b-one", "a-one"]
    assert [q.id for q in card.back] == ["a-two", "a-three"]
    assert [q.number for q in card.front + card.back] == [1, 2, 3, 4, 5]
    assert card.ids == ("b-two", "b-one", "a-one", "a-two", "a-three")
    assert (card.size, card.page_size) == ("index-3x5", "76.2mm 127mm")
    assert card.front[0].theme == "Beta theme"


CARD_BRANDING = """branding:
  logo: brand/logo.svg
  primary: "#123456"
  accent: "#c0392b"
  font:
    family: Brand Serif
    files:
      - path: brand/serif.ttf
  embargo: Embargoed until 7 March 2027, 18:00 PT
"""
GREEN_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20" fill="#00ff00"/></svg>'
)


def rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def in_colour(page: Any, colour: str) -> list[str]:
    """The characters of a page drawn in `colour`, sorted."""
    return sorted(
        c["text"]
        for c in page.chars
        if tuple(c["non_stroking_color"]) == pytest.approx(rgb(colour), abs=1e-3)
    )


@pytest.mark.slow
def test_the_card_and_its_print_sheet_carry_the_branding(mini: Path) -> None:
    """Colours, font, logo and embargo read back from the pocket card and its print sheet."""
    (mini / "brand").mkdir()
    (mini / "brand/logo.svg").write_text(GREEN_LOGO, encoding="utf-8")
    shutil.copyfile("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", mini / "brand/serif.ttf")
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write(CARD_BRANDING)
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"pdf"})))
    for name in ("pocket-card.pdf", "pocket-cards-sheet.pdf"):
        with pdfplumber.open(mini / "out/gala" / name) as pdf:
            front, back = pdf.pages
            chars = front.chars
            hashtag = [c for c in chars if c["text"] == "#"]
            assert hashtag and all(
                tuple(c["non_stroking_color"]) == pytest.approx(rgb("#123456"), abs=1e-3)
                for c in hashtag
            ), name
            # the question numbers, and only they, in the accent colour, on both sides
            cards = len(hashtag)
            assert in_colour(front, "#c0392b") == ["1"] * cards + ["2"] * cards, name
            assert in_colour(back, "#c0392b") == ["3"] * cards + ["4"] * cards, name
            assert all(c["fontname"].split("+")[-1].startswith("Brand-Serif") for c in chars)
            # the logo (a green SVG) on the front only
            green = [r for r in front.rects if r["non_stroking_color"] == (0, 1, 0)]
            assert green and not [r for r in back.rects if r["non_stroking_color"] == (0, 1, 0)]
            text = squash(front.extract_text())
            assert "Embargoed until 7 March 2027, 18:00 PT" in text, name
            assert cards == (1 if name == "pocket-card.pdf" else 2)  # A6: two to an A4 sheet
            assert len(green) == cards == text.count("Embargoed until")


@pytest.mark.slow
def test_without_branding_the_card_has_no_logo_and_no_embargo(mini: Path) -> None:
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"pdf"})))
    with pdfplumber.open(mini / "out/gala/pocket-card.pdf") as pdf:
        assert pdf.pages[0].images == [] and pdf.pages[0].rects == []
        assert "Embargo" not in (pdf.pages[0].extract_text() or "")


def _numbered(pdf: Path) -> dict[str, int]:
    """`question text -> number` as a PDF prints them ("4. What ...?" or "4 What ...?")."""
    text = squash(pdf_text(pdf))
    return {m[2]: int(m[1]) for m in re.finditer(r"(\d+)\.? (What does \w+ \w+ ask\?)", text)}


EXTRA_ALPHA = "".join(
    f"  - id: a-{n}\n    text: What does alpha {n} ask?\n    status: approved\n"
    for n in ("four", "five", "six", "seven")
)


@pytest.mark.slow
def test_a_question_keeps_its_number_on_the_sheet_the_card_and_the_page(
    mini: Path, edit: Edit
) -> None:
    # alpha is pinned first, and the card takes one theme after another: it carries the beta
    # questions that come last on the sheet (the card used to renumber them from 1)
    bank = mini / "question_banks/alpha.yaml"
    bank.write_text(bank.read_text(encoding="utf-8") + EXTRA_ALPHA, encoding="utf-8")
    edit(mini / "events/gala.yaml", "count: 4\n  pinned: [b-two]", "count: 9\n  pinned: [a-two]")
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as settings:
        settings.write("pocket_card:\n  questions: 6\n")
    project = load_project(mini)
    build(project, BuildOptions(out=mini / "output", jobs=1))
    out = mini / "output/gala"
    sheet, card = _numbered(out / "questions.pdf"), _numbered(out / "pocket-card.pdf")
    page = {
        m[2]: int(m[1])
        for m in re.finditer(
            r'data-number="(\d+)">\s*<p class="text"><span class="num">\d+\.</span> ([^<]+)</p>',
            (out / "index.html").read_text(encoding="utf-8"),
        )
    }
    assert len(sheet) == len(page) == 9
    assert sheet == page
    assert len(card) == 6
    assert list(card.values()) == sorted(card.values())  # the card lists them by number
    assert list(card.values()) != list(range(1, 7))  # with the gaps of what it leaves out
    for text, number in card.items():
        assert sheet[text] == number, text
