"""`presskit lint`: schema validation, then editorial rules, as located findings with hints.

Validation (the same `load_project` and selection checks `validate` and `build` run) comes first
and never crashes lint: every problem it reports becomes a finding. The editorial rules then run
over whatever did load. A rule is a function registered with `@rule(code, name, severity,
summary)` that yields `Hit`s; the runner adds the code, the configured severity and the question
id, and drops hits a question has silenced. To add a rule, write one such function.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from presskit.errors import Problem, ValidationFailed
from presskit.kits.eligibility import allowed_statuses, left_out_by
from presskit.kits.select import select_all
from presskit.project.loading import BankFile, EventFile, Project, load_partial
from presskit.project.models import LintSettings, Question, Signatories
from presskit.project.references import bad_references, known
from presskit.project.yamlfile import Loc, SourceMap
from presskit.wording import did_you_mean, plural

Severity = Literal["error", "warning"]
FORMATS = ("text", "json", "github")

# Openers that invite a yes or no rather than an answer (rule PK106); presskit.yaml
# `lint.closed_openers` replaces this list.
CLOSED_OPENERS = (
    "Do you",
    "Did you",
    "Does",
    "Are you",
    "Were you",
    "Is it",
    "Is there",
    "Have you",
    "Has",
    "Would you",
    "Will you",
    "Can you",
    "Could you",
)
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
    }
)
_QUESTION_MARKS = ("?", "\uff1f", "\u061f")  # ASCII, full-width, Arabic


@dataclass(frozen=True, order=True)
class Place:
    """A position in a project file, and the question there, if any."""

    path: str
    line: int
    col: int
    question: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        return f"{where} ({self.question})" if self.question else where


def _place(source: SourceMap, loc: Loc, question: str | None = None, *, key: bool = False) -> Place:
    line, col = source.mark(loc, key=key)
    return Place(source.path, line, col, question)


@dataclass(frozen=True)
class Hit:
    """What a rule function reports; the runner turns it into a `Finding`."""

    place: Place
    message: str
    hint: str
    related: tuple[Place, ...] = ()


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: where, which rule, how bad, what is wrong, and what to do about it."""

    path: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str
    hint: str
    question: str | None = None
    related: tuple[Place, ...] = ()

    @property
    def rule(self) -> str:
        return RULES[self.code].name

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form; fields are documented in the README and never renamed."""
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "question": self.question,
            "message": self.message,
            "hint": self.hint,
            "related": [
                {"path": r.path, "line": r.line, "col": r.col, "question": r.question}
                for r in self.related
            ],
        }


@dataclass(frozen=True)
class QuestionRef:
    """A question together with the bank file and list position it came from."""

    bank: BankFile
    index: int
    question: Question

    @property
    def id(self) -> str:
        return self.question.id

    def place(self, *loc: str | int, key: bool = False) -> Place:
        return _place(self.bank.source, ("questions", self.index, *loc), self.question.id, key=key)


@dataclass
class Corpus:
    """What the rules look at: every file that validated on its own, and the problems."""

    settings: LintSettings
    campaign_source: SourceMap | None = None
    signatories: Signatories | None = None
    signatories_source: SourceMap | None = None
    banks: list[BankFile] = field(default_factory=list)
    events: list[EventFile] = field(default_factory=list)
    banks_complete: bool = True  # False: a bank failed to load, so "unknown" may be wrong
    problems: list[Problem] = field(default_factory=list)
    project: Project | None = None  # the whole project, when it validated

    def questions(self) -> list[QuestionRef]:
        return [QuestionRef(b, i, q) for b in self.banks for i, q in enumerate(b.bank.questions)]

    def find(self, qid: str) -> QuestionRef | None:
        """The first question with this id (rules run after loading, so this can be cached)."""
        return self._index.get(qid)

    @cached_property
    def _index(self) -> dict[str, QuestionRef]:
        index: dict[str, QuestionRef] = {}
        for ref in self.questions():
            index.setdefault(ref.id, ref)
        return index


Check = Callable[[Corpus], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    check: Check | None  # None: filled in by the runner (PK001)
    locked: bool = False  # mirrors a validation error: cannot be turned off or downgraded


RULES: dict[str, Rule] = {}


def rule(
    code: str, name: str, severity: Severity, summary: str, *, locked: bool = False
) -> Callable[[Check], Check]:
    """Register a rule function under its code."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = Rule(code, name, severity, summary, check, locked)
        return check

    return register


