"""Signatories: collation and verified flags (`signatories diff`: tools/test_signatory_diff.py)."""

from __future__ import annotations

from presskit.kits.signatories import in_kits
from presskit.project.models import Signatories


def names(*entries: dict[str, object]) -> Signatories:
    return Signatories.model_validate({"signatories": list(entries)})


def test_names_sort_with_unicode_collation_not_code_points() -> None:
    shown = in_kits(
        names(
            {"name": "Zoë Zed"},
            {"name": "Élodie Roux"},
            {"name": "elodie Ames"},
            {"name": "Ángel Díaz"},
            {"name": "Anna Berg"},
        )
    )
    # code-point order would put "Zoë" before "elodie" and "Élodie"/"Ángel" after "Zoë"
    assert [s.name for s in shown] == [
        "Ángel Díaz",
        "Anna Berg",
        "elodie Ames",
        "Élodie Roux",
        "Zoë Zed",
    ]


def test_sort_as_orders_by_surname_and_unverified_names_stay_out() -> None:
    shown = in_kits(
        names(
            {"name": "David Schwimmer", "sort_as": "Schwimmer, David"},
            {"name": "Matt McGorry", "sort_as": "McGorry, Matt"},
            {"name": "Unchecked Name", "verified": False},
        )
    )
    assert [s.name for s in shown] == ["Matt McGorry", "David Schwimmer"]
