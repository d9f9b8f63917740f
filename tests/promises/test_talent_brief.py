"""The talent brief: what it says, read back from the PDF, and where it never goes.

- It holds every question of the event's selection with its follow-ups, what reporters are
  told, the bank's `prep` text and the letter's excerpts; reflection prompts, no answers.
- It is private by default: never in the published folder, its zip or its portal; with
  `talent_brief: published` it goes with the kits; with `off` nowhere.
- Per person (`talent:`), each brief puts the role's questions first, numbered as every kit
  numbers them; the names reach those briefs and nothing public, not even the signatories.
- The campaign's `sign_url` is a link when set, and absent when not.
- An Arabic brief is laid out right to left.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from presskit.cli import main
from presskit.kits.i18n import labels
from tests.conftest import build_in_place, pdf_text, squash

pytestmark = pytest.mark.slow  # renders PDFs

Edit = Callable[[Path, str, str], None]
# Placeholder names for the tests only: the shipped project names no talent.
ACTOR = "Quentin Placeholder"
DIRECTOR = "Rosalind Testperson"
PREP = "It asks what alpha one means on a set, not in general."
SIGN = "https://sign.example.org/letter"
TALENT = f"""talent:
  - name: {ACTOR}
    role: actor
  - name: {DIRECTOR}
    role: director
role_tags:
  director: [deep]
"""


def _set_up(root: Path, edit: Edit) -> None:
    """The mini project with prep text, a sign-up link, a published site, role tags (the
    campaign's for actors, the event's for directors) and two people to prepare."""
    edit(
        root / "question_banks/alpha.yaml",
        "    tags: [quick]\n    notes: A note for reporters.",
        f"    prep: {PREP}\n    tags: [quick]\n    notes: A note for reporters.",
    )
    with (root / "presskit.yaml").open("a", encoding="utf-8") as f:
        f.write(f"sign_url: {SIGN}\nbase_url: https://kits.example.org/\n")
        f.write("role_tags:\n  actor: [quick]\n")
    _default(root, edit)
    with (root / "events/gala.yaml").open("a", encoding="utf-8") as f:
        f.write(TALENT)


def _default(root: Path, edit: Edit) -> None:
    """The mini project turns talent briefs off (other tests count its files): back to the
    default, a private brief."""
    edit(root / "presskit.yaml", 'talent_brief: "off"\n', "")


@pytest.fixture(scope="module")
def briefed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from tests.conftest import FIXTURES

    root = tmp_path_factory.mktemp("brief") / "mini"
    shutil.copytree(FIXTURES / "mini", root)

    def edit(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    _set_up(root, edit)
    build_in_place(root)
    return root


def _numbered(text: str) -> list[tuple[int, str]]:
    """(number, question) in the order a PDF's text shows them."""
    return [(int(n), q) for n, q in re.findall(r"(\d+)\. (What does [a-z ]+ ask\?)", text)]


def test_the_brief_holds_the_selection_the_letter_and_prep_and_no_answers(briefed: Path) -> None:
    brief = briefed / "output-private/gala/talent-brief.pdf"
    text = squash(pdf_text(brief))
    sheet = squash(pdf_text(briefed / "output/gala/questions.pdf"))
    assert len(_numbered(sheet)) == 4
    # every selected question, with the number the question sheet gives it, in its order
    assert _numbered(text) == _numbered(sheet)
    assert "And then what?" in text  # follow-up
    assert "A note for reporters." in text  # what reporters are told
    assert PREP in text
    assert "We are in awe of their strength and commitment to speaking truth to power." in text
    assert "A small project for tests." in text  # the tagline
    assert "Test Gala" in text and "Red carpet" in text  # the event and its kind
    en = labels("en")
    for key in ("why_asked", "brief_letter", "your_thoughts", "reflect", "reflect_1"):
        assert en[key] in text, key
    assert text.count(en["your_thoughts"]) == 4  # room to write under every question
    # reflection prompts, never answers: no section or line offers one
    outside_intro = text.replace(en["brief_intro"], "")  # "It holds no answers: ..."
    offered = r"\b(suggested|sample|model|possible) answers?\b|\banswers?\s*:"
    assert not re.search(offered, outside_intro, re.IGNORECASE)
    assert "Private" in text
    assert ACTOR not in text and DIRECTOR not in text  # the event's own brief names nobody


