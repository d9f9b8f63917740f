"""Project folder -> validated models, with every problem found reported at once.

Loading never stops at the first bad file: each file is parsed and validated on its own, then
cross-file rules run (unique ids, events naming banks, tags and questions that exist), and all
problems are raised together as one `ValidationFailed`.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import re
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from presskit.errors import Problem, ValidationFailed
from presskit.project import yamlfile
from presskit.project.assets import check_assets
from presskit.project.contrast import contrast_problems
from presskit.project.models import (
    LANGUAGE_CODE,
    SLUG_CHARS,
    Bank,
    Branding,
    Campaign,
    Event,
    Question,
    Signatories,
    is_free_text,
    rel_path,
    slug_problem,
)
from presskit.project.references import check_event, did_you_mean, known
from presskit.project.yamlfile import Loc, SourceMap
from presskit.wording import plural

CAMPAIGN_FILE = "presskit.yaml"
LOCALES = "locales"  # a project's own label catalogues, one <language>.yaml each
PROJECT_TEMPLATES = "templates"  # a project's own templates, looked up before the built-in ones
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class BankFile:
    slug: str
    bank: Bank
    source: SourceMap


@dataclass(frozen=True)
class EventFile:
    slug: str
    event: Event
    source: SourceMap


@dataclass(frozen=True)
class LabelFile:
    """A project's own label catalogue (`locales/<language>.yaml`): labels by key, each a
    string. Which keys and placeholders are allowed is the kits' business (`kits.i18n`)."""

    language: str
    labels: dict[str, str]
    source: SourceMap


@dataclass(frozen=True)
class Project:
    """Everything a build needs, validated; `display` is how paths appear in messages."""

    root: Path
    display: str
    campaign: Campaign
    campaign_source: SourceMap
    letter_markdown: str
    letter_path: str
    signatories: Signatories
    signatories_source: SourceMap
    banks: tuple[BankFile, ...]
    events: tuple[EventFile, ...]
    questions: dict[str, tuple[BankFile, Question]] = field(default_factory=dict)
    # Every file loading read (path relative to `root` -> SHA-256 of its text): what the build
    # stamp compares to know that a project is exactly the one last built.
    sources: dict[str, str] = field(default_factory=dict)
    label_files: tuple[LabelFile, ...] = ()

    @cached_property
    def label_catalogues(self) -> dict[str, dict[str, str]]:
        """The project's own labels by language: data the kits merge over presskit's."""
        return {f.language: f.labels for f in self.label_files}

    @cached_property
    def _banks_by_slug(self) -> dict[str, BankFile]:
        # Selection asks for banks by slug thousands of times: a dict, not a scan each time.
        by_slug: dict[str, BankFile] = {}
        for bank in self.banks:
            by_slug.setdefault(bank.slug, bank)
        return by_slug

    def bank(self, slug: str) -> BankFile:
        found = self._banks_by_slug.get(slug)
        return found if found is not None else next(b for b in self.banks if b.slug == slug)

    def event(self, slug: str) -> EventFile:
        return next(e for e in self.events if e.slug == slug)

    @property
    def tags(self) -> set[str]:
        return {tag for bank in self.banks for q in bank.bank.questions for tag in q.tags}


def display_path(project_display: str, rel: str) -> str:
    return rel if project_display in ("", ".") else f"{project_display.rstrip('/')}/{rel}"


def validate_model(model: type[M], data: Any, source: SourceMap) -> tuple[M | None, list[Problem]]:
    """Validate one file's data; turn pydantic's errors into located, readable problems."""
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        return None, [source.problem((), f"expected a mapping of keys to values, found {found}")]
    cut = cut_by_comments(model, source)
    try:
        return model.model_validate(data), cut
    except ValidationError as exc:
        return None, cut + [_problem(model, err, source) for err in exc.errors()]


