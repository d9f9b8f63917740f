"""HTML to PDF with WeasyPrint: the only module that imports it.

WeasyPrint's defaults fetch anything (http, any file:// path, attachments), so every document is
rendered through `ConfinedFetcher`, which reads regular files under the allowed roots (after
following symbolic links) and `data:` URLs, `http(s)` only when the campaign sets
`allow_remote_assets: true`, and refuses everything else. A refusal is an error, not a
warning: a kit that silently lost its logo, or tried to read /etc/passwd, must not be shipped.

Text that runs off the page is an error too: the renderer clips it without a word, and a build
that only counts pages would ship the kit with half a venue or hashtag. After layout, one walk over
each page's boxes finds text boxes reaching past the page's edges (`text_off_the_page`).

As each PDF is written, `finish_pdf` mends what WeasyPrint 70 gets wrong for PDF/UA and for
copying text out: the page margins become artifacts, links print, and Arabic vowel marks are
drawn at the pen so that pdftotext keeps them in their words (`_marks_on_the_pen`).

WeasyPrint is imported lazily (about half a second) so `--help` and `validate` stay fast, and one
`FontConfiguration` is reused per process to keep memory flat.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import struct
import time
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
    _marks_on_the_pen(document, pdf)


def _print_annotations(pdf: Any) -> None:
    """Give every annotation (links) the Print flag, so print and screen agree (PDF/UA, ISO
    14289-1 7.18.1; outloud LNK-004): WeasyPrint 70 sets it for its PDF/A variants only."""
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/Annot":
            item["F"] = PRINT_FLAG


def _resolver(pdf: Any) -> Callable[[Any], Any]:
    """A function giving the object an indirect reference of WeasyPrint's PDF (b"12 0 R") names;
    anything else is returned as it is."""
    objects = {o.number: o for o in pdf.objects if getattr(o, "number", None) is not None}

    def resolve(reference: Any) -> Any:
        if isinstance(reference, bytes | str):
            return objects[int(reference.split()[0])]
        return reference

    return resolve


def _margins_as_artifacts(pdf: Any) -> None:
    """Mark the page margins' content (the running footer, the page number, a draft mark) as
    pagination artifacts, as PDF/UA asks (ISO 14289-1 7.8; outloud PAG-001).

    WeasyPrint 70 marks it as content with an MCID whose structure element no part of the
    structure tree holds (Kozea/WeasyPrint#1836): those marked-content sequences become
    `/Artifact <</Type /Pagination>>` and their parent-tree entries null.
    """
    import pydyf  # WeasyPrint's own PDF writer

    resolve = _resolver(pdf)
    objects = {o.number: o for o in pdf.objects if getattr(o, "number", None) is not None}
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


# one item of a TJ array in WeasyPrint's output: a <hex> glyph string or a number
TJ_ITEM = re.compile(rb"<([0-9a-fA-F]*)>|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
BFCHAR = re.compile(rb"^<([0-9a-fA-F]{4})> <([0-9a-fA-F]*)>$")


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me")


def _mixed(text: str) -> bool:
    """Whether `text` holds both marks and letters (a whole cluster)."""
    return len({_is_mark(c) for c in text}) == 2


class _Glyphs:
    """The tables of an embedded TrueType font that a new glyph touches, read and written with
    `struct` (fontTools would decompile and compile every glyph: tens of milliseconds)."""

    def __init__(self, data: bytes) -> None:
        count = struct.unpack_from(">H", data, 4)[0]
        self.header = data[:12]
        self.tables: dict[bytes, bytearray] = {}
        for at in range(12, 12 + 16 * count, 16):
            tag, _, offset, length = struct.unpack_from(">4sIII", data, at)
            self.tables[tag] = bytearray(data[offset : offset + length])
        head, maxp = self.tables[b"head"], self.tables[b"maxp"]
        self.units: int = struct.unpack_from(">H", head, 18)[0]
        self.long = struct.unpack_from(">h", head, 50)[0] == 1
        self.count: int = struct.unpack_from(">H", maxp, 4)[0]
        self.depth = struct.unpack_from(">H", maxp, 30)[0] if len(maxp) >= 32 else 0
        loca = self.tables[b"loca"]
        if self.long:
            self.loca = list(struct.unpack_from(f">{self.count + 1}I", loca))
        else:
            self.loca = [2 * o for o in struct.unpack_from(f">{self.count + 1}H", loca)]
        metrics = struct.unpack_from(">H", self.tables[b"hhea"], 34)[0]
        hmtx = self.tables[b"hmtx"]
        pairs = struct.unpack_from(f">{2 * metrics}h", hmtx)
        self.advances = [a & 0xFFFF for a in pairs[::2]]
        self.bearings = list(pairs[1::2])
        rest = self.count - metrics
        self.bearings += struct.unpack_from(f">{rest}h", hmtx, 4 * metrics)
        self.advances += [self.advances[-1]] * rest
        self.glyf = self.tables[b"glyf"][: self.loca[-1]]

    @classmethod
    def of(cls, data: bytes) -> _Glyphs | None:
        """The font's glyphs, or None when it is not a TrueType font presskit can add to."""
        try:
            glyphs = cls(data)
        except (KeyError, IndexError, struct.error):
            return None
        maxp = glyphs.tables[b"maxp"]
        if len(maxp) < 32 or struct.unpack_from(">I", maxp)[0] != 0x00010000:
            return None
        return glyphs

    def add_moved(self, glyph: int, dx: int, dy: int) -> int | None:
        """Add `glyph` moved by `dx`, `dy` font units, with no advance (a composite glyph of one
        component); its id, or None if `glyph` has no outline or the font has no room."""
        start, end = self.loca[glyph], self.loca[glyph + 1]
        if end - start < 10 or self.count >= 0xFFFF:
            return None
        contours, x_min, y_min, x_max, y_max = struct.unpack_from(">5h", self.glyf, start)
        if contours == 0:
            return None
        record = struct.pack(
            ">5h2H2h", -1, x_min + dx, y_min + dy, x_max + dx, y_max + dy, 0x0003, glyph, dx, dy
        )  # flags: ARG_1_AND_2_ARE_WORDS | ARGS_ARE_XY_VALUES, no rounding to the grid
        record += b"\0" * (-len(record) % 4)
        if not self.long and len(self.glyf) + len(record) > 0x1FFFE:
            return None
        self.glyf += record
        self.loca.append(len(self.glyf))
        self.advances.append(0)
        self.bearings.append(self.bearings[glyph] + dx)  # the outline keeps its place
        maxp = self.tables[b"maxp"]
        points, contours_made, elements, depth = struct.unpack_from(">HH", maxp, 10) + (
            struct.unpack_from(">HH", maxp, 28)
        )
        if contours > 0:
            last = struct.unpack_from(">H", self.glyf, start + 10 + 2 * (contours - 1))[0]
            points, contours_made = max(points, last + 1), max(contours_made, contours)
            depth = max(depth, 1)
        else:
            depth = max(depth, self.depth + 1)  # a composite in one: a level deeper at most
        struct.pack_into(">HH", maxp, 10, points, contours_made)
        struct.pack_into(">HH", maxp, 28, max(elements, 1), depth)
        self.count += 1
        struct.pack_into(">H", maxp, 4, self.count)
        return self.count - 1

    def data(self) -> bytes:
        """The font file again, its tables sorted by tag, their checksums made again."""
        tables = self.tables
        tables[b"glyf"] = self.glyf
        if self.long:
            tables[b"loca"] = bytearray(struct.pack(f">{len(self.loca)}I", *self.loca))
        else:
            tables[b"loca"] = bytearray(
                struct.pack(f">{len(self.loca)}H", *(o // 2 for o in self.loca))
            )
        pairs = [value for pair in zip(self.advances, self.bearings, strict=True) for value in pair]
        tables[b"hmtx"] = bytearray(struct.pack(">" + "Hh" * self.count, *pairs))
        struct.pack_into(">H", tables[b"hhea"], 34, self.count)
        if b"post" in tables and struct.unpack_from(">I", tables[b"post"])[0] == 0x00020000:
            tables[b"post"] = tables[b"post"][:32]  # no glyph names (format 3)
            struct.pack_into(">I", tables[b"post"], 0, 0x00030000)
        struct.pack_into(">I", tables[b"head"], 8, 0)

        def checksum(data: bytes) -> int:
            data = data + b"\0" * (-len(data) % 4)
            return int(sum(struct.unpack(f">{len(data) // 4}I", data))) & 0xFFFFFFFF

        offset = 12 + 16 * len(tables)
        directory, body = [], b""
        for tag in sorted(tables):
            table = bytes(tables[tag])
            directory.append(
                struct.pack(">4sIII", tag, checksum(table), offset + len(body), len(table))
            )
            body += table + b"\0" * (-len(table) % 4)
        font = self.header + b"".join(directory) + body
        adjust = (0xB1B0AFBA - checksum(font)) & 0xFFFFFFFF
        head_at = struct.unpack_from(">I", font, 12 + 16 * sorted(tables).index(b"head") + 8)[0]
        return font[: head_at + 8] + struct.pack(">I", adjust) + font[head_at + 12 :]


@dataclass
class _Face:
    """A TrueType font embedded by WeasyPrint (Type0, Identity-H): its widths (/W, in 1/1000
    em), its ToUnicode map, its font program, and the moved marks added to it."""

    type0: Any
    widths: dict[int, float]
    text: dict[int, str]
    file: Any  # the FontFile2 stream
    zero: tuple[bytes, ...]  # the hex codes of its glyphs of no width, as TJ arrays write them
    glyphs: Any = None  # its _Glyphs, read when a mark needs them; False if it has none
    added: dict[tuple[int, int, int], int] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def all_in(cls, pdf: Any) -> dict[bytes, _Face]:
        """The faces of `pdf` that have glyphs of no width, by resource name."""
        resolve = _resolver(pdf)
        faces = {}
        for item in pdf.objects:
            if not (
                isinstance(item, dict)
                and item.get("Subtype") == "/Type0"
                and item.get("Encoding") == "/Identity-H"
                and "ToUnicode" in item
            ):
                continue
            descendant = resolve(item["DescendantFonts"][0])
            descriptor = resolve(descendant["FontDescriptor"])
            if descendant.get("CIDToGIDMap") != "/Identity" or "FontFile2" not in descriptor:
                continue
            widths: dict[int, float] = {}
            spans = descendant.get("W", [])
            for start, values in zip(spans[::2], spans[1::2], strict=True):
                widths.update(enumerate(values, start))
            zero = tuple(b"%04x" % glyph for glyph, width in widths.items() if width == 0)
            if not zero:
                continue
            text = {}
            unicode_map = resolve(item["ToUnicode"]).stream
            for line in unicode_map[unicode_map.index(b"endcodespacerange") :]:
                if found := BFCHAR.match(line):
                    text[int(found[1], 16)] = bytes.fromhex(found[2].decode()).decode("utf-16-be")
            name = bytes(item["BaseFont"])[1:].split(b"+")[0]
            faces[name] = cls(item, widths, text, resolve(descriptor["FontFile2"]), zero)
        return faces

    def font(self) -> _Glyphs | None:
        """The font program's glyphs, read the first time."""
        if self.glyphs is None:
            self.glyphs = _Glyphs.of(self.file.stream[0]) or False
        return self.glyphs or None

    def moved(self, glyph: int, dx: int, dy: int) -> int | None:
        """The id of `glyph` moved by `dx`, `dy` font units, with no width, added the first
        time; None if it cannot be."""
        font = self.font()
        if font is None:
            return None
        if (glyph, dx, dy) not in self.added:
            new = font.add_moved(glyph, dx, dy)
            if new is None:
                return None
            self.added[(glyph, dx, dy)] = new
            self.widths[new] = 0
            self.changed = True
        return self.added[(glyph, dx, dy)]

    def write_back(self, resolve: Callable[[Any], Any]) -> None:
        """Put the font program, widths and ToUnicode map back into the PDF's objects."""
        import pydyf  # WeasyPrint's own PDF writer

        if self.added:
            self.file.stream[:] = [self.glyphs.data()]
            self.file.extra["Length1"] = len(self.file.stream[0])
            for (glyph, _, _), new in self.added.items():
                self.text[new] = self.text.get(glyph, "")
            widths = resolve(self.type0["DescendantFonts"][0])["W"]
            widths.extend([min(self.added.values()), pydyf.Array([0] * len(self.added))])
        unicode_map = resolve(self.type0["ToUnicode"]).stream
        start = unicode_map.index(b"endcodespacerange") + 1
        end = len(unicode_map) - unicode_map[::-1].index(b"endbfchar")
        lines = [
            b"<%04x> <%s>" % (glyph, text.encode("utf-16-be").hex().encode())
            for glyph, text in self.text.items()
        ]
        blocks = []
        for at in range(0, len(lines), 100):
            blocks += [b"%d beginbfchar" % len(lines[at : at + 100]), *lines[at : at + 100]]
            blocks.append(b"endbfchar")
        unicode_map[start:end] = blocks


def _marks_on_the_pen(document: Any, pdf: Any) -> None:
    """Draw each combining mark (Arabic harakat, say) at the pen position, with its offset moved
    into the glyph, so that text copied out of the PDF keeps the marks in their words.

    WeasyPrint 70 draws a mark that HarfBuzz places off the pen (a fatha over its letter, a
    kasra under it) at its own spot: a TJ number moving right by the offset, often a text rise
    (`Ts`) in TJ arrays of its own, then a number moving back. Poppler's `pdftotext` (22.x)
    reads a glyph at its origin: a mark 0.3 em right of the pen ends the word, and the piece of
    a word after it begins another, so an Arabic line comes out split and reordered ("ُي ّ"
    on a line of its own for "يُعدّ"). `/ActualText` does not help: poppler 22 spreads a
    span's text left to right and then reverses right-to-left runs, so "يُ" comes out backward.
    Here each such mark becomes a new glyph in the embedded TrueType font, a composite of the
    mark moved by the offset (rounded to a font unit, 1/1000 em for Noto Naskh Arabic; the
    sub-unit horizontal rest stays in the TJ array), drawn at the pen with no width: the same
    picture and the same text, where readers expect a mark (as the font's own zero-width
    alef-hamza of lam-alef already is).

    WeasyPrint also maps (ToUnicode) each glyph to the text of the cluster it first met it in,
    all of it on the cluster's first glyph: in a right-to-left cluster of a letter and its mark
    ("ئً", one cluster for HarfBuzz) the mark gets both and the letter nothing, and where the
    mark was met alone before, the letter's character is lost from the PDF. Such clusters are
    read again from the layout (`_letters_of_clusters`): the letter is mapped to the letters,
    the mark to the marks.

    Only TrueType Identity-H fonts (what WeasyPrint embeds for .ttf files) are changed.
    """
    faces = _Face.all_in(pdf)
    if any(
        not text or (face.widths.get(glyph) == 0 and _mixed(text))
        for face in faces.values()
        for glyph, text in face.text.items()
    ):
        for name, letters in _letters_of_clusters(document).items():
            if (face := faces.get(name)) is None:
                continue
            for glyph, text in letters.items():
                known = face.text.get(glyph, "")
                if not known or (face.widths.get(glyph) == 0 and _mixed(known)):
                    face.text[glyph] = text
                    face.changed = True
    if not faces:
        return
    for item in pdf.objects:
        stream = getattr(item, "stream", None)
        if not isinstance(stream, list) or b"BT" not in stream:
            continue
        face, size, kept, run = None, 0.0, [], []
        for operator in [*stream, None]:
            if isinstance(operator, bytes) and operator.endswith((b" TJ", b" Ts")):
                run.append(operator)
                continue
            if run:
                kept += _marks_moved(run, face, size) if face is not None else run
                run = []
            if isinstance(operator, bytes) and operator.endswith(b" Tf"):
                name, size_text = operator.split()[:2]
                face, size = faces.get(name[1:]), float(size_text)
            if operator is not None:
                kept.append(operator)
        if kept != stream:
            stream[:] = kept
    resolve = _resolver(pdf)
    for face in faces.values():
        if face.changed:
            face.write_back(resolve)


def _number(value: float) -> bytes:
    return (f"{value:.6f}".rstrip("0").rstrip(".") or "0").encode()


def _marks_moved(run: list[bytes], face: _Face, size: float) -> list[bytes]:
    """The TJ and Ts operators of `run` (one font at `size`), each mark that was drawn off the
    pen drawn at the pen instead, as a glyph moved by that offset (see `_marks_on_the_pen`)."""
    joined = b"".join(run)
    if not any(code in joined for code in face.zero):
        return run
    # [kind ("g" glyph or "n" number), value, rise, number as written, which operator]
    tokens: list[list[Any]] = []
    rise = 0.0
    for index, operator in enumerate(run):
        if operator.endswith(b" Ts"):
            rise = float(operator.split()[0])
            continue
        for found in TJ_ITEM.finditer(operator, 1, operator.rindex(b"]")):
            if found[2] is not None:
                tokens.append(["n", float(found[2]), rise, found[2], index])
            for at in range(0, len(found[1] or b""), 4):
                tokens.append(["g", int(found[1][at : at + 4], 16), rise, None, index])
    changed, at = False, 0
    while at < len(tokens):
        kind, glyph, glyph_rise, _, index = tokens[at]
        before = tokens[at - 1] if at else None
        # WeasyPrint writes a mark's offset as the number just before it, in its own TJ
        offset = before[1] if before and before[0] == "n" and before[4] == index else 0.0
        if kind != "g" or face.widths.get(glyph, 1) != 0 or not (offset or glyph_rise):
            at += 1
            continue
        font = face.font()
        if font is None:
            return run
        upem = font.units
        dx = round(-offset * upem / 1000)
        moved = face.moved(glyph, dx, round(glyph_rise * upem / size))
        if moved is None:
            at += 1
            continue
        rest = offset + dx * 1000 / upem  # what rounding to a font unit leaves
        new = [["n", rest, 0.0, None, index]] if abs(rest) > 1e-6 else []
        new.append(["g", moved, 0.0, None, index])
        start = at - 1 if offset else at
        tokens[start : at + 1] = new
        at = start + len(new)
        # the pen goes on from where the offset had left it
        if at < len(tokens) and tokens[at][0] == "n":
            tokens[at][1] += offset - rest
            tokens[at][3] = None
        elif offset - rest:
            tokens.insert(at, ["n", offset - rest, 0.0, None, index])
        changed = True
    if not changed:
        return run
    final = next((float(o.split()[0]) for o in reversed(run) if o.endswith(b" Ts")), 0.0)
    return _tj_operators(tokens, final)


def _tj_operators(tokens: list[list[Any]], final_rise: float) -> list[bytes]:
    """TJ arrays (and text rises) drawing `tokens`, the text rise left at `final_rise`."""
    operators, pending, rise = [], b"", 0.0
    for kind, value, token_rise, written, _ in tokens:
        if token_rise != rise:
            if pending:
                operators.append(b"[" + pending + b"] TJ")
                pending = b""
            operators.append(_number(token_rise) + b" Ts")
            rise = token_rise
        if kind == "n":
            if pending and not pending.endswith(b">"):
                pending += b" "  # two numbers in a row
            pending += written if written is not None else _number(value)
        elif pending.endswith(b">"):
            pending = pending[:-1] + b"%04x>" % value
        else:
            pending += b"<%04x>" % value
    if pending:
        operators.append(b"[" + pending + b"] TJ")
    if rise != final_rise:
        operators.append(_number(final_rise) + b" Ts")
    return operators


def _letters_of_clusters(document: Any) -> dict[bytes, dict[int, str]]:
    """For each font (by its PDF name), the text of each glyph of a two-glyph cluster of a letter
    and its mark, read from the laid-out document as WeasyPrint draws it (`draw_text`): the
    letter's glyph gets the cluster's letters, the mark's glyph (no advance) its marks."""
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.text.ffi import ffi
    from weasyprint.text.fonts import get_pango_font_key

    found: dict[bytes, dict[int, str]] = {}
    boxes = [page._page_box for page in document.pages]
    while boxes:
        box = boxes.pop()
        if not isinstance(box, TextBox):
            boxes.extend(getattr(box, "children", ()))
            continue
        if not any(_is_mark(c) for c in box.text):
            continue
        layout = box.pango_layout
        layout.reactivate(box.style)  # shaped again, as when it was drawn
        try:
            line, _ = layout.get_first_line()
            utf8 = layout.text.encode()
            run = line.runs[0] if line is not None else ffi.NULL
            while run != ffi.NULL:
                item, run = run.data, run.next
                font = document.fonts.get(get_pango_font_key(item.item.analysis.font)[0])
                if font is None:
                    continue
                glyphs, clusters = item.glyphs, dict[int, list[int]]()
                for i in range(glyphs.num_glyphs):
                    clusters.setdefault(glyphs.log_clusters[i], []).append(glyphs.glyphs[i].glyph)
                ends = sorted({*clusters, item.item.length})
                for start, members in clusters.items():
                    if len(members) != 2:
                        continue
                    end = ends[ends.index(start) + 1]
                    text = utf8[item.item.offset + start : item.item.offset + end].decode()
                    marks = "".join(c for c in text if _is_mark(c))
                    letters = "".join(c for c in text if c not in marks)
                    mark = [g for g in members if font.widths.get(g) == 0]
                    if marks and letters and len(mark) == 1 and len(set(members)) == 2:
                        (letter,) = set(members) - set(mark)
                        names = found.setdefault(font.hash.encode(), {})
                        names.setdefault(letter, letters)
                        names.setdefault(mark[0], marks)
        finally:
            layout.deactivate()
    return found


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
