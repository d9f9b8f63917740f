"""The published site in a real browser: installable, kept by its service worker, still there
with no network, and renewed by a new build (presskit.pipeline.webapp)."""

from __future__ import annotations

import functools
import http.server
import io
import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_browser import _policy_breaches
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVENTS = ("gala", "premiere")
CHANGED = "What does beta two ask, now that it has changed?"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Site:
    """tests/fixtures/mini with a second event, published at a loopback server's URL."""

    def __init__(self, root: Path, out: Path, url: str) -> None:
        self.root, self.out, self.url = root, out, url

    def build(self) -> None:
        build(load_project(self.root), BuildOptions(out=self.out, jobs=1))

    def version(self) -> str:
        found = re.search(r'const VERSION = "([0-9a-f]+)"', (self.out / "sw.js").read_text())
        assert found is not None
        return found.group(1)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("published") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    gala = (root / "events/gala.yaml").read_text(encoding="utf-8")
    (root / "events/premiere.yaml").write_text(
        gala.replace("Test Gala", "Test Premiere").replace("2027-03-07", "2027-04-01"),
        encoding="utf-8",
    )
    out = root.parent / "out"
    out.mkdir()
    handler = functools.partial(_Quiet, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    with (root / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"base_url: {url}\n")
    published = Site(root, out, url)
    published.build()
    yield published
    httpd.shutdown()
    httpd.server_close()


def _until(page: Any, script: str, arg: Any = None, seconds: float = 15) -> None:
    """Waits until the async `script` (evaluated in `page`) resolves to true."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {script}"
        time.sleep(0.1)


KEPT = """async (version) => {
    const r = await navigator.serviceWorker.getRegistration();
    const names = await caches.keys();
    if (!r || r.installing || r.waiting || !r.active || r.active.state !== "activated"
        || !navigator.serviceWorker.controller
        || names.length !== 1 || !names[0].endsWith(":" + version)) return false;
    const urls = (await (await caches.open(names[0])).keys()).map(k => k.url);
    return urls.some(u => u.endsWith("/presskit-installed"));
}"""


def _kept(page: Any, version: str) -> dict[str, Any]:
    """Waits until the worker of `version` alone is active, its cache filled (the install's
    last step), any older cache gone; returns the cache's name and the URLs it holds."""
    _until(page, KEPT, version)
    return page.evaluate("""async () => {
        const names = await caches.keys();
        const keys = await (await caches.open(names[0])).keys();
        return {names, urls: keys.map(r => r.url)};
    }""")


def _text(page: Any) -> str:
    return page.inner_text("body")


def test_the_kits_open_offline_and_a_new_build_replaces_them(
    browser: Any, site: Site, results: Path
) -> None:
    # bypass_csp: the test's own fetch() of a PDF; the pages' policy is tested on its own below
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(site.url)
    kept = _kept(page, site.version())
    assert kept["names"] == [f"presskit:{site.url}:{site.version()}"]
    for slug in EVENTS:
        for name in ("index.html", "press-kit.pdf", "questions.pdf", "pocket-card.pdf"):
            assert f"{site.url}{slug}/{name}" in kept["urls"]
    assert f"{site.url}index.html" in kept["urls"]

    context.set_offline(True)
    page.goto(site.url)
    assert "Test Gala" in _text(page) and "Test Premiere" in _text(page)
    notice = page.locator(".saved-copy")
    notice.wait_for()
    assert re.fullmatch(r"Saved copy from \w+ \d{1,2}, \d{4} \(today\)", notice.inner_text())
    later = context.new_page()  # three days on, by the page's clock
    later.add_init_script("{ const now = Date.now; Date.now = () => now() + 3 * 86400000; }")
    later.goto(site.url)
    notice = later.locator(".saved-copy")
    notice.wait_for()
    assert notice.inner_text().endswith("(3 days ago)")
    for size, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        later.set_viewport_size(size)
        later.screenshot(path=str(results / f"webapp-offline-portal-{name}.png"))
    later.close()
    for slug, name in zip(EVENTS, ("Test Gala", "Test Premiere"), strict=True):
        page.goto(f"{site.url}{slug}/")  # as a QR code or a shared link has it
        assert name in _text(page)
        assert "What does beta two ask?" in _text(page)
        page.goto(f"{site.url}{slug}/index.html")  # as the portal links it
        assert name in _text(page)
    start = page.evaluate("""() => fetch('questions.pdf')
        .then(r => r.arrayBuffer())
        .then(b => String.fromCharCode(...new Uint8Array(b.slice(0, 5))))""")
    assert start == "%PDF-"

    # A new build, with a question changed: online, the pages show it, and the new worker keeps
    # the new kits under a new version and drops the old cache.
    context.set_offline(False)
    before = site.version()
    bank = site.root / "question_banks/beta.yaml"
    bank.write_text(bank.read_text().replace("What does beta two ask?", CHANGED), encoding="utf-8")
    site.build()
    assert site.version() != before
    page.goto(site.url + "gala")  # the site's redirect to gala/ passes through the worker
    assert page.url == f"{site.url}gala/" and "Test Gala" in _text(page)
    page.close()  # as a reporter comes back to the app later
    page = context.new_page()
    page.goto(f"{site.url}gala/")
    assert CHANGED in _text(page)  # online, the page comes from the site
    _kept(page, site.version())
    page.close()
    page = context.new_page()
    context.set_offline(True)
    page.goto(f"{site.url}premiere/index.html")
    assert CHANGED in _text(page)
    page.goto(site.url)
    assert CHANGED in page.content()  # in the portal's finder, folded until a filter is chosen
    context.close()


def test_the_offline_portal_passes_axe(browser: Any, site: Site, axe_source: str) -> None:
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(site.url)
    _kept(page, site.version())
    for offline in (False, True):
        context.set_offline(offline)
        page.goto(site.url)
        if offline:
            page.locator(".saved-copy").wait_for()
        page.add_script_tag(content=axe_source)
        violations = page.evaluate("""async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({rule: v.id, nodes: v.nodes.length}));
        }""")
        assert violations == [], offline
    context.close()


def test_the_pages_register_the_worker_within_their_policy(browser: Any, site: Site) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = _policy_breaches(page)
    for path in ("", "gala/"):
        page.goto(site.url + path, wait_until="networkidle")
        policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert policy is not None
        assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
        assert "img-src data: 'self';" in policy  # the manifest's icons
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)") == (
        f"{site.url}sw.js"
    )
    assert errors == []
    context.close()


