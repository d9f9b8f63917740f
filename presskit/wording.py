"""How messages word things: counts ("1 event", "2 events", never "1 events" or "event(s)")
and "did you mean" hints.

One helper for each, so every message in presskit says it the same way. English only: messages
are English (kits use the label catalogues in presskit/kits/locales/).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and the noun that agrees with it; `plural` defaults to `singular` + "s"."""
    if count == 1:
        return f"{count} {singular}"
    return f"{count} {plural if plural is not None else singular + 's'}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice, if one is close enough to be a typo; else ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
