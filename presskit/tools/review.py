"""`presskit review`: every question waiting for an editor, and what changed in it.

Drafts wait to be approved; approved questions reworded since ("changed since approval",
presskit.project.fingerprint) wait to be approved again. For those, the approved wording is
looked up in the bank file's git history: the newest of its last `MAX_COMMITS` commits in which
the question's fingerprint equals its `approved_as`, read with presskit's own loader. What
changed is shown word by word, as `git diff --word-diff` shows it: `[-removed-]{+added+}`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from presskit.errors import PresskitError
from presskit.pipeline.provenance import past_versions
from presskit.project import yamlfile
from presskit.project.fingerprint import question_fingerprint
from presskit.project.loading import BankFile, Project, validate_model
from presskit.project.models import Bank, Question
from presskit.tools.approve import bank_path, waiting_for_review
from presskit.wording import plural

MAX_COMMITS = 50  # how far back in a bank file's history the approved wording is looked for


@dataclass(frozen=True)
class Approved:
    """The question as it was approved, and the commit that holds it."""

    question: Question
    commit: str  # short hash, date and subject


@dataclass(frozen=True)
class Waiting:
    bank: BankFile
    index: int
    question: Question
    why: str  # "draft" or "changed since approval"
    approved: Approved | None = None  # for a changed question, when history holds it


def waiting(project: Project) -> list[Waiting]:
    """Every question waiting for review, in bank order, changed ones with their approved
    version where git history has it."""
    out: list[Waiting] = []
    for bank in project.banks:
        found = [
            (i, q, why)
            for i, q in enumerate(bank.bank.questions)
            if (why := waiting_for_review(q)) is not None
        ]
        wanted = {q.id: q.approved_as for _, q, why in found if why != "draft" and q.approved_as}
        history = _approved_versions(project, bank, wanted) if wanted else {}
        out += [Waiting(bank, i, q, why, history.get(q.id)) for i, q, why in found]
    return out


def _approved_versions(
    project: Project, bank: BankFile, wanted: dict[str, str]
) -> dict[str, Approved]:
    """For each id in `wanted` (id -> approved fingerprint), the newest version of the question
    in the bank file's git history with that fingerprint."""
    rel = bank_path(project, bank).relative_to(project.root).as_posix()
    found: dict[str, Approved] = {}
    for past in past_versions(project.root, rel, MAX_COMMITS):
        for question in _questions(past.text, f"{past.commit}:{rel}"):
            if wanted.get(question.id) == question_fingerprint(question):
                commit = f"{past.commit} ({past.date}) {past.subject}"
                found.setdefault(question.id, Approved(question, commit))
        if len(found) == len(wanted):
            break
    return found


def _questions(text: str, shown: str) -> list[Question]:
    """The questions of an earlier version of a bank file, read as loading reads banks; none
    if that version does not load."""
    try:
        data, source = yamlfile.parse(text, shown)
    except PresskitError:
        return []
    bank, _ = validate_model(Bank, data, source)
    return list(bank.questions) if bank is not None else []


def word_diff(old: str, new: str) -> str:
    """`new` with the words that differ from `old` marked: `[-removed-]{+added+}`."""
    a, b = re.findall(r"\S+", old), re.findall(r"\S+", new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out += a[i1:i2]
            continue
        removed = f"[-{' '.join(a[i1:i2])}-]" if i2 > i1 else ""
        added = f"{{+{' '.join(b[j1:j2])}+}}" if j2 > j1 else ""
        out.append(removed + added)
    return " ".join(out)


def _fields(question: Question) -> list[tuple[str, str]]:
    return [
        ("text", question.text),
        ("follow-ups", " / ".join(question.follow_ups)),
        ("notes", question.notes or ""),
    ]


def describe(item: Waiting) -> list[str]:
    """One question waiting for review, as lines."""
    q = item.question
    line, _ = item.bank.source.mark(("questions", item.index, "id"))
    lines = [f"{item.bank.source.path}:{line}: {q.id} ({item.bank.slug}): {item.why}"]
    if item.why == "draft":
        lines += [f"  {name}: {value}" for name, value in _fields(q) if value]
        return lines
    if item.approved is None:
        lines += [f"  {name}: {value}" for name, value in _fields(q) if value]
        lines.append(
            f"  no earlier version found: the approved wording ({q.approved_as}) is not in "
            f"the last {MAX_COMMITS} commits of this file"
        )
        return lines
    before = dict(_fields(item.approved.question))
    for name, value in _fields(q):
        if before[name] != value:
            lines.append(f"  {name}: {word_diff(before[name], value)}")
    lines.append(f"  approved as in {item.approved.commit}")
    return lines


def render(items: list[Waiting]) -> str:
    if not items:
        return "nothing waits for review: every question is approved as it is, or retired\n"
    changed = [i.question.id for i in items if i.why != "draft"]
    drafts = [i.question.id for i in items if i.why == "draft"]
    blocks = ["\n".join(describe(item)) for item in items]
    summary = (
        f"{plural(len(items), 'question')} waiting for review "
        f"({len(drafts)} draft, {len(changed)} changed since approval); "
        "approve with `presskit approve ID...` (or --bank SLUG, --all-drafts)"
    )
    return "\n\n".join([*blocks, summary]) + "\n"