def test_the_manifest_makes_the_portal_installable(browser: Any, site: Site) -> None:
    manifest = json.loads((site.out / "manifest.webmanifest").read_text(encoding="utf-8"))
    for member in ("name", "short_name", "start_url", "scope", "display", "icons"):
        assert manifest[member], member
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    purposes = set()
    for icon in manifest["icons"]:
        width, height = (int(n) for n in icon["sizes"].split("x"))
        with Image.open(site.out / icon["src"]) as image:
            assert image.format == "PNG" and image.size == (width, height)
        purposes.add((width, icon["purpose"]))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= purposes

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site.url)
    page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
    cdp = context.new_cdp_session(page)
    got = cdp.send("Page.getAppManifest")
    assert got["url"] == f"{site.url}manifest.webmanifest"
    assert got["errors"] == []
    installability = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # a test browser's context is a private window, where nothing installs: the one exception
    assert [e["errorId"] for e in installability] == ["in-incognito"], installability
    context.close()


def test_link_previews_have_absolute_urls_and_an_image(site: Site) -> None:
    for path, url in (("index.html", site.url), ("gala/index.html", f"{site.url}gala/")):
        soup = BeautifulSoup((site.out / path).read_text(encoding="utf-8"), "html.parser")
        og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
        assert og["og:url"] == url and og["og:type"] == "website"
        assert og["og:title"] and og["og:description"]
        assert og["og:image"] == f"{url}preview.png"
        card = soup.find("meta", attrs={"name": "twitter:card"})
        assert card is not None and card["content"] == "summary_large_image"
        image = site.out / og["og:image"].removeprefix(site.url)
        with Image.open(io.BytesIO(image.read_bytes())) as png:
            assert png.format == "PNG" and png.size == (1200, 630)


def test_a_published_page_still_works_from_the_file_system(browser: Any, site: Site) -> None:
    # A one-pager from the event's zip, opened on a laptop: no worker, no error, scripts run.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = _policy_breaches(page)
    page.goto((site.out / "gala/index.html").as_uri(), wait_until="networkidle")
    assert page.locator("button.copy").count() > 0
    context.close()
    assert errors == []


def test_the_nu_html_checker_accepts_the_published_pages(vnu: list[str], site: Site) -> None:
    pages = [site.out / "index.html", *(site.out / slug / "index.html" for slug in EVENTS)]
    done = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(done.stderr)["messages"]
    assert [
        m["message"] for m in messages if m.get("type") in ("error", "non-document-error")
    ] == []
    assert done.returncode == 0
