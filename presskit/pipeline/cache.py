"""The build cache: which PDFs are already up to date, so an unchanged kit is not rendered again.

Each PDF's entry holds a key (a hash of the exact HTML variants, presskit's and WeasyPrint's
versions, a digest of presskit's own files, the PDF variant, the page limit and the project
folder), the hash of the file that was
written, which HTML variant was used, and the hash of every local file the renderer read while
making it (logos, fonts, CSS: recorded as they were fetched, like a compiler's depfile). A PDF is
up to date when the key matches, its file still has the recorded hash and every recorded asset
still has its hash. System fonts are not tracked: after changing them, build with `--force`.

The cache lives in the build's state folder beside the output folder (`output.state_folder`),
never in the output folder, which is published whole: it names this machine's folders. It is
only ever a shortcut: deleting it, or a corrupt or foreign file, means a full
rebuild, never an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from presskit import __version__
from presskit.pipeline.output import state_folder, write_if_changed
from presskit.pipeline.stamp import Stamp, files_under, read_regular

CACHE_NAME = "cache.json"
CACHE_FORMAT = 1


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    sha256: str
    variant: int
    assets: dict[str, str]


class CacheFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: int
    outputs: dict[str, Entry]
    stamp: Stamp | None = None  # the last whole build, for the no-op shortcut (stamp.py)


def cache_file(out_dir: Path) -> Path:
    """The cache of output folder `out_dir`, in the build's state folder beside it."""
    return state_folder(out_dir) / CACHE_NAME


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def weasyprint_version() -> str:
    """WeasyPrint's version, read from its metadata so a cache hit never imports it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:  # pragma: no cover - it is a dependency
        return "unknown"


def package_digest(package_dir: Path) -> str:
    """A hash of presskit's own files under `package_dir` (code, templates, styles, locales and
    the typeface, bytecode caches aside), by relative path and content. The version number
    alone does not change when a development checkout or an edited install changes the code
    that writes the PDFs (`render/pdf.py`'s finisher) or the fonts the renderer is given, which
    no HTML shows. Computed once per build, and only when the build is not a no-op: about 3 MB,
    some tens of milliseconds."""
    digest = hashlib.sha256()
    for path in files_under(package_dir):
        for part in (path.relative_to(package_dir).as_posix().encode("utf-8"), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()


def pdf_key(
    variants: Iterable[str],
    *,
    base_dir: Path,
    max_pages: int | None,
    pdf_variant: str,
    renderer_version: str,
    probes: Iterable[str] = (),
    package: str = "",
) -> str:
    """A hash of everything that decides a PDF's bytes, apart from the files it reads;
    `package` is presskit's own files' digest (`package_digest`)."""
    digest = hashlib.sha256()
    parts = [
        f"presskit {__version__} {package}",
        f"weasyprint {renderer_version}",
        pdf_variant,
        f"max_pages {max_pages}",
        str(base_dir.resolve()),
        *variants,
        "probes",  # the HTML whose fit picks the variant (the print sheet's pocket card)
        *probes,
    ]
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))  # length-prefixed: no ambiguous joins
        digest.update(data)
    return digest.hexdigest()


class BuildCache:
    """The entries of one output folder, keyed by output path relative to it."""

    def __init__(
        self, out_dir: Path, entries: dict[str, Entry] | None = None, stamp: Stamp | None = None
    ) -> None:
        self.out_dir = out_dir
        self.entries = dict(entries or {})
        self.stamp = stamp
        self._file_hashes: dict[str, str | None] = {}

    @classmethod
    def load(cls, out_dir: Path) -> BuildCache:
        """The cache of `out_dir`; empty when there is none or it cannot be trusted."""
        try:
            # a regular file only: a FIFO planted in a received project must not hang the build
            cached = CacheFile.model_validate_json(read_regular(cache_file(out_dir)))
        except (OSError, UnicodeDecodeError, ValidationError):
            return cls(out_dir)
        if cached.format != CACHE_FORMAT:
            return cls(out_dir)
        return cls(out_dir, cached.outputs, cached.stamp)

    def _hash_file(self, path: str) -> str | None:
        if path not in self._file_hashes:
            try:
                self._file_hashes[path] = sha256(Path(path).read_bytes())
            except OSError:
                self._file_hashes[path] = None
        return self._file_hashes[path]

    def lookup(self, name: str, key: str) -> Entry | None:
        """The entry for output `name` if the file on disk is exactly what `key` would give."""
        entry = self.entries.get(name)
        if entry is None or entry.key != key:
            return None
        if self._hash_file(str(self.out_dir / name)) != entry.sha256:
            return None
        if any(self._hash_file(path) != digest for path, digest in entry.assets.items()):
            return None
        return entry

    def store(self, name: str, key: str, data: bytes, variant: int, assets: Iterable[str]) -> None:
        # A file that vanished is recorded as "", which no later lookup will match.
        hashes = {path: self._hash_file(path) or "" for path in assets}
        self.entries[name] = Entry(key=key, sha256=sha256(data), variant=variant, assets=hashes)

    def save(self) -> None:
        """Write the cache, dropping entries whose output file is gone."""
        kept = {
            name: entry
            for name, entry in sorted(self.entries.items())
            if (self.out_dir / name).is_file()
        }
        data = CacheFile(format=CACHE_FORMAT, outputs=kept, stamp=self.stamp).model_dump_json(
            indent=1
        )
        write_if_changed(cache_file(self.out_dir), data.encode("utf-8"))
