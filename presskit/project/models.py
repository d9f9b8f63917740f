"""Typed models of a press-kit project, one per file kind.

These classes are the single source of truth for what a file may contain: they validate,
they reject unknown keys, and the JSON Schemas editors use are generated from them.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

# Names Windows keeps for devices, whatever the case or extension: `con/` cannot be a folder.
_RESERVED = r"(?:con|prn|aux|nul|com[0-9]|lpt[0-9])"
_SLUG = re.compile(rf"(?!{_RESERVED}$)[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 100  # a file or folder name, with room for "-press-kit.zip" on every system
SLUG_CHARS = "use lowercase letters, digits and single hyphens (like 'red-carpet-2027')"


def slug_problem(value: str) -> str | None:
    """Why `value` is not a slug, or None if it is. Slugs name files, folders, ids and URL
    parts on every operating system, so they stay boring: `a-z`, `0-9` and single hyphens,
    not a device name Windows reserves (CON, NUL, COM1...), at most `SLUG_MAX` characters.
    (The pattern also keeps out dots, spaces, slashes and every other character some system
    refuses or reads specially.)"""
    if len(value) > SLUG_MAX:
        return f"is longer than {SLUG_MAX} characters"
    if _SLUG.fullmatch(value):
        return None
    if re.fullmatch(_RESERVED, value, re.IGNORECASE):
        return f"is a name Windows reserves for a device ({value.upper()}); choose another"
    return SLUG_CHARS


def is_slug(value: str) -> bool:
    """The one slug rule (see `slug_problem`)."""
    return slug_problem(value) is None


def _slug(value: str) -> str:
    if (why := slug_problem(value)) is not None:
        raise ValueError(f"{value!r} is not a valid id: {why}")
    return value


def rel_path(value: str) -> str:
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value) or ".." in parts:
        raise ValueError(f"{value!r} must be a path inside the project (relative, without '..')")
    return value


def _web_url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s<>\"'`]+", value):
        raise ValueError(f"{value!r} is not a web address: it must start with https:// or http://")
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s<>\"'`()]+@[^@\s<>\"'`()]+\.[A-Za-z]{2,}", value):
        raise ValueError(f"{value!r} is not an e-mail address")
    return value


LANGUAGE_CODE = r"[a-z]{2,3}(?:-[A-Z]{2})?"  # en, es, pt-BR


def _language(value: str) -> str:
    if not re.fullmatch(LANGUAGE_CODE, value):
        raise ValueError(f"{value!r} is not a language code such as 'en', 'es' or 'pt-BR'")
    return value


# The pattern is stated for the JSON Schema only (editors flag bad ids as you type); validation
# keeps `_slug`, whose message says how to fix the id.
Slug = Annotated[
    str,
    StringConstraints(max_length=64),
    AfterValidator(_slug),
    WithJsonSchema({"type": "string", "maxLength": 64, "pattern": f"^{_SLUG.pattern}$"}),
]


class _FreeText:
    """Marks prose: where an unquoted ` #` would silently cut the text (see `is_free_text`)."""

    def __repr__(self) -> str:
        return "FREE_TEXT"


FREE_TEXT = _FreeText()
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), FREE_TEXT
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), FREE_TEXT
]


def _no_bidi_controls(value: str) -> str:
    # An override or isolate makes a name display as other letters in another order
    # (U+202E before "etteuqrA" shows "Arquette"): no real name needs one.
    for char in value:
        if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
            raise ValueError(
                f"holds an invisible text-direction control (U+{ord(char):04X}), which can make "
                "a name display as a different one; remove it"
            )
    return value


# A person's name, as printed in kits and compared for duplicates (lint PK301).
Name = Annotated[ShortText, AfterValidator(_no_bidi_controls)]
RelPath = Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(rel_path)]
WebUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_web_url)]
Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_email)]
Language = Annotated[str, AfterValidator(_language)]
Hashtag = Annotated[str, StringConstraints(pattern=r"^#\w+$", max_length=100)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ().-]{3,30}$")]


def _hex_colour(value: str) -> str:
    # Colours reach CSS verbatim, so only the strict hex forms pass: nothing else can be injected.
    if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value):
        raise ValueError(f"{value!r} is not a colour: use a hex colour such as '#6b1d4e' or '#b12'")
    return value.lower()


def _suffix_in(*suffixes: str) -> AfterValidator:
    def check(value: str) -> str:
        if not value.lower().endswith(suffixes):
            raise ValueError(
                f"{value!r} must be a {' or '.join(s[1:].upper() for s in suffixes)} file"
            )
        return value

    return AfterValidator(check)


def _font_family(value: str) -> str:
    # The name is printed inside a CSS string, so it may hold nothing that could end it.
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _-]{0,63}", value):
        raise ValueError(
            f"{value!r} is not a plain font family name: use letters, digits, "
            "spaces, '_' and '-' (up to 64)"
        )
    return value


HexColour = Annotated[str, AfterValidator(_hex_colour)]
FontFamily = Annotated[str, AfterValidator(_font_family)]
LogoPath = Annotated[RelPath, _suffix_in(".svg", ".png")]
FontPath = Annotated[RelPath, _suffix_in(".woff2", ".woff", ".ttf", ".otf")]

Status = Literal["draft", "approved", "retired"]
RuleCode = Annotated[str, StringConstraints(pattern=r"^PK[0-9]{3}$")]
# A short digest of English text (presskit.project.fingerprint), written by presskit's commands.
# Per role (actor, director...), the question tags that role is most likely to be asked about.
RoleTags = dict[Slug, list[Slug]]
Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{10}$")]
TRANSLATED_FROM = (
    "Fingerprint of the English this translation was made from, written by `presskit "
    "translations import`; when the English changes, the translation is outdated."
)


PREP = (
    "Preparation for the person who may be asked, printed in the talent brief only (never in "
    "reporters' kits): what the question is really asking, its context, pitfalls such as "
    "deflecting to 'I haven't seen anything'. Never an answer or a script."
)


def _empty(kind: type[list[Any]] | type[dict[Any, Any]], **field: Any) -> Any:
    """An empty list or dict default, made by a factory: pydantic deep-copies a literal `[]` or
    `{}` default for every model it validates (17,000 copies for 10,000 questions). The JSON
    Schema still shows it as the default."""
    return Field(default_factory=kind, json_schema_extra={"default": kind()}, **field)


class Model(BaseModel):
    """Shared base: unknown keys are errors and loaded data never changes underfoot.

    `defer_build`: a model's validator is built when first used, not at import, so a command
    pays only for the models it validates with (the nested ones are built into their parents).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Silence(Model):
    """One lint rule switched off for one question, and why (a silence needs a reason)."""

    rule: RuleCode = Field(description="The rule's code, like PK104.")
    reason: Text | None = Field(default=None, description="Why the rule does not apply here.")


