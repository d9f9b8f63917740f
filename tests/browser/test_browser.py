"""The built pages in a real browser: phone layout, links, requests, accessibility, the finder,
the copy buttons, and the Nu HTML Checker on every page."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from tests.browser.conftest import DESKTOP, PHONE, REPO, axe_violations, require

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVENTS = sorted(p.stem for p in (REPO / "events").glob("*.yaml"))
PAGES = ["index.html", *(f"{slug}/index.html" for slug in EVENTS)]


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport=PHONE)
    yield ctx
    ctx.close()


def approved() -> dict[str, dict[str, Any]]:
    """Every approved question of the default project: id -> text, theme, tags, follow-ups."""
    from presskit.project.loading import load_project

    project = load_project(REPO, display=".")
    return {
        q.id: {"text": q.text, "theme": b.slug, "tags": q.tags, "follow_ups": q.follow_ups}
        for b in project.banks
        for q in b.bank.questions
        if q.status == "approved"
    }


def visible_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".finder-item", "items => items.filter(i => i.offsetParent !== null).map(i => i.id)"
    )


@pytest.mark.parametrize("name", PAGES)
def test_a_phone_never_scrolls_sideways(context: Any, server: str, name: str) -> None:
    page = context.new_page()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{server}/{name}")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1] == PHONE["width"], (scheme, widths)


@pytest.mark.parametrize("name", PAGES)
def test_every_link_leads_to_a_file_that_exists(
    context: Any, server: str, site: Path, name: str
) -> None:
    page = context.new_page()
    page.goto(f"{server}/{name}")
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert hrefs
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme in ("mailto", "https") and not href.startswith(server):
            continue  # contacts and the letter's sources: not files of the kit
        assert href.startswith(server + "/"), href
        target = (site / unquote(parts.path).lstrip("/")).resolve()
        if unquote(parts.path).endswith("/"):
            target = target / "index.html"
        assert target.is_relative_to(site.resolve()) and target.is_file(), href
        if parts.fragment:
            soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
            assert soup.find(id=parts.fragment) is not None, href


@pytest.mark.parametrize("name", PAGES)
def test_no_request_leaves_the_output_folder(
    browser: Any, server: str, site: Path, name: str
) -> None:
    # Over HTTP, every request is routed: anything not under the served output folder is
    # recorded and refused.
    outside: list[str] = []
    ctx = browser.new_context(viewport=PHONE)

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(server + "/"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    ctx.route("**/*", guard)
    page = ctx.new_page()
    page.goto(f"{server}/{name}", wait_until="networkidle")
    page.wait_for_timeout(200)
    ctx.close()
    assert outside == []
    # From the file system too, as a reporter opens a downloaded kit: only files of the output.
    seen: list[str] = []
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    page.on("request", lambda request: seen.append(request.url))
    page.goto((site / name).as_uri(), wait_until="networkidle")
    ctx.close()
    assert seen and all(url.startswith(site.as_uri() + "/") for url in seen), seen


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(
    browser: Any, server: str, axe_source: str, name: str, scheme: str
) -> None:
    # axe is injected as a script the page's Content-Security-Policy rightly refuses
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{server}/{name}")
    violations = axe_violations(page, axe_source)
    context.close()
    assert violations == []


def test_the_finder_filters_with_scripts_on(context: Any, server: str) -> None:
    questions = approved()
    page = context.new_page()
    page.goto(f"{server}/index.html")
    assert page.is_visible("form.finder")
    count = page.locator(".finder-count")
    # folded until a filter is chosen, so the events show near the top
    assert page.get_attribute("details.finder-results", "open") is None
    assert not page.locator(".finder-item").first.is_visible()
    page.click("details.finder-results > summary")
    assert sorted(visible_ids(page)) == sorted(f"find-{q}" for q in questions)

    page.fill("#finder-words", "Letter")
    wanted = [
        q
        for q, d in questions.items()
        if "letter" in " ".join([d["text"], *d["follow_ups"], *d["tags"]]).lower()
    ]
    assert wanted and len(wanted) < len(questions)
    assert sorted(visible_ids(page)) == sorted(f"find-{q}" for q in wanted)
    assert count.inner_text() == f"{len(wanted)} of {len(questions)} questions shown"

    page.fill("#finder-words", "")
    page.select_option("#finder-theme", "allyship")
    wanted = [q for q, d in questions.items() if d["theme"] == "allyship"]
    assert sorted(visible_ids(page)) == sorted(f"find-{q}" for q in wanted)
    assert page.eval_on_selector_all(".finder-theme", "s => s.filter(x => !x.hidden).length") == 1

    tag = next(t for d in questions.values() if d["theme"] == "allyship" for t in d["tags"])
    page.select_option("#finder-tag", tag)
    wanted = [q for q, d in questions.items() if d["theme"] == "allyship" and tag in d["tags"]]
    assert sorted(visible_ids(page)) == sorted(f"find-{q}" for q in wanted)

    page.fill("#finder-words", "zzzz-no-such-word")
    assert visible_ids(page) == []
    assert "No question matches" in count.inner_text()


def test_the_full_list_shows_with_scripts_off(browser: Any, server: str) -> None:
    ctx = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{server}/index.html")
    assert not page.is_visible("form.finder")  # its controls would do nothing
    assert not page.is_visible(".event-actions")  # nor would copy and share
    page.click("details.finder-results > summary")  # the folded list opens without scripts
    assert len(visible_ids(page)) == len(approved())
    one_pager = ctx.new_page()
    one_pager.goto(f"{server}/{EVENTS[0]}/index.html")
    assert one_pager.locator("button.copy").count() == 0
    assert one_pager.locator("li.question").count() > 0
    ctx.close()


def test_copy_buttons_copy_the_question(browser: Any, server: str) -> None:
    ctx = browser.new_context(viewport=PHONE)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = ctx.new_page()
    page.goto(f"{server}/{EVENTS[0]}/index.html")
    questions = page.locator("li.question")
    assert page.locator("button.copy").count() == questions.count()
    first = questions.nth(1)
    expected = first.locator(".text").inner_text().split(".", 1)[1].strip()
    button = first.locator("button.copy")
    assert button.get_attribute("aria-label") == "Copy question 2"
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb-sized target
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert button.inner_text() == "Copied"
    assert page.locator(".copy-status").inner_text() == f"Copied: {expected}"
    page.emulate_media(media="print")
    assert not button.is_visible()  # the print stylesheet drops the controls
    ctx.close()


def test_a_link_can_point_at_one_question(context: Any, server: str, site: Path) -> None:
    soup = BeautifulSoup((site / EVENTS[0] / "index.html").read_text(), "html.parser")
    last = soup.select("li.question")[-1]["id"]
    page = context.new_page()
    page.goto(f"{server}/{EVENTS[0]}/index.html#{last}")
    assert page.evaluate("document.querySelector(':target').id") == last
    assert page.locator(f"#{last}").is_visible()
    top = page.evaluate(f"document.getElementById('{last}').getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"]


def test_screenshots_at_phone_and_desktop_width(browser: Any, server: str, results: Path) -> None:
    for width, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        ctx = browser.new_context(viewport=viewport, device_scale_factor=1)
        page = ctx.new_page()
        for name, stem in (("index.html", "portal"), (f"{EVENTS[0]}/index.html", "one-pager")):
            page.goto(f"{server}/{name}")
            shot = results / f"{stem}-{width}.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 1000
        ctx.close()


def test_the_nu_html_checker_finds_no_errors(vnu: list[str], site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert [p.relative_to(site).as_posix() for p in pages] == sorted(PAGES)
    done = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    require(done.stderr.strip().startswith("{"), f"a working Nu HTML Checker ({done.stderr!r})")
    messages = json.loads(done.stderr)["messages"]
    errors = [
        (
            Path(unquote(urlsplit(m.get("url", "")).path)).relative_to(site).as_posix(),
            m.get("lastLine"),
            m["message"],
        )
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert errors == []
    assert done.returncode == 0


def _policy_breaches(page: Any) -> list[str]:
    """Records every Content-Security-Policy violation and console error `page` reports."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if m.type == "error" else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'csp violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return seen


