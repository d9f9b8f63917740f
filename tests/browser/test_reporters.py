"""What a reporter does with a phone, in Chromium: copy or share an event's questions, tap a
phone number, find a question however it is typed, see what is next first, and scan the QR code
on a printed page. The project is the mini one with events before and after its build date
(SOURCE_DATE_EPOCH), a press phone number and a `base_url`."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from presskit.render.qr import onepager_url, portal_url
from tests.browser.conftest import DESKTOP, PHONE, _Quiet, axe_violations
from tests.conftest import FIXTURES, pdf_qr_codes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BASE_URL = "https://kits.example.org/test"
BUILT = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)  # the build's date
EVENTS = {  # slug: date; gala (2027-03-07) is the fixture's own
    "spring": "2026-04-01",
    "autumn": "2026-11-30",
    "today": "2026-12-01",
    "next": "2026-12-20",
}
PHONE_NUMBER = "+1 (310) 555-0100"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reporters") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    config = root / "presskit.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "    email: press@example.org\n",
            f'    email: press@example.org\n    phone: "{PHONE_NUMBER}"\n',
        )
        + f"base_url: {BASE_URL}\n",
        encoding="utf-8",
    )
    alpha = root / "question_banks/alpha.yaml"
    alpha.write_text(
        alpha.read_text(encoding="utf-8")
        .replace("What does alpha two ask?", '"What does Time\'s Up ask of #MeToo allies?"')
        .replace("What does alpha three ask?", '"Who said me too at the café?"'),
        encoding="utf-8",
    )
    gala = (root / "events/gala.yaml").read_text(encoding="utf-8")
    for slug, date in EVENTS.items():
        (root / f"events/{slug}.yaml").write_text(
            gala.replace("Test Gala", f"{slug.title()} Night").replace("2027-03-07", date),
            encoding="utf-8",
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(BUILT.timestamp())))
        build(load_project(root), BuildOptions(out=root / "out", formats=frozenset({"html"})))
    return root / "out"


@pytest.fixture(scope="module")
def served(project: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(project))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport=PHONE)
    yield ctx
    ctx.close()


def onepager_questions(page: Any) -> list[str]:
    """The one-pager's questions as "1. text", in order."""
    texts: list[str] = page.eval_on_selector_all(
        "li.question .text", "ps => ps.map(p => p.textContent.replace(/\\s+/g, ' ').trim())"
    )
    return texts


def test_copy_all_copies_the_events_questions_as_text(browser: Any, served: str) -> None:
    ctx = browser.new_context(viewport=PHONE)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=served)
    page = ctx.new_page()
    page.goto(f"{served}/gala/index.html")
    asked = onepager_questions(page)
    follow_ups = page.eval_on_selector_all(
        "li.question .follow-ups li", "ls => ls.map(l => l.textContent.trim())"
    )
    page.goto(f"{served}/index.html")
    button = page.locator("#event-gala button.copy-all")
    assert button.is_visible() and button.inner_text() == "Copy all questions"
    assert button.get_attribute("aria-label") == "Copy all questions for Test Gala"
    box = button.bounding_box()
    assert box["height"] >= 44  # a thumb-sized target
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    lines = copied.split("\n")
    assert lines[:4] == ["Test Gala", "March 7, 2027", "Test Hall, Testville", ""]
    assert [line for line in lines[4:] if not line.startswith("   - ")] == asked
    assert [line[5:] for line in lines if line.startswith("   - ")] == follow_ups
    status = page.locator(".events-section .copy-status")
    assert status.inner_text() == "Copied: all questions for Test Gala"
    ctx.close()


def test_share_hands_the_questions_to_the_share_sheet(browser: Any, served: str) -> None:
    ctx = browser.new_context(viewport=PHONE)
    ctx.add_init_script("""
        window.__shared = [];
        Object.defineProperty(Navigator.prototype, "share", {configurable: true,
            value: function (data) { window.__shared.push(data); return Promise.resolve(); }});
    """)
    page = ctx.new_page()
    page.goto(f"{served}/index.html")
    share = page.locator("#event-gala button.share")
    assert share.is_visible() and share.inner_text() == "Share"
    share.click()
    shared = page.evaluate("window.__shared")
    expected = page.get_attribute("#event-gala .event-actions", "data-questions")
    assert shared == [{"title": "Test Gala", "text": expected}]
    assert expected.startswith("Test Gala\n") and "\n1. " in expected
    ctx.close()


def test_without_the_web_share_api_there_is_no_share_button(browser: Any, served: str) -> None:
    ctx = browser.new_context(viewport=PHONE)
    ctx.add_init_script("delete Navigator.prototype.share;")
    page = ctx.new_page()
    page.goto(f"{served}/index.html")
    assert page.locator("#event-gala button.copy-all").is_visible()
    assert not page.locator("#event-gala button.share").is_visible()
    ctx.close()


