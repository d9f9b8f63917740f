"""The published site as an installable web app that works offline, and its link previews.

Only when presskit.yaml sets `base_url` (a service worker needs a site, and link previews need
absolute URLs); without it the build makes none of this and the pages keep working from the
file system. With it, the output folder's root gets:

- `manifest.webmanifest`: the portal as an installable app, in the brand's colour, with icons
  (`icon-192.png`, `icon-512.png`, and `icon-maskable-512.png` for launchers that crop): the
  campaign's logo when it is a PNG, else a monogram of the hashtag's initials;
- `sw.js`: the service worker (`render/templates/sw.js`) with the list of files it keeps for
  offline use: the portal, every listed event's one-pager and PDFs (never an unlisted kit: the
  list is public, and unlisted kits are listed nowhere), the manifest and the icons. Its cache
  is named after a version made from those files' bytes, so a build that changes none of them
  leaves `sw.js` as it was, and one that changes any of them makes phones fetch the new kits
  and drop the old cache;
- `preview.png`, and `<event>/preview.png` beside each one-pager: the 1200 x 630 image a link
  preview shows (Open Graph, Twitter card), drawn from the brand's colour, the hashtag and the
  page's title.

The pages learn what to add to their `<head>` from `portal_head` and `onepager_head` (the
template variable `webapp`). Images are drawn with Pillow in the DejaVu fonts the system has,
not in the Noto faces the PDFs and pages use: Pillow has no font fallback, and DejaVu Sans sets
Arabic, Latin and punctuation in one face (Noto Naskh Arabic has no parentheses, so an Arabic
title with "(sample)" would show empty boxes). The same inputs give the same bytes. Arabic and
other right-to-left titles need Pillow's raqm layout to be shaped; without it a preview shows
the campaign's name instead.
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from presskit.kits.branding import DEFAULT_PRIMARY
from presskit.kits.i18n import NO_CATALOGUES, Catalogues, direction, format_date, labels
from presskit.kits.translate import kit_language, localize_tagline
from presskit.pipeline.documents import OUTPUTS
from presskit.pipeline.output import confined, event_folder
from presskit.project.loading import EventFile, Project
from presskit.project.models import Campaign
from presskit.render.context import WebAppContext
from presskit.render.qr import onepager_url
from presskit.render.templating import BUILTIN_TEMPLATES

if TYPE_CHECKING:
    from PIL import ImageFont

PORTAL = "index.html"
MANIFEST = "manifest.webmanifest"
WORKER = "sw.js"
PREVIEW = "preview.png"
PREVIEW_SIZE = (1200, 630)
# (file name, size in pixels, purpose) of each icon the manifest names.
ICONS = (
    ("icon-192.png", 192, "any"),
    ("icon-512.png", 512, "any"),
    ("icon-maskable-512.png", 512, "maskable"),
)
# Every file this module may write at the output folder's root.
ROOT_FILES = (MANIFEST, WORKER, PREVIEW, *(name for name, _, _ in ICONS))
FONTS = Path("/usr/share/fonts/truetype/dejavu")
BOLD = FONTS / "DejaVuSans-Bold.ttf"
REGULAR = FONTS / "DejaVuSans.ttf"
INK, PAPER = "#1a1a1a", "#ffffff"

Current = Callable[[Path], bytes | None]


def brand_colour(campaign: Campaign) -> str:
    """The colour of the app's toolbar, splash screen, icons and previews."""
    return campaign.branding.primary or DEFAULT_PRIMARY


def _site(campaign: Campaign) -> str:
    assert campaign.base_url is not None
    return campaign.base_url.rstrip("/") + "/"


def _head(
    campaign: Campaign,
    url: str,
    up: str,
    title: str,
    description: str,
    language: str,
    catalogues: Catalogues = NO_CATALOGUES,
) -> WebAppContext:
    return WebAppContext(
        manifest=f"{up}{MANIFEST}",
        worker=f"{up}{WORKER}",
        scope=up or "./",
        theme_colour=brand_colour(campaign),
        url=url,
        image=f"{url}{PREVIEW}",
        image_alt=f"{title} · {campaign.hashtag}",
        title=title,
        description=description,
        site_name=campaign.name,
        saved_copy=labels(language, catalogues)["saved_copy"],
    )


def portal_title(campaign: Campaign, catalogues: Catalogues = NO_CATALOGUES) -> str:
    return f"{campaign.name}: {labels(campaign.language, catalogues)['press_kits']}"


def portal_head(campaign: Campaign, catalogues: Catalogues = NO_CATALOGUES) -> WebAppContext | None:
    """What the portal adds to its `<head>` on a published site; None without `base_url`.
    `catalogues`: the project's own labels (`Project.label_catalogues`)."""
    if campaign.base_url is None:
        return None
    title = portal_title(campaign, catalogues)
    description = campaign.tagline or title
    return _head(campaign, _site(campaign), "", title, description, campaign.language, catalogues)


