"""The pocket cards' print sheet: how many cards fit, where, crop marks, duplex and fold."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from presskit.kits.cardsheet import (
    MARGIN,
    MARK_GAP,
    MARK_LENGTH,
    PRINTER_MARGIN,
    Line,
    Placed,
    cards_per_sheet,
    sheet,
)
from presskit.kits.paper import CARD_SIZES, PAPER_SIZES
from presskit.pipeline.documents import BuildOptions
from presskit.pipeline.plan import plan
from presskit.project.loading import load_project
from presskit.project.models import CardSize, Paper, PrintSheet
from presskit.render.pool import PdfJob, Setup, render_all
from tests.conftest import REPO, squash

Edit = Callable[[Path, str, str], None]
MM = 72 / 25.4
PAPERS: list[Paper] = ["a4", "letter"]
SIZES: list[CardSize] = ["a6", "index-3x5", "index-4x6"]
MODES: list[PrintSheet] = ["duplex", "fold"]
EVERY = list(itertools.product(PAPERS, SIZES, MODES))


def cell(placed: Placed) -> tuple[float, float, float, float]:
    """The card's area on the page as (left, top, right, bottom)."""
    across, down = (
        (placed.height, placed.width) if placed.turn % 180 else (placed.width, placed.height)
    )
    return placed.x, placed.y, placed.x + across, placed.y + down


# --- Geometry, without rendering ------------------------------------------------------------


def test_the_honest_counts_with_room_for_crop_marks() -> None:
    """Two A6 cards side by side fill A4's whole width, leaving no room for the marks (nor for
    the printer's margin): A6 and 4 x 6 cards lie on their side, two to a page."""
    assert {(p, s): cards_per_sheet(p, s) for p in PAPERS for s in SIZES} == {
        ("a4", "a6"): 2,
        ("a4", "index-3x5"): 4,
        ("a4", "index-4x6"): 2,
        ("letter", "a6"): 2,
        ("letter", "index-3x5"): 4,
        ("letter", "index-4x6"): 2,
    }
    # folding needs both sides on one page: half as many, or fewer
    assert {(p, s): cards_per_sheet(p, s, "fold") for p in PAPERS for s in SIZES} == {
        ("a4", "a6"): 1,
        ("a4", "index-3x5"): 2,
        ("a4", "index-4x6"): 1,
        ("letter", "a6"): 1,
        ("letter", "index-3x5"): 2,
        ("letter", "index-4x6"): 1,
    }
    assert MARGIN == PRINTER_MARGIN + MARK_GAP + MARK_LENGTH


@pytest.mark.parametrize(("paper", "size", "mode"), EVERY)
def test_every_card_is_at_its_real_size_inside_the_margin_and_none_overlap(
    paper: Paper, size: CardSize, mode: PrintSheet
) -> None:
    layout = sheet(paper, size, mode)
    width, height = PAPER_SIZES[paper]
    assert layout.size == (width, height)
    sides = [sorted({p.side for p in page}) for page in layout.pages]
    assert sides == ([["back", "front"]] if mode == "fold" else [["front"], ["back"]])
    for page in layout.pages:
        assert len(page) == layout.cards * (2 if mode == "fold" else 1)
        for placed in page:
            assert (placed.width, placed.height) == CARD_SIZES[size]
            left, top, right, bottom = cell(placed)
            assert left >= MARGIN - 1e-6 and right <= width - MARGIN + 1e-6
            assert top >= MARGIN - 1e-6 and bottom <= height - MARGIN + 1e-6
        for a, b in itertools.combinations([cell(p) for p in page], 2):
            assert (
                a[2] <= b[0] + 1e-6
                or b[2] <= a[0] + 1e-6
                or a[3] <= b[1] + 1e-6
                or b[3] <= a[1] + 1e-6
            )


