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

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from presskit import __version__
from presskit.branding import Brand, brand, merged
from presskit.errors import PresskitError, UsageError
from presskit.i18n import direction, format_date, labels
from presskit.loading import Project
from presskit.lock import DEFAULT_TIMEOUT, output_lock
from presskit.markup import render_markdown
from presskit.models import Branding
from presskit.output import confined, event_folder, remove_stale_temp_files, write_if_changed
from presskit.pocketcard import card_context
from presskit.provenance import Provenance, project_provenance
from presskit.qr import onepager_url, qr_data_uri
from presskit.rendering import PdfJob, Progress, Setup, default_jobs, render_all
from presskit.select import Selection, select_all
from presskit.signatories import in_kits
from presskit.templating import make_environment, render
from presskit.translate import kit_language, localize_question, localize_tagline, localize_theme

if TYPE_CHECKING:
    from presskit.downloads import Files

Format = Literal["pdf", "html"]
ALL_FORMATS: frozenset[Format] = frozenset({"pdf", "html"})
PACKAGE_DIR = Path(__file__).parent
# Question-sheet layouts from roomiest to densest; the first that fits one page wins.
SHEET_DENSITIES = ("normal", "compact", "tight")


@dataclass(frozen=True)
class Output:
    """One file every event gets; `label` names it in download lists (a key of `labels`)."""

    name: str
    template: str
    format: Format
    label: str
    max_pages: int | None = None
    too_long: str = "lower the event's select.count"


OUTPUTS = (
    Output("press-kit.pdf", "press-kit.html.j2", "pdf", "press_kit"),
    Output("questions.pdf", "questions.html.j2", "pdf", "question_sheet", max_pages=1),
    Output("pocket-card.pdf", "pocket-card.html.j2", "pdf", "pocket_card", max_pages=2,
           too_long="lower pocket_card.questions in presskit.yaml or choose a larger size"),
    Output("index.html", "onepager.html.j2", "html", "onepager"),
)


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    events: tuple[str, ...] = ()
    formats: frozenset[Format] = ALL_FORMATS
    include_drafts: bool = False
    lock_timeout: float = DEFAULT_TIMEOUT  # seconds to wait for another build of this output
    force: bool = False  # render every PDF, whatever the cache says
    jobs: int | None = None  # worker processes for PDFs; None: one per core
    debug_html: bool = False  # write the HTML each PDF was rendered from beside it


@dataclass(frozen=True)
class Document:
    """A file to produce: its place, and the HTML it is made from (densest variant last)."""

    event: str
    output: Output
    variants: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.event}/{self.output.name}"


@dataclass
class BuildResult:
    """What a build did; the CLI turns it into the summary line."""

    written: list[Path] = field(default_factory=list)  # files whose bytes changed
    unchanged: list[Path] = field(default_factory=list)  # files already up to date
    rendered: list[str] = field(default_factory=list)  # PDFs rendered (not from the cache)
    events: list[str] = field(default_factory=list)
    built_events: list[str] = field(default_factory=list)  # kits with a file written
    unchanged_events: list[str] = field(default_factory=list)  # kits left as they were


def _lang(text_language: str, kit: str) -> dict[str, str] | None:
    """`lang`/`dir` for text whose language differs from the kit's (a translation fallback)."""
    if text_language in (kit, kit.split("-", maxsplit=1)[0]):
        return None
    return {"lang": text_language, "dir": direction(text_language)}


@cache
def _brand(root: Path, branding_json: str) -> Brand:
    # Inlining logos and fonts reads and encodes files: once per branding, not per document.
    return brand(root, Branding.model_validate(json.loads(branding_json)))


def _localized_card(card: dict[str, Any], themes: list[dict[str, Any]]) -> dict[str, Any]:
    """The pocket card's questions and theme names in the kit's language, as the kit shows them."""
    shown = {q["id"]: (q["text"], t["title"]) for t in themes for q in t["questions"]}
    for side in ("front", "back"):
        card[side] = [{**q, "text": shown[q["id"]][0], "theme": shown[q["id"]][1]}
                      for q in card[side]]
    return card


