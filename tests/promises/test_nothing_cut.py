"""Text is never silently lost: a question sheet too long for its page says what it left out
(or fails, or takes more pages, as `question_sheet.overflow` asks), and no word runs off
the paper's edge."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from presskit.cli import main
from presskit.errors import PresskitError
from tests.conftest import build_in_place, pdf_pages, pdf_text, squash

pytestmark = pytest.mark.slow  # every test here renders the PDFs and reads them back

Edit = Callable[[Path, str, str], None]


def _thirty_questions(root: Path, edit: Edit, overflow: str | None) -> None:
    """The event draws 30 questions, each with a follow-up and a note: too much for one page."""
    lines = ["theme: Gamma theme", "questions:"]
    for n in range(1, 31):
        lines += [
            f"  - id: g-{n}",
            f"    text: What does gamma question number {n} ask of the men in this room tonight?",
            f'    follow_ups: ["Follow-up {n}: and what will you do about it tomorrow?"]',
            f"    notes: Note {n} for reporters, with some context to read before asking.",
            "    status: approved",
        ]
    (root / "question_banks" / "gamma.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    edit(
        root / "events" / "gala.yaml",
        "  count: 4\n  pinned: [b-two]",
        "  count: 30\n  banks: [gamma]",
    )
    if overflow is not None:
        with (root / "presskit.yaml").open("a", encoding="utf-8") as f:
            f.write(f"question_sheet:\n  overflow: {overflow}\n")


def test_drop_is_the_default_and_is_announced(mini: Path, edit: Edit) -> None:
    _thirty_questions(mini, edit, None)
    result = build_in_place(mini)
    assert result.warnings == [
        "gala: the question sheet leaves out 30 follow-ups and 30 notes to fit 1 page "
        "(the press kit has them; question_sheet.overflow: pages keeps them on more pages)"
    ]
    sheet = mini / "output" / "gala" / "questions.pdf"
    assert pdf_pages(sheet) == 1
    text = squash(pdf_text(sheet))
    assert "gamma question number 30" in text
    assert "Follow-up 1:" not in text and "Note 1 for" not in text
    assert "Follow-ups and notes for reporters are left out to fit this page" in text
    kit = squash(pdf_text(mini / "output" / "gala" / "press-kit.pdf"))
    assert "Follow-up 30:" in kit and "Note 30 for" in kit


def test_the_warning_is_printed_even_when_quiet(
    mini: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch
) -> None:
    _thirty_questions(mini, edit, "drop")
    monkeypatch.chdir(mini)
    result = CliRunner().invoke(main, ["build", "--quiet", "--jobs", "1"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "warning: gala: the question sheet leaves out 30 follow-ups and 30 notes" in (
        result.stderr
    )


def test_fail_names_the_event_and_what_would_be_dropped(mini: Path, edit: Edit) -> None:
    _thirty_questions(mini, edit, "fail")
    with pytest.raises(PresskitError) as error:
        build_in_place(mini)
    message = str(error.value.message)
    assert message.startswith("gala/questions.pdf: does not fit on 1 page")
    assert "leave out up to 30 follow-ups and 30 notes" in message
    assert "question_sheet.overflow" in message
    assert not (mini / "output" / "gala").exists()  # nothing half-written


def test_pages_keeps_everything_on_more_pages(mini: Path, edit: Edit) -> None:
    _thirty_questions(mini, edit, "pages")
    result = build_in_place(mini)
    assert result.warnings == []
    sheet = mini / "output" / "gala" / "questions.pdf"
    assert pdf_pages(sheet) >= 2
    text = squash(pdf_text(sheet))
    for n in (1, 30):
        assert f"Follow-up {n}:" in text and f"Note {n} for" in text
    assert "left out" not in text


def test_a_sheet_that_fits_says_nothing(mini: Path) -> None:
    result = build_in_place(mini)
    assert result.warnings == []
    assert "left out" not in pdf_text(mini / "output" / "gala" / "questions.pdf")


def test_nothing_is_dropped_silently_at_any_density(mini: Path, edit: Edit) -> None:
    """Notes only (compact): the warning and the sheet say notes, not follow-ups."""
    _thirty_questions(mini, edit, None)
    bank = mini / "question_banks" / "gamma.yaml"
    text = bank.read_text(encoding="utf-8")
    # shorter questions: the compact layout (follow-ups kept, notes dropped) now fits
    for n in range(1, 31):
        text = text.replace(
            f"What does gamma question number {n} ask of the men in this room tonight?",
            f"Gamma {n}?",
        ).replace(f'"Follow-up {n}: and what will you do about it tomorrow?"', f'"F{n}?"')
    bank.write_text(text, encoding="utf-8")
    edit(mini / "events" / "gala.yaml", "count: 30", "count: 16")
    result = build_in_place(mini)
    sheet = squash(pdf_text(mini / "output" / "gala" / "questions.pdf"))
    assert "F1?" in sheet and "Note 1 for" not in sheet  # the compact layout
    assert result.warnings == [
        "gala: the question sheet leaves out 16 notes to fit 1 page (the press kit has "
        "them; question_sheet.overflow: pages keeps them on more pages)"
    ]
    assert "Notes for reporters are left out to fit this page" in sheet


LONG = "Rindfleischetikettierungsueberwachungsaufgabenuebertragungsgesetz"[:60]  # 60 letters


def _words_off_the_page(pdf: Path) -> list[str]:
    """Every word whose box poppler finds reaching past the page's left or right edge."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    off = []
    for page in BeautifulSoup(bbox, "html.parser").find_all("page"):
        width = float(page["width"])
        for word in page.find_all("word"):
            if float(word["xmin"]) < -0.5 or float(word["xmax"]) > width + 0.5:
                off.append(word.get_text())
    return off


def test_long_words_wrap_inside_the_page(mini: Path, edit: Edit) -> None:
    edit(mini / "presskit.yaml", 'hashtag: "#TestCampaign"', f'hashtag: "#{LONG}"')
    edit(mini / "events" / "gala.yaml", "venue: Test Hall", f"venue: {LONG}")
    edit(
        mini / "question_banks" / "beta.yaml",  # b-two is pinned: on the sheet and the card
        "text: What does beta two ask?",
        f"text: What does {LONG} ask?",
    )
    build_in_place(mini)
    for name in ("questions.pdf", "pocket-card.pdf", "pocket-cards-sheet.pdf", "press-kit.pdf"):
        pdf = mini / "output" / "gala" / name
        joined = "".join(pdf_text(pdf).split())  # a word broken over lines, joined again
        assert joined.count(LONG) >= 3, name  # the hashtag, the venue and the question
        assert _words_off_the_page(pdf) == [], name
