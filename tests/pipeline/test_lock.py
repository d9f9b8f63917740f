"""One build at a time per output folder: the lock waits, times out clearly, and lets go.

Whole builds taking turns, and a killed holder, are in tests/promises/test_crash_safety.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.errors import PresskitError
from presskit.pipeline.lock import LOCK_NAME, LockTimeout, lock_file, output_lock
from presskit.pipeline.output import state_folder


def test_a_second_holder_times_out_with_a_clear_message(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_lock(out), pytest.raises(LockTimeout) as exc, output_lock(out, timeout=0.1):
        pass
    assert exc.value.message == (
        f"another presskit build is writing to {out} (it holds {lock_file(out)}); waited 0.1 s. "
        "Run the build again when it has finished."
    )
    assert exc.value.exit_code == 1


def test_the_lock_is_free_again_after_the_block(tmp_path: Path) -> None:
    with output_lock(tmp_path):
        pass
    with output_lock(tmp_path, timeout=0.1):
        assert lock_file(tmp_path) == state_folder(tmp_path) / LOCK_NAME
        assert lock_file(tmp_path).is_file()
        assert list(tmp_path.iterdir()) == []  # nothing of ours in the published folder


def test_an_output_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file")
    with (
        pytest.raises(PresskitError, match=r"^cannot lock the output folder \("),
        output_lock(tmp_path / "out"),
    ):
        pass


def test_two_paths_to_one_output_folder_share_one_lock(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "out")
    with (
        output_lock(tmp_path / "out"),
        pytest.raises(LockTimeout),
        output_lock(tmp_path / "sub/../alias", timeout=0.1),
    ):
        pass
    assert list((tmp_path / "out").iterdir()) == []


def test_a_linked_state_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / ".out.presskit").symlink_to(tmp_path / "elsewhere")
    with (
        pytest.raises(
            PresskitError, match=r"^cannot lock the output folder \(.*: a symbolic link$"
        ),
        output_lock(tmp_path / "out"),
    ):
        pass
    assert list((tmp_path / "elsewhere").iterdir()) == []
