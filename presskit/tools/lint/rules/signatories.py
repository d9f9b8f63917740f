"""Rules about the signatory list (PK301)."""

from __future__ import annotations

from collections.abc import Iterator

from presskit.tools.lint.model import Corpus, Hit, Place, place, rule
from presskit.tools.lint.text import normalise


@rule(
    "PK301",
    "duplicate-signatory",
    "error",
    "The same name appears twice in the signatory list (after Unicode NFKC, case folding "
    "and spacing are normalised).",
)
def duplicate_signatory(corpus: Corpus) -> Iterator[Hit]:
    if corpus.signatories is None or corpus.signatories_source is None:
        return
    first: dict[str, Place] = {}
    for i, signatory in enumerate(corpus.signatories.signatories):
        key = normalise(signatory.name)
        where = place(corpus.signatories_source, ("signatories", i, "name"))
        if key in first:
            yield Hit(
                where,
                f"{signatory.name!r} is already listed at line {first[key].line}",
                "Remove the repeated entry.",
                (first[key],),
            )
        else:
            first[key] = where