def test_without_scripts_no_buttons_and_every_event_still_listed(browser: Any, served: str) -> None:
    ctx = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{served}/index.html")
    assert page.locator(".event-actions").count() == len(EVENTS) + 1
    assert not page.locator(".event-actions button").first.is_visible()
    page.click("details.past-events > summary")
    assert page.locator("li.event").evaluate_all("es => es.every(e => e.offsetParent)")
    ctx.close()


def test_phone_numbers_are_tel_links(context: Any, served: str) -> None:
    page = context.new_page()
    page.goto(f"{served}/gala/index.html")
    tel = page.locator('ul.contacts a[href^="tel:"]')
    assert tel.count() == 1
    assert re.fullmatch(r"tel:\+?[0-9]+", tel.get_attribute("href"))
    assert tel.get_attribute("href") == "tel:+13105550100"
    assert tel.inner_text() == PHONE_NUMBER  # shown as written
    mail = page.locator('ul.contacts a[href^="mailto:"]')
    assert mail.get_attribute("href") == "mailto:press@example.org"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("times up", ["a-two"]),  # the apostrophe is ignored
        ("TIME'S UP", ["a-two"]),  # case and punctuation
        ("timesup", ["a-two"]),  # spaces too
        ("metoo", ["a-two", "a-three"]),  # "#MeToo" and "me too"
        ("#me-too!", ["a-two", "a-three"]),
        ("cafe", ["a-three"]),  # the accent
        ("CAFÉ", ["a-three"]),
        ("allies", ["a-two"]),
    ],
)
def test_the_finder_ignores_case_accents_and_punctuation(
    context: Any, served: str, query: str, found: list[str]
) -> None:
    page = context.new_page()
    page.goto(f"{served}/index.html")
    page.fill("#finder-words", query)
    assert page.is_visible("details.finder-results[open]")  # a filter opens the folded list
    shown = page.eval_on_selector_all(
        ".finder-item", "items => items.filter(i => i.offsetParent !== null).map(i => i.id)"
    )
    assert shown == [f"find-{q}" for q in found]
    page.fill("#finder-words", "")
    assert not page.is_visible("details.finder-results[open]")  # folded again


def test_every_question_in_the_finder_leads_to_its_anchor(context: Any, served: str) -> None:
    page = context.new_page()
    page.goto(f"{served}/index.html")
    hrefs = page.eval_on_selector_all(".finder-item a", "as => as.map(a => a.href)")
    assert hrefs
    for href in hrefs:
        page.goto(href)
        anchor = href.split("#", 1)[1]
        assert page.evaluate("document.querySelector(':target').id") == anchor
        assert page.locator(f"#{anchor}").is_visible()


def test_upcoming_events_come_first_and_past_ones_are_folded(context: Any, served: str) -> None:
    page = context.new_page()
    page.goto(f"{served}/index.html")
    upcoming = page.eval_on_selector_all(
        ".events-section > ul.events > li.event", "es => es.map(e => e.id)"
    )
    assert upcoming == ["event-today", "event-next", "event-gala"]  # soonest first
    past = page.locator("details.past-events")
    assert past.get_attribute("open") is None
    assert past.locator("summary").inner_text() == "Past events (2)"
    assert not page.locator("#event-autumn").is_visible()
    # the finder comes before the events
    order = page.evaluate(
        "document.querySelector('.finder-section').compareDocumentPosition("
        "document.querySelector('.events-section'))"
    )
    assert order & 4  # DOCUMENT_POSITION_FOLLOWING
    page.click("details.past-events > summary")
    assert page.eval_on_selector_all("details.past-events li.event", "es => es.map(e => e.id)") == [
        "event-autumn",
        "event-spring",
    ]  # most recent first
    assert page.locator("#event-autumn").is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_the_portal(
    browser: Any, served: str, axe_source: str, scheme: str
) -> None:
    ctx = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = ctx.new_page()
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{served}/index.html")
    page.click("details.past-events > summary")
    page.fill("#finder-words", "metoo")
    assert axe_violations(page, axe_source) == []
    ctx.close()


def test_the_printed_pages_carry_a_qr_code_to_themselves(
    browser: Any, served: str, tmp_path: Path
) -> None:
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    for path, url in (
        ("gala/index.html", onepager_url(BASE_URL, "gala")),
        ("index.html", portal_url(BASE_URL)),
    ):
        page.emulate_media(media="screen")
        page.goto(f"{served}/{path}")
        assert not page.locator("figure.qr").is_visible()  # on screen, no
        page.emulate_media(media="print")
        assert page.locator("figure.qr").is_visible()
        printed = tmp_path / f"{path.replace('/', '-')}.pdf"
        page.pdf(path=str(printed), format="A4")
        assert pdf_qr_codes(printed)[0] == [url], path
    ctx.close()


def test_screenshots_of_the_portal(browser: Any, served: str, results: Path) -> None:
    for width, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        ctx = browser.new_context(viewport=viewport, device_scale_factor=1)
        page = ctx.new_page()
        page.goto(f"{served}/index.html")
        page.click("details.past-events > summary")
        shot = results / f"portal-upcoming-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 1000
        ctx.close()
