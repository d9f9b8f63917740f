"""The build pipeline: load -> select -> render HTML -> render PDFs -> downloads -> write.

Everything that can fail on the user's input (validation, selection, templates, the renderer
refusing a URL) happens before the first byte is written, so a failed build leaves the output
folder exactly as it was. Once every document is rendered, the files made from them (each
event's zip, the download portal) are made from the rendered bytes, and only then is anything
written. Documents are planned as plain data (`Document`), which is what lets later stages
cache, parallelise or dump them without knowing how they were made: `build` renders only the
PDFs the cache does not vouch for (in parallel when asked) and writes only files whose bytes
changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from presskit.pipeline.documents import (
    OUTPUTS,
    BuildOptions,
    BuildResult,
    Document,
    debug_html_path,
)
from presskit.pipeline.lock import output_lock
from presskit.pipeline.output import (
    confined,
    event_folder,
    remove_stale_temp_files,
    write_if_changed,
)
from presskit.project.loading import Project
from presskit.render.pool import PdfJob, Progress, Setup, default_jobs, render_all

if TYPE_CHECKING:
    from presskit.pipeline.cache import BuildCache
    from presskit.pipeline.stamp import FileState, Stamp

PACKAGE_DIR = Path(__file__).parents[1]  # presskit/, whose files every build reads


def build(project: Project, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build the kits of every selected event into `options.out`.

    Order matters for the no-half-written-output promise: plan all HTML, render every stale PDF,
    and only then write, so any failure leaves the output folder untouched. A build its stamp
    shows to change nothing stops before planning (see `stamp.py`).
    """
    from presskit.pipeline.cache import BuildCache
    from presskit.pipeline.provenance import project_provenance
    from presskit.pipeline.stamp import build_key, holds, listed_inputs, states

    cache = BuildCache.load(options.out)
    provenance = project_provenance(project)
    key = build_key(
        root=project.root,
        out=options.out,
        provenance=provenance,
        options=[
            f"events {list(options.events)}",
            f"formats {sorted(options.formats)}",
            f"drafts {options.include_drafts}",
            f"debug {options.debug_html}",
        ],
    )
    listed = listed_inputs(project, PACKAGE_DIR)
    if cache.stamp is not None and not options.force:
        with output_lock(options.out, options.lock_timeout):
            if holds(cache.stamp, key=key, sources=project.sources, listed=listed, out=options.out):
                remove_stale_temp_files(options.out)
                return _unchanged(options.out, cache.stamp)
    inputs = states(listed)  # before planning reads them

    from presskit.pipeline.plan import plan

    documents = plan(project, options, provenance)
    outcome, files = _render(project, options, documents, cache, progress)
    with output_lock(options.out, options.lock_timeout):
        remove_stale_temp_files(options.out)
        # Each event's zip and the portal, from these bytes or the files already in the output
        # folder (which is why they are made under the lock too).
        known = {path: data for path, data, _ in files if data is not None}
        for target, content in downloads(project, options, outcome.events, known):
            kit = target.parent.name if target.parent != options.out else None  # None: the portal
            files.append((target, content, kit))
        changed_events = _write(files, outcome)
        cache.stamp = _stamp(
            project, options, cache, files, key=key, inputs=inputs, events=outcome.events
        )
        cache.save()
    outcome.built_events = sorted(changed_events)
    outcome.unchanged_events = [e for e in outcome.events if e not in changed_events]
    return outcome


Files = list[tuple[Path, bytes | None, str | None]]  # path, bytes (None: keep as is), kit