def test_the_brief_is_private_by_default_never_in_the_published_folder(briefed: Path) -> None:
    public = briefed / "output"
    assert not [p for p in public.rglob("*") if "talent" in p.name]
    private = sorted(p.name for p in (briefed / "output-private/gala").iterdir())
    assert private == [
        "talent-brief-quentin-placeholder.pdf",
        "talent-brief-rosalind-testperson.pdf",
        "talent-brief.pdf",
    ]  # no zip, no kit: the event itself is published
    members = zipfile.ZipFile(public / "gala/gala-press-kit.zip").namelist()
    assert members and not [m for m in members if "talent" in m]
    portal = (public / "index.html").read_text(encoding="utf-8")
    assert "talent" not in portal.lower() and labels("en")["talent_brief"] not in portal


def _public_texts(public: Path) -> dict[str, str]:
    """Every published file as text: PDFs as extracted, zips member by member, the rest as
    bytes decoded (names would show in any of them)."""
    texts: dict[str, str] = {}
    for path in sorted(p for p in public.rglob("*") if p.is_file()):
        data = path.read_bytes()
        texts[str(path)] = data.decode("utf-8", "replace")
        if path.suffix == ".pdf":
            texts[f"{path} (text)"] = pdf_text(path)
        if path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in archive.namelist():
                    member = archive.read(name)
                    texts[f"{path}/{name}"] = member.decode("utf-8", "replace")
                    if name.endswith(".pdf"):
                        reader = PdfReader(io.BytesIO(member))
                        texts[f"{path}/{name} (text)"] = "\n".join(
                            page.extract_text() or "" for page in reader.pages
                        )
    return texts


def test_names_from_talent_are_in_no_public_file(briefed: Path) -> None:
    texts = _public_texts(briefed / "output")
    assert any(k.endswith("manifest.webmanifest") or "sw.js" in k for k in texts)  # a full site
    for name in (ACTOR, DIRECTOR, "Quentin", "Testperson", "quentin", "testperson"):
        leaked = [where for where, text in texts.items() if name in text]
        assert not leaked, (name, leaked)
    # nor among the signatories the press kit prints
    kit = squash(pdf_text(briefed / "output/gala/press-kit.pdf"))
    assert "Justin Baldoni" in kit and ACTOR not in kit


def test_each_person_gets_their_roles_questions_first_numbered_as_everywhere(
    briefed: Path,
) -> None:
    folder = briefed / "output-private/gala"
    sheet = dict((q, n) for n, q in _numbered(pdf_text(briefed / "output/gala/questions.pdf")))
    quick = {"What does alpha one ask?", "What does alpha three ask?", "What does beta one ask?"}
    deep = {"What does alpha two ask?"}
    for file, name, first, role in [
        ("talent-brief-quentin-placeholder.pdf", ACTOR, quick, "actor"),  # campaign's tags
        ("talent-brief-rosalind-testperson.pdf", DIRECTOR, deep, "director"),  # event's tags
    ]:
        text = squash(pdf_text(folder / file))
        assert labels("en")["brief_for"].format(name=name) in text
        assert labels("en")["likely_for_role"].format(role=role) in text
        shown = _numbered(text)
        assert sorted(shown) == sorted((n, q) for q, n in sheet.items())  # same numbers
        picked = [q for _, q in shown if q in sheet]
        wanted = first & set(sheet)
        assert wanted and set(picked[: len(wanted)]) == wanted, file
        rest = [sheet[q] for q in picked[len(wanted) :]]
        assert rest == sorted(rest), file  # the others keep the kit's order


def test_sign_url_is_a_link_when_set(briefed: Path) -> None:
    brief = briefed / "output-private/gala/talent-brief.pdf"
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in PdfReader(brief).pages
        for annot in page.get("/Annots") or []
        if "/A" in annot.get_object()
    ]
    assert SIGN in uris
    assert labels("en")["sign_heading"] in pdf_text(brief)


