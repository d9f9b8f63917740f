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
    family: str
    src: str  # a data: URI
    format: str
    weight: int
    style: str


@dataclass(frozen=True)
class Brand:
    """What templates get as `branding`: every field optional, assets inlined."""

    primary: str | None
    accent: str | None
    logo: str | None  # a data: URI
    font_family: str | None
    font_faces: tuple[FontFace, ...]
    sponsor: str | None
    embargo: str | None


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
