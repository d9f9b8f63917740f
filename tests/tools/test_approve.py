"""`presskit approve`: approving records the wording; a reworded question is reported by validate
and lint, left out of kits until approved again; files keep their comments; mistakes change
nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click.testing
from bs4 import BeautifulSoup
from click.testing import CliRunner

from presskit.cli import main
from presskit.project.fingerprint import question_fingerprint
from presskit.project.loading import load_project
from presskit.tools.approve import approve, changed_problems, record, waiting_for_review

Edit = Callable[[Path, str, str], None]
ALPHA = "question_banks/alpha.yaml"


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args))


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def kit_ids(root: Path) -> list[str]:
    out = root / "output"
    assert (
        run("build", "--project", str(root), "--format", "html", "--out", str(out)).exit_code == 0
    )
    soup = BeautifulSoup((out / "gala/index.html").read_text(encoding="utf-8"), "html.parser")
    return [str(li["id"]) for li in soup.select("li.question")]


def test_approve_edit_report_leave_out_and_approve_again(mini: Path, edit: Edit) -> None:
    assert run("approve", "--project", str(mini), "--record").output == (
        f"recorded 5 approvals and 0 translations in {mini}/{ALPHA}, "
        f"{mini}/question_banks/beta.yaml\n"
    )
    assert "q-a-one" in kit_ids(mini)
    edit(mini / ALPHA, "What does alpha one ask?", "What does alpha one really ask?")

    validate = run("validate", "--project", str(mini))
    assert validate.exit_code == 0
    assert validate.stdout == (
        "ok: 2 banks, 7 questions (4 approved, 1 changed since approval), 1 event, 4 signatories\n"
    )
    assert validate.stderr == (
        f"warning: {mini}/{ALPHA}:4:11: questions[0].text: 'a-one' changed since it was "
        "approved, so kits leave it out; see what changed with `presskit review`, then "
        "`presskit approve a-one`\n"
    )
    lint = json.loads(run("lint", "--project", str(mini), "--format", "json").stdout)
    assert [(f["code"], f["line"], f["question"]) for f in lint if f["code"] == "PK108"] == [
        ("PK108", 4, "a-one")
    ]
    explain = run("questions", "--project", str(mini), "--event", "gala", "--explain").stdout
    assert "a-one · alpha: changed since approval (presskit review, then presskit approve)" in (
        explain
    )
    stats = run("stats", "--project", str(mini)).stdout
    assert "questions   5: 2 approved, 1 changed since approval, 1 draft, 1 retired" in stats
    assert "q-a-one" not in kit_ids(mini)

    assert run("approve", "--project", str(mini), "a-one").output == (
        f"approved 1 question: a-one (in {mini}/{ALPHA})\n"
    )
    assert run("validate", "--project", str(mini)).stderr == ""
    assert "q-a-one" in kit_ids(mini)
    again = run("approve", "--project", str(mini), "a-one")
    assert again.output == "nothing to approve (1 question already approved as they are)\n"


def test_the_yaml_keeps_its_comments_quoting_and_key_order(mini: Path) -> None:
    bank = mini / ALPHA
    text = bank.read_text(encoding="utf-8")
    commented = text.replace(
        "  - id: a-draft\n    text: What does the alpha draft ask?\n    status: draft\n",
        "  # waiting for legal\n  - id: a-draft\n"
        "    text: 'What does the alpha draft ask?'  # reworded twice\n"
        "    status: draft   # approve after the call\n\n",
    )
    bank.write_text(commented, encoding="utf-8")
    result = approve(load_project(mini), ["a-draft"])
    assert result.approved == ["a-draft"]
    fingerprint = question_fingerprint(load_project(mini).questions["a-draft"][1])
    assert bank.read_text(encoding="utf-8") == commented.replace(
        "    status: draft   # approve after the call\n",
        # the comment keeps its column where the longer value leaves room (here, none)
        f"    status: approved # approve after the call\n    approved_as: {fingerprint}\n",
    )


def test_an_unknown_id_is_one_error_and_changes_no_file(mini: Path) -> None:
    before = files(mini)
    result = run("approve", "--project", str(mini), "a-draft", "a-drfat")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no question with id 'a-drfat' in question_banks/ (did you mean 'a-draft'?); "
        "nothing was changed\n"
    )
    unknown_bank = run("approve", "--project", str(mini), "--bank", "gamma")
    assert unknown_bank.exit_code == 1 and "no bank 'gamma'" in unknown_bank.stderr
    retired = run("approve", "--project", str(mini), "a-draft", "a-retired")
    assert retired.exit_code == 1 and "'a-retired' is retired" in retired.stderr
    assert files(mini) == before


def test_bank_and_all_drafts_approve_what_waits_never_the_retired(mini: Path) -> None:
    assert approve(load_project(mini), banks=["beta"]).approved == []
    assert approve(load_project(mini), banks=["alpha"]).approved == ["a-draft"]
    project = load_project(mini)
    assert [q.id for _, q in project.questions.values() if waiting_for_review(q)] == []
    assert project.questions["a-retired"][1].status == "retired"
    assert approve(project, all_drafts=True).approved == []


def test_record_fills_in_what_is_missing_only(mini: Path, edit: Edit) -> None:
    edit(
        mini / ALPHA,
        "    notes: A note for reporters.\n    status: approved\n",
        "    notes: A note for reporters.\n    status: approved\n"
        "    translations:\n      es:\n        text: ¿Qué pregunta alfa uno?\n",
    )
    edit(
        mini / "presskit.yaml",
        "contacts:",
        "translations:\n  es:\n    tagline: Un proyecto.\ncontacts:",
    )
    first = record(load_project(mini))
    assert (first.approvals, first.translations) == (5, 2)
    project = load_project(mini)
    a_one = project.questions["a-one"][1]
    assert (
        a_one.approved_as == a_one.translations["es"].translated_from == question_fingerprint(a_one)
    )
    assert project.campaign.translations["es"].translated_from is not None
    second = record(project)
    assert (second.approvals, second.translations, second.files) == (0, 0, [])
    assert changed_problems(project) == []


def test_approve_wants_ids_or_a_scope_or_record_alone(mini: Path) -> None:
    for args in ([], ["--record", "a-one"], ["--record", "--all-drafts"]):
        result = run("approve", "--project", str(mini), *args)
        assert result.exit_code == 2
        assert "give question IDs, --bank or --all-drafts; or --record alone" in result.stderr
