"""The one drawability rule: each filter alone keeps a question out, with the key to relax."""

from __future__ import annotations

from typing import Any

import pytest

from presskit.kits.eligibility import (
    allowed_statuses,
    draws_from,
    kit_status,
    left_out_by,
    reachable,
)
from presskit.project.fingerprint import question_fingerprint
from presskit.project.models import Question, Selection

APPROVED = allowed_statuses(include_drafts=False)


def question(**fields: Any) -> Question:
    return Question.model_validate(
        {"id": "q-one", "text": "What?", "status": "approved", "tags": ["quick"], **fields}
    )


def rules(**fields: Any) -> Selection:
    return Selection.model_validate({"count": 1, **fields})


def test_a_question_no_rule_keeps_out_is_drawable() -> None:
    assert left_out_by(question(), rules(), APPROVED) == []
    assert reachable(question(), "alpha", rules(), APPROVED)


@pytest.mark.parametrize(
    ("fields", "select", "expected"),
    [
        ({}, {"exclude": ["q-one"]}, ("exclude", "excluded by id (select.exclude)")),
        ({"status": "draft"}, {}, ("status", "status is draft")),
        ({}, {"tags": ["deep", "long"]}, ("tags", "has none of the tags deep, long")),
        ({}, {"exclude_tags": ["quick"]}, ("exclude_tags", "has excluded tag quick")),
        (
            {"tone": "light"},
            {"tones": ["serious", "warm"]},
            ("tones", "tone is light, not serious or warm (select.tones)"),
        ),
        ({}, {"tones": ["serious"]}, ("tones", "has no tone, not serious (select.tones)")),
    ],
)
def test_each_rule_alone_keeps_a_question_out(
    fields: dict[str, Any], select: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert left_out_by(question(**fields), rules(**select), APPROVED) == [expected]
    assert not reachable(question(**fields), "alpha", rules(**select), APPROVED)


def test_freshness_counts_the_events_in_words() -> None:
    used = {"q-one": "gala (2027-03-07)"}
    one = left_out_by(question(), rules(fresh_after=1), APPROVED, used)
    assert one == [
        (
            "fresh_after",
            "used by gala (2027-03-07), one of the 1 event before this one (select.fresh_after)",
        )
    ]
    # freshness depends on earlier draws, so it does not make a question unreachable
    assert reachable(question(), "alpha", rules(fresh_after=1), APPROVED)


def test_every_rule_that_applies_is_named_in_order() -> None:
    found = left_out_by(
        question(status="draft", tone="light"),
        rules(exclude=["q-one"], tones=["serious"]),
        APPROVED,
    )
    assert [key for key, _ in found] == ["exclude", "status", "tones"]


def test_drafts_are_drawable_only_when_asked_for() -> None:
    draft = question(status="draft")
    assert left_out_by(draft, rules(), allowed_statuses(include_drafts=True)) == []
    assert left_out_by(question(status="retired"), rules(), allowed_statuses(True)) == [
        ("status", "status is retired")
    ]


def test_a_pin_beats_every_filter_but_status() -> None:
    pinned = rules(pinned=["q-one"], tags=["deep"], tones=["serious"], exclude_tags=["quick"])
    assert reachable(question(), "alpha", pinned, APPROVED)
    assert not reachable(question(status="draft"), "alpha", pinned, APPROVED)


def test_an_event_draws_from_every_bank_unless_it_names_some() -> None:
    assert draws_from("alpha", rules())
    assert draws_from("alpha", rules(banks=[]))  # as selection reads it: no banks named
    assert draws_from("alpha", rules(banks=["alpha"]))
    assert not draws_from("alpha", rules(banks=["beta"]))
    assert not reachable(question(), "alpha", rules(banks=["beta"]), APPROVED)
    assert reachable(question(), "alpha", rules(banks=["beta"], pinned=["q-one"]), APPROVED)


def test_a_question_changed_since_approval_counts_as_a_draft() -> None:
    approved = question(approved_as=question_fingerprint(question()))
    assert kit_status(approved) == "approved"
    assert left_out_by(approved, rules(), APPROVED) == []
    changed = question(text="What now?", approved_as=approved.approved_as)
    assert kit_status(changed) == "draft"
    assert left_out_by(changed, rules(), APPROVED) == [
        ("status", "changed since approval (presskit review, then presskit approve)")
    ]
    assert not reachable(changed, "alpha", rules(pinned=["q-one"]), APPROVED)  # not even pinned
    drafts = allowed_statuses(include_drafts=True)
    assert reachable(changed, "alpha", rules(), drafts)  # a draft build shows it, as a draft
    assert kit_status(question()) == "approved"  # approved before fingerprints: as it was
