"""The build cache, parallel rendering and --debug-html, on real builds of the mini project."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from presskit.errors import RenderError
from presskit.pipeline.build import build
from presskit.pipeline.cache import CACHE_NAME, cache_file, package_digest, pdf_key
from presskit.pipeline.documents import BuildOptions
from presskit.pipeline.output import state_folder
from presskit.project.loading import load_project
from tests.conftest import build_in_place, identities, pdf_pages, pdf_text, squash

pytestmark = pytest.mark.slow
Edit = Callable[[Path, str, str], None]
KIT_PDFS = ["press-kit.pdf", "questions.pdf", "pocket-card.pdf", "pocket-cards-sheet.pdf"]
GALA_PDFS = [f"gala/{name}" for name in KIT_PDFS]
ALL_PDFS = [*GALA_PDFS, *(f"other/{name}" for name in KIT_PDFS)]
# Makes the roomiest question-sheet layout overflow, so the "compact" variant is the one used.
CROWDED_SHEET = (
    '{% extends "builtin/questions.html.j2" %}{% block header %}{{ super() }}'
    '{% if density == "normal" %}<div style="height: 280mm"></div>{% endif %}'
    "{% endblock %}"
)


@pytest.fixture
def two_events(mini: Path) -> Path:
    """mini plus an event `other` that uses only the alpha bank (a-one, a-two)."""
    (mini / "events/other.yaml").write_text(
        "name: Other Night\ndate: 2027-05-01\nvenue: Other Hall\nkind: panel\n"
        "select:\n  banks: [alpha]\n  count: 2\n",
        encoding="utf-8",
    )
    return mini


def test_a_no_op_rebuild_renders_nothing_and_writes_nothing(two_events: Path) -> None:
    first = build_in_place(two_events)
    assert first.rendered == ALL_PDFS
    assert first.built_events == ["gala", "other"]
    before = identities(two_events / "output")
    state = identities(state_folder(two_events / "output"))
    assert CACHE_NAME in state
    again = build_in_place(two_events)
    assert again.rendered == [] and again.written == []
    assert len(again.unchanged) == 13  # per kit 4 PDFs, a one-pager and a zip; the portal
    assert (again.built_events, again.unchanged_events) == ([], ["gala", "other"])
    assert identities(two_events / "output") == before
    assert identities(state_folder(two_events / "output")) == state


def test_editing_one_question_rerenders_only_the_kits_holding_it(
    two_events: Path, edit: Edit
) -> None:
    build_in_place(two_events)
    before = identities(two_events / "output")
    cache_before = cache_file(two_events / "output").read_bytes()
    edit(
        two_events / "question_banks/beta.yaml",
        "What does beta one ask?",
        "What does beta one ask now?",
    )
    result = build_in_place(two_events)
    assert result.rendered == GALA_PDFS
    assert (result.built_events, result.unchanged_events) == (["gala"], ["other"])
    after = identities(two_events / "output")
    # the portal's question finder lists every approved question, so it changes too
    assert cache_file(two_events / "output").read_bytes() != cache_before
    assert [name for name in before if before[name] != after[name]] == [
        "gala/gala-press-kit.zip",
        "gala/index.html",
        "gala/pocket-card.pdf",
        "gala/pocket-cards-sheet.pdf",
        "gala/press-kit.pdf",
        "gala/questions.pdf",
        "index.html",
    ]
    assert "What does beta one ask now?" in squash(
        pdf_text(two_events / "output/gala/questions.pdf")
    )
    # A question no kit selects changes nothing.
    edit(two_events / "question_banks/alpha.yaml", "alpha three", "alpha number three")
    assert build_in_place(two_events).rendered == []


def test_force_rerenders_everything_but_rewrites_only_changed_bytes(two_events: Path) -> None:
    build_in_place(two_events)
    before = identities(two_events / "output")
    result = build_in_place(two_events, force=True)
    assert result.rendered == ALL_PDFS
    assert result.written == []  # same inputs, same bytes: nothing to replace
    assert identities(two_events / "output") == before


@pytest.mark.parametrize("damage", ["delete", "garbage", "wrong-shape", "old-format"])
def test_a_missing_or_corrupt_cache_means_a_full_rebuild(mini: Path, damage: str) -> None:
    build_in_place(mini)
    cache = cache_file(mini / "output")
    if damage == "delete":
        cache.unlink()
    elif damage == "garbage":
        cache.write_bytes(b"\xff{not json")
    elif damage == "wrong-shape":
        cache.write_text(json.dumps({"format": 1, "outputs": {"gala/press-kit.pdf": 3}}))
    else:
        data = json.loads(cache.read_text())
        data["format"] = 0
        cache.write_text(json.dumps(data))
    result = build_in_place(mini)
    assert result.rendered == GALA_PDFS
    assert json.loads(cache.read_text())["format"] == 1  # repaired
    assert build_in_place(mini).rendered == []


def test_a_changed_or_missing_output_is_rendered_again(mini: Path) -> None:
    build_in_place(mini)
    (mini / "output/gala/press-kit.pdf").write_bytes(b"%PDF-tampered")
    (mini / "output/gala/questions.pdf").unlink()
    result = build_in_place(mini)
    assert result.rendered == ["gala/press-kit.pdf", "gala/questions.pdf"]
    assert pdf_pages(mini / "output/gala/questions.pdf") == 1
    assert pdf_pages(mini / "output/gala/press-kit.pdf") >= 3


def test_a_changed_asset_rerenders_the_pdfs_that_read_it(mini: Path) -> None:
    (mini / "templates").mkdir()
    (mini / "templates/press-kit.html.j2").write_text(
        '{% extends "builtin/press-kit.html.j2" %}'
        '{% block cover %}<img src="logo.svg" alt="Logo">{{ super() }}{% endblock %}'
    )
    logo = mini / "logo.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10" fill="red"/></svg>'
    )
    build_in_place(mini)
    entry = json.loads((cache_file(mini / "output")).read_text())["outputs"]
    assert list(entry["gala/press-kit.pdf"]["assets"]) == [str(logo.resolve())]
    assert entry["gala/questions.pdf"]["assets"] == {}
    logo.write_text(logo.read_text().replace("red", "blue"))
    assert build_in_place(mini).rendered == ["gala/press-kit.pdf"]


def test_two_jobs_give_the_same_bytes_as_one(two_events: Path, tmp_path: Path) -> None:
    project = load_project(two_events)
    serial = build(project, BuildOptions(out=tmp_path / "serial", jobs=1))
    calls: list[tuple[int, int, str]] = []
    parallel = build(
        project,
        BuildOptions(out=tmp_path / "parallel", jobs=2),
        progress=lambda done, total, name: calls.append((done, total, name)),
    )
    assert parallel.rendered == serial.rendered == ALL_PDFS
    assert identities(tmp_path / "serial").keys() == identities(tmp_path / "parallel").keys()
    for path in serial.written:
        twin = tmp_path / "parallel" / path.relative_to(tmp_path / "serial")
        assert twin.read_bytes() == path.read_bytes(), path
    # progress: a start, then one call per PDF naming it, in any order
    assert calls[0] == (0, 8, "")
    assert [c[:2] for c in calls[1:]] == [(n, 8) for n in range(1, 9)]
    assert sorted(c[2] for c in calls[1:]) == sorted(ALL_PDFS)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_pdf_fails_the_build_cleanly_and_writes_nothing(
    two_events: Path, jobs: int
) -> None:
    (two_events / "templates").mkdir()
    (two_events / "templates/questions.html.j2").write_text(
        '{% extends "builtin/questions.html.j2" %}'
        '{% block header %}{% if event_slug == "other" %}<img src="file:///etc/passwd">'
        "{% endif %}{% endblock %}"
    )
    with pytest.raises(RenderError) as caught:
        build_in_place(two_events, jobs=jobs)
    assert caught.value.message == (
        "other/questions.pdf: refused to load file:///etc/passwd (outside the project; from "
        "templates/questions.html.j2:1)"
    )
    assert caught.value.__cause__ is None  # no worker traceback attached
    assert not (two_events / "output").exists()


def test_debug_html_is_the_html_each_pdf_was_rendered_from(mini: Path) -> None:
    from weasyprint import HTML

    from presskit.render.pdf import PDF_VARIANT, finish_pdf

    (mini / "templates").mkdir()
    (mini / "templates/questions.html.j2").write_text(CROWDED_SHEET)
    result = build_in_place(mini, debug_html=True)
    out = mini / "output/gala"
    assert sorted(p.relative_to(mini / "output").as_posix() for p in result.written) == [
        "gala/gala-press-kit.zip",
        "gala/index.html",
        "gala/pocket-card.html",
        "gala/pocket-card.pdf",
        "gala/pocket-cards-sheet.html",
        "gala/pocket-cards-sheet.pdf",
        "gala/press-kit.html",
        "gala/press-kit.pdf",
        "gala/questions.html",
        "gala/questions.pdf",
        "index.html",
    ]
    with zipfile.ZipFile(out / "gala-press-kit.zip") as bundle:  # debug files stay out of it
        assert sorted(bundle.namelist()) == [
            "gala/index.html",
            "gala/pocket-card.pdf",
            "gala/pocket-cards-sheet.pdf",
            "gala/press-kit.pdf",
            "gala/questions.pdf",
        ]
    assert 'class="density-compact"' in (out / "questions.html").read_text()  # the one used
    assert 'class="density-normal"' in (out / "press-kit.html").read_text()
    for name in ["press-kit", "questions", "pocket-card", "pocket-cards-sheet"]:
        html = (out / f"{name}.html").read_text(encoding="utf-8")
        # WeasyPrint, given only the file and the project folder (and presskit's finisher),
        # makes the same PDF...
        same = HTML(string=html, base_url=str(mini)).write_pdf(
            pdf_variant=PDF_VARIANT, finisher=finish_pdf
        )
        assert same == (out / f"{name}.pdf").read_bytes(), name
        # ...and, with its default (untagged) output, the same pages and text.
        plain = mini / f"plain-{name}.pdf"
        HTML(string=html, base_url=str(mini)).write_pdf(plain)
        assert pdf_pages(plain) == pdf_pages(out / f"{name}.pdf")
        assert squash(pdf_text(plain)) == squash(pdf_text(out / f"{name}.pdf"))
    # A later build from the cache still writes the debug HTML of the variant used.
    for name in ["press-kit.html", "questions.html"]:
        (out / name).unlink()
    again = build_in_place(mini, debug_html=True)
    assert again.rendered == []
    assert sorted(p.name for p in again.written) == ["press-kit.html", "questions.html"]
    assert 'class="density-compact"' in (out / "questions.html").read_text()


def test_the_print_sheets_key_covers_the_card_whose_fit_picks_its_layout(tmp_path: Path) -> None:
    def key(probes: tuple[str, ...]) -> str:
        return pdf_key(
            ("<p>sheet</p>",),
            base_dir=tmp_path,
            max_pages=2,
            pdf_variant="pdf/ua-1",
            renderer_version="70.0",
            probes=probes,
        )

    assert key(("<p>card</p>",)) != key(("<p>card, edited</p>",)) != key(())


def test_presskits_own_files_are_in_the_key(tmp_path: Path) -> None:
    package = tmp_path / "presskit"
    (package / "templates").mkdir(parents=True)
    (package / "render.py").write_text("FINISH = 1\n")
    (package / "templates/page.css").write_text("p { color: black }\n")
    first = package_digest(package)
    (package / "__pycache__").mkdir()
    (package / "__pycache__/render.cpython-311.pyc").write_bytes(b"\0")
    assert package_digest(package) == first  # bytecode caches aside
    (package / "render.py").write_text("FINISH = 2\n")
    edited = package_digest(package)
    (package / "templates/more.css").write_text("")
    assert len({first, edited, package_digest(package)}) == 3

    def key(digest: str) -> str:
        return pdf_key(
            ("<p>kit</p>",),
            base_dir=tmp_path,
            max_pages=None,
            pdf_variant="pdf/ua-1",
            renderer_version="70.0",
            package=digest,
        )

    assert key(first) != key(edited)


def test_a_changed_presskit_renders_every_pdf_again(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_in_place(mini)
    (mini / "presskit.yaml").write_text((mini / "presskit.yaml").read_text() + "\n")  # no no-op
    assert build_in_place(mini).rendered == []
    # the same version number, other code (a development checkout, an edited install)
    monkeypatch.setattr("presskit.pipeline.bookkeeping.package_digest", lambda _: "edited")
    (mini / "presskit.yaml").write_text((mini / "presskit.yaml").read_text() + "\n")
    assert sorted(build_in_place(mini).rendered) == sorted(GALA_PDFS)
