"""The default typeface: shipped files, subsets for pages, and the fonts the PDFs really use."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pdfplumber
import pytest
from fontTools.ttLib import TTFont

from presskit.render.fonts import (
    FACES,
    FONT_DIR,
    page_faces,
)
from tests.conftest import build_in_place


def _font(src: str) -> TTFont:
    return TTFont(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))


def test_every_face_is_shipped_with_its_licence() -> None:
    for _, file, _, _ in FACES:
        assert (FONT_DIR / file).is_file()
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")


def test_an_english_page_gets_noto_sans_only() -> None:
    faces = page_faces("What does alpha one ask? é")
    assert {(f.family, f.weight) for f in faces} == {("Noto Sans", 400), ("Noto Sans", 700)}
    assert all(f.src.startswith("data:font/woff2;base64,") for f in faces)
    assert ord("é") in _font(faces[0].src).getBestCmap()


def test_an_arabic_page_gets_noto_naskh_arabic_too() -> None:
    faces = page_faces("لماذا؟ #AskMoreOfHim")
    naskh = [f for f in faces if f.family == "Noto Naskh Arabic"]
    assert len(naskh) == 2
    assert ord("ل") in _font(naskh[0].src).getBestCmap()


def test_the_one_pager_stays_small_and_names_the_typeface(mini: Path) -> None:
    build_in_place(mini, formats=frozenset({"html"}))
    page = (mini / "output/gala/index.html").read_bytes()
    assert len(page) < 100_000
    assert b'@font-face { font-family: "Noto Sans"; src: url(data:font/woff2;base64,' in page


@pytest.mark.slow
def test_every_pdf_is_set_in_noto(mini: Path) -> None:
    build_in_place(mini, formats=frozenset({"pdf"}))
    for name in ("press-kit.pdf", "questions.pdf", "pocket-card.pdf"):
        with pdfplumber.open(mini / "output/gala" / name) as pdf:
            fonts = {
                char["fontname"].split("+", 1)[-1]
                for page in pdf.pages
                for char in page.chars
                if char["text"].isalpha()
            }
        assert fonts, name
        assert all(font.startswith("Noto-Sans") for font in fonts), (name, fonts)
        assert "Noto-Sans-Bold" in fonts, name
