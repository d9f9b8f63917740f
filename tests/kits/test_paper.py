"""Paper: a4 or letter for every PDF of an event, the campaign's unless the event sets its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from presskit.errors import ValidationFailed
from presskit.kits.paper import CARD_SIZES, PAPER_SIZES, css_size, event_paper
from presskit.project.loading import load_project
from tests.conftest import build_in_place

Edit = Callable[[Path, str, str], None]
MM = 72 / 25.4


def page_sizes_mm(pdf: Path) -> set[tuple[float, float]]:
    """Every page's media box, in millimetres rounded to a tenth."""
    return {
        (round(float(p.mediabox.width) / MM, 1), round(float(p.mediabox.height) / MM, 1))
        for p in PdfReader(pdf).pages
    }


def test_the_campaign_paper_is_a4_unless_set_and_an_event_may_set_its_own(
    mini: Path, edit: Edit
) -> None:
    project = load_project(mini)
    gala = project.event("gala").event
    assert event_paper(project.campaign, gala) == "a4"
    (mini / "presskit.yaml").write_text(
        (mini / "presskit.yaml").read_text() + "paper: letter\n", encoding="utf-8"
    )
    project = load_project(mini)
    assert event_paper(project.campaign, project.event("gala").event) == "letter"
    edit(mini / "events/gala.yaml", "kind: red-carpet", "kind: red-carpet\npaper: a4")
    project = load_project(mini)
    assert event_paper(project.campaign, project.event("gala").event) == "a4"


def test_other_papers_are_refused_with_the_choices(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "kind: red-carpet", "kind: red-carpet\npaper: legal")
    with pytest.raises(ValidationFailed) as caught:
        load_project(mini, display=".")
    assert [str(p) for p in caught.value.problems] == [
        "events/gala.yaml:6:8: paper: must be one of 'a4' or 'letter'"
    ]


def test_sizes_are_portrait_and_written_as_css() -> None:
    for width, height in [*PAPER_SIZES.values(), *CARD_SIZES.values()]:
        assert width < height
    assert css_size(CARD_SIZES["index-3x5"]) == "76.2mm 127mm"
    assert css_size(PAPER_SIZES["letter"]) == "215.9mm 279.4mm"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("campaign", "event", "expected"),
    [
        (None, None, "a4"),
        ("letter", None, "letter"),
        (None, "letter", "letter"),
        ("letter", "a4", "a4"),
    ],
)
def test_the_press_kit_and_question_sheet_are_printed_on_the_events_paper(
    mini: Path, edit: Edit, campaign: str | None, event: str | None, expected: str
) -> None:
    if campaign:
        with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
            handle.write(f"paper: {campaign}\n")
    if event:
        edit(mini / "events/gala.yaml", "kind: red-carpet", f"kind: red-carpet\npaper: {event}")
    build_in_place(mini, formats=frozenset({"pdf"}))
    kit = mini / "output/gala"
    assert page_sizes_mm(kit / "press-kit.pdf") == {PAPER_SIZES[expected]}  # type: ignore[index]
    assert page_sizes_mm(kit / "questions.pdf") == {PAPER_SIZES[expected]}  # type: ignore[index]
    # the pocket card keeps its own size, whatever the paper
    assert page_sizes_mm(kit / "pocket-card.pdf") == {CARD_SIZES["a6"]}
