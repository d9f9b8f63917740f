from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from presskit.errors import ValidationFailed
from presskit.kits.select import browse, select, select_all
from presskit.project.loading import load_project

Edit = Callable[[Path, str, str], None]


def chosen(root: Path, *, include_drafts: bool = False) -> list[str]:
    project = load_project(root, display="p")
    return select(project, project.event("gala"), include_drafts=include_drafts).question_ids


def test_pins_come_first_and_themes_are_balanced(mini: Path) -> None:
    project = load_project(mini, display="p")
    selection = select(project, project.event("gala"))
    # b-two is pinned, so beta has one; the next picks alternate, fewest-so-far first
    assert [t.bank.slug for t in selection.themes] == ["beta", "alpha"]
    assert selection.question_ids == ["b-two", "b-one", "a-one", "a-two"]
    reasons = {p.question.id: p.reason for p in selection.picks}
    assert reasons["b-two"] == "pinned (#1 in select.pinned)"
    assert reasons["a-one"].startswith("balances themes")
    left = {o.question.id: o.reason for o in selection.left_out}
    assert left == {
        "a-three": "not needed: count of 4 reached",
        "a-draft": "status is draft",
        "a-retired": "status is retired",
    }


def test_selection_is_deterministic(mini: Path) -> None:
    assert chosen(mini) == chosen(mini)


def test_tag_filters_and_exclusions(mini: Path, edit: Edit) -> None:
    edit(
        mini / "events/gala.yaml",
        "  count: 4\n  pinned: [b-two]",
        "  count: 2\n  tags: [quick]\n  exclude: [a-one]",
    )
    assert chosen(mini) == ["a-three", "b-one"]
    edit(mini / "events/gala.yaml", "  tags: [quick]", "  exclude_tags: [quick]")
    assert chosen(mini) == ["a-two", "b-two"]


def test_bank_list_limits_and_orders_themes(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "  count: 4\n  pinned: [b-two]", "  count: 2\n  banks: [alpha]")
    assert chosen(mini) == ["a-one", "a-two"]


def test_drafts_only_with_include_drafts(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "  count: 4\n  pinned: [b-two]", "  count: 4\n  banks: [alpha]")
    assert chosen(mini, include_drafts=True) == ["a-one", "a-two", "a-three", "a-draft"]
    with pytest.raises(ValidationFailed, match="only 3 match"):
        chosen(mini)


def test_too_few_questions_says_by_how_much(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "count: 4", "count: 9")
    project = load_project(mini, display="p")
    with pytest.raises(ValidationFailed) as exc:
        select_all(project)
    assert [str(p) for p in exc.value.problems] == [
        "p/events/gala.yaml:7:10: select.count: asks for 9 questions but only 5 match "
        "(short by 4); lower count, add banks or tags, or approve more questions"
    ]


def test_pinning_a_draft_is_an_error_unless_drafts_are_included(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "pinned: [b-two]", "pinned: [a-draft]")
    project = load_project(mini, display="p")
    with pytest.raises(ValidationFailed) as exc:
        select_all(project)
    assert [str(p) for p in exc.value.problems] == [
        "p/events/gala.yaml:8:12: select.pinned[0]: pins 'a-draft', which is draft; "
        "approve it or build with --include-drafts, or unpin it"
    ]
    assert select_all(project, include_drafts=True)[0].question_ids[0] == "a-draft"


def write_event(root: Path, slug: str, body: str) -> None:
    (root / "events" / f"{slug}.yaml").write_text(body, encoding="utf-8")


def problems_of(root: Path, slug: str = "gala") -> list[str]:
    project = load_project(root, display="p")
    with pytest.raises(ValidationFailed) as exc:
        select(project, project.event(slug))
    return [str(p) for p in exc.value.problems]