class QuestionLint(Model):
    ignore: list[Silence] = _empty(list, description="Lint rules silenced for this question.")


class QuestionTranslation(Model):
    """A question in another language; what is left out falls back to the original."""

    text: Text
    follow_ups: list[Text] | None = Field(
        default=None, description="As many as the original has, in the same order."
    )
    notes: Text | None = None
    prep: Text | None = Field(default=None, description=PREP)
    translated_from: Fingerprint | None = Field(default=None, description=TRANSLATED_FROM)


class Question(Model):
    """One question a reporter can ask on a red carpet."""

    id: Slug = Field(description="Stable id, unique across all banks; never reuse one.")
    text: Text = Field(
        description="The question as a reporter would ask it: short, open-ended. Quote text "
        'that holds a hashtag: text: "How will you keep #AskMoreOfHim going?"'
    )
    follow_ups: list[Text] = _empty(list, description="Questions to ask after the answer.")
    prep: Text | None = Field(default=None, description=PREP)
    tags: list[Slug] = _empty(list, description="Labels events can select by.")
    notes: Text | None = Field(default=None, description="Context for the reporter, not read out.")
    status: Status = Field(description="Only approved questions reach kits.")
    approved_as: Fingerprint | None = Field(
        default=None,
        description="Fingerprint of the wording that was approved, written by `presskit "
        "approve`; if the text, follow-ups, notes or prep change, the question waits for review "
        "again.",
    )
    lint: QuestionLint | None = Field(
        default=None, description="`presskit lint` settings for this question."
    )
    tone: Slug | None = Field(
        default=None, description="How it lands (light, serious...); events select by it."
    )
    translations: dict[Language, QuestionTranslation] = _empty(
        dict, description="The question in other languages, by language code."
    )


class BankTranslation(Model):
    theme: ShortText
    description: Text | None = None
    translated_from: Fingerprint | None = Field(default=None, description=TRANSLATED_FROM)


class Bank(Model):
    """A question bank: one theme, one file under question_banks/."""

    theme: ShortText = Field(description="The heading the questions appear under in kits.")
    description: Text | None = None
    questions: list[Question] = Field(min_length=1)
    translations: dict[Language, BankTranslation] = _empty(
        dict, description="The theme heading and description in other languages."
    )