def cut_by_comments(model: type[BaseModel], source: SourceMap) -> list[Problem]:
    """Prose whose unquoted value a ` #` cut short (`text: Keep #AskMoreOfHim going` loads as
    "Keep"): YAML reads the rest of the line as a comment, so the loss is silent unless caught."""
    problems = []
    for loc, meant in source.commented.items():
        if is_free_text(model, loc):
            key = f"{loc[-1]}:" if isinstance(loc[-1], str) else "-"
            problems.append(
                source.problem(
                    loc,
                    "' #' starts a YAML comment, so this unquoted text ends before it; "
                    "if the '#' belongs to the text, quote the text: "
                    f"{key} {json.dumps(meant, ensure_ascii=False)} "
                    "(a comment goes on a line of its own)",
                )
            )
    return problems


def _problem(model: type[BaseModel], err: Any, source: SourceMap) -> Problem:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        hint = did_you_mean(key, _fields_at(model, loc[:-1]))
        return source.problem(loc, f"unknown key {key!r}{hint}", key=True)
    if kind == "missing":
        return source.problem(loc, "required, but missing")
    message = str(err["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        message = f"must be one of {err['ctx']['expected']}"
    elif kind == "string_pattern_mismatch" and loc and loc[-1] == "hashtag":
        message = "must be a hashtag such as '#AskMoreOfHim'"
    return source.problem(loc, message)


def _strip(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            tp = args[0] if args else tp
            if len(args) <= 1:
                continue
            return tp
        else:
            return tp


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys allowed at `loc` inside `model`, for "did you mean" hints."""
    tp: Any = model
    for part in loc:
        tp = _strip(tp)
        if isinstance(part, int):
            if get_origin(tp) in (list, tuple):
                tp = get_args(tp)[0]
            continue
        if isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            tp = tp.model_fields[part].annotation
        else:
            return []
    tp = _strip(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def escapes(root: Path, path: Path) -> bool:
    """Whether `path` (inside `root` by name) is a symbolic link, or sits in a linked folder,
    that leads outside the project: such files are refused, never read. A link that loops (or
    cannot be followed at all) leads nowhere inside the project, so it is refused too."""
    try:
        return not path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a loop
        return True


LINK_OUT = "is a symbolic link leading outside the project; refused"


def _read(root: Path, rel: str, shown: str, sources: dict[str, str]) -> str:
    """A project file's text, its hash noted in `sources`."""
    text = yamlfile.read_text(root / rel, shown)
    sources[rel] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return text


def _load(
    model: type[M],
    root: Path,
    rel: str,
    display: str,
    problems: list[Problem],
    sources: dict[str, str],
) -> tuple[M | None, SourceMap | None]:
    shown = display_path(display, rel)
    if escapes(root, root / rel):
        problems.append(Problem(shown, 1, 1, "", LINK_OUT))
        return None, None
    if not (root / rel).is_file():  # a FIFO would hang the read, a device never end
        problems.append(Problem(shown, 1, 1, "", "is not a regular file; refused"))
        return None, None
    try:
        data, source = yamlfile.parse(_read(root, rel, shown, sources), shown)
    except ValidationFailed as exc:
        problems.extend(exc.problems)
        return None, None
    value, found = validate_model(model, data, source)
    problems.extend(found)
    return value, source


def _referenced(
    root: Path,
    paths: Campaign | _Paths,
    source: SourceMap,
    key: str,
    problems: list[Problem],
    *,
    folder: bool = False,
) -> bool:
    """Check that a path named in presskit.yaml exists, pointing at the key if not."""
    rel = str(getattr(paths, key))
    target = root / rel
    ok = target.is_dir() if folder else target.is_file()
    kind = "folder" if folder else "file"
    if not ok:
        problems.append(source.problem((key,), f"{kind} not found: {rel}"))
    elif escapes(root, target):
        problems.append(source.problem((key,), f"{kind} {rel} {LINK_OUT}"))
        return False
    return ok


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        # every entry, not only regular files: a FIFO or folder named x.yaml is reported, not
        # silently skipped
        if p.suffix in (".yaml", ".yml")
    )


def _one_per_slug(
    files: list[Path], folder: str, display: str, problems: list[Problem]
) -> tuple[list[Path], bool]:
    """The files of `folder`, one per slug: `gala.yaml` and `gala.yml` would both be "gala" and
    overwrite each other's kit, so the second is refused, naming both. Also whether none was."""
    first: dict[str, Path] = {}
    kept: list[Path] = []
    for file in files:
        if file.stem in first:
            other = display_path(display, f"{folder}/{first[file.stem].name}")
            problems.append(
                Problem(
                    display_path(display, f"{folder}/{file.name}"),
                    1,
                    1,
                    "",
                    f"has the same slug {file.stem!r} as {other}; rename one of them or remove it",
                )
            )
            continue
        first[file.stem] = file
        kept.append(file)
    return kept, len(kept) == len(files)


def load_project(root: Path, display: str | None = None) -> Project:
    """Load and validate a whole project; raise `ValidationFailed` listing every problem."""
    loaded = load_partial(root, display)
    if loaded.project is None:
        raise ValidationFailed(list(loaded.problems))
    return loaded.project


@dataclass(frozen=True)
class PartialProject:
    """What loading read and validated, and every problem it found on the way: for
    `presskit lint`, which reports the problems and still checks each file that loaded."""

    problems: tuple[Problem, ...]
    project: Project | None = None  # the whole project, when nothing is wrong
    campaign: Campaign | None = None
    campaign_source: SourceMap | None = None
    signatories: Signatories | None = None
    signatories_source: SourceMap | None = None
    banks: tuple[BankFile, ...] = ()
    events: tuple[EventFile, ...] = ()
    # Every bank file loaded: only then is a name that no bank has really unknown.
    banks_complete: bool = False
    label_files: tuple[LabelFile, ...] = ()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, then back as it was.

    Loading (and linting) allocates millions of objects that all stay alive and form no
    garbage cycles, yet every 700 allocations start a collection, and the full ones walk
    everything alive so far: a third of lint's CPU time at 100,000 questions (docs/
    benchmarks.md). Only for the block: unlike the freeze that issue 11 removed from the CLI,
    nothing changes for the caller afterwards, and nesting is harmless."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def load_partial(root: Path, display: str | None = None) -> PartialProject:
    """Load what can be loaded, keeping going past every problem; never raises for the
    project's own mistakes. `load_project` is this, with the problems raised."""
    with collector_paused():
        return _load_partial(root, display)


def _load_partial(root: Path, display: str | None) -> PartialProject:
    display = str(root) if display is None else display
    problems: list[Problem] = []
    sources: dict[str, str] = {}
    campaign_shown = display_path(display, CAMPAIGN_FILE)
    if escapes(root, root / CAMPAIGN_FILE):
        return PartialProject((Problem(campaign_shown, 1, 1, "", LINK_OUT),))
    try:
        raw, campaign_source = yamlfile.parse(
            _read(root, CAMPAIGN_FILE, campaign_shown, sources), campaign_shown
        )
    except ValidationFailed as exc:  # no presskit.yaml to go on: nothing else can be found
        return PartialProject(tuple(exc.problems))
    campaign, found = validate_model(Campaign, raw, campaign_source)
    problems.extend(found)
    # An invalid presskit.yaml still names its folders: keep going with what can be trusted,
    # so the user sees the problems of every file in one run.
    paths = campaign if campaign is not None else _fallback_paths(raw)
    if campaign is not None:
        problems.extend(_branding_problems(root, campaign.branding, campaign_source))

    letter = ""
    letter_shown = display_path(display, paths.letter)
    if _referenced(root, paths, campaign_source, "letter", problems):
        try:
            letter = _read(root, paths.letter, letter_shown, sources)
        except ValidationFailed as exc:
            problems.extend(exc.problems)

    signatories = signatories_source = None
    if _referenced(root, paths, campaign_source, "signatories", problems):
        signatories, signatories_source = _load(
            Signatories, root, paths.signatories, display, problems, sources
        )

    banks, banks_complete = _load_banks(root, paths, campaign_source, display, problems, sources)
    events = _load_events(root, paths, campaign_source, display, problems, sources)
    questions = _index_questions(banks, problems)
    label_files = _load_label_files(root, display, problems, sources)
    if banks_complete:  # with a bank missing, "no such question" would be a false alarm
        names = known([b.slug for b in banks], (q for b in banks for q in b.bank.questions))
        for event_file in events:
            problems.extend(check_event(event_file.event.select, event_file.source, names))

    project = None
    if problems or campaign is None or signatories is None or signatories_source is None:
        pass  # not a project that can be built: the problems say why
    else:
        project = Project(
            root=root,
            display=display,
            campaign=campaign,
            campaign_source=campaign_source,
            letter_markdown=letter,
            letter_path=letter_shown,
            signatories=signatories,
            signatories_source=signatories_source,
            banks=tuple(banks),
            events=tuple(events),
            questions=questions,
            sources=sources,
            label_files=tuple(label_files),
        )
    return PartialProject(
        problems=tuple(problems),
        project=project,
        campaign=campaign,
        campaign_source=campaign_source,
        signatories=signatories,
        signatories_source=signatories_source,
        banks=tuple(banks),
        events=tuple(events),
        banks_complete=banks_complete,
        label_files=tuple(label_files),
    )


def _load_banks(
    root: Path,
    paths: Campaign | _Paths,
    campaign_source: SourceMap,
    display: str,
    problems: list[Problem],
    sources: dict[str, str],
) -> tuple[list[BankFile], bool]:
    """The banks that load, and whether all of them did."""
    banks: list[BankFile] = []
    complete = _referenced(root, paths, campaign_source, "banks", problems, folder=True)
    if not complete:
        return banks, False
    files, complete = _one_per_slug(_yaml_files(root / paths.banks), paths.banks, display, problems)
    if not files:
        problems.append(
            campaign_source.problem(("banks",), f"no question banks (*.yaml) in {paths.banks}/")
        )
    for file in files:
        rel = f"{paths.banks}/{file.name}"
        bank, source = _load(Bank, root, rel, display, problems, sources)
        if source and _check_slug(file, source, problems) and bank:
            banks.append(BankFile(file.stem, bank, source))
            problems.extend(_check_translations(bank, source))
        else:
            complete = False
    return banks, complete


def _load_events(
    root: Path,
    paths: Campaign | _Paths,
    campaign_source: SourceMap,
    display: str,
    problems: list[Problem],
    sources: dict[str, str],
) -> list[EventFile]:
    """The events that load, in date order."""
    events: list[EventFile] = []
    if _referenced(root, paths, campaign_source, "events", problems, folder=True):
        files, _ = _one_per_slug(_yaml_files(root / paths.events), paths.events, display, problems)
        for file in files:
            rel = f"{paths.events}/{file.name}"
            event, source = _load(Event, root, rel, display, problems, sources)
            if source and _check_slug(file, source, problems) and event:
                events.append(EventFile(file.stem, event, source))
                problems.extend(_branding_problems(root, event.branding, source))
    events.sort(key=lambda e: (e.event.date, e.slug))
    return events


def _load_label_files(
    root: Path, display: str, problems: list[Problem], sources: dict[str, str]
) -> list[LabelFile]:
    """The project's `locales/<language>.yaml` files, if it has that folder: each a mapping of
    label keys to strings (no nesting); the file name is the language code."""
    folder = root / LOCALES
    if not folder.is_dir() or escapes(root, folder):
        if folder.exists() and escapes(root, folder):
            problems.append(Problem(display_path(display, LOCALES), 1, 1, "", LINK_OUT))
        return []
    files, _ = _one_per_slug(_yaml_files(folder), LOCALES, display, problems)
    found: list[LabelFile] = []
    for file in files:
        rel = f"{LOCALES}/{file.name}"
        shown = display_path(display, rel)
        if escapes(root, file) or not file.is_file():
            why = LINK_OUT if escapes(root, file) else "is not a regular file; refused"
            problems.append(Problem(shown, 1, 1, "", why))
            continue
        try:
            data, source = yamlfile.parse(_read(root, rel, shown, sources), shown)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
            continue
        if not re.fullmatch(LANGUAGE_CODE, file.stem):
            problems.append(
                source.problem(
                    (),
                    f"file name {file.name!r} must be a language code such as 'de.yaml' or "
                    "'pt-BR.yaml'",
                )
            )
            continue
        if not isinstance(data, dict):
            found_kind = "an empty file" if data is None else f"a {type(data).__name__}"
            problems.append(
                source.problem((), f"expected a mapping of label keys to texts, found {found_kind}")
            )
            continue
        bad = [key for key, value in data.items() if not isinstance(value, str)]
        problems.extend(source.problem((key,), "must be a text (a label)") for key in bad)
        if not bad:
            found.append(LabelFile(file.stem, {str(k): v for k, v in data.items()}, source))
    return found


def _branding_problems(root: Path, branding: Branding | None, source: SourceMap) -> list[Problem]:
    """The branding's files checked (`assets`) and its colours readable (`contrast`), for the
    campaign's and each event's `branding` alike."""
    at = ("branding",)
    return check_assets(root, branding, source, at) + contrast_problems(branding, source, at)


@dataclass(frozen=True)
class _Paths:
    letter: str
    signatories: str
    banks: str
    events: str


def _fallback_paths(raw: Any) -> _Paths:
    """The file and folder names of an invalid presskit.yaml, where they are themselves valid."""
    values = {}
    for name in ("letter", "signatories", "banks", "events"):
        given = raw.get(name) if isinstance(raw, dict) else None
        values[name] = str(Campaign.model_fields[name].default)
        if isinstance(given, str):
            with contextlib.suppress(ValueError):
                values[name] = rel_path(given)
    return _Paths(**values)


def _check_slug(file: Path, source: SourceMap, problems: list[Problem]) -> bool:
    if (why := slug_problem(file.stem)) is None:
        return True
    if why == SLUG_CHARS:
        why = "must be a slug like 'red-carpet-2027.yaml' (lowercase, digits, hyphens)"
    problems.append(source.problem((), f"file name {file.name!r} {why}"))
    return False


def _index_questions(
    banks: list[BankFile], problems: list[Problem]
) -> dict[str, tuple[BankFile, Question]]:
    index: dict[str, tuple[BankFile, Question]] = {}
    for bank_file in banks:
        for i, question in enumerate(bank_file.bank.questions):
            if question.id in index:
                first_bank, first = index[question.id]
                j = first_bank.bank.questions.index(first)
                line, _ = first_bank.source.mark(("questions", j, "id"))
                problems.append(
                    bank_file.source.problem(
                        ("questions", i, "id"),
                        f"duplicate question id {question.id!r} "
                        f"(first used at {first_bank.source.path}:{line})",
                    )
                )
                continue
            index[question.id] = (bank_file, question)
    return index


def _check_translations(bank: Bank, source: SourceMap) -> list[Problem]:
    """A translation's follow-ups must match the original's one for one."""
    problems: list[Problem] = []
    for i, question in enumerate(bank.questions):
        for language, translation in question.translations.items():
            given = translation.follow_ups
            if given is not None and len(given) != len(question.follow_ups):
                problems.append(
                    source.problem(
                        ("questions", i, "translations", language, "follow_ups"),
                        f"has {plural(len(given), 'follow-up')} but the question has "
                        f"{len(question.follow_ups)}; translate each one, in order",
                    )
                )
    return problems
