"""`presskit serve`: a real server on a free loopback port, edited under its feet.

Waits are bounded polls (a change shows up within a second or two; the limits are generous for a
busy CI machine), never fixed sleeps, and nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import queue
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

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from presskit.cli import main
from presskit.tools.serve import VERSION_PATH, Preview, url_path

WAIT = 30.0  # seconds; an upper bound, not an expectation


def wait_for(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


class Server:
    def __init__(self, project: Path, tmp: Path, *, ignore_sigint: bool = False) -> None:
        tmp.mkdir()
        self.tmp = tmp
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "presskit", "serve", "--project", str(project), "--port", "0"],
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

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=WAIT)


@pytest.fixture
def server(mini: Path, tmp_path: Path) -> Iterator[Server]:
    running = Server(mini, tmp_path / "tmp")
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def test_serves_rebuilds_reloads_and_survives_mistakes(server: Server, mini: Path) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    status, index = server.get("/")
    assert status == 200
    links = [(a["href"], a.text) for a in BeautifulSoup(index, "html.parser").find_all("a")]
    assert links == [("/gala/", "Test Gala")]

    status, page = server.get("/gala/")
    assert status == 200
    soup = BeautifulSoup(page, "html.parser")
    assert "What does alpha one ask?" in soup.get_text()
    scripts = soup.find_all("script")  # the page's own (copy buttons), then the reload one
    assert [VERSION_PATH in s.text for s in scripts] == [False, True]
    version = server.get(VERSION_PATH)[1]
    assert not (mini / "output").exists()  # previews never touch the project's output/

    bank = mini / "question_banks/alpha.yaml"
    bank.write_text(
        bank.read_text().replace("What does alpha one ask?", "What did the edited alpha ask?")
    )
    wait_for(
        lambda: "What did the edited alpha ask?" in server.get("/gala/")[1],
        "the edit to reach the page",
    )
    assert server.get(VERSION_PATH)[1] != version
    assert "What does alpha one ask?" not in server.get("/gala/")[1]

    beta = mini / "question_banks/beta.yaml"
    good = beta.read_text()
    beta.write_text("theme: [unclosed\n")
    wait_for(lambda: server.get("/gala/")[0] == 500, "the error page")
    problem = f"{mini}/question_banks/beta.yaml:2:1: YAML syntax error"
    shown = BeautifulSoup(server.get("/gala/")[1], "html.parser")
    assert shown.h1 is not None and shown.h1.text == "The project has problems"
    assert shown.pre is not None and shown.pre.text.startswith(problem)
    assert len(shown.find_all("script")) == 1  # so the page comes back by itself once fixed
    wait_for(lambda: problem in server.output(), "the problem in the terminal")

    beta.write_text(good)
    wait_for(lambda: server.get("/gala/")[0] == 200, "the page to come back")
    assert server.process.poll() is None

    assert server.stop() == 0
    out = server.output()
    assert out.splitlines()[-1] == "stopped"
    assert "Traceback" not in out
    assert list(server.tmp.iterdir()) == []  # the private build folder is gone


def test_only_built_files_are_served(mini: Path) -> None:
    preview = Preview(mini, str(mini))
    try:
        assert preview.rebuild() == "built 1 event page"
        assert preview.page("/gala/index.html")[0] == 200
        for path in (
            "/../presskit.yaml",
            "/gala/../../presskit.yaml",
            "/%2e%2e/presskit.yaml",
            "/nothing",
            "/gala/missing.css",
        ):
            status, _, body = preview.page(path)
            assert status == 404, path
            assert b"Not found" in body
        assert preview.page(VERSION_PATH)[2] == b"1"
    finally:
        preview.close()
    assert not preview.workdir.exists()


def test_the_preview_never_offers_the_published_sites_service_worker(mini: Path) -> None:
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write("base_url: https://kits.example.org/\n")
    preview = Preview(mini, str(mini))
    try:
        assert preview.rebuild() == "built 1 event page"
        assert preview.page("/gala/index.html")[0] == 200
        assert preview.page("/manifest.webmanifest")[0] == 200
        assert preview.page("/sw.js")[0] == 404
    finally:
        preview.close()


def test_each_rebuild_leaves_one_site_and_its_state_in_the_workdir(mini: Path) -> None:
    preview = Preview(mini, str(mini))
    try:
        for _ in range(3):
            assert preview.rebuild() == "built 1 event page"
        assert preview.site is not None
        kept = sorted(p.name for p in preview.workdir.iterdir())
        assert kept == sorted([preview.site.name, f".{preview.site.name}.presskit"])
        assert [p.name for p in preview.site.rglob(".*")] == []  # nothing hidden is served
    finally:
        preview.close()


def test_errors_are_escaped_in_the_page(mini: Path) -> None:
    (mini / "question_banks/alpha.yaml").write_text("theme: <b>x</b>\nquestions: 3\n")
    preview = Preview(mini, "proj")
    try:
        message = preview.rebuild()
        assert message.startswith("proj/question_banks/alpha.yaml:2:12: questions: ")
        status, _, body = preview.page("/")
        assert status == 500
        assert b"<b>" not in body.split(b"<body>")[1].split(b"<script>")[0]
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
    sites = [p for p in server.tmp.glob("presskit-serve-*/*") if (p / "index.html").exists()]
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
    wait_for(lambda: server.get("/gala/")[0] == 500, "the error page")
    for target in (b"/%00", b"/../presskit.yaml", b"/.presskit-cache.json"):
        assert 400 <= get(port, target)[0] < 500, target
    assert server.process.poll() is None
    assert "Traceback" not in server.output()
    assert server.stop() == 0


def test_url_checks_hold_without_a_server(mini: Path) -> None:
    preview = Preview(mini, str(mini))
    try:
        preview.rebuild()
        assert preview.site is not None
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


def test_ctrl_c_stops_it_even_when_started_with_sigint_ignored(mini: Path, tmp_path: Path) -> None:
    """A parent that ignores SIGINT (a test runner's worker, say) passes that on; Python then
    leaves it ignored, and Ctrl-C did nothing."""
    running = Server(mini, tmp_path / "tmp", ignore_sigint=True)
    try:
        assert running.stop() == 0
        assert running.output().splitlines()[-1] == "stopped"
    finally:
        if running.process.poll() is None:
            running.process.kill()