RULES["PK001"] = Rule(
    "PK001",
    "invalid",
    "error",
    "The project does not validate (YAML, schema, files, references, "
    "selection): the same problems `presskit validate` reports.",
    None,
    locked=True,
)


# ---------------------------------------------------------------------------------------------
# Text helpers


def normalise(text: str) -> str:
    """Case, spacing and quote marks folded, so trivially different copies compare equal."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return re.findall(r"\w+(?:'\w+)*", normalise(text))


def similarity(a: str, b: str) -> float:
    """How alike two questions read, 0 to 1: difflib's ratio over their words."""
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


def _live(corpus: Corpus) -> list[QuestionRef]:
    """Questions that can still reach a kit; retired ones are history, not duplicates."""
    return [r for r in corpus.questions() if r.question.status != "retired"]


# ---------------------------------------------------------------------------------------------
# The configuration itself


@rule(
    "PK002",
    "bad-lint-setting",
    "error",
    "A lint setting or silence names an unknown rule, or tries to switch off a rule that "
    "mirrors a validation error.",
    locked=True,
)
def _lint_settings(corpus: Corpus) -> Iterator[Hit]:
    if corpus.campaign_source is not None:
        for code, setting in corpus.settings.rules.items():
            where = _place(corpus.campaign_source, ("lint", "rules", code), key=True)
            if code not in RULES:
                yield Hit(
                    where,
                    f"no lint rule {code}{did_you_mean(code, RULES)}",
                    "Run `presskit lint --rules` to list the rules.",
                )
            elif RULES[code].locked and setting not in (True, "error"):
                yield Hit(
                    where,
                    f"{code} cannot be turned off or made a warning: builds fail on what it finds",
                    f"Remove {code} from lint.rules.",
                )
    for ref in corpus.questions():
        for j, silence in enumerate(ref.question.lint.ignore if ref.question.lint else []):
            where = ref.place("lint", "ignore", j, "rule")
            if silence.rule not in RULES:
                yield Hit(
                    where,
                    f"no lint rule {silence.rule}{did_you_mean(silence.rule, RULES)}",
                    "Run `presskit lint --rules` to list the rules.",
                )
            elif RULES[silence.rule].locked:
                yield Hit(
                    where,
                    f"{silence.rule} cannot be silenced: builds fail on what it finds",
                    "Fix the problem instead.",
                )


@rule("PK003", "silence-without-reason", "error", "A question silences a rule without saying why.")
def _silence_reason(corpus: Corpus) -> Iterator[Hit]:
    for ref in corpus.questions():
        for j, silence in enumerate(ref.question.lint.ignore if ref.question.lint else []):
            if silence.reason is None:
                yield Hit(
                    ref.place("lint", "ignore", j),
                    f"silences {silence.rule} without a reason",
                    "Add `reason:` saying why the rule does not apply to this question.",
                )


# ---------------------------------------------------------------------------------------------
# Questions


@rule(
    "PK101",
    "duplicate-id",
    "error",
    "Two questions share an id; ids are unique across all banks.",
    locked=True,
)
def _duplicate_id(corpus: Corpus) -> Iterator[Hit]:
    first: dict[str, QuestionRef] = {}
    for ref in corpus.questions():
        if ref.id in first:
            other = first[ref.id].place("id")
            yield Hit(
                ref.place("id"),
                f"duplicate question id {ref.id!r} (first used at {other.path}:{other.line})",
                "Give this question a new id; ids are never reused, not even those of "
                "retired questions.",
                (other,),
            )
        else:
            first[ref.id] = ref


@rule(
    "PK102",
    "duplicate-text",
    "error",
    "Two live questions have the same text once case, spacing and quote marks are ignored.",
)
def _duplicate_text(corpus: Corpus) -> Iterator[Hit]:
    first: dict[str, QuestionRef] = {}
    for ref in _live(corpus):
        key = normalise(ref.question.text)
        if key in first:
            other = first[key].place("text")
            yield Hit(
                ref.place("text"),
                f"same text as {first[key].id!r} ({other.path}:{other.line})",
                "Keep one of them: delete or retire the other.",
                (other,),
            )
        else:
            first[key] = ref


