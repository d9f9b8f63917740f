"""How lint compares texts: case, spacing and quote marks folded; similarity over words."""

from __future__ import annotations

import difflib
import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
    }
)


def normalise(text: str) -> str:
    """Case, spacing and quote marks folded, so trivially different copies compare equal."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return re.findall(r"\w+(?:'\w+)*", normalise(text))


def similarity(a: str, b: str) -> float:
    """How alike two questions read, 0 to 1: difflib's ratio over their words."""
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()
