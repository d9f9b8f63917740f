"""`presskit serve`: a live preview of everything a project builds, on 127.0.0.1 only.

What it shows: the portal, every event's one-pager and every PDF (press kit, question sheet,
pocket card, pocket cards sheet), in the browser's own PDF viewer, with a page per event that
lists its documents and a first page that lists every event (`serve_pages.py`). Private,
unlisted and embargoed events are previewed too: the preview is for the editor's eyes only.

How it builds: with the ordinary build pipeline, into a private temporary folder (the
project's `output/` is never touched), in two stages after each change. First the HTML (the
one-pagers and the portal, already linking to the PDFs), which takes a fraction of a second:
the one-pagers of the published events open in a browser alone first (`build_pages`, pushed at
once), then every page and the portal, which writes the same bytes for those (so they are not
pushed, nor reloaded, twice). Then the PDFs, one event at a time, the events open in a browser
first. The build cache (`pipeline/cache.py`) keeps every PDF whose HTML and files did not
change, so only the kits a change touched are rendered again, in this process, where
WeasyPrint stays loaded. A change saved while PDFs are rendering stops them (nothing of that
event is written) so that its HTML comes first; the PDFs follow.

How pages follow: the watcher (`watch.py`) hears a save from the operating system's file
events within milliseconds. After each stage the server pushes the files it rewrote to every
open page as server-sent events; a page reloads when its own file was rewritten, and a PDF's
page when its PDF was. The push and the problems banner are added to pages as they are served,
never to the built files, whose Content-Security-Policy is renewed to allow them. A project
with problems shows them in a banner on every page and in the terminal; the pages keep showing
the last version that built (a failed build writes nothing; an open one-pager that built on its
own before the rest failed shows that version), and the banner goes once the problems are
fixed.

Only the editor's own browser may read the preview. It listens on 127.0.0.1, and it answers only
requests addressed to it by name (127.0.0.1, localhost or [::1] with its port): a web page the
editor visits could otherwise point a name of its own at 127.0.0.1 (DNS rebinding) and read the
preview as its own site. It serves no hidden file or folder (the build cache holds the machine's
absolute paths), and a URL it cannot read as a plain path inside the built site gets a 4xx.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import click

from presskit.errors import UsageError, ValidationFailed
from presskit.kits.i18n import labels
from presskit.pipeline.build import build, build_pages
from presskit.pipeline.documents import (
    ALL_FORMATS,
    OUTPUTS,
    BuildOptions,
    BuildResult,
    listed,
)
from presskit.pipeline.output import zip_name
from presskit.project.loading import Project, load_partial, load_project
from presskit.tools import serve_pages as pages
from presskit.tools.watch import Watcher, input_folders
from presskit.wording import plural

HOST = "127.0.0.1"
OWN_NAMES = ("127.0.0.1", "localhost", "[::1]")
MAX_TARGET = 2048  # characters of a request's URL; built files have short names
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
PDF = "application/pdf"
EVENT_STREAM = "text/event-stream; charset=utf-8"
KEEP_ALIVE_SECONDS = 15.0  # a comment down an idle stream, so a closed page is noticed
HISTORY = 256  # pushes remembered for pages that reconnect (a tab shown again)
# A URL path as browsers send it: printable ASCII, "%" only before two hex digits.
PLAIN_PATH = re.compile(r"(?:[!-$&-~]|%[0-9A-Fa-f]{2})*")


@dataclass(frozen=True)
class Push:
    """One change of the preview: a stage's rebuild ("html", "pdf") with the files it rewrote
    (as served: /<slug>/index.html), or new problems ("problem")."""

    version: int
    stage: str
    changed: tuple[str, ...]


class _Interrupted(Exception):
    """A newer change is waiting: the PDFs being rendered are dropped, and nothing is written."""


def _problem(exc: Exception) -> str:
    """What the page and the terminal say about a build that failed."""
    if isinstance(exc, ValidationFailed):
        found = f"{plural(len(exc.problems), 'problem')} found."
        return "\n".join([*map(str, exc.problems), found])
    if isinstance(exc, click.ClickException):
        return exc.format_message()
    return "internal error (please report it):\n" + "".join(traceback.format_exception(exc))


class Preview:
    """The builds of one project, what is served from them, and the pushes to open pages."""

    def __init__(
        self, root: Path, display: str, include_drafts: bool = False, *, pdfs: bool = True
    ) -> None:
        self.root, self.display, self.include_drafts = root, display, include_drafts
        self.pdfs = pdfs  # False: the pages only, which then link to no PDF
        self.workdir = Path(tempfile.mkdtemp(prefix="presskit-serve-"))
        self.site = self.workdir / "site"
        self.private = self.workdir / "private"  # held-back kits, as a build keeps them apart
        # Starts from the clock (in milliseconds, for no kit): a page from an earlier run of
        # the server never matches, and reloads.
        self.version = time.time_ns() // 1_000_000
        self.pushes: deque[Push] = deque(maxlen=HISTORY)
        self.project: Project | None = None  # the last project that built
        self.held: dict[str, str] = {}  # slug -> why its kits are kept out of the site
        self.html_error: str | None = None
        self.pdf_errors: dict[str, str] = {}  # slug -> why its PDFs could not be made
        self.stale: list[str] = []  # events whose PDFs may be out of date
        self.folders: frozenset[Path] = input_folders(root, None)  # to watch
        # (slug, file) -> open pages of that event (file: the PDF a page shows, or "")
        self.watching: Counter[tuple[str, str]] = Counter()
        self.closed = False
        self.news = threading.Condition()

    @property
    def error(self) -> str | None:
        """The project's problems now: its own, or those of some events' PDFs."""
        if self.html_error is not None:
            return self.html_error
        if not self.pdf_errors:
            return None
        return "\n".join(f"{slug}: {error}" for slug, error in sorted(self.pdf_errors.items()))

    def _build(
        self,
        project: Project,
        options: BuildOptions,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> BuildResult:
        return build(project, options, progress, private_out=self.private)

    def build_html(self) -> str:
        """Load the project and build every one-pager and the portal, the one-pagers open in a
        browser first (pushed as soon as they are written); what to print."""
        start = time.perf_counter()
        options = BuildOptions(
            out=self.site,
            formats=frozenset({"html"}),
            linked=ALL_FORMATS if self.pdfs else None,
            include_drafts=self.include_drafts,
        )
        first = ""
        try:
            project = load_project(self.root, self.display)
            if opened := self._pages_first(project, options):
                first = f" ({plural(opened, 'open page')} first, in {_since(start)})"
            result = self._build(project, options)
        except Exception as exc:  # a mistake in the project, or a bug: say so, keep serving
            error = _problem(exc)
            partial = load_partial(self.root, self.display)
            with self.news:
                self.html_error, self.pdf_errors, self.stale = error, {}, []
                if partial.campaign is not None:
                    self.folders = input_folders(
                        self.root, partial.campaign, (e.event for e in partial.events)
                    )
                self._push("problem", [])
            return error
        with self.news:
            self.project, self.held, self.html_error = project, result.held, None
            self.stale = [e.slug for e in project.events] if self.pdfs else []
            self.folders = input_folders(
                self.root, project.campaign, (e.event for e in project.events)
            )
            self._push("html", result.written)
        return f"HTML of {plural(len(project.events), 'event')} in {_since(start)}{first}"

    def _pages_first(self, project: Project, options: BuildOptions) -> int:
        """Build and push the one-pagers of the events open in a browser (those published:
        `build_pages`), before the whole build; how many were rewritten. The whole build
        then writes the same bytes for them, so they are neither rewritten nor reloaded."""
        known = {e.slug for e in project.events}
        with self.news:
            events = sorted({slug for (slug, _), n in self.watching.items() if n} & known)
        if not events:
            return 0
        written = build_pages(project, replace(options, events=tuple(events))).written
        if written:
            with self.news:
                self._push("html", written)
        return len(written)

    def build_pdfs(self, interrupted: Callable[[], bool] = lambda: False) -> str | None:
        """Bring every event's PDFs up to date, one event at a time, those open in a browser
        first (and, of an event, the PDFs open first); what to print, or None when
        `interrupted()` (a newer change) stopped it."""
        start, built, rendered, failed = time.perf_counter(), 0, 0, 0
        pdfs = {o.name for o in OUTPUTS if o.format == "pdf"}

        def stop_if_interrupted(done: int, total: int, name: str) -> None:
            if interrupted():
                raise _Interrupted

        while True:
            with self.news:
                project = self.project
                if project is None or not self.stale:
                    break
                looked_at = [(s, d) for (s, d), n in self.watching.items() if n]
                open_now = [slug for slug in self.stale if any(s == slug for s, _ in looked_at)]
                slug = (open_now or self.stale)[0]
                first = tuple(sorted({d for s, d in looked_at if s == slug and d in pdfs}))
            try:
                for outputs in (first, ()) if first else ((),):
                    if interrupted():
                        return None
                    options = BuildOptions(
                        out=self.site,
                        events=(slug,),
                        outputs=outputs,
                        linked=ALL_FORMATS,
                        include_drafts=self.include_drafts,
                        jobs=1,  # in this process: WeasyPrint stays loaded between changes
                    )
                    result = self._build(project, options, stop_if_interrupted)
                    rendered += len(result.rendered)
                    with self.news:
                        if outputs:
                            self._push("pdf", result.written)
                            continue
                        self.stale.remove(slug)
                        self.pdf_errors.pop(slug, None)
                        if result.written or not self.stale:  # the lists show when all are done
                            self._push("pdf", result.written)
                built += 1
            except _Interrupted:
                return None
            except Exception as exc:  # e.g. a question sheet that does not fit
                failed += 1
                with self.news:
                    self.stale.remove(slug)
                    self.pdf_errors[slug] = _problem(exc)
                    self._push("problem", [])
        if not built and not failed:
            return None
        seconds = time.perf_counter() - start
        done = f"{plural(rendered, 'PDF')} rendered in {seconds:.2f} s"
        if failed:
            done += f"; {plural(failed, 'event')} with problems"
        return done

    def _push(self, stage: str, written: list[Path]) -> None:
        """Tell open pages (call with `news` held)."""
        changed = []
        for path in written:
            for folder in (self.site, self.private):
                if path.is_relative_to(folder):
                    changed.append("/" + path.relative_to(folder).as_posix())
        self.version += 1
        self.pushes.append(Push(self.version, stage, tuple(sorted(changed))))
        self.news.notify_all()

    def news_since(self, version: int) -> dict[str, Any] | None:
        """What a page served at `version` has missed, in one push; None: nothing (call with
        `news` held)."""
        if version == self.version:
            return None
        missed = [p for p in self.pushes if p.version > version]
        gone = not missed or missed[0].version != version + 1  # too old, or another server's
        stages = {p.stage for p in missed}
        return {
            "version": self.version,
            "stage": "problem" if stages == {"problem"} else "build",
            "changed": sorted({c for p in missed for c in p.changed}),
            "error": self.error,
            "reload": gone,
        }

    def follow(
        self, version: int, slug: str, send: Callable[[bytes], None], file: str = ""
    ) -> None:
        """Send a page what it missed since `version`, then every push, until the page goes
        (`send` raises) or the preview closes; the page shows event `slug` (its PDF `file`)."""
        with self.news:
            self.watching[slug, file] += 1
        try:
            send(b"retry: 1000\n\n")
            while True:
                with self.news:
                    news = self.news_since(version)
                    if news is None and not self.closed:
                        self.news.wait(KEEP_ALIVE_SECONDS)
                        news = self.news_since(version)
                    if self.closed:
                        return
                if news is None:
                    send(b": nothing new\n\n")
                    continue
                version = news["version"]
                send(f"id: {version}\ndata: {json.dumps(news)}\n\n".encode())
        finally:
            with self.news:
                self.watching[slug, file] -= 1

    def close(self) -> None:
        with self.news:
            self.closed = True
            self.news.notify_all()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def page(self, url_path: str) -> tuple[HTTPStatus, str, bytes]:
        """The response for `url_path` (as sent: percent-encoded, without query): status,
        content type, body (HTML pages get the banner and the push)."""
        path = _decode(url_path)
        if path is None:
            return HTTPStatus.BAD_REQUEST, TEXT, b"Bad request: not a plain URL path\n"
        with self.news:
            version, error, project = self.version, self.error, self.project
        if _hidden(path):  # `..` is hidden too: nothing above the site either
            return self._not_found(url_path, version, error)
        if path.startswith(pages.LIVE):
            return HTTPStatus.OK, EVENT_STREAM, b""  # HEAD; GET streams (see the handler)
        if project is None:  # nothing has built yet
            live = pages.Live("", version, follow="all")
            return (
                HTTPStatus.INTERNAL_SERVER_ERROR,
                HTML,
                pages.live(pages.error_page(error or "not built yet"), live),
            )
        return self._built(path, url_path, version, error, project)

    def _built(
        self, path: str, url_path: str, version: int, error: str | None, project: Project
    ) -> tuple[HTTPStatus, str, bytes]:
        """A page of the preview, or a file of the last build."""
        if path == "/":
            body = pages.index_page(project.campaign.name, self.kits())
            live = pages.Live("/", version, "", "builds", error)
            return HTTPStatus.OK, HTML, pages.live(body, live)
        if path.startswith(pages.PREFIX):
            return self._own_page(path, url_path, version, error, project)
        from presskit.pipeline.webapp import WORKER

        # With base_url the pages register the published site's service worker; a preview
        # must show every edit, never a saved copy, so it has none (and a browser drops one an
        # earlier preview installed once its script is gone).
        found = None
        if path != f"/{WORKER}":
            found = _read(self.site, path) or _read(self.private, path)
        if found is None:
            return self._not_found(url_path, version, error)
        served, kind, data = found
        if kind != "text/html":
            return HTTPStatus.OK, kind, data
        slug = served.split("/")[1] if served.count("/") > 1 else ""
        live = pages.Live(served, version, slug, "file", error)
        return HTTPStatus.OK, HTML, pages.live(data.decode("utf-8"), live)

    def _own_page(
        self, path: str, url_path: str, version: int, error: str | None, project: Project
    ) -> tuple[HTTPStatus, str, bytes]:
        """The preview's own pages, under /__presskit__/: an event's documents, a PDF's
        viewer, the editors' dashboard."""
        if path.startswith(pages.KIT):
            return self._kit_page(path.removeprefix(pages.KIT), version, error)
        if path.startswith(pages.VIEW):
            return self._viewer(path.removeprefix(pages.VIEW), version, error)
        if path == pages.STATUS:
            from presskit.tools.status import status_page

            live = pages.Live(path, version, "", "builds", error)
            return HTTPStatus.OK, HTML, pages.live(status_page(project), live)
        return self._not_found(url_path, version, error)

    def _not_found(
        self, url_path: str, version: int, error: str | None
    ) -> tuple[HTTPStatus, str, bytes]:
        live = pages.Live("", version, "", "builds", error)
        return HTTPStatus.NOT_FOUND, HTML, pages.live(pages.not_found(url_path), live)

    def _kit_page(
        self, rest: str, version: int, error: str | None
    ) -> tuple[HTTPStatus, str, bytes]:
        slug, _, tail = rest.partition("/")
        kit = next((k for k in self.kits() if k.slug == slug), None)
        if kit is None or tail:
            return self._not_found(pages.KIT + rest, version, error)
        live = pages.Live(kit.href, version, slug, "builds", error)
        return HTTPStatus.OK, HTML, pages.live(pages.kit_page(kit), live)

    def _viewer(self, rest: str, version: int, error: str | None) -> tuple[HTTPStatus, str, bytes]:
        slug = rest.partition("/")[0]
        kit = next((k for k in self.kits() if k.slug == slug), None)
        doc = next((d for d in kit.documents if d.path == "/" + rest), None) if kit else None
        if kit is None or doc is None or doc.format != "PDF":
            return self._not_found(pages.VIEW + rest, version, error)
        # Reloads when its PDF is rewritten, or once it first exists; it is rendered first.
        shown = doc.path.lstrip("/")
        live = pages.Live(doc.path, version, shown, "file" if doc.size else "builds", error)
        return HTTPStatus.OK, HTML, pages.live(pages.viewer_page(kit, doc), live, frames=True)

    def kits(self) -> list[pages.Kit]:
        """Every event of the last project that built, as the preview's pages list it."""
        with self.news:
            project, held, stale = self.project, dict(self.held), set(self.stale)
            problems = dict(self.pdf_errors)
        if project is None:
            return []
        names = labels("en")
        kits = []
        for event_file in project.events:
            slug, event = event_file.slug, event_file.event
            folder = self.site if (self.site / slug).is_dir() else self.private
            outputs = sorted(OUTPUTS, key=lambda o: o.format != "html")  # the page first
            files = [(names[o.label], o.name, o.format.upper()) for o in outputs]
            files.append((names["zip"], zip_name(slug), "ZIP"))
            if not self.pdfs:
                files = files[:1]
            documents = tuple(
                pages.Document(
                    label,
                    f"/{slug}/" if name == "index.html" else f"/{slug}/{name}",
                    kind,
                    _size(folder / slug / name),
                )
                for label, name, kind in files
            )
            why = held.get(slug)
            if why == "private":
                visibility = "private"
                note = "Private: never published; its kits go to the private folder."
            elif why is not None:
                visibility = "embargoed"
                note = f"Under embargo ({why}): its kits stay in the private folder until then."
            elif not listed(event):
                visibility = "unlisted"
                note = "Unlisted: published, but listed nowhere (not on the portal)."
            else:
                visibility, note = "public", "Public: published and on the portal."
            kits.append(
                pages.Kit(
                    slug=slug,
                    name=event.name,
                    date=event.date.isoformat(),
                    language=event.language or project.campaign.language,
                    visibility=visibility,
                    why=note,
                    documents=documents,
                    rendering=slug in stale,
                    problem=problems.get(slug),
                )
            )
        return kits


