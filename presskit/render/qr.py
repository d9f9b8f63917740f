"""QR codes for printed kits, made here as SVG: a printout is never one fetch away from a
tracking service, and the PDF renderer only ever sees a `data:` URL.
"""

from __future__ import annotations

import segno

# Dark modules in plain black on white print and scan best; the quiet zone is part of the image.
QR_SCALE = 4
QR_BORDER = 4


def qr_data_uri(text: str) -> str:
    """`text` as a QR code in an SVG `data:` URL, ready for `<img src>`."""
    code = segno.make(text, error="m", micro=False)
    return str(
        code.svg_data_uri(
            scale=QR_SCALE, border=QR_BORDER, dark="#000", light="#fff", omitsize=False
        )
    )


def portal_url(base_url: str) -> str:
    """Where the portal is published, given the campaign's `base_url`: the folder, with `/`."""
    return f"{base_url.rstrip('/')}/"


def onepager_url(base_url: str, slug: str) -> str:
    """Where an event's one-pager is published, given the campaign's `base_url`."""
    return f"{portal_url(base_url)}{slug}/"
