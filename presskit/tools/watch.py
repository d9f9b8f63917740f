"""What `presskit serve` watches, and how: the operating system's file events, via watchfiles.

A project's inputs are `presskit.yaml` and what it names: the question banks and events
folders, the letter, the signatories, branding files (logos, fonts), and the project's own
`templates/` and `locales/`. So the watcher watches the project folder itself without going
into its subfolders (`presskit.yaml`, a letter kept beside it, a folder created or removed),
and, recursively, each top-level folder that holds an input. Nothing else gets a watch: not the
output folders, hidden folders, a virtual environment or `node_modules` that happen to live in
the project, each of which would cost a watch per folder for changes no page depends on. The
folders are worked out again whenever `presskit.yaml` or the project folder's own entries
change (`refresh`).

Events come from inotify (Linux), FSEvents (macOS) or ReadDirectoryChangesW (Windows) through
watchfiles, a maintained Rust watcher, which reports a save within milliseconds. Where events
never arrive (network drives, some container volumes, WSL's Windows drives) it can poll
instead: `presskit serve --poll`, or watchfiles' own `WATCHFILES_FORCE_POLLING=1`; watchfiles
also turns polling on by itself under WSL.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from presskit.project.assets import asset_paths
from presskit.project.loading import LOCALES, PROJECT_TEMPLATES
from presskit.project.models import Campaign, Event

# Files whose change can change a document; anything else (a .pyc, an editor's swap or backup
# file) is noise.
INPUT_SUFFIXES = frozenset(
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
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})
# How long watchfiles waits for a burst of events to end (a save is often several), and the
# longest it groups events before reporting them anyway, in milliseconds.
STEP_MS = 30
DEBOUNCE_MS = 400
# How often a quiet watch wakes up: the first wake-up says its watches are in place.
IDLE_MS = 250


def input_folders(
    root: Path, campaign: Campaign | None, events: Iterable[Event] = ()
) -> frozenset[Path]:
    """The top-level folders of `root` that hold (or would hold, once made) an input of the
    project; the default places when `presskit.yaml` cannot be read."""
    paths = campaign if campaign is not None else Campaign.model_construct(name="", hashtag="")
    folders = [paths.banks, paths.events, PROJECT_TEMPLATES, LOCALES]
    files = [paths.letter, paths.signatories]
    brandings = [campaign.branding if campaign is not None else None]
    brandings += [event.branding for event in events]
    files += [path for branding in brandings for path in asset_paths(branding)]
    names = {top for f in folders if (top := _top(f, folder=True))}
    names |= {top for f in files if (top := _top(f, folder=False))}
    return frozenset(root.resolve() / name for name in names)


def _top(rel: str, *, folder: bool) -> str | None:
    """The top-level folder holding project path `rel`: None for a file at the top (the watch
    on the project folder sees it) and for anything hidden or outside."""
    parts = PurePosixPath(rel).parts
    if len(parts) < (1 if folder else 2) or parts[0] in ("..", "/") or parts[0].startswith("."):
        return None
    return parts[0]


def is_input(root: Path, path: str) -> bool:
    """Whether a change to `path` can change a document: a file of an input kind, not hidden
    and not in a folder that is never an input."""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return False
    if not parts or any(p.startswith(".") or p in SKIPPED_FOLDERS for p in parts):
        return False
    return Path(parts[-1]).suffix.lower() in INPUT_SUFFIXES


class Watcher:
    """Watches a project's inputs and calls `changed` with the paths (relative to the root,
    sorted) of each burst of changes, from its own threads, until `stop()`."""

    def __init__(
        self, root: Path, changed: Callable[[list[str]], None], *, polling: bool | None = None
    ) -> None:
        self.root = root.resolve()  # watchfiles reports absolute paths
        self.changed = changed
        self.polling = polling  # None: watchfiles decides (WATCHFILES_FORCE_POLLING, WSL)
        self.folders: frozenset[Path] = frozenset()
        self._wanted: frozenset[Path] = frozenset()
        self._stopping = threading.Event()
        self._restart = threading.Event()
        self._ready = [threading.Event(), threading.Event()]  # the top watch, the folders'
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._watch_top, name="presskit-watch-top", daemon=True),
            threading.Thread(target=self._watch_folders, name="presskit-watch", daemon=True),
        ]

    def start(self, folders: frozenset[Path]) -> None:
        self.refresh(folders)
        for thread in self._threads:
            thread.start()

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Wait until the watches are in place (a change saved from then on is seen)."""
        deadline = time.monotonic() + timeout
        return all(e.wait(max(0.0, deadline - time.monotonic())) for e in self._ready)

    def refresh(self, folders: frozenset[Path] | None = None, *, again: bool = False) -> None:
        """Watch those of `folders` that exist, from now on (None: the same ones, looked at
        again); `again` starts their watch anew even if they are the same (one was removed and
        made again)."""
        with self._lock:
            if folders is not None:
                self._wanted = folders
            now = frozenset(f for f in self._wanted if f.is_dir())
            if now != self.folders or again:
                self.folders = now
                self._restart.set()

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=5)

    def _watch(self, paths: Iterable[Path], *, recursive: bool, until: _Either) -> None:
        from watchfiles import watch

        for batch in watch(
            *paths,
            watch_filter=None,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=until,
            rust_timeout=IDLE_MS,
            yield_on_timeout=True,
            recursive=recursive,
            force_polling=self.polling,
            raise_interrupt=False,
        ):
            self._ready[1 if recursive else 0].set()
            if batch:
                self._report({path for _, path in batch}, top=not recursive)

    def _report(self, paths: set[str], *, top: bool) -> None:
        inputs = [p for p in paths if is_input(self.root, p)]
        if top:
            replaced = [p for p in paths if Path(p) in self._wanted]  # created, removed, moved
            if replaced or len(inputs) < len(paths):  # a folder may have come or gone
                self.refresh(again=bool(replaced))
            inputs += replaced
        if inputs:
            self.changed(sorted(Path(p).relative_to(self.root).as_posix() for p in inputs))

    def _watch_top(self) -> None:
        while not self._stopping.is_set():
            self._run(
                lambda: self._watch([self.root], recursive=False, until=_Either(self._stopping))
            )

    def _watch_folders(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                folders = sorted(self.folders)
                self._restart.clear()
            if not folders:
                self._ready[1].set()
                _Either(self._stopping, self._restart).wait()
                continue
            until = _Either(self._stopping, self._restart)
            self._run(functools.partial(self._watch, folders, recursive=True, until=until))

    def _run(self, watching: Callable[[], None]) -> None:
        try:
            watching()
        except OSError:  # a folder removed as its watch began: the top watch sees it go
            self._stopping.wait(0.1)


class _Either:
    """Set when any of `events` is: the stop event watchfiles checks between its steps."""

    def __init__(self, *events: threading.Event) -> None:
        self.events = events

    def is_set(self) -> bool:
        return any(e.is_set() for e in self.events)

    def wait(self) -> None:
        while not self.is_set():
            self.events[0].wait(0.05)
