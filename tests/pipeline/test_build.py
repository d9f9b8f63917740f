"""Whole builds of the mini project, read back: PDF text and pages, parsed HTML."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from presskit.errors import RenderError, UsageError
from presskit.pipeline.build import build, build_pages
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from tests.conftest import FIXTURES, pdf_pages, pdf_text, squash

pytestmark = pytest.mark.slow
Edit = Callable[[Path, str, str], None]
SIGNATORIES = ["David Arquette", "Justin Baldoni", "Matt McGorry", "David Schwimmer"]
EXCERPT = "We are in awe of their strength and commitment to speaking truth to power."
SELECTED = [
    "What does beta two ask?",
    "What does beta one ask?",
    "What does alpha one ask?",
    "What does alpha two ask?",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    result = build(load_project(root), BuildOptions(out=root / "output"))
    assert sorted(p.relative_to(root).as_posix() for p in result.written) == [
        "output/gala/gala-press-kit.zip",
        "output/gala/index.html",
        "output/gala/pocket-card.pdf",
        "output/gala/pocket-cards-sheet.pdf",
        "output/gala/press-kit.pdf",
        "output/gala/questions.pdf",
        "output/index.html",
    ]
    return root / "output/gala"


def test_press_kit_pdf_has_everything(built: Path) -> None:
    text = squash(pdf_text(built / "press-kit.pdf"))
    for needle in [
        "Test Campaign",
        "#TestCampaign",
        "Test Gala",
        "March 7, 2027",
        "Test Hall",
        EXCERPT,
        "4 signatories",
        *SIGNATORIES,
        *SELECTED,
        "And then what?",
        "A note for reporters.",
        "Test Press Office",
        "press@example.org",
        "Alpha theme",
        "Beta theme",
    ]:
        assert needle in text, needle
    assert "What does alpha three ask?" not in text  # not selected
    assert "draft" not in text
    pages = pdf_pages(built / "press-kit.pdf")
    assert pages >= 3
    assert f"Page 1 of {pages}" in text  # page numbers in the running footer
    assert "#TestCampaign · Test Gala" in text


def test_press_kit_pdf_metadata(built: Path) -> None:
    reader = PdfReader(built / "press-kit.pdf")
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Test Campaign · Test Gala · Press kit"
    assert meta.author == "Test Campaign"
    assert meta.subject == "Test Campaign: questions for Test Gala"
    assert "#TestCampaign" in str(meta["/Keywords"])
    assert "Alpha theme" in str(meta["/Keywords"])
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_question_sheet_is_one_page(built: Path) -> None:
    assert pdf_pages(built / "questions.pdf") == 1
    text = squash(pdf_text(built / "questions.pdf"))
    for needle in ["Test Gala", *SELECTED]:
        assert needle in text


def test_one_pager_html(built: Path) -> None:
    html = (built / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html is not None and soup.html["lang"] == "en"
    assert soup.find("h1").get_text() == "Test Gala"  # type: ignore[union-attr]
    questions = [
        li.find("p", class_="text").get_text(" ", strip=True) for li in soup.select("li.question")
    ]
    assert questions == [f"{i}. {q}" for i, q in enumerate(SELECTED, 1)]
    assert [li["id"] for li in soup.select("li.question")] == [
        "q-b-two",
        "q-b-one",
        "q-a-one",
        "q-a-two",
    ]
    assert [li.get_text() for li in soup.select("ul.signatories li")] == SIGNATORIES
    assert EXCERPT in soup.get_text()
    # self-contained: inline CSS and one inline script (the copy buttons), nothing fetched
    assert soup.find("link") is None
    assert [bool(s.string and "clipboard" in s.string) for s in soup.find_all("script")] == [True]
    assert not soup.find_all(src=True)
    assert soup.find("style") is not None
    assert soup.find("meta", attrs={"name": "viewport"}) is not None
    assert "@media print" in html and "max-width" in html


def test_same_inputs_give_the_same_bytes(built: Path, tmp_path: Path) -> None:
    root = built.parent.parent
    build(load_project(root), BuildOptions(out=tmp_path))
    for name in [
        "press-kit.pdf",
        "questions.pdf",
        "pocket-card.pdf",
        "pocket-cards-sheet.pdf",
        "index.html",
        "gala-press-kit.zip",
        "../index.html",
    ]:
        assert (tmp_path / "gala" / name).read_bytes() == (built / name).read_bytes(), name


def test_drafts_only_when_asked(mini: Path, edit: Edit) -> None:
    edit(mini / "events/gala.yaml", "pinned: [b-two]", "pinned: [a-draft]")
    build(
        load_project(mini),
        BuildOptions(out=mini / "out", formats=frozenset({"html"}), include_drafts=True),
    )
    assert "What does the alpha draft ask?" in (mini / "out/gala/index.html").read_text()


def test_formats_and_events_can_be_chosen(mini: Path) -> None:
    result = build(
        load_project(mini),
        BuildOptions(out=mini / "out", events=("gala",), formats=frozenset({"html"})),
    )
    assert [p.relative_to(mini / "out").as_posix() for p in result.written] == [
        "gala/index.html",
        "gala/gala-press-kit.zip",
        "index.html",
    ]
    with pytest.raises(UsageError, match="no event named 'nope'; known events: gala"):
        build(load_project(mini), BuildOptions(out=mini / "out", events=("nope",)))


def test_a_failing_build_writes_nothing(mini: Path) -> None:
    (mini / "templates").mkdir()
    (mini / "templates/questions.html.j2").write_text(
        '{% extends "builtin/questions.html.j2" %}'
        '{% block header %}<img src="file:///etc/passwd">{% endblock %}'
    )
    with pytest.raises(
        RenderError, match=r"gala/questions.pdf: refused to load file:///etc/passwd"
    ):
        build(load_project(mini), BuildOptions(out=mini / "out"))
    assert not (mini / "out").exists()


def test_project_template_overrides_reach_the_output(mini: Path) -> None:
    (mini / "templates").mkdir()
    (mini / "templates/onepager.html.j2").write_text(
        '{% extends "builtin/onepager.html.j2" %}'
        "{% block footer %}<footer>Custom footer for {{ event.name }}</footer>{% endblock %}"
    )
    build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    soup = BeautifulSoup((mini / "out/gala/index.html").read_text(), "html.parser")
    assert soup.find("footer").get_text() == "Custom footer for Test Gala"  # type: ignore[union-attr]


def test_hostile_text_is_escaped_everywhere(mini: Path, edit: Edit) -> None:
    evil = '<img src="file:///etc/passwd"><script>alert(1)</script>'
    edit(mini / "question_banks/beta.yaml", "What does beta two ask?", f"Why {evil}?")
    edit(mini / "events/gala.yaml", "name: Test Gala", f"name: 'Gala {evil}'")
    build(load_project(mini), BuildOptions(out=mini / "out"))
    soup = BeautifulSoup((mini / "out/gala/index.html").read_text(), "html.parser")
    assert soup.find("img") is None
    assert not any("alert(1)" in (s.string or "") for s in soup.find_all("script"))
    assert evil in soup.get_text()
    assert evil in squash(pdf_text(mini / "out/gala/questions.pdf"))


@pytest.mark.parametrize("private", ["out", "out/private", "."])
def test_the_private_folder_is_never_inside_the_published_one(mini: Path, private: str) -> None:
    with pytest.raises(UsageError, match="must be outside the output folder"):
        build(load_project(mini), BuildOptions(out=mini / "out"), private_out=mini / private)
    assert not (mini / "out").exists()


def test_building_only_a_held_event_leaves_the_published_kits_alone(mini: Path, edit: Edit) -> None:
    shutil.copy(mini / "events/gala.yaml", mini / "events/secret.yaml")
    edit(mini / "events/secret.yaml", "name: Test Gala", "name: Secret Premiere")
    (mini / "events/secret.yaml").write_text(
        (mini / "events/secret.yaml").read_text() + "visibility: private\n"
    )
    html = frozenset({"html"})
    build(load_project(mini), BuildOptions(out=mini / "out", formats=html, events=("gala",)))
    before = (mini / "out/gala/index.html").read_bytes()
    result = build(
        load_project(mini), BuildOptions(out=mini / "out", formats=html, events=("secret",))
    )
    assert result.held == {"secret": "private"}
    assert (mini / "out-private/secret/index.html").is_file()
    assert not (mini / "out/secret").exists() and not (mini / "out-private/gala").exists()
    assert (mini / "out/gala/index.html").read_bytes() == before
    assert "Secret Premiere" not in (mini / "out/index.html").read_text()


def test_the_pocket_card_is_laid_out_once_for_itself_and_its_print_sheet(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from presskit.render.pdf import PdfRenderer

    laid_out: list[str] = []
    layout = PdfRenderer._layout

    def counting(self: PdfRenderer, html: str, base_dir: Path, name: str) -> object:
        laid_out.append(name.rsplit("/", 1)[1])
        return layout(self, html, base_dir, name)

    monkeypatch.setattr(PdfRenderer, "_layout", counting)
    build(load_project(mini), BuildOptions(out=mini / "out", jobs=1))
    assert sorted(laid_out) == [
        "pocket-card.pdf",
        "pocket-cards-sheet.pdf",
        "press-kit.pdf",
        "questions.pdf",
    ]
    # only the sheet changed: it takes the variant the card's cache entry records
    laid_out.clear()
    (mini / "templates").mkdir()
    (mini / "templates/pocket-cards-sheet.html.j2").write_text(
        '{% extends "builtin/pocket-cards-sheet.html.j2" %}'
        "{% block title %}Sheet for {{ event.name }}{% endblock %}"
    )
    result = build(load_project(mini), BuildOptions(out=mini / "out", jobs=1))
    assert laid_out == ["pocket-cards-sheet.pdf"]
    assert result.rendered == ["gala/pocket-cards-sheet.pdf"]


HTML = frozenset({"html"})


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_build_pages_writes_the_open_one_pagers_first_and_the_build_the_same_bytes(
    mini: Path, edit: Edit
) -> None:
    shutil.copy(mini / "events/gala.yaml", mini / "events/other.yaml")
    edit(mini / "events/other.yaml", "name: Test Gala", "name: Other Night")
    out, options = mini / "out", BuildOptions(out=mini / "out", formats=HTML)
    build(load_project(mini), options)
    before = _files(out)
    edit(mini / "question_banks/alpha.yaml", "What does alpha one ask?", "Edited alpha one?")
    result = build_pages(load_project(mini), replace(options, events=("gala",)))
    assert result.written == [out / "gala/index.html"]
    assert "Edited alpha one?" in (out / "gala/index.html").read_text()
    after = _files(out)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == ["gala/index.html"]  # no zip, no portal, not the other event
    assert sorted(after) == sorted(before)
    first = after["gala/index.html"]
    # The whole build that follows writes the same bytes for it: not rewritten, not pushed.
    result = build(load_project(mini), options)
    assert sorted(p.relative_to(out).as_posix() for p in result.written) == [
        "gala/gala-press-kit.zip",
        "index.html",
        "other/index.html",
        "other/other-press-kit.zip",
    ]
    assert (out / "gala/index.html").read_bytes() == first


def test_a_pages_build_never_leaves_the_whole_build_looking_up_to_date(
    mini: Path, edit: Edit
) -> None:
    # Options as `build_pages` fills them in, so that they differ by `downloads` alone.
    out = mini / "out"
    options = BuildOptions(out=out, events=("gala",), formats=HTML, linked=HTML)
    build(load_project(mini), options)
    bank = mini / "question_banks/alpha.yaml"
    original = bank.read_text()
    edit(bank, "What does alpha one ask?", "Edited alpha one?")
    assert build_pages(load_project(mini), options).written == [out / "gala/index.html"]
    result = build(load_project(mini), options)
    assert sorted(p.relative_to(out).as_posix() for p in result.written) == [
        "gala/gala-press-kit.zip",
        "index.html",
    ]
    with zipfile.ZipFile(out / "gala/gala-press-kit.zip") as bundle:
        page = next(n for n in bundle.namelist() if n.endswith("index.html"))
        assert "Edited alpha one?" in bundle.read(page).decode()
    # Edited, previewed, then the edit undone: the inputs are those of the last whole build
    # again, but its one-pager is not, and the next build puts it back.
    edit(bank, "Edited alpha one?", "Edited again?")
    build(load_project(mini), options)
    kept = _files(out)
    edit(bank, "Edited again?", "Edited once more?")
    build_pages(load_project(mini), options)
    bank.write_text(original.replace("What does alpha one ask?", "Edited again?"))
    result = build(load_project(mini), options)
    assert result.written == [out / "gala/index.html"]
    assert _files(out) == kept


@pytest.mark.parametrize("setting", ["visibility: private", "embargo_until: 2999-01-01T00:00:00Z"])
def test_build_pages_never_puts_a_held_event_in_the_published_folder(
    mini: Path, edit: Edit, setting: str
) -> None:
    out, options = mini / "out", BuildOptions(out=mini / "out", formats=HTML)
    build(load_project(mini), options)
    before = _files(out)
    # The edit that holds the event back is the one being previewed.
    edit(mini / "question_banks/alpha.yaml", "What does alpha one ask?", "Secret question?")
    with (mini / "events/gala.yaml").open("a", encoding="utf-8") as handle:
        handle.write(setting + "\n")
    result = build_pages(load_project(mini), replace(options, events=("gala",)))
    assert result.written == []
    assert _files(out) == before  # taking it out is the whole build's business
    assert not (mini / "out-private").exists()  # and so is the private folder
