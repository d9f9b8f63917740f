"""Paper: the sheet every PDF of an event is printed on, and the sizes of pocket cards.

Sizes are in millimetres, portrait (width, height), written once here: page sizes in the
templates and the pocket cards' print sheet are derived from them.
"""

from __future__ import annotations

from presskit.project.models import Campaign, CardSize, Event, Paper

# `paper` in presskit.yaml and in an event: ISO A4, US Letter (8.5 x 11 in).
PAPER_SIZES: dict[Paper, tuple[float, float]] = {
    "a4": (210.0, 297.0),
    "letter": (215.9, 279.4),
}

# `pocket_card.size`: ISO A6, and index cards of 3 x 5 and 4 x 6 inches, upright like a phone.
CARD_SIZES: dict[CardSize, tuple[float, float]] = {
    "a6": (105.0, 148.0),
    "index-3x5": (76.2, 127.0),
    "index-4x6": (101.6, 152.4),
}


def event_paper(campaign: Campaign, event: Event) -> Paper:
    """The paper an event's PDFs are printed on: its own `paper`, else the campaign's."""
    return event.paper if event.paper is not None else campaign.paper


def css_size(size: tuple[float, float]) -> str:
    """A (width, height) in millimetres as a CSS page size: `105mm 148mm`."""
    return " ".join(f"{length:g}mm" for length in size)
