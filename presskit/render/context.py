"""What every template receives, as typed classes: one place to read, and to check with mypy.

Kit templates (press kit, question sheet, one-pager, pocket card) receive the fields of
`KitContext` as names; the portal receives those of `PortalContext`. The pipeline fills them;
templates read them with `x.y` (or `x["y"]`, which Jinja answers with the attribute). Every
field carries a docstring, because `docs/template-context.md` is generated from them:

    python -m presskit.render.context > docs/template-context.md
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import inspect
import sys
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel

from presskit.kits.branding import Brand
from presskit.kits.i18n import DEFAULT_LANGUAGE, labels
from presskit.kits.pocketcard import CardContext
from presskit.project.models import Campaign, Contact, Event
from presskit.render.fonts import FontSource


@dataclass(frozen=True)
class LangMark:
    """Text in another language than the page's (a translation fell back to the original).

    Templates pass it to the `lang_attrs` macro, which writes ` lang=".." dir=".."`; where the
    text is in the page's language the field holds none instead.
    """

    lang: str
    """The text's language code."""
    dir: str
    """Its direction: `ltr` or `rtl`."""


@dataclass(frozen=True)
class ProvenanceContext:
    """The template variable `provenance`: when the kit was built, from which banks' version."""

    line: str | None
    """The version line as the campaign's `provenance` setting words it ("Version of January
    15, 2027 · ref 0123456"); none when the setting is `off`."""
    date: str | None
    """The build date written out in the page's language; none when unknown."""
    date_iso: str | None
    """The build date as `YYYY-MM-DD`; none when unknown."""
    commit: str | None
    """The banks' git commit (12 hex digits); none outside git."""
    modified: bool
    """Whether the project's files had uncommitted changes at build time."""


@dataclass(frozen=True)
class QuestionContext:
    """One question of a kit, in the kit's language, numbered in kit order."""

    number: int
    """Its number in the kit, from 1, running across themes."""
    id: str
    """The question's id, also its anchor (`q-<id>`)."""
    text: str
    """The question, translated when a translation exists."""
    follow_ups: tuple[str, ...]
    """Questions to ask after the answer."""
    notes: str | None
    """Context for the reporter, not read out; none when the question has none."""
    tags: tuple[str, ...]
    """The question's tags."""
    tone: str | None
    """The question's tone, if it sets one."""
    status: str
    """`approved` (or `draft` in a build with drafts)."""
    lang: LangMark | None
    """Set when `text` fell back to the original language."""
    follow_ups_lang: LangMark | None
    """Set when `follow_ups` fell back to the original language."""
    notes_lang: LangMark | None
    """Set when `notes` fell back to the original language."""
    translation_pending: bool = False
    """The kit's language has a translation, but made from an earlier wording: `text`,
    `follow_ups` and `notes` are the original's, and the kit says so
    (`labels.translation_pending`)."""
    prep: str | None = None
    """Preparation for the person who may be asked (the bank's `prep`), which only the talent
    brief prints; none when the question has none."""
    prep_lang: LangMark | None = None
    """Set when `prep` fell back to the original language."""


@dataclass(frozen=True)
class ThemeContext:
    """One theme (question bank) of a kit, with the questions the event drew from it."""

    slug: str
    """The bank's file name without `.yaml`."""
    title: str
    """The theme's heading, translated when a translation exists."""
    description: str | None
    """The theme's description; none when it has none."""
    lang: LangMark | None
    """Set when `title` fell back to the original language."""
    description_lang: LangMark | None
    """Set when `description` fell back to the original language."""
    questions: tuple[QuestionContext, ...]
    """The questions drawn from this theme, in kit order."""


@dataclass(frozen=True)
class DownloadLink:
    """One of the event's PDFs, as the one-pager links to it."""

    href: str
    """The file name, relative to the one-pager."""
    label: str
    """A key of `labels` naming the file: `labels[d.label]`."""
    format: str
    """The file format in capitals, `PDF`."""


