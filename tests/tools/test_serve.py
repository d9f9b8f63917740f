"""`presskit serve`: a real server on a free loopback port, edited under its feet.

Waits are bounded polls or reads of the server's pushes (a change shows up well within a
second; the limits are generous for a busy CI machine), never fixed sleeps, and nothing leaves
127.0.0.1. Servers started with --no-pdf render no PDF; those that do are marked slow.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pypdf import PdfReader

from presskit.cli import main
from presskit.render.csp import policy
from presskit.tools.serve import Preview, url_path
from presskit.tools.serve_pages import LIVE, STATUS

WAIT = 30.0  # seconds; an upper bound, not an expectation
ALPHA_ONE = "What does alpha one ask?"


def wait_for(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def fetch(url: str) -> tuple[int, str]:
    status, _, body = fetch_bytes(url)
    return status, body.decode("utf-8")


def fetch_bytes(url: str) -> tuple[int, Any, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def served_version(page: str) -> int:
    """The version a page was served at, from the script the server added to it."""
    found = re.search(r'"version": (\d+)', page)
    assert found, "no live script in the page"
    return int(found.group(1))


def banner(page: str) -> Any:
    return BeautifulSoup(page, "html.parser").find(id="presskit-problems")


class Stream:
    """The server's pushes, read with a plain HTTP client as a page's EventSource reads them."""

    def __init__(self, port: int, version: int, slug: str = "") -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.connection.request("GET", f"{LIVE}{version}/{slug}")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"

    def next(self) -> dict[str, Any]:
        data = None
        while True:
            line = self.response.fp.readline().decode("utf-8")
            assert line, "the stream ended"
            if line.startswith("data: "):
                data = json.loads(line[6:])
            elif line == "\n" and data is not None:
                return data

    def until(self, check: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            push = self.next()
            if check(push):
                return push
        raise AssertionError(f"no push with {what}")

    def close(self) -> None:
        self.connection.close()


class Server:
    def __init__(
        self, project: Path, tmp: Path, *options: str, ignore_sigint: bool = False
    ) -> None:
        tmp.mkdir()
        self.tmp = tmp
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "presskit", "serve", "--project", str(project)]
        self.process = subprocess.Popen(
            [*command, "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            preexec_fn=_ignore_sigint if ignore_sigint else None,  # noqa: PLW1509 - before any thread
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = ""
        wait_for(self._started, "the server to start")
        self.port = int(self.url.rstrip("/").rsplit(":", 1)[1])

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def output(self) -> str:
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "\n".join(self.seen)

    def _started(self) -> bool:
        for line in self.output().splitlines():
            if line.startswith("serving http://127.0.0.1:"):
                self.url = line.split()[1]
                return True
        assert self.process.poll() is None, self.output()
        return False

    def get(self, path: str) -> tuple[int, str]:
        return fetch(self.url + path.lstrip("/"))

    def get_bytes(self, path: str) -> tuple[int, Any, bytes]:
        return fetch_bytes(self.url + path.lstrip("/"))

    def stream(self, path: str = "/", slug: str = "") -> Stream:
        """Listen as the page at `path` does (from the version it is served at)."""
        return Stream(self.port, served_version(self.get(path)[1]), slug)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=WAIT)


def _running(project: Path, tmp: Path, *options: str) -> Iterator[Server]:
    running = Server(project, tmp, *options)
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


@pytest.fixture
def server(mini: Path, tmp_path: Path) -> Iterator[Server]:
    """The pages only (--no-pdf): no PDF is rendered."""
    yield from _running(mini, tmp_path / "tmp", "--no-pdf")


def test_serves_pushes_each_edit_and_survives_mistakes(server: Server, mini: Path) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    status, index = server.get("/")
    assert status == 200
    links = [a["href"] for a in BeautifulSoup(index, "html.parser").find_all("a")]
    assert links == ["/index.html", "/__presskit__/kit/gala/", "/gala/", "/__presskit__/status"]
    status, portal = server.get("/index.html")
    assert status == 200
    assert ALPHA_ONE in portal  # the portal's question finder

    status, page = server.get("/gala/")
    assert status == 200
    soup = BeautifulSoup(page, "html.parser")
    assert ALPHA_ONE in soup.get_text()
    scripts = [s.text for s in soup.find_all("script")]  # the page's own, then the live one
    assert [LIVE in s for s in scripts] == [False, True]
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp is not None
    assert csp["content"] == policy(page, connect_self=True)  # allows exactly what it holds
    assert banner(page).has_attr("hidden")
    assert not (mini / "output").exists()  # previews never touch the project's output/

    stream = server.stream("/gala/", "gala")
    bank = mini / "question_banks/alpha.yaml"
    bank.write_text(bank.read_text().replace(ALPHA_ONE, "What did the edited alpha ask?"))
    push = stream.until(lambda p: "/gala/index.html" in p["changed"], "the one-pager")
    assert push["error"] is None
    page = server.get("/gala/")[1]  # already served, without waiting
    assert "What did the edited alpha ask?" in page and ALPHA_ONE not in page
    if "/index.html" not in push["changed"]:  # the open page first, then the whole build
        stream.until(lambda p: "/index.html" in p["changed"], "the portal")
    portal = server.get("/index.html")[1]
    assert "What did the edited alpha ask?" in portal and ALPHA_ONE not in portal

    beta = mini / "question_banks/beta.yaml"
    good = beta.read_text()
    beta.write_text("theme: [unclosed\n")
    problem = f"{mini}/question_banks/beta.yaml:2:1: YAML syntax error"
    push = stream.until(lambda p: p["error"] is not None, "the problem")
    assert push["error"].startswith(problem)
    assert push["changed"] == []
    status, page = server.get("/gala/")
    assert status == 200  # the last good version, with the problems over it
    assert "What did the edited alpha ask?" in page
    shown = banner(page)
    assert not shown.has_attr("hidden")
    assert shown.pre.text.startswith(problem)
    assert banner(server.get("/")[1]).pre.text.startswith(problem)
    wait_for(lambda: problem in server.output(), "the problem in the terminal")

    beta.write_text(good)
    push = stream.until(lambda p: p["error"] is None, "the problem gone")
    assert banner(server.get("/gala/")[1]).has_attr("hidden")
    stream.close()
    assert server.process.poll() is None

    assert server.stop() == 0
    out = server.output()
    assert out.splitlines()[-1] == "stopped"
    assert "Traceback" not in out
    assert list(server.tmp.iterdir()) == []  # the private build folder is gone


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def pdf_server(mini: Path, tmp_path: Path) -> Iterator[Server]:
    """Pages and PDFs."""
    yield from _running(mini, tmp_path / "tmp")


@pytest.mark.slow
def test_every_pdf_is_previewed_and_follows_an_edit(pdf_server: Server, mini: Path) -> None:
    running = pdf_server
    wait_for(lambda: "rendered" in running.output(), "the first PDFs")
    status, headers, data = running.get_bytes("/gala/press-kit.pdf")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"  # the browser's own viewer
    assert headers["Content-Disposition"] == 'inline; filename="press-kit.pdf"'
    assert ALPHA_ONE in pdf_text(data)

    status, kit = running.get("/__presskit__/kit/gala/")
    assert status == 200
    links = [a["href"] for a in BeautifulSoup(kit, "html.parser").find_all("a")]
    pdfs = ["press-kit.pdf", "questions.pdf", "pocket-card.pdf", "pocket-cards-sheet.pdf"]
    for name in pdfs:
        assert f"/__presskit__/view/gala/{name}" in links
        assert f"/gala/{name}" in links
        assert running.get_bytes(f"/gala/{name}")[0] == 200
    assert "/gala/" in links
    assert "/gala/gala-press-kit.zip" in links

    status, viewer = running.get("/__presskit__/view/gala/questions.pdf")
    assert status == 200
    frame = BeautifulSoup(viewer, "html.parser").iframe
    assert frame is not None and frame["src"] == "/gala/questions.pdf"
    assert "frame-src 'self'" in viewer

    stream = running.stream("/__presskit__/view/gala/press-kit.pdf", "gala")
    bank = mini / "question_banks/alpha.yaml"
    bank.write_text(bank.read_text().replace(ALPHA_ONE, "What did the edited alpha ask?"))
    stream.until(lambda p: "/gala/index.html" in p["changed"], "the HTML")
    stream.until(lambda p: "/gala/press-kit.pdf" in p["changed"], "the PDF")
    text = pdf_text(running.get_bytes("/gala/press-kit.pdf")[2])
    assert "What did the edited alpha ask?" in text
    assert ALPHA_ONE not in text
    stream.close()
    assert running.stop() == 0
    assert "Traceback" not in running.output()


@pytest.mark.slow
def test_only_the_kits_an_edit_touches_are_rendered_again(mini: Path) -> None:
    other = (mini / "events/gala.yaml").read_text().replace("Test Gala", "Other Night")
    other = other.replace("count: 4", "count: 2").replace("pinned: [b-two]", "banks: [beta]")
    (mini / "events/other.yaml").write_text(other)
    preview = Preview(mini, str(mini))
    try:
        assert preview.build_html().startswith("HTML of 2 events in ")
        assert (preview.build_pdfs() or "").startswith("8 PDFs rendered")
        bank = mini / "question_banks/alpha.yaml"
        bank.write_text(bank.read_text().replace(ALPHA_ONE, "What did the edited alpha ask?"))
        preview.build_html()
        assert (preview.build_pdfs() or "").startswith("4 PDFs rendered")  # gala's, not other's
        bank.write_text(bank.read_text().replace("the alpha draft", "the edited draft"))
        preview.build_html()
        assert (preview.build_pdfs() or "").startswith("0 PDFs rendered")  # drafts are not in
    finally:
        preview.close()


@pytest.mark.slow
def test_the_pdf_open_in_a_browser_is_rendered_first(mini: Path) -> None:
    preview = Preview(mini, str(mini))
    try:
        preview.build_html()
        preview.watching["gala", "questions.pdf"] += 1  # as its page's stream does
        served = preview.version
        assert (preview.build_pdfs() or "").startswith("4 PDFs rendered")
        first, then = [p for p in preview.pushes if p.version > served]
        assert "/gala/questions.pdf" in first.changed
        assert "/gala/press-kit.pdf" not in first.changed
        assert "/gala/press-kit.pdf" in then.changed
        assert "/gala/questions.pdf" not in then.changed  # the cache kept it
    finally:
        preview.close()


def test_a_change_saved_while_pdfs_render_stops_them(mini: Path) -> None:
    preview = Preview(mini, str(mini))
    try:
        preview.build_html()
        asked: list[bool] = []

        def interrupted() -> bool:  # not before the event's build; as soon as it renders
            asked.append(True)
            return len(asked) > 1

        assert preview.build_pdfs(interrupted) is None
        assert preview.stale == ["gala"]  # still to do
        assert not (preview.site / "gala/press-kit.pdf").exists()  # nothing written
    finally:
        preview.close()


@pytest.mark.parametrize(
    ("setting", "badge", "folder"),
    [
        ("visibility: private", "private", "private"),
        ("visibility: unlisted", "unlisted", "site"),
        ("embargo_until: 2999-01-01T00:00:00Z", "embargoed", "private"),
    ],
)
def test_private_unlisted_and_embargoed_events_are_previewed_too(
    mini: Path, setting: str, badge: str, folder: str
) -> None:
    with (mini / "events/gala.yaml").open("a", encoding="utf-8") as handle:
        handle.write(setting + "\n")
    preview = Preview(mini, str(mini), pdfs=False)
    try:
        assert preview.build_html().startswith("HTML of 1 event in ")
        assert (getattr(preview, folder) / "gala/index.html").is_file()
        index = BeautifulSoup(preview.page("/")[2], "html.parser")
        assert index.find(class_="badge").text == badge
        assert "only on this computer" in index.get_text()
        status, _, page = preview.page("/gala/")
        assert status == 200
        assert ALPHA_ONE in page.decode()
        kit = BeautifulSoup(preview.page("/__presskit__/kit/gala/")[2], "html.parser")
        assert kit.find(class_="badge").text == badge
        portal = preview.page("/index.html")[2].decode()
        assert ("Test Gala" in portal) == (badge == "public")  # listed nowhere else
        assert not (mini / "output").exists()
        assert not (mini / "output-private").exists()
    finally:
        preview.close()


def test_a_page_learns_what_it_missed_in_one_push(mini: Path) -> None:
    preview = Preview(mini, str(mini), pdfs=False)
    try:
        preview.build_html()
        served = preview.version
        assert preview.news_since(served) is None  # nothing new
        bank = mini / "question_banks/alpha.yaml"
        bank.write_text(bank.read_text().replace(ALPHA_ONE, "Edited?"))
        preview.build_html()
        (mini / "question_banks/beta.yaml").write_text("theme: [unclosed\n")
        preview.build_html()
        news = preview.news_since(served)
        assert news is not None
        assert news["version"] == served + 2
        assert "/gala/index.html" in news["changed"]
        assert news["error"].endswith("1 problem found.")
        assert news["stage"] == "build"
        assert not news["reload"]
        assert preview.news_since(served + 1)["stage"] == "problem"  # type: ignore[index]
        # a page from an earlier run of the server, or older than the pushes kept: reload
        assert preview.news_since(served - 100)["reload"]  # type: ignore[index]
        assert preview.news_since(served + 100)["reload"]  # type: ignore[index]
    finally:
        preview.close()


def _second_event(mini: Path, slug: str, name: str) -> None:
    text = (mini / "events/gala.yaml").read_text().replace("Test Gala", name)
    (mini / f"events/{slug}.yaml").write_text(text)


def _at_the_whole_build(preview: Preview) -> list[dict[str, Any]]:
    """What the site and the pushes were each time the whole HTML build started."""
    seen: list[dict[str, Any]] = []
    whole = preview._build

    def spying(*args: Any, **kwargs: Any) -> Any:
        site = preview.site
        seen.append(
            {
                "pushes": list(preview.pushes),
                "files": {
                    p.relative_to(site).as_posix(): p.read_bytes()
                    for p in site.rglob("*")
                    if p.is_file()
                },
            }
        )
        return whole(*args, **kwargs)

    preview._build = spying  # type: ignore[method-assign]
    return seen


def test_the_open_one_pager_is_pushed_before_the_whole_build_and_only_once(
    mini: Path,
) -> None:
    _second_event(mini, "other", "Other Night")
    preview = Preview(mini, str(mini), pdfs=False)
    try:
        preview.build_html()
        before = {p.parent.name: p.read_bytes() for p in preview.site.glob("*/index.html")}
        portal = (preview.site / "index.html").read_bytes()
        preview.watching["gala", ""] += 1  # as `follow` counts an open page of the event
        served = preview.version
        seen = _at_the_whole_build(preview)
        bank = mini / "question_banks/alpha.yaml"
        bank.write_text(bank.read_text().replace(ALPHA_ONE, "Edited alpha one?"))
        assert "(1 open page first, in " in preview.build_html()
        first, whole = list(preview.pushes)[-2:]
        assert (first.version, first.stage, first.changed) == (
            served + 1,
            "html",
            ("/gala/index.html",),
        )
        # pushed, and served, before the whole build started; nothing else had changed yet
        [started] = seen
        assert started["pushes"][-1] == first
        assert "Edited alpha one?" in started["files"]["gala/index.html"].decode()
        assert started["files"]["index.html"] == portal
        assert started["files"]["other/index.html"] == before["other"]
        # The whole build wrote the same bytes for it: not pushed again, so not reloaded twice.
        assert (preview.site / "gala/index.html").read_bytes() == started["files"][
            "gala/index.html"
        ]
        assert whole.stage == "html" and "/gala/index.html" not in whole.changed
        assert {"/index.html", "/other/index.html"} <= set(whole.changed)
        news = preview.news_since(first.version)  # the page, reloaded after the first push
        assert news is not None and "/gala/index.html" not in news["changed"]
        assert not news["reload"]
    finally:
        preview.close()


@pytest.mark.parametrize("setting", ["visibility: private", "embargo_until: 2999-01-01T00:00:00Z"])
def test_a_held_event_open_in_a_browser_is_never_built_first_into_the_site(
    mini: Path, setting: str
) -> None:
    preview = Preview(mini, str(mini), pdfs=False)
    try:
        preview.build_html()
        old = (preview.site / "gala/index.html").read_bytes()
        preview.watching["gala", ""] += 1
        seen = _at_the_whole_build(preview)
        # The edit that holds it back is the one being previewed.
        bank = mini / "question_banks/alpha.yaml"
        bank.write_text(bank.read_text().replace(ALPHA_ONE, "Secret question?"))
        with (mini / "events/gala.yaml").open("a", encoding="utf-8") as handle:
            handle.write(setting + "\n")
        assert "first" not in preview.build_html()
        [started] = seen
        assert started["files"]["gala/index.html"] == old  # nothing new in the site
        assert [p.stage for p in preview.pushes][-1:] == ["html"]  # the whole build's only
        assert not (preview.site / "gala").exists()
        assert "Secret question?" in (preview.private / "gala/index.html").read_text()
    finally:
        preview.close()


@pytest.mark.parametrize(
    ("file", "broken", "problem"),
    [
        ("question_banks/alpha.yaml", "theme: [unclosed\n", "YAML syntax error"),
        (
            "templates/onepager.html.j2",
            '{% extends "builtin/onepager.html.j2" %}{% block footer %}{{ nope.x }}{% endblock %}',
            "onepager.html.j2",
        ),
    ],
)
def test_when_the_open_page_fails_to_build_the_last_good_one_stays(
    mini: Path, file: str, broken: str, problem: str
) -> None:
    preview = Preview(mini, str(mini), pdfs=False)
    try:
        preview.build_html()
        good = (preview.site / "gala/index.html").read_bytes()
        preview.watching["gala", ""] += 1
        served = preview.version
        (mini / file).parent.mkdir(exist_ok=True)
        (mini / file).write_text(broken)
        assert problem in preview.build_html()
        assert [(p.stage, p.changed) for p in preview.pushes if p.version > served] == [
            ("problem", ())
        ]
        assert (preview.site / "gala/index.html").read_bytes() == good
        status, _, page = preview.page("/gala/")
        assert status == 200 and ALPHA_ONE in page.decode()
        assert problem in banner(page.decode()).pre.text
    finally:
        preview.close()


def test_an_open_page_that_builds_shows_its_edit_while_the_rest_has_problems(mini: Path) -> None:
    preview = Preview(mini, str(mini), pdfs=False)
    try:
        preview.build_html()
        portal = (preview.site / "index.html").read_bytes()
        preview.watching["gala", ""] += 1
        bank = mini / "question_banks/alpha.yaml"
        bank.write_text(bank.read_text().replace(ALPHA_ONE, "Edited alpha one?"))
        (mini / "templates").mkdir()
        (mini / "templates/portal.html.j2").write_text("{{ nope.x }}")
        assert "portal.html.j2" in preview.build_html()
        assert [(p.stage, p.changed) for p in list(preview.pushes)[-2:]] == [
            ("html", ("/gala/index.html",)),
            ("problem", ()),
        ]
        status, _, page = preview.page("/gala/")
        assert status == 200 and "Edited alpha one?" in page.decode()
        assert "portal.html.j2" in banner(page.decode()).pre.text
        assert (preview.site / "index.html").read_bytes() == portal  # the last good one
    finally:
        preview.close()


def test_the_dashboard_is_served_and_follows_edits(mini: Path) -> None:
    preview = Preview(mini, str(mini), pdfs=False)
    try:
        preview.build_html()
        code, kind, body = preview.page("/")
        assert BeautifulSoup(body, "html.parser").find("a", href=STATUS) is not None
        code, kind, body = preview.page(STATUS)
        assert (code, kind.split(";")[0]) == (HTTPStatus.OK, "text/html")
        page = BeautifulSoup(body, "html.parser")
        assert "3 approved · 0 changed since approval · 1 draft" in _words(page)
        assert page.find("script") is not None  # the push, added as served
        bank = mini / "question_banks/alpha.yaml"
        bank.write_text(bank.read_text().replace("status: approved", "status: draft", 1))
        preview.build_html()
        page = BeautifulSoup(preview.page(STATUS)[2], "html.parser")
        assert "2 approved · 0 changed since approval · 2 draft" in _words(page)
    finally:
        preview.close()


def _words(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())


def test_only_built_files_are_served(mini: Path) -> None:
    preview = Preview(mini, str(mini), pdfs=False)
    try:
        assert preview.build_html().startswith("HTML of 1 event in ")
        assert preview.page("/gala/index.html")[0] == 200
        for path in (
            "/../presskit.yaml",
            "/gala/../../presskit.yaml",
            "/%2e%2e/presskit.yaml",
            "/nothing",
            "/gala/missing.css",
            "/__presskit__/kit/nope/",
            "/__presskit__/kit/gala/more",
            "/__presskit__/view/gala/index.html",
            "/__presskit__/view/gala/press-kit.pdf",  # --no-pdf: there is none
            "/__presskit__/other",
        ):
            status, _, body = preview.page(path)
            assert status == 404, path
            assert b"Not found" in body
    finally:
        preview.close()
    assert not preview.workdir.exists()


def test_the_preview_never_offers_the_published_sites_service_worker(mini: Path) -> None:
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write("base_url: https://kits.example.org/\n")
    preview = Preview(mini, str(mini), pdfs=False)
    try:
        preview.build_html()
        assert preview.page("/gala/index.html")[0] == 200
        assert preview.page("/manifest.webmanifest")[0] == 200
        assert preview.page("/sw.js")[0] == 404
    finally:
        preview.close()


def test_rebuilds_keep_one_site_and_its_state_in_the_workdir(mini: Path) -> None:
    preview = Preview(mini, str(mini), pdfs=False)
    try:
        for _ in range(3):
            preview.build_html()
        kept = sorted(p.name for p in preview.workdir.iterdir())
        assert kept == [".site.presskit", "site"]
        assert [p.name for p in preview.site.rglob(".*")] == []  # nothing hidden is served
    finally:
        preview.close()


def test_errors_are_escaped_in_the_page(mini: Path) -> None:
    (mini / "question_banks/alpha.yaml").write_text("theme: <b>x</b>\nquestions: 3\n")
    preview = Preview(mini, "proj")
    try:
        message = preview.build_html()
        assert message.startswith("proj/question_banks/alpha.yaml:2:12: questions: ")
        status, _, body = preview.page("/")
        assert status == 500  # nothing has built yet
        assert b"<b>" not in body.split(b"<body>")[1].split(b"<script>")[0]
        assert preview.build_pdfs() is None  # nothing to render
    finally:
        preview.close()


def test_a_busy_port_is_a_usage_error(mini: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--project", str(mini), "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.output


def raw(port: int, request: bytes) -> tuple[int, bytes]:
    """Send `request` as it is, bytes for bytes; the status and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer, f"no answer at all to {request[:60]!r}"
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def get(port: int, target: bytes, host: bytes | None = b"127.0.0.1:PORT") -> tuple[int, bytes]:
    header = b"" if host is None else b"Host: " + host.replace(b"PORT", b"%d" % port) + b"\r\n"
    return raw(port, b"GET " + target + b" HTTP/1.1\r\n" + header + b"Connection: close\r\n\r\n")


