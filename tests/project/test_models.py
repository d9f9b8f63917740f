"""The typed models: boring slugs, paths kept inside the project, unknown keys refused."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from presskit.project.models import (
    Bank,
    Campaign,
    Event,
    Signatories,
    is_free_text,
    is_slug,
    rel_path,
    slug_problem,
)


@pytest.mark.parametrize("value", ["gala", "red-carpet-2027", "a1"])
def test_slugs(value: str) -> None:
    assert is_slug(value)


@pytest.mark.parametrize("value", ["", "Gala", "red--carpet", "-gala", "gala-", "gala_2", "é"])
def test_not_slugs(value: str) -> None:
    assert not is_slug(value)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("con", "is a name Windows reserves for a device (CON)"),
        ("CON", "is a name Windows reserves for a device (CON)"),
        ("Nul", "is a name Windows reserves for a device (NUL)"),
        ("aux", "is a name Windows reserves for a device (AUX)"),
        ("prn", "is a name Windows reserves for a device (PRN)"),
        ("com1", "is a name Windows reserves for a device (COM1)"),
        ("lpt9", "is a name Windows reserves for a device (LPT9)"),
        ("gala.", "use lowercase letters"),
        ("gala ", "use lowercase letters"),
        ("a" * 101, "is longer than 100 characters"),
    ],
)
def test_slugs_some_systems_cannot_use_as_names_are_refused(value: str, why: str) -> None:
    assert not is_slug(value)
    assert (slug_problem(value) or "").startswith(why)


@pytest.mark.parametrize("value", ["con-gala", "com10", "lpt", "a" * 100])
def test_names_near_the_reserved_ones_stay_slugs(value: str) -> None:
    assert is_slug(value)


@pytest.mark.parametrize("value", ["/etc/passwd", "\\share", "C:/x", "a/../../b", "..\\b"])
def test_paths_must_stay_inside_the_project(value: str) -> None:
    with pytest.raises(ValueError, match="must be a path inside the project"):
        rel_path(value)
    assert rel_path("brand/logo.svg") == "brand/logo.svg"


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ValidationError, match="nmae"):
        Signatories.model_validate({"signatories": [{"nmae": "X"}]})


@pytest.mark.parametrize(
    ("model", "loc", "prose"),
    [
        (Bank, ("theme",), True),
        (Bank, ("questions", 0, "text"), True),
        (Bank, ("questions", 0, "follow_ups", 1), True),
        (Bank, ("questions", 0, "notes"), True),
        (Bank, ("questions", 0, "translations", "es", "follow_ups", 0), True),
        (Bank, ("translations", "es", "description"), True),
        (Event, ("name",), True),
        (Event, ("branding", "sponsor"), True),
        (Campaign, ("translations", "es", "tagline"), True),
        (Campaign, ("contacts", 0, "name"), True),
        (Signatories, ("signatories", 0, "name"), True),
        (Bank, ("questions", 0, "id"), False),
        (Bank, ("questions", 0, "status"), False),
        (Event, ("select", "count"), False),
        (Event, ("select", "tags", 0), False),
        (Campaign, ("contacts", 0, "email"), False),
        (Campaign, ("no_such_key",), False),
    ],
)
def test_free_text_fields_are_marked_in_one_place(
    model: type[BaseModel], loc: tuple[str | int, ...], prose: bool
) -> None:
    assert is_free_text(model, loc) is prose


def test_the_version_line_settings_default_to_short_and_no_ids() -> None:
    campaign = Campaign(name="C", hashtag="#C")
    assert (campaign.provenance, campaign.show_question_ids) == ("short", False)
    # YAML reads a bare `off` as false; it means the word
    assert Campaign(name="C", hashtag="#C", provenance=False).provenance == "off"  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Campaign(name="C", hashtag="#C", provenance="long")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Campaign(name="C", hashtag="#C", provenance=True)  # type: ignore[arg-type]
