"""Planning: every document's HTML, selected and rendered, before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.errors import UsageError
from presskit.pipeline.documents import ALL_FORMATS, BuildOptions
from presskit.pipeline.plan import plan
from presskit.project.loading import load_project


def test_one_document_per_output_and_three_densities_for_page_limited_ones(mini: Path) -> None:
    documents = plan(load_project(mini), BuildOptions(out=mini / "output"))
    assert [(d.name, len(d.variants)) for d in documents] == [
        ("gala/press-kit.pdf", 1),
        ("gala/questions.pdf", 3),
        ("gala/pocket-card.pdf", 3),
        ("gala/pocket-cards-sheet.pdf", 3),
        ("gala/index.html", 1),
    ]
    assert all(v.startswith("<!DOCTYPE html>") for d in documents for v in d.variants)
    # the print sheet's variant is picked by the pocket card's fit: it carries the card's HTML
    card, sheet = documents[2], documents[3]
    assert sheet.probes == card.variants
    assert all(not d.probes for d in documents if d is not sheet)


def test_only_the_formats_asked_for(mini: Path) -> None:
    documents = plan(load_project(mini), BuildOptions(out=mini, formats=frozenset({"html"})))
    assert [d.name for d in documents] == ["gala/index.html"]
    assert "press-kit.pdf" not in documents[0].variants[0]  # nothing links to a file not built


def test_the_html_alone_can_link_to_the_pdfs_a_later_build_makes(mini: Path) -> None:
    """The live preview builds the HTML first and the PDFs next: the one-pager it serves first
    is already the one the full build makes."""
    project = load_project(mini)
    full = plan(project, BuildOptions(out=mini))
    first = plan(project, BuildOptions(out=mini, formats=frozenset({"html"}), linked=ALL_FORMATS))
    assert [d.name for d in first] == ["gala/index.html"]
    assert first[0].variants == next(d for d in full if d.name == "gala/index.html").variants
    assert 'href="press-kit.pdf"' in first[0].variants[0]


def test_only_the_outputs_asked_for_and_those_whose_fit_picks_theirs(mini: Path) -> None:
    project = load_project(mini)
    documents = plan(project, BuildOptions(out=mini, outputs=("press-kit.pdf",)))
    assert [d.name for d in documents] == ["gala/press-kit.pdf"]
    documents = plan(project, BuildOptions(out=mini, outputs=("pocket-cards-sheet.pdf",)))
    assert [d.name for d in documents] == ["gala/pocket-card.pdf", "gala/pocket-cards-sheet.pdf"]
    assert documents[1].probes == documents[0].variants


def test_an_unknown_event_is_a_usage_error(mini: Path) -> None:
    with pytest.raises(UsageError, match="no event named 'nope'; known events: gala"):
        plan(load_project(mini), BuildOptions(out=mini, events=("nope",)))


def test_the_sheet_knows_what_each_layout_leaves_out(mini: Path) -> None:
    """The mini event has one follow-up and one note: compact drops the note, tight both."""
    documents = plan(load_project(mini), BuildOptions(out=mini / "output"))
    sheet = next(d for d in documents if d.output.sheet)
    assert [str(x) for x in sheet.left_out] == ["", "1 note", "1 follow-up and 1 note"]
    assert sheet.warning(0) is None
    assert sheet.warning(2) == (
        "gala: the question sheet leaves out 1 follow-up and 1 note to fit 1 page (the press kit "
        "has them; question_sheet.overflow: pages keeps them on more pages)"
    )
    others = [d for d in documents if not d.output.sheet]
    assert all(d.left_out == () and d.warning(0) is None for d in others)


@pytest.mark.parametrize("overflow", ["fail", "pages"])
def test_fail_and_pages_never_leave_anything_out(mini: Path, overflow: str) -> None:
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as f:
        f.write(f"question_sheet:\n  overflow: {overflow}\n")
    documents = plan(load_project(mini), BuildOptions(out=mini / "output"))
    sheet = next(d for d in documents if d.output.sheet)
    assert len(sheet.variants) == 1 and not sheet.left_out[0]
    if overflow == "pages":
        assert sheet.output.max_pages is None
    else:
        assert sheet.output.max_pages == 1
        assert "leave out up to 1 follow-up and 1 note" in sheet.output.too_long
