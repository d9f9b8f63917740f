"""Event zips: every file of the event, the same bytes for the same files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from presskit.pipeline.build import build
from presskit.pipeline.bundle import zip_bytes
from presskit.pipeline.documents import OUTPUTS, BuildOptions
from presskit.project.loading import load_project

KIT = sorted(output.name for output in OUTPUTS)  # every file an event gets


def test_zip_entries_are_sorted_dated_and_plain() -> None:
    data = zip_bytes("gala", [("b.txt", b"bee"), ("a.txt", b"ay")])
    assert data == zip_bytes("gala", [("a.txt", b"ay"), ("b.txt", b"bee")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["gala/a.txt", "gala/b.txt"]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert archive.read("gala/b.txt") == b"bee"


@pytest.mark.slow
def test_the_zip_holds_every_file_of_the_event(mini: Path) -> None:
    build(load_project(mini), BuildOptions(out=mini / "out"))
    folder = mini / "out/gala"
    with zipfile.ZipFile(folder / "gala-press-kit.zip") as archive:
        assert archive.namelist() == [f"gala/{name}" for name in KIT]
        for name in KIT:
            assert archive.read(f"gala/{name}") == (folder / name).read_bytes(), name

    # A later build of only the HTML still zips the PDFs already in the output folder.
    pdf = (folder / "press-kit.pdf").read_bytes()
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    with zipfile.ZipFile(folder / "gala-press-kit.zip") as archive:
        assert archive.namelist() == [f"gala/{name}" for name in KIT]
        assert archive.read("gala/press-kit.pdf") == pdf
