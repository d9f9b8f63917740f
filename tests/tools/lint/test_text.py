"""How lint compares texts."""

from __future__ import annotations

import pytest

from presskit.tools.lint.text import similarity


def test_similarity_is_over_words() -> None:
    assert similarity(
        "When did you last speak up for a colleague?", "when did you last speak up for a co-worker?"
    ) == pytest.approx(16 / 19)
    assert (
        similarity("What does being an ally mean to you?", "What does accountability mean to you?")
        < 0.8
    )
