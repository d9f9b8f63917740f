"""Typography per language: French no-break spaces and isolated left-to-right runs in RTL kits,
read back from the HTML and from the PDFs."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest

from presskit.render.typography import NBSP, NNBSP, french_spacing, isolate_ltr, typeset
from tests.conftest import build_in_place

Edit = Callable[[Path, str, str], None]


def test_french_punctuation_takes_its_no_break_space() -> None:
    assert french_spacing("Pourquoi ? Oui ! Non ; « bien » : fin") == (
        f"Pourquoi{NNBSP}? Oui{NNBSP}! Non{NNBSP}; «{NBSP}bien{NBSP}»{NBSP}: fin"
    )
    assert french_spacing("«bien»") == f"«{NBSP}bien{NBSP}»"
    # only typed spaces change: a URL or a time keeps its characters
    assert french_spacing("https://example.org/?q=1 à 10:30") == "https://example.org/?q=1 à 10:30"


def test_the_page_is_typeset_by_the_language_around_each_text() -> None:
    page = (
        '<html lang="fr"><title>Fiche : questions</title><body>'
        '<p class="a">Pourquoi ?</p><p lang="en" class="b">Why ?</p>'
        "<script>a ? b : c</script><style>p { color: red; }</style></body></html>"
    )
    out = typeset(page)
    assert f"<title>Fiche{NBSP}: questions</title>" in out
    assert f'<p class="a">Pourquoi{NNBSP}?</p>' in out
    assert '<p lang="en" class="b">Why ?</p>' in out  # an English fallback keeps its spacing
    assert "<script>a ? b : c</script><style>p { color: red; }</style>" in out


def test_a_fragment_without_html_lang_is_left_alone() -> None:
    assert typeset("<p>Pourquoi ?</p>") == "<p>Pourquoi ?</p>"


def test_ltr_runs_in_arabic_are_isolated() -> None:
    assert isolate_ltr("معرّفات الأسئلة: a-one, b-two") == (
        'معرّفات الأسئلة: <bdi dir="ltr">a-one</bdi>, <bdi dir="ltr">b-two</bdi>'
    )
    assert isolate_ltr("#AskMoreOfHim") == '<bdi dir="ltr">#AskMoreOfHim</bdi>'
    assert isolate_ltr("Test Hall, Testville") == '<bdi dir="ltr">Test Hall, Testville</bdi>'
    assert isolate_ltr("Q&amp;A لماذا") == '<bdi dir="ltr">Q&amp;A</bdi> لماذا'
    # digits alone, and a plain Latin name alone, already lay out right
    assert isolate_ltr("12 يونيو 2027") == "12 يونيو 2027"
    assert isolate_ltr("Test Hall") == "Test Hall"


def test_attributes_and_titles_get_no_elements() -> None:
    page = '<html lang="ar" dir="rtl"><title>#Tag · اسم</title><img alt="#Tag اسم"><p>#Tag</p>'
    out = typeset(page)
    assert "<title>#Tag · اسم</title>" in out
    assert '<img alt="#Tag اسم">' in out
    assert '<p><bdi dir="ltr">#Tag</bdi></p>' in out


FRENCH_EVENT = """\
name: Soirée de test
date: 2027-03-07
venue: Salle de test
kind: red-carpet
language: fr
description: "Pour la presse : des questions courtes !"
select:
  count: 4
  pinned: [b-two]
"""


class _Bdi(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside = 0
        self.isolated: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "bdi":
            assert ("dir", "ltr") in attrs
            self.inside += 1
            self.isolated.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "bdi":
            self.inside -= 1

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.isolated[-1] += data


@pytest.mark.slow
def test_french_kits_read_back_with_their_no_break_spaces(mini: Path, edit: Edit) -> None:
    (mini / "events/gala.yaml").write_text(FRENCH_EVENT, encoding="utf-8")
    build_in_place(mini)
    page = (mini / "output/gala/index.html").read_text(encoding="utf-8")
    assert f"Pour la presse{NBSP}: des questions courtes{NNBSP}!" in page
    with pdfplumber.open(mini / "output/gala/questions.pdf") as pdf:
        # the characters as the PDF maps them (extract_text would fold the spaces)
        text = "".join(char["text"] for char in pdf.pages[0].chars)
    assert f"presse{NBSP}:" in text
    assert f"courtes{NNBSP}!" in text


ARABIC_EVENT = """\
name: حفل تجريبي
date: 2027-04-10
venue: قاعة الاختبار
kind: red-carpet
language: ar
select:
  count: 3
"""


@pytest.mark.slow
def test_arabic_kits_isolate_latin_runs(mini: Path) -> None:
    (mini / "events/gala.yaml").write_text(ARABIC_EVENT, encoding="utf-8")
    build_in_place(mini)
    parser = _Bdi()
    parser.feed((mini / "output/gala/index.html").read_text(encoding="utf-8"))
    isolated = [text.strip("\u2066\u2069") for text in parser.isolated]
    assert "#TestCampaign" in isolated  # the hashtag, whole, in its own isolate
    for pdf in ("press-kit.pdf", "questions.pdf", "pocket-card.pdf"):
        text = subprocess.run(
            ["pdftotext", str(mini / "output/gala" / pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "#TestCampaign" in text, pdf  # not TestCampaign#
        assert "TestCampaign#" not in text, pdf