def kit_context(project: Project, selection: Selection, *, density: str = "normal",
                provenance: Provenance | None = None,
                formats: frozenset[Format] = ALL_FORMATS) -> dict[str, Any]:
    """Everything a kit template may use; documented in the README."""
    campaign = project.campaign
    event = selection.event.event
    source = campaign.language
    language = kit_language(campaign, event)
    slug = selection.event.slug
    url = onepager_url(campaign.base_url, slug) if campaign.base_url else None
    downloads = [{"href": o.name, "label": o.label, "format": o.format.upper()}
                 for o in OUTPUTS if o.format == "pdf" and o.format in formats]
    number = 0
    themes = []
    for theme in selection.themes:
        questions = []
        for pick in theme.picks:
            number += 1
            q = pick.question
            local = localize_question(q, language, source)
            questions.append({"number": number, "id": q.id, "text": local.text,
                              "follow_ups": local.follow_ups, "notes": local.notes,
                              "tags": q.tags, "tone": q.tone, "status": q.status,
                              "lang": _lang(local.lang, language),
                              "follow_ups_lang": _lang(local.follow_ups_lang, language),
                              "notes_lang": _lang(local.notes_lang, language)})
        local_theme = localize_theme(theme.bank.bank, language, source)
        themes.append({"slug": theme.bank.slug, "title": local_theme.title,
                       "description": local_theme.description,
                       "lang": _lang(local_theme.lang, language),
                       "description_lang": _lang(local_theme.description_lang, language),
                       "questions": questions})
    signatories = project.signatories
    branding = merged(campaign.branding, event.branding)
    return {
        "campaign": campaign,
        "author": campaign.author or campaign.name,
        "tagline": localize_tagline(campaign, language),
        # In right-to-left text a leading '#' would jump to the end: isolate it (U+2066..2069).
        "hashtag": (f"\u2066{campaign.hashtag}\u2069" if direction(language) == "rtl"
                    else campaign.hashtag),
        "event": event,
        "event_slug": selection.event.slug,
        "event_date": format_date(event.date, language),
        "lang": language,
        "dir": direction(language),
        "labels": labels(language),
        "letter_html": render_markdown(project.letter_markdown, heading_offset=1),
        "campaign_lang": _lang(source, language),
        "signatories": [s.name for s in in_kits(signatories)],
        "signatories_source": signatories.source,
        "signatories_as_of": (format_date(signatories.as_of, language)
                              if signatories.as_of else None),
        "themes": themes,
        "question_count": number,
        "question_ids": selection.question_ids,
        "contacts": event.contacts if event.contacts is not None else campaign.contacts,
        "contacts_lang": None if event.contacts is not None else _lang(source, language),
        "branding": _brand(project.root, branding.model_dump_json()),
        "density": density,
        "generator": f"presskit {__version__}",
        "provenance": (provenance or Provenance(None, None)).as_context(language),
        "onepager_url": url,
        "qr_code": qr_data_uri(url) if url else None,
        "card": _localized_card(card_context(selection, campaign.pocket_card.questions,
                                             campaign.pocket_card.size), themes),
        "downloads": downloads,
    }


def plan(project: Project, options: BuildOptions) -> list[Document]:
    """Select and render every document's HTML; raises before anything is written."""
    known = [e.slug for e in project.events]
    unknown = [slug for slug in options.events if slug not in known]
    if unknown:
        raise UsageError(f"no event named {', '.join(map(repr, unknown))}; "
                         f"known events: {', '.join(known) or 'none'}")
    if not project.events:
        raise PresskitError(f"no events to build: add a file to "
                            f"{project.display}/{project.campaign.events}/")
    selections = select_all(project, include_drafts=options.include_drafts, only=options.events)
    env = make_environment(project.root)
    provenance = project_provenance(project)
    documents = []
    for selection in selections:
        for output in OUTPUTS:
            if output.format not in options.formats:
                continue
            densities = SHEET_DENSITIES if output.max_pages else ("normal",)
            variants = tuple(render(env, output.template,
                                    kit_context(project, selection, density=d,
                                                provenance=provenance, formats=options.formats))
                             for d in densities)
            documents.append(Document(selection.event.slug, output, variants))
    return documents