def port_of(server: Server) -> int:
    return int(server.url.rstrip("/").rsplit(":", 1)[1])


def test_answers_only_requests_addressed_to_it(server: Server) -> None:
    port = port_of(server)
    for own in (b"127.0.0.1:PORT", b"localhost:PORT", b"LocalHost:PORT", b"[::1]:PORT"):
        status, body = get(port, b"/gala/", own)
        assert status == 200, own
        assert b"Test Gala" in body
    # DNS rebinding: a page's own name pointed at 127.0.0.1 reaches the port, but not its name
    for other in (
        b"attacker.example",
        b"attacker.example:PORT",
        b"127.0.0.1.attacker.example:PORT",
        b"localhost:PORT.attacker.example",
        b"127.0.0.1",  # another port: another server
        b"127.0.0.1:1",
        b"[::1]",
        b"",
        None,
    ):
        status, body = get(port, b"/gala/", other)
        assert status in (403, 421), other
        assert body == b"", other
    twice = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nHost: attacker.example\r\n\r\n" % port
    assert raw(port, twice) == (421, b"")
    # the absolute form names the host in the URL; it wins over the Host header
    assert get(port, b"http://attacker.example/gala/") == (421, b"")
    assert get(port, b"http://attacker.example:%d/gala/" % port) == (421, b"")
    status, body = get(port, b"http://127.0.0.1:%d/gala/" % port)
    assert status == 200
    assert b"Test Gala" in body

    # with http.client, as a script would: HEAD too
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    connection.request("HEAD", "/gala/", headers={"Host": "rebound.example"})
    response = connection.getresponse()
    assert (response.status, response.read()) == (421, b"")
    connection.close()
    assert "Traceback" not in server.output()


