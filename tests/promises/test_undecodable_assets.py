"""Assets are never lost without a word: a logo or font that passes the first-bytes check but
cannot be decoded is a load-time problem naming the file, not a kit that silently lacks it."""

from __future__ import annotations

import shutil
import struct
import time
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from presskit.errors import ValidationFailed
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from tests.conftest import PNG_1PX

SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")  # from fonts-dejavu-core
LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20" fill="#123456"/></svg>'
)
LOGO_AT = "p/presskit.yaml:9:9: branding.logo: "
FONT_AT = "p/presskit.yaml:12:15: branding.font.files[0].path: "


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int, height: int, pixels: bytes) -> bytes:
    """A PNG whose chunks are all well framed (lengths, CRCs), around `pixels` (zlib data)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def with_logo(root: Path, name: str, data: bytes) -> None:
    (root / "brand").mkdir(exist_ok=True)
    (root / "brand" / name).write_bytes(data)
    with (root / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"branding:\n  logo: brand/{name}\n")


def with_font(root: Path, name: str, data: bytes) -> None:
    (root / "brand").mkdir(exist_ok=True)
    (root / "brand" / name).write_bytes(data)
    with (root / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            f"branding:\n  font:\n    family: Brand\n    files:\n      - path: brand/{name}\n"
        )


def problems(root: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as exc:
        load_project(root, display="p")
    return [str(p) for p in exc.value.problems]


def woff(font: bytes) -> bytes:
    from io import BytesIO

    from fontTools.ttLib import TTFont

    out = BytesIO()
    parsed = TTFont(BytesIO(font))
    parsed.flavor = "woff"
    parsed.save(out)
    return out.getvalue()


def table_span(font: bytes, tag: bytes) -> tuple[int, int]:
    """Offset and length of one table of an sfnt (TrueType/OpenType) font."""
    count = struct.unpack(">H", font[4:6])[0]
    for i in range(count):
        entry = font[12 + 16 * i : 28 + 16 * i]
        if entry[:4] == tag:
            offset, length = struct.unpack(">II", entry[8:16])
            return offset, length
    raise AssertionError(f"no {tag!r} table")


def overwrite_table(font: bytes, tag: bytes, filler: bytes = b"\xff") -> bytes:
    offset, length = table_span(font, tag)
    return font[:offset] + filler * length + font[offset + length :]


GOOD_PIXELS = zlib.compress(b"\x00\x12\x34\x56\xff")  # one filter byte, one RGBA pixel
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 20}">' for p, n in zip("abcdefg", "bcdefgh", strict=True)
    )
    + ']><svg xmlns="http://www.w3.org/2000/svg"><text>&h;</text></svg>'
)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "logo.png",
            PNG_1PX[:45],
            "brand/logo.png cannot be read as a PNG image: ",
        ),
        (
            "logo.png",
            b"\x89PNG\r\n\x1a\n" + b"garbage, not chunks" * 10,
            "brand/logo.png cannot be read as a PNG image: ",
        ),
        (  # every chunk well framed, but the pixel data is not a zlib stream
            "logo.png",
            png(1, 1, b"not zlib data at all"),
            "brand/logo.png cannot be read as a PNG image: ",
        ),
        (  # a few hundred bytes that would decode to 40 GB
            "logo.png",
            png(100_000, 100_000, GOOD_PIXELS),
            "brand/logo.png cannot be read as a PNG image: ",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><g><rect/></svg>',
            "brand/logo.svg cannot be read as an SVG image: not well-formed XML (mismatched tag: "
            "line 1, column 52)",
        ),
        (
            "logo.svg",
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&secret;</text></svg>',
            "brand/logo.svg cannot be read as an SVG image: it declares an external entity "
            "(secret)",
        ),
        (
            "logo.svg",
            BILLION_LAUGHS.encode(),
            "brand/logo.svg cannot be read as an SVG image: not well-formed XML (",
        ),
        (
            "logo.svg",
            b'<?xml version="1.0"?><html><svg xmlns="http://www.w3.org/2000/svg"/></html>',
            "brand/logo.svg cannot be read as an SVG image: its root element is not <svg>",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&nbsp;</text></svg>',
            "brand/logo.svg cannot be read as an SVG image: not well-formed XML (undefined "
            "entity: line 1, column 46)",
        ),
    ],
    ids=[
        "truncated png",
        "png header then garbage",
        "png pixels not zlib",
        "png of 10^10 pixels",
        "svg not well-formed",
        "svg external entity",
        "svg billion laughs",
        "svg root not svg",
        "svg undefined entity",
    ],
)
def test_an_undecodable_logo_is_a_located_problem(
    mini: Path, name: str, data: bytes, message: str
) -> None:
    with_logo(mini, name, data)
    started = time.perf_counter()
    found = problems(mini)
    assert time.perf_counter() - started < 5
    assert len(found) == 1
    assert found[0].startswith(LOGO_AT + message), found[0]
    assert "\n" not in found[0]


def test_a_broken_png_is_refused_even_after_weasyprint_is_imported(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint.images  # noqa: F401 (it turns LOAD_TRUNCATED_IMAGES on, process-wide)
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with_logo(mini, "logo.png", PNG_1PX[:45])
    found = problems(mini)
    assert len(found) == 1, found
    assert found[0].startswith(LOGO_AT + "brand/logo.png cannot be read as a PNG image: ")
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # put back as it was


BROKEN_FONTS = {
    "truncated": ("serif.ttf", SERIF.read_bytes()[:60_000] if SERIF.exists() else b""),
    "magic then garbage": ("serif.ttf", b"\x00\x01\x00\x00" + b"\x07" * 4000),
    "broken cmap": (
        "serif.ttf",
        overwrite_table(SERIF.read_bytes(), b"cmap") if SERIF.exists() else b"",
    ),
    "broken head": (
        "serif.ttf",
        overwrite_table(SERIF.read_bytes(), b"head", b"\x00") if SERIF.exists() else b"",
    ),
    "loca past glyf": (
        "serif.ttf",
        overwrite_table(SERIF.read_bytes(), b"loca", b"\x7f") if SERIF.exists() else b"",
    ),
    "no outlines": ("serif.otf", b"OTTO" + b"\x00" * 8),
    "woff with bad data": ("serif.woff", b"wOFF" + b"\x00\x01\x00\x00" + b"\x05" * 400),
    "woff2 with bad data": ("serif.woff2", b"wOF2" + b"\x00\x01\x00\x00" + b"\x05" * 400),
}


@pytest.mark.skipif(not SERIF.exists(), reason="needs fonts-dejavu-core")
@pytest.mark.parametrize("case", sorted(BROKEN_FONTS))
def test_an_undecodable_font_is_a_located_problem(mini: Path, case: str) -> None:
    name, data = BROKEN_FONTS[case]
    with_font(mini, name, data)
    started = time.perf_counter()
    found = problems(mini)
    assert time.perf_counter() - started < 5
    kind = {"ttf": "a TTF", "otf": "an OTF", "woff": "a WOFF", "woff2": "a WOFF2"}
    assert len(found) == 1, found
    expected = f"{FONT_AT}brand/{name} cannot be read as {kind[name.rpartition('.')[2]]} font: "
    assert found[0].startswith(expected), found
    assert "\n" not in found[0]


@pytest.mark.skipif(not SERIF.exists(), reason="needs fonts-dejavu-core")
def test_a_woff_with_a_corrupt_table_is_a_located_problem(mini: Path) -> None:
    data = bytearray(woff(SERIF.read_bytes()))
    data[-200:] = b"\x00" * 200  # the last table's compressed bytes
    with_font(mini, "serif.woff", bytes(data))
    found = problems(mini)
    assert len(found) == 1, found
    assert found[0].startswith(f"{FONT_AT}brand/serif.woff cannot be read as a WOFF font: ")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.png", PNG_1PX),
        ("logo.png", png(1, 1, GOOD_PIXELS)),
        ("logo.svg", LOGO_SVG.encode()),
        (  # Illustrator's exports declare internal entities: those are fine
            "logo.svg",
            b'<?xml version="1.0" encoding="utf-8"?>\n'
            b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n'
            b'\t<!ENTITY ns_svg "http://www.w3.org/2000/svg">\n]>\n'
            b'<svg xmlns="&ns_svg;" width="40" height="20"><rect width="40" height="20"/></svg>',
        ),
    ],
    ids=["png", "png built here", "svg", "svg with internal entities"],
)
def test_good_logos_load(mini: Path, name: str, data: bytes) -> None:
    with_logo(mini, name, data)
    assert load_project(mini).campaign.branding is not None


@pytest.mark.skipif(not SERIF.exists(), reason="needs fonts-dejavu-core")
@pytest.mark.parametrize("flavor", ["ttf", "woff"])
def test_good_fonts_load_quickly(mini: Path, flavor: str) -> None:
    data = SERIF.read_bytes() if flavor == "ttf" else woff(SERIF.read_bytes())
    with_font(mini, f"serif.{flavor}", data)
    load_project(mini)  # the first load imports the decoders
    started = time.perf_counter()
    assert load_project(mini).campaign.branding is not None
    assert time.perf_counter() - started < 1.0


@pytest.mark.slow
@pytest.mark.skipif(not SERIF.exists(), reason="needs fonts-dejavu-core")
def test_a_good_logo_and_font_still_reach_the_pdf(mini: Path) -> None:
    (mini / "brand").mkdir()
    (mini / "brand/logo.png").write_bytes(png(1, 1, GOOD_PIXELS))
    shutil.copyfile(SERIF, mini / "brand/serif.ttf")
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "branding:\n  logo: brand/logo.png\n  font:\n    family: Brand Serif\n"
            "    files:\n      - path: brand/serif.ttf\n"
        )
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"pdf"})))
    reader = PdfReader(mini / "out/gala/press-kit.pdf")
    assert len(reader.pages[0].images) == 1
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert any(font.endswith("+Brand-Serif") for font in fonts), fonts  # the project's font
