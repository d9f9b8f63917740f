"""One way to count things in messages."""

from __future__ import annotations

import pytest

from presskit.wording import plural


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 events"), (1, "1 event"), (2, "2 events"), (-1, "-1 events")]
)
def test_the_noun_agrees_with_the_count(count: int, expected: str) -> None:
    assert plural(count, "event") == expected


def test_an_irregular_plural_is_given() -> None:
    assert plural(1, "signatory", "signatories") == "1 signatory"
    assert plural(3, "signatory", "signatories") == "3 signatories"
    assert plural(2, "follow-up") == "2 follow-ups"