def _since(start: float) -> str:
    return f"{time.perf_counter() - start:.2f} s"


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size if path.is_file() else None
    except OSError:
        return None


def _decode(url_path: str) -> str | None:
    """The path a URL path names, or None if it is not a plain one: characters a URL may not
    hold, "%" not followed by two hex digits, bytes that are not UTF-8, control characters."""
    if not PLAIN_PATH.fullmatch(url_path) or not url_path.startswith("/"):
        return None
    try:
        path = unquote_to_bytes(url_path).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in path):  # NUL among them
        return None
    return path


def _hidden(path: str) -> bool:
    """Whether a decoded path names a hidden file or folder (".x", and "." and ".." too)."""
    return any(part.startswith(".") for part in path.split("/"))


def _read(site: Path, path: str) -> tuple[str, str, bytes] | None:
    """The path as served (a folder's index.html named), type and bytes of the built file a
    decoded path names; never a hidden file and never anything outside `site`."""
    rel = path.lstrip("/")
    if rel.endswith("/") or not rel:
        rel += "index.html"
    try:
        root = site.resolve()
        file = (site / rel).resolve()
        if not file.is_relative_to(root):
            return None
        if file.is_dir():
            file = file / "index.html"
        served = file.relative_to(root).as_posix()
        if _hidden(served):
            return None
        data = file.read_bytes()
    except (OSError, ValueError):  # missing, a name too long, or replaced by a rebuild
        return None
    return "/" + served, mimetypes.guess_type(file.name)[0] or "application/octet-stream", data


