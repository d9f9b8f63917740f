"""No process of a build outlives it by more than a few seconds, however the build ends: finished,
stopped by SIGTERM (a CI timeout, `kill`) or by SIGKILL (the OOM killer). Real `python -m presskit`
builds with `--jobs 2`, watched through /proc: the build's whole process tree (PDF workers, the
multiprocessing resource tracker) is recorded while it runs and counted again after it ends."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from presskit.render.pool import _sigterm_unwinds
from tests.conftest import FIXTURES

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads the process tree in /proc"
)

EVENTS = 12  # enough PDFs that the build is still rendering when the workers are found
GRACE = 5.0  # seconds a process may take to go after its build has ended
LIMIT = 120.0  # only stops a broken test from hanging
BUILD = [sys.executable, "-m", "presskit", "build", "--quiet", "--jobs", "2"]

# A process is its pid and its start time (clock ticks after boot), so a reused pid is not it.
Proc = tuple[int, int]


def stat(pid: int) -> tuple[int, str, int] | None:
    """Parent pid, state letter and start time of `pid`, or None if there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the name in brackets may hold spaces
    return int(fields[1]), fields[0], int(fields[19])


def read(pid: int, name: str) -> str:
    try:
        return (
            Path(f"/proc/{pid}/{name}").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


def descendants(root: int) -> set[Proc]:
    """Every process below `root` now (children, their children...)."""
    children: dict[int, list[Proc]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (found := stat(int(entry))) is not None:
            children.setdefault(found[0], []).append((int(entry), found[2]))
    out: set[Proc] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add(child)
            todo.append(child[0])
    return out


def running(procs: set[Proc]) -> set[Proc]:
    """Those of `procs` still running: a zombie (ended, waiting to be reaped) holds no memory."""
    alive = set()
    for pid, started in procs:
        found = stat(pid)
        if found is not None and found[2] == started and found[1] != "Z":
            alive.add((pid, started))
    return alive


def rendering_workers(procs: set[Proc]) -> int:
    """How many of `procs` are PDF workers that have loaded WeasyPrint (Pango is mapped)."""
    return sum(
        "spawn_main" in read(pid, "cmdline") and "libpango" in read(pid, "maps") for pid, _ in procs
    )


def wait_for(condition: Callable[[], bool], limit: float) -> bool:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def describe(procs: set[Proc]) -> str:
    return "; ".join(f"{pid}: {read(pid, 'cmdline')[:120]}" for pid, _ in sorted(procs))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("leftovers") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    gala = (root / "events/gala.yaml").read_text()
    for number in range(2, EVENTS + 1):
        text = gala.replace("name: Test Gala", f"name: Test Gala {number}")
        (root / f"events/gala-{number}.yaml").write_text(text)
    return root


def start_build(project: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    """The build's output goes to files, not pipes: workers inherit them, and a pipe left open
    by a leftover worker would make reading it hang rather than fail."""
    with (tmp_path / "stderr").open("wb") as err:
        return subprocess.Popen(
            [*BUILD, "--project", str(project), "--out", str(tmp_path / "out")],
            stdout=err,
            stderr=err,
        )


def check_nothing_left(tree: set[Proc], stop: str) -> None:
    try:
        assert wait_for(lambda: not running(tree), GRACE), (
            f"still running {GRACE:.0f} s after the build {stop}: {describe(running(tree))}"
        )
    finally:  # a failed test must not leave them either
        for pid, _ in running(tree):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_stopped_build_leaves_no_process(project: Path, tmp_path: Path, sig: int) -> None:
    build = start_build(project, tmp_path)
    tree: set[Proc] = set()

    def workers_rendering() -> bool:
        assert build.poll() is None, (tmp_path / "stderr").read_text()
        tree.update(descendants(build.pid))
        return rendering_workers(tree) == 2

    assert wait_for(workers_rendering, LIMIT), f"no 2 workers seen: {describe(tree)}"
    tree.update(descendants(build.pid))  # the tree as it is at the kill, the tracker included
    build.send_signal(sig)
    build.wait(timeout=LIMIT)
    check_nothing_left(tree, f"got {signal.Signals(sig).name}")
    if sig == signal.SIGTERM:  # stopped as asked, cleanly, with the signal's exit status
        err = (tmp_path / "stderr").read_text()
        assert build.returncode in (128 + signal.SIGTERM, -signal.SIGTERM), err
        assert "Traceback" not in err, err


@pytest.mark.slow
def test_a_finished_build_leaves_no_process(project: Path, tmp_path: Path) -> None:
    build = start_build(project, tmp_path)
    tree: set[Proc] = set()
    workers: set[int] = set()

    def finished() -> bool:
        tree.update(descendants(build.pid))
        workers.update(pid for pid, _ in tree if "spawn_main" in read(pid, "cmdline"))
        return build.poll() is not None

    assert wait_for(finished, LIMIT)
    assert build.returncode == 0, (tmp_path / "stderr").read_text()
    assert len(list((tmp_path / "out").glob("*/press-kit.pdf"))) == EVENTS
    assert len(workers) == 2  # the pool was used
    check_nothing_left(tree, "finished")


# A worker's watch on its parent, without WeasyPrint: a middle process starts a "worker" that
# watches it, and is killed. `platform` other than linux leaves the portable thread alone on duty.
WORKER = """
import sys, time
sys.platform = {platform!r}
from presskit.render.pool import _die_with_parent
_die_with_parent({parent})
print("watching", flush=True)
time.sleep(600)
"""
MIDDLE = """
import os, subprocess, sys, time
worker = subprocess.Popen(
    [sys.executable, "-c", {worker!r}.format(platform={platform!r}, parent=os.getpid())],
    stdout=subprocess.PIPE,
    text=True,
)
assert worker.stdout.readline() == "watching\\n"
print(worker.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_a_worker_ends_with_its_parent(platform: str) -> None:
    if platform == "linux" and sys.platform != "linux":
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    middle = subprocess.Popen(
        [sys.executable, "-c", MIDDLE.format(worker=WORKER, platform=platform)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert middle.stdout is not None
    pid = int(middle.stdout.readline())
    found = stat(pid)
    assert found is not None and found[0] == middle.pid
    worker = {(pid, found[2])}
    middle.kill()
    middle.wait()
    middle.stdout.close()
    check_nothing_left(worker, "was killed")


def test_sigterm_unwinds_only_while_rendering_and_only_if_nobody_else_handles_it() -> None:
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        with _sigterm_unwinds():
            handler = signal.getsignal(signal.SIGTERM)
            assert callable(handler)
            with pytest.raises(SystemExit) as stopped:
                handler(signal.SIGTERM, None)
            assert stopped.value.code == 128 + signal.SIGTERM
            assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # a second one kills
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL

        def own(signum: int, frame: object) -> None:
            pass

        signal.signal(signal.SIGTERM, own)  # `presskit serve`, or a program calling build()
        with _sigterm_unwinds():
            assert signal.getsignal(signal.SIGTERM) is own
        assert signal.getsignal(signal.SIGTERM) is own
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
