"""`presskit new`: a buildable starter project, copied from files shipped in the package."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from presskit.errors import PresskitError
from presskit.project.atomic import write_atomic
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


def writable_folder(folder: Path) -> None:
    """Refuse, in one line, a folder that cannot be made: a file on its path, or a read-only
    place. Checked before anything is written, so a refusal writes nothing."""
    for ancestor in (folder, *folder.parents):
        if ancestor.exists():
            if not ancestor.is_dir():
                what = "is not a folder" if ancestor == folder else f"{ancestor} is not a folder"
                raise PresskitError(f"{folder}: {what}; choose another path")
            if not os.access(ancestor, os.W_OK | os.X_OK):
                raise PresskitError(f"{folder}: cannot write in {ancestor} (not writable)")
            return


def new_project(target: Path) -> list[Path]:
    """Write the starter project into `target`, which must be missing or empty: a campaign, one
    bank, one event, and a .gitignore that keeps the build's output out of git.

    The starter's YAML files name `schemas/*.schema.json` on their first line, so the schemas
    are generated into the new project too, from the models of the presskit that wrote it.
    The files are written into a hidden folder beside `target` that is then renamed to it, so a
    failure (a full disk, a file-size limit) leaves no half-written project behind.
    """
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PresskitError(
            f"{target} already exists and is not an empty folder; choose a new folder name"
        )
    writable_folder(target)
    made = [p for p in reversed(target.parents) if not p.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.{secrets.token_hex(4)}.presskit-new"
    try:
        staging.mkdir()
        for rel, data in starter_files():
            write_atomic(staging / rel, data)
        write_schemas(staging / SCHEMA_DIR)
        os.replace(staging, target)  # an empty `target` folder is replaced too
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, OSError):  # name the folder asked for, not the hidden one
            reason = exc.strerror or str(exc)
            raise PresskitError(
                f"{target}: cannot write there ({reason}); nothing was written"
            ) from exc
        raise
    return [target / rel for rel, _ in starter_files()] + [
        target / SCHEMA_DIR / file_name(kind) for kind in KINDS
    ]


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder`; the same models always give the same bytes."""
    writable_folder(folder)
    written = []
    for kind in KINDS:
        path = folder / file_name(kind)
        write_atomic(path, schema_text(kind).encode("utf-8"))
        written.append(path)
    return written