def test_tones_keep_only_questions_of_those_tones(mini: Path, edit: Edit) -> None:
    edit(
        mini / "question_banks/alpha.yaml",
        "    tags: [deep]\n",
        "    tags: [deep]\n    tone: serious\n",
    )
    edit(mini / "question_banks/beta.yaml", "  - id: b-two\n", "  - id: b-two\n    tone: serious\n")
    edit(
        mini / "events/gala.yaml", "  count: 4\n  pinned: [b-two]", "  count: 2\n  tones: [serious]"
    )
    assert chosen(mini) == ["a-two", "b-two"]
    project = load_project(mini, display="p")
    left = {o.question.id: o.reason for o in select(project, project.event("gala")).left_out}
    assert left["a-one"] == "has no tone, not serious (select.tones)"


def test_an_unknown_tone_is_a_located_error(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "  count: 4\n", "  count: 4\n  tones: [sirius]\n")
    with pytest.raises(ValidationFailed) as exc:
        load_project(mini, display="p")
    assert [str(p) for p in exc.value.problems] == [
        "p/events/gala.yaml:8:11: select.tones[0]: no question has the tone 'sirius'"
    ]


def test_quotas_take_exactly_that_many_from_a_bank(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "  pinned: [b-two]", "  quotas:\n    alpha: 3")
    project = load_project(mini, display="p")
    selection = select(project, project.event("gala"))
    assert selection.question_ids == ["a-one", "a-two", "a-three", "b-one"]
    reasons = [p.reason for p in selection.picks]
    assert reasons[0] == "quota: 1 of 3 from 'Alpha theme' (select.quotas.alpha)"
    assert reasons[3] == "balances themes: 'Beta theme' had 0 of 4 so far"
    assert {o.question.id: o.reason for o in selection.left_out}["b-two"] == (
        "not needed: count of 4 reached"
    )


def test_quota_problems_say_which_bank_and_by_how_much(mini: Path, edit: Edit) -> None:
    edit(
        mini / "events/gala.yaml", "  pinned: [b-two]", "  pinned: [b-two]\n  quotas:\n    beta: 3"
    )
    assert problems_of(mini) == [
        "p/events/gala.yaml:10:11: select.quotas.beta: asks for 3 from 'beta' but only 2 match "
        "(short by 1); lower the quota, or add or approve questions in that bank"
    ]
    edit(mini / "events/gala.yaml", "    beta: 3", "    beta: 0")
    assert problems_of(mini) == [
        "p/events/gala.yaml:10:11: select.quotas.beta: pins 1 question from 'beta' but its "
        "quota is 0 (over by 1); raise the quota or unpin some"
    ]
    edit(mini / "events/gala.yaml", "    beta: 0", "    beta: 2\n    alpha: 3")
    assert problems_of(mini) == [
        "p/events/gala.yaml:10:5: select.quotas: quotas and pins take 5 questions but count is 4 "
        "(over by 1); lower the quotas or raise count"
    ]


def test_a_quota_for_an_unknown_bank_is_a_located_error(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "  pinned: [b-two]", "  quotas:\n    alfa: 1")
    with pytest.raises(ValidationFailed) as exc:
        load_project(mini, display="p")
    assert [str(p) for p in exc.value.problems] == [
        "p/events/gala.yaml:9:11: select.quotas.alfa: no bank named 'alfa' (did you mean 'alpha'?)"
    ]


def test_min_per_theme_guarantees_each_theme(mini: Path, edit: Edit) -> None:
    edit(
        mini / "events/gala.yaml",
        "  count: 4\n  pinned: [b-two]",
        "  count: 3\n  pinned: [a-one, a-two]\n  min_per_theme: 1",
    )
    project = load_project(mini, display="p")
    selection = select(project, project.event("gala"))
    assert selection.question_ids == ["a-one", "a-two", "b-one"]
    assert selection.picks[2].reason == (
        "minimum per theme: 1 of 1 from 'Beta theme' (select.min_per_theme)"
    )
    edit(mini / "events/gala.yaml", "min_per_theme: 1", "min_per_theme: 3")
    assert problems_of(mini) == [
        "p/events/gala.yaml:9:18: select.min_per_theme: wants 3 from every theme but 'beta' has "
        "only 2 that match (short by 1); lower min_per_theme, or leave the bank out of "
        "select.banks"
    ]
    edit(mini / "events/gala.yaml", "min_per_theme: 3", "min_per_theme: 2")
    assert problems_of(mini) == [
        "p/events/gala.yaml:9:18: select.min_per_theme: 2 from each of 2 themes, with pins and "
        "quotas, needs 4 questions but count is 3 (over by 1); lower min_per_theme or raise "
        "count"
    ]