@dataclass(frozen=True)
class WebAppContext:
    """The template variable `webapp` of the one-pager and the portal: what a published site
    adds to the page (the web app manifest, the service worker, link previews). None without
    the campaign's `base_url`, and then the page carries none of it."""

    manifest: str
    """The web app manifest, relative to the page."""
    worker: str
    """The service worker script, relative to the page."""
    scope: str
    """The site's root, relative to the page: the service worker's scope."""
    theme_colour: str
    """The brand colour, as hex, for the browser's toolbar."""
    url: str
    """The page's own absolute URL (`og:url`)."""
    image: str
    """The link preview image's absolute URL (`og:image`, 1200 x 630 PNG)."""
    image_alt: str
    """What the preview image shows, for `og:image:alt`."""
    title: str
    """The link preview's title (`og:title`)."""
    description: str
    """The link preview's description (`og:description`)."""
    site_name: str
    """The campaign's name (`og:site_name`)."""
    saved_copy: str
    """The notice a page shown from the offline copy gives, with `{date}` and `{ago}`."""


@dataclass(frozen=True)
class BriefContext:
    """The template variable `brief` of the talent brief (`talent-brief.html.j2`): whom it is
    for and the questions in the order they are shown; none in every other document."""

    person: str | None
    """The name of the person it is for (an event's `talent:`); none in the event's own brief.
    Never shown anywhere else."""
    role: str | None
    """That person's role (actor, director...); none when unset."""
    first: tuple[ThemeContext, ...]
    """The questions most likely for the role (tags from `role_tags`), by theme; empty without
    a role or a match."""
    rest: tuple[ThemeContext, ...]
    """The other questions by theme (all of them without a role), numbered as in every kit."""
    letter_html: str
    """The campaign's letter as `letter_html`, its headings one level lower (they sit under
    the brief's "What the letter asks of men")."""
    kind: str
    """The event's kind in words (`labels["kind_red-carpet"]`...)."""
    sign_url: str | None
    """Where a man can add his name to the letter (the campaign's `sign_url`); none when unset."""
    private: bool
    """Whether the brief is for the publicist's office only (it is, unless published)."""


@dataclass(frozen=True)
class KitContext:
    """What every kit template receives (press kit, question sheet, one-pager, pocket card,
    talent brief)."""

    campaign: Campaign
    """The `presskit.yaml` model (`campaign.name`, `campaign.hashtag`, ...)."""
    author: str
    """Who publishes the kits: the campaign's `author`, else its name."""
    tagline: str | None
    """The campaign's tagline in the kit's language (or the original); none when unset."""
    hashtag: str
    """The campaign's hashtag, isolated (U+2066..2069) in right-to-left kits."""
    event: Event
    """The event's model (`event.name`, `event.venue`, ...)."""
    event_slug: str
    """The event's file name without `.yaml`."""
    event_date: str
    """The event's date, written out in the kit's language."""
    lang: str
    """The kit's language code."""
    dir: str
    """The kit's direction: `ltr` or `rtl`."""
    labels: Mapping[str, str]
    """presskit's fixed labels in the kit's language, by key (see "Labels" below)."""
    letter_html: str
    """The campaign's letter, rendered from Markdown to safe HTML."""
    campaign_lang: LangMark | None
    """Set when the kit is in another language than the campaign's own text (the letter)."""
    signatories: tuple[str, ...]
    """The verified signatories' names, collated."""
    signatories_source: str | None
    """Where the list of signatories comes from; none when unset."""
    signatories_as_of: str | None
    """When the list was checked, written out in the kit's language; none when unset."""
    themes: tuple[ThemeContext, ...]
    """The themes of the kit, each with its questions, in kit order."""
    question_count: int
    """How many questions the kit holds."""
    question_ids: tuple[str, ...]
    """The kit's question ids, in kit order."""
    contacts: tuple[Contact, ...]
    """The event's press contacts, or the campaign's when the event sets none."""
    contacts_lang: LangMark | None
    """Set when the contacts are the campaign's, in another language than the kit's."""
    branding: Brand
    """The campaign's branding with the event's overrides; assets inlined."""
    paper: str
    """`a4` or `letter`: the paper the kit's PDFs are printed on (the event's `paper`, else the
    campaign's), also a CSS page size: `@page { size: {{ paper }} }` (print.css)."""
    density: str
    """`normal`, `compact` or `tight`: how densely the question sheet and pocket card are set."""
    generator: str
    """`presskit <version>`."""
    provenance: ProvenanceContext
    """When the kit was built and from which version of the banks."""
    onepager_url: str | None
    """Where the event's one-pager is published; none without the campaign's `base_url`."""
    qr_code: str | None
    """A `data:` URL of a QR code (SVG) of `onepager_url`; none without it."""
    card: CardContext
    """The pocket card's questions, in the kit's language."""
    downloads: tuple[DownloadLink, ...]
    """The event's PDFs this build makes, for the one-pager's download list."""
    typeface: tuple[FontSource, ...] = ()
    """The default typeface's faces for `@font-face` (`_typeface.css.j2`), subset and inlined
    as `data:` URIs in the one-pager; empty in PDFs, which find the fonts by name."""
    draft: bool = False
    """A build with drafts (`--include-drafts`): every page and title says "not for distribution"
    (`labels.draft_mark`)."""
    webapp: WebAppContext | None = None
    """The one-pager's manifest, service worker and link preview; none without `base_url` (and
    in every PDF)."""
    brief: BriefContext | None = None
    """The talent brief's own values; none in every other document."""


