"""`presskit questions`: exact output in each format, --explain, narrowing and usage errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from presskit.cli import main

Edit = Callable[[Path, str, str], None]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_an_events_questions_as_text(mini: Path) -> None:
    result = run("questions", "--project", str(mini), "--event", "gala")
    assert result.exit_code == 0
    assert (
        result.output
        == """\
Test Gala · 2027-03-07 · 4 questions

Beta theme
   1. What does beta two ask?
   2. What does beta one ask?

Alpha theme
   3. What does alpha one ask?
      - And then what?
      For reporters: A note for reporters.
   4. What does alpha two ask?
"""
    )


def test_explain_says_why_each_was_chosen_and_left_out(mini: Path) -> None:
    result = run("questions", "--project", str(mini), "--event", "gala", "--explain")
    assert result.exit_code == 0
    assert (
        result.output
        == """\
Test Gala · 2027-03-07 · 4 questions
Rules: count 4 · pinned b-two

Chosen (4):
   1. b-two · Beta theme
      What does beta two ask?
      why: pinned (#1 in select.pinned)
   2. b-one · Beta theme
      What does beta one ask?
      why: balances themes: 'Beta theme' had 1 of 4 so far
   3. a-one · Alpha theme
      What does alpha one ask?
      why: balances themes: 'Alpha theme' had 0 of 4 so far
   4. a-two · Alpha theme
      What does alpha two ask?
      why: balances themes: 'Alpha theme' had 1 of 4 so far

Left out (3):
  a-three · alpha: not needed: count of 4 reached
  a-draft · alpha: status is draft
  a-retired · alpha: status is retired
"""
    )


def test_explain_as_json_names_banks_not_drawn_from(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "  count: 4\n  pinned: [b-two]", "  count: 1\n  banks: [beta]")
    result = run(
        "questions", "--project", str(mini), "--event", "gala", "--explain", "--format", "json"
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["event"] == {"slug": "gala", "name": "Test Gala", "date": "2027-03-07"}
    assert [(q["id"], q["reason"]) for q in data["questions"]] == [
        ("b-one", "balances themes: 'Beta theme' had 0 of 1 so far")
    ]
    assert data["left_out"] == [
        {"id": "b-two", "bank": "beta", "reason": "not needed: count of 1 reached"}
    ]
    assert data["not_drawn_from"] == ["alpha"]


def test_without_an_event_a_balanced_draw(mini: Path) -> None:
    result = run(
        "questions", "--project", str(mini), "--tag", "quick", "--count", "2", "--format", "json"
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["event"] is None
    assert [(q["number"], q["id"], q["bank"]) for q in data["questions"]] == [
        (1, "a-one", "alpha"),
        (2, "b-one", "beta"),
    ]
    assert "left_out" not in data


def test_bank_and_count_narrow_an_events_list_keeping_kit_numbers(mini: Path) -> None:
    result = run(
        "questions",
        "--project",
        str(mini),
        "--event",
        "gala",
        "--bank",
        "alpha",
        "--count",
        "1",
        "--format",
        "markdown",
    )
    assert result.exit_code == 0
    assert (
        result.output
        == """\
# Test Gala

2027-03-07 · 1 question

## Alpha theme

3. What does alpha one ask?
   - And then what?
   *For reporters:* A note for reporters.
"""
    )


def test_markdown_escapes_markup_in_text(mini: Path, edit: Edit) -> None:
    edit(
        mini / "question_banks/beta.yaml", "What does beta two ask?", "What does *beta* [two] ask?"
    )
    result = run("questions", "--project", str(mini), "--bank", "beta", "--format", "markdown")
    assert "2. What does \\*beta\\* \\[two\\] ask?\n" in result.output


def test_usage_errors_exit_2(mini: Path) -> None:
    for args, message in [
        (["--event", "nope"], "Error: no event named 'nope'; known events: gala\n"),
        (["--bank", "nope"], "Error: no bank named 'nope'; known banks: alpha, beta\n"),
        (["--tag", "nope"], "Error: no question has the tag 'nope'\n"),
        (["--explain"], "Error: --explain needs --event: it explains an event's selection\n"),
    ]:
        result = run("questions", "--project", str(mini), *args)
        assert result.exit_code == 2, args
        assert result.output.endswith(message), result.output


def test_a_selection_problem_exits_1_with_its_location(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "count: 4", "count: 9")
    result = run("questions", "--project", str(mini), "--event", "gala")
    assert result.exit_code == 1
    assert result.output == (
        f"{mini}/events/gala.yaml:7:10: select.count: asks for 9 questions but only 5 match "
        "(short by 4); lower count, add banks or tags, or approve more questions\n"
        "1 problem found; nothing was written.\n"
    )