def _event_line(event_file: EventFile, campaign: Campaign) -> str:
    """The event's date and place, in its kit's language: the preview's second line."""
    event = event_file.event
    date = format_date(event.date, kit_language(campaign, event))
    return " · ".join([date, event.venue + (f", {event.city}" if event.city else "")])


def onepager_head(
    campaign: Campaign, event_file: EventFile, catalogues: Catalogues = NO_CATALOGUES
) -> WebAppContext | None:
    """What an event's one-pager adds to its `<head>` on a published site; None without
    `base_url`."""
    if campaign.base_url is None:
        return None
    event = event_file.event
    language = kit_language(campaign, event)
    questions_for = labels(language, catalogues)["questions_for"]
    description = f"{questions_for} {event.name}: {_event_line(event_file, campaign)}"
    url = onepager_url(campaign.base_url, event_file.slug)
    return _head(campaign, url, "../", event.name, description, language, catalogues)


def site_files(
    project: Project,
    out: Path,
    current: Current,
    *,
    listed: Sequence[str],
    built: Iterable[str],
) -> dict[Path, bytes]:
    """Every file of the published web app, by path in `out`: the manifest, the icons, the
    service worker and the previews (the portal's, and those of the `built` events). Its list
    of files to keep offline names the portal and the one-pagers and PDFs of the `listed`
    events; `current` gives a file's bytes as this build leaves it (None: absent)."""
    campaign = project.campaign
    colour = brand_colour(campaign)
    logo = _logo(project)
    made: dict[Path, bytes] = {}
    for name, size, purpose in ICONS:
        made[out / name] = icon_png(size, colour, _monogram(campaign), logo, purpose == "maskable")
    made[out / MANIFEST] = manifest_json(campaign)
    tagline = localize_tagline(campaign, campaign.language) or ""
    made[out / PREVIEW] = preview_png(
        colour, campaign.hashtag, portal_title(campaign), tagline, campaign.name
    )
    by_slug = {e.slug: e for e in project.events}
    for slug in built:
        event_file = by_slug[slug]
        made[confined(event_folder(out, slug), PREVIEW)] = preview_png(
            colour,
            campaign.hashtag,
            event_file.event.name,
            _event_line(event_file, campaign),
            campaign.name,
        )
    kept: dict[str, bytes] = {}
    for name in [PORTAL, MANIFEST, *(n for n, _, _ in ICONS)]:
        data = made.get(out / name) or current(out / name)
        if data is not None:
            kept[name] = data
    for slug in listed:
        for output in OUTPUTS:
            data = current(confined(event_folder(out, slug), output.name))
            if data is not None:
                kept[f"{slug}/{output.name}"] = data
    made[out / WORKER] = worker_js(kept)
    return made


def leftovers(out: Path, slugs: Iterable[str]) -> list[Path]:
    """Where an earlier build with `base_url` may have left web app files in `out` (for the
    events `slugs` too): the paths to remove once `base_url` is gone."""
    paths = [out / name for name in ROOT_FILES]
    paths += [confined(event_folder(out, slug), PREVIEW) for slug in slugs]
    return paths


