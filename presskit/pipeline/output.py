"""Writing build results: atomically, and only inside the output folder.

Every file is written to a hidden temporary file (`.name.presskit-XXXXXXXX.tmp`) in its own
folder, flushed, and renamed into place, so a reader (or a killed build) never sees half a PDF:
it sees the old file or the new. A build killed mid-write can leave such a hidden file behind;
the next build removes it (`remove_stale_temp_files`, called while holding the output lock).
Only names of exactly that shape are removed: the output folder may hold other people's
temporary files (an editor's `.notes.tmp`), and those are not ours to delete.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from presskit.errors import PresskitError
from presskit.project.atomic import write_atomic  # the one atomic write, builds and sources
from presskit.project.models import is_slug

# `write_atomic`'s temporary names (presskit.project.atomic): `.name.presskit-XXXXXXXX.tmp`.
_TEMP_NAME = re.compile(r"\..+\.presskit-[a-z0-9_]{8}\.tmp")


def confined(out_root: Path, *parts: str) -> Path:
    """`out_root/parts...`, refusing names that could leave the output folder."""
    for part in parts:
        if part in ("", ".", "..") or "/" in part or "\\" in part or "\0" in part:
            raise PresskitError(f"refusing to write outside the output folder: {part!r}")
    path = out_root.joinpath(*parts)
    if not path.resolve().is_relative_to(out_root.resolve()):
        raise PresskitError(f"refusing to write outside the output folder: {path}")
    return path


def state_folder(out_root: Path) -> Path:
    """Where the build keeps its own state for `out_root` (cache, stamp, lock): the hidden
    folder `.<name>.presskit/` beside it, `output/` -> `.output.presskit/`.

    Not inside it: the output folder is published whole, and the cache names this machine's
    folders. Beside it rather than under the project: the lock must serialise every build of
    one output folder, whichever project or path (a link, `..`) names it, so it is keyed by
    the resolved output folder itself; and a throwaway output (the preview's) takes its state
    with it. `presskit new`'s `.gitignore` ignores `.*.presskit/`.
    """
    real = out_root.resolve()
    return real.parent / f".{real.name or 'root'}.presskit"


# What earlier versions kept inside the output folder; removed, so it is no longer published.
LEGACY_STATE = (".presskit-cache.json", ".presskit.lock")


def remove_legacy_state(out_root: Path) -> list[Path]:
    """Delete the cache and lock files earlier versions left in the output folder; returns them."""
    removed = []
    for name in LEGACY_STATE:
        path = out_root / name
        try:
            if stat.S_ISREG(path.lstat().st_mode):
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue
    return removed


def event_folder(out_root: Path, slug: str) -> Path:
    if not is_slug(slug):
        raise PresskitError(f"event slug {slug!r} is not a safe folder name")
    return confined(out_root, slug)


def zip_name(slug: str) -> str:
    """The name of an event's zip download, inside its folder."""
    return f"{slug}-press-kit.zip"


def is_temp_name(name: str) -> bool:
    """Whether `name` is one of our temporary files (`write_atomic`), and nobody else's."""
    return _TEMP_NAME.fullmatch(name) is not None


def remove_stale_temp_files(out_root: Path) -> list[Path]:
    """Delete the temporary files a killed build left in the output folder (ours only, see
    `is_temp_name`); returns them."""
    removed: list[Path] = []
    for parent, _, files in os.walk(out_root):  # does not follow symbolic links
        for name in files:
            path = Path(parent) / name
            if is_temp_name(name) and stat.S_ISREG(path.lstat().st_mode):
                path.unlink(missing_ok=True)
                removed.append(path)
    return sorted(removed)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` atomically unless `path` already holds exactly it; True if written.

    Leaving identical files alone keeps their timestamps, so tools that watch the output folder
    (sync clients, web servers, make) see only what really changed.
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True
