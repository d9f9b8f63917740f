"""What lint's parts share: where a finding is, what a rule reports, what the rules look at.

A rule is a function from the `Corpus` (every file that loaded) to `Hit`s, wrapped by `@rule`
with its code, name, default severity and summary. The runner turns hits into `Finding`s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from presskit.errors import Problem
from presskit.kits.select import Selection
from presskit.project.loading import BankFile, EventFile, Project
from presskit.project.models import Campaign, LintSettings, Question, Signatories
from presskit.project.yamlfile import Loc, SourceMap
from presskit.tools.lint.text import normalise, split_words

Severity = Literal["error", "warning"]


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


def place(source: SourceMap, loc: Loc, question: str | None = None, *, key: bool = False) -> Place:
    """Where `loc` is in `source` (its key rather than its value if `key`)."""
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
        return place(self.bank.source, ("questions", self.index, *loc), self.question.id, key=key)

    @cached_property
    def folded(self) -> str:
        """The text with case, spacing and quote marks folded (`text.normalise`), made once for
        the rules that compare texts (PK102, PK103, PK106): 10,000 questions took 0.06 s each."""
        return normalise(self.question.text)

    @cached_property
    def words(self) -> list[str]:
        """The text's words, as the near-duplicate rule compares them (`text.words`)."""
        return split_words(self.folded)

    def silences(self, code: str) -> bool:
        """Whether this question silences rule `code` for itself (`lint: ignore:`)."""
        return bool(self.question.lint and any(s.rule == code for s in self.question.lint.ignore))


@dataclass
class Corpus:
    """What the rules look at: every file that validated on its own, and the problems."""

    settings: LintSettings
    campaign: Campaign | None = None
    campaign_source: SourceMap | None = None
    signatories: Signatories | None = None
    signatories_source: SourceMap | None = None
    banks: list[BankFile] = field(default_factory=list)
    events: list[EventFile] = field(default_factory=list)
    banks_complete: bool = True  # False: a bank failed to load, so "unknown" may be wrong
    problems: list[Problem] = field(default_factory=list)
    project: Project | None = None  # the whole project, when it validated
    # Every event's selection, drawn once while gathering; None when the project did not
    # validate or an event cannot be drawn (PK001 says why).
    selections: list[Selection] | None = None
    rules: Mapping[str, Rule] = field(default_factory=dict)  # the rules run, for PK002

    def questions(self) -> list[QuestionRef]:
        """Every question of every bank, in order (rules run after loading, so it is cached)."""
        return self._questions

    @cached_property
    def _questions(self) -> list[QuestionRef]:
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


def rule(
    code: str, name: str, severity: Severity, summary: str, *, locked: bool = False
) -> Callable[[Check], Rule]:
    """Make a rule of a check function; the registry collects the rules of each rule module."""

    def make(check: Check) -> Rule:
        return Rule(code, name, severity, summary, check, locked)

    return make
