"""Rules about what waits for a person: approvals and translations whose English has changed
since (PK108, PK302), and approvals recorded before fingerprints existed (PK109).

What counts as a change is presskit.project.fingerprint's to say; these rules only report it.
"""

from __future__ import annotations

from collections.abc import Iterator

from presskit.project.fingerprint import (
    bank_fingerprint,
    campaign_fingerprint,
    changed_since_approval,
    outdated,
    question_fingerprint,
)
from presskit.tools.lint.model import Corpus, Hit, QuestionRef, place, rule
from presskit.wording import plural

RECORD = "presskit approve --record"


@rule(
    "PK108",
    "changed-since-approval",
    "warning",
    "An approved question's text, follow-ups or notes changed after it was approved: kits "
    "leave it out until it is approved again.",
)
def changed(corpus: Corpus) -> Iterator[Hit]:
    for ref in corpus.questions():
        if changed_since_approval(ref.question):
            yield Hit(
                ref.place("text"),
                "changed since it was approved, so kits leave it out until it is approved again",
                f"See what changed with `presskit review`, then `presskit approve {ref.id}`; "
                "or undo the edit.",
                (ref.place("approved_as"),),
            )


@rule(
    "PK109",
    "approval-not-recorded",
    "warning",
    "Approved questions without `approved_as`, from before approvals were recorded: a later "
    "edit to them would go unnoticed. One finding per bank.",
)
def not_recorded(corpus: Corpus) -> Iterator[Hit]:
    for refs in _unrecorded_by_bank(corpus):
        if refs:
            names = ", ".join(r.id for r in refs[:3]) + (", ..." if len(refs) > 3 else "")
            yield Hit(
                refs[0].place("status"),
                f"{plural(len(refs), 'approved question')} in this bank "
                f"{'has' if len(refs) == 1 else 'have'} no recorded approval ({names}), so "
                "a later edit to them would not be noticed",
                f"Run `{RECORD}` once: it records each one's current wording as the approved one.",
            )


def _unrecorded_by_bank(corpus: Corpus) -> list[list[QuestionRef]]:
    """Each bank's approved questions without `approved_as`, in bank order, from one pass over
    the questions: filtering every question once per bank was quadratic (2,000 banks of 50
    questions spent several seconds here)."""
    by_bank: dict[int, list[QuestionRef]] = {id(bank): [] for bank in corpus.banks}
    for r in corpus.questions():
        if r.question.status == "approved" and r.question.approved_as is None:
            by_bank[id(r.bank)].append(r)
    return list(by_bank.values())


@rule(
    "PK302",
    "outdated-translation",
    "warning",
    "A translation made from English that has changed since (its `translated_from` is not the "
    "English's fingerprint): kits show the English with a note, or the old translation with "
    "`outdated_translations: keep`.",
)
def outdated_translation(corpus: Corpus) -> Iterator[Hit]:
    keep = corpus.campaign is not None and corpus.campaign.outdated_translations == "keep"
    shows = "kits in it still show the outdated text" if keep else "kits in it show the English"
    # A fingerprint is a hash of the whole English text: only worked out for what has
    # translations to compare it with (most questions of a large project have none).
    for bank in corpus.banks:
        if not bank.bank.translations:
            continue
        current = bank_fingerprint(bank.bank)
        for language, t in bank.bank.translations.items():
            if outdated(t.translated_from, current):
                yield Hit(
                    place(bank.source, ("translations", language, "translated_from")),
                    f"the {language!r} translation of the theme was made from an earlier "
                    f"English theme or description; {shows}",
                    _hint(current),
                )
    for ref in corpus.questions():
        if ref.question.status == "retired" or not ref.question.translations:
            continue
        current = question_fingerprint(ref.question)
        for language, qt in ref.question.translations.items():
            if outdated(qt.translated_from, current):
                yield Hit(
                    ref.place("translations", language, "translated_from"),
                    f"the {language!r} translation was made from an earlier English text, "
                    f"follow-ups or notes; {shows}",
                    _hint(current),
                )
    if corpus.campaign is not None and corpus.campaign_source is not None:
        current = campaign_fingerprint(corpus.campaign)
        for language, ct in corpus.campaign.translations.items():
            if outdated(ct.translated_from, current):
                yield Hit(
                    place(corpus.campaign_source, ("translations", language, "translated_from")),
                    f"the {language!r} tagline was translated from an earlier English "
                    f"tagline; {shows}",
                    _hint(current),
                )


def _hint(current: str) -> str:
    return (
        "Bring the translation in line with the English as it is now, and record that with "
        f"`translated_from: '{current}'` (a translation import does both)."
    )