def debug_html_path(pdf: Path) -> Path:
    """Where `--debug-html` puts the HTML a PDF was rendered from: press-kit.pdf -> .html."""
    return pdf.with_suffix(".html")


def build(project: Project, options: BuildOptions,
          progress: Progress | None = None) -> BuildResult:
    """Build the kits of every selected event into `options.out`.

    Order matters for the no-half-written-output promise: plan all HTML, render every stale PDF,
    and only then write, so any failure leaves the output folder untouched.
    """
    from presskit.cache import BuildCache, pdf_key, weasyprint_version
    from presskit.pdf import PDF_VARIANT

    documents = plan(project, options)
    cache = BuildCache.load(options.out)
    paths = [confined(event_folder(options.out, d.event), d.output.name) for d in documents]
    names = [path.relative_to(options.out).as_posix() for path in paths]
    renderer_version = weasyprint_version() if any(
        d.output.format == "pdf" for d in documents) else ""

    keys: dict[int, str] = {}
    variant_used: dict[int, int] = {}
    stale: list[int] = []
    for index, document in enumerate(documents):
        if document.output.format != "pdf":
            continue
        keys[index] = pdf_key(document.variants, base_dir=project.root,
                              max_pages=document.output.max_pages, pdf_variant=PDF_VARIANT,
                              renderer_version=renderer_version)
        entry = None if options.force else cache.lookup(names[index], keys[index])
        if entry is None or entry.variant >= len(document.variants):
            stale.append(index)
        else:
            variant_used[index] = entry.variant

    jobs = [PdfJob(names[i], documents[i].variants, project.root, documents[i].output.max_pages,
                   documents[i].output.too_long) for i in stale]
    workers = options.jobs if options.jobs is not None else default_jobs()
    setup = Setup(roots=(project.root, PACKAGE_DIR),
                  allow_remote=project.campaign.allow_remote_assets, templates_of=project.root)
    rendered = dict(zip(stale, render_all(jobs, setup, workers, progress), strict=True))

    # Everything is rendered: from here on nothing can fail on the user's input.
    outcome = BuildResult(events=sorted({d.event for d in documents}))

    # Bytes known now; PDFs the cache vouches for stay as they are on disk (None).
    files: list[tuple[Path, bytes | None, str | None]] = []
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
    with output_lock(options.out, options.lock_timeout):
        remove_stale_temp_files(options.out)
        # Each event's zip and the portal, from these bytes or the files already in the output
        # folder (which is why they are made under the lock too).
        known = {path: data for path, data, _ in files if data is not None}
        for target, content in downloads(project, options, outcome.events, known):
            kit = target.parent.name if target.parent != options.out else None  # None: the portal
            files.append((target, content, kit))
        changed_events = _write(files, outcome)
        if keys:
            cache.save()
    outcome.built_events = sorted(changed_events)
    outcome.unchanged_events = [e for e in outcome.events if e not in changed_events]
    return outcome


def _write(files: list[tuple[Path, bytes | None, str | None]], outcome: BuildResult) -> set[str]:
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


def downloads(project: Project, options: BuildOptions, events: list[str],
              rendered: dict[Path, bytes]) -> Files:
    """The zip of each event in `events`, and the portal: made from the rendered files, or, for
    files this build did not render, from the ones already in the output folder."""
    from presskit.downloads import make_downloads

    return make_downloads(project, options.out, OUTPUTS, events=events, rendered=rendered,
                          include_drafts=options.include_drafts)
