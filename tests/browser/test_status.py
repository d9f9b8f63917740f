"""The `presskit status` dashboard in Chromium: it renders under its own Content-Security-Policy
with no console errors, fits a phone without scrolling sideways, and axe-core finds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from presskit.project.loading import load_project
from presskit.tools.status import status_page
from tests.browser.conftest import DESKTOP, PHONE, axe_violations
from tests.conftest import REPO

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default project's dashboard (several languages, events and banks), as a file."""
    page = tmp_path_factory.mktemp("status") / "status.html"
    page.write_text(status_page(load_project(REPO, display=".")), "utf-8")
    return page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_dashboard_renders_without_console_errors(
    browser: Any, dashboard: Path, viewport: dict[str, int]
) -> None:
    ctx = browser.new_context(viewport=viewport)  # the page's policy enforced
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(dashboard.as_uri())
    page.click("details summary")  # an event's questions unfold without script
    assert page.locator("details ol.drawn").first.is_visible()
    assert errors == []
    assert requests == [dashboard.as_uri()]  # nothing but the page itself
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]  # no sideways scrolling, on a phone either
    # The styles applied: the bars have their colours (a refused <style> would leave none).
    fill = page.eval_on_selector("rect.s-approved", "r => getComputedStyle(r).fill")
    assert fill == "rgb(27, 127, 59)"
    ctx.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_axe_finds_no_violations_on_the_dashboard(
    browser: Any, dashboard: Path, axe_source: str, viewport: dict[str, int]
) -> None:
    ctx = browser.new_context(viewport=viewport, bypass_csp=True)
    page = ctx.new_page()
    page.goto(dashboard.as_uri())
    for summary in page.locator("details summary").all():
        summary.click()
    assert axe_violations(page, axe_source) == []
    ctx.close()
