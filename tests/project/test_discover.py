"""Which folder is the project: --project as given, or the nearest one upwards, as git does."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.errors import PresskitError
from presskit.project.discover import NOT_FOUND, find_project, locate_project


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    """tmp/outer/presskit.yaml with an empty tmp/outer/a/b below it."""
    (tmp_path / "outer/a/b").mkdir(parents=True)
    (tmp_path / "outer/presskit.yaml").write_text("title: x\n")
    return tmp_path


def test_the_nearest_folder_upwards_wins(nested: Path) -> None:
    assert find_project(nested / "outer/a/b") == nested / "outer"
    assert find_project(nested / "outer") == nested / "outer"
    assert find_project(nested) is None
    (nested / "outer/a/presskit.yaml").write_text("title: inner\n")
    assert find_project(nested / "outer/a/b") == nested / "outer/a"


def test_a_parent_project_is_named_relative_to_here(nested: Path) -> None:
    assert locate_project(None, nested / "outer/a/b") == Path("../..")
    assert locate_project(None, nested / "outer") is None  # the current folder: as before


def test_no_project_anywhere(nested: Path) -> None:
    with pytest.raises(PresskitError) as exc:
        locate_project(None, nested)
    assert exc.value.message == NOT_FOUND
    assert locate_project(None, nested, strict=False) is None


def test_a_given_folder_must_hold_presskit_yaml(nested: Path) -> None:
    assert locate_project(nested / "outer", nested) == nested / "outer"
    with pytest.raises(PresskitError, match=r"^no presskit.yaml in .*/outer/a/; give the folder"):
        locate_project(nested / "outer/a", nested)
    assert locate_project(nested / "outer/a", nested, strict=False) == nested / "outer/a"
