"""Branding assets (logos and fonts): checked when the project loads.

Logos and fonts are files inside the project. Loading checks that each is present, small
enough, and really a PNG, SVG or font, so a kit never meets a file it cannot use; composing a
kit (`presskit.kits.branding`) then inlines them.

"Really" means decoded by what WeasyPrint decodes it with, because WeasyPrint drops a file it
cannot decode from the PDF without a word: Pillow for PNG, an XML parse for SVG (done here
without external entities), fontTools for the font tables a face cannot load without.
"""

from __future__ import annotations

import io
import logging
import pyexpat
from pathlib import Path
from xml.etree import ElementTree

from presskit.errors import Problem
from presskit.project.models import Branding
from presskit.project.yamlfile import Loc, SourceMap

LOGO_FIELDS = ("logo", "logo_dark")
MAX_LOGO_BYTES = 2_000_000
MAX_FONT_BYTES = 5_000_000
FONT_KINDS = {  # suffix -> (leading bytes, MIME type, CSS format())
    ".woff2": ((b"wOF2",), "font/woff2", "woff2"),
    ".woff": ((b"wOFF",), "font/woff", "woff"),
    ".ttf": ((b"\x00\x01\x00\x00", b"true"), "font/ttf", "truetype"),
    ".otf": ((b"OTTO", b"\x00\x01\x00\x00"), "font/otf", "opentype"),
}


MAX_LOGO_PIXELS = 40_000_000  # decoded, a PNG logo takes 4 bytes a pixel (here and in every PDF)
FONT_TABLES = ("head", "hhea", "maxp", "cmap", "hmtx", "name", "OS/2")  # decoded, when present
OUTLINE_TABLES = ("glyf", "CFF ", "CFF2")
# expat 2.4.1 and later stop entity expansion that grows too much ("billion laughs")
EXPAT_BOUNDS_EXPANSION = pyexpat.version_info >= (2, 4, 1)


def _inside(root: Path, rel: str) -> Path | None:
    path = (root / rel).resolve()
    return path if path.is_relative_to(root.resolve()) and path.is_file() else None


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in data


def asset_paths(branding: Branding | None) -> list[str]:
    """The project files `branding` names (logo, font files), relative to the project."""
    if branding is None:
        return []
    fonts = branding.font.files if branding.font is not None else []
    logos = [getattr(branding, name) for name in LOGO_FIELDS]
    return [logo for logo in logos if logo is not None] + [f.path for f in fonts]


def check_assets(
    root: Path, branding: Branding | None, source: SourceMap, at: Loc
) -> list[Problem]:
    """Every file the branding names exists inside the project and is what its name says."""
    if branding is None:
        return []
    problems: list[Problem] = []
    for name in LOGO_FIELDS:
        logo = getattr(branding, name)
        if logo is not None:
            problems.extend(_logo_problems(root, logo, source, (*at, name)))
    if branding.font is not None:
        for i, file in enumerate(branding.font.files):
            loc = (*at, "font", "files", i, "path")
            path = _inside(root, file.path)
            if path is None:
                problems.append(source.problem(loc, f"file not found in the project: {file.path}"))
                continue
            if path.stat().st_size > MAX_FONT_BYTES:
                problems.append(source.problem(loc, f"font is larger than {MAX_FONT_BYTES} bytes"))
                continue
            magic, _, _ = FONT_KINDS[path.suffix.lower()]
            data = path.read_bytes()
            kind = path.suffix[1:].upper()
            if not data[:4].startswith(magic):
                problems.append(source.problem(loc, f"{file.path} is not a {kind} font file"))
            elif reason := _font_problem(data):
                problems.append(
                    source.problem(
                        loc,
                        f"{file.path} cannot be read as {'an' if kind == 'OTF' else 'a'} {kind} "
                        f"font: {reason}",
                    )
                )
    return problems


def _logo_problems(root: Path, logo: str, source: SourceMap, loc: Loc) -> list[Problem]:
    """The logo file `logo` exists inside the project and is the PNG or SVG its name says."""
    problems: list[Problem] = []
    path = _inside(root, logo)
    if path is None:
        problems.append(source.problem(loc, f"file not found in the project: {logo}"))
    elif path.stat().st_size > MAX_LOGO_BYTES:
        problems.append(source.problem(loc, f"logo is larger than {MAX_LOGO_BYTES} bytes"))
    else:
        data = path.read_bytes()
        is_png = data.startswith(b"\x89PNG\r\n\x1a\n")
        if logo.lower().endswith(".png") and not is_png:
            problems.append(source.problem(loc, f"{logo} is not a PNG image"))
        elif logo.lower().endswith(".svg") and not _looks_like_svg(data):
            problems.append(source.problem(loc, f"{logo} is not an SVG image"))
        elif reason := (_png_problem(data) if is_png else _svg_problem(data)):
            kind = "a PNG" if is_png else "an SVG"
            problems.append(source.problem(loc, f"{logo} cannot be read as {kind} image: {reason}"))
    return problems


