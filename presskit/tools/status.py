"""`presskit status`: where the banks stand, as one self-contained HTML page and a short summary.

For editors who do not read YAML: per bank, how many questions are approved, draft, changed
since approval or retired; per language, how many are translated, outdated or missing; per
event, which questions it draws (the build's own selection) and how often each question is used
across events; and the near-duplicate clusters lint finds. Nothing here decides anything anew:
"changed since approval" and "outdated" come from `project.fingerprint`, the draws from
`kits.select`, the clusters from lint's `similar`.

`collect` returns the data; `status_page` renders it with the built-in `status.html.j2`
(autoescaped, no scripts, no network: one file that opens anywhere, under the page's
Content-Security-Policy); `summary` is the text the command prints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from presskit.errors import ValidationFailed
from presskit.kits.select import Cache, Selection, select
from presskit.kits.translate import kit_language, translation_for
from presskit.pipeline.output import state_folder
from presskit.project.atomic import write_atomic
from presskit.project.fingerprint import (
    changed_since_approval,
    outdated,
    question_fingerprint,
)
from presskit.project.loading import Project
from presskit.project.models import Question
from presskit.render.templating import make_environment, render_page
from presskit.tools.lint.model import Corpus
from presskit.tools.lint.rules.questions import NEAR_DUPLICATE
from presskit.tools.lint.similar import similar_clusters
from presskit.tools.lint.text import words
from presskit.wording import plural

TEMPLATE = "status.html.j2"
PAGE = "status.html"
REVIEW = ("approved", "changed", "draft", "retired")  # a bank's questions, one state each
TRANSLATION = ("translated", "outdated", "missing")  # a question's state in one language


@dataclass(frozen=True)
class Segment:
    """One part of a bar: a state, its count, where it starts and its share (0-100)."""

    key: str
    label: str
    count: int
    start: float
    percent: float


@dataclass(frozen=True)
class Bar:
    """Counts by state, laid out as one stacked bar; `text` says it in words."""

    segments: tuple[Segment, ...]
    total: int

    @property
    def text(self) -> str:
        return ", ".join(f"{s.count} {s.label}" for s in self.segments)

    def count(self, key: str) -> int:
        return next(s.count for s in self.segments if s.key == key)


LABELS = {
    "approved": "approved",
    "changed": "changed since approval",
    "draft": "draft",
    "retired": "retired",
    "translated": "translated",
    "outdated": "outdated",
    "missing": "missing",
}


def bar(counts: Counter[str], keys: tuple[str, ...]) -> Bar:
    total = sum(counts[k] for k in keys)
    segments, start = [], 0.0
    for k in keys:
        share = round(100 * counts[k] / total, 2) if total else 0.0
        segments.append(Segment(k, LABELS[k], counts[k], start, share))
        start = round(start + share, 2)
    return Bar(tuple(segments), total)


@dataclass(frozen=True)
class BankStatus:
    slug: str
    theme: str
    review: Bar  # approved / changed since approval / draft / retired
    translations: dict[str, Bar]  # by language: translated / outdated / missing


@dataclass(frozen=True)
class Drawn:
    id: str
    bank: str
    text: str


@dataclass(frozen=True)
class EventStatus:
    slug: str
    name: str
    date: str
    language: str
    questions: tuple[Drawn, ...]
    problem: str | None = None  # why the event cannot be drawn (lint says more)


@dataclass(frozen=True)
class Use:
    id: str
    bank: str
    text: str
    events: tuple[str, ...]


@dataclass(frozen=True)
class Member:
    id: str
    bank: str
    text: str
    similarity: float  # to the closest other member, 0-1


@dataclass(frozen=True)
class Status:
    campaign: str
    language: str  # the banks' own language
    languages: tuple[str, ...]  # the others: events' kit languages and those with translations
    banks: tuple[BankStatus, ...]
    events: tuple[EventStatus, ...]
    uses: tuple[Use, ...]  # every question some event draws, most used first
    unused: int  # approved questions no event draws
    clusters: tuple[tuple[Member, ...], ...]
    similarity: float
    totals: dict[str, Bar] = field(default_factory=dict)  # "review" and each language


def review_state(question: Question) -> str:
    """One of REVIEW: an approved question whose wording changed is "changed", not approved."""
    if changed_since_approval(question):
        return "changed"
    return question.status


def translation_state(question: Question, language: str) -> str:
    """One of TRANSLATION, for the question's text in `language`."""
    found = translation_for(question.translations, language)
    if found is None:
        return "missing"
    return (
        "outdated"
        if outdated(found.translated_from, question_fingerprint(question))
        else ("translated")
    )


def _languages(project: Project) -> tuple[str, ...]:
    source = project.campaign.language
    found = {kit_language(project.campaign, e.event) for e in project.events}
    for bank_file in project.banks:
        found.update(bank_file.bank.translations)
        for q in bank_file.bank.questions:
            found.update(q.translations)
    return tuple(sorted(found - {source}))


