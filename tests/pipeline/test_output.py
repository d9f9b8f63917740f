"""Writing build results: atomically, only when changed, and only inside the output folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from presskit.errors import PresskitError
from presskit.pipeline.output import (
    confined,
    event_folder,
    is_temp_name,
    remove_legacy_state,
    remove_stale_temp_files,
    state_folder,
    write_if_changed,
)
from presskit.project.atomic import write_atomic


def test_write_if_changed_leaves_identical_files_alone(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    assert write_if_changed(path, b"<p>a</p>") is True
    inode = path.stat().st_ino
    assert write_if_changed(path, b"<p>a</p>") is False
    assert path.stat().st_ino == inode
    assert write_if_changed(path, b"<p>b</p>") is True
    assert path.read_bytes() == b"<p>b</p>"


@pytest.mark.parametrize("part", ["", ".", "..", "a/b", "a\\b", "a\0b"])
def test_confined_refuses_names_that_leave_the_folder(tmp_path: Path, part: str) -> None:
    with pytest.raises(PresskitError, match="refusing to write outside the output folder"):
        confined(tmp_path, part)


def test_confined_refuses_a_symbolic_link_out(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out/gala").symlink_to(tmp_path)
    assert confined(tmp_path / "out", "kit", "index.html") == tmp_path / "out/kit/index.html"
    with pytest.raises(PresskitError, match="refusing to write outside the output folder"):
        confined(tmp_path / "out", "gala", "index.html")


def test_event_folder_wants_a_slug(tmp_path: Path) -> None:
    assert event_folder(tmp_path, "red-carpet") == tmp_path / "red-carpet"
    with pytest.raises(PresskitError, match="event slug 'Red Carpet' is not a safe folder name"):
        event_folder(tmp_path, "Red Carpet")


def test_stale_temp_files_are_removed_but_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "gala").mkdir(parents=True)
    stale = [
        out / ".index.html.presskit-k2j3h4ab.tmp",
        out / "gala/.press-kit.pdf.presskit-a_b9x7yz.tmp",
    ]
    kept = [out / "gala/notes.tmp", out / "gala/.hidden", out / "gala/a.pdf"]
    for path in stale + kept:
        path.write_text("x")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/.x.pdf.presskit-abcdefgh.tmp").write_text("not ours")
    (out / "gala/linked").symlink_to(tmp_path / "outside")
    assert remove_stale_temp_files(out) == sorted(stale)
    assert all(path.exists() for path in kept)
    assert (tmp_path / "outside/.x.pdf.presskit-abcdefgh.tmp").exists()  # links not followed


@pytest.mark.parametrize(
    "name",
    [
        ".notes.tmp",
        ".something.tmp",
        ".index.html.k2j3h4ab.tmp",  # someone else's tool, same shape as mkstemp's
        ".draft.v2.tmp",
        ".a.presskit-short.tmp",
        ".a.presskit-UPPERCAS.tmp",
        "a.presskit-abcdefgh.tmp",
    ],
)
def test_other_peoples_temporary_files_are_left_alone(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("an editor's")
    assert not is_temp_name(name)
    assert remove_stale_temp_files(tmp_path) == []
    assert (tmp_path / name).read_text() == "an editor's"


def test_our_temporary_files_have_the_name_we_remove(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    replace = os.replace

    def spy(src: str, dst: Path) -> None:
        seen.append(Path(src).name)
        replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(tmp_path / "press-kit.pdf", b"%PDF")
    assert len(seen) == 1
    assert seen[0].startswith(".press-kit.pdf.presskit-")
    assert is_temp_name(seen[0])


def test_the_state_folder_is_beside_the_output_folder_named_after_it(tmp_path: Path) -> None:
    assert state_folder(tmp_path / "output") == tmp_path.resolve() / ".output.presskit"
    (tmp_path / "real").mkdir()
    (tmp_path / "public").symlink_to(tmp_path / "real")
    assert state_folder(tmp_path / "public") == tmp_path.resolve() / ".real.presskit"
    assert state_folder(tmp_path / "a/../b") == tmp_path.resolve() / ".b.presskit"


def test_legacy_state_is_removed_but_only_files(tmp_path: Path) -> None:
    (tmp_path / ".presskit-cache.json").write_text("{}")
    (tmp_path / ".presskit.lock").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").write_text("not ours")
    assert remove_legacy_state(tmp_path) == [tmp_path / ".presskit-cache.json"]
    assert remove_legacy_state(tmp_path) == []
    assert (tmp_path / "elsewhere").read_text() == "not ours"
