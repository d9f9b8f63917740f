"""`presskit serve`: a live preview of the one-pagers while editing, on 127.0.0.1 only.

The HTML is built with the ordinary build pipeline into a private temporary folder (the
project's `output/` is never touched), served from there, and rebuilt when a project file
changes. Served pages get a small script that polls a version number and reloads the page when
it changes; the built files themselves stay exactly what `presskit build` writes. A project that
does not validate shows its problems in the page and the terminal; the server keeps running.

Changes are found by polling file sizes and modification times rather than with OS file events
(watchfiles and the like): a project is a few dozen small files, so a poll costs well under a
millisecond; polling works on network mounts, container volumes and WSL where inotify events
never arrive; it needs no compiled dependency; and it does not have to register a watch on every
folder of a virtual environment that happens to live inside the project.

Only the editor's own browser may read the preview. It listens on 127.0.0.1, and it answers only
requests addressed to it by name (127.0.0.1, localhost or [::1] with its port): a web page the
editor visits could otherwise point a name of its own at 127.0.0.1 (DNS rebinding) and read the
preview as its own site. It serves no hidden file or folder (the build cache holds the machine's
absolute paths), and a URL it cannot read as a plain path inside the built site gets a 4xx.
"""

from __future__ import annotations

import html
import mimetypes
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import click

from presskit.errors import UsageError, ValidationFailed
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions, Format
from presskit.pipeline.output import state_folder
from presskit.project.loading import load_project
from presskit.render.csp import with_policy
from presskit.wording import plural

HOST = "127.0.0.1"
OWN_NAMES = ("127.0.0.1", "localhost", "[::1]")
MAX_TARGET = 2048  # characters of a request's URL; built files have short names
VERSION_PATH = "/__presskit__/version"
POLL_SECONDS = 0.3
# Files whose change can change a page; anything else (a .pyc, an editor's swap file) is noise.
WATCHED_SUFFIXES = frozenset(
    {
        ".yaml",
        ".yml",
        ".md",
        ".j2",
        ".html",
        ".css",
        ".svg",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
    }
)
SKIPPED_FOLDERS = frozenset({"output", "node_modules", "__pycache__"})
RELOAD_SCRIPT = """<script>/* presskit serve: reload when the project changes */
(function () {{
  var seen = "{version}";
  setInterval(function () {{
    fetch("{path}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }})
      .then(function (now) {{ if (now !== seen) {{ location.reload(); }} }})
      .catch(function () {{}});
  }}, 500);
}})();
</script>
"""
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
# A URL path as browsers send it: printable ASCII, "%" only before two hex digits.
PLAIN_PATH = re.compile(r"(?:[!-$&-~]|%[0-9A-Fa-f]{2})*")


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file that can change a page."""
    found: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith((".", "_")) and d not in SKIPPED_FOLDERS
        )
        for name in files:
            if Path(name).suffix in WATCHED_SUFFIXES and not name.startswith("."):
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # removed between listing and stat
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def _discard(site: Path) -> None:
    """Remove a build's folder and the build's state kept beside it."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(state_folder(site), ignore_errors=True)


@dataclass
class Preview:
    """The latest build (a folder of HTML) or the latest error, and a version that counts both."""

    root: Path
    display: str
    include_drafts: bool = False
    version: int = 0
    site: Path | None = None
    error: str | None = None
    events: list[tuple[str, str]] = field(default_factory=list)
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="presskit-serve-")))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> str:
        """Build again; return what to print in the terminal."""
        site = Path(tempfile.mkdtemp(dir=self.workdir))
        error = None
        events: list[tuple[str, str]] = []
        try:
            project = load_project(self.root, self.display)
            formats: frozenset[Format] = frozenset({"html"})
            result = build(
                project, BuildOptions(out=site, formats=formats, include_drafts=self.include_drafts)
            )
            events = [(e.slug, e.event.name) for e in project.events if e.slug in result.events]
        except ValidationFailed as exc:
            found = f"{plural(len(exc.problems), 'problem')} found."
            error = "\n".join([*map(str, exc.problems), found])
        except click.ClickException as exc:
            error = exc.format_message()
        except Exception:  # a bug in presskit: say so, keep serving
            error = "internal error (please report it):\n" + traceback.format_exc()
        if error:
            _discard(site)
        with self.lock:
            old = self.site
            self.site = None if error else site
            self.error, self.events = error, events
            self.version += 1
        if old is not None:
            _discard(old)
        if error:
            return error
        return f"built {plural(len(events), 'event page')}"

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    def page(self, url_path: str) -> tuple[HTTPStatus, str, bytes]:
        """The response for `url_path` (as sent: percent-encoded, without query): status,
        content type, body (HTML gets the script)."""
        with self.lock:
            version, site, error, events = self.version, self.site, self.error, self.events
        path = _decode(url_path)
        if path is None or _hidden(path):  # `..` is hidden too: nothing above the site either
            return self._refused(url_path, path, version)
        if path == VERSION_PATH:
            return HTTPStatus.OK, TEXT, str(version).encode()
        if error is not None or site is None:
            return (
                HTTPStatus.INTERNAL_SERVER_ERROR,
                HTML,
                self._inject(_error_page(error or "not built yet"), version),
            )
        if path == "/":
            return HTTPStatus.OK, HTML, self._inject(_index_page(events), version)
        from presskit.pipeline.webapp import WORKER

        # With base_url the pages register the published site's service worker; a preview
        # must show every edit, never a saved copy, so it has none (and a browser drops one an
        # earlier preview installed once its script is gone).
        found = None if path == f"/{WORKER}" else _read(site, path)
        if found is None:
            return HTTPStatus.NOT_FOUND, HTML, self._inject(_not_found(path), version)
        kind, data = found
        if kind == "text/html":
            kind, data = HTML, self._inject(data.decode("utf-8"), version)
        return HTTPStatus.OK, kind, data

    def _refused(
        self, url_path: str, path: str | None, version: int
    ) -> tuple[HTTPStatus, str, bytes]:
        if path is None:
            return HTTPStatus.BAD_REQUEST, TEXT, b"Bad request: not a plain URL path\n"
        return HTTPStatus.NOT_FOUND, HTML, self._inject(_not_found(url_path), version)

    @staticmethod
    def _inject(page: str, version: int) -> bytes:
        script = RELOAD_SCRIPT.format(version=version, path=VERSION_PATH)
        at = page.rfind("</body>")
        page = page + script if at < 0 else page[:at] + script + page[at:]
        # the page's Content-Security-Policy, renewed to let this script run and poll
        return with_policy(page, connect_self=True).encode("utf-8")


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


