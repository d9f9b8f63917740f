"""What an HTML page (a one-pager, the portal) may load: nothing from elsewhere, enforced twice.

The build refuses a page whose markup would load a file from elsewhere (`remote_loads`), unless
the campaign sets `allow_remote_assets`; and every page carries a Content-Security-Policy
(`with_policy`) that allows only what the page holds: its own inline `<style>` and `<script>`
blocks, by their sha256 hashes, and images and fonts as `data:` URLs; a published page (see
`presskit.pipeline.webapp`) may also load its web app manifest (`<link rel="manifest">`) and
the manifest's icons, and register its service worker (`<script data-service-worker>`), from
its own site. The policy is a `<meta>` element, not a header, because the pages are opened
from the file system as often as from a server; links (the kit's PDFs) still work, since a
policy does not restrict navigation.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from html.parser import HTMLParser

# `<link rel>` values that only name a page to go to; any other `<link href>` loads something.
_NAVIGATION_RELS = frozenset(
    {"alternate", "author", "bookmark", "canonical", "help", "license", "next", "prev", "search"}
)
# Attributes that load what they name, on any element.
_LOADING_ATTRIBUTES = frozenset({"src", "poster", "data", "background", "ping", "srcset"})
# Elements whose `href` is a link to follow, not a file to load (`link` is judged by its rel).
_LINK_ELEMENTS = frozenset({"a", "area"})
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)
_CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""", re.I | re.S)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_HEAD = re.compile(r"<head\b[^>]*>(\s*<meta\s+charset\s*=[^>]*>)?", re.I)
_POLICY_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n')
_DOCTYPE = re.compile(r"^\s*<!doctype[^>]*>", re.I)


class _Page(HTMLParser):
    """One pass over a page: its inline blocks, style attributes, and what it would load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self.loads: list[str] = []
        self.handlers: list[str] = []
        self.manifest = False  # a `<link rel="manifest">`: the web app manifest, from the site
        self.worker = False  # a `<script data-service-worker>` registers one, from the site
        self._open: list[str] | None = None  # the blocks of the kind being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.handlers.append(f"{name}=")
            elif name == "srcset":
                self.loads += [part.split()[0] for part in value.split(",") if part.split()]
            elif name in _LOADING_ATTRIBUTES or (
                name in ("href", "xlink:href") and tag not in _LINK_ELEMENTS | {"link"}
            ):
                self.loads.append(value)
            elif name == "style":
                self.style_attributes.append(value)
                self.loads += _css_urls(value)
        if tag == "link" and "href" in values:
            rels = set(values.get("rel", "").lower().split())
            if not rels or not rels <= _NAVIGATION_RELS:
                self.loads.append(values["href"])
            self.manifest = self.manifest or "manifest" in rels
        if tag == "script" and "data-service-worker" in values:
            self.worker = True
        if tag in ("script", "style"):
            # a script with src= runs no inline text: nothing to hash (its src is judged above)
            external = tag == "script" and "src" in values
            self._open = [] if external else self.scripts if tag == "script" else self.styles
            self._open.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            if self._open is self.styles:
                self.loads += _css_urls(self.styles[-1])
            self._open = None


def _css_urls(css: str) -> list[str]:
    """The URLs a piece of CSS loads: `url(...)` and `@import "..."`."""
    return [m.group(2) for m in _CSS_URL.finditer(css)] + [
        m.group(2) for m in _CSS_IMPORT.finditer(css)
    ]


def _normalized(html: str) -> str:
    """`html` with line ends as a browser reads them (it hashes what it has read)."""
    return html.replace("\r\n", "\n").replace("\r", "\n")


@functools.lru_cache(maxsize=4)
def _read(html: str) -> _Page:
    """What `html` holds; remembered for the last few pages, since a page is checked for remote
    loads and event handlers and then given its policy (three reads of one text). The result is
    only read, never changed."""
    page = _Page()
    page.feed(_normalized(html))
    page.close()
    return page


def is_remote(url: str) -> bool:
    """Does `url` lead off this machine: http:, https: or protocol-relative (`//host/...`),
    read as a browser would (spaces around it, tabs and newlines in it and backslashes)?"""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip(" \t\n\r\f\x00")).replace("\\", "/")
    scheme = _SCHEME.match(cleaned)
    if scheme is None:
        return cleaned.startswith("//")
    return scheme.group(1).lower() in ("http", "https", "ftp", "ws", "wss")


def remote_loads(html: str) -> list[str]:
    """The URLs `html` would load from elsewhere (images, scripts, styles, fonts, frames; not
    links to follow), in order of appearance, each once."""
    return list(dict.fromkeys(url for url in _read(html).loads if is_remote(url)))


def event_handlers(html: str) -> list[str]:
    """The inline event handler attributes (`onclick=`) in `html`: the policy blocks them."""
    return list(dict.fromkeys(_read(html).handlers))


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(html: str, *, connect_self: bool = False, frame_self: bool = False) -> str:
    """The Content-Security-Policy allowing exactly the inline blocks of `html`, by hash;
    `connect_self` lets its scripts fetch from where the page came from, and `frame_self` lets
    it frame a page or PDF from there (both for the live preview)."""
    page = _read(html)
    # A web app manifest's icons are fetched as the page's images: from its own site.
    images = "img-src data: 'self'" if page.manifest else "img-src data:"
    directives = ["default-src 'none'", images, "font-src data:"]
    if connect_self:
        directives.append("connect-src 'self'")
    if frame_self:
        directives.append("frame-src 'self'")
    if page.worker:
        directives.append("worker-src 'self'")
    if page.manifest:
        directives.append("manifest-src 'self'")
    styles = [_hash(s) for s in dict.fromkeys(page.styles)]
    if page.style_attributes:  # hashes of style="..." need 'unsafe-hashes'; no other inline
        styles += ["'unsafe-hashes'", *(_hash(s) for s in dict.fromkeys(page.style_attributes))]
    if styles:
        directives.append("style-src " + " ".join(styles))
    if page.scripts:
        directives.append("script-src " + " ".join(_hash(s) for s in dict.fromkeys(page.scripts)))
    directives += ["base-uri 'none'", "form-action 'none'"]
    return "; ".join(directives)


def with_policy(html: str, *, connect_self: bool = False, frame_self: bool = False) -> str:
    """`html` with its policy as a `<meta>` at the top of its head (after the character set
    declaration, which must come within the first 1024 bytes), before anything it governs. A
    policy `with_policy` put there before is replaced (the preview adds a script to pages)."""
    html = _POLICY_META.sub("", _normalized(html))
    content = policy(html, connect_self=connect_self, frame_self=frame_self)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content}">\n'
    head = _HEAD.search(html)
    doctype = _DOCTYPE.match(html)
    at = head.end() if head else doctype.end() if doctype else 0
    return f"{html[:at]}{chr(10) if at else ''}{meta}{html[at:].removeprefix(chr(10))}"