def test_serves_no_hidden_file(server: Server, mini: Path) -> None:
    port = port_of(server)
    sites = list(server.tmp.glob("presskit-serve-*/site"))
    assert len(sites) == 1
    site = sites[0]
    (site / ".planted").write_text("SECRET")
    (site / ".presskit-cache.json").write_text("SECRET")  # as an earlier version left it
    (site / ".folder").mkdir()
    (site / ".folder/page.html").write_text("SECRET")
    (site / "gala/.planted.html").write_text("SECRET")
    (site / "gala/planted.txt").write_text("visible")
    assert get(port, b"/gala/planted.txt") == (200, b"visible")  # planting works
    hidden = [".presskit-cache.json", ".presskit.lock", ".planted", ".folder/page.html"]
    assert {p.name for p in site.iterdir() if p.name.startswith(".")} >= {
        ".presskit-cache.json",
        ".planted",
        ".folder",
    }
    for target in (
        *(f"/{name}" for name in hidden),
        "/gala/.planted.html",
        "/%2Eplanted",
        "/%2epresskit-cache.json",
        "/gala/%2Eplanted.html",
        "/.folder/",
        "/%2efolder/page.html",
        "/gala/../.planted",
        "/./.planted",
    ):
        status, body = get(port, target.encode())
        assert status == 404, target
        assert b"SECRET" not in body, target
        assert str(mini).encode() not in body, target  # the cache file's absolute paths


