"""Event references: one check, whose messages loading and lint (PK201) both show."""

from __future__ import annotations

import difflib
import time
from typing import Any

import pytest

from presskit.project.models import Question, Selection
from presskit.project.references import (
    SHORTLIST,
    BadReference,
    bad_references,
    check_event,
    did_you_mean,
    known,
)
from presskit.project.yamlfile import parse

QUESTIONS = [
    Question.model_validate(
        {"id": "a-one", "text": "What?", "status": "approved", "tags": ["quick"], "tone": "light"}
    ),
    Question.model_validate({"id": "b-one", "text": "How?", "status": "approved"}),
]
NAMES = known(["alpha", "beta"], QUESTIONS)


def bad(**select: Any) -> list[BadReference]:
    return bad_references(Selection.model_validate({"count": 2, **select}), NAMES)


def test_known_collects_what_events_may_name() -> None:
    assert NAMES.banks == ("alpha", "beta")
    assert NAMES.tags == {"quick"}
    assert NAMES.tones == {"light"}
    assert NAMES.questions == {"a-one", "b-one"}


def test_a_selection_naming_only_what_exists_is_fine() -> None:
    assert bad(banks=["alpha"], tags=["quick"], tones=["light"], pinned=["a-one"]) == []


def test_unknown_names_are_missing_with_a_suggestion() -> None:
    assert bad(
        banks=["alpah"],
        tags=["quik"],
        exclude_tags=["nothing"],
        pinned=["b-onee"],
        exclude=["zzz"],
        tones=["lite"],
        quotas={"gamma": 1},
    ) == [
        BadReference(("select", "banks", 0), "no bank named 'alpah' (did you mean 'alpha'?)", True),
        BadReference(
            ("select", "tags", 0), "no question has the tag 'quik' (did you mean 'quick'?)", True
        ),
        BadReference(("select", "exclude_tags", 0), "no question has the tag 'nothing'", True),
        BadReference(
            ("select", "pinned", 0), "no question with id 'b-onee' (did you mean 'b-one'?)", True
        ),
        BadReference(("select", "exclude", 0), "no question with id 'zzz'", True),
        BadReference(("select", "quotas", "gamma"), "no bank named 'gamma'", True),
        BadReference(
            ("select", "tones", 0), "no question has the tone 'lite' (did you mean 'light'?)", True
        ),
    ]


def test_contradictions_are_not_missing_names() -> None:
    found = bad(
        count=1,
        banks=["alpha"],
        pinned=["a-one", "a-one"],
        exclude=["a-one"],
        quotas={"beta": 1},
    )
    assert [(b.loc, b.message, b.missing) for b in found] == [
        (("select", "pinned", 1), "'a-one' is listed twice", False),
        (("select", "pinned", 0), "'a-one' is both pinned and excluded", False),
        (("select", "pinned", 1), "'a-one' is both pinned and excluded", False),
        (("select", "pinned"), "pins 2 questions but count is 1", False),
        (("select", "quotas", "beta"), "bank 'beta' is not in select.banks", False),
    ]


def test_check_event_locates_each_problem_in_the_event_file() -> None:
    text = "select:\n  count: 1\n  banks: [alpha, gamma]\n"
    data, source = parse(text, "events/gala.yaml")
    sel = Selection.model_validate(data["select"])
    assert [str(p) for p in check_event(sel, source, NAMES)] == [
        "events/gala.yaml:3:18: select.banks[1]: no bank named 'gamma'"
    ]


def test_did_you_mean_names_the_closest_choice_only_when_close() -> None:
    assert did_you_mean("alpah", ["alpha", "beta"]) == " (did you mean 'alpha'?)"
    assert did_you_mean("zzz", ["alpha", "beta"]) == ""
    assert did_you_mean("alpha", []) == ""


def test_did_you_mean_over_a_thousand_unknown_ids_is_linear(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # difflib over every choice made 1,000 unknown x 1,000 known ids take 40 s
    known = [f"q-{i:04d}-topic" for i in range(1000)]
    compared = 0
    set_seq1 = difflib.SequenceMatcher.set_seq1

    def counting(self: difflib.SequenceMatcher[str], a: str) -> None:
        nonlocal compared
        compared += 1
        set_seq1(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    started = time.perf_counter()
    hints = [did_you_mean(f"q-{i:04d}-topix", known) for i in range(1000)]
    assert time.perf_counter() - started < 5
    assert compared <= 1000 * (SHORTLIST + 1)  # (+1: the SequenceMatcher itself)
    assert hints[7] == " (did you mean 'q-0007-topic'?)"
    assert did_you_mean("zzzzzzzz", known) == ""
