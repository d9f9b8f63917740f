"""The package works installed from a wheel, outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, pdf_pages

pytestmark = pytest.mark.slow


def test_wheel_installs_and_builds_a_new_project(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
    )
    wheel = next(dist.glob("askmore_presskit-*.whl"))
    venv = tmp_path / "venv"
    # a clean environment: the wheel and the dependencies it declares, nothing else
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin/python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
    )
    work = tmp_path / "empty"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    presskit = str(venv / "bin/presskit")
    where = subprocess.run(
        [str(python), "-c", "import presskit; print(presskit.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in where.stdout  # not the repository's copy
    subprocess.run([presskit, "new", "kit"], cwd=work, env=env, check=True)
    subprocess.run([presskit, "build", "--project", "kit"], cwd=work, env=env, check=True)
    assert pdf_pages(work / "kit/output/sample-red-carpet/questions.pdf") == 1
    assert (work / "kit/output/sample-red-carpet/index.html").is_file()
    assert "/output/" in (work / "kit/.gitignore").read_text(encoding="utf-8").splitlines()