def test_filters_that_leave_too_few_are_named(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "  count: 4\n  pinned: [b-two]", "  count: 4\n  tags: [quick]")
    assert problems_of(mini) == [
        "p/events/gala.yaml:8:9: select.tags: leaves 3 of the 4 questions asked for "
        "(short by 1); add tags or lower count"
    ]
    edit(mini / "events/gala.yaml", "  tags: [quick]", "  exclude_tags: [quick]")
    assert problems_of(mini) == [
        "p/events/gala.yaml:8:17: select.exclude_tags: leaves 2 of the 4 questions asked for "
        "(short by 2); exclude fewer tags or lower count"
    ]


LATER = """name: Later Gala
date: 2027-04-01
venue: Test Hall
select:
  count: {count}
  fresh_after: {n}
"""


def test_fresh_after_avoids_what_earlier_events_used(mini: Path) -> None:
    write_event(mini, "later", LATER.format(count=1, n=1))
    write_event(
        mini,
        "earlier",
        "name: Earlier\ndate: 2027-01-01\nvenue: V\nselect:\n  count: 1\n  pinned: [a-three]\n",
    )
    project = load_project(mini, display="p")
    # gala (2027-03-07) took b-two, b-one, a-one, a-two; a-three is the only one left
    later = select(project, project.event("later"))
    assert later.question_ids == ["a-three"]
    reasons = {o.question.id: o.reason for o in later.left_out}
    assert reasons["a-one"] == (
        "used by gala (2027-03-07), one of the 1 event before this one (select.fresh_after)"
    )
    # two events back, a-three (used by "earlier") is out too: nothing is left
    write_event(mini, "later", LATER.format(count=1, n=2))
    assert problems_of(mini, "later") == [
        "p/events/later.yaml:6:16: select.fresh_after: leaves 0 of the 1 question asked for "
        "(short by 1): 5 more were used by the 2 events before this one; lower fresh_after "
        "or count"
    ]


def test_fresh_after_through_select_all_matches_select(mini: Path) -> None:
    write_event(mini, "later", LATER.format(count=1, n=1))
    project = load_project(mini, display="p")
    by_slug = {s.event.slug: s.question_ids for s in select_all(project)}
    assert by_slug == {"gala": ["b-two", "b-one", "a-one", "a-two"], "later": ["a-three"]}
    assert select_all(project, only=("later",))[0].question_ids == ["a-three"]


def test_every_rule_together_is_deterministic(mini: Path, edit: Edit) -> None:
    edit(
        mini / "events/gala.yaml",
        "  pinned: [b-two]",
        "  pinned: [b-two]\n  min_per_theme: 1\n  exclude: [a-one]\n  quotas:\n    beta: 2",
    )
    write_event(mini, "later", LATER.format(count=1, n=1))
    first = [s.question_ids for s in select_all(load_project(mini, display="p"))]
    assert first == [s.question_ids for s in select_all(load_project(mini, display="p"))]
    assert first[0] == ["b-two", "b-one", "a-two", "a-three"]


def test_a_bank_named_twice_gives_each_question_once(mini: Path, edit: Edit) -> None:
    edit(
        mini / "events/gala.yaml",
        "  count: 4\n  pinned: [b-two]",
        "  count: 3\n  banks: [alpha, beta, alpha]",
    )
    project = load_project(mini, display="p")
    selection = select(project, project.event("gala"))
    assert selection.banks == ("alpha", "beta")
    assert selection.question_ids == ["a-one", "a-two", "b-one"]
    left = [o.question.id for o in selection.left_out]
    assert sorted(left) == sorted(set(left))
    everything = browse(project, banks=["alpha", "alpha"])
    assert everything.question_ids == ["a-one", "a-two", "a-three"]
