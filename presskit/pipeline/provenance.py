"""Where a kit came from: its build date and the version of the question banks.

A printout outlives the files it came from; the provenance line lets a reporter (or a press
office) tell a stale card from a fresh one. Dates never come from the build machine's clock, so
two builds of the same inputs stay byte-identical: the date is `SOURCE_DATE_EPOCH` when it is
set, else the commit date of the project's git HEAD, else there is none (an "Undated version").
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presskit.errors import PresskitError
from presskit.kits.i18n import NO_CATALOGUES, Catalogues, direction, format_date, labels
from presskit.project.loading import Project
from presskit.project.models import ProvenanceMode

GIT_TIMEOUT = 10.0
COMMIT_DIGITS = 12  # `full`, and the template variable `provenance.commit`
REF_DIGITS = 7  # `short`: as `git log --oneline` shows a commit
SEPARATOR = " · "


@dataclass(frozen=True)
class Provenance:
    """The build date (None when unknown) and the banks' commit (None outside git)."""

    date: dt.date | None
    commit: str | None
    modified: bool = False

    @property
    def short_commit(self) -> str | None:
        return self.commit[:COMMIT_DIGITS] if self.commit else None

    def line(
        self, language: str, mode: ProvenanceMode = "short", catalogues: Catalogues = NO_CATALOGUES
    ) -> str | None:
        """The version line as a publisher's imprint, in `language`, for the campaign's
        `provenance` setting: "Version of January 15, 2027 · ref 0123456"; a note only when the
        kit is not exactly a committed version; None when the setting is `off`."""
        if mode == "off":
            return None
        words = labels(language, catalogues)
        parts = [
            words["version_of"].format(date=format_date(self.date, language))
            if self.date
            else words["version_undated"]
        ]
        if self.commit:
            digits = self.commit[: COMMIT_DIGITS if mode == "full" else REF_DIGITS]
            if direction(language) == "rtl":  # hex digits isolated, never reordered (U+2066..9)
                digits = f"\u2066{digits}\u2069"
            key = "version_ref_full" if mode == "full" else "version_ref"
            parts.append(words[f"{key}_amended" if self.modified else key].format(commit=digits))
        elif mode == "full":
            parts.append(words["version_unversioned_full"])
        return SEPARATOR.join(parts)

    def as_context(
        self, language: str, mode: ProvenanceMode = "short", catalogues: Catalogues = NO_CATALOGUES
    ) -> dict[str, Any]:
        """The template variable `provenance`: `line` (the imprint, or None when off), `date`
        (formatted for `language`, or None), `date_iso`, `commit` (12 hex digits, or None) and
        `modified`."""
        return {
            "line": self.line(language, mode, catalogues),
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


def build_clock(environ: Mapping[str, str] | None = None) -> dt.datetime:
    """The build's moment (for embargoes): SOURCE_DATE_EPOCH when set, so a reproducible build
    publishes the same kits wherever it runs; else now. Always with its zone (UTC)."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        # Decides where kits go (published or held back), not in any kit: no output changes.
        return dt.datetime.now(dt.UTC)
    source_date(environ)  # the same checks and message as for the date
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)


# --- git, without the repository's own configuration --------------------------------------------
#
# A project can arrive as a zip with its `.git/` folder, and git obeys that folder's `config`:
# `core.fsmonitor`, filter drivers (named by `.gitattributes`, run by `status`), `gpg.program`
# with `log.showSignature`, `core.pager`, `include.path` pulling in more of the same... Switching
# settings off one by one cannot be complete (filter names are arbitrary, and git grows new ones),
# so git never reads that file: every command runs against a throwaway git directory whose
# `config` presskit writes, holding only a few layout settings copied from the repository's
# (file modes, symlinks, case, line endings, the hash) and checked against a fixed vocabulary,
# so `status` answers as it would in the repository. HEAD is copied; refs, packed-refs, info/
# and shallow are linked; objects and the index are named through the environment. Everything
# there is data, never a program. The user's own (global and system) configuration still
# applies: it is theirs, not the project's.
#
# Why git rather than reading the repository in Python: the commit is easy to read (HEAD, refs,
# packed-refs), but its date lives in a possibly packed and deltified object, and "are there
# uncommitted changes" means the index format, .gitignore rules and line-ending conversion. A
# pure-Python library (dulwich) is a new dependency, slower on `status`, and recent versions run
# filter drivers themselves, which is the very thing to avoid.

_LAYOUT_SETTINGS = {  # the repository settings copied, each with the values it may take
    "core.repositoryformatversion": {"0", "1"},
    "core.filemode": {"true", "false", "yes", "no", "on", "off", "1", "0"},
    "core.symlinks": {"true", "false", "yes", "no", "on", "off", "1", "0"},
    "core.ignorecase": {"true", "false", "yes", "no", "on", "off", "1", "0"},
    "core.precomposeunicode": {"true", "false", "yes", "no", "on", "off", "1", "0"},
    "core.autocrlf": {"true", "false", "yes", "no", "on", "off", "1", "0", "input"},
    "core.eol": {"lf", "crlf", "native"},
    "extensions.objectformat": {"sha1", "sha256"},
}
_LINKED = ("refs", "packed-refs", "info", "shallow")  # from the common directory, read only
_REPOSITORY_ENVIRONMENT = (  # the caller's choice of repository, replaced by presskit's own
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
)
_MAX_SMALL_FILE = 1_000_000  # HEAD, .git files, commondir, config: anything larger is not git's


@dataclass(frozen=True)
class Repository:
    """Where a repository's parts are: `git_dir` holds HEAD and the index (a linked worktree's
    own folder), `common_dir` the objects, refs and config, `work_tree` the checked-out files."""

    work_tree: Path
    git_dir: Path
    common_dir: Path


def _small_text(path: Path) -> str | None:
    """A small regular file's text (never a FIFO, a device or a huge file), or None."""
    try:
        if not path.is_file() or path.stat().st_size > _MAX_SMALL_FILE:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def find_repository(start: Path) -> Repository | None:
    """The git repository whose work tree holds `start` (found as git finds it: the nearest
    `.git` folder, or `.git` file naming one, upwards), or None."""
    try:
        folder = start.resolve()
    except OSError:
        return None
    for top in [folder, *folder.parents]:
        dot_git = top / ".git"
        if dot_git.is_dir():
            git_dir = dot_git
        elif dot_git.is_file():  # a linked worktree or a submodule: "gitdir: <path>"
            text = _small_text(dot_git) or ""
            if not text.startswith("gitdir: "):
                return None
            git_dir = (top / text[len("gitdir: ") :].strip()).resolve()
        else:
            continue
        common = _small_text(git_dir / "commondir")
        common_dir = (git_dir / common.strip()).resolve() if common else git_dir
        if not (git_dir / "HEAD").is_file() or not (common_dir / "objects").is_dir():
            return None
        return Repository(work_tree=top, git_dir=git_dir, common_dir=common_dir)
    return None


