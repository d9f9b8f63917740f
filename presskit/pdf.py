"""HTML to PDF with WeasyPrint: the only module that imports it.

WeasyPrint's defaults fetch anything (http, any file:// path, attachments), so every document is
rendered through `ConfinedFetcher`, which reads regular files under the allowed roots and
`data:` URLs, and refuses everything else. A refusal is an error, not a warning: a kit that
silently lost its logo, or tried to read /etc/passwd, must not be shipped.

WeasyPrint is imported lazily (about half a second) so `--help` and `validate` stay fast, and one
`FontConfiguration` is reused per process to keep memory flat.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from presskit.errors import RenderError

MAX_ASSET_BYTES = 20_000_000
# pdf/ua-1 gives a tagged PDF (structure tree, /Lang, alt text, DisplayDocTitle) and, like the
# default output, is byte-for-byte reproducible; pdf/x-* variants embed a random id.
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class PdfResult:
    data: bytes
    pages: int


def _fetcher_class() -> type[Any]:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Reads `data:` URLs and regular files under `roots`; refuses and records the rest."""

        def __init__(self, roots: Sequence[Path]) -> None:
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
            self.roots = [root.resolve() for root in roots]
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if (any(path.is_relative_to(root) for root in self.roots) and path.is_file()
                        and path.stat().st_size <= MAX_ASSET_BYTES):
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=path.read_bytes(),
                                              headers={"Content-Type": kind})
            self.refused.append(url)
            raise ValueError(f"presskit does not fetch {url}")

    return ConfinedFetcher


def _check(fetcher: Any, name: str) -> None:
    if fetcher.refused:
        refused = ", ".join(sorted(set(fetcher.refused)))
        raise RenderError(f"{name}: refused to load {refused} (only files inside the "
                          "project or presskit itself can be used)")


class PdfRenderer:
    """Renders HTML strings to PDF bytes; create one per process and reuse it."""

    def __init__(self, roots: Sequence[Path]) -> None:
        from weasyprint.text.fonts import FontConfiguration

        logging.getLogger("weasyprint").setLevel(logging.CRITICAL)  # refusals are raised
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        self.roots = tuple(roots)
        self.font_config = FontConfiguration()
        self._fetcher = _fetcher_class()

    def _layout(self, html: str, base_dir: Path, name: str) -> tuple[Any, Any]:
        from weasyprint import HTML

        fetcher = self._fetcher(self.roots)
        document = HTML(string=html, base_url=base_dir.resolve().as_uri() + "/",
                        url_fetcher=fetcher).render(font_config=self.font_config,
                                                    pdf_variant=PDF_VARIANT)
        _check(fetcher, name)
        return document, fetcher

    @staticmethod
    def _write(document: Any, fetcher: Any, name: str) -> PdfResult:
        data = document.write_pdf(pdf_variant=PDF_VARIANT)
        _check(fetcher, name)  # attachments are fetched while writing, not during layout
        return PdfResult(data=data, pages=len(document.pages))

    def render(self, html: str, base_dir: Path, name: str) -> PdfResult:
        """Lay out and write one document; `name` is how errors refer to it."""
        document, fetcher = self._layout(html, base_dir, name)
        return self._write(document, fetcher, name)

    def render_fitting(self, variants: Sequence[str], base_dir: Path, name: str,
                       max_pages: int, hint: str = "lower the event's select.count"
                       ) -> tuple[PdfResult, int]:
        """Render the first of `variants` (densest last) that fits in `max_pages`; `hint` says
        what the user can change when none fits."""
        for index, html in enumerate(variants):
            document, fetcher = self._layout(html, base_dir, name)
            if len(document.pages) <= max_pages:
                return self._write(document, fetcher, name), index
        raise RenderError(f"{name}: does not fit on {max_pages} page(s) even in the most "
                          f"compact layout; {hint}")
