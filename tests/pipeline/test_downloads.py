"""Each event's zip and the portal, made from the rendered bytes and the files already there."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from presskit.pipeline.documents import OUTPUTS
from presskit.pipeline.downloads import make_downloads
from presskit.pipeline.output import zip_name
from presskit.pipeline.provenance import Provenance
from presskit.project.loading import load_project


def test_the_zip_holds_what_was_rendered_and_what_was_already_there(mini: Path) -> None:
    out = mini / "output"
    (out / "gala").mkdir(parents=True)
    (out / "gala/press-kit.pdf").write_bytes(b"%PDF old")
    rendered = {out / "gala/index.html": b"<p>new</p>"}
    made = dict(
        make_downloads(
            load_project(mini),
            out,
            OUTPUTS,
            events=["gala"],
            rendered=rendered,
            provenance=Provenance(None, None),
        )
    )
    assert sorted(made) == [out / "gala" / zip_name("gala"), out / "index.html"]
    with zipfile.ZipFile(io.BytesIO(made[out / "gala/gala-press-kit.zip"])) as bundle:
        members = {name: bundle.read(name) for name in bundle.namelist()}
    assert members == {"gala/press-kit.pdf": b"%PDF old", "gala/index.html": b"<p>new</p>"}
    portal = made[out / "index.html"].decode("utf-8")
    assert 'href="gala/index.html"' in portal
    assert 'href="gala/gala-press-kit.zip"' in portal
    assert 'href="gala/questions.pdf"' not in portal  # neither rendered nor on disk


def test_zip_name() -> None:
    assert zip_name("red-carpet") == "red-carpet-press-kit.zip"