class Contact(Model):
    """A press contact printed in every kit."""

    name: Name
    role: ShortText | None = None
    email: Email | None = None
    phone: Phone | None = None
    url: WebUrl | None = None


class LintSettings(Model):
    """presskit.yaml `lint:`: how strict `presskit lint` is for this project."""

    rules: dict[RuleCode, bool | Literal["error", "warning"]] = _empty(
        dict,
        description="Per rule code: false turns it off, error or warning sets its "
        "severity, true keeps its default.",
    )
    max_words: int = Field(
        default=25, ge=1, le=500, description="Word limit for a question's text (rule PK105)."
    )
    similarity: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="From 0 to 1: how alike two questions must be to be "
        "reported as near-duplicates (rule PK103).",
    )
    closed_openers: list[ShortText] | None = Field(
        default=None,
        description="Openers that invite a yes/no answer (rule PK106); replaces the built-in list.",
    )


class FontFile(Model):
    path: FontPath = Field(description="A WOFF2, WOFF, TTF or OTF file inside the project.")
    weight: int = Field(default=400, ge=100, le=900)
    style: Literal["normal", "italic"] = "normal"


class Font(Model):
    """A font family from files inside the project, embedded in every kit."""

    family: FontFamily
    files: list[FontFile] = Field(min_length=1, max_length=8)


class Branding(Model):
    """How kits look and what they say around the questions; events override it field by field."""

    logo: LogoPath | None = Field(default=None, description="An SVG or PNG inside the project.")
    logo_dark: LogoPath | None = Field(
        default=None,
        description=(
            "The logo for the pages' dark scheme (an SVG or PNG inside the project); without it "
            "the logo is shown on a light backdrop there."
        ),
    )
    primary: HexColour | None = Field(
        default=None,
        description="Headings, rules, links and buttons; needs 4.5:1 contrast on white.",
    )
    accent: HexColour | None = Field(
        default=None,
        description=(
            "Question numbers and highlights (the primary colour when unset); needs 4.5:1 "
            "contrast on white."
        ),
    )
    font: Font | None = None
    sponsor: ShortText | None = Field(default=None, description="A sponsor or host line.")
    embargo: ShortText | None = Field(
        default=None, description="Printed prominently, e.g. 'Embargoed until 7 March, 18:00 PT'."
    )


class CampaignTranslation(Model):
    tagline: Text | None = None
    translated_from: Fingerprint | None = Field(default=None, description=TRANSLATED_FROM)


CardSize = Literal["a6", "index-3x5", "index-4x6"]
Paper = Literal["a4", "letter"]
PrintSheet = Literal["duplex", "fold"]


class PocketCard(Model):
    """The printed pocket card: its paper size and how many of an event's questions it holds."""

    size: CardSize = Field(
        default="a6",
        description=("a6 (105 x 148 mm), index-3x5 (3 x 5 in) or index-4x6 (4 x 6 in) index card."),
    )
    questions: int = Field(
        default=8,
        ge=6,
        le=8,
        description=(
            "How many of the event's questions (pinned first), 6 to 8; "
            "fewer if the event has fewer."
        ),
    )
    print_sheet: PrintSheet = Field(
        default="duplex",
        description=(
            "pocket-cards-sheet.pdf, as many cards as fit on the paper with crop marks: duplex "
            "(fronts on page 1, backs on page 2, for two-sided printing turned on the long edge) "
            "or fold (front and back side by side on one page, to fold, for one-sided printers)."
        ),
    )


SheetOverflow = Literal["fail", "drop", "pages"]


class QuestionSheet(Model):
    """The one-page question sheet: what happens when an event's questions do not fit."""

    overflow: SheetOverflow = Field(
        default="drop",
        description=(
            "When the questions with their follow-ups and notes do not fit one page: drop "
            "(leave out notes, then follow-ups; the build and the sheet say so), fail (stop "
            "the build, naming the event), or pages (as many pages as it takes)."
        ),
    )


ProvenanceMode = Literal["full", "short", "off"]


def _off(value: object) -> object:
    """YAML reads a bare `off` as false: take it as the word it was meant to be."""
    return "off" if value is False else value


# A bare `off` in YAML is false: taken as the word.
TalentBriefSetting = Annotated[Literal["private", "published", "off"], BeforeValidator(_off)]


