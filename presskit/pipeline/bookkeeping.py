"""The build's bookkeeping: what is up to date, what was read, the output lock, the writes.

`build` asks its output folder the same few things every time, in this order, and `Bookkeeping`
answers them, so that the build itself reads as load, check, plan, render, write:

1. `check()`: would this build change nothing? The last build's stamp (`stamp.py`) tells without
   planning; it is checked under the output lock (`lock.py`), which also sweeps the temporary
   files a killed build left. Stamp and lock live in the state folder beside the output folder
   (`output.state_folder`), never in the published folder itself. When the build must go on,
   the state of every input it lists is taken there and then, before planning reads it, so an
   edit made during the build shows next time.
2. `cached_variant()`: does the per-PDF cache (`cache.py`) vouch for a PDF already on disk? Then
   it is not rendered again; `store()` records one that was.
3. `writing()`: the output lock, held while the zips and the portal are made (they read the
   output folder) and every file is written; temporary files a killed build left, and the
   cache and lock files earlier versions kept in the output folder, are swept first.
4. `write()`: each file written atomically, and only if its bytes changed (`output.py`); then
   the stamp and the cache, last, so that they only ever describe a build that succeeded.

Before `writing()` (and the check, when there is a stamp to check) nothing touches the output
folder, so a build that fails while planning or rendering leaves it exactly as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from presskit.pipeline.cache import BuildCache, package_digest, pdf_key, weasyprint_version
from presskit.pipeline.documents import OUTPUTS, BuildOptions, BuildResult, Document
from presskit.pipeline.lock import output_lock
from presskit.pipeline.output import (
    confined,
    event_folder,
    remove_legacy_state,
    remove_stale_temp_files,
    write_if_changed,
    zip_name,
)
from presskit.pipeline.provenance import Provenance, project_provenance
from presskit.pipeline.stamp import (
    FileState,
    Stamp,
    build_key,
    holds,
    keep_seen,
    listed_inputs,
    state_of,
    states,
)
from presskit.project.loading import Project
from presskit.render.pool import Rendered


@dataclass(frozen=True)
class File:
    """One file of a build's output: where it goes, its bytes (None: a PDF the cache vouches
    for, kept as it is on disk), and the kit (event) it belongs to (None: the portal)."""

    path: Path
    data: bytes | None
    kit: str | None


class Bookkeeping:
    """The bookkeeping of one build of `project` into `options.out`; `package_dir` holds
    presskit's own files, which every build reads too."""

    def __init__(self, project: Project, options: BuildOptions, package_dir: Path) -> None:
        self.project = project
        self.options = options
        self.out = options.out
        self.provenance: Provenance = project_provenance(project)  # read once: it runs git
        self._package_dir = package_dir
        self._inputs: dict[str, FileState] | None = None  # taken by check(), before planning
        self._pdf_keys: dict[str, str] = {}
        self._locked = False

    @property
    def stamped(self) -> bool:
        """Whether this build checks a stamp and leaves one: every build but one that makes
        some one-pagers only (`build_pages`, without downloads), which runs after an edit, just
        before the whole build, and would only ever replace the stamp of a whole build with one
        that no build asks for. Leaving the stamp there as it is stays right: it records every
        event's one-pager, so one that this build rewrites makes it no longer hold."""
        return self.options.downloads

    @cached_property
    def cache(self) -> BuildCache:
        return BuildCache.load(self.out)

    @cached_property
    def _key(self) -> str:
        options = self.options
        return build_key(
            root=self.project.root,
            out=options.out,
            provenance=self.provenance,
            options=[
                f"events {list(options.events)}"
                + (f" outputs {list(options.outputs)}" if options.outputs else ""),
                f"formats {sorted(options.formats)}"
                + ("" if options.linked is None else f" linked {sorted(options.linked)}"),
                f"drafts {options.include_drafts}",
                f"hold {sorted(options.hold)} evict {sorted(options.evict)} {options.private}",
                f"briefs {sorted(options.briefs)}",
                f"debug {options.debug_html}",
                f"downloads {options.downloads}",
            ],
        )

    @cached_property
    def _listed(self) -> list[Path]:
        return listed_inputs(self.project, self._package_dir)

    def check(self) -> BuildResult | None:
        """What this build did if its stamp shows it would change nothing (nothing, to every
        file the stamped build made); None when it must plan, render and write."""
        if not self.stamped:
            self._inputs = {}
            return None
        stamp = self.cache.stamp
        if stamp is not None and not self.options.force:
            with output_lock(self.out, self.options.lock_timeout):
                if holds(
                    stamp,
                    key=self._key,
                    sources=self.project.sources,
                    listed=self._listed,
                    out=self.out,
                ):
                    self._sweep()
                    return BuildResult(
                        unchanged=[self.out / name for name in stamp.made],
                        events=list(stamp.events),
                        unchanged_events=list(stamp.events),
                    )
        self._inputs = states(self._listed)  # now, before planning reads them
        return None

    def cached_variant(self, document: Document) -> int | None:
        """The HTML variant the PDF on disk was made from, if the cache vouches that it is
        exactly what `document` gives; None: it must be rendered."""
        if self.options.force:
            return None
        entry = self.cache.lookup(document.name, self._pdf_key(document))
        if entry is None or entry.variant >= len(document.variants):
            return None
        return entry.variant

    def store(self, document: Document, rendered: Rendered) -> None:
        """Record a PDF this build rendered, and the files the renderer read for it."""
        key = self._pdf_key(document)
        self.cache.store(document.name, key, rendered.data, rendered.variant, rendered.assets)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the output lock while the output folder is read and written, after sweeping
        the temporary files a killed build left."""
        with output_lock(self.out, self.options.lock_timeout):
            self._sweep()
            self._locked = True
            try:
                yield
            finally:
                self._locked = False

    def write(self, files: Sequence[File], events: list[str]) -> list[Path]:
        """Write each file whose bytes changed, then the stamp and the cache; return the files
        written. Only inside `writing()`, after `check()`."""
        if not self._locked or self._inputs is None:
            raise RuntimeError("Bookkeeping.write() needs check() first and writing() around it")
        written = [f.path for f in files if f.data is not None and write_if_changed(f.path, f.data)]
        if self.stamped:
            self.cache.stamp = self._stamp(files, self._inputs, events)
            self.cache.save()
        return written

    def _sweep(self) -> None:
        """Remove what must not stay in the published folder: temporary files a killed build
        left, and the cache and lock files earlier versions kept there (now beside it)."""
        remove_stale_temp_files(self.out)
        remove_legacy_state(self.out)

    @cached_property
    def _renderer_version(self) -> str:
        return weasyprint_version()

    @cached_property
    def _package(self) -> str:
        return package_digest(self._package_dir)

    def _pdf_key(self, document: Document) -> str:
        # Imported here because the renderer's module brings in logging and mimetypes, which a
        # build the check found up to date never needs (see test_stamp.py and test_bookkeeping.py).
        from presskit.render.pdf import PDF_VARIANT

        if document.name not in self._pdf_keys:
            self._pdf_keys[document.name] = pdf_key(
                document.variants,
                base_dir=self.project.root,
                max_pages=document.output.max_pages,
                probes=document.probes,
                pdf_variant=PDF_VARIANT,
                renderer_version=self._renderer_version,
                package=self._package,
            )
        return self._pdf_keys[document.name]

    def _stamp(
        self, files: Sequence[File], inputs: dict[str, FileState], events: list[str]
    ) -> Stamp:
        """The stamp of the build that just wrote `files`: every output as it now is, and every
        file the zips and portal were made from, present or absent (see `stamp.py`)."""
        out, cache = self.out, self.cache
        outputs: dict[str, FileState | None] = {}
        for file in files:
            name = file.path.relative_to(out).as_posix()
            entry = cache.entries.get(name) if file.data is None else None  # vouched for
            outputs[name] = state_of(
                file.path, file.data, entry.sha256 if entry is not None else None
            )
        made = list(outputs)
        for event_file in self.project.events:
            folder = event_folder(out, event_file.slug)
            for file_name in [*(o.name for o in OUTPUTS), zip_name(event_file.slug)]:
                name = confined(folder, file_name).relative_to(out).as_posix()
                if name not in outputs:
                    outputs[name] = state_of(out / name)
        fetched: set[str] = set()
        for name in outputs:
            entry = cache.entries.get(name)
            if entry is not None:
                fetched.update(entry.assets)
        before = cache.stamp
        return Stamp(
            key=self._key,
            sources=self.project.sources,
            inputs=keep_seen(inputs, before.inputs if before else {}),
            fetched=keep_seen(
                states(Path(p) for p in sorted(fetched)), before.fetched if before else {}
            ),
            outputs=keep_seen(outputs, before.outputs if before else {}),
            made=made,
            events=events,
        )
