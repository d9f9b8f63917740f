"""The live preview's own pages, and what it adds to the built pages it serves.

- `/`: every event with its documents, and the portal; `/__presskit__/kit/<slug>/`: one event's
  documents; `/__presskit__/view/<slug>/<file>.pdf`: a PDF in the browser's own viewer, in a
  page that shows the new PDF as soon as it is rendered (a PDF itself cannot run a script).
- Every HTML page served (these and the built ones, never the files on disk) gets `live()`: a
  banner that shows the project's problems, and a script that listens to the server's pushes
  (server-sent events) and reloads the page when its file was rebuilt. The page's
  Content-Security-Policy is renewed to allow exactly them (`with_policy`).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from presskit.render.csp import with_policy
from presskit.wording import plural

PREFIX = "/__presskit__/"
LIVE = PREFIX + "live/"  # + <version>/<slug>: the stream of changes (server-sent events)
KIT = PREFIX + "kit/"  # + <slug>/: an event's documents
VIEW = PREFIX + "view/"  # + <slug>/<file>.pdf: a PDF that reloads when rebuilt
STATUS = PREFIX + "status"  # the editors' dashboard (`presskit status`), as of the last build
LOCAL_ONLY = (
    "Private, unlisted and embargoed events are here too: this preview runs only on this "
    "computer (127.0.0.1) and publishes nothing."
)

STYLE = """
:root{color-scheme:light dark;--fg:#1b1b1f;--bg:#fff;--muted:#5b5b66;--line:#d9d9e0;
--link:#0b57d0;--card:#f6f6f9}
@media (prefers-color-scheme:dark){:root{--fg:#ececf1;--bg:#16161a;--muted:#a9a9b5;
--line:#3a3a44;--link:#8ab4f8;--card:#202026}}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:60rem;
padding:1rem 1rem 3rem;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.2rem;margin:2rem 0 .5rem}
h3{font-size:1.1rem;margin:0}
.lede,.meta,.note{color:var(--muted)}
.meta{margin:.25rem 0 .5rem;font-size:.95rem}
.back{display:inline-block;margin:.25rem 0}
.status{font-weight:600}
.kits{list-style:none;margin:0;padding:0;display:grid;gap:.75rem;
grid-template-columns:repeat(auto-fill,minmax(17rem,1fr))}
.kit{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;background:var(--card)}
.kit h3{display:flex;flex-wrap:wrap;gap:.25rem .5rem;align-items:baseline}
.docs{margin:.25rem 0 0;padding-left:1.2rem}
.docs li{margin:.2rem 0}
.badge{display:inline-block;font-size:.8rem;font-weight:600;border-radius:1rem;
padding:0 .6rem;border:1px solid currentColor;white-space:nowrap}
.public{color:#1e7b34}.unlisted{color:#8a5a00}.private,.embargoed{color:#b3261e}
@media (prefers-color-scheme:dark){.public{color:#7fd191}.unlisted{color:#f2c46b}
.private,.embargoed{color:#ffb4ab}}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.5rem .5rem .5rem 0;border-bottom:1px solid var(--line);
vertical-align:top}
td.size{white-space:nowrap;color:var(--muted)}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff3f3;color:#5c0011;
border-left:4px solid #b00020;padding:1rem}
body.viewer{max-width:none;height:100vh;display:flex;flex-direction:column;padding:0}
.bar{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;padding:.5rem 1rem;
border-bottom:1px solid var(--line)}
.bar h1{font-size:1.1rem;margin:0}
.viewer iframe{flex:1;width:100%;border:0}
.waiting{padding:2rem 1rem}
"""

# The problems banner and its look; the script below shows, fills and hides it.
BANNER_STYLE = """
#presskit-problems{all:initial;position:fixed;inset:0 0 auto 0;z-index:2147483647;
display:block;max-height:45vh;overflow:auto;background:#8c1020;color:#fff;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;padding:.75rem 1rem;
box-shadow:0 2px 12px rgba(0,0,0,.35)}
#presskit-problems[hidden]{display:none}
#presskit-problems strong{all:unset;display:block;font-weight:700;font-size:16px}
#presskit-problems p{all:unset;display:block;margin:.25rem 0}
#presskit-problems pre{all:unset;display:block;white-space:pre-wrap;overflow-wrap:anywhere;
font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;background:rgba(0,0,0,.25);
padding:.5rem .75rem;margin-top:.5rem;border-radius:.25rem}
"""
BANNER = (
    '<div id="presskit-problems" role="alert"{hidden}>'
    "<strong>presskit preview: the project has problems</strong>"
    "<p>Pages show the last version that built. Fix the problems and save: this banner goes "
    "away by itself.</p><pre>{error}</pre></div>"
)
SCRIPT = """(function () {
  "use strict";
  /* presskit serve: listen for rebuilds; reload this page when its file changes */
  var me = %s;
  var box = document.getElementById("presskit-problems");
  var source = null;
  function show(error) {
    if (!box) { return; }
    box.hidden = !error;
    if (error) { box.querySelector("pre").textContent = error; }
  }
  function connect() {
    if (source || document.visibilityState === "hidden") { return; }
    source = new EventSource(me.live + me.version + "/" + me.kit);
    source.onmessage = function (event) {
      var m = JSON.parse(event.data);
      show(m.error);
      if (m.version <= me.version) { return; }
      if (m.reload || me.follow === "all" || (me.follow === "builds" && m.stage !== "problem")
          || m.changed.indexOf(me.page) >= 0) {
        source.close();
        location.reload();
        return;
      }
      me.version = m.version;
    };
  }
  document.addEventListener("visibilitychange", function () {
    /* a hidden tab lets go of its connection (browsers allow few per server) and catches
       up when shown again */
    if (document.visibilityState === "hidden" && source) { source.close(); source = null; }
    else { connect(); }
  });
  connect();
})();
"""


@dataclass(frozen=True)
class Live:
    """What a served page needs to follow the server: its own file's path (as the pushes name
    files), the version it was served at, what it shows (an event's slug, or `<slug>/<file>`
    for a PDF: the server renders what is being looked at first), when it reloads (`follow`:
    "file" when its own file is rebuilt, "builds" on any rebuild, for the preview's own lists,
    "all" on any news at all), and the project's problems now (None: none)."""

    page: str
    version: int
    kit: str = ""
    follow: str = "file"
    error: str | None = None


def live(page: str, state: Live, *, frames: bool = False) -> bytes:
    """`page` with the problems banner and the listening script before `</body>`, their style
    in its head, and its Content-Security-Policy renewed to allow them (and, with `frames`,
    frames from the preview itself)."""
    config = {
        "page": state.page,
        "version": state.version,
        "kit": state.kit,
        "follow": state.follow,
        "live": LIVE,
    }
    script = SCRIPT % json.dumps(config).replace("<", "\\u003c")
    banner = BANNER.format(
        hidden="" if state.error else " hidden", error=html.escape(state.error or "")
    )
    style = f"<style>{BANNER_STYLE}</style>\n"
    at = page.find("</head>")
    page = page + style if at < 0 else page[:at] + style + page[at:]
    tail = f"{banner}\n<script>{script}</script>\n"
    at = page.rfind("</body>")
    page = page + tail if at < 0 else page[:at] + tail + page[at:]
    return with_policy(page, connect_self=True, frame_self=frames).encode("utf-8")


@dataclass(frozen=True)
class Document:
    """One file of a kit as the preview lists it; `size` None: not there (yet)."""

    label: str
    path: str  # as served: /<slug>/<file>
    format: str  # "PDF", "HTML", "ZIP"
    size: int | None

    @property
    def view(self) -> str:
        """Where to look at it: PDFs in the page that follows their rebuilds."""
        return VIEW + self.path.lstrip("/") if self.format == "PDF" else self.path


@dataclass(frozen=True)
class Kit:
    """An event as the preview shows it."""

    slug: str
    name: str
    date: str
    language: str
    visibility: str  # public, unlisted, private, embargoed
    why: str  # what that means for publishing
    documents: tuple[Document, ...]
    rendering: bool = False  # its PDFs are being brought up to date
    problem: str | None = None  # why its PDFs could not be made

    @property
    def href(self) -> str:
        return f"{KIT}{self.slug}/"


def shell(title: str, body: str, *, classes: str = "") -> str:
    attribute = f' class="{classes}"' if classes else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body{attribute}>\n{body}\n</body>\n</html>\n"
    )


def _size(size: int | None) -> str:
    if size is None:
        return "not built yet"
    return f"{size / 1024:.0f} KB" if size >= 1024 else plural(size, "byte")


def _badge(kit: Kit) -> str:
    return f'<span class="badge {kit.visibility}">{html.escape(kit.visibility)}</span>'


def pdf_status(kits: list[Kit]) -> str:
    """How the PDFs stand; empty when the preview makes none (`serve --no-pdf`)."""
    if not any(d.format == "PDF" for k in kits for d in k.documents):
        return ""
    rendering = [k for k in kits if k.rendering]
    failed = [k for k in kits if k.problem]
    if rendering:
        return f"PDFs: rendering ({plural(len(rendering), 'event')} to go)"
    if failed:
        return f"PDFs: {plural(len(failed), 'event')} could not be made (see the banner)"
    return "PDFs: up to date"


def _status_line(status: str) -> str:
    return f'<p class="status">{html.escape(status)}</p>\n' if status else ""


def index_page(campaign: str, kits: list[Kit]) -> str:
    items = []
    for kit in kits:
        docs = "".join(
            f'<li><a href="{html.escape(d.view)}">{html.escape(d.label)}</a></li>'
            for d in kit.documents
            if d.format != "ZIP"
        )
        items.append(
            f'<li class="kit"><h3><a href="{html.escape(kit.href)}" dir="auto">'
            f"{html.escape(kit.name)}</a> "
            f"{_badge(kit)}</h3>\n"
            f'<p class="meta">{html.escape(kit.date)} · {html.escape(kit.language)}</p>\n'
            f'<ul class="docs">{docs}</ul></li>'
        )
    body = (
        f"<h1>{html.escape(campaign)}: preview</h1>\n"
        '<p class="lede">Everything this project builds, rebuilt as you save; open pages '
        f"follow by themselves. {LOCAL_ONLY}</p>\n"
        + _status_line(pdf_status(kits))
        + '<h2>Portal</h2>\n<p><a href="/index.html">The portal</a>, the published site\'s home '
        "page (it lists public events only).</p>\n"
        f"<h2>Events ({len(kits)})</h2>\n"
        + ('<ul class="kits">\n' + "\n".join(items) + "\n</ul>" if items else "<p>None.</p>")
        + f'\n<h2>Editors</h2>\n<p><a href="{STATUS}">Where the banks stand</a>: review, '
        "translations and use, the page <code>presskit status</code> writes.</p>"
    )
    return shell(f"{campaign}: preview", body)


def kit_page(kit: Kit) -> str:
    rows = []
    for doc in kit.documents:
        link = f'<a href="{html.escape(doc.view)}">{html.escape(doc.label)}</a>'
        size = _size(doc.size)
        if doc.format == "PDF":
            if doc.size is not None:
                link += f' · <a href="{html.escape(doc.path)}">the file itself</a>'
            if kit.rendering:
                size = "rendering…"
        rows.append(f'<tr><td>{link}</td><td>{doc.format}</td><td class="size">{size}</td></tr>')
    status = pdf_status([kit])
    if status and kit.rendering:
        status = "PDFs: rendering…"
    body = (
        '<a class="back" href="/">All events</a>\n'
        f'<h1 dir="auto">{html.escape(kit.name)}</h1>\n'
        f'<p class="meta">{html.escape(kit.date)} · {html.escape(kit.language)} · '
        f"{_badge(kit)}</p>\n"
        f'<p class="note">{html.escape(kit.why)} {LOCAL_ONLY}</p>\n'
        + _status_line(status)
        + "<table>\n<thead><tr><th>Document</th><th>Format</th><th>Size</th></tr></thead>\n"
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )
    return shell(f"{kit.name}: preview", body)


def viewer_page(kit: Kit, doc: Document) -> str:
    title = f"{doc.label}: {kit.name}"
    if doc.size is None:
        shown = (
            '<p class="waiting">This PDF is being rendered; it shows here as soon as it is '
            "ready.</p>"
        )
    else:
        shown = f'<iframe src="{html.escape(doc.path)}" title="{html.escape(title)}"></iframe>'
    body = (
        '<div class="bar">'
        f'<a href="{html.escape(kit.href)}"><bdi>{html.escape(kit.name)}</bdi>: all documents</a>'
        f"<h1>{html.escape(doc.label)}</h1>"
        f'<a href="{html.escape(doc.path)}">the file itself</a></div>\n{shown}'
    )
    return shell(f"{title} (preview)", body, classes="viewer")


def error_page(error: str) -> str:
    return shell(
        "presskit preview: problems",
        "<h1>The project has problems</h1>\n<p>Nothing has built yet. Fix them and save; this "
        f"page reloads by itself.</p>\n<pre>{html.escape(error)}</pre>",
    )


def not_found(url_path: str) -> str:
    return shell(
        "presskit preview: not found",
        f"<h1>Not found</h1>\n<p>{html.escape(url_path)} is not a built page. "
        '<a href="/">All events</a></p>',
    )
