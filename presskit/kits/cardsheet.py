"""The pocket cards' print sheet: as many cards as fit on the event's paper, with crop marks.

Cards sit edge to edge in a grid centred on the page, each at its real size, so one cut
separates two cards; the crop marks stand in the margin around the grid, in line with every
cut. Each card is either upright or turned a quarter (an A6 card lies on its side, two to a
page); whichever holds more cards wins, upright on a tie.

- `duplex`: the fronts on page 1, the backs on page 2. Printed on both sides with the sheet
  turned over its long edge (the usual duplex setting), page 2 is page 1 mirrored left to
  right, so each back sits at the front's column counted from the other side.
- `fold`: for printers without duplex, each card's front and back side by side on one page (or
  one above the other, where that fits more), a fold line between them: cut out the pair, fold.

Where a back must face the other way, it is turned half a turn: the reader turns a card over
about its own upright axis, and when that axis lies across the line the sheet turns (or folds)
about, the back would otherwise come out upside down.

All lengths are in millimetres, from the page's top left corner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from presskit.kits.paper import CARD_SIZES, PAPER_SIZES
from presskit.project.models import CardSize, Paper, PrintSheet

PRINTER_MARGIN = 5.0  # what desktop printers leave blank at the paper's edge
MARK_GAP = 2.0  # between a cut line's end at the cards and its crop mark
MARK_LENGTH = 4.0
# From the paper's edge to the cards: room for the printer's margin and the crop marks.
MARGIN = PRINTER_MARGIN + MARK_GAP + MARK_LENGTH


@dataclass(frozen=True)
class Placed:
    """One side of one card on a page."""

    side: Literal["front", "back"]
    """Which side of the card this is."""
    x: float
    """The left edge of the card as it lies on the page."""
    y: float
    """Its top edge."""
    turn: int
    """Degrees the card's content is turned clockwise: 0, 90, 180 or 270."""
    width: float
    """The card's own width (upright), before it is turned."""
    height: float
    """The card's own height (upright), before it is turned."""

    @property
    def centre(self) -> tuple[float, float]:
        """The card's centre on the page, which turning leaves in place."""
        across, down = (self.height, self.width) if self.turn % 180 else (self.width, self.height)
        return self.x + across / 2, self.y + down / 2

    @property
    def left(self) -> float:
        """Where the card's unturned box starts, so that turned about its centre it lands here."""
        return self.centre[0] - self.width / 2

    @property
    def top(self) -> float:
        """The same for its top edge."""
        return self.centre[1] - self.height / 2


@dataclass(frozen=True)
class Line:
    """A crop mark or a fold line, from (x1, y1) to (x2, y2); always upright or level."""

    x1: float
    """Where it starts, across."""
    y1: float
    """Where it starts, down."""
    x2: float
    """Where it ends, across (the same as `x1` for an upright line)."""
    y2: float
    """Where it ends, down (the same as `y1` for a level line)."""

    @property
    def upright(self) -> bool:
        return self.x1 == self.x2


@dataclass(frozen=True)
class Sheet:
    """The print sheet's pages (each the sides it holds), crop marks and fold lines."""

    paper: Paper
    """`a4` or `letter`, also the CSS page size."""
    size: tuple[float, float]
    """The paper's width and height."""
    mode: PrintSheet
    """`duplex` or `fold` (`pocket_card.print_sheet`)."""
    cards: int
    """How many cards one sheet of paper makes."""
    turned: bool
    """Whether the cards lie on their side."""
    pages: tuple[tuple[Placed, ...], ...]
    """Each page's card sides: duplex, fronts then backs; fold, one page of both."""
    marks: tuple[Line, ...]
    """Crop marks, in the margin, in line with every cut."""
    folds: tuple[Line, ...]
    """Fold lines between a card's front and back (`fold` only), across the pair."""
    note_at: tuple[float, float]
    """Where a line of small print (the draft mark) starts: in the top margin, inside what
    printers print, beside the first crop mark."""


@dataclass(frozen=True)
class _Grid:
    turn: int  # 0 upright, 90 on its side
    along: Literal["x", "y"] | None  # where the back goes in `fold` (None: duplex)
    columns: int
    rows: int

    @property
    def cards(self) -> int:
        return self.columns * self.rows


def _fits(room: float, unit: float) -> int:
    return math.floor(room / unit + 1e-9)


