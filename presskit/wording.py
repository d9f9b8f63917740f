"""How messages count things: "1 event", "2 events", never "1 events" or "event(s)".

One helper, so every message in presskit counts the same way. English only: messages are
English (kits use the label catalogues in presskit/kits/locales/). It imports nothing, so the
CLI and errors.py can use it without slowing `presskit --help`.
"""

from __future__ import annotations


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and the noun that agrees with it; `plural` defaults to `singular` + "s"."""
    if count == 1:
        return f"{count} {singular}"
    return f"{count} {plural if plural is not None else singular + 's'}"
