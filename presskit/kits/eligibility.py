"""Can this event draw this question? The one place that says so.

Selection, `presskit lint` (PK203) and `presskit stats` all ask it, so what `questions --explain`
says is left out is exactly what lint and stats count as out. Each rule that keeps a question
out comes back as `(key, reason)`: `key` is the `select` key to relax, `reason` the sentence
`--explain` shows. Which banks an event draws from is decided first (`draws_from`), and pins
apart: a pinned question is drawn whatever the filters, as long as its status is allowed (see
`reachable`). Selection asks this for every question of every event, so it stays cheap.

A question approved once and reworded since ("changed since approval", see
presskit.project.fingerprint) counts as a draft here (`kit_status`) until it is approved again,
so kits, pins, the portal, lint and stats all leave it out alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from presskit.project.fingerprint import changed_since_approval
from presskit.project.models import Question, Selection, Status
from presskit.wording import plural

Reason = tuple[str, str]  # (the select key that keeps the question out, why, in words)
NOT_USED: Mapping[str, str] = {}


def allowed_statuses(include_drafts: bool) -> frozenset[str]:
    """Approved questions reach kits; drafts too when building with --include-drafts."""
    return frozenset({"approved", "draft"} if include_drafts else {"approved"})


def kit_status(question: Question) -> Status:
    """The status a question has for kits: its own, except that an approved question whose
    wording changed since it was approved is a draft again until it is re-approved."""
    return "draft" if changed_since_approval(question) else question.status


def status_reason(question: Question) -> str:
    """Why a question's status keeps it out, in words (`--explain`, pins)."""
    if changed_since_approval(question):
        return "changed since approval (presskit review, then presskit approve)"
    return f"status is {question.status}"


def bank_order(banks: Sequence[str] | None, every: Iterable[str]) -> list[str]:
    """The banks an event (or a browse) draws from, in order, each once: `select.banks` if it
    names some (`[allyship, allyship]` must not double the kit), else every bank."""
    return list(dict.fromkeys(banks)) if banks else list(every)


def draws_from(bank: str, rules: Selection) -> bool:
    """Whether the event draws from `bank` at all: every bank unless `select.banks` names some."""
    return not rules.banks or bank in rules.banks


def left_out_by(
    question: Question,
    rules: Selection,
    statuses: frozenset[str],
    used: Mapping[str, str] = NOT_USED,
) -> list[Reason]:
    """Every rule that keeps `question` (from a bank the event draws from) out of the draw;
    empty if it can be drawn. `used` maps the ids that the event's `fresh_after` earlier events
    used to who used them."""
    out: list[Reason] = []
    if question.id in rules.exclude:
        out.append(("exclude", "excluded by id (select.exclude)"))
    if kit_status(question) not in statuses:
        out.append(("status", status_reason(question)))
    if rules.tags and set(question.tags).isdisjoint(rules.tags):
        out.append(("tags", f"has none of the tags {', '.join(rules.tags)}"))
    if rules.exclude_tags and (blocked := sorted(set(question.tags) & set(rules.exclude_tags))):
        out.append(("exclude_tags", f"has excluded tag {', '.join(blocked)}"))
    if rules.tones and question.tone not in rules.tones:
        has = f"tone is {question.tone}" if question.tone else "has no tone"
        out.append(("tones", f"{has}, not {' or '.join(rules.tones)} (select.tones)"))
    if question.id in used:
        earlier = plural(rules.fresh_after, "event")
        out.append(
            (
                "fresh_after",
                f"used by {used[question.id]}, one of the {earlier} before this one "
                "(select.fresh_after)",
            )
        )
    return out


def reachable(question: Question, bank: str, rules: Selection, statuses: frozenset[str]) -> bool:
    """Whether the event's rules could ever put `question` in its kit, leaving aside how many
    it asks for and which questions earlier events used: pinned, or not left out."""
    if question.id in rules.pinned:
        return kit_status(question) in statuses
    return draws_from(bank, rules) and not left_out_by(question, rules, statuses)