class Campaign(Model):
    """presskit.yaml: the campaign every kit of the project belongs to."""

    name: ShortText
    hashtag: Hashtag
    tagline: Text | None = None
    author: ShortText | None = Field(
        default=None, description="Who publishes the kits; PDF author. Defaults to the name."
    )
    language: Language = "en"
    letter: RelPath = Field(
        default="campaign/letter.md",
        description="The letter, as Markdown, relative to the project.",
    )
    signatories: RelPath = "campaign/signatories.yaml"
    banks: RelPath = Field(default="question_banks", description="Folder of question banks.")
    events: RelPath = Field(default="events", description="Folder of event files.")
    contacts: list[Contact] = _empty(list)
    base_url: WebUrl | None = Field(
        default=None,
        description=(
            "Where the built kits are published, if they are; press "
            "kits and pocket cards then carry a QR code to the one-pager, the portal becomes "
            "an installable web app that works offline, and pages get link previews."
        ),
    )
    sign_url: WebUrl | None = Field(
        default=None,
        description=(
            "Where a man who wants to add his name to the letter can do so; the talent brief "
            "links to it (and says nothing of signing without it)."
        ),
    )
    talent_brief: TalentBriefSetting = Field(
        default="private",
        description=(
            "Every event's talent brief, for the people who may be asked: private (into the "
            "private folder, beside the published one; never on the portal or in the zip), "
            "published (with the other kits), or off. Events may set their own."
        ),
    )
    role_tags: RoleTags = _empty(
        dict,
        description=(
            "For per-person talent briefs: per role (actor, director, producer...), the question "
            "tags most likely for it; those questions come first in that person's brief. Events "
            "may set their own, role by role."
        ),
    )
    paper: Paper = Field(
        default="a4",
        description=(
            "The paper every PDF is printed on: a4 (210 x 297 mm) or letter (8.5 x 11 in); "
            "pocket cards keep their own size. Events may set their own."
        ),
    )
    pocket_card: PocketCard = Field(
        default_factory=PocketCard, description="Size and length of the pocket card."
    )
    question_sheet: QuestionSheet = Field(
        default_factory=QuestionSheet,
        description="What the question sheet does when the questions do not fit one page.",
    )
    lint: LintSettings = Field(
        default_factory=LintSettings, description="Settings for `presskit lint`."
    )
    branding: Branding = Field(default=Branding(), description="Defaults for every event's kits.")
    provenance: Annotated[ProvenanceMode, BeforeValidator(_off)] = Field(
        default="short",
        description=(
            "The version line on every document, so a reporter can tell a stale printout from "
            "a fresh one: short ('Version of <date> · ref <commit>', noting changes not yet "
            "committed), full (the banks' commit in 12 digits, the changes spelt out), or off."
        ),
    )
    show_question_ids: bool = Field(
        default=False,
        description="Print the questions' ids (as in the banks) at the end of each kit.",
    )
    outdated_translations: Literal["english", "keep"] = Field(
        default="english",
        description="What kits show for a translation made from English that has changed "
        "since: `english` (the English, with a note that the translation is pending update) "
        "or `keep` (the outdated translation).",
    )
    translations: dict[Language, CampaignTranslation] = _empty(
        dict, description="The tagline in other languages."
    )
    allow_remote_assets: bool = Field(
        default=False,
        description="Let the PDF renderer fetch http(s) URLs from templates. "
        "Off by default: a kit then reads only files inside the project.",
    )


class Signatory(Model):
    name: Name
    sort_as: Name | None = Field(
        default=None, description="How the name sorts, e.g. 'Arquette, David'; the name if unset."
    )
    verified: bool = Field(default=True, description="false keeps the name out of every kit.")


class Signatories(Model):
    """campaign/signatories.yaml: who signed the letter."""

    source: Text | None = Field(default=None, description="Where the list comes from.")
    as_of: dt.date | None = Field(default=None, description="The date the list was checked.")
    signatories: list[Signatory] = Field(min_length=1)


class Selection(Model):
    """Which questions an event gets."""

    banks: list[Slug] | None = Field(
        default=None, description="Banks (file names without .yaml) to draw from; all if unset."
    )
    tags: list[Slug] = _empty(list, description="Only questions with at least one of these.")
    exclude_tags: list[Slug] = _empty(list, description="Never questions with any of these.")
    count: int = Field(ge=1, le=30, description="How many questions the kit holds, pins included.")
    pinned: list[Slug] = _empty(list, description="Always in, first, in this order.")
    exclude: list[Slug] = _empty(list, description="Never in this event.")
    tones: list[Slug] = _empty(list, description="Only questions with one of these tones.")
    quotas: dict[Slug, Annotated[int, Field(ge=0, le=30)]] = _empty(
        dict, description="Exactly this many from these banks, pins included."
    )
    min_per_theme: int = Field(
        default=0, ge=0, le=30, description="At least this many from every other bank drawn from."
    )
    fresh_after: int = Field(
        default=0,
        ge=0,
        le=100,
        description=(
            "Leave out questions used by the N events before this one (by date); pins stay."
        ),
    )


