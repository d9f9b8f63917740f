"""Replacing a file in one step: the one way presskit writes files, builds and sources alike.

The data goes to a hidden temporary file (`.name.presskit-XXXXXXXX.tmp`) in the same folder, is
flushed, and is renamed over the target, so a reader (or a killed process) sees the old file or
the new one, never half of one. The build's output folder clears such leftovers
(`presskit.pipeline.output.remove_stale_temp_files`); the names are defined here.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

# `tempfile.mkstemp` names: our prefix and suffix around 8 characters of its alphabet.
TEMP_PREFIX = ".presskit-"
TEMP_SUFFIX = ".tmp"
TEST_PAUSE_ENV = "PRESSKIT_TEST_PAUSE_BEFORE_RENAME"


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace `path` with `data` in one step; no partial file is ever visible. The file gets
    permissions `mode` (a source file being rewritten passes its own)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}{TEMP_PREFIX}", suffix=TEMP_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        _test_pause()
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.filename is None:  # a failed write names no file (EFBIG, ENOSPC): name ours
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _test_pause() -> None:
    """For the crash tests only: with PRESSKIT_TEST_PAUSE_BEFORE_RENAME=<seconds> set, wait
    between writing a temporary file and renaming it, so a test can kill the build right there.
    Unset (always, outside tests), it does nothing."""
    if seconds := os.environ.get(TEST_PAUSE_ENV):
        time.sleep(float(seconds))
