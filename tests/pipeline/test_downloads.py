"""Each event's zip and the portal, made from the rendered bytes and the files already there."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from presskit.pipeline.documents import OUTPUTS
from presskit.pipeline.downloads import make_downloads, zip_name
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


def test_the_portal_names_no_hidden_or_unlisted_event(mini: Path) -> None:
    gala = (mini / "events/gala.yaml").read_text("utf-8")
    (mini / "events/quiet.yaml").write_text(
        gala.replace("Test Gala", "Quiet Screening") + "visibility: unlisted\n", "utf-8"
    )
    (mini / "events/secret.yaml").write_text(gala.replace("Test Gala", "Secret Premiere"), "utf-8")
    out = mini / "output"
    rendered = {out / slug / "index.html": b"<p>page</p>" for slug in ("gala", "quiet", "secret")}
    made = dict(
        make_downloads(
            load_project(mini),
            out,
            OUTPUTS,
            events=["gala", "quiet"],
            rendered=rendered,
            provenance=Provenance(None, None),
            hidden={"secret"},
        )
    )
    portal = made[out / "index.html"].decode("utf-8")
    assert 'href="gala/index.html"' in portal
    for slug, name in [("quiet", "Quiet Screening"), ("secret", "Secret Premiere")]:
        assert f'href="{slug}/' not in portal and name not in portal
    assert out / "quiet" / zip_name("quiet") in made  # unlisted: published, zipped, not listed


def test_a_private_folder_gets_no_portal(mini: Path) -> None:
    out = mini / "output-private"
    made = make_downloads(
        load_project(mini),
        out,
        OUTPUTS,
        events=["gala"],
        rendered={out / "gala/index.html": b"<p>page</p>"},
        provenance=Provenance(None, None),
        portal=False,
    )
    assert [path for path, _ in made] == [out / "gala" / zip_name("gala")]