class Talent(Model):
    """One person a publicist is preparing for the event: the publicist's own data, printed
    only in that person's talent brief (in the private folder), never in a public file."""

    name: Name = Field(description="Printed on this person's brief and in its file name only.")
    role: Slug | None = Field(
        default=None,
        description="actor, director, producer...: picks the questions `role_tags` puts first.",
    )


EventKind = Literal["red-carpet", "premiere", "festival", "panel", "other"]


Visibility = Literal["public", "unlisted", "private"]


def _with_zone(value: dt.datetime) -> dt.datetime:
    """An embargo is a moment: without its zone it would lift at a different hour on every
    machine that builds."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            "needs a time zone, like 2027-03-07T18:00:00-08:00 (or Z for UTC), "
            f"not {value.isoformat()}"
        )
    return value


class Event(Model):
    """events/<slug>.yaml: one event and the questions it gets."""

    name: ShortText
    date: dt.date
    venue: ShortText
    city: ShortText | None = None
    kind: EventKind = "other"
    sample: bool = Field(default=False, description="Marks an example event in every kit.")
    description: Text | None = None
    select: Selection
    language: Language | None = Field(
        default=None, description="The kits' language; the campaign's if unset."
    )
    paper: Paper | None = Field(
        default=None, description="The paper this event's PDFs print on; the campaign's if unset."
    )
    branding: Branding | None = Field(
        default=None, description="Overrides of the campaign's branding, field by field."
    )
    contacts: list[Contact] | None = Field(
        default=None, description="Press contacts for this event instead of the campaign's."
    )
    embargo_until: Annotated[dt.datetime, AfterValidator(_with_zone)] | None = Field(
        default=None,
        description=(
            "Until when (a date and time with its zone, like 2027-03-07T18:00:00-08:00) the "
            "event's kits stay out of the published folder; kits print the embargo."
        ),
    )
    visibility: Visibility = Field(
        default="public",
        description=(
            "public: on the portal; unlisted: published but listed nowhere; "
            "private: never published (kits go to the private folder)."
        ),
    )
    talent_brief: TalentBriefSetting | None = Field(
        default=None,
        description=(
            "The talent brief, for the people who may be asked: private (into the private "
            "folder, beside the published one; never on the portal or in the zip), published "
            "(with the other kits), or off; the campaign's `talent_brief` if unset. Per-person "
            "briefs always stay private."
        ),
    )
    talent: list[Talent] = _empty(
        list,
        max_length=50,
        description=(
            "The people a publicist is preparing: each gets a brief of their own "
            "(talent-brief-<name>.pdf, private), with their role's questions first. Never shown "
            "anywhere public."
        ),
    )
    role_tags: RoleTags | None = Field(
        default=None,
        description=(
            "Per role, the question tags put first; overrides the campaign's, role by role."
        ),
    )


def _marked(tp: Any) -> bool:
    origin = get_origin(tp)
    if origin is Annotated:
        return FREE_TEXT in tp.__metadata__ or _marked(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        return any(_marked(arg) for arg in get_args(tp))
    return False


def _step(tp: Any, part: str | int) -> Any:
    """The type of `part` inside a value of type `tp`, or None if it has no such part."""
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) in (Union, types.UnionType):
        found = [_step(arg, part) for arg in get_args(tp) if arg is not type(None)]
        return next((f for f in found if f is not None), None)
    origin = get_origin(tp)
    if isinstance(part, int):
        return get_args(tp)[0] if origin in (list, tuple) else None
    if origin is dict:
        return get_args(tp)[1]
    if isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
        info = tp.model_fields[part]
        return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return None


def is_free_text(model: type[BaseModel], loc: tuple[str | int, ...]) -> bool:
    """Whether `loc` in a file of `model` is prose (a `Text` or `ShortText`): the one list of
    fields where a comment after an unquoted value is refused, since it cuts the text short."""
    tp: Any = model
    for part in loc:
        tp = _step(tp, part)
        if tp is None:
            return False
    return _marked(tp)