def own_hosts(port: int) -> frozenset[str]:
    """The Host headers that address this server: its names with its port (bare on port 80)."""
    hosts = {f"{name}:{port}" for name in OWN_NAMES}
    return frozenset(hosts | set(OWN_NAMES) if port == 80 else hosts)


def url_path(target: str, hosts: list[str], port: int) -> str | HTTPStatus:
    """The path (still percent-encoded, without query) a request asks for, or the status that
    refuses it: another host, by the Host header or in an absolute URL, or a URL too long or
    of no known form."""
    own = own_hosts(port)
    if len(hosts) != 1 or hosts[0].lower() not in own:
        return HTTPStatus.MISDIRECTED_REQUEST
    if len(target) > MAX_TARGET:
        return HTTPStatus.REQUEST_URI_TOO_LONG
    if target[:7].lower() == "http://":  # absolute form, as sent to a proxy
        authority, slash, rest = target[7:].partition("/")
        if authority.lower() not in own:
            return HTTPStatus.MISDIRECTED_REQUEST
        target = slash + rest
    if not target.startswith("/"):  # "*", "https://...", a bare name
        return HTTPStatus.BAD_REQUEST
    return target.partition("#")[0].partition("?")[0]


def _handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "presskit-serve"

        def do_GET(self) -> None:
            self._answer(body_too=True)

        def do_HEAD(self) -> None:
            self._answer(body_too=False)

        def _answer(self, body_too: bool) -> None:
            assert isinstance(self.server, HTTPServer)
            path = url_path(self.path, self.headers.get_all("Host") or [], self.server.server_port)
            name = ""
            if isinstance(path, HTTPStatus):  # refused: nothing of the preview in the answer
                status, kind, body = path, TEXT, b""
            elif body_too and path.startswith(pages.LIVE):
                self._stream(path.removeprefix(pages.LIVE))
                return
            else:
                status, kind, body = preview.page(path)
                name = path.rsplit("/", 1)[-1]
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if kind == PDF:  # shown in the browser's own viewer, under its own name
                self.send_header("Content-Disposition", f'inline; filename="{name}"')
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if body_too:
                self.wfile.write(body)

        def _stream(self, rest: str) -> None:
            """The pushes, as server-sent events: /__presskit__/live/<version>/<slug>, the
            version the page was served at (or, when the browser reconnects by itself, the
            last one it received)."""
            seen, _, shown = rest.partition("/")  # shown: <slug> or <slug>/<file>.pdf
            slug, _, file = shown.partition("/")
            last = self.headers.get("Last-Event-ID", "")
            since = last if last.isdigit() else seen
            if not since.isdigit() or len(since) > 20 or "/" in file:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", EVENT_STREAM)
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.close_connection = True

            def send(data: bytes) -> None:
                self.wfile.write(data)
                self.wfile.flush()

            with contextlib.suppress(OSError):  # the page was closed or reloaded
                preview.follow(int(since), slug, send, file)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the terminal shows rebuilds instead

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes the connection early is no error; anything else is a bug.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Builder(threading.Thread):
    """Rebuilds after each burst of changes the watcher reports: the HTML, then the PDFs,
    which a newer change interrupts."""

    def __init__(self, preview: Preview, report: Callable[[str], None]) -> None:
        super().__init__(name="presskit-build", daemon=True)
        self.preview, self.report = preview, report
        self.wake = threading.Event()  # a change waits, or the server stops
        self.stopping = threading.Event()
        self.watcher: Watcher | None = None
        self._lock = threading.Lock()
        self._changed: list[str] = []

    def changed(self, paths: list[str]) -> None:
        with self._lock:
            self._changed.extend(paths)
        self.wake.set()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()

    def run(self) -> None:
        try:
            self._pdfs()  # of the first build
            while True:
                self.wake.wait()
                if self.stopping.is_set():
                    return
                self.wake.clear()
                with self._lock:
                    paths, self._changed = sorted(set(self._changed)), []
                # clock time for the terminal only: not in any kit
                clock = time.strftime("%H:%M:%S")
                self.report(f"{clock} {_changed(paths)} changed: {self.preview.build_html()}")
                if self.watcher is not None:
                    self.watcher.refresh(self.preview.folders)
                self._pdfs()
        except BaseException:
            if not self.stopping.is_set():  # a bug: say so; once stopping, nothing matters
                raise

    def _pdfs(self) -> None:
        done = self.preview.build_pdfs(interrupted=self.wake.is_set)
        if done is not None and not self.stopping.is_set():
            clock = time.strftime("%H:%M:%S")  # for the terminal only: not in any kit
            self.report(f"{clock} {done}")


