"""Print layout that holds, read back from the PDFs by position (pdfplumber), not by eye.

The running footer of the press kit and the question sheet stays on one line, beside a page
number that stays on one line too and never touches it, whatever the event name, embargo and
version line (a line too long ends in an ellipsis); the sheet's header sets the date and the
venue each on one line. Checked with a very long name and an embargo in English, French and
Arabic (right to left), on every paper size in `PAPERS`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

from presskit.kits.i18n import direction, format_date, labels
from tests.conftest import FIXTURES, build_in_place

pytestmark = pytest.mark.slow  # renders PDFs

# The paper sizes the kits print on (presskit.yaml `paper:`), with their width in points.
PAPERS = {"a4": 595.28, "letter": 612.0}

LONG_NAME = (
    "The Extraordinarily Long Annual International Film Critics Circle Awards Night "
    "and Gala Dinner Red Carpet Arrivals"
)
LONG_ARABIC_NAME = (
    "الحفل السنوي الدولي الطويل جدا لجوائز دائرة نقاد السينما وعشاء السجادة الحمراء ووصول الضيوف"
)
EMBARGO = "2027-03-06T18:00:00-08:00"
BAND = 40.0  # points from the bottom edge: the footer's margin box; page content stays above
MIN_GAP = 5.0  # points between the footer line and the page number, at least
PAPER_EDGE = 28.0  # points (10 mm): no footer text nearer the paper's edge than this


@dataclass(frozen=True)
class Case:
    slug: str
    language: str
    name: str
    embargo: bool

    @property
    def long(self) -> bool:
        return self.name != "Gala"


CASES = [
    Case("long-en", "en", LONG_NAME, embargo=True),
    Case("long-fr", "fr", LONG_NAME, embargo=True),
    Case("long-ar", "ar", LONG_ARABIC_NAME, embargo=True),
    Case("short-en", "en", "Gala", embargo=False),
]


def _event(case: Case) -> str:
    lines = [
        f"name: {case.name}",
        "date: 2027-03-07",
        "venue: Test Hall",
        "city: Testville",
        "kind: red-carpet",
        f"language: {case.language}",
        "select:",
        "  count: 4",
    ]
    if case.embargo:
        lines.append(f"embargo_until: {EMBARGO}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Built:
    root: Path
    paper: str


@pytest.fixture(scope="module", params=sorted(PAPERS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The mini project with the cases as events, built once per paper size."""
    root = tmp_path_factory.mktemp(f"layout-{request.param}") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    with (root / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"paper: {request.param}\n")
    for old in (root / "events").glob("*.yaml"):
        old.unlink()
    for case in CASES:
        (root / "events" / f"{case.slug}.yaml").write_text(_event(case), encoding="utf-8")
    build_in_place(root, formats=frozenset({"pdf"}))
    return Built(root, request.param)


def _pdf(root: Path, case: Case, name: str) -> Path:
    """An event's PDF, published or held back by its embargo."""
    (found,) = [p for p in root.glob(f"output*/{case.slug}/{name}") if p.is_file()]
    return found


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def _words(page: pdfplumber.page.Page) -> list[Word]:
    return [
        Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
        for w in page.extract_words(keep_blank_chars=False, x_tolerance=1.5)
    ]


def _one_line(words: list[Word]) -> bool:
    """Whether the words sit on a single line: their heights overlap (two lines would span
    more than one and a half of the tallest word)."""
    span = max(w.bottom for w in words) - min(w.top for w in words)
    return span < 1.5 * max(w.bottom - w.top for w in words)


def _split(words: list[Word]) -> tuple[list[Word], list[Word], float]:
    """The words left and right of the widest horizontal gap between them, and the gap."""
    ordered = sorted(words, key=lambda w: w.x0)
    gaps = [(b.x0 - max(w.x1 for w in ordered[: i + 1]), i) for i, b in enumerate(ordered[1:])]
    gap, at = max(gaps)
    return ordered[: at + 1], ordered[at + 1 :], gap


def _visual(text: str, language: str) -> str:
    """A short logical string as pdfplumber reads it back: right-to-left text comes back in
    visual order (reversed), digits within it too when they are single."""
    return text[::-1] if direction(language) == "rtl" else text


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
@pytest.mark.parametrize("document", ["press-kit.pdf", "questions.pdf"])
def test_the_footer_and_the_page_number_each_hold_one_line_apart(
    built: Built, case: Case, document: str
) -> None:
    words_of = labels(case.language)
    rtl = direction(case.language) == "rtl"
    with pdfplumber.open(_pdf(built.root, case, document)) as pdf:
        total = len(pdf.pages)
        assert round(float(pdf.pages[0].width), 2) == PAPERS[built.paper]
        for number, page in enumerate(pdf.pages, 1):
            band = [w for w in _words(page) if w.top > page.height - BAND]
            where = f"{document} of {case.slug}, page {number}"
            assert band, f"{where}: no running footer"
            assert _one_line(band), f"{where}: the footer wraps: {[w.text for w in band]}"
            left, right, gap = _split(band)
            footer, page_number = (right, left) if rtl else (left, right)
            assert gap >= MIN_GAP, f"{where}: footer and page number touch ({gap:.1f} pt)"
            shown = " ".join(w.text for w in page_number).replace("\xa0", " ")
            expected = f"{words_of['page']} {number} {words_of['page_of']} {total}"
            assert shown == _visual(expected, case.language), where
            first = footer[-1] if rtl else footer[0]  # where the line starts, in its direction
            assert first.text.endswith("#TestCampaign"), f"{where}: {first.text!r}"
            last = footer[0] if rtl else footer[-1]
            line = " ".join(w.text for w in footer)
            # the line's logical end is the version line: there unless the line is shortened
            end = _visual(words_of["version_undated"].split()[-1], case.language)
            shortened = "…" in last.text
            assert (end in line) != shortened, f"{where}: {line!r}"
            if case.long and document == "press-kit.pdf":  # with the embargo it cannot fit
                assert shortened, f"{where}: {line!r}"
            if not case.long:
                assert line == "#TestCampaign · Gala · Undated version", where
            for word in band:
                assert word.x0 >= PAPER_EDGE and word.x1 <= page.width - PAPER_EDGE, where


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_the_sheet_header_sets_date_and_venue_each_on_one_line(built: Built, case: Case) -> None:
    words_of = labels(case.language)
    date = format_date(dt.date(2027, 3, 7), case.language)
    with pdfplumber.open(_pdf(built.root, case, "questions.pdf")) as pdf:
        page = pdf.pages[0]
        words = _words(page)
        (label,) = [w for w in words if w.text == _visual(words_of["date"], case.language)]
        middle = (label.top + label.bottom) / 2
        line = [w for w in words if w.top < middle < w.bottom]
        assert _one_line(line)
        text = "".join(w.text for w in line)
        # every character of the labels and values is on the label's line: nothing wrapped
        for value in [date, words_of["venue"], "Test Hall, Testville"]:
            for char in value.replace(" ", ""):
                assert text.count(char) >= value.replace(" ", "").count(char), (value, text)


def test_the_cases_cover_three_languages_and_right_to_left() -> None:
    assert {c.language for c in CASES} >= {"en", "fr", "ar"}
    assert any(direction(c.language) == "rtl" for c in CASES)


@pytest.fixture(autouse=True, scope="module")
def _no_epoch() -> Iterator[None]:
    """Outside git and without SOURCE_DATE_EPOCH the version line is "Undated version"."""

    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    yield
    if saved is not None:
        os.environ["SOURCE_DATE_EPOCH"] = saved