@pytest.mark.parametrize(("paper", "size", "mode"), EVERY)
def test_one_more_row_or_column_would_not_fit(
    paper: Paper, size: CardSize, mode: PrintSheet
) -> None:
    layout = sheet(paper, size, mode)
    width, height = PAPER_SIZES[paper]
    cells = [cell(p) for p in layout.pages[0]]
    block_w = max(c[2] for c in cells) - min(c[0] for c in cells)
    block_h = max(c[3] for c in cells) - min(c[1] for c in cells)
    columns = len({round(c[0], 1) for c in cells})
    rows = len({round(c[1], 1) for c in cells})
    assert block_w * (columns + 1) / columns > width - 2 * MARGIN
    assert block_h * (rows + 1) / rows > height - 2 * MARGIN


@pytest.mark.parametrize(("paper", "size", "mode"), EVERY)
def test_crop_marks_stand_outside_the_cards_in_line_with_every_edge(
    paper: Paper, size: CardSize, mode: PrintSheet
) -> None:
    layout = sheet(paper, size, mode)
    cells = [cell(p) for p in layout.pages[0]]
    width, height = PAPER_SIZES[paper]
    for mark in layout.marks:
        assert abs(abs(mark.x2 - mark.x1) + abs(mark.y2 - mark.y1) - MARK_LENGTH) < 1e-6
        for x in (mark.x1, mark.x2):
            assert PRINTER_MARGIN - 1e-6 <= x <= width - PRINTER_MARGIN + 1e-6
        for y in (mark.y1, mark.y2):
            assert PRINTER_MARGIN - 1e-6 <= y <= height - PRINTER_MARGIN + 1e-6
        for left, top, right, bottom in cells:  # never on a card
            inside_x = left < max(mark.x1, mark.x2) and min(mark.x1, mark.x2) < right
            inside_y = top < max(mark.y1, mark.y2) and min(mark.y1, mark.y2) < bottom
            assert not (inside_x and inside_y)
    upright = {m.x1 for m in layout.marks if m.upright}
    level = {m.y1 for m in layout.marks if not m.upright}
    for left, top, right, bottom in cells:
        if mode == "fold":  # a pair is cut out whole: its outer edges are marked
            continue
        assert {round(left, 3), round(right, 3)} <= upright
        assert {round(top, 3), round(bottom, 3)} <= level


@pytest.mark.parametrize(("paper", "size"), list(itertools.product(PAPERS, SIZES)))
def test_in_duplex_each_back_is_its_front_mirrored_left_to_right(
    paper: Paper, size: CardSize
) -> None:
    layout = sheet(paper, size, "duplex")
    fronts, backs = layout.pages
    width = PAPER_SIZES[paper][0]
    for front, back in zip(fronts, backs, strict=True):
        f_left, f_top, f_right, f_bottom = cell(front)
        b_left, b_top, b_right, b_bottom = cell(back)
        assert (b_left, b_right) == pytest.approx((width - f_right, width - f_left))
        assert (b_top, b_bottom) == pytest.approx((f_top, f_bottom))
        # turned over the long edge, an upright card's back stays upright; a card on its
        # side has its top at the other edge of the page
        assert (front.turn, back.turn) == ((90, 270) if layout.turned else (0, 0))


@pytest.mark.parametrize(("paper", "size"), list(itertools.product(PAPERS, SIZES)))
def test_fold_puts_each_back_beside_its_front_with_a_fold_line_between(
    paper: Paper, size: CardSize
) -> None:
    layout = sheet(paper, size, "fold")
    [page] = layout.pages
    assert len(layout.folds) == layout.cards
    for front, back, fold in zip(page[::2], page[1::2], layout.folds, strict=True):
        assert (front.side, back.side) == ("front", "back")
        f, b = cell(front), cell(back)
        if fold.upright:  # side by side; folded over an upright line the back stays upright
            assert f[2] == pytest.approx(b[0]) == pytest.approx(fold.x1)
            assert (fold.y1, fold.y2) == pytest.approx((f[1], f[3]))
        else:  # one above the other
            assert f[3] == pytest.approx(b[1]) == pytest.approx(fold.y1)
            assert (fold.x1, fold.x2) == pytest.approx((f[0], f[2]))
        assert back.turn == front.turn  # both fold axes lie along the card's upright axis here


