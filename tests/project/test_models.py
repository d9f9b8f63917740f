"""The typed models: boring slugs, paths kept inside the project, unknown keys refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from presskit.project.models import Signatories, is_slug, rel_path


@pytest.mark.parametrize("value", ["gala", "red-carpet-2027", "a1"])
def test_slugs(value: str) -> None:
    assert is_slug(value)


@pytest.mark.parametrize("value", ["", "Gala", "red--carpet", "-gala", "gala-", "gala_2", "é"])
def test_not_slugs(value: str) -> None:
    assert not is_slug(value)


@pytest.mark.parametrize("value", ["/etc/passwd", "\\share", "C:/x", "a/../../b", "..\\b"])
def test_paths_must_stay_inside_the_project(value: str) -> None:
    with pytest.raises(ValueError, match="must be a path inside the project"):
        rel_path(value)
    assert rel_path("brand/logo.svg") == "brand/logo.svg"


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ValidationError, match="nmae"):
        Signatories.model_validate({"signatories": [{"nmae": "X"}]})
