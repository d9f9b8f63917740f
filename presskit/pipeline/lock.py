"""One build at a time per output folder.

Two builds writing the same folder at once could leave a kit whose press kit comes from one run
and whose question sheet comes from the other. Each build therefore holds an advisory lock
(`fcntl.flock` on `lock` in the build's state folder beside the output folder, see
`output.state_folder`: never inside the published folder) while it writes; a second build waits
for it, and stops with a clear message if it waits too long. The kernel drops the lock when its
process dies, even under SIGKILL, so a killed build never leaves the folder locked.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from presskit.errors import PresskitError
from presskit.pipeline.output import state_folder

LOCK_NAME = "lock"
DEFAULT_TIMEOUT = 120.0  # seconds; writing a whole campaign takes far less
_POLL = 0.05


class LockTimeout(PresskitError):
    """Another build kept the output folder locked for longer than we were willing to wait."""


def lock_file(folder: Path) -> Path:
    """The lock of output folder `folder`, in the build's state folder beside it."""
    return state_folder(folder) / LOCK_NAME


@contextlib.contextmanager
def output_lock(folder: Path, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the output folder's lock for the duration of the `with` block."""
    path = lock_file(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.parent.mkdir(exist_ok=True)
        if path.parent.is_symlink():  # the cache is written there too: keep it where it is named
            raise OSError(errno.ELOOP, "a symbolic link")
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:  # --out names a file, a read-only folder, a symlinked lock file...
        raise PresskitError(f"cannot lock the output folder ({path}): {exc.strerror}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another presskit build is writing to {folder} (it holds {path}); "
                        f"waited {timeout:g} s. Run the build again when it has finished."
                    ) from None
                time.sleep(_POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
