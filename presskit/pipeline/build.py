"""The build pipeline: load, check, plan, render, write.

- load: the caller's (`load_project`), so a project is validated even when nothing is built.
- check: whether the last build's stamp shows this one would change nothing; then it stops
  there, before planning (see `bookkeeping.py` for everything a build keeps track of).
- plan: every document's HTML (`plan.py`), as plain data (`Document`), which is what lets the
  later steps cache, parallelise or dump documents without knowing how they were made.
- render: every PDF the per-PDF cache does not vouch for, in parallel when asked.
- write: under the output lock, each event's zip and the download portal are made from the
  rendered bytes (or the files already in the output folder), then every file whose bytes
  changed is written, and the stamp last.

Everything that can fail on the user's input (selection, templates, the renderer refusing a
URL) fails while planning or rendering, before the first byte is written, so a failed build
leaves the output folder exactly as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from presskit.errors import UsageError
from presskit.kits.talent import briefs_for, is_brief_file
from presskit.pipeline.bookkeeping import Bookkeeping, File
from presskit.pipeline.documents import (
    OUTPUTS,
    BuildOptions,
    BuildResult,
    Document,
    debug_html_path,
    held_back,
    private_folder,
)
from presskit.pipeline.output import confined, event_folder, zip_name
from presskit.pipeline.provenance import build_clock
from presskit.project.loading import Project
from presskit.render.pool import PdfJob, Progress, Rendered, Setup, default_jobs, render_all

PACKAGE_DIR = Path(__file__).parents[1]  # presskit/, whose files every build reads


def build(
    project: Project,
    options: BuildOptions,
    progress: Progress | None = None,
    *,
    private_out: Path | None = None,
    now: dt.datetime | None = None,
) -> BuildResult:
    """Build the kits of every selected event: published ones into `options.out`, and those
    under embargo at `now` (the build's clock) or private into `private_out` (beside it by
    default), so nothing that must stay private sits in the folder that is published whole."""
    private = private_out if private_out is not None else private_folder(options.out)
    mine, published = private.resolve(), options.out.resolve()
    if mine.is_relative_to(published) or published.is_relative_to(mine):
        raise UsageError(
            f"the private folder {private} must be outside the output folder {options.out} "
            "(which is published whole), and not hold it"
        )
    clock = now if now is not None else build_clock()
    held = _held(project, clock)
    slugs = frozenset(e.slug for e in project.events)
    result = _build_into(
        project, replace(options, hold=frozenset(held), evict=frozenset(held)), progress
    )
    wanted = [slug for slug in held if not options.events or slug in options.events]
    # Published events whose talent briefs are private (the event's, or its people's).
    briefed = frozenset(
        e.slug
        for e in project.events
        if e.slug not in held
        and (not options.events or e.slug in options.events)
        and briefs_for(project.campaign, e.event, private=True, held=False)
    )
    result.briefs = _briefs(result)
    if wanted or briefed or private.is_dir():  # also to take out kits whose embargo has passed
        kept = _build_into(
            project,
            replace(
                options,
                out=private,
                events=(),
                hold=slugs - set(wanted),
                evict=slugs - set(held),
                private=True,
                briefs=briefed,
            ),
            progress,
        )
        result.rendered += kept.rendered
        result.removed += kept.removed
        result.untranslated = result.untranslated or kept.untranslated
        result.briefs += _briefs(kept)
    result.held = {slug: held[slug] for slug in wanted}
    result.private_out = private
    return result


def build_pages(
    project: Project, options: BuildOptions, *, now: dt.datetime | None = None
) -> BuildResult:
    """Only the one-pagers of the events in `options.events` (() for all) that are published
    at `now` (the build's clock), into `options.out`: no PDF, no zip, no portal, nothing into
    the private folder, nothing removed. The live preview's first step after an edit, so that
    the pages open in a browser show it at once; `build` with the same options, which follows,
    writes the same bytes for them (so they are not rewritten, and do not reload again) and
    brings the rest up to date. The one-pager of an event held back (private, or under embargo
    at `now`) is never written here: an edit may have just made it so, and the published
    folder must not get it."""
    clock = now if now is not None else build_clock()
    held = frozenset(_held(project, clock))
    asked = options.events or tuple(e.slug for e in project.events)
    wanted = tuple(slug for slug in asked if slug not in held)
    if not wanted:  # () would mean every event
        return BuildResult()
    pages = replace(
        options,
        events=wanted,
        formats=frozenset({"html"}),
        linked=options.formats if options.linked is None else options.linked,  # as `build`
        outputs=(),
        downloads=False,
        hold=held,
        evict=frozenset(),
        private=False,
        briefs=frozenset(),
    )
    return _build_into(project, pages)


def _held(project: Project, clock: dt.datetime) -> dict[str, str]:
    """The events held back at `clock` (private, or under embargo), each with why."""
    return {e.slug: why for e in project.events if (why := held_back(e.event, clock)) is not None}


def _briefs(result: BuildResult) -> list[Path]:
    """The talent briefs a build into one folder wrote or found up to date."""
    return sorted(p for p in [*result.written, *result.unchanged] if is_brief_file(p.name))


def _build_into(
    project: Project, options: BuildOptions, progress: Progress | None = None
) -> BuildResult:
    """Build the kits of every selected event not held into `options.out`."""
    books = Bookkeeping(project, options, PACKAGE_DIR)
    unchanged = books.check()
    if unchanged is not None:
        return unchanged
    # Imported here, not at the top, because planning and the portal bring in Jinja, Markdown
    # and QR codes: a build the check found up to date stops above without paying for them.
    from presskit.pipeline.downloads import make_downloads
    from presskit.pipeline.plan import plan

    documents = plan(project, options, books.provenance)
    files, rendered, warnings = _render(project, options, documents, books, progress)
    events = sorted({d.event for d in documents})
    with books.writing():
        # Each event's zip and the portal, from these bytes or from the files already in the
        # output folder (which is why they are made under the lock).
        known = {f.path: f.data for f in files if f.data is not None}
        made = []
        if options.downloads:
            made = make_downloads(
                project,
                options.out,
                OUTPUTS,
                events=[e for e in events if e not in options.hold],  # not brief-only ones
                rendered=known,
                provenance=books.provenance,
                include_drafts=options.include_drafts,
                hidden=options.hold,
                portal=not options.private,
                briefs=_published_briefs(project, options),
            )
        for path, data in made:
            files.append(File(path, data, path.parent.name if path.parent != options.out else None))
        removed = _unbrief(project, options)
        removed += _evict(options.out, options.evict)
        if project.campaign.base_url is None and not options.private:
            removed += _unpublish(options.out, [e.slug for e in project.events])
        written = books.write(files, events)
    result = _summary(files, written, rendered, events, warnings)
    result.removed = removed
    result.untranslated = _untranslated(project, options)
    return result


def _untranslated(project: Project, options: BuildOptions) -> str | None:
    """The line that counts the labels and fields the build's kits show untranslated: those
    of every event asked for, published or held back, so both folders' builds say the same.
    Only a build that plans says it (like the question sheet's warnings); an up-to-date
    build stops before selecting."""
    from presskit.kits.select import select_all
    from presskit.kits.untranslated import summary, untranslated

    wanted = tuple(options.events) or tuple(e.slug for e in project.events)
    selections = select_all(
        project, include_drafts=options.include_drafts, only=wanted, explain=False
    )
    return summary(untranslated(project, selections))


def _evict(out: Path, slugs: frozenset[str]) -> list[Path]:
    """Remove the files a build makes for `slugs` from `out` (their kits must not be there,
    e.g. an event that became private or embargoed since), and their folders once empty."""
    from presskit.pipeline.webapp import PREVIEW

    removed = []
    for slug in sorted(slugs):
        folder = event_folder(out, slug)
        if not folder.is_dir() or folder.is_symlink():
            continue
        names = [o.name for o in OUTPUTS] + [zip_name(slug), PREVIEW]
        names += [debug_html_path(Path(n)).name for n in names if n.endswith(".pdf")]
        for name in names:
            path = confined(folder, name)
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
        with contextlib.suppress(OSError):  # not empty: files presskit did not make stay
            folder.rmdir()
    return removed


def _published_briefs(project: Project, options: BuildOptions) -> frozenset[str]:
    """The events whose talent brief the folder's zip holds and its portal lists: those that
    publish it, in the published folder only."""
    if options.private:
        return frozenset()
    return frozenset(
        e.slug
        for e in project.events
        if e.slug not in options.hold
        and briefs_for(project.campaign, e.event, private=False, held=False)
    )


def _unbrief(project: Project, options: BuildOptions) -> list[Path]:
    """Remove every talent brief in `options.out` that does not belong there (any more): an
    event's brief once it is no longer published, a person's once they leave `talent:`, any
    brief of an event held back from this folder. The published folder keeps only the briefs
    of events that publish theirs, so no brief, and no name, is ever left there."""
    removed = []
    for event_file in project.events:
        folder = event_folder(options.out, event_file.slug)
        if not folder.is_dir() or folder.is_symlink():
            continue
        # Whether the event's kit belongs in this folder (evicted: it is built in the other).
        kit_here = event_file.slug not in options.evict
        briefs = briefs_for(
            project.campaign, event_file.event, private=options.private, held=kit_here
        )
        kept = {b.file for b in briefs} if kit_here or options.private else set()
        for path in sorted(folder.iterdir()):
            pdf = path.with_suffix(".pdf").name  # its --debug-html file too
            ours = is_brief_file(pdf) and path.suffix in (".pdf", ".html")
            if ours and pdf not in kept and path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
    return removed


def _unpublish(out: Path, slugs: list[str]) -> list[Path]:
    """Remove the web app files a build with `base_url` left in `out` (the manifest, icons,
    service worker and previews), now that it has none."""
    from presskit.pipeline.webapp import leftovers

    removed = []
    for path in leftovers(out, slugs):
        if path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(path)
    return removed


def _render(
    project: Project,
    options: BuildOptions,
    documents: list[Document],
    books: Bookkeeping,
    progress: Progress | None,
) -> tuple[list[File], list[str], list[str]]:
    """Render every PDF the cache does not vouch for; return every file to write (with
    --debug-html, also the HTML each PDF was made from), the names of the PDFs rendered, and
    what the PDFs left out (a question sheet's follow-ups and notes), whether cached or not."""
    paths = {d.name: confined(event_folder(options.out, d.event), d.output.name) for d in documents}
    pdfs = [d for d in documents if d.output.format == "pdf"]
    cached = {d.name: v for d in pdfs if (v := books.cached_variant(d)) is not None}
    stale = [d for d in pdfs if d.name not in cached]
    jobs = _jobs(stale, cached, project.root)
    workers = options.jobs if options.jobs is not None else default_jobs()
    setup = Setup(
        roots=(project.root, PACKAGE_DIR),
        allow_remote=project.campaign.allow_remote_assets,
        templates_of=project.root,
    )
    rendered: dict[str, Rendered] = {}
    for job, done in zip(jobs, render_all(jobs, setup, workers, progress), strict=True):
        rendered[job.name] = done
        if job.follower is not None:
            assert done.follower is not None, f"{job.follower.name} was not rendered"
            rendered[job.follower.name] = done.follower

    # Everything is rendered: from here on nothing can fail on the user's input.
    files: list[File] = []
    warnings: list[str] = []
    for document in documents:
        path, event = paths[document.name], document.event
        if document.output.format != "pdf":
            files.append(File(path, document.variants[0].encode("utf-8"), event))
            continue
        result = rendered.get(document.name)
        if result is not None:
            books.store(document, result)
        # None: the PDF the cache vouches for stays as it is on disk.
        files.append(File(path, result.data if result is not None else None, event))
        used = result.variant if result is not None else cached[document.name]
        if (warning := document.warning(used)) is not None:
            warnings.append(warning)
        if options.debug_html:
            html = document.variants[used].encode("utf-8")
            files.append(File(debug_html_path(path), html, event))
    return files, list(rendered), warnings


def _jobs(stale: list[Document], cached: dict[str, int], base_dir: Path) -> list[PdfJob]:
    """The render jobs for the `stale` PDFs. A document fitted by another (`Output.fit_by`: the
    print sheet by its pocket card) takes that document's variant: when both are stale it is
    the other's job's follower, rendered right after the card's own fit decides, so the card is
    not laid out a second time just to learn its fit (a tenth of a cold build); when the card is
    up to date, the variant its cache entry records."""
    names = {d.name for d in stale}

    def leader(d: Document) -> str | None:
        return f"{d.event}/{d.output.fit_by}" if d.output.fit_by else None

    def job(d: Document, **fields: Any) -> PdfJob:
        out = d.output
        return PdfJob(d.name, d.variants, base_dir, out.max_pages, out.too_long, **fields)

    followers = {name: d for d in stale if (name := leader(d)) in names}
    jobs = []
    for d in stale:
        name = leader(d)
        if name is None:
            follower = followers.get(d.name)
            jobs.append(job(d, follower=job(follower) if follower else None))
        elif name not in names:
            jobs.append(job(d, variant=cached[name]))
    return jobs


def _summary(
    files: list[File],
    written: list[Path],
    rendered: list[str],
    events: list[str],
    warnings: list[str],
) -> BuildResult:
    """What the build did, for the CLI's summary line: a kit counts as built when one of its
    files was written."""
    changed = set(written)
    built = sorted({f.kit for f in files if f.path in changed and f.kit is not None})
    return BuildResult(
        written=written,
        unchanged=[f.path for f in files if f.path not in changed],
        rendered=rendered,
        events=events,
        built_events=built,
        unchanged_events=[e for e in events if e not in built],
        warnings=warnings,
    )
