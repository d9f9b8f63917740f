"""`explain=False` (what `validate` asks for) draws exactly what a full selection draws and
finds exactly the same problems; it only leaves out the reasons for the questions not picked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from presskit.errors import ValidationFailed
from presskit.kits.select import Selection, select_all
from presskit.project.loading import load_project

Edit = Callable[[Path, str, str], None]

GALA = "  count: 4\n  pinned: [b-two]"
# Each a replacement for GALA's selection rules: filters, quotas, minimums, freshness, and
# rules that cannot be met.
RULES = [
    GALA,
    "  count: 2\n  tags: [quick]\n  exclude: [a-one]",
    "  count: 2\n  exclude_tags: [quick]",
    "  count: 2\n  banks: [alpha]",
    "  count: 4\n  banks: [alpha, beta]\n  quotas:\n    alpha: 3",
    "  count: 3\n  pinned: [a-one, a-two]\n  min_per_theme: 1",
    "  count: 4\n  banks: [alpha]",
    "  count: 9",
    "  count: 4\n  pinned: [b-two]\n  quotas:\n    beta: 3",
    "  count: 4\n  tags: [quick]",
    "  count: 3\n  pinned: [a-draft]",
]


def drawn(selections: list[Selection]) -> list[Any]:
    return [
        (s.event.slug, s.banks, [(p.question.id, p.bank.slug, p.reason) for p in s.picks])
        for s in selections
    ]


def outcome(root: Path, *, explain: bool, include_drafts: bool = False) -> Any:
    project = load_project(root, display="p")
    try:
        selections = select_all(project, include_drafts=include_drafts, explain=explain)
    except ValidationFailed as exc:
        return ("problems", [str(p) for p in exc.problems])
    if not explain:
        assert all(s.left_out == () for s in selections)
    return ("drawn", drawn(selections))


@pytest.mark.parametrize("rules", RULES)
@pytest.mark.parametrize("include_drafts", [False, True])
def test_without_reasons_the_draw_and_problems_are_the_same(
    mini: Path, edit: Edit, rules: str, include_drafts: bool
) -> None:
    if rules != GALA:
        edit(mini / "events/gala.yaml", GALA, rules)
    full = outcome(mini, explain=True, include_drafts=include_drafts)
    assert outcome(mini, explain=False, include_drafts=include_drafts) == full


def test_fresh_after_across_events_is_the_same(mini: Path, edit: Edit) -> None:
    gala = (mini / "events/gala.yaml").read_text(encoding="utf-8")
    for day, rules in (
        (8, "  count: 1\n  fresh_after: 1"),
        (9, "  count: 3\n  fresh_after: 1"),
        (10, "  count: 4\n  fresh_after: 2"),
    ):
        (mini / f"events/later-{day}.yaml").write_text(
            gala.replace("2027-03-07", f"2027-03-{day:02d}").replace(GALA, rules), encoding="utf-8"
        )
    full = outcome(mini, explain=True)
    assert full[0] == "problems"  # the last one cannot be met: its message must not change
    assert outcome(mini, explain=False) == full
    (mini / "events/later-10.yaml").unlink()
    full = outcome(mini, explain=True)
    assert full[0] == "drawn"
    assert outcome(mini, explain=False) == full
