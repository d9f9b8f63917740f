"""What goes into each kit: the template context, and every document's HTML.

Planning is the expensive part of a build that is not PDF rendering (Jinja, Markdown, QR codes
and localisation, for every event and every density of every sheet), which is why it lives
apart from `build`: a build that its stamp shows to be a no-op never imports or runs it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path

from jinja2 import Environment

from presskit import __version__
from presskit.errors import PresskitError, UsageError, ValidationFailed
from presskit.kits.branding import Brand, brand, merged
from presskit.kits.eligibility import kit_status
from presskit.kits.i18n import (
    catalogue_problems,
    direction,
    format_date,
    format_datetime,
    labels,
)
from presskit.kits.paper import event_paper
from presskit.kits.pocketcard import CardContext, CardQuestion, card_context
from presskit.kits.select import Selection, select_all
from presskit.kits.signatories import in_kits
from presskit.kits.talent import Brief, briefs_for, role_first, role_tags
from presskit.kits.translate import (
    keeps_outdated,
    kit_language,
    localize_question,
    localize_tagline,
    localize_theme,
)
from presskit.pipeline.documents import (
    ALL_FORMATS,
    BRIEF,
    OUTPUTS,
    SHEET_DENSITIES,
    SHEET_KEEPS,
    BuildOptions,
    Document,
    Format,
    LeftOut,
    Output,
)
from presskit.pipeline.provenance import Provenance, project_provenance
from presskit.pipeline.webapp import onepager_head
from presskit.project.loading import Project
from presskit.project.models import Branding
from presskit.render.context import (
    BriefContext,
    DownloadLink,
    KitContext,
    LangMark,
    ProvenanceContext,
    QuestionContext,
    ThemeContext,
)
from presskit.render.fonts import with_page_fonts
from presskit.render.markup import render_markdown
from presskit.render.qr import onepager_url, qr_data_uri
from presskit.render.templating import make_environment, render, render_page


def _lang(text_language: str, kit: str) -> LangMark | None:
    """`lang`/`dir` for text whose language differs from the kit's (a translation fallback)."""
    if text_language in (kit, kit.split("-", maxsplit=1)[0]):
        return None
    return LangMark(lang=text_language, dir=direction(text_language))


@cache
def _brand(root: Path, branding_json: str) -> Brand:
    # Inlining logos and fonts reads and encodes files: once per branding, not per document.
    return brand(root, Branding.model_validate(json.loads(branding_json)))


def _localized_card(card: CardContext, themes: tuple[ThemeContext, ...]) -> CardContext:
    """The pocket card's questions and theme names in the kit's language, as the kit shows them."""
    shown = {q.id: (q, t.title) for t in themes for q in t.questions}

    def local(side: tuple[CardQuestion, ...]) -> tuple[CardQuestion, ...]:
        cards = []
        for card_question in side:
            question, theme = shown[card_question.id]
            lang, dir_ = (question.lang.lang, question.lang.dir) if question.lang else (None, None)
            cards.append(
                replace(card_question, text=question.text, theme=theme, lang=lang, dir=dir_)
            )
        return tuple(cards)

    return replace(card, front=local(card.front), back=local(card.back))


def kit_themes(
    selection: Selection, language: str, source: str, keep_outdated: bool = False
) -> tuple[ThemeContext, ...]:
    """The kit's themes and questions in its language, numbered as the selection numbers them;
    outdated translations set aside for the English unless `keep_outdated` (kits.translate)."""
    numbers = selection.numbers
    themes = []
    for theme in selection.themes:
        questions = []
        for pick in theme.picks:
            q = pick.question
            local = localize_question(q, language, source, keep_outdated)
            questions.append(
                QuestionContext(
                    number=numbers[q.id],
                    id=q.id,
                    text=local.text,
                    follow_ups=tuple(local.follow_ups),
                    notes=local.notes,
                    tags=tuple(q.tags),
                    tone=q.tone,
                    status=kit_status(q),  # reworded since approval: marked as a draft
                    lang=_lang(local.lang, language),
                    follow_ups_lang=_lang(local.follow_ups_lang, language),
                    notes_lang=_lang(local.notes_lang, language),
                    translation_pending=local.pending,
                    prep=local.prep,
                    prep_lang=_lang(local.prep_lang, language),
                )
            )
        local_theme = localize_theme(theme.bank.bank, language, source, keep_outdated)
        themes.append(
            ThemeContext(
                slug=theme.bank.slug,
                title=local_theme.title,
                description=local_theme.description,
                lang=_lang(local_theme.lang, language),
                description_lang=_lang(local_theme.description_lang, language),
                questions=tuple(questions),
            )
        )
    return tuple(themes)


