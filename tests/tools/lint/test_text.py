"""How lint compares texts."""

from __future__ import annotations

import pytest

from presskit.tools.lint.text import _QUOTES, _fold_quotes, similarity


def test_similarity_is_over_words() -> None:
    assert similarity(
        "When did you last speak up for a colleague?", "when did you last speak up for a co-worker?"
    ) == pytest.approx(16 / 19)
    assert (
        similarity("What does being an ally mean to you?", "What does accountability mean to you?")
        < 0.8
    )


def test_quote_folding_takes_a_shortcut_for_ascii_with_the_same_result() -> None:
    ascii_text = "".join(chr(c) for c in range(128))
    assert _fold_quotes(ascii_text) == ascii_text.translate(_QUOTES)
    mixed = ascii_text + "\u2018a\u2019 \u201cb\u201d \u00abc\u00bb \u00b4 \u2032 \u2033 é"
    assert _fold_quotes(mixed) == mixed.translate(_QUOTES)
