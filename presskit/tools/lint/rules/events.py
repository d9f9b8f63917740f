"""Rules about events: what their selection names, pins and asks for (PK201 to PK203)."""

from __future__ import annotations

from collections.abc import Iterator

from presskit.kits.eligibility import allowed_statuses, kit_status, left_out_by
from presskit.project.fingerprint import changed_since_approval
from presskit.project.references import bad_references, known
from presskit.tools.lint.model import Corpus, Hit, place, rule
from presskit.wording import plural

# What PK201 reports; the other bad references (unknown tones, quotas naming unknown banks,
# ids listed twice...) reach lint as the loader's problems, as PK001.
_NAMED_BY_PK201 = ("banks", "tags", "exclude_tags", "pinned", "exclude")


@rule(
    "PK201",
    "unknown-reference",
    "error",
    "An event names a bank, tag or question id that does not exist.",
    locked=True,
)
def unknown_reference(corpus: Corpus) -> Iterator[Hit]:
    if not corpus.banks_complete:
        return  # a bank that failed to load would make every reference to it look unknown
    names = known([b.slug for b in corpus.banks], (r.question for r in corpus.questions()))
    for event in corpus.events:
        for bad in bad_references(event.event.select, names):
            if bad.missing and bad.loc[1] in _NAMED_BY_PK201:
                hint = "Fix the spelling, or add what it names."
                yield Hit(place(event.source, bad.loc), bad.message, hint)


@rule(
    "PK202",
    "pins-unapproved",
    "error",
    "An event pins a draft or retired question, which cannot reach its kit.",
    locked=True,
)
def pins_unapproved(corpus: Corpus) -> Iterator[Hit]:
    for event in corpus.events:
        for i, qid in enumerate(event.event.select.pinned):
            ref = corpus.find(qid)
            if ref is not None and (status := kit_status(ref.question)) != "approved":
                which = (
                    "changed since approval"
                    if changed_since_approval(ref.question)
                    else f"is {status}"
                )
                yield Hit(
                    place(event.source, ("select", "pinned", i), qid),
                    f"pins {qid!r}, which {which}",
                    "Approve the question, or unpin it."
                    if status == "draft"
                    else "Unpin it: retired questions never return to kits.",
                    (ref.place("status"),),
                )


@rule(
    "PK203",
    "not-enough-questions",
    "error",
    "An event asks for more questions than its banks have approved questions to give.",
    locked=True,
)
def not_enough(corpus: Corpus) -> Iterator[Hit]:
    if not corpus.banks_complete:
        return  # a bank that failed to load would make the count look short
    approved = allowed_statuses(include_drafts=False)
    by_slug = {b.slug: b for b in corpus.banks}
    for event in corpus.events:
        sel = event.event.select
        names = sel.banks if sel.banks else list(by_slug)
        if any(n not in by_slug for n in names):
            continue  # PK201 reports the unknown bank
        pinned = set(sel.pinned)
        pins = [r for r in map(corpus.find, sel.pinned) if r and kit_status(r.question) in approved]
        per_bank = {
            n: sum(
                q.id not in pinned and not left_out_by(q, sel, approved)
                for q in by_slug[n].bank.questions
            )
            for n in names
        }
        have = len(pins) + sum(per_bank.values())
        if have < sel.count:
            shares = ", ".join([f"pinned {len(pins)}", *(f"{n} {k}" for n, k in per_bank.items())])
            yield Hit(
                place(event.source, ("select", "count")),
                f"asks for {plural(sel.count, 'question')} but its banks have only "
                f"{plural(have, 'approved one')} that {'matches' if have == 1 else 'match'} "
                f"({shares})",
                "Lower select.count, add banks or tags, or approve more questions.",
            )
