"""Writing build results: atomically, and only inside the output folder.

Every file is written to a hidden temporary file in its own folder, flushed, and renamed into
place, so a reader (or a killed build) never sees half a PDF: it sees the old file or the new.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from presskit.errors import PresskitError
from presskit.models import is_slug


def confined(out_root: Path, *parts: str) -> Path:
    """`out_root/parts...`, refusing names that could leave the output folder."""
    for part in parts:
        if part in ("", ".", "..") or "/" in part or "\\" in part or "\0" in part:
            raise PresskitError(f"refusing to write outside the output folder: {part!r}")
    path = out_root.joinpath(*parts)
    if not path.resolve().is_relative_to(out_root.resolve()):
        raise PresskitError(f"refusing to write outside the output folder: {path}")
    return path


def event_folder(out_root: Path, slug: str) -> Path:
    if not is_slug(slug):
        raise PresskitError(f"event slug {slug!r} is not a safe folder name")
    return confined(out_root, slug)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; no partial file is ever visible."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
