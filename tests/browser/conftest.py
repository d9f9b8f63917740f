"""Browser test set-up: the default project built once, served on loopback, and one Chromium.

The browser is Debian's Chromium driven by Playwright (never a downloaded browser); axe-core and
the Nu HTML Checker come from tests/browser/node_modules (`scripts/setup.sh test` installs them).
Locally a missing piece skips these tests with the command that installs it; under CI=true it
fails, so CI can never pass without having run them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project

HERE = Path(__file__).parent
REPO = HERE.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = HERE / "node_modules/axe-core/axe.min.js"
VNU = HERE / "node_modules/vnu-jar/build/dist/vnu.jar"
RESULTS = REPO / "test-results"
# Without the background-networking switches Chromium keeps dialling Google's hosts, which this
# closed network refuses; the tests also assert that no page asks for anything outside output/.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def require(ok: bool, what: str) -> None:
    """Skip when a tool is missing locally; fail loudly under CI, where it must be there."""
    if ok:
        return
    message = f"{what} is missing; run `scripts/setup.sh test` (or `make setup-test`)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default project, built once per session into a temporary output folder."""
    out = tmp_path_factory.mktemp("site")
    build(load_project(REPO, display="."), BuildOptions(out=out))
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """`site` served on 127.0.0.1 (a secure context, so the clipboard works); yields its URL."""
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require(CHROMIUM.is_file(), f"Chromium ({CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def results() -> Path:
    """Where screenshots go: test-results/ (git-ignored), next to the other test results."""
    folder = RESULTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def axe_source() -> str:
    require(AXE.is_file(), f"axe-core ({AXE.relative_to(REPO)})")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (its context must bypass the page's
    Content-Security-Policy, which rightly refuses the injected script)."""
    page.add_script_tag(content=axe_source)
    violations: list[dict[str, Any]] = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({rule: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")
    return violations


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    java = shutil.which("java")
    require(java is not None, "Java (for the Nu HTML Checker)")
    require(VNU.is_file(), f"the Nu HTML Checker ({VNU.relative_to(REPO)})")
    return [str(java), "-jar", str(VNU)]
