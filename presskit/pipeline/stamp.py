"""The build stamp: knowing that a build would change nothing, without planning it.

The per-PDF cache (`cache.py`) needs every document's HTML to decide, and making that HTML
(selection, Jinja, Markdown, QR codes, every density of every sheet, then the zips and the
portal) costs far more than the 2% of a full build that a rebuild with nothing changed may
take. So each build that succeeds leaves a stamp beside the cache entries, recording:

- a key for everything outside the project that decides the bytes: the build options, the
  provenance line (SOURCE_DATE_EPOCH, the git commit), Python and the installed distributions;
- the SHA-256 of the text of every project file loading read (`Project.sources`), which a
  fresh load gives again for free, so added, removed and edited banks or events all show;
- the state of every other file the build reads: presskit's own files, the project's
  `templates/` and branding assets (taken before they are read, so an edit made during the
  build shows next time), and the files the renderer fetched;
- the state of every file in the output folder the build wrote or read (zips and the portal
  are made from other events' files too), including the ones that must stay absent.

A later build whose loaded project and key match, and whose files all still match, is a
no-op: it stops right after loading (so the project is still validated). File states are
compared the way git compares its index: size and modification time, and the content hash
when those differ or when the time is too close to the moment the state was taken to be
trusted (a change within the same clock tick keeps the time). System fonts and remote assets
are not tracked, as in the per-PDF cache: after changing them, build with `--force`.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from presskit import __version__
from presskit.pipeline.provenance import Provenance
from presskit.project.assets import asset_paths
from presskit.project.loading import PROJECT_TEMPLATES, Project, escapes

S = TypeVar("S", "FileState", "FileState | None")
STAMP_FORMAT = 1
# How recent a file's modification time may be, relative to when its state was taken, and still
# be trusted without reading it: file systems keep times in ticks of up to two seconds.
TRUST_AFTER_NS = 2_000_000_000


class FileState(BaseModel):
    """A file as it was: size, modification time, content hash, and when this was seen."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    size: int
    mtime_ns: int
    sha256: str
    seen_ns: int


class Stamp(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    sources: dict[str, str]
    inputs: dict[str, FileState]  # absolute path -> state, for `listed_inputs`
    fetched: dict[str, FileState]  # files the renderer read, as the cache entries list them
    outputs: dict[str, FileState | None]  # path in the output folder -> state; None: absent
    made: list[str]  # the outputs the build itself wrote or kept (the rest it only read)
    events: list[str]  # the kits the build made, for the summary line


def _digest(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape")
        digest.update(len(data).to_bytes(8, "big"))  # length-prefixed: no ambiguous joins
        digest.update(data)
    return digest.hexdigest()


def _distributions() -> list[str]:
    """The installed distributions as their metadata folders name them (name and version):
    one directory listing per `sys.path` entry, far cheaper than asking each package."""
    names: list[str] = []
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as found:
                names.extend(e.name for e in found if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip file, a folder that is gone
            continue
    return sorted(names)


def build_key(*, root: Path, out: Path, options: Iterable[str], provenance: Provenance) -> str:
    """A hash of what decides a build's bytes from outside the project's files."""
    return _digest(
        [
            f"stamp {STAMP_FORMAT}",
            f"presskit {__version__}",
            sys.version,
            str(root.resolve()),
            str(out.resolve()),
            *options,
            f"provenance {provenance.date} {provenance.commit} {provenance.modified}",
            *_distributions(),
        ]
    )


def files_under(folder: Path) -> list[Path]:
    """Every file under `folder`, bytecode caches aside, in a stable order."""
    found: list[Path] = []
    for parent, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        found.extend(Path(parent) / name for name in sorted(files) if not name.endswith(".pyc"))
    return found


def project_templates(root: Path) -> list[Path]:
    """The project's templates as the template loader sees them (render/templating.py): regular
    files, none through a symbolic link leading out of the project (`escapes`, the rule loading
    and the loader apply: the loader refuses such a template when a kit uses it). A FIFO, a
    device or a socket is no template to the loader (it takes regular files only), and reading
    one would hang the build or never end, so it is left out too."""
    folder = root / PROJECT_TEMPLATES
    if not folder.is_dir() or escapes(root, folder):
        return []
    return [path for path in files_under(folder) if not escapes(root, path) and path.is_file()]


def read_regular(path: Path) -> bytes:
    """The bytes of `path`; OSError unless it is a regular file (checked on the open file, so a
    FIFO swapped in after listing cannot hang the build, nor a device feed it forever)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return handle.read()


def state_of(path: Path, data: bytes | None = None, sha256: str | None = None) -> FileState | None:
    """The state of `path` now (None if it is not a readable regular file). `data` or `sha256`,
    when the caller knows the bytes it just wrote, saves reading them back."""
    seen = time.time_ns()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None
        if sha256 is None:
            sha256 = hashlib.sha256(data if data is not None else read_regular(path)).hexdigest()
    except OSError:
        return None
    return FileState(size=info.st_size, mtime_ns=info.st_mtime_ns, sha256=sha256, seen_ns=seen)


def unchanged(path: Path, state: FileState | None) -> bool:
    """Whether `path` is still as `state` recorded it (None: still absent)."""
    try:
        info = path.stat()
    except OSError:
        return state is None
    if state is None or info.st_size != state.size:
        return False
    if info.st_mtime_ns == state.mtime_ns and state.mtime_ns + TRUST_AFTER_NS < state.seen_ns:
        return True
    try:
        return hashlib.sha256(read_regular(path)).hexdigest() == state.sha256
    except OSError:
        return False


def listed_inputs(project: Project, package_dir: Path) -> list[Path]:
    """The files besides the loaded ones that a build of `project` reads, found by listing
    (so a template added to `templates/` shows): presskit's own files, the project's
    templates (`project_templates`) and its branding assets."""
    root = project.root
    found = [*files_under(package_dir), *project_templates(root)]
    brandings = [project.campaign.branding, *(e.event.branding for e in project.events)]
    found.extend(root / rel for branding in brandings for rel in asset_paths(branding))
    return sorted(set(found))


def states(paths: Iterable[Path]) -> dict[str, FileState]:
    """The states of the files a build is about to read; taken before it reads them, so an
    edit made during the build shows as a change next time."""
    found: dict[str, FileState] = {}
    for path in paths:
        state = state_of(path)
        if state is not None:
            found[str(path)] = state
    return found


def keep_seen(states: Mapping[str, S], before: Mapping[str, FileState | None]) -> dict[str, S]:
    """`states`, with the earlier record kept for every file that has not changed since: it
    is still true, and keeping it keeps the cache file byte-identical across like builds."""
    kept: dict[str, S] = {}
    for path, state in states.items():
        old = before.get(path)
        same = (
            state is not None
            and old is not None
            and (old.size, old.mtime_ns, old.sha256) == (state.size, state.mtime_ns, state.sha256)
        )
        kept[path] = old if same else state  # type: ignore[assignment]
    return kept


def holds(
    stamp: Stamp, *, key: str, sources: Mapping[str, str], listed: Iterable[Path], out: Path
) -> bool:
    """Whether a build with this key, these loaded sources and these listed input files would
    write exactly what `stamp` recorded, and the output folder still holds it."""
    if stamp.key != key or stamp.sources != sources:
        return False
    if sorted(stamp.inputs) != sorted(str(path) for path in listed):
        return False
    read = [*stamp.inputs.items(), *stamp.fetched.items()]
    return all(unchanged(Path(path), state) for path, state in read) and all(
        unchanged(out / name, state) for name, state in stamp.outputs.items()
    )
