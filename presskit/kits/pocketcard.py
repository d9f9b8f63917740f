"""The pocket card: an event's top questions on a small card, front and back.

A reporter has seconds per interview, so the card holds only the first few questions: the
event's pinned ones in their order, then one from each theme in turn, the same way selection
balances themes. Half go on the front, the rest on the back.

A question on the card keeps the number it has on the question sheet and the one-pager
(`Selection.numbers`, one rule for every document): the card lists its few questions in that
order, so a reporter holding both finds card #5 as sheet #5, and the gaps show what the card
leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass

from presskit.kits.cardsheet import Sheet, sheet
from presskit.kits.paper import CARD_SIZES, css_size
from presskit.kits.select import Pick, Selection
from presskit.project.models import CardSize, Paper, PrintSheet


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


@dataclass(frozen=True)
class CardQuestion:
    """One question on the pocket card, as `card.front` and `card.back` list it."""

    number: int
    """Its number in the kit (`Selection.numbers`), the same as on the sheet and the one-pager."""
    id: str
    """The question's id, also its anchor (`q-<id>`)."""
    text: str
    """The question in the kit's language (the original when it has no translation)."""
    theme: str
    """The title of the question's theme, in the kit's language."""
    lang: str | None = None
    """The language of `text` when it is not the kit's (an untranslated original); else none."""
    dir: str | None = None
    """The direction of `text` (`ltr` or `rtl`) when `lang` is set; else none."""


@dataclass(frozen=True)
class CardContext:
    """The template variable `card`: the pocket card's questions split over its two sides."""

    front: tuple[CardQuestion, ...]
    """The first half of the questions by number (the larger half when the count is odd)."""
    back: tuple[CardQuestion, ...]
    """The rest; empty when every question fits on the front."""
    ids: tuple[str, ...]
    """The ids of every question on the card, in card order (by number)."""
    page_size: str
    """The CSS page size, for `@page { size: ... }` (`105mm 148mm` for A6)."""
    size: str
    """The card size as `pocket_card.size` names it (`a6`, `index-3x5`, `index-4x6`)."""
    sheet: Sheet
    """The print sheet (`pocket-cards-sheet.pdf`): where each card goes on the event's paper."""


def card_context(
    selection: Selection,
    count: int,
    size: CardSize,
    paper: Paper = "a4",
    print_sheet: PrintSheet = "duplex",
) -> CardContext:
    """What pocket-card.html.j2 needs: the questions split into front and back, and the size;
    and where pocket-cards-sheet.html.j2 puts the cards on `paper`.

    The card carries `top_picks`, listed by their kit numbers. Texts and theme titles are the
    originals; the kit replaces them with the kit's language.
    """
    numbers = selection.numbers
    picks = sorted(top_picks(selection, count), key=lambda p: numbers[p.question.id])
    questions = tuple(
        CardQuestion(numbers[p.question.id], p.question.id, p.question.text, p.bank.bank.theme)
        for p in picks
    )
    half = (len(questions) + 1) // 2
    return CardContext(
        front=questions[:half],
        back=questions[half:],
        ids=tuple(q.id for q in questions),
        page_size=css_size(CARD_SIZES[size]),
        size=size,
        sheet=sheet(paper, size, print_sheet),
    )
