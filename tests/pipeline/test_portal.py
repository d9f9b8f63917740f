"""The download portal, read back: every event, every download with its size, the finder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.pipeline.portal import format_size
from presskit.project.loading import load_project

Edit = Callable[[Path, str, str], None]
APPROVED = ["a-one", "a-two", "a-three", "b-one", "b-two"]


def test_sizes_read_like_a_file_manager() -> None:
    assert [format_size(n, "en") for n in (512, 1_000, 1_234, 34_567, 2_345_678)] == [
        "512 B",
        "1 kB",
        "1.2 kB",
        "35 kB",
        "2.3 MB",
    ]
    assert format_size(1_234, "de") == "1,2 kB"


@pytest.mark.slow
def test_the_portal_lists_every_event_and_download(mini: Path, edit: Edit) -> None:
    (mini / "events/later.yaml").write_text(
        (mini / "events/gala.yaml")
        .read_text()
        .replace("Test Gala", "Later Gala")
        .replace("2027-03-07", "2027-09-01")
    )
    build(load_project(mini), BuildOptions(out=mini / "out", events=("gala",)))
    out = mini / "out"
    soup = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    assert soup.html is not None and soup.html["lang"] == "en"
    assert soup.find("h1").get_text() == "Test Campaign: Press kits"  # type: ignore[union-attr]
    events = soup.select("li.event")
    assert [e.find("h3").get_text(strip=True) for e in events] == ["Test Gala", "Later Gala"]
    gala, later = events
    assert gala.find("time")["datetime"] == "2027-03-07"  # type: ignore[index]
    assert "March 7, 2027" in gala.get_text() and "Test Hall, Testville" in gala.get_text()
    rows = [
        (a["href"], a.get_text(), a.find_next_sibling("span").get_text())  # type: ignore[union-attr]
        for a in gala.select("ul.files a")
    ]
    names = [
        "press-kit.pdf",
        "questions.pdf",
        "pocket-card.pdf",
        "pocket-cards-sheet.pdf",
        "index.html",
        "gala-press-kit.zip",
    ]
    assert [href for href, _, _ in rows] == [f"gala/{n}" for n in names]
    assert [label for _, label, _ in rows] == [
        "Press kit",
        "Question sheet",
        "Pocket card",
        "Pocket cards to print and cut",
        "Web page (works offline)",
        "All files (zip)",
    ]
    for (_, _, meta), name in zip(rows, names, strict=True):
        kind = name.rsplit(".", 1)[1].upper()
        assert meta == f"{kind}, {format_size((out / 'gala' / name).stat().st_size, 'en')}"
    assert later.select("ul.files") == [] and "Not built yet" in later.get_text()


@pytest.mark.slow
def test_the_finder_lists_every_approved_question_in_plain_html(mini: Path) -> None:
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    soup = BeautifulSoup((mini / "out/index.html").read_text(), "html.parser")
    items = soup.select("li.finder-item")
    assert [li["id"] for li in items] == [f"find-{q}" for q in APPROVED]  # no draft, no retired
    assert soup.select_one(".finder-count").get_text() == "5 questions"  # type: ignore[union-attr]
    form = soup.select_one("form.finder")
    assert form is not None and form.has_attr("hidden")  # the script shows it; without, no use
    assert [o["value"] for o in soup.select("#finder-theme option")] == ["", "alpha", "beta"]
    assert [o["value"] for o in soup.select("#finder-tag option")] == ["", "deep", "quick"]
    a_one = soup.select_one("#find-a-one")
    assert a_one is not None and a_one["data-tags"] == "quick" and a_one["data-theme"] == "alpha"
    assert "And then what?" in a_one.get_text()
    assert "Tags: quick · Id: a-one" in a_one.get_text()
    asked = [(a["href"], a.get_text()) for a in a_one.select("a")]
    assert asked == [("gala/index.html#q-a-one", "Test Gala")]
    three = soup.select_one("#find-a-three")
    assert three is not None and three.select("a") == []  # not in any event
    # every question anchor the finder links to exists in the one-pager
    page = BeautifulSoup((mini / "out/gala/index.html").read_text(), "html.parser")
    for link in soup.select(".finder-item a"):
        assert page.find(id=link["href"].split("#")[1]) is not None  # type: ignore[union-attr]


@pytest.mark.slow
def test_hostile_text_is_escaped_in_the_portal(mini: Path, edit: Edit) -> None:
    evil = '<img src="file:///etc/passwd"><script>alert(1)</script>'
    edit(mini / "question_banks/beta.yaml", "What does beta two ask?", f"Why {evil}?")
    edit(mini / "events/gala.yaml", "name: Test Gala", f"name: 'Gala {evil}'")
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    soup = BeautifulSoup((mini / "out/index.html").read_text(), "html.parser")
    assert soup.find("img") is None
    assert not any("alert(1)" in (s.string or "") for s in soup.find_all("script"))
    assert f"Why {evil}?" in soup.get_text() and f"Gala {evil}" in soup.get_text()


@pytest.mark.slow
def test_a_project_can_override_the_portal(mini: Path) -> None:
    (mini / "templates").mkdir()
    (mini / "templates/portal.html.j2").write_text(
        '{% extends "builtin/portal.html.j2" %}'
        "{% block footer %}<footer>{{ events|length }} events</footer>{% endblock %}"
    )
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    soup = BeautifulSoup((mini / "out/index.html").read_text(), "html.parser")
    assert soup.find("footer").get_text() == "1 events"  # type: ignore[union-attr]