@rule(
    "PK103",
    "near-duplicate",
    "warning",
    "Two live questions read almost the same (lint.similarity sets how alike, default 0.8).",
)
def _near_duplicate(corpus: Corpus) -> Iterator[Hit]:
    """Each question is compared with every earlier one; one finding names all its look-alikes.

    difflib's ratio over words (not characters) keeps unrelated questions that share the
    letters of "What does ... look like" well apart (at most 0.48 in the shipped banks, while
    rewordings score 0.8 and up). It is in the standard library, and with its cheap upper
    bounds a few hundred questions take well under a second, so rapidfuzz is not needed.
    """
    threshold = corpus.settings.similarity
    refs = _live(corpus)
    tokens = [words(r.question.text) for r in refs]
    for j in range(len(refs)):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(tokens[j])
        alike: list[tuple[float, int]] = []
        for i in range(j):
            if tokens[i] == tokens[j]:
                continue  # exact duplicates are PK102's
            matcher.set_seq1(tokens[i])
            # The cheap upper bounds skip most pairs without the full comparison.
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                alike.append((ratio, i))
        if alike:
            alike.sort(key=lambda pair: (-pair[0], pair[1]))
            names = "; ".join(
                f"{ratio:.0%} similar to {refs[i].id!r} ({refs[i].question.text!r})"
                for ratio, i in alike
            )
            yield Hit(
                refs[j].place("text"),
                names,
                "Merge them, reword one so each asks something different, or retire one.",
                tuple(refs[i].place("text") for _, i in alike),
            )


@rule("PK104", "no-question-mark", "warning", "The text does not end with a question mark.")
def _question_mark(corpus: Corpus) -> Iterator[Hit]:
    for ref in corpus.questions():
        if not ref.question.text.rstrip().endswith(_QUESTION_MARKS):
            yield Hit(
                ref.place("text"),
                "does not end with a question mark",
                "Phrase it as a question ending in '?': a statement invites a speech, not "
                "an answer.",
            )


@rule(
    "PK105",
    "too-long",
    "warning",
    "The text has more words than fit a red-carpet exchange (lint.max_words, default 25).",
)
def _too_long(corpus: Corpus) -> Iterator[Hit]:
    limit = corpus.settings.max_words
    for ref in corpus.questions():
        count = len(ref.question.text.split())
        if count > limit:
            yield Hit(
                ref.place("text"),
                f"{plural(count, 'word')}; the limit is {limit}",
                "Cut it down; move context into `notes` or a follow-up.",
            )


@rule(
    "PK106",
    "closed-opener",
    "warning",
    'The text opens like a yes/no question ("Do you", "Are you"...).',
)
def _closed_opener(corpus: Corpus) -> Iterator[Hit]:
    openers = corpus.settings.closed_openers or CLOSED_OPENERS
    for ref in corpus.questions():
        text = normalise(ref.question.text).lstrip("'\"(")
        for opener in openers:
            if re.match(re.escape(normalise(opener)) + r"\b", text):
                yield Hit(
                    ref.place("text"),
                    f"opens with {opener!r}, which invites a yes or no",
                    f'Make it open-ended: start with What, How or Why ("What ..." '
                    f'rather than "{opener} ...").',
                )
                break


@rule(
    "PK107",
    "empty-follow-up",
    "warning",
    "A question has an empty follow_ups list, or a follow-up with no words in it.",
)
def _empty_follow_ups(corpus: Corpus) -> Iterator[Hit]:
    for ref in corpus.questions():
        loc = ("questions", ref.index, "follow_ups")
        if not ref.question.follow_ups and loc in ref.bank.source.values:
            yield Hit(
                ref.place("follow_ups", key=True),
                "follow_ups is empty",
                "Write a follow-up question, or remove the `follow_ups:` key.",
            )
        for k, text in enumerate(ref.question.follow_ups):
            if not words(text):
                yield Hit(
                    ref.place("follow_ups", k),
                    f"follow-up {text!r} has no words",
                    "Write the follow-up question, or remove the entry.",
                )


# ---------------------------------------------------------------------------------------------
# Events


@rule(
    "PK201",
    "unknown-reference",
    "error",
    "An event names a bank, tag or question id that does not exist.",
    locked=True,
)
def _unknown_reference(corpus: Corpus) -> Iterator[Hit]:
    if not corpus.banks_complete:
        return  # a bank that failed to load would make every reference to it look unknown
    names = known([b.slug for b in corpus.banks], (r.question for r in corpus.questions()))
    for event in corpus.events:
        for bad in bad_references(event.event.select, names):
            if bad.missing and bad.loc[1] in _NAMED_BY_PK201:
                hint = "Fix the spelling, or add what it names."
                yield Hit(_place(event.source, bad.loc), bad.message, hint)


# What PK201 reports; the other bad references (unknown tones, quotas naming unknown banks,
# ids listed twice...) reach lint as the loader's problems, as PK001.
_NAMED_BY_PK201 = ("banks", "tags", "exclude_tags", "pinned", "exclude")


