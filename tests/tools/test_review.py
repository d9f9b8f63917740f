"""`presskit review`: what waits for review, with a word diff against the approved wording found
in a real git repository's history."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from presskit.cli import main
from presskit.project.loading import load_project
from presskit.tools.approve import approve, record
from presskit.tools.review import render, waiting, word_diff

Edit = Callable[[Path, str, str], None]
ALPHA = "question_banks/alpha.yaml"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Editor", "-c", "user.email=editor@asks.invalid", *args],
        cwd=root,
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout.strip()


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "log", "-1", "--format=%h (%as)")


def test_word_diff_marks_what_was_removed_and_added() -> None:
    assert word_diff("What does he ask?", "What do you ask?") == "What [-does he-]{+do you+} ask?"
    assert word_diff("Why now?", "Why now, and here?") == "Why [-now?-]{+now, and here?+}"
    assert word_diff("Same words here.", "Same  words\nhere.") == "Same words here."


def test_review_shows_drafts_and_a_word_diff_from_git_history(mini: Path, edit: Edit) -> None:
    git(mini, "init", "-q")
    record(load_project(mini))
    approved_in = commit(mini, "Record approvals")
    edit(mini / ALPHA, "What does alpha one ask?", "What does alpha one ask the cast?")
    commit(mini, "Reword a-one")
    edit(mini / ALPHA, "A note for reporters.", "A longer note for reporters.")  # not committed

    result = CliRunner().invoke(main, ["review", "--project", str(mini)])
    assert result.exit_code == 0
    assert result.stdout == (
        f"{mini}/{ALPHA}:3: a-one (alpha): changed since approval\n"
        "  text: What does alpha one [-ask?-]{+ask the cast?+}\n"
        "  notes: A {+longer+} note for reporters.\n"
        f"  approved as in {approved_in} Record approvals\n"
        "\n"
        f"{mini}/{ALPHA}:20: a-draft (alpha): draft\n"
        "  text: What does the alpha draft ask?\n"
        "\n"
        "2 questions waiting for review (1 draft, 1 changed since approval); approve with "
        "`presskit approve ID...` (or --bank SLUG, --all-drafts)\n"
    )

    approve(load_project(mini), ["a-one", "a-draft"])
    assert render(waiting(load_project(mini))) == (
        "nothing waits for review: every question is approved as it is, or retired\n"
    )


def test_without_history_review_says_no_earlier_version_was_found(mini: Path, edit: Edit) -> None:
    record(load_project(mini))
    edit(mini / "question_banks/beta.yaml", "What does beta two ask?", "What does beta two want?")
    [item] = [w for w in waiting(load_project(mini)) if w.why != "draft"]
    assert item.approved is None
    assert render([item]).splitlines()[:3] == [
        f"{mini}/question_banks/beta.yaml:9: b-two (beta): changed since approval",
        "  text: What does beta two want?",
        "  no earlier version found: the approved wording "
        f"({item.question.approved_as}) is not in the last 50 commits of this file",
    ]
