"""An event's files as one zip download, the same bytes for the same files.

Zip entries carry a timestamp and permissions; taking them from the files (or the clock) would
make every build's zip differ. Entries are sorted, dated 1980-01-01 (the earliest date a zip can
hold) and marked as plain readable files.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # a regular file, rw-r--r--
COMPRESS_LEVEL = 9


def zip_bytes(folder: str, files: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip holding `files` (name, data) inside `folder/`, so it unpacks into one folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = FILE_MODE << 16
            info.create_system = 3  # Unix, so the mode above is honoured
            archive.writestr(info, data, compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()