def cache_version(files: Mapping[str, bytes]) -> str:
    """The offline cache's version: a digest of every kept file's name and content hash, so
    it changes exactly when one of them does."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{hashlib.sha256(files[name]).hexdigest()}\n".encode())
    return digest.hexdigest()[:16]


def worker_js(files: Mapping[str, bytes]) -> bytes:
    """The service worker, keeping `files` (paths relative to the site's root) offline."""
    source = (BUILTIN_TEMPLATES / WORKER).read_text(encoding="utf-8")
    urls = json.dumps(sorted(files), indent=2, ensure_ascii=True)
    script = source.replace("@VERSION@", cache_version(files)).replace("@FILES@", urls)
    return script.encode("utf-8")


def manifest_json(campaign: Campaign) -> bytes:
    """The web app manifest: the portal, installable, in the brand's colour."""
    colour = brand_colour(campaign)
    manifest = {
        "id": "./",
        "name": campaign.name,
        "short_name": _short_name(campaign),
        "description": campaign.tagline or portal_title(campaign),
        "lang": campaign.language,
        "dir": direction(campaign.language),
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": colour,
        "background_color": colour,
        "icons": [
            {"src": name, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
            for name, size, purpose in ICONS
        ],
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _short_name(campaign: Campaign) -> str:
    """A name for under a launcher icon: the hashtag when it is short, else the name."""
    tag = campaign.hashtag.lstrip("#")
    return tag if len(tag) <= 12 else campaign.name[:12].rstrip()


def _words(text: str) -> list[str]:
    """The words of a hashtag or name: split at capitals (camel case) and at non-letters."""
    words: list[str] = []
    for char in text:
        if not char.isalnum():
            words.append("")
        elif not words or not words[-1] or (char.isupper() and not words[-1][-1].isupper()):
            words.append(char)
        else:
            words[-1] += char
    return [w for w in words if w]


def _monogram(campaign: Campaign) -> str:
    """The icon's letters: the initials of the hashtag's words (#AskMoreOfHim: AMOH), at most
    four; of the name's words when the hashtag is one word; else the hashtag's first letter."""
    words = _words(campaign.hashtag)
    if len(words) < 2:
        words = _words(campaign.name)
    return "".join(w[0] for w in words).upper()[:4] or "#"


def _logo(project: Project) -> bytes | None:
    """The campaign's logo when it is a PNG (checked when the project loaded); None else."""
    logo = project.campaign.branding.logo
    if logo is None or not logo.lower().endswith(".png"):
        return None
    return (project.root / logo).read_bytes()


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(path), size)
    except OSError:  # no DejaVu on this system: Pillow's own font
        return ImageFont.load_default(size)  # type: ignore[return-value]


def _png(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # type: ignore[attr-defined]
    return buffer.getvalue()


def _ink_on(colour: str) -> str:
    """Dark or white text, whichever contrasts more with `colour` (WCAG luminance)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    hex_colour = colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    r, g, b = (channel(hex_colour[i : i + 2]) for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return PAPER if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) else INK


def icon_png(size: int, colour: str, letters: str, logo: bytes | None, maskable: bool) -> bytes:
    """A square icon: the logo (on white), or `letters` on the brand colour. A maskable icon
    keeps everything within the middle 60%, which every launcher's mask leaves visible."""
    from PIL import Image, ImageDraw, ImageOps

    if logo is not None:
        icon = Image.new("RGBA", (size, size), PAPER)
        with Image.open(io.BytesIO(logo)) as source:
            picture = source.convert("RGBA")
        fit = round(size * (0.6 if maskable else 0.9))
        picture = ImageOps.contain(picture, (fit, fit), Image.Resampling.LANCZOS)
        at = ((size - picture.width) // 2, (size - picture.height) // 2)
        icon.alpha_composite(picture, at)
        return _png(icon.convert("RGB"))
    icon = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(icon)
    room = size * 0.56  # inside the maskable safe zone whatever the purpose
    points = round(size * 0.42)
    font = _font(BOLD, points)
    while points > 8 and draw.textlength(letters, font=font) > room:
        points -= 2
        font = _font(BOLD, points)
    draw.text((size / 2, size / 2), letters, font=font, fill=_ink_on(colour), anchor="mm")
    return _png(icon)


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def shaping() -> bool:
    """Whether Pillow can shape complex scripts (Arabic) and lay out right-to-left text."""
    from PIL import features

    return bool(features.check("raqm"))


def _lines(text: str, font: ImageFont.FreeTypeFont, width: float, draw: object) -> list[str]:
    """`text` wrapped at spaces to lines no wider than `width`."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:  # type: ignore[attr-defined]
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def preview_png(colour: str, hashtag: str, title: str, line: str, footer: str) -> bytes:
    """The 1200 x 630 link preview: the hashtag, `title` large, `line` below it and `footer`
    (the campaign's name) at the bottom, in white or dark on the brand colour. Right-to-left
    text is set from the right, and left out without the raqm layout that shapes it."""
    from PIL import Image, ImageDraw

    if not shaping():
        title = footer if _right_to_left(title) else title
        line = "" if _right_to_left(line) else line
    width, height = PREVIEW_SIZE
    margin = 80
    room = width - 2 * margin
    image = Image.new("RGB", PREVIEW_SIZE, colour)
    draw = ImageDraw.Draw(image)
    ink = _ink_on(colour)

    def put(y: float, text: str, font: ImageFont.FreeTypeFont) -> None:
        if _right_to_left(text):
            draw.text((width - margin, y), text, font=font, fill=ink, anchor="ra", direction="rtl")
        else:
            draw.text((margin, y), text, font=font, fill=ink, anchor="la")

    put(margin, hashtag, _font(BOLD, 44))
    rule = height - margin - 62  # the rule above the footer; the text above stays clear of it
    small = _font(REGULAR, 34)
    below = _lines(line, small, room, draw)[:2] if line else []
    top, bottom = 180.0, rule - 28 - len(below) * 34 * 1.3
    points = 84
    while True:
        font = _font(BOLD, points)
        lines = _lines(title, font, room, draw)
        fits = all(draw.textlength(t, font=font) <= room for t in lines)
        if (fits and top + len(lines) * points * 1.2 <= bottom) or points <= 36:
            break
        points -= 4
    y = float(top)
    for text in lines:
        if y + points * 1.2 > bottom:  # still too long at the smallest size: cut
            break
        put(y, text, font)
        y += points * 1.2
    for text in below:
        put(y + 12, text, small)
        y += 34 * 1.3
    draw.rectangle((margin, rule, margin + 120, rule + 6), fill=ink)
    put(height - margin - 36, footer, _font(REGULAR, 32))
    return _png(image)
