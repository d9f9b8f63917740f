"""The pocket card: an event's top questions on a small card, front and back.

A reporter has seconds per interview, so the card holds only the first few questions: the
event's pinned ones in their order, then one from each theme in turn, the same way selection
balances themes. Half go on the front, the rest on the back.
"""

from __future__ import annotations

from typing import Any

from presskit.kits.select import Pick, Selection

# CSS page sizes for `pocket_card.size`; every size is portrait, like a phone.
CARD_SIZES = {
    "a6": "A6",
    "index-3x5": "3in 5in",
    "index-4x6": "4in 6in",
}


def top_picks(selection: Selection, count: int) -> list[Pick]:
    """The `count` questions a card carries: pinned first, then round-robin across themes."""
    picks = {pick.question.id: pick for pick in selection.picks}
    chosen = [picks[qid] for qid in selection.event.event.select.pinned if qid in picks]
    queues = [[p for p in theme.picks if p not in chosen] for theme in selection.themes]
    while len(chosen) < count and any(queues):
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop(0))
    return chosen


def card_context(selection: Selection, count: int, size: str) -> dict[str, Any]:
    """What pocket-card.html.j2 needs: the questions split into front and back, and the size."""
    questions = [
        {"number": n, "id": p.question.id, "text": p.question.text, "theme": p.bank.bank.theme}
        for n, p in enumerate(top_picks(selection, count), start=1)
    ]
    half = (len(questions) + 1) // 2
    return {
        "front": questions[:half],
        "back": questions[half:],
        "ids": [q["id"] for q in questions],
        "page_size": CARD_SIZES[size],
        "size": size,
    }
