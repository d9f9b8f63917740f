from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from presskit.errors import ValidationFailed
from presskit.loading import load_project
from presskit.select import select, select_all

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
    assert left == {"a-three": "not needed: count of 4 reached",
                    "a-draft": "status is draft", "a-retired": "status is retired"}


def test_selection_is_deterministic(mini: Path) -> None:
    assert chosen(mini) == chosen(mini)


def test_tag_filters_and_exclusions(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "  count: 4\n  pinned: [b-two]",
         "  count: 2\n  tags: [quick]\n  exclude: [a-one]")
    assert chosen(mini) == ["a-three", "b-one"]
    edit(mini / "events/gala.yaml", "  tags: [quick]", "  exclude_tags: [quick]")
    assert chosen(mini) == ["a-two", "b-two"]


def test_bank_list_limits_and_orders_themes(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "  count: 4\n  pinned: [b-two]",
         "  count: 2\n  banks: [alpha]")
    assert chosen(mini) == ["a-one", "a-two"]


def test_drafts_only_with_include_drafts(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "  count: 4\n  pinned: [b-two]",
         "  count: 4\n  banks: [alpha]")
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
        "(short by 4); lower count, add banks or tags, or approve more questions"]


def test_pinning_a_draft_is_an_error_unless_drafts_are_included(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "pinned: [b-two]", "pinned: [a-draft]")
    project = load_project(mini, display="p")
    with pytest.raises(ValidationFailed) as exc:
        select_all(project)
    assert [str(p) for p in exc.value.problems] == [
        "p/events/gala.yaml:8:12: select.pinned[0]: pins 'a-draft', which is draft; "
        "approve it or build with --include-drafts, or unpin it"]
    assert select_all(project, include_drafts=True)[0].question_ids[0] == "a-draft"
