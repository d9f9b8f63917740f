"""HTML to PDF with WeasyPrint: the only module that imports it.

WeasyPrint's defaults fetch anything (http, any file:// path, attachments), so every document is
rendered through `ConfinedFetcher`, which reads regular files under the allowed roots (after
following symbolic links) and `data:` URLs, `http(s)` only when the campaign sets
`allow_remote_assets: true`, and refuses everything else. A refusal is an error, not a
warning: a kit that silently lost its logo, or tried to read /etc/passwd, must not be shipped.

Text that runs off the page is an error too: the renderer clips it without a word, and a build
that only counts pages would ship the kit with half a venue or hashtag. After layout, one walk over
each page's boxes finds text boxes reaching past the page's edges (`text_off_the_page`).

WeasyPrint is imported lazily (about half a second) so `--help` and `validate` stay fast, and one
`FontConfiguration` is reused per process to keep memory flat.
"""

from __future__ import annotations

import logging
import mimetypes
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib import request
from urllib.parse import unquote, urlsplit

from presskit.errors import RenderError
from presskit.render.fonts import FACES, FONT_DIR
from presskit.render.templating import REMOTE_OFF
from presskit.wording import plural

MAX_ASSET_BYTES = 20_000_000  # a file read for a PDF, and a remote one once decompressed
REMOTE_TIMEOUT = 10.0  # seconds a remote server may stay silent
REMOTE_SECONDS = 60.0  # seconds one remote file may take in all
CHUNK_BYTES = 65_536
# pdf/ua-1 gives a tagged PDF (structure tree, /Lang, alt text, DisplayDocTitle) and, like the
# default output, is byte-for-byte reproducible; pdf/x-* variants embed a random id.
PDF_VARIANT = "pdf/ua-1"
EDGE_TOLERANCE = 0.5  # CSS pixels a glyph may pass the page's edge (rounding, not clipping)


@dataclass(frozen=True)
class PdfResult:
    """The PDF, its page count, and the local files it was made from (for the build cache)."""

    data: bytes
    pages: int
    assets: tuple[str, ...] = ()


class _Refused(Exception):
    """A remote file presskit will not use; the message says why."""