def _changed(paths: list[str]) -> str:
    shown = ", ".join(paths[:3])
    return f"{shown} and {len(paths) - 3} more" if len(paths) > 3 else shown or "a folder"


def serve(
    root: Path,
    display: str,
    port: int,
    *,
    include_drafts: bool = False,
    pdfs: bool = True,
    polling: bool | None = None,
    echo: Callable[[str], None] = click.echo,
) -> None:
    """Build, serve on 127.0.0.1:`port` (0: any free port), rebuild on change, until Ctrl-C;
    without `pdfs`, the pages only; `polling` finds changes by polling (None: watchfiles
    decides)."""
    preview = Preview(root, display, include_drafts, pdfs=pdfs)
    try:
        server = _Server((HOST, port), _handler(preview))
    except OSError as exc:
        preview.close()
        raise UsageError(
            f"cannot listen on {HOST}:{port}: {exc.strerror}; choose another --port"
        ) from None
    previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops as cleanly as Ctrl-C
    # Ctrl-C stops the server even when it was started with SIGINT ignored (as a child of a
    # program that ignores it, which Python then leaves ignored).
    previous_int = signal.signal(signal.SIGINT, _interrupt)
    builder = _Builder(preview, echo)
    watcher = Watcher(root, builder.changed, polling=polling)
    builder.watcher = watcher
    try:
        watcher.start(preview.folders)
        echo(preview.build_html())
        watcher.refresh(preview.folders)
        watcher.wait_ready()
        builder.start()
        echo(f"serving http://{HOST}:{server.server_address[1]}/ (Ctrl-C to stop)")
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        builder.stop()
        watcher.stop()
        server.server_close()
        if builder.is_alive():
            builder.join(timeout=10)  # a PDF being rendered finishes, then it stops
        preview.close()
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
    echo("stopped")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
