"""Fingerprints bind approvals and translations to the exact English they were made for."""

from __future__ import annotations

from presskit.project.fingerprint import (
    FINGERPRINT_LENGTH,
    changed_since_approval,
    fingerprint,
    outdated,
    question_content,
    question_fingerprint,
)
from presskit.project.models import Question


def _question(**fields: object) -> Question:
    base: dict[str, object] = {"id": "q-one", "text": "What will you do?", "status": "approved"}
    return Question.model_validate(base | fields)


def test_a_fingerprint_is_short_hex_and_stable() -> None:
    first = fingerprint(["What will you do?"])
    assert len(first) == FINGERPRINT_LENGTH
    assert int(first, 16) >= 0
    assert fingerprint(["What will you do?"]) == first


def test_rewrapping_and_composed_accents_are_not_a_change() -> None:
    assert fingerprint(["What  will\n you do?"]) == fingerprint(["What will you do?"])
    composed, decomposed = "Que ferez-vous, André ?", "Que ferez-vous, Andre\u0301 ?"
    assert fingerprint([decomposed]) == fingerprint([composed])


def test_any_change_to_the_words_is_a_change() -> None:
    assert fingerprint(["What will you do?"]) != fingerprint(["What would you do?"])
    # parts are kept apart: moving words between text and follow-up is a change
    assert fingerprint(["a b", "c"]) != fingerprint(["a", "b c"])


def test_text_follow_ups_and_notes_are_the_content() -> None:
    plain = question_fingerprint(_question())
    assert question_fingerprint(_question(follow_ups=["Why?"])) != plain
    assert question_fingerprint(_question(notes="Context.")) != plain
    assert question_fingerprint(_question(tags=["quick"])) == plain  # tags are not wording


def test_prep_is_content_and_its_absence_keeps_older_fingerprints() -> None:
    plain = _question()
    # approving covers the talent brief's prep text: changing it needs review again
    assert question_fingerprint(_question(prep="What it asks.")) != question_fingerprint(plain)
    approved = _question(prep="What it asks.", approved_as=question_fingerprint(plain))
    assert changed_since_approval(approved)
    # without prep, the content is what it was before the field existed
    assert question_content(plain) == [plain.text, *plain.follow_ups, plain.notes or ""]


def test_an_approval_goes_stale_when_the_wording_changes() -> None:
    approved = _question(approved_as=question_fingerprint(_question()))
    assert not changed_since_approval(approved)
    reworded = _question(text="What would you do?", approved_as=approved.approved_as)
    assert changed_since_approval(reworded)
    assert not changed_since_approval(_question())  # approved before fingerprints existed
    assert not changed_since_approval(reworded.model_copy(update={"status": "draft"}))


def test_a_translation_is_outdated_when_its_english_changed() -> None:
    assert outdated("0123456789", "abcdefabcd")
    assert not outdated("abcdefabcd", "abcdefabcd")
    assert not outdated(None, "abcdefabcd")
