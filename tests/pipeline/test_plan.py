"""Planning: every document's HTML, selected and rendered, before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.errors import UsageError
from presskit.pipeline.documents import BuildOptions
from presskit.pipeline.plan import plan
from presskit.project.loading import load_project


def test_one_document_per_output_and_three_densities_for_page_limited_ones(mini: Path) -> None:
    documents = plan(load_project(mini), BuildOptions(out=mini / "output"))
    assert [(d.name, len(d.variants)) for d in documents] == [
        ("gala/press-kit.pdf", 1),
        ("gala/questions.pdf", 3),
        ("gala/pocket-card.pdf", 3),
        ("gala/index.html", 1),
    ]
    assert all(v.startswith("<!DOCTYPE html>") for d in documents for v in d.variants)


def test_only_the_formats_asked_for(mini: Path) -> None:
    documents = plan(load_project(mini), BuildOptions(out=mini, formats=frozenset({"html"})))
    assert [d.name for d in documents] == ["gala/index.html"]


def test_an_unknown_event_is_a_usage_error(mini: Path) -> None:
    with pytest.raises(UsageError, match="no event named 'nope'; known events: gala"):
        plan(load_project(mini), BuildOptions(out=mini, events=("nope",)))
