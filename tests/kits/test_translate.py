"""Kits in other languages, read back: labels, dates, lang/dir, translated text, fallbacks,
right-to-left PDFs whose text extracts, and fonts (Arabic, CJK) embedded."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from presskit.kits.i18n import available_languages, labels
from presskit.kits.select import select_all
from presskit.kits.translate import LocalQuestion, localize_question, missing_translations
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.fingerprint import question_fingerprint
from presskit.project.loading import load_project
from presskit.project.models import Question
from tests.conftest import FIXTURES, squash

Edit = Callable[[Path, str, str], None]
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ZH_TEXT = "阿尔法一问什么\uff1f"  # Chinese ends with a full-width question mark
A_ONE_TRANSLATIONS = """    translations:
      es:
        text: "¿Qué pregunta alfa uno?"
        follow_ups: ["¿Y después qué?"]
      ar:
        text: ماذا يسأل سؤال ألفا الأول؟
      zh:
        text: 阿尔法一问什么\uff1f
"""
ALPHA_TRANSLATIONS = "translations:\n  es:\n    theme: Tema alfa\n  ar:\n    theme: موضوع ألفا\n"


def add_translations(root: Path) -> None:
    bank = root / "question_banks/alpha.yaml"
    text = bank.read_text(encoding="utf-8")
    text = text.replace(
        "    notes: A note for reporters.\n    status: approved\n",
        "    notes: A note for reporters.\n    status: approved\n" + A_ONE_TRANSLATIONS,
        1,
    )
    bank.write_text(
        text.replace("questions:\n", ALPHA_TRANSLATIONS + "questions:\n", 1), encoding="utf-8"
    )
    for lang in ("es", "ar", "zh"):
        (root / f"events/gala-{lang}.yaml").write_text(
            f"name: Gala {lang}\ndate: 2027-03-07\nvenue: Test Hall\nlanguage: {lang}\n"
            "select:\n  banks: [alpha]\n  count: 2\n  pinned: [a-one]\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def kits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("languages") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    add_translations(root)
    build(
        load_project(root),
        BuildOptions(out=root / "output", events=("gala-es", "gala-ar", "gala-zh")),
    )
    return root / "output"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pdftotext(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return squash(BIDI_MARKS.sub("", done.stdout.decode("utf-8")))


@pytest.mark.slow  # renders PDFs
def test_spanish_one_pager(kits: Path) -> None:
    soup = soup_of(kits / "gala-es/index.html")
    assert soup.html is not None
    assert (soup.html["lang"], soup.html["dir"]) == ("es", "ltr")
    assert soup.find(id="questions-heading").get_text() == "Preguntas"  # type: ignore[union-attr]
    assert "7 de marzo de 2027" in soup.get_text()
    assert "Fecha" in soup.select_one(".facts").get_text()  # type: ignore[union-attr]
    assert soup.select_one(".theme h3").get_text() == "Tema alfa"  # type: ignore[union-attr]
    first, second = soup.select("li.question")
    assert first.select_one("p.text").get_text(" ", strip=True) == "1. ¿Qué pregunta alfa uno?"  # type: ignore[union-attr]
    assert first.select_one("p.text").get("lang") is None  # type: ignore[union-attr]
    assert [li.get_text() for li in first.select(".follow-ups li")] == ["¿Y después qué?"]
    # no translation of the notes or of a-two: English, marked as such
    note = first.select_one(".notes span[lang]")
    assert note is not None and (note["lang"], note["dir"], note.get_text()) == (
        "en",
        "ltr",
        "A note for reporters.",
    )
    text = second.select_one("p.text")
    assert text is not None and (text["lang"], text["dir"]) == ("en", "ltr")
    assert "What does alpha two ask?" in text.get_text()
    assert soup.select_one("section.letter")["lang"] == "en"  # type: ignore[index]


@pytest.mark.slow  # renders PDFs
def test_spanish_pdfs(kits: Path) -> None:
    text = pdftotext(kits / "gala-es/press-kit.pdf")
    pages = len(PdfReader(kits / "gala-es/press-kit.pdf").pages)
    for needle in [
        "DOSIER DE PRENSA",
        "Preguntas para Gala es",
        "Firmantes",
        "4 firmantes",
        "Contactos de prensa",
        "7 de marzo de 2027",
        f"Página 1 de {pages}",
        "¿Qué pregunta alfa uno?",
        "Para periodistas:",
    ]:
        assert needle in text, needle
    assert PdfReader(kits / "gala-es/questions.pdf").trailer["/Root"]["/Lang"] == "es"


@pytest.mark.slow  # renders PDFs
def test_arabic_one_pager_is_right_to_left(kits: Path) -> None:
    soup = soup_of(kits / "gala-ar/index.html")
    assert soup.html is not None
    assert (soup.html["lang"], soup.html["dir"]) == ("ar", "rtl")
    assert soup.find(id="questions-heading").get_text() == "الأسئلة"  # type: ignore[union-attr]
    assert soup.find(id="signatories-heading").get_text() == "الموقّعون"  # type: ignore[union-attr]
    assert "عدد الموقّعين: 4" in soup.get_text()
    assert "7 مارس 2027" in soup.get_text()
    # the hashtag is isolated so its '#' stays in front in right-to-left text
    assert soup.select_one("p.hashtag").get_text() == "\u2066#TestCampaign\u2069"  # type: ignore[union-attr]
    assert soup.select_one("section.letter")["dir"] == "ltr"  # type: ignore[index]


@pytest.mark.slow  # renders PDFs
def test_arabic_pdf_text_extracts_and_its_fonts_are_embedded(kits: Path) -> None:
    pdf = kits / "gala-ar/questions.pdf"
    text = pdftotext(pdf)
    for needle in [
        "الأسئلة",
        "ورقة",
        "التاريخ",
        "مارس",
        "موضوع ألفا",
        "سؤال ألفا",
        "#TestCampaign",
        "What does alpha two ask",
    ]:  # pdftotext moves the "?" in mixed text
        assert needle in text, needle
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "ar"
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the emb column
    assert any("Noto-Naskh-Arabic" in line for line in fonts), fonts


@pytest.mark.slow  # renders PDFs
def test_cjk_text_renders_with_an_embedded_noto_cjk_font(kits: Path) -> None:
    pdf = kits / "gala-zh/questions.pdf"
    assert ZH_TEXT in pdftotext(pdf)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "Noto-Sans-CJK" in fonts


def test_missing_translations_are_listed_with_their_place(mini: Path) -> None:
    add_translations(mini)
    project = load_project(mini, display="p")
    missing = missing_translations(
        project, [s for s in select_all(project) if s.event.slug in ("gala-es", "gala-ar")]
    )
    assert [(m.language, m.question_id, m.field, m.events) for m in missing] == [
        ("ar", "a-one", "follow_ups", ("gala-ar",)),
        ("ar", "a-one", "notes", ("gala-ar",)),
        ("ar", "a-two", "text", ("gala-ar",)),
        ("es", "a-one", "notes", ("gala-es",)),
        ("es", "a-two", "text", ("gala-es",)),
    ]
    assert str(missing[2].problem) == (
        "p/question_banks/alpha.yaml:22:5: questions[1].translations.ar: no 'ar' translation of "
        "the question, so event gala-ar shows the original; add translations.ar.text"
    )


def test_a_missing_prep_is_listed_only_for_events_with_a_talent_brief(
    mini: Path, edit: Edit
) -> None:
    add_translations(mini)
    bank = mini / "question_banks/alpha.yaml"
    edit(
        bank,
        "    notes: A note for reporters.\n",
        "    notes: A note for reporters.\n    prep: Think about what the letter asks.\n",
    )
    edit(
        bank,
        '        follow_ups: ["¿Y después qué?"]\n',
        '        follow_ups: ["¿Y después qué?"]\n        prep: Piense en lo que pide la carta.\n',
    )
    # The mini campaign says `talent_brief: "off"`; gala-zh makes one.
    edit(mini / "events/gala-zh.yaml", "language: zh\n", "language: zh\ntalent_brief: private\n")

    def listed() -> list[tuple[str, str | None, str, tuple[str, ...]]]:
        project = load_project(mini, display="p")
        chosen = [
            s for s in select_all(project) if s.event.slug in ("gala-es", "gala-ar", "gala-zh")
        ]
        return [
            (m.language, m.question_id, m.field, m.events)
            for m in missing_translations(project, chosen)
        ]

    found = listed()
    assert ("es", "a-one", "prep", ("gala-es",)) not in found  # translated
    assert ("ar", "a-one", "prep", ("gala-ar",)) not in found  # gala-ar makes no talent brief
    assert ("zh", "a-one", "prep", ("gala-zh",)) in found
    project = load_project(mini, display="p")
    message = next(
        m.message for m in missing_translations(project, select_all(project)) if m.field == "prep"
    )
    assert message == (
        "no 'zh' translation of its prep, so the talent brief of event gala-zh shows the original"
    )

    edit(mini / "events/gala-ar.yaml", "language: ar\n", "language: ar\ntalent_brief: published\n")
    assert ("ar", "a-one", "prep", ("gala-ar",)) in listed()


def test_translated_follow_ups_must_match_the_originals(mini: Path, edit: Edit) -> None:
    edit(
        mini / "question_banks/alpha.yaml",
        "    notes: A note for reporters.\n",
        "    notes: A note for reporters.\n    translations:\n      fr:\n"
        "        text: Que demande alpha un ?\n        follow_ups: ['Et alors ?', 'Et puis ?']\n",
    )
    from presskit.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        load_project(mini, display="p")
    assert [str(p) for p in exc.value.problems] == [
        "p/question_banks/alpha.yaml:11:21: questions[0].translations.fr.follow_ups: has 2 "
        "follow-ups but the question has 1; translate each one, in order"
    ]


def test_the_default_projects_language_samples_parse_as_yaml() -> None:
    from tests.conftest import REPO

    for name in ("prensa-en-espanol", "mahrajan-arabi"):
        data = yaml.safe_load((REPO / f"events/{name}.yaml").read_text(encoding="utf-8"))
        assert data["sample"] is True and data["language"] in ("es", "ar")


def _outdated_spanish(root: Path, edit: Edit) -> None:
    """gala-es pins a-one, whose Spanish and theme were translated from earlier English."""
    add_translations(root)
    edit(
        root / "question_banks/alpha.yaml",
        '        follow_ups: ["¿Y después qué?"]\n',
        '        follow_ups: ["¿Y después qué?"]\n        translated_from: 0a0a0a0a0a\n',
    )
    edit(
        root / "question_banks/alpha.yaml",
        "    theme: Tema alfa\n",
        "    theme: Tema alfa\n    translated_from: 0b0b0b0b0b\n",
    )


def _one_pager(root: Path) -> BeautifulSoup:
    build(
        load_project(root),
        BuildOptions(out=root / "output", events=("gala-es",), formats=frozenset({"html"})),
    )
    return soup_of(root / "output/gala-es/index.html")


def test_an_outdated_translation_gives_way_to_the_english_with_a_note(
    mini: Path, edit: Edit
) -> None:
    _outdated_spanish(mini, edit)
    soup = _one_pager(mini)
    first = soup.select("li.question")[0]
    text = first.select_one("p.text")
    assert text is not None and (text["lang"], text.get_text(" ", strip=True)) == (
        "en",
        "1. What does alpha one ask?",
    )
    assert [li.get_text() for li in first.select(".follow-ups li")] == ["And then what?"]
    pending = first.select_one("p.pending")
    assert pending is not None and pending.get_text() == "Traducción pendiente de actualizar"
    assert pending.get("lang") is None  # the note is in the kit's language
    assert soup.select_one(".theme h3").get_text() == "Alpha theme"  # type: ignore[union-attr]
    assert len(soup.select("p.pending")) == 1  # a-two has no translation: no note, as before


def test_outdated_translations_keep_shows_them_as_they_are(mini: Path, edit: Edit) -> None:
    _outdated_spanish(mini, edit)
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write("outdated_translations: keep\n")
    soup = _one_pager(mini)
    first = soup.select("li.question")[0]
    assert first.select_one("p.text").get_text(" ", strip=True) == "1. ¿Qué pregunta alfa uno?"  # type: ignore[union-attr]
    assert soup.select("p.pending") == []
    assert soup.select_one(".theme h3").get_text() == "Tema alfa"  # type: ignore[union-attr]


def test_a_current_translation_is_used_and_every_catalogue_has_the_note() -> None:
    question = Question(
        id="q", text="Why?", status="approved", translations={"es": {"text": "¿Por qué?"}}
    )
    fresh = question.translations["es"].model_copy(
        update={"translated_from": question_fingerprint(question)}
    )
    current = question.model_copy(update={"translations": {"es": fresh}})
    assert localize_question(current, "es", "en") == LocalQuestion(
        "¿Por qué?", "es", [], "es", None, "es", prep=None, prep_lang="es", pending=False
    )
    stale = question.model_copy(
        update={"translations": {"es": fresh.model_copy(update={"translated_from": "0" * 10})}}
    )
    assert localize_question(stale, "es", "en").pending is True
    assert localize_question(stale, "es", "en", keep_outdated=True).text == "¿Por qué?"
    assert localize_question(question, "es", "en").text == "¿Por qué?"  # never recorded
    for language in available_languages():
        assert labels(language)["translation_pending"] != labels("en")["translation_pending"] or (
            language == "en"
        )


def test_prep_is_translated_and_falls_back_to_the_original() -> None:
    from presskit.kits.translate import localize_question
    from presskit.project.models import Question

    question = Question.model_validate(
        {
            "id": "q",
            "text": "What?",
            "prep": "What it asks.",
            "status": "approved",
            "translations": {
                "es": {"text": "¿Qué?", "prep": "Lo que pregunta."},
                "fr": {"text": "Quoi ?"},
            },
        }
    )
    spanish = localize_question(question, "es", "en")
    assert (spanish.prep, spanish.prep_lang) == ("Lo que pregunta.", "es")
    french = localize_question(question, "fr", "en")
    assert (french.prep, french.prep_lang) == ("What it asks.", "en")
    english = localize_question(question, "en", "en")
    assert (english.prep, english.prep_lang) == ("What it asks.", "en")
