"""The build's shared vocabulary: the files every event gets, and where they go."""

from __future__ import annotations

from pathlib import Path

from presskit.pipeline.documents import OUTPUTS, Document, debug_html_path


def test_every_event_gets_three_pdfs_and_a_one_pager() -> None:
    assert [(o.name, o.format) for o in OUTPUTS] == [
        ("press-kit.pdf", "pdf"),
        ("questions.pdf", "pdf"),
        ("pocket-card.pdf", "pdf"),
        ("index.html", "html"),
    ]
    assert {o.name: o.max_pages for o in OUTPUTS if o.max_pages} == {
        "questions.pdf": 1,
        "pocket-card.pdf": 2,
    }


def test_a_document_is_named_by_its_event_and_file() -> None:
    assert Document("gala", OUTPUTS[1], ("<p>",)).name == "gala/questions.pdf"


def test_debug_html_sits_beside_its_pdf() -> None:
    assert debug_html_path(Path("out/gala/press-kit.pdf")) == Path("out/gala/press-kit.html")
