"""Every PDF is accessible as an independent checker sees it, and says what the YAML says.

- outloud's conformance layer (PDF/UA-1, ISO 14289-1; no JVM, unlike veraPDF) finds no error
  in any PDF of the default project: every event, every language.
- Text copied out of the press kit and the question sheet (pdftotext, as a reader's copy and
  paste) holds every selected question as written in the banks, in English, French, Spanish
  and Arabic; Arabic comes back in logical order, words with harakat (vowel marks) included.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from presskit.kits.select import select
from presskit.pipeline.plan import kit_context
from presskit.project.loading import load_project
from tests.conftest import REPO, build_in_place

pytestmark = pytest.mark.slow  # renders PDFs

OUTLOUD = Path(sys.executable).with_name("outloud")
# Bidirectional controls pdftotext writes around runs of the other direction (U+202A..E), and
# the isolates and marks presskit puts around ids and hashtags (U+2066..9, U+200E/F): layout,
# not text.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# pdftotext (poppler 22) classes the Arabic comma U+060C as a digit, so it copies "الماضي، ما"
# as "الماضي ،ما": the space moves before the comma. Poppler's reading, not the PDF's text
# (MuPDF copies it as written); put back where a comma in the banks has it.
POPPLER_ARABIC_COMMA = re.compile(" \u060c(?=\\S)")


@pytest.fixture(scope="module")
def default_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own project, plus an event in French, built once."""
    root = tmp_path_factory.mktemp("default") / "project"
    shutil.copytree(
        REPO,
        root,
        ignore=shutil.ignore_patterns(".*", "output*", "tests", "docs", "bench", "presskit"),
    )
    premiere = (root / "events/film-premiere.yaml").read_text(encoding="utf-8")
    french = premiere.replace("name: Film Premiere (sample)", "name: Avant-première (exemple)")
    (root / "events/avant-premiere.yaml").write_text(french + "language: fr\n", encoding="utf-8")
    build_in_place(root, formats=frozenset({"pdf"}))
    return root


def _pdfs(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("output*/*/*.pdf"))


def test_every_pdf_passes_the_conformance_layer_without_errors_or_warnings(
    default_project: Path,
) -> None:
    pdfs = _pdfs(default_project)
    events = {p.parent.name for p in pdfs}
    assert len(events) == 6  # the project's 5 events and the French one
    for event in events:  # each with every PDF the build makes, the print sheet included
        names = {p.name for p in pdfs if p.parent.name == event}
        assert names >= {"press-kit.pdf", "questions.pdf", "pocket-card.pdf"}, event
    done = subprocess.run(
        [
            str(OUTLOUD),
            "--layer",
            "conformance",
            "--fail-on",
            "never",
            "--json",
            "-",
            *map(str, pdfs),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    results = json.loads(done.stdout)["results"]
    assert len(results) == len(pdfs)
    errors = [
        f"{r['path']}: {f['rule']} {f['message']}"
        for r in results
        for f in r["findings"]
        if f["severity"] == "error"
    ]
    assert not errors, "\n".join(errors)
    assert all(r["error"] is None and r["stats"]["tagged"] for r in results)
    # warnings too: running footers are artifacts (PAG-001), links print (LNK-004)
    warnings = [
        f"{r['path']}: {f['rule']} {f['message']}"
        for r in results
        for f in r["findings"]
        if f["severity"] == "warning"
    ]
    assert not warnings, "\n".join(warnings)


def _plain(text: str) -> str:
    """Text as compared: bidirectional controls dropped, every run of white space one space."""
    return " ".join(BIDI_CONTROLS.sub("", text).split())


def _questions(root: Path, event: str) -> list[str]:
    """The texts of an event's questions, in the kit's language, as the banks hold them."""
    project = load_project(root)
    context = kit_context(project, select(project, project.event(event)))
    return [q.text for theme in context.themes for q in theme.questions]


def _copied(root: Path, event: str, name: str) -> str:
    """A PDF's text as pdftotext copies it out."""
    (pdf,) = root.glob(f"output*/{event}/{name}")
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return POPPLER_ARABIC_COMMA.sub("\u060c ", _plain(done.stdout))


ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")  # harakat: vowel signs, shadda, tanwin


@pytest.mark.parametrize(
    ("event", "language"),
    [
        ("film-premiere", "en"),
        ("avant-premiere", "fr"),
        ("prensa-en-espanol", "es"),
        ("mahrajan-arabi", "ar"),
    ],
)
def test_copied_text_is_the_text_of_the_banks(
    default_project: Path, event: str, language: str
) -> None:
    questions = _questions(default_project, event)
    if language == "ar":  # the banks' Arabic translations, not a fallback
        assert all(re.search("[\u0600-\u06ff]", q) for q in questions)
    assert questions
    for name in ["press-kit.pdf", "questions.pdf"]:
        text = _copied(default_project, event, name)
        for question in questions:
            assert _plain(question) in text, f"{name} of {event}: {question!r}"


def test_arabic_with_harakat_copies_in_logical_order(default_project: Path) -> None:
    """Marks are drawn at the pen (presskit.render.pdf `_marks_on_the_pen`), so pdftotext
    keeps them in their words; the letter a mark sits on keeps its own character too."""
    marked = [q for q in _questions(default_project, "mahrajan-arabi") if ARABIC_MARKS.search(q)]
    assert len(marked) >= 3
    for name in ["press-kit.pdf", "questions.pdf"]:
        text = _copied(default_project, "mahrajan-arabi", name)
        for question in marked:
            assert _plain(question) in text, f"{name}: {question!r}"
