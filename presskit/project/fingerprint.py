"""Short fingerprints of what people approved and what translators translated.

An approval or a translation is bound to the exact English it was made for: editing the text
later must not let the old approval (or the old Spanish) ship under the new wording. The one
rule for what a question's content is lives here (`question_content`), so approving, review,
translation export and lint all agree on what counts as "changed".
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from presskit.project.models import Bank, Campaign, Question

FINGERPRINT_LENGTH = 10  # hex digits: 40 bits, ample for the questions of one project


def fingerprint(parts: Iterable[str]) -> str:
    """A short, stable digest of some texts. Unicode is normalised (NFC) and runs of white
    space are collapsed, so re-wrapping a YAML line or an editor's composed accents do not
    count as a change; any change to the words does."""
    return _digest(tuple(parts))


# Selection asks whether each question changed since approval for every event (kits'
# eligibility): about 12 us a question uncached, a third of that once seen.
@lru_cache(maxsize=1 << 16)
def _digest(parts: tuple[str, ...]) -> str:
    canonical = "\x1f".join(" ".join(unicodedata.normalize("NFC", p).split()) for p in parts)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def question_content(question: Question) -> list[str]:
    """What a reviewer approves and a translator translates: the wording a reporter reads, and
    the `prep` text the talent brief prints. `prep` counts only when set, so the questions
    without it keep the fingerprints they were approved with before the field existed."""
    prep = [question.prep] if question.prep is not None else []
    return [question.text, *question.follow_ups, question.notes or "", *prep]


def question_fingerprint(question: Question) -> str:
    return fingerprint(question_content(question))


def bank_fingerprint(bank: Bank) -> str:
    """The bank's own translatable English: its theme and description."""
    return fingerprint([bank.theme, bank.description or ""])


def campaign_fingerprint(campaign: Campaign) -> str:
    """The campaign's translatable English fields."""
    return fingerprint([campaign.tagline or ""])


def changed_since_approval(question: Question) -> bool:
    """An approved question whose wording is no longer the wording that was approved. One
    approved before fingerprints existed (no `approved_as`) is not "changed": lint reports it
    so the project can record its fingerprints."""
    return (
        question.status == "approved"
        and question.approved_as is not None
        and question.approved_as != question_fingerprint(question)
    )


def outdated(translated_from: str | None, source: str) -> bool:
    """A translation made from English that has since changed. One without a recorded source
    (made before fingerprints) is not outdated: lint reports it to be recorded."""
    return translated_from is not None and translated_from != source