@dataclass(frozen=True)
class PortalFile:
    """One file of an event, as the portal lists it."""

    href: str
    """The file's path, relative to the portal."""
    label: str
    """A key of `labels` naming the file: `labels[f.label]`."""
    format: str
    """The file format in capitals: `PDF`, `HTML`, `ZIP`."""
    size: str
    """The file size for people, in the portal's language: `980 B`, `34 kB`, `1.2 MB`."""
    page: bool
    """Whether this is the event's one-pager."""


@dataclass(frozen=True)
class PortalEvent:
    """One event on the portal, with its files."""

    slug: str
    """The event's file name without `.yaml`."""
    name: str
    """The event's name."""
    date: str
    """The event's date, written out in the campaign's language."""
    date_iso: str
    """The event's date as `YYYY-MM-DD`."""
    venue: str
    """Where the event takes place."""
    city: str | None
    """The event's city; none when unset."""
    sample: bool
    """Whether the event is an example."""
    description: str | None
    """The event's description; none when unset."""
    onepager: str | None
    """The path of the event's one-pager, relative to the portal; none when not built."""
    files: tuple[PortalFile, ...]
    """The event's files, in the order the build makes them; empty when none is built."""
    upcoming: bool = True
    """Whether the event is on or after the build's date (`provenance.date_iso`)."""
    questions_text: str = ""
    """The event's questions as plain text, for "copy all" and the share sheet: its name,
    date and venue, then the numbered questions with their follow-ups, in the kit's language;
    empty when the event has no one-pager."""


@dataclass(frozen=True)
class EventLink:
    """A one-pager that carries a question, for the portal's finder."""

    name: str
    """The event's name."""
    href: str
    """The question's anchor in the event's one-pager, relative to the portal."""


@dataclass(frozen=True)
class PortalQuestion:
    """One approved question in the portal's finder, in the campaign's language."""

    id: str
    """The question's id."""
    text: str
    """The question's text."""
    follow_ups: tuple[str, ...]
    """Questions to ask after the answer."""
    tags: tuple[str, ...]
    """The question's tags."""
    events: tuple[EventLink, ...]
    """The built one-pagers that carry the question, by event date."""


@dataclass(frozen=True)
class PortalTheme:
    """One theme (question bank) in the portal's finder."""

    slug: str
    """The bank's file name without `.yaml`."""
    title: str
    """The theme's heading."""
    description: str | None
    """The theme's description; none when it has none."""
    questions: tuple[PortalQuestion, ...]
    """The bank's approved questions, in bank order."""


