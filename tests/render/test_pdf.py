"""The PDF renderer: confined fetching and the known WeasyPrint 70.0 pitfalls."""

from __future__ import annotations

import http.server
import io
import re
import subprocess
import threading
from collections.abc import Iterator

import pypdfium2
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from pypdf.generic import ContentStream, NullObject

from presskit.errors import RenderError
from presskit.render import pdf
from presskit.render.pdf import PdfRenderer

pytestmark = pytest.mark.slow

PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> PdfRenderer:
    root = tmp_path_factory.mktemp("project")
    (root / "logo.png").write_bytes(PNG_1PX)
    return PdfRenderer(roots=[root])


@pytest.fixture
def server() -> Iterator[tuple[int, list[str]]]:
    """A real HTTP server on loopback that records every request it gets."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], seen
    httpd.shutdown()


def test_files_inside_the_project_are_allowed(renderer: PdfRenderer) -> None:
    root = renderer.roots[0]
    result = renderer.render('<p>Logo</p><img src="logo.png" alt="logo">', root, "doc")
    assert result.data.startswith(b"%PDF-")
    assert result.pages == 1


@pytest.mark.parametrize(
    "html",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/hostname">',
        '<img src="../outside.png">',
        '<style>@import url("file:///etc/passwd");</style><p>x</p>',
    ],
)
def test_files_outside_are_refused(renderer: PdfRenderer, html: str) -> None:
    with pytest.raises(RenderError, match="doc: refused to load file://"):
        renderer.render(html, renderer.roots[0], "doc")


def test_network_is_refused_and_never_contacted(
    renderer: PdfRenderer, server: tuple[int, list[str]]
) -> None:
    port, seen = server
    html = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">'
        f'<img src="http://127.0.0.1:{port}/b.png"><p style="background: '
        f'url(http://127.0.0.1:{port}/c.png)">x</p>'
    )
    with pytest.raises(RenderError, match=r"refused to load http://127\.0\.0\.1"):
        renderer.render(html, renderer.roots[0], "doc")
    assert seen == []


def test_output_is_tagged_and_reproducible(renderer: PdfRenderer) -> None:
    html = '<html lang="en"><title>T</title><h1>Hello</h1><ol><li>One</li></ol></html>'
    first = renderer.render(html, renderer.roots[0], "doc").data
    second = renderer.render(html, renderer.roots[0], "doc").data
    assert first == second
    catalog = PdfReader(io.BytesIO(first)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"


def test_links_are_printed_as_shown(renderer: PdfRenderer) -> None:
    html = (
        '<html lang="en"><title>T</title><p><a href="mailto:press@example.org">Write</a> or '
        '<a href="https://example.org/">read</a></p></html>'
    )
    page = PdfReader(io.BytesIO(renderer.render(html, renderer.roots[0], "doc").data)).pages[0]
    annotations = [a.get_object() for a in page["/Annots"]]
    assert len(annotations) == 2
    assert all(a["/F"] == 4 for a in annotations)  # Print on; Hidden and NoView off


def test_the_page_margins_are_pagination_artifacts(renderer: PdfRenderer) -> None:
    html = (
        '<html lang="en"><title>T</title><style>@page { @bottom-left { content: "Running" }'
        ' @bottom-right { content: "Page " counter(page) } }</style><p>Body</p></html>'
    )
    reader = PdfReader(io.BytesIO(renderer.render(html, renderer.roots[0], "doc").data))
    operations = ContentStream(reader.pages[0].get_contents(), reader).operations
    marks = [operands for operands, operator in operations if operator == b"BDC"]
    artifacts = [m for m in marks if m[0] == "/Artifact"]
    assert len(artifacts) == 2 and all(m[1] == {"/Type": "/Pagination"} for m in artifacts)
    # the body's text stays tagged content, each mark held by the structure tree
    tagged = [m[1]["/MCID"] for m in marks if m[0] != "/Artifact"]
    assert tagged
    tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    assert not any(isinstance(tree[1][mcid], NullObject) for mcid in tagged)
    assert "Running" in reader.pages[0].extract_text()  # still text, for copying


def test_fitting_picks_the_first_layout_that_fits(renderer: PdfRenderer) -> None:
    long = "<p>" + "word " * 3000 + "</p>"
    result, index = renderer.render_fitting([long, "<p>short</p>"], renderer.roots[0], "doc", 1)
    assert (result.pages, index) == (1, 1)
    with pytest.raises(RenderError, match="does not fit on 1 page"):
        renderer.render_fitting([long], renderer.roots[0], "doc", 1)


LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitaensmuetzenabzeichen"  # 61 letters


@pytest.mark.parametrize(
    "html",
    [
        f'<p style="white-space: nowrap">A long line, then {LONG_WORD} {LONG_WORD}</p>',
        f'<p style="font-size: 40pt">{LONG_WORD}</p>',  # no break allowed by default
        f'<p style="margin-left: -30mm">{LONG_WORD[:5]}</p>',  # off the left edge
    ],
)
def test_text_off_the_page_is_an_error_naming_the_word(renderer: PdfRenderer, html: str) -> None:
    with pytest.raises(RenderError) as error:
        renderer.render(html, renderer.roots[0], "gala/questions.pdf")
    message = str(error.value.message)
    assert message.startswith("gala/questions.pdf: text runs off page 1 and would be cut: ")
    assert LONG_WORD[:5] in message


def test_text_that_breaks_or_fits_passes(renderer: PdfRenderer) -> None:
    html = f'<p style="overflow-wrap: anywhere; font-size: 40pt">{LONG_WORD}</p><p>short</p>'
    result = renderer.render(html, renderer.roots[0], "doc")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(result.data)).pages)
    assert LONG_WORD in "".join(text.split())


# harakat over and under letters, a mark on a letter that HarfBuzz gives one cluster ("ئً"),
# stacked marks ("دّ"), and the zero-width alef-hamza of lam-alef ("الإعجاب")
HARAKAT = "لماذا يُعدّ الإعجاب بالناجين «غير كافٍ»؟ رأيت شيئًا خاطئًا علنًا"
ARABIC_PAGE = (
    '<html lang="ar" dir="rtl"><title>T</title>'
    f'<p style="font-size: 40pt; font-family: Noto Naskh Arabic">{HARAKAT}</p></html>'
)


def _copied(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(re.sub("[\u202a-\u202e]", "", done.stdout.decode()).split())


def test_arabic_marks_copy_in_their_words(renderer: PdfRenderer) -> None:
    data = renderer.render(ARABIC_PAGE, renderer.roots[0], "doc").data
    assert _copied(data) == HARAKAT
    reader = PdfReader(io.BytesIO(data))
    operators = [o for _, o in ContentStream(reader.pages[0].get_contents(), reader).operations]
    assert b"TJ" in operators and b"Ts" not in operators  # every mark drawn at the pen
    assert renderer.render(ARABIC_PAGE, renderer.roots[0], "doc").data == data


def test_arabic_marks_are_drawn_where_weasyprint_put_them(
    renderer: PdfRenderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same picture. Rendered by PDFium at 600 dpi, which does not snap glyphs to whole
    pixels, no pixel differs by a quarter of full ink: a mark's height is rounded to a font
    unit (0.02 pt at this size). pdftoppm and pdftocairo snap each glyph's origin, and the
    mark's origin moved, so there a mark's edge may differ by a pixel."""
    after = renderer.render(ARABIC_PAGE, renderer.roots[0], "doc").data
    monkeypatch.setattr(pdf, "_marks_on_the_pen", lambda *_: None)
    before = renderer.render(ARABIC_PAGE, renderer.roots[0], "doc").data
    assert _copied(before) != HARAKAT  # what the step is for

    def pixels(data: bytes) -> Image.Image:
        return pypdfium2.PdfDocument(data)[0].render(scale=600 / 72).to_pil().convert("L")

    old, new = pixels(before), pixels(after)
    assert old.histogram()[0] > 50_000  # the text is there, in full ink
    assert ImageChops.difference(old, new).getextrema()[1] < 64
