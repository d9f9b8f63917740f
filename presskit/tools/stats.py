"""`presskit stats`: what each bank holds, and how much of it the events actually use.

An editor deciding what to write next wants to know which themes are thin, which tags nobody
uses, and which approved questions no event can ever reach (so they are dead weight until an
event's rules change). Event usage comes from the real selection, so it matches the kits.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass

from presskit.errors import ValidationFailed
from presskit.kits.eligibility import allowed_statuses, kit_status, reachable
from presskit.kits.select import select
from presskit.project.fingerprint import changed_since_approval
from presskit.project.loading import Project
from presskit.wording import plural

# "changed": approved once, reworded since (presskit review); kits leave it out like a draft.
STATUSES = ("approved", "changed", "draft", "retired")
_SHOWN = {"changed": "changed since approval"}


@dataclass(frozen=True)
class BankStats:
    bank: str
    theme: str
    questions: int
    status: dict[str, int]
    tags: dict[str, int]
    average_words: float
    events: dict[str, int | None]  # questions of this bank in each event's kit; None: no kit
    unreachable: list[str]  # approved, but no event's rules can select them


def collect(project: Project) -> list[BankStats]:
    used: dict[str, Counter[str] | None] = {}
    for event in project.events:
        try:
            picked = select(project, event)
        except ValidationFailed:
            used[event.slug] = None  # `presskit lint` says why
            continue
        used[event.slug] = Counter(pick.bank.slug for pick in picked.picks)
    approved = allowed_statuses(include_drafts=False)
    stats = []
    for bank_file in project.banks:
        questions = bank_file.bank.questions
        status: Counter[str] = Counter(
            "changed" if changed_since_approval(q) else q.status for q in questions
        )
        tags = Counter(t for q in questions for t in q.tags)
        words = sum(len(q.text.split()) for q in questions)
        unreachable = [
            q.id
            for q in questions
            if kit_status(q) == "approved"
            and not any(
                reachable(q, bank_file.slug, e.event.select, approved) for e in project.events
            )
        ]
        stats.append(
            BankStats(
                bank=bank_file.slug,
                theme=bank_file.bank.theme,
                questions=len(questions),
                status={s: status[s] for s in STATUSES},
                tags=dict(sorted(tags.items(), key=lambda item: (-item[1], item[0]))),
                average_words=round(words / len(questions), 1),
                events={
                    slug: (None if counts is None else counts[bank_file.slug])
                    for slug, counts in used.items()
                },
                unreachable=unreachable,
            )
        )
    return stats


def render(project: Project, stats: list[BankStats], fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps(
                {
                    "banks": [asdict(s) for s in stats],
                    "events": {e.slug: e.event.select.count for e in project.events},
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    counts = {e.slug: e.event.select.count for e in project.events}
    blocks = []
    for s in stats:
        rows: list[tuple[str, str]] = [
            (
                "questions",
                f"{s.questions}: "
                + ", ".join(
                    f"{s.status[k]} {_SHOWN.get(k, k)}"
                    for k in STATUSES
                    if s.status[k] or k not in _SHOWN  # "changed" only when there are some
                ),
            ),
            ("avg words", f"{s.average_words}"),
            ("tags", ", ".join(f"{t} {n}" for t, n in s.tags.items()) or "none"),
            (
                "events",
                ", ".join(_usage(slug, n, counts[slug]) for slug, n in s.events.items())
                or "no events",
            ),
            (
                "never used",
                ", ".join(s.unreachable) + " (approved, but no event's rules select them)"
                if s.unreachable
                else "none",
            ),
        ]
        width = max(len(label) for label, _ in rows)
        lines = [f"{s.bank}: {s.theme}"]
        lines += [f"  {label:<{width}}  {value}" for label, value in rows]
        blocks.append("\n".join(lines))
    total = sum(s.questions for s in stats)
    approved = sum(s.status["approved"] for s in stats)
    blocks.append(
        f"{plural(len(stats), 'bank')}, {plural(total, 'question')} ({approved} approved), "
        f"{plural(len(project.events), 'event')}"
    )
    return "\n\n".join(blocks) + "\n"


def _usage(slug: str, used: int | None, count: int) -> str:
    if used is None:
        return f"{slug} (cannot select; run presskit lint)"
    return f"{slug} {used} of {count}"
