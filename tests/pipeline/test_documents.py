"""The build's shared vocabulary: the files every event gets, and where they go."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from presskit.pipeline.documents import (
    OUTPUTS,
    Document,
    debug_html_path,
    drafts_folder,
    held_back,
    listed,
    private_folder,
)
from presskit.project.models import Event


def test_every_event_gets_four_pdfs_and_a_one_pager() -> None:
    assert [(o.name, o.format) for o in OUTPUTS] == [
        ("press-kit.pdf", "pdf"),
        ("questions.pdf", "pdf"),
        ("pocket-card.pdf", "pdf"),
        ("pocket-cards-sheet.pdf", "pdf"),
        ("index.html", "html"),
    ]
    assert {o.name: o.max_pages for o in OUTPUTS if o.max_pages} == {
        "questions.pdf": 1,
        "pocket-card.pdf": 2,
        "pocket-cards-sheet.pdf": 2,  # the pocket card's pages: its variant follows the card's
    }
    fit_by = {o.name: o.fit_by for o in OUTPUTS if o.fit_by}
    assert fit_by == {"pocket-cards-sheet.pdf": "pocket-card.pdf"}
    names = [o.name for o in OUTPUTS]
    assert all(names.index(by) < names.index(name) for name, by in fit_by.items())


def test_a_document_is_named_by_its_event_and_file() -> None:
    assert Document("gala", OUTPUTS[1], ("<p>",)).name == "gala/questions.pdf"


def test_debug_html_sits_beside_its_pdf() -> None:
    assert debug_html_path(Path("out/gala/press-kit.pdf")) == Path("out/gala/press-kit.html")


def _event(**fields: object) -> Event:
    return Event.model_validate(
        {"name": "Gala", "date": "2027-03-07", "venue": "Hall", "select": {"count": 1}, **fields}
    )


def test_held_back_while_embargoed_or_private() -> None:
    until = dt.datetime(2027, 3, 7, 18, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
    embargoed = _event(embargo_until=until)
    just_before = dt.datetime(2027, 3, 8, 1, 59, tzinfo=dt.UTC)  # 17:59 in the event's zone
    assert held_back(embargoed, just_before) == "embargoed until 2027-03-07T18:00:00-08:00"
    assert held_back(embargoed, until) is None  # lifted at the moment itself
    assert held_back(_event(visibility="private"), until) == "private"
    assert held_back(_event(visibility="unlisted"), until) is None
    assert held_back(_event(), until) is None


def test_only_public_events_are_listed() -> None:
    assert listed(_event())
    assert not listed(_event(visibility="unlisted"))
    assert not listed(_event(visibility="private"))


def test_private_and_draft_folders_sit_beside_the_output_never_inside() -> None:
    assert private_folder(Path("/p/output")) == Path("/p/output-private")
    assert drafts_folder(Path("/p/output")) == Path("/p/output-drafts")
