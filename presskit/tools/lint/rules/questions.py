"""Rules about questions: ids, duplicates, wording (PK101 to PK107)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from presskit.tools.lint.model import Corpus, Hit, QuestionRef, rule
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
def near_duplicate(corpus: Corpus) -> Iterator[Hit]:
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