@dataclass(frozen=True)
class PortalContext:
    """What the portal template (`portal.html.j2`) receives."""

    campaign: Campaign
    """The `presskit.yaml` model (`campaign.name`, `campaign.hashtag`, ...)."""
    author: str
    """Who publishes the kits: the campaign's `author`, else its name."""
    lang: str
    """The campaign's language code."""
    dir: str
    """The portal's direction: `ltr` or `rtl`."""
    labels: Mapping[str, str]
    """presskit's fixed labels in the campaign's language, by key (see "Labels" below)."""
    events: tuple[PortalEvent, ...]
    """Every event of the project, by date."""
    upcoming: tuple[PortalEvent, ...]
    """The events on or after the build's date, soonest first."""
    past: tuple[PortalEvent, ...]
    """The events before the build's date, most recent first."""
    themes: tuple[PortalTheme, ...]
    """Every theme with approved questions, in bank order."""
    tags: tuple[str, ...]
    """Every tag of an approved question, sorted."""
    question_count: int
    """How many approved questions the finder holds."""
    provenance: ProvenanceContext
    """When the portal was built and from which version of the banks."""
    generator: str
    """`presskit <version>`."""
    branding: Brand
    """The campaign's branding (logo, colours, font); assets inlined."""
    typeface: tuple[FontSource, ...] = ()
    """The default typeface's faces for `@font-face`, subset to the portal's characters and
    inlined as `data:` URIs."""
    portal_url: str | None = None
    """Where the portal is published; none without the campaign's `base_url`."""
    qr_code: str | None = None
    """A `data:` URL of a QR code (SVG) of `portal_url`, for the printed portal; none without it."""
    draft: bool = False
    """A build with drafts (`--include-drafts`): the title says "not for distribution"."""
    webapp: WebAppContext | None = None
    """The portal's manifest, service worker and link preview; none without `base_url`."""


Context = KitContext | PortalContext


def template_names(context: Context) -> dict[str, Any]:
    """The context's top-level fields as the names a template sees (nested values stay as
    they are, so templates read their attributes)."""
    return {field.name: getattr(context, field.name) for field in dataclasses.fields(context)}


# --- The reference in docs/template-context.md, generated from the classes above. ----------

TYPE_WORDS: dict[object, str] = {
    str: "text",
    int: "integer",
    float: "number",
    bool: "true or false",
    dt.date: "date",
    dt.datetime: "date and time",
    type(None): "none",
}


@cache
def _class_bodies(module: str) -> dict[str, ast.ClassDef]:
    """The top-level classes of a module's source, by name (each module parsed once)."""
    tree = ast.parse(inspect.getsource(sys.modules[module]))
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def field_docs(cls: type) -> dict[str, str]:
    """Each field's docstring (the string right below it in the class body), by field name."""
    body = _class_bodies(cls.__module__)[cls.__name__]
    docs: dict[str, str] = {}
    for statement, after in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[statement.target.id] = " ".join(after.value.value.split())
    return docs


def class_doc(cls: type) -> str:
    """The first paragraph of a class's own docstring, on one line ("" when it has none)."""
    doc = cls.__dict__.get("__doc__") or ""
    if dataclasses.is_dataclass(cls) and doc.startswith(f"{cls.__name__}("):
        return ""  # the signature dataclasses write when a class has no docstring
    return " ".join(inspect.cleandoc(doc).split("\n\n")[0].split())


def _is_class(tp: object) -> bool:
    return isinstance(tp, type) and (dataclasses.is_dataclass(tp) or issubclass(tp, BaseModel))