def _decompressor(encoding: str, first: bytes) -> Any:
    """A zlib decompressor for the `Content-Encoding` of a body starting with `first`, or None
    for a plain body."""
    codings = [part.strip().lower() for part in encoding.split(",") if part.strip()]
    if codings in ([], ["identity"]):
        return None
    if codings in (["gzip"], ["x-gzip"]):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if codings == ["deflate"]:  # zlib-wrapped as the standard says, or raw as some servers send
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and int.from_bytes(first[:2]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
    raise _Refused(f"its Content-Encoding {encoding!r} is not supported")


def _read_capped(response: Any, encoding: str) -> bytes:
    """The body of `response`, decompressed as `encoding` says, read in chunks and refused as
    soon as it passes `MAX_ASSET_BYTES` compressed or decompressed (so a small compressed body
    that inflates to gigabytes costs one chunk of memory), or `REMOTE_SECONDS` in all."""
    deadline = time.monotonic() + REMOTE_SECONDS
    body = bytearray()
    received = 0
    decompressor: Any = None
    while chunk := response.read(CHUNK_BYTES):
        received += len(chunk)
        if received == len(chunk):
            decompressor = _decompressor(encoding, chunk)
        if received > MAX_ASSET_BYTES:
            raise _Refused(f"larger than {MAX_ASSET_BYTES} bytes")
        if time.monotonic() > deadline:
            raise _Refused(f"took longer than {REMOTE_SECONDS} seconds to fetch")
        while chunk:
            if decompressor is None:
                body += chunk
                chunk = b""
            else:
                body += decompressor.decompress(chunk, MAX_ASSET_BYTES + 1 - len(body))
                chunk = decompressor.unconsumed_tail
            if len(body) > MAX_ASSET_BYTES:
                raise _Refused(f"larger than {MAX_ASSET_BYTES} bytes once decompressed")
    if decompressor is not None:
        body += decompressor.flush()
        if len(body) > MAX_ASSET_BYTES:
            raise _Refused(f"larger than {MAX_ASSET_BYTES} bytes once decompressed")
        if not decompressor.eof:
            raise _Refused(f"its {encoding} body ends before the compressed data does")
    return bytes(body)


def _fetcher_class() -> type[Any]:
    from weasyprint.urls import HTTP_HEADERS, URLFetcher, URLFetcherResponse, iri_to_uri

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Reads `data:` URLs and regular files under `roots` (and, only when the campaign
        allows it, `http`/`https`); refuses and records the rest with the reason."""

        def __init__(self, roots: Sequence[Path], allow_remote: bool = False) -> None:
            schemes = {"data", "file"} | ({"http", "https"} if allow_remote else set())
            super().__init__(allowed_protocols=schemes, allow_redirects=False)
            self.roots = [root.resolve() for root in roots]
            self.allow_remote = allow_remote
            self.refused: dict[str, str] = {}
            self.fetched: list[str] = []  # what was read, for the build cache
            # http(s) is read here, not by WeasyPrint's fetcher, which decompresses a deflate
            # body whole, before any size check: no redirects, as above
            self.remote = request.OpenerDirector()
            for handler in (
                request.ProxyHandler(),
                request.HTTPHandler(),
                request.HTTPSHandler(),
                request.HTTPDefaultErrorHandler(),
                request.HTTPErrorProcessor(),
            ):
                self.remote.add_handler(handler)

        def refuse(self, url: str, reason: str) -> ValueError:
            self.refused.setdefault(url, reason)
            return ValueError(f"presskit does not fetch {url}: {reason}")

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                return self.fetch_file(url)
            if scheme in ("http", "https"):
                if not self.allow_remote:
                    raise self.refuse(url, REMOTE_OFF)
                return self.fetch_remote(url, headers)
            raise self.refuse(url, f"the {scheme}: scheme is not allowed")

        def fetch_file(self, url: str) -> Any:
            given = Path(unquote(urlsplit(url).path))
            path = given.resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                inside = any(given.absolute().is_relative_to(root) for root in self.roots)
                raise self.refuse(
                    url,
                    "a symbolic link leading outside the project"
                    if inside
                    else "outside the project",
                )
            if not path.is_file():
                raise self.refuse(
                    url, "no such file" if not path.exists() else "not a regular file"
                )
            if path.stat().st_size > MAX_ASSET_BYTES:
                raise self.refuse(url, f"larger than {MAX_ASSET_BYTES} bytes")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self.fetched.append(str(path))
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})

        def fetch_remote(self, url: str, headers: Any) -> Any:
            try:
                # only http(s) reaches here, and self.remote has no handler for other schemes
                http_request = request.Request(  # noqa: S310
                    iri_to_uri(url), headers={**HTTP_HEADERS, **(headers or {})}
                )
                with self.remote.open(http_request, timeout=REMOTE_TIMEOUT) as response:
                    body = _read_capped(response, response.headers.get("Content-Encoding", ""))
                    final_url, status = response.url, response.status
                    kept = {
                        key: value
                        for key, value in response.headers.items()
                        if key.lower() not in ("content-encoding", "content-length")
                    }
            except _Refused as exc:
                raise self.refuse(url, str(exc)) from None
            except Exception as exc:  # any failure is a missing asset: stop the build
                raise self.refuse(url, f"could not be fetched ({exc})") from None
            self.fetched.append(url)  # not a file: the cache never vouches for this PDF
            return URLFetcherResponse(final_url, body=body, headers=kept, status=status)

    return ConfinedFetcher


def _check(fetcher: Any, name: str, locate: Callable[[str], str | None] | None) -> None:
    if fetcher.refused:
        parts = []
        for url, reason in sorted(fetcher.refused.items()):
            where = locate(url) if locate else None
            parts.append(f"{url} ({reason}{f'; from {where}' if where else ''})")
        raise RenderError(f"{name}: refused to load {', '.join(parts)}")


def text_off_the_page(document: Any) -> list[tuple[int, str]]:
    """(page number, longest word) of every text box of a laid-out WeasyPrint document that
    reaches past the left or right edge of its page, where the renderer would clip it."""
    from weasyprint.formatting_structure.boxes import TextBox

    found = []
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box  # WeasyPrint keeps the layout tree here
        right = page_box.margin_width() + EDGE_TOLERANCE
        boxes = [page_box]
        while boxes:
            box = boxes.pop()
            if isinstance(box, TextBox):
                if box.position_x < -EDGE_TOLERANCE or box.position_x + box.width > right:
                    words = box.text.split() or [box.text]
                    found.append((number, max(words, key=len)))
            else:
                boxes.extend(getattr(box, "children", ()))
    return found


def _check_edges(document: Any, name: str) -> None:
    off = text_off_the_page(document)
    if off:
        number, word = off[0]
        more = f" (and {plural(len(off) - 1, 'more line')})" if len(off) > 1 else ""
        raise RenderError(
            f"{name}: text runs off page {number} and would be cut: {word!r}{more}; "
            "shorten it or put spaces in it"
        )


PRINT_FLAG = 1 << 2  # bit 3 of an annotation's /F: printed as shown


def finish_pdf(document: Any, pdf: Any) -> None:
    """What presskit adds to WeasyPrint's PDF/UA output before it is written (its `finisher`)."""
    _print_annotations(pdf)
    _margins_as_artifacts(pdf)


def _print_annotations(pdf: Any) -> None:
    """Give every annotation (links) the Print flag, so print and screen agree (PDF/UA, ISO
    14289-1 7.18.1; outloud LNK-004): WeasyPrint 70 sets it for its PDF/A variants only."""
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/Annot":
            item["F"] = PRINT_FLAG


def _margins_as_artifacts(pdf: Any) -> None:
    """Mark the page margins' content (the running footer, the page number, a draft mark) as
    pagination artifacts, as PDF/UA asks (ISO 14289-1 7.8; outloud PAG-001).

    WeasyPrint 70 marks it as content with an MCID whose structure element no part of the
    structure tree holds (Kozea/WeasyPrint#1836): those marked-content sequences become
    `/Artifact <</Type /Pagination>>` and their parent-tree entries null.
    """
    import pydyf  # WeasyPrint's own PDF writer

    objects = {o.number: o for o in pdf.objects if getattr(o, "number", None) is not None}

    def resolve(reference: Any) -> Any:
        if isinstance(reference, bytes | str):
            return objects[int(reference.split()[0])]
        return reference

    if "StructTreeRoot" not in pdf.catalog:
        return
    root = resolve(pdf.catalog["StructTreeRoot"])
    held: set[int] = set()
    pending = [root]
    while pending:
        element = pending.pop()
        if id(element) in held:
            continue
        held.add(id(element))
        kids = element.get("K", [])
        kids = kids if isinstance(kids, list) else [kids]
        pending += [resolve(k) for k in kids if isinstance(k, bytes | str)]
    numbers = resolve(root["ParentTree"])["Nums"]
    page_numbers = pdf.pages["Kids"][::3]  # the page tree lists "n 0 R" as three items
    for index, marks in zip(numbers[::2], numbers[1::2], strict=True):
        if not isinstance(marks, list):
            continue  # an annotation's entry, not a page's
        loose = {mcid for mcid, ref in enumerate(marks) if id(resolve(ref)) not in held}
        if not loose:
            continue
        stream = resolve(objects[page_numbers[index]]["Contents"]).stream
        for at, item in enumerate(stream):
            if isinstance(item, dict) and item.get("MCID") in loose and stream[at + 1] == b"BDC":
                stream[at - 1] = "/Artifact"
                stream[at] = pydyf.Dictionary({"Type": "/Pagination"})
        for mcid in loose:
            marks[mcid] = "null"


def _add_default_typeface(font_config: Any) -> None:
    """Make presskit's own font files (presskit.render.fonts) known to the renderer's fontconfig,
    so the stylesheets' "Noto Sans" and "Noto Naskh Arabic" are found on any machine. Added
    this way, not by @font-face, because WeasyPrint copies every @font-face file to a temporary
    folder first (2.4 MB, and a write that a file-size limit or a full disk would stop)."""
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2

    for _, file, _, _ in FACES:
        fontconfig.FcConfigAppFontAddFile(font_config._config, str(FONT_DIR / file).encode())
    pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", font_config.font_map))


class PdfRenderer:
    """Renders HTML strings to PDF bytes; create one per process and reuse it."""

    def __init__(
        self,
        roots: Sequence[Path],
        *,
        allow_remote: bool = False,
        locate: Callable[[str], str | None] | None = None,
    ) -> None:
        """`locate(url)` may name the file a refused URL came from, for the error message."""
        from weasyprint.text.fonts import FontConfiguration

        logging.getLogger("weasyprint").setLevel(logging.CRITICAL)  # refusals are raised
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        self.roots = tuple(roots)
        self.allow_remote = allow_remote
        self.locate = locate
        self.font_config = FontConfiguration()
        _add_default_typeface(self.font_config)
        self._fetcher = _fetcher_class()

    def _layout(self, html: str, base_dir: Path, name: str) -> tuple[Any, Any]:
        from weasyprint import HTML

        fetcher = self._fetcher(self.roots, self.allow_remote)
        document = HTML(
            string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=self.font_config, pdf_variant=PDF_VARIANT)
        _check(fetcher, name, self.locate)
        return document, fetcher

    def _write(self, document: Any, fetcher: Any, name: str) -> PdfResult:
        _check_edges(document, name)
        data = document.write_pdf(pdf_variant=PDF_VARIANT, finisher=finish_pdf)
        # attachments are fetched while writing, not during layout
        _check(fetcher, name, self.locate)
        return PdfResult(
            data=data, pages=len(document.pages), assets=tuple(sorted(set(fetcher.fetched)))
        )

    def render(self, html: str, base_dir: Path, name: str) -> PdfResult:
        """Lay out and write one document; `name` is how errors refer to it."""
        document, fetcher = self._layout(html, base_dir, name)
        return self._write(document, fetcher, name)

    def render_fitting(
        self,
        variants: Sequence[str],
        base_dir: Path,
        name: str,
        max_pages: int,
        hint: str = "lower the event's select.count",
    ) -> tuple[PdfResult, int]:
        """Render the first of `variants` (densest last) that fits in `max_pages`; `hint` says
        what the user can change when none fits."""
        for index, html in enumerate(variants):
            document, fetcher = self._layout(html, base_dir, name)
            if len(document.pages) <= max_pages:
                return self._write(document, fetcher, name), index
        raise RenderError(
            f"{name}: does not fit on {plural(max_pages, 'page')} "
            "even in the most compact layout; "
            f"{hint}"
        )
