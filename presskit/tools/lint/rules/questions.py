"""Rules about questions: ids, duplicates, wording (PK101 to PK107)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from presskit.tools.lint.model import Corpus, Hit, QuestionRef, rule
from presskit.tools.lint.similar import similar_clusters
from presskit.tools.lint.text import normalise, words
from presskit.wording import plural

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
_QUESTION_MARKS = ("?", "\uff1f", "\u061f")  # ASCII, full-width, Arabic


def _live(corpus: Corpus) -> list[QuestionRef]:
    """Questions that can still reach a kit; retired ones are history, not duplicates."""
    return [r for r in corpus.questions() if r.question.status != "retired"]


@rule(
    "PK101",
    "duplicate-id",
    "error",
    "Two questions share an id; ids are unique across all banks.",
    locked=True,
)
def duplicate_id(corpus: Corpus) -> Iterator[Hit]:
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
def duplicate_text(corpus: Corpus) -> Iterator[Hit]:
    first: dict[str, QuestionRef] = {}
    for ref in _live(corpus):
        key = ref.folded
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


NEAR_DUPLICATE = "PK103"
SHOWN = 5  # members a near-duplicate finding names; the rest are counted


@rule(
    NEAR_DUPLICATE,
    "near-duplicate",
    "warning",
    "Live questions that read almost the same (lint.similarity sets how alike, default 0.8).",
)
def near_duplicate(corpus: Corpus) -> Iterator[Hit]:
    """One finding per cluster of look-alikes, at its first question, naming the others.

    difflib's ratio over words (not characters) keeps unrelated questions that share the
    letters of "What does ... look like" well apart (at most 0.48 in the shipped banks, while
    rewordings score 0.8 and up). `similar_clusters` finds exactly the clusters that comparing
    every pair would, through an index, so 10,000 questions take a second, not minutes. A question
    that silences this rule takes no part: its look-alikes are still compared with each other.
    """
    refs = [r for r in _live(corpus) if not r.silences(NEAR_DUPLICATE)]
    tokens = [r.words for r in refs]
    for cluster in similar_clusters(tokens, corpus.settings.similarity):
        (first, _), *others = cluster
        shown = others[:SHOWN]
        names = [
            f"{ratio:.0%} like {refs[k].id!r} ({refs[k].question.text!r})" for k, ratio in shown
        ]
        if len(others) > SHOWN:
            names.append(f"and {len(others) - SHOWN} more")
        lead = "reads " if len(others) == 1 else f"one of {len(cluster)} look-alikes; reads "
        yield Hit(
            refs[first].place("text"),
            lead + "; ".join(names),
            "Merge them, reword them so each asks something different, or retire some.",
            tuple(refs[k].place("text") for k, _ in shown),
        )


@rule("PK104", "no-question-mark", "warning", "The text does not end with a question mark.")
def question_mark(corpus: Corpus) -> Iterator[Hit]:
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
def too_long(corpus: Corpus) -> Iterator[Hit]:
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
def closed_opener(corpus: Corpus) -> Iterator[Hit]:
    openers = corpus.settings.closed_openers or CLOSED_OPENERS
    # One pattern, compiled once: its alternatives are tried in order, as the list is read.
    pattern = re.compile("|".join(f"({re.escape(normalise(o))})\\b" for o in openers))
    for ref in corpus.questions():
        found = pattern.match(ref.folded.lstrip("'\"("))
        if found and found.lastindex:
            opener = openers[found.lastindex - 1]
            yield Hit(
                ref.place("text"),
                f"opens with {opener!r}, which invites a yes or no",
                f'Make it open-ended: start with What, How or Why ("What ..." '
                f'rather than "{opener} ...").',
            )


@rule(
    "PK107",
    "empty-follow-up",
    "warning",
    "A question has an empty follow_ups list, or a follow-up with no words in it.",
)
def empty_follow_ups(corpus: Corpus) -> Iterator[Hit]:
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