@pytest.mark.parametrize("name", PAGES)
def test_pages_run_within_their_content_security_policy(
    browser: Any, server: str, site: Path, name: str
) -> None:
    for url in (f"{server}/{name}", (site / name).as_uri()):
        ctx = browser.new_context(viewport=PHONE)
        page = ctx.new_page()
        errors = _policy_breaches(page)
        page.goto(url, wait_until="networkidle")
        policy = page.get_attribute('head > meta[http-equiv="Content-Security-Policy"]', "content")
        assert policy is not None and "default-src 'none'" in policy
        if name == "index.html":  # the finder's script ran: its form is shown
            assert page.is_visible("form.finder")
        else:  # the copy buttons' script ran
            assert page.locator("button.copy").count() > 0
        ctx.close()
        assert errors == [], url


def test_a_remote_file_the_campaign_allows_is_still_blocked_by_the_policy(
    browser: Any, mini: Path, loopback: tuple[str, list[str]]
) -> None:
    base, requests = loopback
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write("allow_remote_assets: true\n")
    (mini / "templates").mkdir()
    (mini / "templates/onepager.html.j2").write_text(
        '{% extends "builtin/onepager.html.j2" %}\n{% block footer %}\n'
        f'<img src="{base}/pixel.png" alt=""><script src="{base}/tracker.js"></script>\n'
        "{% endblock %}\n"
    )
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    errors = _policy_breaches(page)
    page.goto((mini / "out/gala/index.html").as_uri(), wait_until="networkidle")
    page.wait_for_timeout(300)
    assert page.locator("button.copy").count() > 0  # the page's own script still ran
    ctx.close()
    assert requests == []  # nothing reached the server
    assert any(e.startswith("csp violation: img-src") for e in errors), errors
    assert any(e.startswith("csp violation: script-src") for e in errors), errors


@pytest.mark.parametrize(
    ("name", "family", "selector"),
    [
        ("film-premiere/index.html", "Noto Sans", ".question .text"),
        ("mahrajan-arabi/index.html", "Noto Naskh Arabic", ".question .text"),
        ("index.html", "Noto Sans", "h1"),
    ],
)
def test_pages_are_set_in_the_inlined_typeface(
    context: Any, server: str, name: str, family: str, selector: str
) -> None:
    page = context.new_page()
    page.goto(f"{server}/{name}")
    page.evaluate("document.fonts.ready")
    computed = page.eval_on_selector(selector, "e => getComputedStyle(e).fontFamily")
    assert computed.startswith(f'"{family}"'), computed
    # the fonts Chromium really drew the text with: the page's own (inlined), not the system's
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    main = max(used, key=lambda f: f["glyphCount"])
    assert main["familyName"] == family and main["isCustomFont"], used
