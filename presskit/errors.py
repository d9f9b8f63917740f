"""The one error family for user mistakes.

Everything a user can fix (bad YAML, a missing file, an event asking for more questions than
exist) is a `PresskitError`: the CLI prints its message and exits with its code, no traceback.
Anything else is a bug in presskit and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

import click

from presskit.wording import plural


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file, printed as `path:line:col: field: message`."""

    path: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class PresskitError(click.ClickException):
    """A mistake the user can fix; exit code 1."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


class ValidationFailed(PresskitError):
    """The project's files do not validate; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file: IO[Any] | None = None) -> None:
        for problem in self.problems:
            click.echo(str(problem), err=True, file=file)
        click.echo(
            f"{plural(len(self.problems), 'problem')} found; nothing was written.",
            err=True,
            file=file,
        )


class SelectionError(PresskitError):
    """An event's selection rules cannot be met by the banks as they are."""


class RenderError(PresskitError):
    """A template or the PDF renderer refused the input (bad template, forbidden URL...)."""


class UsageError(click.UsageError):
    """Bad command-line usage (unknown event slug, bad option combination); exit code 2."""
