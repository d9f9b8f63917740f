"""`presskit approve`: approving a question records what was approved.

Approving sets `status: approved` and writes `approved_as:`, the fingerprint of the question's
text, follow-ups and notes (presskit.project.fingerprint). Once the wording changes, the question
is "changed since approval": it waits for review again (`presskit review`), and kits leave it out
until it is approved again. `presskit approve --record` brings an older project up to date: every
approved question without a fingerprint gets the one of its current wording, and every
translation without `translated_from` is recorded as made from the current English.

Every change is worked out before any file is written, so an unknown id changes nothing; each file
is rewritten keeping its comments and layout (presskit.project.yamlwrite).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presskit.errors import PresskitError, Problem
from presskit.project.fingerprint import (
    bank_fingerprint,
    campaign_fingerprint,
    changed_since_approval,
    question_fingerprint,
)
from presskit.project.loading import CAMPAIGN_FILE, BankFile, Project
from presskit.project.models import Question
from presskit.project.references import did_you_mean
from presskit.project.yamlfile import Loc
from presskit.wording import plural

AFTER = {"approved_as": "status"}  # where a new `approved_as:` goes: right below `status:`


def waiting_for_review(question: Question) -> str | None:
    """Why `question` waits for an editor ("draft", "changed since approval"), or None."""
    if question.status == "draft":
        return "draft"
    if changed_since_approval(question):
        return "changed since approval"
    return None


def changed_problems(project: Project) -> list[Problem]:
    """Each question changed since approval, located at its text, for `presskit validate`."""
    return [
        bank.source.problem(
            ("questions", i, "text"),
            f"{q.id!r} changed since it was approved, so kits leave it out; see what changed "
            f"with `presskit review`, then `presskit approve {q.id}`",
        )
        for bank in project.banks
        for i, q in enumerate(bank.bank.questions)
        if changed_since_approval(q)
    ]


@dataclass
class _Plan:
    """Edits per file, worked out before anything is written."""

    edits: dict[Path, dict[Loc, Any]] = field(default_factory=dict)
    shown: dict[Path, str] = field(default_factory=dict)

    def add(self, path: Path, shown: str, loc: Loc, value: Any) -> None:
        self.edits.setdefault(path, {})[loc] = value
        self.shown[path] = shown

    def write(self) -> list[str]:
        """Write every file; the ones that changed, as shown."""
        # Imported here: ruamel.yaml is for writing, and `presskit validate` imports this
        # module (for `changed_problems`) without ever writing.
        from presskit.project.yamlwrite import update_yaml

        return [
            self.shown[path]
            for path, edits in self.edits.items()
            if update_yaml(path, edits, shown=self.shown[path], after=AFTER)
        ]


def bank_path(project: Project, bank: BankFile) -> Path:
    """The file `bank` was loaded from (`.yaml` or `.yml`, as loading found it)."""
    folder = project.campaign.banks
    for rel in project.sources:
        parent, _, name = rel.rpartition("/")
        if parent == folder and name.rsplit(".", 1)[0] == bank.slug:
            return project.root / rel
    return project.root / folder / f"{bank.slug}.yaml"  # pragma: no cover - loading read it


@dataclass(frozen=True)
class Approved:
    approved: list[str]  # ids approved now
    unchanged: list[str]  # ids already approved as they are
    files: list[str]  # files rewritten, as shown


def approve(
    project: Project,
    ids: Iterable[str] = (),
    banks: Iterable[str] = (),
    all_drafts: bool = False,
) -> Approved:
    """Approve the questions named by id, every question waiting for review in `banks`, or
    (`all_drafts`) every question waiting for review in the project."""
    ids, banks = list(dict.fromkeys(ids)), list(dict.fromkeys(banks))
    _check_names(project, ids, banks)
    wanted = set(ids)
    plan = _Plan()
    approved: list[str] = []
    unchanged: list[str] = []
    for bank in project.banks:
        path = bank_path(project, bank)
        for i, q in enumerate(bank.bank.questions):
            named = q.id in wanted
            if not (named or ((all_drafts or bank.slug in banks) and waiting_for_review(q))):
                continue
            if named and q.status == "retired":
                raise PresskitError(
                    f"{bank.source.path}: question {q.id!r} is retired; to bring it back, set "
                    "its status to draft, then approve it; nothing was changed"
                )
            fingerprint = question_fingerprint(q)
            if q.status == "approved" and q.approved_as == fingerprint:
                unchanged.append(q.id)
                continue
            plan.add(path, bank.source.path, ("questions", i, "status"), "approved")
            plan.add(path, bank.source.path, ("questions", i, "approved_as"), fingerprint)
            approved.append(q.id)
    return Approved(approved, unchanged, plan.write())


def _check_names(project: Project, ids: list[str], banks: list[str]) -> None:
    """An unknown id or bank stops everything before any file is touched."""
    for qid in ids:
        if qid not in project.questions:
            hint = did_you_mean(qid, project.questions)
            raise PresskitError(
                f"no question with id {qid!r} in {project.campaign.banks}/{hint}; "
                "nothing was changed"
            )
    slugs = [b.slug for b in project.banks]
    for slug in banks:
        if slug not in slugs:
            hint = did_you_mean(slug, slugs)
            raise PresskitError(
                f"no bank {slug!r} in {project.campaign.banks}/{hint}; nothing was changed"
            )


@dataclass(frozen=True)
class Recorded:
    approvals: int
    translations: int
    files: list[str]


def record(project: Project) -> Recorded:
    """Record a fingerprint for every approved question that has none (its wording as it is
    now is taken as the approved one), and `translated_from` on every translation that has
    none (taken as made from the current English): questions, bank themes, the campaign's."""
    plan = _Plan()
    approvals = translations = 0
    for bank in project.banks:
        path, shown = bank_path(project, bank), bank.source.path
        source = bank_fingerprint(bank.bank)
        for language, t in bank.bank.translations.items():
            if t.translated_from is None:
                plan.add(path, shown, ("translations", language, "translated_from"), source)
                translations += 1
        for i, q in enumerate(bank.bank.questions):
            fingerprint = question_fingerprint(q)
            if q.status == "approved" and q.approved_as is None:
                plan.add(path, shown, ("questions", i, "approved_as"), fingerprint)
                approvals += 1
            for language, qt in q.translations.items():
                if qt.translated_from is None:
                    loc: Loc = ("questions", i, "translations", language, "translated_from")
                    plan.add(path, shown, loc, fingerprint)
                    translations += 1
    campaign = project.campaign
    for language, ct in campaign.translations.items():
        if ct.translated_from is None:
            loc = ("translations", language, "translated_from")
            plan.add(
                project.root / CAMPAIGN_FILE,
                project.campaign_source.path,
                loc,
                campaign_fingerprint(campaign),
            )
            translations += 1
    return Recorded(approvals, translations, plan.write())


def describe_approved(result: Approved) -> str:
    if not result.approved:
        already = f" ({plural(len(result.unchanged), 'question')} already approved as they are)"
        return "nothing to approve" + (already if result.unchanged else "")
    shown = ", ".join(result.approved)
    line = f"approved {plural(len(result.approved), 'question')}: {shown}"
    if result.unchanged:
        line += f"; {len(result.unchanged)} already approved as they are"
    return f"{line} (in {', '.join(result.files)})"


def describe_recorded(result: Recorded) -> str:
    if not result.files:
        return "nothing to record: every approval and translation already has its fingerprint"
    return (
        f"recorded {plural(result.approvals, 'approval')} and "
        f"{plural(result.translations, 'translation')} in {', '.join(result.files)}"
    )
