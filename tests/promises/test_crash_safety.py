"""A build killed at any moment leaves every previous output intact and no partial file visible;
two builds of one output folder at once take turns. Real `python -m presskit` processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.pipeline.lock import LockTimeout, lock_file, output_lock
from presskit.pipeline.output import is_temp_name
from presskit.project.atomic import TEST_PAUSE_ENV
from presskit.project.loading import load_project
from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Kits:
    """A project whose inputs changed since `old` was built; `new` is what a build gives now.
    `order` is the order a build writes its files in (paths relative to the output folder)."""

    project: Path
    old: dict[str, bytes]
    new: dict[str, bytes]
    order: tuple[str, ...]


def visible_files(out: Path) -> list[str]:
    """Every file a reader would take for output: hidden names (ours) left out."""
    return sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    )


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in visible_files(out)}


@pytest.fixture(scope="module")
def kits(tmp_path_factory: pytest.TempPathFactory) -> Kits:
    root = tmp_path_factory.mktemp("crash")
    project = root / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    build(load_project(project), BuildOptions(out=root / "old"))
    gala = project / "events/gala.yaml"
    gala.write_text(gala.read_text().replace("name: Test Gala", "name: Test Gala, Rebuilt"))
    result = build(load_project(project), BuildOptions(out=root / "new"))
    order = tuple(p.relative_to(root / "new").as_posix() for p in result.written)
    kits = Kits(project, snapshot(root / "old"), snapshot(root / "new"), order)
    assert sorted(kits.old) == sorted(kits.new) == sorted(order)
    assert {"gala/press-kit.pdf", "gala/questions.pdf", "gala/index.html"} <= set(order)
    assert kits.old[order[0]] != kits.new[order[0]]
    assert kits.old[order[1]] != kits.new[order[1]]
    return kits


def previous_output(kits: Kits, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    for name, data in kits.old.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return out


def start_build(kits: Kits, out: Path, pause: float | None = None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != TEST_PAUSE_ENV}
    if pause is not None:
        env[TEST_PAUSE_ENV] = str(pause)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "presskit",
            "build",
            "--quiet",
            "--project",
            str(kits.project),
            "--out",
            str(out),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for(condition: Callable[[], bool], what: str, limit: float = 120.0) -> None:
    """Poll until `condition` holds; the limit only stops a broken test from hanging."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


def temp_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.tmp"))


def temp_of(name: str) -> str:
    """How the temporary file of output `name` starts: `gala/.index.html.`."""
    path = Path(name)
    return (path.parent / f".{path.name}.").as_posix().removeprefix("./")


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()
    if process.stdout:
        process.stdout.close()
    if process.stderr:
        process.stderr.close()


def check_visible_output(kits: Kits, out: Path) -> dict[str, str]:
    """Every visible file is a whole old or whole new kit file; hidden ones are ours only.
    Returns which version each file is ("same" where old and new do not differ)."""
    assert visible_files(out) == sorted(kits.old)
    hidden = [p.name for p in out.rglob(".*")]
    assert all(is_temp_name(name) for name in hidden), hidden
    versions = {}
    for name in kits.order:
        data = (out / name).read_bytes()
        assert data in (kits.old[name], kits.new[name]), f"{name} is neither old nor new"
        versions[name] = (
            "same"
            if kits.old[name] == kits.new[name]
            else "old"
            if data == kits.old[name]
            else "new"
        )
    return versions


def finish_and_check(kits: Kits, out: Path) -> None:
    """The next build completes the kit and sweeps up what the killed one left: the folder
    then holds nothing hidden (it is published whole)."""
    build(load_project(kits.project), BuildOptions(out=out))
    assert snapshot(out) == kits.new
    assert temp_files(out) == []
    assert [p.name for p in out.rglob(".*")] == []


def changed(kits: Kits) -> list[str]:
    return [name for name in kits.order if kits.old[name] != kits.new[name]]


def test_killed_before_the_first_rename(kits: Kits, tmp_path: Path) -> None:
    out = previous_output(kits, tmp_path)
    process = start_build(kits, out, pause=600)
    wait_for(lambda: bool(temp_files(out)), "the first temporary file")
    kill(process)
    versions = check_visible_output(kits, out)
    assert [name for name in changed(kits) if versions[name] != "old"] == []
    assert len(temp_files(out)) == 1  # hidden, and complete or not, never seen as output
    finish_and_check(kits, out)


def test_killed_between_two_renames(kits: Kits, tmp_path: Path) -> None:
    out = previous_output(kits, tmp_path)
    process = start_build(kits, out, pause=0.5)
    first, second = kits.order[:2]
    second_temp = temp_of(second)
    wait_for(
        lambda: any(n.startswith(second_temp) for n in temp_files(out)),
        "the second file's temporary file",
    )
    kill(process)
    versions = check_visible_output(kits, out)
    assert versions[first] == "new"
    assert [name for name in changed(kits)[1:] if versions[name] != "old"] == []
    finish_and_check(kits, out)


@pytest.mark.parametrize("delay", [0.1, 0.5, 1.0, 1.5, 2.5])
def test_killed_at_any_moment(kits: Kits, tmp_path: Path, delay: float) -> None:
    """No hook: SIGKILL after `delay` seconds, wherever the build happens to be."""
    out = previous_output(kits, tmp_path)
    process = start_build(kits, out)
    time.sleep(delay)
    kill(process)
    check_visible_output(kits, out)
    finish_and_check(kits, out)


def test_two_builds_at_once_take_turns(kits: Kits, tmp_path: Path) -> None:
    out = previous_output(kits, tmp_path)
    first = start_build(kits, out, pause=1.0)
    wait_for(lambda: bool(temp_files(out)), "the first build to start writing")
    second = start_build(kits, out)
    # the first build holds the lock until its last file; the second cannot write meanwhile
    last_temp = temp_of(kits.order[-1])
    wait_for(
        lambda: any(n.startswith(last_temp) for n in temp_files(out)), "the first build's last file"
    )
    assert second.poll() is None
    versions = check_visible_output(kits, out)
    assert [versions[name] for name in kits.order[:-1]] == [
        "same" if kits.old[name] == kits.new[name] else "new" for name in kits.order[:-1]
    ]
    for process in (first, second):
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    assert snapshot(out) == kits.new
    assert temp_files(out) == []
    assert [p.name for p in out.rglob(".*")] == []
    assert lock_file(out).is_file()  # the lock they took turns on is beside the output


def test_a_build_that_cannot_get_the_lock_stops_clearly(kits: Kits, tmp_path: Path) -> None:
    out = previous_output(kits, tmp_path)
    with output_lock(out), pytest.raises(LockTimeout) as exc:
        build(load_project(kits.project), BuildOptions(out=out, lock_timeout=0.2))
    assert exc.value.message == (
        f"another presskit build is writing to {out} (it holds {lock_file(out)}); waited 0.2 s. "
        "Run the build again when it has finished."
    )
    assert exc.value.exit_code == 1
    assert snapshot(out) == kits.old
    # once released, the lock is free again
    build(load_project(kits.project), BuildOptions(out=out, lock_timeout=0.2))
    assert snapshot(out) == kits.new


def test_a_killed_lock_holder_does_not_block_the_next_build(kits: Kits, tmp_path: Path) -> None:
    out = previous_output(kits, tmp_path)
    process = start_build(kits, out, pause=600)
    wait_for(lambda: bool(temp_files(out)), "the build to take the lock")
    kill(process)
    finish_and_check(kits, out)  # would wait for the default timeout if the lock were held
