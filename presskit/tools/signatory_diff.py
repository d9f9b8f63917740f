"""`presskit signatories diff`: who was added or removed between two versions of the list.

Each version is a file, or a git revision of the project's list (`REV` or `REV:path`).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from presskit.errors import PresskitError, ValidationFailed
from presskit.kits.signatories import collation_key, in_kits
from presskit.pipeline.provenance import find_repository, run_git
from presskit.project import yamlfile
from presskit.project.loading import CAMPAIGN_FILE, validate_model
from presskit.project.models import Campaign, Signatories, rel_path


@dataclass(frozen=True)
class SignatoryDiff:
    added: list[str]
    removed: list[str]
    now_verified: list[str]
    now_unverified: list[str]
    before: int  # names in kits
    after: int

    def lines(self) -> list[str]:
        out = [f"+ {name}" for name in self.added]
        out += [f"- {name}" for name in self.removed]
        out += [f"~ {name} (now verified)" for name in self.now_verified]
        out += [f"~ {name} (now unverified: kept out of kits)" for name in self.now_unverified]
        out.append(
            f"{len(self.added)} added, {len(self.removed)} removed; "
            f"{self.before} -> {self.after} signatories in kits"
        )
        return out


def diff(old: Signatories, new: Signatories) -> SignatoryDiff:
    before = {s.name: s for s in old.signatories}
    after = {s.name: s for s in new.signatories}

    def ordered(names: set[str]) -> list[str]:
        entry = {**before, **after}
        return sorted(names, key=lambda n: (collation_key(entry[n].sort_as or n), n))

    both = set(before) & set(after)
    return SignatoryDiff(
        added=ordered(set(after) - set(before)),
        removed=ordered(set(before) - set(after)),
        now_verified=ordered({n for n in both if after[n].verified and not before[n].verified}),
        now_unverified=ordered({n for n in both if before[n].verified and not after[n].verified}),
        before=len(in_kits(old)),
        after=len(in_kits(new)),
    )


def read_version(spec: str, root: Path, rel: str) -> Signatories:
    """A signatory list from a file path, or from `REV` / `REV:path` in the project's git."""
    file = Path(spec)
    if file.is_file():
        return _parse(yamlfile.read_text(file, spec), spec)
    revision, _, path = spec.partition(":")
    path = path or rel
    shown = f"{revision}:{path}"
    repository = find_repository(root)
    if repository is None:
        raise PresskitError(f"{spec}: not a file, and the project is not in a git repository")
    try:
        # `--end-of-options`: a revision such as `--output=/some/file` is a revision, never an
        # option; run_git keeps the repository's own configuration from running anything
        done = run_git(
            repository,
            ["show", "--no-textconv", "--end-of-options", f"{revision}:./{path}"],
            cwd=root.resolve(),
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise PresskitError(f"{spec}: not a file, and git could not be run: {exc}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PresskitError(
            f"{spec}: not a file, nor a git revision holding {path} "
            f"({reason[-1] if reason else 'git failed'})"
        )
    try:
        text = done.stdout.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PresskitError(f"{shown}: not valid UTF-8 text") from None
    return _parse(text, shown)


def _parse(text: str, shown: str) -> Signatories:
    data, source = yamlfile.parse(text, shown)
    value, problems = validate_model(Signatories, data, source)
    if value is None:
        raise ValidationFailed(problems)
    return value


def list_path(root: Path) -> str:
    """Where presskit.yaml says the signatory list is (the default if it does not say)."""
    default = str(Campaign.model_fields["signatories"].default)
    try:
        data, _ = yamlfile.read(root / CAMPAIGN_FILE, CAMPAIGN_FILE)
    except ValidationFailed:
        return default
    given = data.get("signatories") if isinstance(data, dict) else None
    try:
        return rel_path(given) if isinstance(given, str) else default
    except ValueError:
        return default


def compare(root: Path, old: str, new: str | None) -> list[str]:
    """`presskit signatories diff`: the differences as printable lines."""
    rel = list_path(root)
    before = read_version(old, root, rel)
    after = read_version(new, root, rel) if new is not None else _current(root, rel)
    return diff(before, after).lines()


def _current(root: Path, rel: str) -> Signatories:
    return _parse(yamlfile.read_text(root / rel, rel), rel)
