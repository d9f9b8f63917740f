"""The signatory list: who appears in kits, and in what order.

Names are sorted with the Unicode Collation Algorithm (pyuca, default table): accents, case and
scripts sort as readers expect, identically on every machine. A name with `verified: false`
stays in the file (so editors can track it) but out of every kit.
`presskit signatories diff` lives with the editors' tools (`presskit.tools.signatory_diff`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from presskit.project.models import Signatories, Signatory


@cache
def _collator() -> Any:
    import pyuca

    return pyuca.Collator()


@cache  # every kit's context sorts the same names: compute each name's key once per process
def collation_key(text: str) -> tuple[int, ...]:
    return tuple(_collator().sort_key(text))


def in_kits(signatories: Signatories) -> list[Signatory]:
    """The verified signatories, sorted by `sort_as` (or the name) with Unicode collation."""
    shown = [s for s in signatories.signatories if s.verified]
    return sorted(
        shown, key=lambda s: (collation_key(s.sort_as or s.name), collation_key(s.name), s.name)
    )
