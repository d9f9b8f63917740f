"""The pre-commit snippet in docs/editors.md works as written: pre-commit runs presskit lint."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from presskit.tools.scaffold import new_project
from tests.conftest import REPO

BIN = Path(sys.executable).parent


def snippet() -> str:
    """The first YAML block after 'pre-commit' in docs/editors.md."""
    text = (REPO / "docs/editors.md").read_text(encoding="utf-8")
    found = re.search(r"\[pre-commit\].*?```yaml\n(.*?)```", text, re.S)
    assert found, "no pre-commit snippet in docs/editors.md"
    return found.group(1)


def test_the_snippet_names_the_hook_this_repository_provides() -> None:
    assert "id: presskit-lint" in snippet()
    assert "entry: presskit lint" in snippet()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_snippet_runs_lint_on_commit(tmp_path: Path) -> None:
    assert (BIN / "pre-commit").is_file(), "pre-commit is a test dependency"
    assert (BIN / "presskit").is_file(), "presskit is installed in the test environment"
    repo = tmp_path / "banks"
    new_project(repo)
    (repo / ".pre-commit-config.yaml").write_text(snippet(), encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=120
        )

    assert run("git", "init", "-q").returncode == 0
    assert run("git", "add", "-A").returncode == 0
    clean = run(str(BIN / "pre-commit"), "run", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"presskit lint\.+Passed", clean.stdout)
    bank = repo / "question_banks/red-carpet-basics.yaml"
    bank.write_text(bank.read_text(encoding="utf-8") + "  - nmae: x\n", encoding="utf-8")
    run("git", "add", "-A")
    broken = run(str(BIN / "pre-commit"), "run", "--all-files")
    assert broken.returncode == 1
    assert re.search(r"presskit lint\.+Failed", broken.stdout)
    assert "question_banks/red-carpet-basics.yaml:" in broken.stdout
    assert "error PK001" in broken.stdout


def test_the_local_hook_matches_the_published_one() -> None:
    """The snippet and .pre-commit-hooks.yaml run the same command on the same files."""
    [local] = yaml.safe_load(snippet())["repos"][0]["hooks"]
    [published] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for key in ("id", "name", "entry", "pass_filenames", "files"):
        assert local[key] == published[key], key
