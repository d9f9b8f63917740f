"""Branding: the campaign's defaults merged with an event's overrides, ready for templates.

Logos and fonts are files inside the project. They are checked when the project loads (present,
small enough, really a PNG, SVG or font) and reach kits as `data:` URIs, so the same HTML works
for the PDFs and for the self-contained one-pager, and the renderer fetches nothing. Colours are
validated as strict hex by the models, so nothing from YAML can inject CSS.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from presskit.project.assets import FONT_KINDS
from presskit.project.models import Branding


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

    primary: str | None
    """The primary colour (headings and rules), as hex; none when unset."""
    accent: str | None
    """The accent colour (question numbers and highlights), as hex; none when unset."""
    logo: str | None
    """The logo as a `data:` URI (SVG or PNG); none when unset."""
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
    return campaign.model_copy(
        update={name: getattr(event, name) for name in event.model_fields_set}
    )


def _data_uri(kind: str, data: bytes) -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def brand(root: Path, branding: Branding) -> Brand:
    """Inline the (already checked) assets for templates."""
    logo = None
    if branding.logo is not None:
        kind = "image/png" if branding.logo.lower().endswith(".png") else "image/svg+xml"
        logo = _data_uri(kind, (root / branding.logo).read_bytes())
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
    return Brand(
        primary=branding.primary,
        accent=branding.accent,
        logo=logo,
        font_family=family,
        font_faces=tuple(faces),
        sponsor=branding.sponsor,
        embargo=branding.embargo,
    )
