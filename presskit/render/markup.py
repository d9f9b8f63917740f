"""The letter's Markdown to safe HTML.

Markdown comes from editors, so raw HTML is off (it is shown as text) and links may only be
`http`, `https` or `mailto`: no `javascript:`, no `file:`. Images are off too: the PDF renderer
would try to fetch them.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_LINK_SCHEMES = ("http:", "https:", "mailto:")


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_LINK_SCHEMES)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _safe_link  # type: ignore[method-assign]
    md.disable("image")
    return md


_MD = _markdown()


def render_markdown(text: str, *, heading_offset: int = 0) -> Markup:
    """Render Markdown; `heading_offset=1` turns `#` into `<h2>` to nest under a page title."""
    tokens = _MD.parse(text)
    if heading_offset:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(6, int(token.tag[1]) + heading_offset)}"
    html = _MD.renderer.render(tokens, _MD.options, {})
    return Markup(html)  # noqa: S704 - markdown-it escapes all text and raw HTML is off
