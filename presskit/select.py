"""Which questions an event gets, and why.

Selection is a pure function of the project and the event: same inputs, same questions, in
the same order. Every question considered ends up either picked or left out with a reason,
so `--explain` and error messages can say exactly what happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from presskit.errors import Problem, ValidationFailed
from presskit.loading import BankFile, EventFile, Project
from presskit.models import Question
from presskit.models import Selection as Rules


@dataclass(frozen=True)
class Pick:
    question: Question
    bank: BankFile
    reason: str


@dataclass(frozen=True)
class LeftOut:
    question: Question
    bank: BankFile
    reason: str


@dataclass(frozen=True)
class Theme:
    """The picked questions of one bank, in kit order."""

    bank: BankFile
    picks: tuple[Pick, ...]

    @property
    def title(self) -> str:
        return self.bank.bank.theme


@dataclass(frozen=True)
class Selection:
    event: EventFile
    themes: tuple[Theme, ...]
    left_out: tuple[LeftOut, ...]

    @property
    def picks(self) -> list[Pick]:
        return [pick for theme in self.themes for pick in theme.picks]

    @property
    def question_ids(self) -> list[str]:
        return [pick.question.id for pick in self.picks]


def allowed_statuses(include_drafts: bool) -> frozenset[str]:
    return frozenset({"approved", "draft"} if include_drafts else {"approved"})


def select(project: Project, event_file: EventFile, *, include_drafts: bool = False) -> Selection:
    """Pick the event's questions: pins first, then balanced across themes, in bank order."""
    sel = event_file.event.select
    src = event_file.source
    statuses = allowed_statuses(include_drafts)
    bank_order = list(sel.banks) if sel.banks else [b.slug for b in project.banks]

    problems: list[Problem] = []
    picked: dict[str, list[Pick]] = {}
    pinned_banks: list[str] = []
    for i, qid in enumerate(sel.pinned):
        bank_file, question = project.questions[qid]
        if question.status not in statuses:
            hint = " or build with --include-drafts" if question.status == "draft" else ""
            problems.append(src.problem(("select", "pinned", i),
                                        f"pins {qid!r}, which is {question.status}; "
                                        f"approve it{hint}, or unpin it"))
            continue
        picked.setdefault(bank_file.slug, []).append(
            Pick(question, bank_file, f"pinned (#{i + 1} in select.pinned)"))
        if bank_file.slug not in pinned_banks:
            pinned_banks.append(bank_file.slug)
    if problems:
        raise ValidationFailed(problems)

    left_out: list[LeftOut] = []
    candidates: dict[str, list[Question]] = {}
    for slug in bank_order:
        bank_file = project.bank(slug)
        pool = candidates.setdefault(slug, [])
        for question in bank_file.bank.questions:
            reason = _rejection(question, statuses, sel)
            if reason is None:
                pool.append(question)
            elif reason:
                left_out.append(LeftOut(question, bank_file, reason))

    wanted = sel.count - len(sel.pinned)
    available = sum(len(pool) for pool in candidates.values())
    if available < wanted:
        raise ValidationFailed([src.problem(
            ("select", "count"),
            f"asks for {sel.count} questions but only {len(sel.pinned) + available} match "
            f"(short by {wanted - available}); lower count, add banks or tags, "
            "or approve more questions")])

    # Balance: each next question comes from the theme that has the fewest so far
    # (pins included); ties go to the earlier bank. Within a bank, file order rules.
    for _ in range(wanted):
        slug = min((s for s in bank_order if candidates[s]),
                   key=lambda s: (len(picked.get(s, [])), bank_order.index(s)))
        question = candidates[slug].pop(0)
        count = len(picked.get(slug, []))
        picked.setdefault(slug, []).append(Pick(
            question, project.bank(slug),
            f"balances themes: {project.bank(slug).bank.theme!r} had {count} of "
            f"{sel.count} so far"))
    for slug in bank_order:
        for question in candidates[slug]:
            left_out.append(LeftOut(question, project.bank(slug),
                                    f"not needed: count of {sel.count} reached"))

    order = pinned_banks + [s for s in bank_order if s not in pinned_banks]
    themes = tuple(Theme(project.bank(s), tuple(picked[s])) for s in order if picked.get(s))
    return Selection(event_file, themes, tuple(left_out))


def _rejection(question: Question, statuses: frozenset[str], sel: Rules) -> str | None:
    """Why a question cannot be drawn; None if it can, "" if it is already in (pinned)."""
    if question.id in sel.pinned:
        return ""
    if question.id in sel.exclude:
        return "excluded by id (select.exclude)"
    if question.status not in statuses:
        return f"status is {question.status}"
    if sel.tags and not set(question.tags) & set(sel.tags):
        return f"has none of the tags {', '.join(sel.tags)}"
    blocked = sorted(set(question.tags) & set(sel.exclude_tags))
    if blocked:
        return f"has excluded tag {', '.join(blocked)}"
    return None


def select_all(project: Project, *, include_drafts: bool = False,
               only: tuple[str, ...] = ()) -> list[Selection]:
    """Select for every event (or just `only`), reporting all events' problems together."""
    problems: list[Problem] = []
    selections: list[Selection] = []
    for event_file in project.events:
        if only and event_file.slug not in only:
            continue
        try:
            selections.append(select(project, event_file, include_drafts=include_drafts))
        except ValidationFailed as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationFailed(problems)
    return selections