# --- The PDF ----------------------------------------------------------------------------------


def configure(mini: Path, paper: Paper, size: CardSize, mode: PrintSheet) -> None:
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"paper: {paper}\npocket_card:\n  size: {size}\n  print_sheet: {mode}\n")


def render_sheet(mini: Path) -> tuple[bytes, int, int]:
    """Only the print sheet and the pocket card of the mini event: (sheet PDF, the sheet's
    variant, the card's variant)."""
    documents = {d.output.name: d for d in plan(load_project(mini), BuildOptions(out=mini / "o"))}
    card, sheet_doc = documents["pocket-card.pdf"], documents["pocket-cards-sheet.pdf"]
    sheet_job = PdfJob(sheet_doc.name, sheet_doc.variants, mini, sheet_doc.output.max_pages)
    job = PdfJob(
        card.name,
        card.variants,
        mini,
        card.output.max_pages,
        card.output.too_long,
        follower=sheet_job,
    )
    [card_pdf] = render_all([job], Setup(roots=(mini, REPO / "presskit")), workers=1)
    sheet_pdf = card_pdf.follower
    assert sheet_pdf is not None
    return sheet_pdf.data, sheet_pdf.variant, card_pdf.variant


Box = tuple[float, float, float, float]
BLACK = ((0,), (0, 0, 0), 0)


def hairlines(page: Any, *, black: bool) -> list[Box]:
    """Boxes at most 0.3 mm thick drawn in black (or not), as (x0, top, x1, bottom) in mm."""
    return [
        (r["x0"] / MM, r["top"] / MM, r["x1"] / MM, r["bottom"] / MM)
        for r in page.rects
        if (r["non_stroking_color"] in BLACK) == black and min(r["width"], r["height"]) < 0.3 * MM
    ]


def same_lines(drawn: list[Box], lines: Iterable[Line]) -> bool:
    """Whether every line is drawn, and everything drawn is one of the lines (0.3 mm)."""
    wanted = [(min(m.x1, m.x2), min(m.y1, m.y2), max(m.x1, m.x2), max(m.y1, m.y2)) for m in lines]

    def near(a: Box, b: Box) -> bool:
        return all(abs(p - q) < 0.3 for p, q in zip(a, b, strict=True))

    return all(any(near(w, d) for d in drawn) for w in wanted) and all(
        any(near(w, d) for w in wanted) for d in drawn
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("paper", "size"), [("a4", "a6"), ("letter", "index-3x5"), ("a4", "index-4x6")]
)
def test_the_sheet_holds_the_computed_count_fronts_then_backs_with_crop_marks(
    mini: Path, paper: Paper, size: CardSize
) -> None:
    configure(mini, paper, size, "duplex")
    data, _, _ = render_sheet(mini)
    layout = sheet(paper, size, "duplex")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    front, back = (squash(p.extract_text()) for p in reader.pages)
    # the mini card: questions 1-2 (beta) on the front, 3-4 (alpha) on the back
    assert front.count("Test Gala") == layout.cards and "alpha" not in front
    assert back.count("What does alpha two ask?") == layout.cards and "Test Gala" not in back
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            assert (page.width / MM, page.height / MM) == pytest.approx(PAPER_SIZES[paper], abs=0.1)
            assert same_lines(hairlines(page, black=True), layout.marks)
            # decoration, not content: every drawing is an artifact, and no mark is text
            assert {r["tag"] for r in page.rects} <= {"Artifact"}
    assert "/StructTreeRoot" in reader.trailer["/Root"]


