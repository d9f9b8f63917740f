"""Rules about the signatory list (PK301)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from presskit.tools.lint.model import Corpus, Hit, Place, place, rule
from presskit.tools.lint.text import normalise

# Letters of other scripts that look like Latin ones once case is folded (after Unicode TR39's
# confusables, Latin, Cyrillic and Greek only): "David" with a Cyrillic a is not a new signatory.
_CONFUSABLES = str.maketrans(
    # Cyrillic: a e o p c y x i j s h d q w l; B K M H T (lower case) v y; Latin script g
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u04bb\u0501\u051b\u051d\u04cf"
    "\u0432\u043a\u043c\u043d\u0442\u0475\u04af\u0261"
    # Greek: a o p v i k t u x; B E Z H M (lower case); c j; and the Latin dotless i
    "\u03b1\u03bf\u03c1\u03bd\u03b9\u03ba\u03c4\u03c5\u03c7"
    "\u03b2\u03b5\u03b6\u03b7\u03bc\u03f2\u03f3\u0131",
    "aeopcyxijshdqwlbkmhtvygaopviktuxbezhmcji",
)


def skeleton(name: str) -> str:
    """What a name looks like, for telling duplicates: `normalise` (NFKC, case, quote marks,
    spacing), without format characters (zero-width, bidi controls), look-alike letters of
    other scripts mapped to Latin."""
    text = "".join(c for c in normalise(name) if unicodedata.category(c) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", text.translate(_CONFUSABLES)).split())


@rule(
    "PK301",
    "duplicate-signatory",
    "error",
    "The same name appears twice in the signatory list (compared as they look: Unicode NFKC, "
    "case, spacing, invisible characters and look-alike letters of other scripts folded).",
)
def duplicate_signatory(corpus: Corpus) -> Iterator[Hit]:
    if corpus.signatories is None or corpus.signatories_source is None:
        return
    first: dict[str, Place] = {}
    names: dict[str, str] = {}
    for i, signatory in enumerate(corpus.signatories.signatories):
        key = skeleton(signatory.name)
        where = place(corpus.signatories_source, ("signatories", i, "name"))
        if key in first:
            yield Hit(
                where,
                f"{signatory.name!r} is already listed at line {first[key].line}"
                + ("" if signatory.name == names[key] else f" (as {names[key]!r})"),
                "Remove the repeated entry.",
                (first[key],),
            )
        else:
            first[key] = where
            names[key] = signatory.name