def kit_context(
    project: Project,
    selection: Selection,
    *,
    density: str = "normal",
    provenance: Provenance | None = None,
    formats: frozenset[Format] = ALL_FORMATS,
    draft: bool = False,
    webapp: bool = False,
    brief: Brief | None = None,
    private: bool = True,
) -> KitContext:
    """Everything a kit template may use (see `KitContext` and docs/template-context.md);
    `webapp`: the page is published (the one-pager of a public build), so with `base_url` it
    gets the web app's manifest, service worker and link preview; `brief`: the talent brief
    (`private`: for the publicist's office) with its own values, which no other document has."""
    campaign = project.campaign
    event = selection.event.event
    source = campaign.language
    language = kit_language(campaign, event)
    url = onepager_url(campaign.base_url, selection.event.slug) if campaign.base_url else None
    themes = kit_themes(selection, language, source, keeps_outdated(campaign))
    signatories = project.signatories
    branding = merged(campaign.branding, event.branding)
    if branding.embargo is None and event.embargo_until is not None:
        # The printed line follows from the moment, in the kit's language and the event's zone.
        when = format_datetime(event.embargo_until, language)
        line = labels(language, project.label_catalogues)["embargoed_until"].format(when=when)
        branding = branding.model_copy(update={"embargo": line})
    return KitContext(
        campaign=campaign,
        author=campaign.author or campaign.name,
        tagline=localize_tagline(campaign, language),
        # In right-to-left text a leading '#' would jump to the end: isolate it (U+2066..2069).
        hashtag=(
            f"\u2066{campaign.hashtag}\u2069" if direction(language) == "rtl" else campaign.hashtag
        ),
        event=event,
        event_slug=selection.event.slug,
        event_date=format_date(event.date, language),
        lang=language,
        dir=direction(language),
        labels=labels(language, project.label_catalogues),
        letter_html=render_markdown(project.letter_markdown, heading_offset=1),
        campaign_lang=_lang(source, language),
        signatories=tuple(s.name for s in in_kits(signatories)),
        signatories_source=signatories.source,
        signatories_as_of=(format_date(signatories.as_of, language) if signatories.as_of else None),
        themes=themes,
        question_count=sum(len(t.questions) for t in themes),
        question_ids=tuple(selection.question_ids),
        contacts=tuple(event.contacts if event.contacts is not None else campaign.contacts),
        contacts_lang=None if event.contacts is not None else _lang(source, language),
        branding=_brand(project.root, branding.model_dump_json()),
        paper=event_paper(campaign, event),
        density=density,
        generator=f"presskit {__version__}",
        provenance=ProvenanceContext(
            **(provenance or Provenance(None, None)).as_context(
                language, campaign.provenance, project.label_catalogues
            )
        ),
        onepager_url=url,
        qr_code=qr_data_uri(url) if url else None,
        card=_localized_card(
            card_context(
                selection,
                campaign.pocket_card.questions,
                campaign.pocket_card.size,
                paper=event_paper(campaign, event),
                print_sheet=campaign.pocket_card.print_sheet,
            ),
            themes,
        ),
        downloads=tuple(
            DownloadLink(href=o.name, label=o.label, format=o.format.upper())
            for o in OUTPUTS
            if o.format == "pdf" and o.format in formats
        ),
        draft=draft,
        webapp=onepager_head(campaign, selection.event, project.label_catalogues)
        if webapp
        else None,
        brief=(
            _brief_context(project, selection, themes, brief, private=private)
            if brief is not None
            else None
        ),
    )


def _brief_context(
    project: Project,
    selection: Selection,
    themes: tuple[ThemeContext, ...],
    brief: Brief,
    *,
    private: bool,
) -> BriefContext:
    """The talent brief's values: for a person with a role, the questions whose tags
    `role_tags` gives the role first (each theme's in kit order), then the others; numbers
    stay the kit's."""
    event = selection.event.event
    person = brief.person
    role = person.role if person is not None else None
    tags = role_tags(project.campaign, event).get(role, []) if role is not None else []
    first_ids = role_first((p.question for t in selection.themes for p in t.picks), tags)

    def part(first: bool) -> tuple[ThemeContext, ...]:
        kept = []
        for theme in themes:
            questions = tuple(q for q in theme.questions if (q.id in first_ids) == first)
            if questions:
                kept.append(replace(theme, questions=questions))
        return tuple(kept)

    return BriefContext(
        person=person.name if person is not None else None,
        role=role,
        first=part(True),
        rest=part(False),
        letter_html=render_markdown(project.letter_markdown, heading_offset=2),
        kind=labels(kit_language(project.campaign, event), project.label_catalogues)[
            f"kind_{event.kind}"
        ],
        sign_url=project.campaign.sign_url,
        private=private,
    )


