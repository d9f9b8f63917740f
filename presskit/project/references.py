"""Does everything an event's selection names exist? One check, for loading and for lint.

An event's `select` names banks, tags, tones and question ids. Loading reports a name that does
not exist (or a list that contradicts itself) as a problem; `presskit lint` reports the same
findings, with a hint, as PK201. Both ask `bad_references`, so they never disagree.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from presskit.errors import Problem
from presskit.project.models import Question, Selection
from presskit.project.yamlfile import Loc, SourceMap
from presskit.wording import plural


@dataclass(frozen=True)
class Known:
    """What events may name: bank slugs, and the tags, tones and ids of the banks' questions."""

    banks: tuple[str, ...]
    tags: frozenset[str]
    tones: frozenset[str]
    questions: frozenset[str]


@dataclass(frozen=True)
class BadReference:
    """One thing wrong with what an event's `select` names, at `loc` in the event file."""

    loc: Loc
    message: str
    missing: bool  # names something that does not exist (not: contradicts another rule)


def known(banks: Iterable[str], questions: Iterable[Question]) -> Known:
    """Collected once, not once per event: 50 events x 500 questions add up."""
    every = list(questions)
    return Known(
        banks=tuple(banks),
        tags=frozenset(t for q in every for t in q.tags),
        tones=frozenset(q.tone for q in every if q.tone),
        questions=frozenset(q.id for q in every),
    )


SHORTLIST = 5  # past this many choices, difflib compares with a shortlist only


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice, if one is close enough to be a typo; else "".

    difflib decides (its ratio, cutoff 0.6), but over thousands of choices it is slow: 1,000
    unknown ids against 1,000 known took 40 s. Past `SHORTLIST` choices, rapidfuzz (C++) first
    picks the few most alike; its Indel similarity is never below difflib's ratio, so no choice
    it leaves out could have passed difflib's cutoff."""
    pool = list(choices)
    if len(pool) > SHORTLIST:
        from rapidfuzz import fuzz, process  # only when there is a long list to search

        found = process.extract(word, pool, scorer=fuzz.ratio, limit=SHORTLIST, score_cutoff=59.9)
        pool = [choice for choice, _, _ in found]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def bad_references(sel: Selection, names: Known) -> list[BadReference]:
    """Every bank, tag, tone and question id `sel` names that does not exist, every id listed
    twice, pinned and excluded, or pinned beyond `count`, and every quota outside the banks."""
    bad: list[BadReference] = []

    def missing(loc: Loc, message: str) -> None:
        bad.append(BadReference(("select", *loc), message, missing=True))

    def conflict(loc: Loc, message: str) -> None:
        bad.append(BadReference(("select", *loc), message, missing=False))

    for i, slug in enumerate(sel.banks or []):
        if slug not in names.banks:
            missing(("banks", i), f"no bank named {slug!r}{did_you_mean(slug, names.banks)}")
    for key in ("tags", "exclude_tags"):
        for i, tag in enumerate(getattr(sel, key)):
            if tag not in names.tags:
                hint = did_you_mean(tag, names.tags)
                missing((key, i), f"no question has the tag {tag!r}{hint}")
    for key in ("pinned", "exclude"):
        seen: set[str] = set()
        for i, qid in enumerate(getattr(sel, key)):
            if qid not in names.questions:
                hint = did_you_mean(qid, names.questions)
                missing((key, i), f"no question with id {qid!r}{hint}")
            elif qid in seen:
                conflict((key, i), f"{qid!r} is listed twice")
            seen.add(qid)
    for i, qid in enumerate(sel.pinned):
        if qid in sel.exclude:
            conflict(("pinned", i), f"{qid!r} is both pinned and excluded")
    if len(sel.pinned) > sel.count:
        conflict(
            ("pinned",), f"pins {plural(len(sel.pinned), 'question')} but count is {sel.count}"
        )
    for slug in sel.quotas:
        if slug not in names.banks:
            missing(("quotas", slug), f"no bank named {slug!r}{did_you_mean(slug, names.banks)}")
        elif sel.banks and slug not in sel.banks:
            conflict(("quotas", slug), f"bank {slug!r} is not in select.banks")
    for i, tone in enumerate(sel.tones):
        if tone not in names.tones:
            hint = did_you_mean(tone, names.tones)
            missing(("tones", i), f"no question has the tone {tone!r}{hint}")
    return bad


def check_event(sel: Selection, source: SourceMap, names: Known) -> list[Problem]:
    """`bad_references` as located problems, for loading."""
    return [source.problem(b.loc, b.message) for b in bad_references(sel, names)]
