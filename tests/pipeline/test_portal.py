"""The download portal, read back: every event, every download with its size, the finder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.pipeline.portal import build_date, format_size, questions_text, split_by_date
from presskit.pipeline.provenance import Provenance
from presskit.project.loading import load_project
from presskit.render.context import PortalEvent, QuestionContext, ThemeContext

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


def _event(slug: str, date: str, upcoming: bool) -> PortalEvent:
    return PortalEvent(
        slug=slug,
        name=slug,
        date=date,
        date_iso=date,
        venue="Hall",
        city=None,
        sample=False,
        description=None,
        onepager=None,
        files=(),
        upcoming=upcoming,
    )


def test_upcoming_events_come_soonest_first_and_past_ones_latest_first() -> None:
    events = [
        _event("old", "2026-01-10", False),
        _event("recent", "2026-11-30", False),
        _event("today", "2026-12-01", True),
        _event("later", "2027-05-01", True),
        _event("soon", "2026-12-24", True),
    ]
    upcoming, past = split_by_date(events)
    assert [e.slug for e in upcoming] == ["today", "soon", "later"]
    assert [e.slug for e in past] == ["recent", "old"]


def test_the_build_date_is_the_provenance_date(monkeypatch: pytest.MonkeyPatch) -> None:
    assert build_date(Provenance(dt.date(2026, 3, 1), "a" * 40)) == dt.date(2026, 3, 1)
    # outside git, without SOURCE_DATE_EPOCH, the build clock (which reads it when set)
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", str(int(dt.datetime(2027, 4, 2, tzinfo=dt.UTC).timestamp()))
    )
    assert build_date(Provenance(None, None)) == dt.date(2027, 4, 2)


def test_questions_as_text_are_numbered_with_their_follow_ups() -> None:
    def question(number: int, text: str, follow_ups: tuple[str, ...] = ()) -> QuestionContext:
        return QuestionContext(
            number=number,
            id=f"q{number}",
            text=text,
            follow_ups=follow_ups,
            notes="not read out",
            tags=(),
            tone=None,
            status="approved",
            lang=None,
            follow_ups_lang=None,
            notes_lang=None,
        )

    themes = [
        ThemeContext("a", "A", None, None, None, (question(1, "Why?", ("And then?",)),)),
        ThemeContext("b", "B", None, None, None, (question(2, "How?"),)),
    ]
    assert questions_text("Gala", "March 7, 2027", "Hall, Town", themes) == (
        "Gala\nMarch 7, 2027\nHall, Town\n\n1. Why?\n   - And then?\n2. How?"
    )


@pytest.mark.slow
def test_upcoming_events_first_and_past_ones_folded_by_the_build_date(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gala = (mini / "events/gala.yaml").read_text()
    for slug, date in [("spring", "2026-04-01"), ("autumn", "2026-10-01"), ("next", "2027-01-15")]:
        (mini / f"events/{slug}.yaml").write_text(
            gala.replace("Test Gala", slug.title()).replace("2027-03-07", date)
        )
    build_day = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(build_day.timestamp())))
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    soup = BeautifulSoup((mini / "out/index.html").read_text(), "html.parser")
    section = soup.select_one(".events-section")
    assert section is not None
    upcoming = section.select(":scope > ul.events > li.event")
    assert [e["id"] for e in upcoming] == ["event-next", "event-gala"]  # soonest first
    past = section.select_one("details.past-events")
    assert past is not None and not past.has_attr("open")  # folded away
    assert past.summary.get_text() == "Past events (2)"  # type: ignore[union-attr]
    assert [e["id"] for e in past.select("li.event")] == ["event-autumn", "event-spring"]
    # the finder comes before the events
    finder = soup.select_one(".finder-section")
    assert finder is not None and finder.find_next(class_="events-section") is section


@pytest.mark.slow
def test_each_event_carries_its_questions_for_copy_and_share(mini: Path) -> None:
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    soup = BeautifulSoup((mini / "out/index.html").read_text(), "html.parser")
    box = soup.select_one("#event-gala .event-actions")
    assert box is not None and box.has_attr("hidden")  # the script shows it
    page = BeautifulSoup((mini / "out/gala/index.html").read_text(), "html.parser")
    numbered = [q.select_one(".text").get_text(" ", strip=True) for q in page.select("li.question")]  # type: ignore[union-attr]
    lines = box["data-questions"].split("\n")  # type: ignore[union-attr]
    assert lines[:4] == ["Test Gala", "March 7, 2027", "Test Hall, Testville", ""]
    asked = [line for line in lines[4:] if not line.startswith("   - ")]
    assert asked == numbered
    assert "   - And then what?" in lines
    assert [b.get_text() for b in box.select("button")] == ["Copy all questions", "Share"]
    assert box.select_one("button.share").has_attr("hidden")  # type: ignore[union-attr]