def _layout_settings(config: Path) -> str:
    """The repository's layout settings (`_LAYOUT_SETTINGS`, valid values only) as a git
    config file; everything else in `config` is left out."""
    found: dict[str, str] = {}
    section = ""
    for raw in (_small_text(config) or "").splitlines():
        line = raw.strip()
        if line.startswith("["):
            header, _, line = line[1:].partition("]")
            name, _, subsection = header.partition(" ")
            section = "" if subsection.strip() else name.strip().lower()
            line = line.strip()
        if not line or line[0] in "#;":
            continue
        key, equals, value = line.partition("=")
        value = value.split("#", 1)[0].split(";", 1)[0].strip().strip('"').lower()
        setting = f"{section}.{key.strip().lower()}"
        value = value if equals else "true"  # a bare key is a true boolean
        if value in _LAYOUT_SETTINGS.get(setting, set()):
            found[setting] = value
    found.setdefault("core.repositoryformatversion", "0")
    lines = ["[core]", "\tbare = false"]
    lines += [f"\t{key[5:]} = {v}" for key, v in found.items() if key.startswith("core.")]
    if "extensions.objectformat" in found:
        lines += ["[extensions]", f"\tobjectformat = {found['extensions.objectformat']}"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class PastVersion:
    """A file as one commit holds it."""

    commit: str  # short hash
    date: str  # the author's, YYYY-MM-DD
    subject: str
    text: str


def past_versions(root: Path, rel: str, limit: int) -> Iterator[PastVersion]:
    """File `rel` (a path inside project `root`) in each of the last `limit` commits that
    changed it, newest first, read one commit at a time so a caller stops once it has found
    what it looks for (an approved wording, the English a translation was made from); nothing
    outside git, or where git cannot run or fails."""
    repository = find_repository(root)
    if repository is None:
        return
    log = _git_text(
        repository,
        root,
        ["log", f"-n{limit}", "--format=%h%x00%as%x00%s", "--end-of-options", "HEAD"],
        ("--", f"./{rel}"),
    )
    for line in (log or "").splitlines():
        commit, date, subject = [*line.split("\x00"), "", ""][:3]
        text = _git_text(repository, root, ["show", "--no-textconv", f"{commit}:./{rel}"])
        if text is not None:
            yield PastVersion(commit, date, subject, text.removeprefix("\ufeff"))


def _git_text(
    repository: Repository, root: Path, args: list[str], tail: tuple[str, ...] = ()
) -> str | None:
    """What a read-only git command prints, or None when it cannot run or fails."""
    try:
        done = run_git(repository, [*args, *tail], cwd=root.resolve(), timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


def run_git(
    repository: Repository, args: Sequence[str], cwd: Path, timeout: float = GIT_TIMEOUT
) -> subprocess.CompletedProcess[bytes]:
    """Run one read-only git command on `repository` from `cwd` (inside its work tree) without
    reading the repository's configuration; raises OSError or SubprocessError when git cannot
    run."""
    head = _small_text(repository.git_dir / "HEAD")
    if head is None:
        raise OSError(f"{repository.git_dir / 'HEAD'} is not a file git wrote")
    with tempfile.TemporaryDirectory(prefix="presskit-git-") as shadow:
        folder = Path(shadow)
        (folder / "HEAD").write_text(head, encoding="utf-8")
        (folder / "config").write_text(
            _layout_settings(repository.common_dir / "config"), encoding="utf-8"
        )
        for name in _LINKED:
            if (repository.common_dir / name).exists():
                (folder / name).symlink_to(repository.common_dir / name)
        if not (folder / "refs").exists():
            (folder / "refs").mkdir()
        for shared in repository.git_dir.glob("sharedindex.*"):  # a split index's other half
            (folder / shared.name).symlink_to(shared)
        index = repository.git_dir / "index"
        if index.exists() and not index.is_file():  # a FIFO or a device would hang git
            index = folder / "index"  # none: every file then counts as a change
        environ = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_ENVIRONMENT}
        environ.update(
            GIT_DIR=str(folder),
            GIT_WORK_TREE=str(repository.work_tree),
            GIT_INDEX_FILE=str(index),
            GIT_OBJECT_DIRECTORY=str(repository.common_dir / "objects"),
            GIT_OPTIONAL_LOCKS="0",  # never write the index (or anything) back
            GIT_TERMINAL_PROMPT="0",
            GIT_PAGER="cat",
            LC_ALL="C",
        )
        return subprocess.run(
            # no fsmonitor daemon (even one the user's configuration asks for) is left running
            ["git", "--no-pager", "-c", "core.fsmonitor=false", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=environ,
        )


def _git(root: Path, *args: str) -> str | None:
    """Output of one git command in `root`, or None when git or a repository is missing."""
    repository = find_repository(root)
    if repository is None:
        return None
    try:
        done = run_git(repository, args, cwd=root.resolve())
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").strip()


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
        status = _git(
            root,
            "status",
            "--porcelain",
            "--untracked-files=all",
            # a submodule's own changes would be read by git run inside it, with its config;
            # a submodule moved to another commit still counts
            "--ignore-submodules=dirty",
            "--",
            *inputs,
        )
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