def plan(
    project: Project, options: BuildOptions, provenance: Provenance | None = None
) -> list[Document]:
    """Select and render every document's HTML; raises before anything is written."""
    known = [e.slug for e in project.events]
    unknown = [slug for slug in options.events if slug not in known]
    if unknown:
        raise UsageError(
            f"no event named {', '.join(map(repr, unknown))}; "
            f"known events: {', '.join(known) or 'none'}"
        )
    if not project.events:
        raise PresskitError(
            f"no events to build: add a file to {project.display}/{project.campaign.events}/"
        )
    if problems := catalogue_problems(project.label_files):
        raise ValidationFailed(problems)
    selections = select_all(project, include_drafts=options.include_drafts, only=options.events)
    env = make_environment(project.root)
    allow_remote = project.campaign.allow_remote_assets

    def render_html(env: Environment, template: str, context: KitContext) -> str:
        # checked for remote loads, given its Content-Security-Policy, and the default typeface
        # inlined as subsets of the characters the page holds
        return with_page_fonts(
            lambda: render(env, template, replace(context, typeface=())),
            lambda faces: render_page(
                env, template, replace(context, typeface=faces), allow_remote=allow_remote
            ),
        )

    if provenance is None:
        provenance = project_provenance(project)
    wanted = set(options.outputs)
    wanted |= {o.fit_by for o in OUTPUTS if o.name in wanted and o.fit_by}
    documents = []
    for selection in selections:
        slug = selection.event.slug
        held = slug in options.hold  # held back: built elsewhere, or not at all
        if held and slug not in options.briefs:
            continue
        made: dict[str, Document] = {}
        # One context per event (and one more for its published page): the documents and their
        # layouts differ only in `density`, and a context is a few milliseconds of selection,
        # Markdown, collation and QR code (about 10 per event before).
        base: dict[bool, KitContext] = {}
        for listed in () if held else OUTPUTS:
            if listed.format not in options.formats or (wanted and listed.name not in wanted):
                continue
            webapp = listed.format == "html" and not options.private
            if webapp not in base:
                base[webapp] = kit_context(
                    project,
                    selection,
                    provenance=provenance,
                    formats=options.formats if options.linked is None else options.linked,
                    draft=options.include_drafts,
                    webapp=webapp,
                )
            contexts = [replace(base[webapp], density=d) for d in _densities(listed, project)]
            output = _sheet_output(listed, project, contexts[0].themes) if listed.sheet else listed
            renderer = render_html if output.format == "html" else render
            variants = tuple(renderer(env, output.template, c) for c in contexts)
            left_out = (
                tuple(_left_out(c.themes, c.density) for c in contexts) if output.sheet else ()
            )
            probes = made[output.fit_by].variants if output.fit_by else ()
            made[output.name] = Document(selection.event.slug, output, variants, left_out, probes)
            documents.append(made[output.name])
        if "pdf" in options.formats and (
            not wanted or any(name.startswith("talent-brief") for name in wanted)
        ):
            documents += _briefs(project, options, selection, provenance, env)
    return documents


def _briefs(
    project: Project,
    options: BuildOptions,
    selection: Selection,
    provenance: Provenance,
    env: Environment,
) -> list[Document]:
    """The talent briefs this build's output folder gets for the event (kits/talent.py)."""
    event = selection.event
    briefs = briefs_for(
        project.campaign,
        event.event,
        private=options.private,
        held=options.private and event.slug not in options.hold,
    )
    return [
        Document(
            event.slug,
            replace(BRIEF, name=brief.file),
            (
                render(
                    env,
                    BRIEF.template,
                    kit_context(
                        project,
                        selection,
                        provenance=provenance,
                        formats=options.formats,
                        draft=options.include_drafts,
                        brief=brief,
                        private=options.private,
                    ),
                ),
            ),
        )
        for brief in briefs
    ]


def _densities(output: Output, project: Project) -> tuple[str, ...]:
    """The layouts a document is rendered in, roomiest first: the question sheet drops only
    when `question_sheet.overflow` is drop."""
    if not output.max_pages:
        return ("normal",)
    if output.sheet and project.campaign.question_sheet.overflow != "drop":
        return ("normal",)
    return SHEET_DENSITIES


def _left_out(themes: tuple[ThemeContext, ...], density: str) -> LeftOut:
    """The follow-ups and notes the question sheet leaves out in `density` (SHEET_KEEPS)."""
    kept = SHEET_KEEPS.get(density, ("follow_ups", "notes"))
    questions = [q for t in themes for q in t.questions]
    return LeftOut(
        follow_ups=0 if "follow_ups" in kept else sum(len(q.follow_ups) for q in questions),
        notes=0 if "notes" in kept else sum(1 for q in questions if q.notes),
    )


def _sheet_output(output: Output, project: Project, themes: tuple[ThemeContext, ...]) -> Output:
    """The question sheet as `question_sheet.overflow` asks: more pages allowed (pages), or an
    error that says what dropping would have lost (fail)."""
    overflow = project.campaign.question_sheet.overflow
    if overflow == "pages":  # as many as it takes: a second page, a third for long notes
        return replace(output, max_pages=None)
    if overflow == "fail":
        would = _left_out(themes, SHEET_DENSITIES[-1])
        lose = f"fitting it would leave out up to {would}; " if would else ""
        return replace(
            output,
            too_long=f"{lose}lower the event's select.count, or set question_sheet.overflow "
            "to drop or pages in presskit.yaml (it is fail)",
        )
    return output
