"""The build's bookkeeping on its own: the up-to-date check, the per-PDF cache, the output lock,
the writes and the stamp. Files here are made up (no WeasyPrint); the last tests run whole builds
with a stand-in renderer."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

import presskit
import presskit.pipeline.build
import presskit.pipeline.provenance
from presskit.errors import RenderError
from presskit.pipeline.bookkeeping import Bookkeeping, File
from presskit.pipeline.cache import BuildCache, cache_file
from presskit.pipeline.documents import OUTPUTS, BuildOptions, BuildResult, Document
from presskit.pipeline.lock import LockTimeout, output_lock
from presskit.pipeline.provenance import Provenance
from presskit.project.loading import load_project
from presskit.render.pool import PdfJob, Rendered
from tests.conftest import build_in_place, identities

PACKAGE_DIR = Path(presskit.__file__).parent
SHEET = next(o for o in OUTPUTS if o.name == "questions.pdf")
Edit = Callable[[Path, str, str], None]


def books_for(root: Path, **options: Any) -> Bookkeeping:
    """The bookkeeping of a build of `root` into its output/ folder."""
    return Bookkeeping(
        load_project(root), BuildOptions(out=root / "output", **options), PACKAGE_DIR
    )


def made_up(out: Path, text: str = "one") -> list[File]:
    """A one-pager and a portal, as a build would hand them over."""
    return [
        File(out / "gala/index.html", f"<p>{text}</p>".encode(), "gala"),
        File(out / "index.html", b"<p>portal</p>", None),
    ]


def write_all(books: Bookkeeping, files: Sequence[File]) -> list[Path]:
    """What `build` does once it has the files: check, then write them under the lock."""
    assert books.check() is None
    with books.writing():
        return books.write(files, ["gala"])


def test_a_first_build_is_not_up_to_date_and_leaves_no_trace(mini: Path) -> None:
    books = books_for(mini)
    assert books.check() is None
    assert books.cached_variant(Document("gala", SHEET, ("<p>sheet</p>",))) is None
    assert not (mini / "output").exists()  # no lock, no cache: nothing before writing


def test_a_build_that_wrote_makes_the_same_build_up_to_date(mini: Path, edit: Edit) -> None:
    out = mini / "output"
    assert write_all(books_for(mini), made_up(out)) == [out / "gala/index.html", out / "index.html"]
    assert books_for(mini).check() == BuildResult(
        unchanged=[out / "gala/index.html", out / "index.html"],
        events=["gala"],
        unchanged_events=["gala"],
    )
    # ...but not another build, nor a forced one, nor once a file it made or read has changed.
    assert books_for(mini, formats=frozenset({"html"})).check() is None
    assert books_for(mini, force=True).check() is None
    (out / "index.html").write_text("<p>defaced</p>")
    assert books_for(mini).check() is None
    (out / "index.html").write_text("<p>portal</p>")
    assert books_for(mini).check() is not None
    edit(mini / "question_banks/beta.yaml", "What does beta one ask?", "And beta one?")
    assert books_for(mini).check() is None


def test_the_check_and_the_writing_sweep_what_a_killed_build_left(mini: Path) -> None:
    out = mini / "output"
    write_all(books_for(mini), made_up(out))
    left = out / "gala/.press-kit.pdf.presskit-x1y2z3w4.tmp"
    left.write_bytes(b"half a PDF")
    assert books_for(mini).check() is not None
    assert not left.exists()
    left.write_bytes(b"half a PDF")
    books = books_for(mini, force=True)
    assert books.check() is None
    with books.writing():
        assert not left.exists()


def hidden_in(folder: Path) -> list[str]:
    """Every file or folder under `folder` whose name starts with a dot."""
    return sorted(
        (Path(parent) / name).relative_to(folder).as_posix()
        for parent, folders, files in os.walk(folder)
        for name in [*folders, *files]
        if name.startswith(".")
    )


def test_the_published_folder_holds_no_dotfile_the_state_is_beside_it(mini: Path) -> None:
    out = mini / "output"
    write_all(books_for(mini), made_up(out))
    assert hidden_in(out) == []
    state = mini / ".output.presskit"
    assert sorted(p.name for p in state.iterdir()) == ["cache.json", "lock"]
    assert str(PACKAGE_DIR) in cache_file(out).read_text()  # this machine's folders
    assert books_for(mini).check() is not None  # and the stamp there still works


def test_state_left_in_the_output_folder_by_an_earlier_version_is_removed(mini: Path) -> None:
    out = mini / "output"
    out.mkdir()
    old_cache = out / ".presskit-cache.json"
    old_cache.write_text('{"format": 1, "outputs": {}, "note": "/home/someone/campaign"}')
    (out / ".presskit.lock").write_bytes(b"")
    write_all(books_for(mini), made_up(out))
    assert hidden_in(out) == []
    # ...also when the next build finds nothing else to do
    old_cache.write_text("{}")
    assert books_for(mini).check() is not None
    assert hidden_in(out) == []


def test_a_fifo_planted_as_the_cache_does_not_hang_the_build(mini: Path) -> None:
    cache = cache_file(mini / "output")
    cache.parent.mkdir()
    os.mkfifo(cache)
    loaded: list[BuildCache] = []
    reader = threading.Thread(target=lambda: loaded.append(BuildCache.load(mini / "output")))
    reader.daemon = True  # before the fix it waited for a writer forever
    reader.start()
    reader.join(timeout=30)
    assert [c.stamp for c in loaded] == [None]  # an untrustworthy cache: a full build


def test_the_output_lock_is_held_while_writing_and_only_then(mini: Path) -> None:
    out = mini / "output"
    books = books_for(mini)
    assert books.check() is None
    with books.writing():
        with pytest.raises(LockTimeout), output_lock(out, timeout=0.1):
            pass  # another build would wait here
        books.write(made_up(out), ["gala"])
    with output_lock(out, timeout=0.1):  # released
        assert (out / "index.html").read_bytes() == b"<p>portal</p>"


def test_writing_needs_the_check_and_the_lock(mini: Path) -> None:
    out = mini / "output"
    books = books_for(mini)
    with pytest.raises(RuntimeError, match="check"), books.writing():
        books.write(made_up(out), ["gala"])  # no check: the inputs were never noted
    assert books.check() is None
    with pytest.raises(RuntimeError, match="writing"):
        books.write(made_up(out), ["gala"])  # not under the lock
    assert list(out.iterdir()) == []  # the lock is beside it, in the state folder


def test_only_files_whose_bytes_changed_are_written(mini: Path) -> None:
    out = mini / "output"
    write_all(books_for(mini), made_up(out, "one"))
    before = identities(out)
    kept = File(out / "gala/press-kit.pdf", None, "gala")  # vouched for by the cache: left alone
    written = write_all(books_for(mini, force=True), [*made_up(out, "two"), kept])
    assert written == [out / "gala/index.html"]
    after = identities(out)
    assert after["index.html"] == before["index.html"]
    assert after["gala/index.html"] != before["gala/index.html"]
    assert not (out / "gala/press-kit.pdf").exists()


def test_the_stamp_is_saved_only_once_every_file_is_written(mini: Path) -> None:
    out = mini / "output"
    write_all(books_for(mini), made_up(out, "one"))
    stamped = cache_file(out).read_bytes()
    blocked = out / "gala/questions.pdf"
    blocked.mkdir()  # a folder where a file must go: writing it fails
    files = [File(out / "index.html", b"<p>new portal</p>", None), File(blocked, b"%PDF", "gala")]
    with pytest.raises(OSError):
        write_all(books_for(mini, force=True), files)
    assert (out / "index.html").read_bytes() == b"<p>new portal</p>"  # written before the failure
    assert cache_file(out).read_bytes() == stamped  # but not stamped
    blocked.rmdir()
    assert books_for(mini).check() is None  # so the next build does not take it as up to date
    # A failure under the lock before anything is written leaves no stamp either.
    books = books_for(mini, force=True)
    assert books.check() is None
    with pytest.raises(ValueError), books.writing():
        raise ValueError("making the portal failed")
    assert cache_file(out).read_bytes() == stamped


def test_the_cache_vouches_for_a_stored_pdf_until_its_html_or_file_changes(mini: Path) -> None:
    out = mini / "output"
    sheet = Document("gala", SHEET, ("<p>roomy</p>", "<p>compact</p>"))
    books = books_for(mini)
    assert books.check() is None
    assert books.cached_variant(sheet) is None
    books.store(sheet, Rendered(b"%PDF-compact", 1, ()))
    with books.writing():
        books.write([File(out / "gala/questions.pdf", b"%PDF-compact", "gala")], ["gala"])
    assert books_for(mini).cached_variant(sheet) == 1  # the variant the PDF was made from
    changed = Document("gala", SHEET, ("<p>roomy</p>", "<p>compact, edited</p>"))
    assert books_for(mini).cached_variant(changed) is None
    assert books_for(mini, force=True).cached_variant(sheet) is None
    (out / "gala/questions.pdf").write_bytes(b"%PDF-tampered")
    assert books_for(mini).cached_variant(sheet) is None


# Whole builds, with a stand-in for WeasyPrint.


def stand_in(jobs: Sequence[PdfJob], *args: object, **kwargs: object) -> list[Rendered]:
    """A "PDF" per job (and per follower) that changes when its HTML does, made from its first
    variant."""

    def fake(job: PdfJob) -> Rendered:
        data = b"%PDF-" + hashlib.sha256(job.variants[0].encode()).hexdigest().encode()
        return Rendered(data, 0, (), fake(job.follower) if job.follower else None)

    return [fake(job) for job in jobs]


def refusing(jobs: Sequence[PdfJob], *args: object, **kwargs: object) -> list[Rendered]:
    raise RenderError(f"{jobs[0].name}: refused to load file:///etc/passwd")


def test_a_build_whose_rendering_fails_leaves_the_output_as_it_was(
    mini: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = mini / "output"
    monkeypatch.setattr(presskit.pipeline.build, "render_all", refusing)
    with pytest.raises(RenderError):
        build_in_place(mini)
    assert not out.exists()
    monkeypatch.setattr(presskit.pipeline.build, "render_all", stand_in)
    first = build_in_place(mini)
    assert first.rendered == [
        "gala/press-kit.pdf",
        "gala/questions.pdf",
        "gala/pocket-card.pdf",
        "gala/pocket-cards-sheet.pdf",
    ]
    before = identities(out)
    edit(mini / "question_banks/beta.yaml", "What does beta one ask?", "And beta one?")
    monkeypatch.setattr(presskit.pipeline.build, "render_all", refusing)
    with pytest.raises(RenderError):
        build_in_place(mini)
    assert identities(out) == before  # the stamp and the cache included
    monkeypatch.setattr(presskit.pipeline.build, "render_all", stand_in)
    assert build_in_place(mini).built_events == ["gala"]


def test_a_build_reads_its_provenance_once(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each reading runs git twice; the kits and the portal share the build's one reading."""
    readings: list[Path] = []
    real = presskit.pipeline.provenance.read_provenance

    def counting(root: Path, inputs: list[str]) -> Provenance:
        readings.append(root)
        return real(root, inputs)

    monkeypatch.setattr(presskit.pipeline.provenance, "read_provenance", counting)
    monkeypatch.setattr(presskit.pipeline.build, "render_all", stand_in)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15
    build_in_place(mini)
    assert readings == [mini]
    assert "January 15, 2027" in (mini / "output/index.html").read_text()  # the portal has it


NO_OP = """
import sys
from pathlib import Path

import presskit.pipeline.build as pipeline
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from presskit.render.pool import Rendered

root, first = Path(sys.argv[1]), sys.argv[2] == "first"
if first:  # a stand-in for WeasyPrint: the outputs only need to exist
    pdf = Rendered(b"%PDF-", 0, ())
    pipeline.render_all = lambda jobs, *args: [
        Rendered(b"%PDF-", 0, (), pdf if job.follower else None) for job in jobs
    ]
result = pipeline.build(load_project(root), BuildOptions(out=root / "output", jobs=1))
heavy = ["presskit.pipeline.plan", "presskit.pipeline.downloads", "presskit.render.pdf", "jinja2"]
print(result.unchanged_events, [name for name in heavy if name in sys.modules])
"""


def test_a_no_op_build_never_imports_planning(mini: Path) -> None:
    """Why `build` imports planning inside the function: the no-op path stays light."""

    def run(which: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", NO_OP, str(mini), which],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        )
        return done.stdout.strip()

    assert run("first").startswith("[] ['presskit.pipeline.plan'")
    assert run("again") == "['gala'] []"
