"""Branding: the campaign's defaults merged with an event's overrides, ready for templates.

Logos and fonts are files inside the project. They are checked when the project loads (present,
small enough, really a PNG, SVG or font) and reach kits as `data:` URIs, so the same HTML works
for the PDFs and for the self-contained one-pager, and the renderer fetches nothing. Colours are
validated as strict hex by the models, so nothing from YAML can inject CSS, and checked for
contrast when the project loads (`presskit.project.contrast`).

The campaign's default colour is written here once: every stylesheet reads `--brand-primary` and
`--brand-accent`, which `_branding.css.j2` always defines, from the branding or this default.

Fonts inlined in an HTML page (the one-pagers, the portal) are cut down to the characters the
page uses (`subset_fonts`); the PDFs need nothing of the kind, as WeasyPrint embeds subsets.
"""

from __future__ import annotations

import base64
import html
import importlib.util
import io
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from presskit.project.assets import FONT_KINDS
from presskit.project.contrast import AAA_TEXT, DARK_PAPER, on_background
from presskit.project.models import Branding

DEFAULT_PRIMARY = "#6b1d4e"
"""The campaign's colour when its branding sets none: headings, rules, links, buttons."""


@dataclass(frozen=True)
class FontFace:
    """One file of the branding's font, as an `@font-face` rule needs it."""

    family: str
    """The font family's name."""
    src: str
    """The font file as a `data:` URI."""
    format: str
    """The CSS font format: `woff2`, `woff`, `truetype` or `opentype`."""
    weight: int
    """The CSS font weight, 100 to 900."""
    style: str
    """`normal` or `italic`."""


@dataclass(frozen=True)
class Brand:
    """What templates get as `branding`: every field optional, assets inlined."""

    primary: str
    """The primary colour (headings, rules, links, buttons), as hex: the branding's, else the
    default."""
    accent: str
    """The accent colour (question numbers and highlights), as hex: the branding's, else the
    primary colour."""
    primary_dark: str
    """The primary colour for the pages' dark scheme: the nearest to it with 7:1 contrast on the
    dark background (itself when it has)."""
    accent_dark: str
    """The accent colour for the pages' dark scheme, as `primary_dark`."""
    logo: str | None
    """The logo as a `data:` URI (SVG or PNG); none when unset."""
    logo_dark: str | None
    """The logo for the pages' dark scheme, as a `data:` URI; none when unset (the logo then
    gets a light backdrop there)."""
    font_family: str | None
    """The branding font's family name; none when unset."""
    font_faces: tuple[FontFace, ...]
    """The branding font's files; empty when unset."""
    sponsor: str | None
    """A sponsor or host line; none when unset."""
    embargo: str | None
    """An embargo line, printed prominently; none when unset."""


def merged(campaign: Branding, event: Branding | None) -> Branding:
    """The campaign's branding with the fields the event sets replaced."""
    if event is None:
        return campaign
    update = {name: getattr(event, name) for name in event.model_fields_set}
    if "logo" in update and "logo_dark" not in update:
        update["logo_dark"] = None  # the campaign's dark logo is not a version of the event's logo
    return campaign.model_copy(update=update)


def _data_uri(kind: str, data: bytes) -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _logo(root: Path, path: str | None) -> str | None:
    if path is None:
        return None
    kind = "image/png" if path.lower().endswith(".png") else "image/svg+xml"
    return _data_uri(kind, (root / path).read_bytes())


def brand(root: Path, branding: Branding) -> Brand:
    """Inline the (already checked) assets for templates."""
    faces: list[FontFace] = []
    family = None
    if branding.font is not None:
        family = branding.font.family
        for file in branding.font.files:
            _, kind, fmt = FONT_KINDS[Path(file.path).suffix.lower()]
            faces.append(
                FontFace(
                    family,
                    _data_uri(kind, (root / file.path).read_bytes()),
                    fmt,
                    file.weight,
                    file.style,
                )
            )
    primary = branding.primary or DEFAULT_PRIMARY
    accent = branding.accent or primary
    return Brand(
        primary=primary,
        accent=accent,
        primary_dark=on_background(primary, DARK_PAPER, AAA_TEXT),
        accent_dark=on_background(accent, DARK_PAPER, AAA_TEXT),
        logo=_logo(root, branding.logo),
        logo_dark=_logo(root, branding.logo_dark),
        font_family=family,
        font_faces=tuple(faces),
        sponsor=branding.sponsor,
        embargo=branding.embargo,
    )


