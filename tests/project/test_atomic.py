"""Replacing a file in one step."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from presskit.project.atomic import write_atomic


def test_write_atomic_replaces_the_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "new/folder/kit.pdf"
    write_atomic(path, b"first")
    write_atomic(path, b"second")
    assert path.read_bytes() == b"second"
    assert sorted(p.name for p in path.parent.iterdir()) == ["kit.pdf"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_write_atomic_gives_the_mode_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    write_atomic(path, b"theme: A\n", mode=0o600)
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bank.yaml"
    path.write_bytes(b"old")

    def refuse(src: str, dst: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["bank.yaml"]
