"""PDF jobs to bytes: in this process, or spread over a pool of worker processes.

Rendering is the one cost a build cannot avoid, so it is the only part run in parallel. Jobs are
plain data (HTML strings in, bytes out), which keeps workers free of YAML, Jinja2 and pydantic:
each worker imports WeasyPrint and creates one `PdfRenderer` (and its font configuration) once,
then renders job after job. A user mistake found in a worker (a refused URL, a sheet that does
not fit) comes back as the same `PresskitError`, with no worker traceback attached.

No worker outlives its build, however the build ends (each worker weighs some 70 MB):
- Killed outright (SIGKILL: the OOM killer, a CI timeout's last resort), the build can do nothing,
  so each worker watches its parent: on Linux the kernel kills it with its parent
  (`PR_SET_PDEATHSIG`), and everywhere a thread checks `os.getppid()` twice a second.
- Asked to stop (SIGTERM, Ctrl-C), the build kills its workers at once rather than wait for the
  documents they are rendering, and unwinds normally (its own temporary files go too).
- multiprocessing's resource tracker, which "spawn" starts to remove the pool's named semaphores
  should the build die, is not ours to stop: it ends by itself once the build and every worker
  (all holding its pipe) are gone, after removing them.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from presskit.errors import PresskitError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from presskit.render.pdf import PdfRenderer

# Called after each finished job with (jobs done, jobs in all, the job's name).
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PdfJob:
    """One PDF to render: `variants` are tried in order until one fits `max_pages`, unless
    `variant` names the one to render (another document's fit chose it)."""

    name: str
    variants: tuple[str, ...]
    base_dir: Path
    max_pages: int | None = None
    too_long: str = "lower the event's select.count"  # what to change when no variant fits
    variant: int | None = None  # render this variant whatever its page count
    # A document whose variant is the one this job's fit picks (the print sheet follows its
    # pocket card), rendered right after it in the same process: the card's own layout decides,
    # so no layout is made twice.
    follower: PdfJob | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The PDFs the job makes: its own, and its follower's."""
        return (self.name, *(self.follower.names if self.follower else ()))


@dataclass(frozen=True)
class Setup:
    """How every renderer of a build is made: what it may read, and where its templates are."""

    roots: tuple[Path, ...]
    allow_remote: bool = False
    templates_of: Path | None = None  # project whose templates a refused URL is looked up in


def make_renderer(setup: Setup) -> PdfRenderer:
    from presskit.render.pdf import PdfRenderer

    project = setup.templates_of

    def locate(url: str) -> str | None:
        # Imported only when a URL is refused: workers never need Jinja2 otherwise.
        from presskit.render.templating import template_locator

        return template_locator(project)(url) if project is not None else None

    return PdfRenderer(roots=setup.roots, allow_remote=setup.allow_remote, locate=locate)


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF, which variant it was made from, and the local files it read; with the
    job's follower, that PDF too."""

    data: bytes
    variant: int
    assets: tuple[str, ...]
    follower: Rendered | None = None


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_job(renderer: PdfRenderer, job: PdfJob) -> Rendered:
    if job.variant is not None:
        result, index = (
            renderer.render(job.variants[job.variant], job.base_dir, job.name),
            job.variant,
        )
    elif job.max_pages:
        result, index = renderer.render_fitting(
            job.variants, job.base_dir, job.name, job.max_pages, hint=job.too_long
        )
    else:
        result, index = renderer.render(job.variants[0], job.base_dir, job.name), 0
    follower = None
    if job.follower is not None:
        follower = render_job(renderer, replace(job.follower, variant=index))
    return Rendered(result.data, index, result.assets, follower)


def render_all(
    jobs: Sequence[PdfJob], setup: Setup, workers: int, progress: Progress | None = None
) -> list[Rendered]:
    """Render every job, in the order given; stops at the first job that fails. Progress is
    reported once per PDF, a job's follower included."""
    if not jobs:
        return []
    total = sum(len(job.names) for job in jobs)
    if progress:
        progress(0, total, "")
    if workers <= 1 or len(jobs) == 1:
        renderer = make_renderer(setup)
        out = []
        done = 0
        for job in jobs:
            out.append(render_job(renderer, job))
            for name in job.names:
                done += 1
                if progress:
                    progress(done, total, name)
        return out
    return _render_in_pool(jobs, setup, min(workers, len(jobs)), progress)


# Worker side: one renderer per worker process, created by the pool's initializer.
_worker_renderer: PdfRenderer | None = None


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_POLL_SECONDS = 0.5


def _start_worker(setup: Setup, parent: int) -> None:
    global _worker_renderer  # noqa: PLW0603 - one renderer per worker process, on purpose

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent(parent)
    _worker_renderer = make_renderer(setup)


def _die_with_parent(parent: int) -> None:
    """End this process as soon as process `parent` (the build) is gone, however it ended."""
    if sys.platform == "linux":
        import ctypes

        # The kernel sends SIGKILL when the thread that started this process ends: that thread
        # is the one in `_render_in_pool`, which outlives the pool.
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # if refused, the thread remains
    watch = threading.Thread(target=_watch_parent, args=(parent,), daemon=True)
    watch.start()


def _watch_parent(parent: int) -> None:
    # Also covers a parent that died before the line above: this process was then handed to
    # another parent (init or a subreaper) already, so the first check ends it.
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def _work(job: PdfJob) -> Rendered:
    assert _worker_renderer is not None, "worker used before its initializer ran"
    return render_job(_worker_renderer, job)


def _render_in_pool(
    jobs: Sequence[PdfJob], setup: Setup, workers: int, progress: Progress | None
) -> list[Rendered]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # "spawn": workers start clean (no inherited threads or font state) and need only
    # presskit.render.pdf and WeasyPrint, which the parent never imports in this mode.
    context = multiprocessing.get_context("spawn")
    results: dict[int, Rendered] = {}

    # Biggest documents first, so no worker is left with a long one at the end.
    def size(job: PdfJob | None) -> int:
        return sum(map(len, job.variants)) + size(job.follower) if job else 0

    order = sorted(range(len(jobs)), key=lambda i: -size(jobs[i]))
    total, done = sum(len(job.names) for job in jobs), 0
    with (
        _sigterm_unwinds(),
        ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(setup, os.getpid()),
        ) as pool,
    ):
        try:
            # Workers start here, in this thread (see `_die_with_parent`).
            futures: dict[Future[Rendered], int] = {pool.submit(_work, jobs[i]): i for i in order}
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=futures.__getitem__):
                    index = futures[future]
                    results[index] = future.result()
                    for name in jobs[index].names:
                        done += 1
                        if progress:
                            progress(done, total, name)
        except PresskitError as exc:
            pool.shutdown(cancel_futures=True)
            raise exc.with_traceback(None) from None
        except BrokenProcessPool:
            pool.shutdown(cancel_futures=True)
            raise PresskitError(
                "a PDF worker process stopped unexpectedly (out of memory?); "
                "try again with --jobs 1"
            ) from None
        except BaseException:  # Ctrl-C, SIGTERM or a bug: do not wait for any document
            _kill_workers(pool)
            pool.shutdown(cancel_futures=True)
            raise
    return [results[i] for i in range(len(jobs))]


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    # No public way before Python 3.14 (`kill_workers`); the pool sees them die and cleans up.
    for process in list((pool._processes or {}).values()):
        process.kill()


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """While workers run, SIGTERM unwinds this process as Ctrl-C does, so that they are stopped
    and temporary files removed; it then exits with SIGTERM's status (143). Only where the
    signal's default (dying on the spot) is still in place: a caller's own handler stays."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends it on the spot
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