# An inlined font as _branding.css.j2 writes it: `url(data:font/...;base64,...) format("...")`.
_INLINE_FONT = re.compile(
    r'url\((data:font/[a-z0-9]+;base64,[A-Za-z0-9+/=]+)\)\s*format\("[a-z0-9]+"\)'
)
# Text that scripts may write into the page besides what it holds: counts.
_ALWAYS = string.digits + " "


def page_characters(page: str) -> str:
    """Every character a page can show, sorted: its text, attributes, styles and scripts (with
    entities decoded, both cases of each letter for `text-transform`), fonts left out."""
    text = html.unescape(_INLINE_FONT.sub("", page)) + _ALWAYS
    found = set(text) | set(text.upper()) | set(text.lower())
    return "".join(sorted(c for c in found if c.isprintable() or c in "\u00a0\u200d\u200c"))


def subset_fonts(page: str) -> str:
    """`page` with each font inlined by `_branding.css.j2` cut down to the characters the page
    uses (`page_characters`), as WOFF2 when Brotli is installed (else WOFF). The same page gives
    the same bytes; a page with no inlined font is returned as it is."""
    if "data:font/" not in page:
        return page
    characters = page_characters(page)
    return _INLINE_FONT.sub(lambda m: _subset(m.group(1), characters) or m.group(), page)


@lru_cache(maxsize=32)  # a rebuild (or `serve`) of an unchanged page reuses its subsets
def _subset(src: str, characters: str) -> str | None:
    """A font `data:` URI, subset to `characters`, as the CSS `url(...) format(...)` pair; none
    when it cannot be subset (a project template's own inlined font, say: the font then
    stays whole, as the browser may still read it)."""
    try:
        data = base64.b64decode(src.partition(",")[2], validate=True)
        subset = subset_font(data, characters)
    except Exception:  # HarfBuzz and fontTools raise many kinds on a bad font: all mean "leave it"
        return None
    fmt = font_flavor()
    return f'url({_data_uri(f"font/{fmt}", subset)}) format("{fmt}")'


def subset_font(data: bytes, characters: str) -> bytes:
    """The one font subsetter, for the branding's fonts and presskit's own typeface alike:
    `data` (TrueType, OpenType, WOFF or WOFF2) cut down to the glyphs `characters` need, with
    HarfBuzz's default layout features, which shape them (Arabic joining, marks, ligatures,
    kerning), and all its names (copyright, licence), without hinting (screens do without it;
    it halves the size), as WOFF2 when Brotli is installed, else WOFF. The same input gives
    the same bytes.

    HarfBuzz subsets (uharfbuzz; a few milliseconds where fontTools' subsetter took 0.35 s for
    Noto Sans, most of a build's fixed cost and of `serve`'s answer to a new character);
    fontTools only unpacks a WOFF or WOFF2 input and packs the result."""
    import uharfbuzz as hb  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    if data[:4] in (b"wOFF", b"wOF2"):  # HarfBuzz reads bare TrueType and OpenType only
        unpacked = io.BytesIO()
        font = TTFont(io.BytesIO(data), recalcTimestamp=False)
        font.flavor = None
        font.save(unpacked)
        data = unpacked.getvalue()
    wanted = hb.SubsetInput()
    for char in characters:
        wanted.unicode_set.add(ord(char))
    wanted.flags |= hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE
    names = wanted.sets(hb.SubsetInputSets.NAME_ID)
    names.clear()
    names.invert()  # every name: the copyright and licence go with the font
    subset = bytes(hb.subset(hb.Face(data), wanted).blob.data)  # RuntimeError if it cannot
    font = TTFont(io.BytesIO(subset), recalcTimestamp=False)
    font.flavor = font_flavor()
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def font_flavor() -> str:
    """WOFF2 when Brotli (which WOFF2 compresses with) is installed, else WOFF (zlib)."""
    return "woff2" if importlib.util.find_spec("brotli") is not None else "woff"
