"""`presskit serve`: a real server on a free loopback port, edited under its feet.

Waits are bounded polls (a change shows up within a second or two; the limits are generous for a
busy CI machine), never fixed sleeps, and nothing leaves 127.0.0.1.
"""

from __future__ import annotations

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
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from presskit.cli import main
from presskit.tools.serve import VERSION_PATH, Preview

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
    def __init__(self, project: Path, tmp: Path) -> None:
        tmp.mkdir()
        self.tmp = tmp
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "presskit", "serve", "--project", str(project), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
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