MALFORMED = [
    b"/%",
    b"/gala/%zz",
    b"/gala/index.html%4",
    b"/%ff%fe",  # not UTF-8
    b"/%c0%ae%c0%ae/presskit.yaml",  # overlong UTF-8 for ".."
    b"/%00",
    b"/gala/index.html%00.txt",
    b"/gala/\x00",
    b"/gala/%0a",
    b"/gala/\x7f",
    b"/\xff",
    b"/caf\xc3\xa9",
    b"/../presskit.yaml",
    b"/gala/../../presskit.yaml",
    b"/%2e%2e/presskit.yaml",
    b"/%2E%2E%2Fpresskit.yaml",
    b"/gala/..%2f..%2fpresskit.yaml",
    b"/..",
    b"//etc/passwd",
    b"///../../etc/passwd",
    b"/" + b"a" * 300,  # longer than any file name
    b"/" + b"a/" * 2000,  # longer than any path
    b"/" + b"%41" * 3000,
    b"http://attacker.example/gala/",
    b"https://127.0.0.1/gala/",
    b"*",
    b"gala/index.html",
]


def test_malformed_urls_get_a_4xx_and_no_traceback(server: Server, mini: Path) -> None:
    port = port_of(server)
    secret = (mini / "presskit.yaml").read_bytes()[:30]
    for target in MALFORMED:
        status, body = get(port, target)
        assert 400 <= status < 500, target
        assert secret not in body and b"root:" not in body, target
    long_line = raw(port, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")
    assert 400 <= long_line[0] < 500
    # a project with problems shows them, but a bad URL is still the client's mistake
    (mini / "question_banks/beta.yaml").write_text("theme: [unclosed\n")
    wait_for(lambda: not banner(server.get("/gala/")[1]).has_attr("hidden"), "the problems")
    for target in (b"/%00", b"/../presskit.yaml", b"/.presskit-cache.json"):
        assert 400 <= get(port, target)[0] < 500, target
    assert server.process.poll() is None
    assert "Traceback" not in server.output()
    assert server.stop() == 0


def test_url_checks_hold_without_a_server(mini: Path) -> None:
    preview = Preview(mini, str(mini), pdfs=False)
    try:
        preview.build_html()
        for target in MALFORMED:
            path = url_path(target.decode("latin-1"), ["127.0.0.1:8000"], 8000)
            if isinstance(path, str):
                assert 400 <= preview.page(path)[0] < 500, target
        assert url_path("/gala/?q=1#top", ["localhost:8000"], 8000) == "/gala/"
        assert url_path("/", ["localhost"], 80) == "/"
        assert url_path("/", ["localhost"], 8000) == HTTPStatus.MISDIRECTED_REQUEST
        assert preview.page("/gala/%69ndex.html")[0] == 200  # plain percent-encoding is fine
    finally:
        preview.close()


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize(
    "options", [("--no-pdf",), pytest.param((), marks=pytest.mark.slow, id="rendering-pdfs")]
)
def test_ctrl_c_stops_it_even_when_started_with_sigint_ignored(
    mini: Path, tmp_path: Path, options: tuple[str, ...]
) -> None:
    """A parent that ignores SIGINT (a test runner's worker, say) passes that on; Python then
    leaves it ignored, and Ctrl-C did nothing. It stops while PDFs render, too."""
    running = Server(mini, tmp_path / "tmp", *options, ignore_sigint=True)
    try:
        assert running.stop() == 0
        assert running.output().splitlines()[-1] == "stopped"
        assert "Traceback" not in running.output()
        assert list(running.tmp.iterdir()) == []
    finally:
        if running.process.poll() is None:
            running.process.kill()