@pytest.mark.slow
def test_backs_are_placed_for_a_long_edge_turn(mini: Path) -> None:
    """Read back: each back question sits, mirrored, on a card's place on page 1; on cards lying
    on their side the front's top is at the right of page 1 and the back's at the left of page 2,
    which is the same edge once the sheet is turned over its long edge."""
    configure(mini, "letter", "index-3x5", "duplex")
    data, _, _ = render_sheet(mini)
    layout = sheet("letter", "index-3x5", "duplex")
    width = PAPER_SIZES["letter"][0]
    fronts = [cell(p) for p in layout.pages[0]]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        front_words = [w for w in pdf.pages[0].extract_words() if w["text"] == "beta"]
        back_words = [w for w in pdf.pages[1].extract_words() if w["text"] == "alpha"]
    assert len(front_words) == len(back_words) == 2 * layout.cards
    for word in front_words:
        assert any(c[0] < word["x0"] / MM < word["x1"] / MM < c[2] for c in fronts)
    for word in back_words:
        mirrored = (width - word["x1"] / MM, width - word["x0"] / MM)
        assert any(c[0] < mirrored[0] < mirrored[1] < c[2] for c in fronts)
    assert len({round(w["x0"] / MM) for w in back_words}) == 2  # two columns


@pytest.mark.slow
def test_cards_on_their_side_turn_their_backs_for_the_long_edge(mini: Path) -> None:
    """A6 on A4: the top of each front is at the right of page 1, of each back at the left of
    page 2, which is the same edge of the paper once it is turned over its long edge."""
    configure(mini, "a4", "a6", "duplex")
    data, _, _ = render_sheet(mini)
    left, _, right, _ = cell(sheet("a4", "a6", "duplex").pages[0][0])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        tags = [c for c in pdf.pages[0].chars if c["text"] == "#"]  # #TestCampaign, first line
        firsts = [c for c in pdf.pages[1].chars if c["text"] == "3"]  # the back's first number
    assert len(tags) == len(firsts) == 2
    # a character's matrix (a, b, ...) is its direction of writing, in PDF space (y upwards)
    # within the card's margin and first line (15 mm) of the edge
    assert all(c["matrix"][1] < 0 and right - 15 < c["x0"] / MM < right for c in tags)  # down
    assert all(c["matrix"][1] > 0 and left < c["x1"] / MM < left + 15 for c in firsts)  # up


@pytest.mark.slow
def test_fold_puts_front_and_back_on_one_page_with_a_fold_line(mini: Path) -> None:
    configure(mini, "a4", "index-3x5", "fold")
    data, _, _ = render_sheet(mini)
    layout = sheet("a4", "index-3x5", "fold")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = squash(reader.pages[0].extract_text())
    assert text.count("Test Gala") == text.count("What does alpha two ask?") == layout.cards == 2
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        assert same_lines(hairlines(page, black=False), layout.folds)  # grey, dashed
        assert same_lines(hairlines(page, black=True), layout.marks)
        fronts = [w for w in page.extract_words() if w["text"] == "beta"]
        backs = [w for w in page.extract_words() if w["text"] == "alpha"]
    fold_x = layout.folds[0].x1
    assert all(w["x1"] / MM < fold_x for w in fronts)
    assert all(w["x0"] / MM > fold_x for w in backs)


@pytest.mark.slow
def test_the_sheet_is_set_in_the_density_the_card_fits_in(mini: Path) -> None:
    """A card crowded out of its roomiest layout: the sheet follows it to the next one."""
    (mini / "templates").mkdir()
    (mini / "templates/pocket-card.html.j2").write_text(
        '{% extends "builtin/pocket-card.html.j2" %}{% block front %}{{ super() }}'
        '{% if density == "normal" %}<div style="height: 120mm"></div>{% endif %}{% endblock %}',
        encoding="utf-8",
    )
    _, sheet_variant, card_variant = render_sheet(mini)
    assert sheet_variant == card_variant == 1