def _render(
    project: Project,
    options: BuildOptions,
    documents: list[Document],
    cache: BuildCache,
    progress: Progress | None,
) -> tuple[BuildResult, Files]:
    """Render every PDF the cache does not vouch for; return the files to write."""
    from presskit.pipeline.cache import pdf_key, weasyprint_version
    from presskit.render.pdf import PDF_VARIANT

    paths = [confined(event_folder(options.out, d.event), d.output.name) for d in documents]
    names = [path.relative_to(options.out).as_posix() for path in paths]
    renderer_version = (
        weasyprint_version() if any(d.output.format == "pdf" for d in documents) else ""
    )

    keys: dict[int, str] = {}
    variant_used: dict[int, int] = {}
    stale: list[int] = []
    for index, document in enumerate(documents):
        if document.output.format != "pdf":
            continue
        keys[index] = pdf_key(
            document.variants,
            base_dir=project.root,
            max_pages=document.output.max_pages,
            pdf_variant=PDF_VARIANT,
            renderer_version=renderer_version,
        )
        entry = None if options.force else cache.lookup(names[index], keys[index])
        if entry is None or entry.variant >= len(document.variants):
            stale.append(index)
        else:
            variant_used[index] = entry.variant

    jobs = [
        PdfJob(
            names[i],
            documents[i].variants,
            project.root,
            documents[i].output.max_pages,
            documents[i].output.too_long,
        )
        for i in stale
    ]
    workers = options.jobs if options.jobs is not None else default_jobs()
    setup = Setup(
        roots=(project.root, PACKAGE_DIR),
        allow_remote=project.campaign.allow_remote_assets,
        templates_of=project.root,
    )
    rendered = dict(zip(stale, render_all(jobs, setup, workers, progress), strict=True))

    # Everything is rendered: from here on nothing can fail on the user's input.
    outcome = BuildResult(events=sorted({d.event for d in documents}))

    # Bytes known now; PDFs the cache vouches for stay as they are on disk (None).
    files: Files = []
    for index, document in enumerate(documents):
        path, event = paths[index], document.event
        if document.output.format != "pdf":
            files.append((path, document.variants[0].encode("utf-8"), event))
            continue
        result = rendered.get(index)
        if result is not None:
            outcome.rendered.append(names[index])
            cache.store(names[index], keys[index], result.data, result.variant, result.assets)
            variant_used[index] = result.variant
        files.append((path, result.data if result is not None else None, event))
        if options.debug_html:
            html = document.variants[variant_used[index]]
            files.append((debug_html_path(path), html.encode("utf-8"), event))
    return outcome, files


def _stamp(
    project: Project,
    options: BuildOptions,
    cache: BuildCache,
    files: Files,
    *,
    key: str,
    inputs: dict[str, FileState],
    events: list[str],
) -> Stamp:
    """The stamp of the build that just wrote `files`: every output as it now is, and every
    file the zips and portal were made from, present or absent (see `stamp.py`)."""
    from presskit.pipeline.downloads import zip_name
    from presskit.pipeline.stamp import Stamp, keep_seen, state_of, states

    out = options.out
    outputs: dict[str, FileState | None] = {}
    fetched: set[str] = set()
    for path, data, _ in files:
        name = path.relative_to(out).as_posix()
        entry = cache.entries.get(name) if data is None else None  # vouched for by the cache
        outputs[name] = state_of(path, data, entry.sha256 if entry is not None else None)
    made = list(outputs)
    for event_file in project.events:
        folder = event_folder(out, event_file.slug)
        for file_name in [*(o.name for o in OUTPUTS), zip_name(event_file.slug)]:
            name = confined(folder, file_name).relative_to(out).as_posix()
            if name not in outputs:
                outputs[name] = state_of(out / name)
    for name in outputs:
        entry = cache.entries.get(name)
        if entry is not None:
            fetched.update(entry.assets)
    before = cache.stamp
    return Stamp(
        key=key,
        sources=project.sources,
        inputs=keep_seen(inputs, before.inputs if before else {}),
        fetched=keep_seen(
            states(Path(p) for p in sorted(fetched)), before.fetched if before else {}
        ),
        outputs=keep_seen(outputs, before.outputs if before else {}),
        made=made,
        events=events,
    )


def _unchanged(out: Path, stamp: Stamp) -> BuildResult:
    """What a no-op build did: nothing, to every file the stamped build made."""
    return BuildResult(
        unchanged=[out / name for name in stamp.made],
        events=list(stamp.events),
        unchanged_events=list(stamp.events),
    )


def _write(files: Files, outcome: BuildResult) -> set[str]:
    """Write each file whose bytes changed (None: keep the file as it is); return the kits
    (events) that had a file written."""
    changed: set[str] = set()
    for path, data, kit in files:
        if data is not None and write_if_changed(path, data):
            outcome.written.append(path)
            if kit is not None:
                changed.add(kit)
        else:
            outcome.unchanged.append(path)
    return changed


def downloads(
    project: Project, options: BuildOptions, events: list[str], rendered: dict[Path, bytes]
) -> list[tuple[Path, bytes]]:
    """The zip of each event in `events`, and the portal: made from the rendered files, or, for
    files this build did not render, from the ones already in the output folder."""
    from presskit.pipeline.downloads import make_downloads

    return make_downloads(
        project,
        options.out,
        OUTPUTS,
        events=events,
        rendered=rendered,
        include_drafts=options.include_drafts,
    )