def _grids(paper: Paper, card: CardSize, mode: PrintSheet) -> list[_Grid]:
    """Every way to lay the cards out, in order of preference (upright first)."""
    paper_w, paper_h = PAPER_SIZES[paper]
    room_w, room_h = paper_w - 2 * MARGIN, paper_h - 2 * MARGIN
    grids = []
    for turn in (0, 90):
        w, h = CARD_SIZES[card] if turn == 0 else CARD_SIZES[card][::-1]
        for along in ("x", "y") if mode == "fold" else (None,):
            unit_w = 2 * w if along == "x" else w
            unit_h = 2 * h if along == "y" else h
            grids.append(_Grid(turn, along, _fits(room_w, unit_w), _fits(room_h, unit_h)))
    return grids


def cards_per_sheet(paper: Paper, card: CardSize, mode: PrintSheet = "duplex") -> int:
    """How many cards of size `card` one sheet of `paper` makes, crop marks included."""
    return max(grid.cards for grid in _grids(paper, card, mode))


def _back_turn(front: int, axis: Literal["x", "y"]) -> int:
    """How the back is turned when the card turns over about a line along `axis` (`y`: the
    sheet's long edge in duplex, or an upright fold): half a turn more than the front when the
    card's own upright axis lies across that line."""
    upright_axis = "y" if front % 180 == 0 else "x"
    return front if upright_axis == axis else (front + 180) % 360


def sheet(paper: Paper, card: CardSize, mode: PrintSheet = "duplex") -> Sheet:
    """The print sheet of `card`-sized cards on `paper`, the most cards that fit."""
    grid = max(_grids(paper, card, mode), key=lambda g: g.cards)  # the first of the best
    if grid.cards == 0:  # pragma: no cover - every card size fits every paper
        raise ValueError(f"a {card} card does not fit on {paper} paper")
    paper_w, paper_h = PAPER_SIZES[paper]
    card_w, card_h = CARD_SIZES[card]
    cell_w, cell_h = (card_w, card_h) if grid.turn == 0 else (card_h, card_w)
    unit_w = 2 * cell_w if grid.along == "x" else cell_w
    unit_h = 2 * cell_h if grid.along == "y" else cell_h
    left = (paper_w - grid.columns * unit_w) / 2
    top = (paper_h - grid.rows * unit_h) / 2
    units = [
        (left + c * unit_w, top + r * unit_h) for r in range(grid.rows) for c in range(grid.columns)
    ]

    def side(name: Literal["front", "back"], x: float, y: float, turn: int) -> Placed:
        return Placed(name, round(x, 3), round(y, 3), turn, card_w, card_h)

    folds: list[Line] = []
    if grid.along is None:  # duplex: the back at the mirrored place, on the next page
        back = _back_turn(grid.turn, "y")
        fronts = tuple(side("front", x, y, grid.turn) for x, y in units)
        backs = tuple(side("back", paper_w - x - cell_w, y, back) for x, y in units)
        pages: tuple[tuple[Placed, ...], ...] = (fronts, backs)
    else:  # fold: the back beside the front, folded over the line between them
        axis: Literal["x", "y"] = "y" if grid.along == "x" else "x"
        back = _back_turn(grid.turn, axis)
        placed = []
        for x, y in units:
            bx, by = (x + cell_w, y) if grid.along == "x" else (x, y + cell_h)
            placed += [side("front", x, y, grid.turn), side("back", bx, by, back)]
            folds.append(
                Line(bx, y, bx, y + cell_h) if grid.along == "x" else Line(x, by, x + cell_w, by)
            )
        pages = (tuple(placed),)
    return Sheet(
        paper=paper,
        size=(paper_w, paper_h),
        mode=mode,
        cards=grid.cards,
        turned=grid.turn != 0,
        pages=pages,
        marks=_marks(left, top, grid.columns, grid.rows, unit_w, unit_h),
        folds=tuple(_rounded(f) for f in folds),
        note_at=(round(left + MARK_GAP, 3), PRINTER_MARGIN),
    )


def _marks(
    left: float, top: float, columns: int, rows: int, unit_w: float, unit_h: float
) -> tuple[Line, ...]:
    """Crop marks in the margin around the grid, in line with every cut."""
    right, bottom = left + columns * unit_w, top + rows * unit_h
    near, far = MARK_GAP, MARK_GAP + MARK_LENGTH
    marks = []
    for c in range(columns + 1):
        x = left + c * unit_w
        marks += [Line(x, top - far, x, top - near), Line(x, bottom + near, x, bottom + far)]
    for r in range(rows + 1):
        y = top + r * unit_h
        marks += [Line(left - far, y, left - near, y), Line(right + near, y, right + far, y)]
    return tuple(_rounded(m) for m in marks)


def _rounded(line: Line) -> Line:
    return Line(*(round(v, 3) for v in (line.x1, line.y1, line.x2, line.y2)))
