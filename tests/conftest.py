"""Shared fixtures: copies of small projects under tests/fixtures, and helpers to read outputs."""

from __future__ import annotations

import http.server
import io
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions, BuildResult
from presskit.project.loading import load_project

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    # tests/promises/test_golden.py: rewrite tests/golden/ from today's output instead of comparing.
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files under tests/golden/ instead of comparing against them",
    )


# The files that take longest (about 30 s to 2 min each on two cores, 2026-12-02), longest
# first. `--dist loadfile` hands whole files to the test processes in collection order, so a
# long file collected near the end (tools/test_serve.py, test_wheel.py) left one process
# working alone while the other had finished. Only the order of files changes.
LONGEST_FIRST = (
    "tests/browser/test_browser.py",
    "tests/pipeline/test_stamp.py",
    "tests/tools/test_serve.py",
    "tests/promises/test_crash_safety.py",
    "tests/test_wheel.py",
    "tests/browser/test_reporters.py",
    "tests/pipeline/test_cache.py",
    "tests/promises/test_reproducible.py",
    "tests/promises/test_private_kits.py",
    "tests/test_cli.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], len(rank)))  # stable


@pytest.fixture(autouse=True, scope="session")
def _pdfs_in_the_test_process() -> Iterator[None]:
    """A build run inside a test without a number of jobs renders its PDFs in the test's own
    process, as `--jobs 1` does, instead of one spawned worker per core. Each pool starts fresh
    interpreters that import WeasyPrint and set up fonts (about 2.5 s more per build of mini,
    and twice the CPU, on the two cores the suite shares), the same start-up in most of a
    hundred builds whose tests are about something else. The pool itself is still tested
    where it is the subject: tests that pass `jobs=2` / `--jobs 2` (tests/render/test_pool.py,
    tests/pipeline/test_cache.py, tests/test_cli.py) and every `python -m presskit` subprocess
    (crash safety, leftover processes, serve), which keeps the real default. Session-wide, so
    that the module- and session-scoped builds (the browser tests' site) are covered too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("presskit.pipeline.build.default_jobs", lambda: 1)
        yield


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/mini: 2 banks, 1 event, 4 signatories."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    """Replace one exact piece of text in a file, failing loudly if it is not there."""

    def _edit(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return _edit


def build_in_place(root: Path, **options: object) -> BuildResult:
    """Load `root` and build it into its own output/ folder, in one process unless told."""
    options.setdefault("jobs", 1)
    return build(load_project(root), BuildOptions(out=root / "output", **options))  # type: ignore[arg-type]


def identities(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file's inode and modification time: a rewrite changes one or both."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def pdf_pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def qr_codes(image: Any) -> list[str]:
    """What the QR codes in an image (a PIL image or PNG bytes) say, as a phone reads them."""
    import zxingcpp
    from PIL import Image

    if isinstance(image, bytes):
        image = Image.open(io.BytesIO(image))
    return [code.text for code in zxingcpp.read_barcodes(image.convert("RGB"))]


def _page_number(png: Path) -> int:
    return int(png.stem.rsplit("-", 1)[1])  # page-2 before page-10


def pdf_qr_codes(path: Path, dpi: int = 150) -> list[list[str]]:
    """What the QR codes on each page of a PDF say, page by page, from the pages rendered at
    `dpi` (poppler's pdftoppm, as a printer would) and decoded by zxing-cpp."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(path), f"{folder}/page"], check=True
        )
        pages = sorted(Path(folder).glob("page-*.png"), key=_page_number)
        return [qr_codes(png.read_bytes()) for png in pages]


def squash(text: str) -> str:
    """Whitespace-insensitive form, since PDF text extraction breaks lines anywhere."""
    return " ".join(text.split())


PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 (ephemeral port) that serves a PNG for any path and
    records every request: `(base_url, seen_paths)`."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG_1PX)))
            self.end_headers()
            self.wfile.write(PNG_1PX)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()
