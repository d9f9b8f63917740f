"""Remote assets, when a campaign allows them: the size limit holds after decompression.

A server can answer with a small compressed body that inflates to gigabytes (a "zip bomb" sent
as `Content-Encoding: gzip` or `deflate`). The fetch stops as soon as the decompressed body
passes the limit, with an error naming the URL, and memory stays near the limit.
"""

from __future__ import annotations

import gzip
import http.server
import threading
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from presskit.errors import RenderError
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from presskit.render import pdf
from presskit.render.pdf import PdfRenderer
from tests.conftest import PNG_1PX

BOMB_BYTES = 64_000_000  # decompressed; a few tens of kilobytes on the wire
LIMIT = 2_000_000  # MAX_ASSET_BYTES for these tests, so the bombs stay quick to serve


def deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ZEROS = b"\0" * BOMB_BYTES
BODIES: dict[str, tuple[str, bytes]] = {  # path -> (Content-Encoding, body)
    "/gzip-bomb.png": ("gzip", gzip.compress(ZEROS, 9)),
    "/deflate-bomb.png": ("deflate", zlib.compress(ZEROS, 9)),
    "/raw-deflate-bomb.png": ("deflate", deflate_raw(ZEROS)),
    "/plain-too-big.png": ("", b"\0" * (LIMIT + 1)),
    "/gzip.png": ("gzip", gzip.compress(PNG_1PX)),
    "/deflate.png": ("deflate", zlib.compress(PNG_1PX)),
    "/raw-deflate.png": ("deflate", deflate_raw(PNG_1PX)),
    "/brotli.png": ("br", b"\x0b\x02\x80not really brotli"),
    "/cut-gzip.png": ("gzip", gzip.compress(PNG_1PX)[:-12]),
}
del ZEROS


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A loopback HTTP server serving `BODIES`, with the asset limit lowered to `LIMIT`."""
    monkeypatch.setattr(pdf, "MAX_ASSET_BYTES", LIMIT)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            encoding, body = BODIES[self.path]
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def renderer(tmp_path: Path) -> PdfRenderer:
    return PdfRenderer(roots=[tmp_path], allow_remote=True)


def test_the_bombs_are_small_on_the_wire_and_huge_inflated() -> None:
    for path in ["/gzip-bomb.png", "/deflate-bomb.png", "/raw-deflate-bomb.png"]:
        assert len(BODIES[path][1]) < LIMIT // 10, path


@pytest.mark.parametrize("path", ["/gzip-bomb.png", "/deflate-bomb.png", "/raw-deflate-bomb.png"])
def test_a_decompression_bomb_is_refused_in_bounded_memory(
    renderer: PdfRenderer, server: str, tmp_path: Path, path: str
) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(RenderError) as exc:
            renderer.render(f'<img src="{server}{path}" alt="">', tmp_path, "doc")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * LIMIT, f"peak {peak} bytes while fetching a {BOMB_BYTES}-byte bomb"
    assert str(exc.value.message) == (
        f"doc: refused to load {server}{path} (larger than {LIMIT} bytes once decompressed)"
    )


def test_a_plain_body_over_the_limit_is_refused(renderer: PdfRenderer, server: str) -> None:
    with pytest.raises(RenderError) as exc:
        renderer.render(f'<img src="{server}/plain-too-big.png" alt="">', renderer.roots[0], "doc")
    assert str(exc.value.message) == (
        f"doc: refused to load {server}/plain-too-big.png (larger than {LIMIT} bytes)"
    )


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/brotli.png", "its Content-Encoding 'br' is not supported"),
        ("/cut-gzip.png", "its gzip body ends before the compressed data does"),
    ],
)
def test_an_unreadable_encoding_is_refused(
    renderer: PdfRenderer, server: str, path: str, reason: str
) -> None:
    with pytest.raises(RenderError) as exc:
        renderer.render(f'<img src="{server}{path}" alt="">', renderer.roots[0], "doc")
    assert str(exc.value.message) == f"doc: refused to load {server}{path} ({reason})"


@pytest.mark.parametrize("path", ["/gzip.png", "/deflate.png", "/raw-deflate.png"])
def test_a_compressed_image_within_the_limit_is_drawn(
    renderer: PdfRenderer, server: str, path: str, tmp_path: Path
) -> None:
    result = renderer.render(f'<img src="{server}{path}" alt="">', tmp_path, "doc")
    (tmp_path / "doc.pdf").write_bytes(result.data)
    assert len(PdfReader(tmp_path / "doc.pdf").pages[0].images) == 1
    assert result.assets == (f"{server}{path}",)


@pytest.mark.slow
def test_a_build_meeting_a_bomb_fails_naming_the_url(mini: Path, server: str) -> None:
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write("allow_remote_assets: true\n")
    (mini / "templates").mkdir()
    (mini / "templates/press-kit.html.j2").write_text(
        '{% extends "builtin/press-kit.html.j2" %}\n'
        f'{{% block cover %}}<img src="{server}/gzip-bomb.png" alt="logo">{{% endblock %}}',
        encoding="utf-8",
    )
    with pytest.raises(RenderError) as exc:
        options = BuildOptions(out=mini / "out", formats=frozenset({"pdf"}), jobs=1)
        build(load_project(mini), options)  # in this process, so with the lowered limit
    assert str(exc.value.message) == (
        f"gala/press-kit.pdf: refused to load {server}/gzip-bomb.png (larger than {LIMIT} "
        "bytes once decompressed; from templates/press-kit.html.j2:2)"
    )
    assert not (mini / "out/gala/press-kit.pdf").exists()