def describe_type(tp: object) -> str:
    """A type as template authors read it: `text or none`, `list of [ThemeContext](#...)`."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Annotated:
        return describe_type(args[0])
    if origin in (Union, types.UnionType):
        return " or ".join(describe_type(arg) for arg in args)
    if origin is Literal:
        return "one of " + ", ".join(f"`{arg}`" for arg in args)
    if origin in (tuple, list):
        return "list of " + describe_type(args[0])
    if origin in (dict, Mapping):
        return f"mapping of {describe_type(args[0])} to {describe_type(args[1])}"
    return _simple_type(tp)


def _simple_type(tp: object) -> str:
    """A type that holds no other: a class of this module or the models, or a plain value."""
    if isinstance(tp, type) and _is_class(tp):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    if tp not in TYPE_WORDS:
        raise TypeError(f"no words for the type {tp!r}: add them to TYPE_WORDS")
    return TYPE_WORDS[tp]


def nested_classes(tp: object) -> list[type]:
    """The dataclasses and models a type refers to, directly or inside lists and unions."""
    if isinstance(tp, type) and _is_class(tp):
        return [tp]
    return [cls for arg in typing.get_args(tp) for cls in nested_classes(arg)]


def class_fields(cls: type) -> list[tuple[str, object, str]]:
    """`(name, type, description)` for each field of a dataclass or a pydantic model."""
    if issubclass(cls, BaseModel):
        return [
            (name, info.annotation, " ".join((info.description or "").split()))
            for name, info in cls.model_fields.items()
        ]
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is neither a dataclass nor a model")
    hints = typing.get_type_hints(cls)
    docs = field_docs(cls)
    return [(f.name, hints[f.name], docs.get(f.name, "")) for f in dataclasses.fields(cls)]


def reachable(roots: list[type]) -> list[type]:
    """Every class the roots refer to through their fields, breadth first, roots first."""
    seen: list[type] = []
    queue = list(roots)
    while queue:
        cls = queue.pop(0)
        if cls not in seen:
            seen.append(cls)
            queue += [c for _, tp, _ in class_fields(cls) for c in nested_classes(tp)]
    return seen


def _cell(text: str) -> str:
    """Text made safe for a Markdown table cell."""
    return text.replace("|", "\\|")


def class_section(cls: type) -> list[str]:
    """One class as Markdown: a heading, its docstring and a table of its fields."""
    lines = [f"### {cls.__name__}", ""]
    if doc := class_doc(cls):
        lines += [doc, ""]
    lines += ["| name | type | what it is |", "|---|---|---|"]
    for name, tp, text in class_fields(cls):
        lines.append(f"| `{name}` | {describe_type(tp)} | {_cell(text) or '-'} |")
    return [*lines, ""]


def reference() -> str:
    """docs/template-context.md: every name a project template can use, from the classes."""
    classes = reachable([KitContext, PortalContext])
    nested = [c for c in classes[2:] if not issubclass(c, BaseModel)]
    models = [c for c in classes if issubclass(c, BaseModel)]
    english = labels(DEFAULT_LANGUAGE)
    return "\n".join(
        [
            "# Template context reference",
            "",
            "<!-- Generated from presskit/render/context.py; do not edit by hand. Regenerate with",
            "     python -m presskit.render.context > docs/template-context.md",
            "     (tests/render/test_context.py fails while this file is out of date). -->",
            "",
            "Every name a project template can use, with its type. Values are read with `x.y`",
            '(`x["y"]` works too); `none` prints nothing and is false in `{% if %}`; a list is',
            "read with `{% for %}`. Templates run sandboxed, with autoescaping on and undefined",
            "names as errors.",
            "",
            "## Kit templates",
            "",
            "The press kit, question sheet, one-pager, pocket card and talent brief",
            "(`press-kit.html.j2`, `questions.html.j2`, `onepager.html.j2`,",
            "`pocket-card.html.j2`, `talent-brief.html.j2`, and the",
            "`base.html.j2`, `_macros.html.j2` and `_branding.css.j2` they use) receive each",
            "field of `KitContext` as a name: `{{ event.name }}`, `{% for theme in themes %}`.",
            "",
            *class_section(KitContext),
            "## The portal",
            "",
            "`portal.html.j2` receives each field of `PortalContext` as a name.",
            "",
            *class_section(PortalContext),
            "## What the values hold",
            "",
            *(line for cls in nested for line in class_section(cls)),
            "## Project models",
            "",
            "`campaign`, `event` and `contacts` are the project's own files, validated: their",
            "fields are the YAML keys (see the JSON Schemas in `schemas/`).",
            "",
            *(line for cls in models for line in class_section(cls)),
            "## Labels",
            "",
            "The keys of `labels`, with their English text; `{name}` parts are filled with",
            "`.format(name=...)`. Other languages are in `presskit/kits/locales/`; a label",
            "missing there shows in English.",
            "",
            "| key | English |",
            "|---|---|",
            *(f"| `{key}` | {_cell(english[key])} |" for key in sorted(english)),
            "",
        ]
    )


if __name__ == "__main__":
    sys.stdout.write(reference())