def _reason(exc: BaseException) -> str:
    """A decoder's complaint as one short line."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _png_problem(data: bytes) -> str | None:
    """Why Pillow (WeasyPrint's raster decoder) cannot decode the PNG `data`, or None."""
    from PIL import Image, ImageFile

    # WeasyPrint turns this on for the whole process when it is imported (a build renders in
    # this process too): here a truncated or corrupt image must fail, not be padded
    padded = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            width, height = image.size
            if width * height > MAX_LOGO_PIXELS:
                return f"{width}x{height} pixels; at most {MAX_LOGO_PIXELS:,} are allowed"
            image.load()  # every pixel: a truncated or corrupt image fails here
    except Image.DecompressionBombError:
        return f"more than {MAX_LOGO_PIXELS:,} pixels"
    except Exception as exc:  # Pillow raises many kinds on malformed input; all mean "broken"
        return _reason(exc)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = padded
    return None


class _Refused(Exception):
    """An SVG construct that is never parsed (it could read other files or the network)."""


def _refuse_external(
    name: str,
    _is_parameter: int,
    _value: str | None,
    _base: str | None,
    system_id: str | None,
    public_id: str | None,
    _notation: str | None,
) -> None:
    if system_id is not None or public_id is not None:
        raise _Refused(f"it declares an external entity ({name})")
    if not EXPAT_BOUNDS_EXPANSION:
        raise _Refused(f"it declares an entity ({name}), and this expat cannot bound expansion")


def _svg_problem(data: bytes) -> str | None:
    """Why the SVG `data` is not a well-formed SVG document WeasyPrint can read, or None.

    A first parse, with expat set up so that nothing outside the file is read (no external DTD,
    external entities refused; expat itself bounds entity expansion), finds the root element;
    then the document is parsed as WeasyPrint parses it (ElementTree), which also refuses
    entities it cannot expand."""
    parser = pyexpat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_external
    roots: list[str] = []  # the first element's name

    def element(name: str, _attributes: object) -> None:
        if not roots:
            roots.append(name)

    parser.StartElementHandler = element
    try:
        parser.Parse(data, True)
        ElementTree.fromstring(data)  # noqa: S314 (the parse above refused what is unsafe)
    except _Refused as exc:
        return str(exc)
    except (pyexpat.ExpatError, ElementTree.ParseError) as exc:
        return f"not well-formed XML ({_reason(exc)})"
    if not roots or roots[0].rpartition(" ")[2] != "svg":
        return "its root element is not <svg>"
    return None


def _font_problem(data: bytes) -> str | None:
    """Why fontTools cannot read the tables a font face needs from `data`, or None.

    Every table's bytes are read (WOFF tables are decompressed, and their lengths checked),
    and the tables needed to load a face are decoded; outlines are checked for size, not
    glyph by glyph (that takes seconds on a large font, and a bad glyph is one missing
    character, not a missing font)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # its warnings are not problems
    try:
        font = TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
        tags = set(font.keys()) - {"GlyphOrder"}
        missing = [tag for tag in ("head", "hhea", "maxp", "cmap", "hmtx") if tag not in tags]
        if not tags & set(OUTLINE_TABLES):
            missing.append("glyf or CFF")
        if missing:
            return f"it has no {', '.join(missing)} table"
        # WOFF2 stores glyf, loca and hmtx transformed; rebuilding them is the slow part
        rebuilt = {"glyf", "loca", "hmtx"} if font.flavor == "woff2" else set()
        for tag in sorted(tags - rebuilt):
            # decoding (or, for the other tables, reading) is the check
            _ = font[tag] if tag in FONT_TABLES or tag in OUTLINE_TABLES[1:] else font.reader[tag]
        if "loca" in tags and not rebuilt:
            offsets = list(font["loca"])
            if offsets != sorted(offsets) or (offsets and offsets[-1] > len(font.reader["glyf"])):
                return "its loca table points outside its glyf table"
    except Exception as exc:  # fontTools raises many kinds on malformed tables; all mean "broken"
        return _reason(exc)
    return None