@rule(
    "PK202",
    "pins-unapproved",
    "error",
    "An event pins a draft or retired question, which cannot reach its kit.",
    locked=True,
)
def _pins_unapproved(corpus: Corpus) -> Iterator[Hit]:
    for event in corpus.events:
        for i, qid in enumerate(event.event.select.pinned):
            ref = corpus.find(qid)
            if ref is not None and ref.question.status != "approved":
                status = ref.question.status
                yield Hit(
                    _place(event.source, ("select", "pinned", i), qid),
                    f"pins {qid!r}, which is {status}",
                    "Approve the question, or unpin it."
                    if status == "draft"
                    else "Unpin it: retired questions never return to kits.",
                    (ref.place("status"),),
                )


@rule(
    "PK203",
    "not-enough-questions",
    "error",
    "An event asks for more questions than its banks have approved questions to give.",
    locked=True,
)
def _not_enough(corpus: Corpus) -> Iterator[Hit]:
    if not corpus.banks_complete:
        return  # a bank that failed to load would make the count look short
    approved = allowed_statuses(include_drafts=False)
    by_slug = {b.slug: b for b in corpus.banks}
    for event in corpus.events:
        sel = event.event.select
        names = sel.banks if sel.banks else list(by_slug)
        if any(n not in by_slug for n in names):
            continue  # PK201 reports the unknown bank
        pins = [r for r in map(corpus.find, sel.pinned) if r and r.question.status in approved]
        per_bank = {
            n: sum(
                q.id not in sel.pinned and not left_out_by(q, n, sel, approved)
                for q in by_slug[n].bank.questions
            )
            for n in names
        }
        have = len(pins) + sum(per_bank.values())
        if have < sel.count:
            shares = ", ".join([f"pinned {len(pins)}", *(f"{n} {k}" for n, k in per_bank.items())])
            yield Hit(
                _place(event.source, ("select", "count")),
                f"asks for {sel.count} questions but its banks have only {have} approved "
                f"ones that match ({shares})",
                "Lower select.count, add banks or tags, or approve more questions.",
            )


# ---------------------------------------------------------------------------------------------
# Signatories


@rule(
    "PK301",
    "duplicate-signatory",
    "error",
    "The same name appears twice in the signatory list (after Unicode NFKC, case folding "
    "and spacing are normalised).",
)
def _duplicate_signatory(corpus: Corpus) -> Iterator[Hit]:
    if corpus.signatories is None or corpus.signatories_source is None:
        return
    first: dict[str, Place] = {}
    for i, signatory in enumerate(corpus.signatories.signatories):
        key = normalise(signatory.name)
        where = _place(corpus.signatories_source, ("signatories", i, "name"))
        if key in first:
            yield Hit(
                where,
                f"{signatory.name!r} is already listed at line {first[key].line}",
                "Remove the repeated entry.",
                (first[key],),
            )
        else:
            first[key] = where


# ---------------------------------------------------------------------------------------------
# Languages


@rule(
    "PK401",
    "missing-translation",
    "warning",
    "An event's kits show a question, its follow-ups or notes, or a theme heading in the "
    "original language: there is no translation into the event's language (or no label "
    "catalogue for it).",
)
def _missing_translation(corpus: Corpus) -> Iterator[Hit]:
    from presskit.kits.i18n import available_languages, has_catalogue
    from presskit.kits.translate import missing_translations

    if corpus.project is None:
        return
    for event in corpus.events:
        language = event.event.language
        if (
            language
            and language != corpus.project.campaign.language
            and not (has_catalogue(language))
        ):
            yield Hit(
                _place(event.source, ("language",)),
                f"presskit has no labels in {language!r}, so this event's kits show "
                "labels such as 'Questions' in English",
                f"Use one of {', '.join(available_languages())}, or add a catalogue "
                "under presskit/kits/locales/.",
            )
    try:
        selections = select_all(corpus.project)
    except ValidationFailed:
        return  # PK001 reports why selection fails
    for missing in missing_translations(corpus.project, selections):
        p = missing.problem
        yield Hit(
            Place(p.path, p.line, p.col, missing.question_id),
            missing.message,
            missing.hint[0].upper() + missing.hint[1:] + "; until then the original text is used.",
        )


# ---------------------------------------------------------------------------------------------
# Running


@dataclass
class Report:
    findings: list[Finding]
    banks: int
    questions: int
    events: int

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


def severity_of(code: str, settings: LintSettings) -> Severity | None:
    """The configured severity of a rule, or None if it is turned off."""
    rule_ = RULES[code]
    setting = settings.rules.get(code, True)
    if rule_.locked or setting is True:
        return rule_.severity
    if setting is False:
        return None
    return setting