def _bank(project: Project, slug: str, languages: tuple[str, ...]) -> BankStatus:
    bank_file = project.bank(slug)
    questions = bank_file.bank.questions
    live = [q for q in questions if q.status != "retired"]  # retired ones need no translation
    translations = {
        language: bar(Counter(translation_state(q, language) for q in live), TRANSLATION)
        for language in languages
    }
    return BankStatus(
        slug,
        bank_file.bank.theme,
        bar(Counter(review_state(q) for q in questions), REVIEW),
        translations,
    )


def _events(project: Project) -> tuple[list[EventStatus], list[Selection]]:
    events, selections = [], []
    cache: Cache = {}
    for event_file in project.events:  # date order, as the build draws them
        event = event_file.event
        language = kit_language(project.campaign, event)
        try:
            selection = select(project, event_file, cache=cache, explain=False)
        except ValidationFailed as exc:
            first = exc.problems[0] if exc.problems else None
            why = first.message if first is not None else "cannot be drawn"
            events.append(
                EventStatus(event_file.slug, event.name, event.date.isoformat(), language, (), why)
            )
            continue
        selections.append(selection)
        drawn = tuple(Drawn(p.question.id, p.bank.slug, p.question.text) for p in selection.picks)
        events.append(
            EventStatus(event_file.slug, event.name, event.date.isoformat(), language, drawn)
        )
    return events, selections


def _uses(project: Project, selections: list[Selection]) -> tuple[list[Use], int]:
    where: dict[str, list[str]] = {}
    for selection in selections:
        for pick in selection.picks:
            where.setdefault(pick.question.id, []).append(selection.event.slug)
    uses = [
        Use(qid, project.questions[qid][0].slug, project.questions[qid][1].text, tuple(events))
        for qid, events in where.items()
    ]
    uses.sort(key=lambda u: (-len(u.events), u.bank, u.id))
    unused = sum(
        q.status == "approved" and q.id not in where
        for b in project.banks
        for q in b.bank.questions
    )
    return uses, unused


def _clusters(project: Project) -> list[tuple[Member, ...]]:
    """Lint's near-duplicate clusters (PK103's questions, its threshold, its index)."""
    corpus = Corpus(settings=project.campaign.lint, banks=list(project.banks), project=project)
    refs = [
        r
        for r in corpus.questions()
        if r.question.status != "retired" and not r.silences(NEAR_DUPLICATE)
    ]
    texts = [words(r.question.text) for r in refs]
    found = []
    for cluster in similar_clusters(texts, project.campaign.lint.similarity):
        found.append(
            tuple(
                Member(refs[k].id, refs[k].bank.slug, refs[k].question.text, ratio)
                for k, ratio in cluster
            )
        )
    return found


def collect(project: Project) -> Status:
    """Everything the page and the summary show, as plain data."""
    languages = _languages(project)
    banks = tuple(_bank(project, b.slug, languages) for b in project.banks)
    events, selections = _events(project)
    uses, unused = _uses(project, selections)
    totals = {"review": _sum([b.review for b in banks], REVIEW)}
    for language in languages:
        totals[language] = _sum([b.translations[language] for b in banks], TRANSLATION)
    return Status(
        campaign=project.campaign.name,
        language=project.campaign.language,
        languages=languages,
        banks=banks,
        events=tuple(events),
        uses=tuple(uses),
        unused=unused,
        clusters=tuple(_clusters(project)),
        similarity=project.campaign.lint.similarity,
        totals=totals,
    )


def _sum(bars: list[Bar], keys: tuple[str, ...]) -> Bar:
    counts: Counter[str] = Counter()
    for b in bars:
        for s in b.segments:
            counts[s.key] += s.count
    return bar(counts, keys)


def render_status(status: Status) -> str:
    """The page's HTML: the built-in template only (a project's templates cannot replace
    it), autoescaped, with the Content-Security-Policy every presskit page carries."""
    return render_page(make_environment(None), TEMPLATE, {"status": status})


def status_page(project: Project) -> str:
    """The dashboard's HTML for `project` (what `presskit status` writes and serve shows)."""
    return render_status(collect(project))


def default_path(project: Project) -> Path:
    """Beside the build's state, never in the output folder, which is published whole: the
    page shows drafts and editorial notes."""
    return state_folder(project.root / "output") / PAGE


def write_status(project: Project, out: Path | None = None) -> tuple[Status, Path]:
    """Write the page (to `out`, or `default_path`); the data and where it went."""
    status = collect(project)
    path = out if out is not None else default_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, render_status(status).encode("utf-8"))
    return status, path


def summary(status: Status) -> str:
    """A few lines for the terminal: the totals, then what needs attention."""
    review = status.totals["review"]
    lines = [
        f"{plural(len(status.banks), 'bank')}, {plural(review.total, 'question')}: {review.text}"
    ]
    for language in status.languages:
        lines.append(f"{language}: {status.totals[language].text}")
    drawn = [e for e in status.events if e.problem is None]
    lines.append(
        f"{plural(len(status.events), 'event')} ({len(drawn)} drawn), "
        f"{plural(len(status.uses), 'question')} used, {status.unused} approved unused"
    )
    lines.append(f"{plural(len(status.clusters), 'near-duplicate cluster')}")
    return "\n".join(lines) + "\n"