def test_without_sign_url_nothing_speaks_of_signing(mini: Path, edit: Edit) -> None:
    _default(mini, edit)
    build_in_place(mini, jobs=1, formats=frozenset({"pdf"}))
    brief = mini / "output-private/gala/talent-brief.pdf"
    text = pdf_text(brief)
    assert labels("en")["sign_heading"] not in text and labels("en")["sign_text"] not in text
    assert not any(page.get("/Annots") for page in PdfReader(brief).pages)


def test_published_goes_with_the_kits_off_goes_nowhere_and_leftovers_go(
    mini: Path, edit: Edit
) -> None:
    _default(mini, edit)
    event = mini / "events/gala.yaml"
    with event.open("a", encoding="utf-8") as f:
        f.write(f"talent_brief: published\ntalent:\n  - name: {ACTOR}\n")
    runner = CliRunner()
    done = runner.invoke(main, ["build", "--project", str(mini), "--jobs", "1"])
    assert done.exit_code == 0, done.output
    assert "1 talent brief published in" in done.output
    assert "1 talent brief (private) in" in done.output
    public = mini / "output/gala"
    assert (public / "talent-brief.pdf").is_file()
    assert "gala/talent-brief.pdf" in zipfile.ZipFile(public / "gala-press-kit.zip").namelist()
    assert 'href="gala/talent-brief.pdf"' in (mini / "output/index.html").read_text("utf-8")
    assert ACTOR not in "".join(_public_texts(mini / "output").values())
    assert (mini / "output-private/gala/talent-brief-quentin-placeholder.pdf").is_file()

    edit(event, "talent_brief: published", "talent_brief: private")
    build_in_place(mini)
    assert not (public / "talent-brief.pdf").exists()  # no longer published: taken out
    assert (mini / "output-private/gala/talent-brief.pdf").is_file()

    edit(event, "talent_brief: private", "talent_brief: off")
    build_in_place(mini)
    assert not list(mini.glob("output*/gala/talent-brief*"))


def test_an_arabic_brief_is_laid_out_right_to_left(mini: Path, edit: Edit) -> None:
    _default(mini, edit)
    edit(mini / "events/gala.yaml", "kind: red-carpet", "kind: red-carpet\nlanguage: ar")
    build_in_place(mini, formats=frozenset({"pdf"}))
    brief = mini / "output-private/gala/talent-brief.pdf"
    ar = labels("ar")
    with pdfplumber.open(brief) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        width = page.width
    # pdfplumber gives each Arabic word's letters in visual order (reversed), and a word
    # with harakat in pieces: find the heading's line by its first two words, as written.
    first, second = ar["why_asked"].split()[:2]
    lines: dict[int, list[dict[str, Any]]] = {}
    for word in words:
        lines.setdefault(round(word["top"]), []).append(word)
    heading = [
        line
        for line in lines.values()
        if len(line) <= 4 and {first, second} <= {w["text"][::-1] for w in line}
    ]
    assert len(heading) == 1, [[w["text"] for w in line] for line in lines.values()]
    placed = {w["text"][::-1]: w for w in heading[0]}
    # right to left: the first word is the rightmost, against the right margin
    assert placed[first]["x0"] > placed[second]["x1"]
    assert all(w["x0"] > width / 2 for w in heading[0])
    assert placed[first]["x1"] > width - 25 * 72 / 25.4
    # and in the text a reader copies, the heading comes out as written (MuPDF's order)
    import pymupdf

    with pymupdf.open(brief) as doc:
        assert ar["why_asked"] in squash(doc[0].get_text())


def test_a_build_of_one_event_then_of_all_makes_every_brief(mini: Path, edit: Edit) -> None:
    _default(mini, edit)
    gala = (mini / "events/gala.yaml").read_text("utf-8")
    (mini / "events/other.yaml").write_text(gala.replace("Test Gala", "Other Gala"), "utf-8")
    build_in_place(mini, events=("gala",), formats=frozenset({"pdf"}))
    assert (mini / "output-private/gala/talent-brief.pdf").is_file()
    assert not (mini / "output-private/other").exists()
    build_in_place(mini, formats=frozenset({"pdf"}))  # the stamp of the first is no excuse
    assert (mini / "output-private/other/talent-brief.pdf").is_file()
    assert (mini / "output-private/gala/talent-brief.pdf").is_file()
