"""Which folder is the project: the one `--project` names, or, as git does, the nearest folder
from the current one upwards that holds presskit.yaml.

Kept free of heavy imports: the CLI calls it before a command loads anything.
"""

from __future__ import annotations

import os
from pathlib import Path

from presskit.errors import PresskitError

PROJECT_FILE = "presskit.yaml"
NOT_FOUND = (
    f"no {PROJECT_FILE} found here or in any parent folder; to start a project: presskit new DIR"
)


def find_project(here: Path) -> Path | None:
    """The nearest folder from `here` upwards that holds presskit.yaml, or None."""
    here = here.absolute()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def locate_project(given: Path | None, here: Path, *, strict: bool = True) -> Path | None:
    """The project folder a command works on, as `--project` passes it on: `given` as it is,
    None for `here` itself, or the parent that holds the project, relative to `here` (so
    messages name files the way the user would type them).

    With `strict`, a folder without presskit.yaml is a one-line error saying how to start a
    project; without, `given` and a `here` with no project anywhere above pass through.
    """
    if given is not None:
        if strict and not (given / PROJECT_FILE).is_file():
            raise PresskitError(
                f"no {PROJECT_FILE} in {given}/; give the folder that holds it, "
                f"or start a project there: presskit new {given}"
            )
        return given
    found = find_project(here)
    if found is None:
        if strict:
            raise PresskitError(NOT_FOUND)
        return None
    if found == here.absolute():
        return None
    return Path(os.path.relpath(found, here.absolute()))
