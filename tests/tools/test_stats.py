"""`presskit stats`: per-bank counts, event usage from the real selection, unreachable questions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from presskit.cli import main
from tests.conftest import REPO


def stats(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["stats", "--project", str(project), *args])
    return result.exit_code, result.output


def test_text_table_per_bank(mini: Path, edit: Callable[[Path, str, str], None]) -> None:
    edit(mini / "events/gala.yaml", "  count: 4", "  exclude_tags: [deep]\n  count: 4")
    code, out = stats(mini)
    assert code == 0
    assert (
        out
        == """\
alpha: Alpha theme
  questions   5: 3 approved, 1 draft, 1 retired
  avg words   5.4
  tags        quick 2, deep 1
  events      gala 2 of 4
  never used  a-two (approved, but no event's rules select them)

beta: Beta theme
  questions   2: 2 approved, 0 draft, 0 retired
  avg words   5.0
  tags        quick 1
  events      gala 2 of 4
  never used  none

2 banks, 7 questions (5 approved), 1 event
"""
    )


def test_json(mini: Path) -> None:
    code, out = stats(mini, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["events"] == {"gala": 4}
    alpha = data["banks"][0]
    assert alpha == {
        "bank": "alpha",
        "theme": "Alpha theme",
        "questions": 5,
        "status": {"approved": 3, "changed": 0, "draft": 1, "retired": 1},
        "tags": {"quick": 2, "deep": 1},
        "average_words": 5.4,
        "events": {"gala": 2},
        "unreachable": [],
    }


def test_an_event_that_cannot_select_is_named(
    mini: Path, edit: Callable[[Path, str, str], None]
) -> None:
    edit(mini / "events/gala.yaml", "count: 4", "count: 9")
    code, out = stats(mini)
    assert code == 0
    assert "  events      gala (cannot select; run presskit lint)\n" in out
    assert json.loads(stats(mini, "--format", "json")[1])["banks"][1]["events"] == {"gala": None}


def test_pinned_questions_are_reachable_whatever_the_tags(
    mini: Path, edit: Callable[[Path, str, str], None]
) -> None:
    edit(mini / "events/gala.yaml", "  count: 4", "  tags: [quick]\n  count: 3")
    data = json.loads(stats(mini, "--format", "json")[1])
    # b-two has no tags but is pinned; a-two is tagged deep only.
    assert [b["unreachable"] for b in data["banks"]] == [["a-two"], []]


def test_an_invalid_project_is_reported_like_validate(mini: Path) -> None:
    (mini / "question_banks/alpha.yaml").write_text("theme: [unclosed\n")
    result = CliRunner().invoke(main, ["stats", "--project", str(mini)])
    assert result.exit_code == 1
    assert "alpha.yaml:2:1: YAML syntax error" in result.stderr


def test_the_shipped_project(tmp_path: Path) -> None:
    code, out = stats(REPO, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert len(data["banks"]) >= 6
    for bank in data["banks"]:
        assert set(bank["events"]) == set(data["events"])
        assert all(isinstance(n, int) for n in bank["events"].values())


def test_a_question_left_out_by_tone_is_never_used(
    mini: Path, edit: Callable[[Path, str, str], None]
) -> None:
    """Stats and `questions --explain` agree: a tone the event does not ask for keeps a question
    out of its kit, so it is counted as never used."""
    alpha = mini / "question_banks/alpha.yaml"
    edit(alpha, "    tags: [quick]\n    notes:", "    tags: [quick]\n    tone: light\n    notes:")
    edit(alpha, "    tags: [deep]\n", "    tags: [deep]\n    tone: serious\n")
    edit(
        alpha, "three ask?\n    tags: [quick]\n", "three ask?\n    tags: [quick]\n    tone: light\n"
    )
    edit(
        mini / "question_banks/beta.yaml",
        "    tags: [quick]\n",
        "    tags: [quick]\n    tone: light\n",
    )
    edit(mini / "events/gala.yaml", "  count: 4", "  tones: [light]\n  count: 3")
    result = CliRunner().invoke(
        main,
        ["questions", "--project", str(mini), "--event", "gala", "--explain", "--format=json"],
    )
    assert result.exit_code == 0, result.output
    left_out = {o["id"]: o["reason"] for o in json.loads(result.stdout)["left_out"]}
    assert left_out["a-two"] == "tone is serious, not light (select.tones)"
    data = json.loads(stats(mini, "--format", "json")[1])
    assert [b["unreachable"] for b in data["banks"]] == [["a-two"], []]
    assert "  never used  a-two (approved, but no event's rules select them)\n" in stats(mini)[1]
