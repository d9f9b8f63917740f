"""The download portal, `output/index.html`: every event's materials and a question finder.

The page is plain HTML that lists everything, so it works from the file system and with
scripts off; its small inline script filters the finder and copies or shares an event's
questions (`questions_text`). Each finder entry links to the question's anchor in the
one-pagers that carry it. Events are split at the build's date (`build_date`, never the clock
directly): upcoming ones first, soonest first, then past ones, most recent first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from presskit import __version__
from presskit.errors import ValidationFailed
from presskit.kits.branding import brand
from presskit.kits.eligibility import kit_status
from presskit.kits.i18n import direction, format_date, labels
from presskit.kits.select import Cache, select
from presskit.kits.translate import keeps_outdated, kit_language
from presskit.pipeline.documents import listed
from presskit.pipeline.plan import kit_themes
from presskit.pipeline.provenance import Provenance, build_clock
from presskit.pipeline.webapp import portal_head
from presskit.project.loading import Project
from presskit.render.context import (
    EventLink,
    PortalContext,
    PortalEvent,
    PortalFile,
    PortalQuestion,
    PortalTheme,
    ProvenanceContext,
    ThemeContext,
)
from presskit.render.fonts import with_page_fonts
from presskit.render.qr import portal_url, qr_data_uri
from presskit.render.templating import make_environment, render, render_page

TEMPLATE = "portal.html.j2"


@dataclass(frozen=True)
class Download:
    """One file of an event, as the portal lists it; `page` marks the one-pager."""

    href: str
    label: str
    format: str
    size: int
    page: bool = False


def format_size(size: int, language: str) -> str:
    """A file size for people: "980 bytes", "34 kB", "1.2 MB" (decimal units)."""
    from babel.numbers import format_decimal

    if size < 1000:
        return f"{size} B"
    value, unit = (size / 1e3, "kB") if size < 999_500 else (size / 1e6, "MB")
    shown = format_decimal(
        round(value, 1) if value < 10 else round(value), locale=language.replace("-", "_")
    )
    return f"{shown} {unit}"


def questions_text(name: str, date: str, venue: str, themes: Sequence[ThemeContext]) -> str:
    """An event's questions as plain text, for "copy all" and the share sheet: the event's
    name, date and venue, a blank line, then each question numbered as in the kit with its
    follow-ups indented below it."""
    lines = [name, date, venue, ""]
    for theme in themes:
        for q in theme.questions:
            lines.append(f"{q.number}. {q.text}")
            lines += [f"   - {f}" for f in q.follow_ups]
    return "\n".join(lines)


def split_by_date(
    events: Sequence[PortalEvent],
) -> tuple[tuple[PortalEvent, ...], tuple[PortalEvent, ...]]:
    """Upcoming events, soonest first, and past ones, most recent first; events on the same
    day keep their order (by slug)."""
    upcoming = sorted((e for e in events if e.upcoming), key=lambda e: e.date_iso)
    past = sorted((e for e in events if not e.upcoming), key=lambda e: e.date_iso, reverse=True)
    return tuple(upcoming), tuple(past)


def build_date(provenance: Provenance) -> dt.date:
    """The day the portal counts from: the build's date (`SOURCE_DATE_EPOCH`, else the banks'
    commit date), as its "built on" line says; outside git without either, the build clock."""
    return provenance.date or build_clock().date()


def portal_context(
    project: Project,
    files: Mapping[str, Sequence[Download]],
    *,
    provenance: Provenance,
    include_drafts: bool = False,
    hidden: Collection[str] = (),
) -> PortalContext:
    """Everything portal.html.j2 may use (see `PortalContext` and docs/template-context.md);
    public events only, and none of `hidden` (held back from publication)."""
    campaign = project.campaign
    language = campaign.language
    where: dict[str, list[EventLink]] = {}
    events = []
    today = build_date(provenance)  # an event on this day is still to come
    drawn: Cache = {}  # shared, so fresh_after draws each earlier event once, not once per event
    for event_file in sorted(project.events, key=lambda e: (e.event.date, e.slug)):
        event, slug = event_file.event, event_file.slug
        if slug in hidden or not listed(event):  # held back or unlisted: named nowhere here
            continue
        found = files.get(slug, [])
        page = next((d.href for d in found if d.page), None)
        text = ""
        if page:
            try:
                selection = select(project, event_file, include_drafts=include_drafts, cache=drawn)
            except ValidationFailed:
                selection = None
            for qid in selection.question_ids if selection else []:
                where.setdefault(qid, []).append(EventLink(name=event.name, href=f"{page}#q-{qid}"))
            if selection:
                kit = kit_language(campaign, event)
                text = questions_text(
                    event.name,
                    format_date(event.date, kit),
                    ", ".join(filter(None, (event.venue, event.city))),
                    kit_themes(selection, kit, language, keeps_outdated(campaign)),
                )
        events.append(
            PortalEvent(
                slug=slug,
                name=event.name,
                date=format_date(event.date, language),
                date_iso=event.date.isoformat(),
                venue=event.venue,
                city=event.city,
                sample=event.sample,
                description=event.description,
                onepager=page,
                files=tuple(
                    PortalFile(
                        href=d.href,
                        label=d.label,
                        format=d.format,
                        size=format_size(d.size, language),
                        page=d.page,
                    )
                    for d in found
                ),
                upcoming=event.date >= today,
                questions_text=text,
            )
        )
    upcoming, past = split_by_date(events)
    themes: list[PortalTheme] = []
    tags: set[str] = set()
    for bank_file in project.banks:
        questions = [q for q in bank_file.bank.questions if kit_status(q) == "approved"]
        if not questions:
            continue
        themes.append(
            PortalTheme(
                slug=bank_file.slug,
                title=bank_file.bank.theme,
                description=bank_file.bank.description,
                questions=tuple(
                    PortalQuestion(
                        id=q.id,
                        text=q.text,
                        follow_ups=tuple(q.follow_ups),
                        tags=tuple(q.tags),
                        events=tuple(where.get(q.id, [])),
                    )
                    for q in questions
                ),
            )
        )
        tags.update(tag for q in questions for tag in q.tags)
    return PortalContext(
        campaign=campaign,
        author=campaign.author or campaign.name,
        lang=language,
        dir=direction(language),
        labels=labels(language, project.label_catalogues),
        events=tuple(events),
        upcoming=upcoming,
        past=past,
        themes=tuple(themes),
        tags=tuple(sorted(tags)),
        question_count=sum(len(t.questions) for t in themes),
        provenance=ProvenanceContext(
            **provenance.as_context(language, campaign.provenance, project.label_catalogues)
        ),
        generator=f"presskit {__version__}",
        branding=brand(project.root, campaign.branding),
        portal_url=portal_url(campaign.base_url) if campaign.base_url else None,
        qr_code=qr_data_uri(portal_url(campaign.base_url)) if campaign.base_url else None,
        draft=include_drafts,
        webapp=portal_head(campaign, project.label_catalogues),
    )


def render_portal(
    project: Project,
    files: Mapping[str, Sequence[Download]],
    *,
    provenance: Provenance,
    include_drafts: bool = False,
    hidden: Collection[str] = (),
) -> str:
    env = make_environment(project.root)
    context = portal_context(
        project, files, provenance=provenance, include_drafts=include_drafts, hidden=hidden
    )
    allow_remote = project.campaign.allow_remote_assets
    return with_page_fonts(
        lambda: render(env, TEMPLATE, replace(context, typeface=())),
        lambda faces: render_page(
            env, TEMPLATE, replace(context, typeface=faces), allow_remote=allow_remote
        ),
    )