def _read(site: Path, path: str) -> tuple[str, bytes] | None:
    """The type and bytes of the built file a decoded path names; never a hidden file and never
    anything outside `site`."""
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
        if _hidden(file.relative_to(root).as_posix()):
            return None
        data = file.read_bytes()
    except (OSError, ValueError):  # missing, a name too long, or replaced by a rebuild
        return None
    return mimetypes.guess_type(file.name)[0] or "application/octet-stream", data


def _shell(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:50rem;"
        "padding:0 1rem}pre{white-space:pre-wrap;background:#fff3f3;border-left:4px solid "
        "#b00020;padding:1rem}</style></head>\n<body>\n" + body + "\n</body>\n</html>\n"
    )


def _index_page(events: list[tuple[str, str]]) -> str:
    items = "\n".join(
        f'<li><a href="/{html.escape(slug)}/">{html.escape(name)}</a></li>' for slug, name in events
    )
    return _shell("presskit preview", f"<h1>presskit preview</h1>\n<ul>\n{items}\n</ul>")


def _error_page(error: str) -> str:
    return _shell(
        "presskit preview: problems",
        "<h1>The project has problems</h1>\n<p>Fix them and save; this page reloads "
        f"by itself.</p>\n<pre>{html.escape(error)}</pre>",
    )


def _not_found(url_path: str) -> str:
    return _shell(
        "presskit preview: not found",
        f"<h1>Not found</h1>\n<p>{html.escape(url_path)} is not a built page. "
        '<a href="/">All events</a></p>',
    )


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
            if isinstance(path, HTTPStatus):  # refused: nothing of the preview in the answer
                status, kind, body = path, TEXT, b""
            else:
                status, kind, body = preview.page(path)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if body_too:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the page polls twice a second; the terminal shows rebuilds instead

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes the connection early is no error; anything else is a bug.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Watcher(threading.Thread):
    """Polls the project; after a change settles, rebuilds and reports."""

    def __init__(self, preview: Preview, report: Callable[[str], None]) -> None:
        super().__init__(name="presskit-watch", daemon=True)
        self.preview, self.report = preview, report
        self.stopping = threading.Event()

    def run(self) -> None:
        before = snapshot(self.preview.root)
        while not self.stopping.wait(POLL_SECONDS):
            now = snapshot(self.preview.root)
            if now == before:
                continue
            while not self.stopping.wait(POLL_SECONDS):  # let a burst of saves finish
                settled = snapshot(self.preview.root)
                if settled == now:
                    break
                now = settled
            changed = _changed(self.preview.root, before, now)
            before = now
            # clock time for the terminal only: not in any kit
            self.report(f"{time.strftime('%H:%M:%S')} {changed} changed: " + self.preview.rebuild())


def _changed(
    root: Path, before: dict[str, tuple[int, int]], now: dict[str, tuple[int, int]]
) -> str:
    paths = sorted(os.path.relpath(p, root) for p in {*before, *now} if before.get(p) != now.get(p))
    shown = ", ".join(paths[:3])
    return f"{shown} and {len(paths) - 3} more" if len(paths) > 3 else shown


def serve(
    root: Path,
    display: str,
    port: int,
    *,
    include_drafts: bool = False,
    echo: Callable[[str], None] = click.echo,
) -> None:
    """Build, serve on 127.0.0.1:`port` (0: any free port), rebuild on change, until Ctrl-C."""
    preview = Preview(root, display, include_drafts)
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
    echo(preview.rebuild())
    watcher = _Watcher(preview, echo)
    watcher.start()
    echo(f"serving http://{HOST}:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stopping.set()
        server.server_close()
        watcher.join(timeout=5)
        preview.close()
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
    echo("stopped")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
