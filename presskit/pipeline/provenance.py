"""Where a kit came from: its build date and the version of the question banks.

A printout outlives the files it came from; the provenance line lets a reporter (or a press
office) tell a stale card from a fresh one. Dates never come from the build machine's clock, so
two builds of the same inputs stay byte-identical: the date is `SOURCE_DATE_EPOCH` when it is
set, else the commit date of the project's git HEAD, else there is none ("unversioned").
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presskit.errors import PresskitError
from presskit.kits.i18n import format_date
from presskit.project.loading import Project

GIT_TIMEOUT = 10.0
COMMIT_DIGITS = 12


@dataclass(frozen=True)
class Provenance:
    """The build date (None when unknown) and the banks' commit (None outside git)."""

    date: dt.date | None
    commit: str | None
    modified: bool = False

    @property
    def short_commit(self) -> str | None:
        return self.commit[:COMMIT_DIGITS] if self.commit else None

    def as_context(self, language: str) -> dict[str, Any]:
        """The template variable `provenance`: `date` (formatted for `language`, or None),
        `date_iso`, `commit` (12 hex digits, or None) and `modified`."""
        return {
            "date": format_date(self.date, language) if self.date else None,
            "date_iso": self.date.isoformat() if self.date else None,
            "commit": self.short_commit,
            "modified": self.modified,
        }


def source_date(environ: Mapping[str, str] | None = None) -> dt.date | None:
    """`SOURCE_DATE_EPOCH` (the reproducible-builds convention) as a UTC date, if set."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        if not value.isdigit():
            raise ValueError(value)
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):  # not a number, or past the year 9999
        raise PresskitError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, not {value!r}"
        ) from None


def _git(root: Path, *args: str) -> str | None:
    """Output of one git command in `root`, or None when git or a repository is missing."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def read_provenance(root: Path, inputs: list[str]) -> Provenance:
    """The provenance of a build of the project at `root` whose content lives in `inputs`.

    `inputs` are the project's content paths (banks, events, letter...), relative to `root`;
    uncommitted changes to them mark the version as modified, so a kit built from an edited
    working tree does not claim to be the commit.
    """
    head = _git(root, "log", "-1", "--format=%H %ct")
    commit = date = None
    modified = False
    if head:
        commit, seconds = head.split()
        date = dt.datetime.fromtimestamp(int(seconds), tz=dt.UTC).date()
        status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *inputs)
        modified = bool(status)
    override = source_date()
    return Provenance(date=override or date, commit=commit, modified=modified)


def project_provenance(project: Project) -> Provenance:
    """The provenance of a build of `project`: its content files are the inputs."""
    campaign = project.campaign
    inputs = [
        "presskit.yaml",
        campaign.letter,
        campaign.signatories,
        campaign.banks,
        campaign.events,
        "templates",
    ]
    return read_provenance(project.root, inputs)
