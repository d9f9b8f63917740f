"""The files made from the rendered kits: each event's zip, and the download portal.

This step runs after every document is rendered and before anything is written. It reads the
rendered bytes, and for files this build did not render (another `--event` or `--format`, or a
kit a cache kept) the file already in the output folder, so the zip holds every file of the
event and the portal lists every event's downloads with their real sizes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from presskit.pipeline.bundle import zip_bytes
from presskit.pipeline.documents import BRIEF, Output, listed
from presskit.pipeline.output import confined, event_folder, zip_name
from presskit.pipeline.portal import Download, render_portal
from presskit.pipeline.provenance import Provenance
from presskit.project.loading import Project

Files = list[tuple[Path, bytes]]
PORTAL = "index.html"


def make_downloads(
    project: Project,
    out: Path,
    outputs: Sequence[Output],
    *,
    events: Sequence[str],
    rendered: Mapping[Path, bytes],
    provenance: Provenance,
    include_drafts: bool = False,
    hidden: Collection[str] = (),
    portal: bool = True,
    briefs: Collection[str] = (),
) -> Files:
    """The zips of `events` and (with `portal`) the portal, as (path, bytes) still to be
    written; `provenance` is the build's, read once (it runs git). The portal lists public
    events only: neither `hidden` ones (held back) nor unlisted ones. With the campaign's
    `base_url`, the portal comes with the web app's files (`webapp.py`), which keep the
    portal's events for offline use. The talent brief is in an event's zip and on the portal
    only for the events in `briefs` (those that publish it); it is private otherwise."""
    made: dict[Path, bytes] = {}

    def event_outputs(slug: str) -> list[Output]:
        return [*outputs, BRIEF] if slug in briefs else list(outputs)

    def current(path: Path) -> bytes | None:
        if path in made:
            return made[path]
        if path in rendered:
            return rendered[path]
        return path.read_bytes() if path.is_file() else None

    for slug in events:
        folder = event_folder(out, slug)
        members = [
            (o.name, data)
            for o in event_outputs(slug)
            if (data := current(confined(folder, o.name))) is not None
        ]
        made[confined(folder, zip_name(slug))] = zip_bytes(slug, members)

    if not portal:
        return list(made.items())
    files: dict[str, list[Download]] = {}
    for event_file in project.events:
        slug = event_file.slug
        if slug in hidden or not listed(event_file.event):
            continue
        folder = event_folder(out, slug)
        found = []
        for name, label, kind in [
            *((o.name, o.label, o.format) for o in event_outputs(slug)),
            (zip_name(slug), "zip", "zip"),
        ]:
            data = current(confined(folder, name))
            if data is not None:
                found.append(
                    Download(
                        href=f"{slug}/{name}",
                        label=label,
                        format=kind.upper(),
                        size=len(data),
                        page=kind == "html",
                    )
                )
        files[slug] = found
    page = render_portal(
        project, files, provenance=provenance, include_drafts=include_drafts, hidden=hidden
    )
    made[confined(out, PORTAL)] = page.encode("utf-8")
    if project.campaign.base_url is not None:  # published: an installable, offline web app
        from presskit.pipeline.webapp import site_files

        made.update(site_files(project, out, current, listed=list(files), built=events))
    return list(made.items())
