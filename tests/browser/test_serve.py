"""`presskit serve` in a real browser: an open page follows each save by itself, shows the
project's problems in a banner and drops it once they are fixed, all within its
Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_browser import _policy_breaches
from tests.tools.test_serve import ALPHA_ONE, Server

pytestmark = pytest.mark.browser

EDITED = "What did the edited alpha ask?"
WAIT_MS = 30_000  # an upper bound, not an expectation


@pytest.fixture
def running(mini: Path, tmp_path: Path) -> Iterator[Server]:
    server = Server(mini, tmp_path / "tmp", "--no-pdf")
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait()


def test_an_open_page_follows_edits_and_problems_without_a_reload_by_hand(
    browser: Any, running: Server, mini: Path, results: Path
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = _policy_breaches(page)
    page.goto(running.url + "gala/", wait_until="load")
    assert ALPHA_ONE in page.inner_text("body")
    assert not page.is_visible("#presskit-problems")

    bank = mini / "question_banks/alpha.yaml"
    bank.write_text(bank.read_text().replace(ALPHA_ONE, EDITED))
    page.get_by_text(EDITED).wait_for(timeout=WAIT_MS)  # (a script of the test's own would
    # be refused by the page's policy)

    beta = mini / "question_banks/beta.yaml"
    good = beta.read_text()
    beta.write_text("theme: [unclosed\n")
    page.wait_for_selector("#presskit-problems", state="visible", timeout=WAIT_MS)
    assert "beta.yaml:2:1: YAML syntax error" in page.inner_text("#presskit-problems pre")
    assert EDITED in page.inner_text("body")  # the last good version, under the banner
    page.screenshot(path=str(results / "serve-problems-phone.png"))
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(results / "serve-problems-desktop.png"))

    beta.write_text(good)
    page.wait_for_selector("#presskit-problems", state="hidden", timeout=WAIT_MS)
    assert errors == []  # the push and the banner run within the page's policy
    context.close()


def test_the_preview_pages_run_within_their_policy(
    browser: Any, running: Server, results: Path
) -> None:
    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        errors = _policy_breaches(page)
        for path, shot in (("", "index"), ("__presskit__/kit/gala/", "event")):
            page.goto(running.url + path, wait_until="load")
            assert page.is_visible("h1")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{path} scrolls sideways at {name} width"
            page.screenshot(path=str(results / f"serve-{shot}-{name}.png"), full_page=True)
        assert errors == []
        context.close()
