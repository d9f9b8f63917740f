"""The default typeface: Noto Sans (and Noto Naskh Arabic), the same in every PDF and page.

Why these files are in the package rather than read from the system: PDFs could name the
families installed by `fonts-noto-core` through fontconfig, but a machine without them (macOS,
Windows, a slim container) would silently set the kits in another face, and the self-contained
one-pager and portal need the font *files* to inline them anyway. Shipping the files (2.4 MB of
TrueType, under the SIL Open Font License, `fontfiles/OFL.txt`) makes every machine render the same
kit, and an installed wheel needs nothing else. Noto covers Latin, Greek and Cyrillic in one
family, and Noto Naskh Arabic is made to match it; other scripts (CJK, Hebrew, ...) fall back to
the installed Noto families named after these in the stylesheets' stacks.

- PDFs find the files by family name: `presskit.render.pdf` adds them to the renderer's
  fontconfig (WeasyPrint subsets them into each PDF).
- Pages (one-pager, portal) get each face as a `data:` URI, subset to the characters the page
  uses (`kits.branding.subset_font`, the one subsetter), so a one-pager stays small on a
  crowded venue network; a face the page has no character for is left out.

A branding font (`branding.font`) still comes first in every stack (`--brand-font`).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from presskit.kits.branding import font_flavor, subset_font

FONT_DIR = Path(__file__).parent / "fontfiles"


@dataclass(frozen=True)
class FontSource:
    """One face of the default typeface inlined in a page, as `@font-face` needs it."""

    family: str
    """The font family's name: `Noto Sans` or `Noto Naskh Arabic`."""
    src: str
    """The face subset to the page's characters, as a `data:` URI (WOFF2)."""
    weight: int
    """The CSS font weight: 400 or 700."""
    style: str
    """`normal` or `italic`."""


# (family, file, weight, style); pages use only the upright faces (their styles set no italics).
FACES = (
    ("Noto Sans", "NotoSans-Regular.ttf", 400, "normal"),
    ("Noto Sans", "NotoSans-Bold.ttf", 700, "normal"),
    ("Noto Sans", "NotoSans-Italic.ttf", 400, "italic"),
    ("Noto Sans", "NotoSans-BoldItalic.ttf", 700, "italic"),
    ("Noto Naskh Arabic", "NotoNaskhArabic-Regular.ttf", 400, "normal"),
    ("Noto Naskh Arabic", "NotoNaskhArabic-Bold.ttf", 700, "normal"),
)


@cache
def _font_bytes(file: str) -> bytes:
    return (FONT_DIR / file).read_bytes()


@cache
def _coverage(file: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    return frozenset(TTFont(io.BytesIO(_font_bytes(file)), lazy=True).getBestCmap())


# Every page is subset to at least these characters (printable ASCII, the Latin-1 letters of
# English, French and Spanish, and common punctuation), so Latin-script pages share one subset,
# made once per process (about 0.1 s, most of it packing it as WOFF2), while the rounding costs
# about 3 kB per face. (Rounding Arabic pages up to the Arabic block would put a one-pager over
# 100 kB.)
BASE_TEXT = (
    "".join(map(chr, range(0x20, 0x7F)))
    + "".join(map(chr, range(0xA0, 0x100)))
    + "\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u202f"
)


@cache
def _subset_uri(file: str, chars: frozenset[int]) -> str:
    data = subset_font(_font_bytes(file), "".join(map(chr, sorted(chars))))
    return f"data:font/{font_flavor()};base64,{base64.b64encode(data).decode('ascii')}"


def page_faces(text: str) -> tuple[FontSource, ...]:
    """The upright faces a page with `text` needs, each subset to the characters of `text` it
    has (and `BASE_TEXT`), inlined as `data:` URIs. Noto Sans always; Noto Naskh Arabic only
    for a page with characters Noto Sans lacks."""
    wanted = {ord(c) for c in text + BASE_TEXT}
    first = _coverage(FACES[0][1])  # Noto Sans: every other family is there for what it lacks
    faces = []
    for family, file, weight, style in FACES:
        if style != "normal":
            continue
        chars = wanted & _coverage(file)
        if not chars or (family != FACES[0][0] and not chars - first):
            continue
        faces.append(FontSource(family, _subset_uri(file, frozenset(chars)), weight, style))
    return tuple(faces)


def with_page_fonts(
    draft: Callable[[], str], render: Callable[[tuple[FontSource, ...]], str]
) -> str:
    """A page rendered with the default typeface inlined: `draft()` gives the page without
    faces, only to learn which characters it holds, then `render(faces)` the page itself with
    the faces subset to those characters. The draft is the template alone, without the page's
    checks and policy (`templating.render_page`, which parses the page three times): those add
    no character outside `BASE_TEXT`, and the page itself goes through them."""
    return render(page_faces(draft()))
