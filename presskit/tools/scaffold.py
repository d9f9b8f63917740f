"""`presskit new`: a buildable starter project, copied from files shipped in the package."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from presskit.errors import PresskitError
from presskit.pipeline.output import write_atomic
from presskit.project.schema import KINDS, SCHEMA_DIR, file_name, schema_text

STARTER = "starter"
# Shipped without their leading dot, so no tool treats them as the package's own dotfiles (git
# would apply starter/.gitignore to this repository; some packagers leave dotfiles out).
DOTFILES = {"gitignore": ".gitignore"}


def _files(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            found += _files(entry, rel + "/")
        else:
            found.append((rel, entry))
    return found


def starter_files() -> list[tuple[str, bytes]]:
    """The starter project's files, by the path they get in a new project."""
    root = resources.files("presskit.tools").joinpath(STARTER)
    return [(DOTFILES.get(rel, rel), entry.read_bytes()) for rel, entry in _files(root)]


def new_project(target: Path) -> list[Path]:
    """Write the starter project into `target`, which must be missing or empty: a campaign, one
    bank, one event, and a .gitignore that keeps the build's output out of git.

    The starter's YAML files name `schemas/*.schema.json` on their first line, so the schemas
    are generated into the new project too, from the models of the presskit that wrote it.
    """
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PresskitError(
            f"{target} already exists and is not an empty folder; choose a new folder name"
        )
    written = []
    for rel, data in starter_files():
        path = target / rel
        write_atomic(path, data)
        written.append(path)
    written += write_schemas(target / SCHEMA_DIR)
    return written


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder`; the same models always give the same bytes."""
    written = []
    for kind in KINDS:
        path = folder / file_name(kind)
        write_atomic(path, schema_text(kind).encode("utf-8"))
        written.append(path)
    return written
