"""QR codes: made locally as SVG, on press kits and pocket cards only when base_url is set."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
import segno
from bs4 import BeautifulSoup

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from presskit.render.qr import onepager_url, portal_url, qr_data_uri
from tests.conftest import pdf_qr_codes, pdf_text

URL = "https://example.org/kits/gala/"


def test_a_qr_code_is_an_svg_data_url() -> None:
    uri = qr_data_uri(URL)
    assert uri.startswith("data:image/svg+xml")
    svg = BeautifulSoup(unquote(uri.split(",", 1)[1]), "html.parser").find("svg")
    assert svg is not None and svg.find("path") is not None
    # The same modules segno makes for the URL: the code is the URL, not something else.
    assert uri == segno.make(URL, error="m", micro=False).svg_data_uri(
        scale=4, border=4, dark="#000", light="#fff", omitsize=False
    )


def test_the_one_pager_url_joins_cleanly() -> None:
    assert onepager_url("https://example.org/kits", "gala") == URL
    assert onepager_url("https://example.org/kits/", "gala") == URL


def test_the_portal_url_is_the_folder() -> None:
    assert portal_url("https://example.org/kits") == "https://example.org/kits/"
    assert portal_url("https://example.org/kits/") == "https://example.org/kits/"
    assert onepager_url("https://example.org/kits", "gala").startswith(
        portal_url("https://example.org/kits")
    )


@pytest.mark.slow
def test_every_pdf_carries_a_qr_code_to_the_one_pager(mini: Path) -> None:
    with (mini / "presskit.yaml").open("a") as handle:
        handle.write("base_url: https://example.org/kits\n")
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"pdf"})))
    for name in ["press-kit.pdf", "pocket-card.pdf"]:
        text = "".join(pdf_text(mini / "out/gala" / name).split())  # URLs wrap anywhere
        assert f"Thequestionsonyourphone:{URL}" in text, name
        assert [URL] in pdf_qr_codes(mini / "out/gala" / name), name
    # the question sheet carries one too, small, in its header, and still fits one page
    sheet = mini / "out/gala/questions.pdf"
    assert "Thequestionsonyourphone" in "".join(pdf_text(sheet).split())
    assert pdf_qr_codes(sheet) == [[URL]]


@pytest.mark.slow
def test_no_base_url_no_qr_code(mini: Path) -> None:
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"pdf"})))
    for name in ["press-kit.pdf", "pocket-card.pdf", "questions.pdf"]:
        assert "on your phone" not in pdf_text(mini / "out/gala" / name)
        assert all(codes == [] for codes in pdf_qr_codes(mini / "out/gala" / name))
