"""`presskit signatories diff`: who was added or removed, between files or git revisions."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from presskit.cli import main
from presskit.tools.signatory_diff import diff
from tests.kits.test_signatories import names


def test_diff_lists_added_removed_and_verification_changes() -> None:
    old = names({"name": "Anna Berg"}, {"name": "Bo Chen"}, {"name": "Cy Dunn", "verified": False})
    new = names({"name": "Bo Chen", "verified": False}, {"name": "Cy Dunn"}, {"name": "Ed Fox"})
    assert diff(old, new).lines() == [
        "+ Ed Fox",
        "- Anna Berg",
        "~ Cy Dunn (now verified)",
        "~ Bo Chen (now unverified: kept out of kits)",
        "1 added, 1 removed; 2 -> 2 signatories in kits",
    ]


def test_diff_of_two_files(mini: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text("signatories:\n  - name: David Arquette\n  - name: Someone Removed\n")
    result = CliRunner().invoke(
        main,
        [
            "signatories",
            "diff",
            "--project",
            str(mini),
            str(old),
            str(mini / "campaign/signatories.yaml"),
        ],
    )
    assert result.exit_code == 0
    assert result.output == (
        "+ Justin Baldoni\n+ Matt McGorry\n+ David Schwimmer\n"
        "- Someone Removed\n3 added, 1 removed; 2 -> 4 signatories in kits\n"
    )


def test_an_invalid_version_is_a_located_error(mini: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text("signatories:\n  - nmae: X\n")
    result = CliRunner().invoke(main, ["signatories", "diff", "--project", str(mini), str(old)])
    assert result.exit_code == 1
    assert f"{old}:2:5: signatories[0].nmae: unknown key 'nmae'" in result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_of_two_git_revisions(mini: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(mini), *args], check=True, capture_output=True)

    git("init", "-q")
    git(
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "empty",
    )
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "one")
    listing = mini / "campaign/signatories.yaml"
    listing.write_text(
        listing.read_text().replace("  - name: Matt McGorry\n    sort_as: McGorry, Matt\n", "")
    )
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-am", "two")
    result = CliRunner().invoke(
        main, ["signatories", "diff", "--project", str(mini), "HEAD~1", "HEAD"]
    )
    assert result.output == "- Matt McGorry\n0 added, 1 removed; 4 -> 3 signatories in kits\n"
    assert result.exit_code == 0
    result = CliRunner().invoke(main, ["signatories", "diff", "--project", str(mini), "HEAD~2"])
    assert result.exit_code == 1
    assert result.output.startswith(
        "error: HEAD~2: not a file, nor a git revision holding campaign/signatories.yaml ("
    )