def lint_project(root: Path, display: str) -> Report:
    """Validate, then run every enabled rule; the findings come back sorted by place."""
    corpus = gather(root, display)
    findings: list[Finding] = []
    for code, rule_ in RULES.items():
        severity = severity_of(code, corpus.settings)
        if rule_.check is None or severity is None:
            continue
        for hit in rule_.check(corpus):
            if not rule_.locked and _silenced(corpus, code, hit):
                continue
            findings.append(
                Finding(
                    hit.place.path,
                    hit.place.line,
                    hit.place.col,
                    code,
                    severity,
                    hit.message,
                    hit.hint,
                    hit.place.question,
                    hit.related,
                )
            )
    # A validation problem that a rule already reports at the same place is not repeated.
    explained = {(f.path, f.line, f.col) for f in findings if RULES[f.code].locked}
    for problem in corpus.problems:
        if (problem.path, problem.line, problem.col) in explained:
            continue
        message = f"{problem.field}: {problem.message}" if problem.field else problem.message
        findings.append(
            Finding(
                problem.path,
                problem.line,
                problem.col,
                "PK001",
                "error",
                message,
                "Fix the file as the message says; `presskit validate` reports the same problem.",
            )
        )
    return Report(
        sorted(set(findings)), len(corpus.banks), len(corpus.questions()), len(corpus.events)
    )


def _silenced(corpus: Corpus, code: str, hit: Hit) -> bool:
    """A hit is silenced if any question it names (itself or a related one) silences it."""
    ids = {hit.place.question, *(r.question for r in hit.related)} - {None}
    for qid in ids:
        ref = corpus.find(qid) if qid else None
        if ref and ref.question.lint and any(s.rule == code for s in ref.question.lint.ignore):
            return True
    return False


def gather(root: Path, display: str) -> Corpus:
    """Load the project as `validate` does, keeping going past problems: every file that loads
    is linted, and if the whole project loads, its selection problems are reported too."""
    loaded = load_partial(root, display)
    corpus = Corpus(
        settings=loaded.campaign.lint if loaded.campaign is not None else LintSettings(),
        campaign_source=loaded.campaign_source,
        signatories=loaded.signatories,
        signatories_source=loaded.signatories_source,
        banks=list(loaded.banks),
        events=list(loaded.events),
        banks_complete=loaded.banks_complete,
        problems=list(loaded.problems),
        project=loaded.project,
    )
    if loaded.project is not None:
        try:
            select_all(loaded.project, explain=False)  # only its problems are wanted
        except ValidationFailed as exc:
            corpus.problems.extend(exc.problems)
    return corpus


# ---------------------------------------------------------------------------------------------
# Output


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps([f.to_json() for f in report.findings], indent=2, ensure_ascii=False) + "\n"
        )
    if fmt == "github":
        return "".join(_annotation(f) + "\n" for f in report.findings)
    lines = []
    for f in report.findings:
        about = f" [{f.question}]" if f.question else ""
        lines.append(f"{f.path}:{f.line}:{f.col}: {f.severity} {f.code}{about}: {f.message}")
        lines.append(f"    hint: {f.hint}")
        lines.extend(f"    see: {r}" for r in f.related)
    checked = (
        f"{plural(report.banks, 'bank')}, {plural(report.questions, 'question')}, "
        f"{plural(report.events, 'event')}"
    )
    if report.findings:
        lines.append(
            f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')} ({checked})"
        )
    else:
        lines.append(f"no problems ({checked})")
    return "\n".join(lines) + "\n"


def _escape(value: str, *, prop: bool = False) -> str:
    """GitHub workflow-command escaping (properties also escape ':' and ',')."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _annotation(f: Finding) -> str:
    props = ",".join(
        [
            f"file={_escape(f.path, prop=True)}",
            f"line={f.line}",
            f"col={f.col}",
            f"title={_escape(f.code, prop=True)}",
        ]
    )
    about = f"[{f.question}] " if f.question else ""
    message = _escape(f"{about}{f.message}" + "\n" + f"hint: {f.hint}")
    return f"::{f.severity} {props}::{message}"


def describe_rules() -> str:
    """The rule list for `presskit lint --rules` and the README."""
    lines = []
    for r in RULES.values():
        lock = ", always on" if r.locked else ""
        lines.append(f"{r.code} {r.name} ({r.severity}{lock}): {r.summary}")
    return "\n".join(lines) + "\n"
