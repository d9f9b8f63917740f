"""`presskit status`: the dashboard's data, its HTML read back, and the command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner

from presskit.cli import main
from presskit.kits.select import select_all
from presskit.project.fingerprint import fingerprint, question_fingerprint
from presskit.project.loading import load_project
from presskit.tools.status import collect, default_path, status_page, summary

Edit = Callable[[Path, str, str], None]
ALPHA = "question_banks/alpha.yaml"


def _spanish_gala(root: Path) -> None:
    gala = root / "events" / "gala.yaml"
    gala.write_text(gala.read_text("utf-8") + "language: es\n", "utf-8")


def _editorial_history(mini: Path, edit: Edit) -> None:
    """a-one approved and then reworded; a-two translated from its current English, a-three
    from English that has changed since; the gala in Spanish."""
    project = load_project(mini)
    a_one = project.questions["a-one"][1]
    a_two = project.questions["a-two"][1]
    edit(
        mini / ALPHA,
        "    notes: A note for reporters.\n    status: approved\n",
        "    notes: A note for reporters.\n    status: approved\n"
        f"    approved_as: {question_fingerprint(a_one)}\n",
    )
    edit(mini / ALPHA, "What does alpha one ask?", "What, now, does alpha one ask?")
    edit(
        mini / ALPHA,
        "    tags: [deep]\n    status: approved\n",
        "    tags: [deep]\n    status: approved\n    translations:\n      es:\n"
        "        text: ¿Qué pregunta alfa dos?\n"
        f"        translated_from: {question_fingerprint(a_two)}\n",
    )
    edit(
        mini / ALPHA,
        "    text: What does alpha three ask?\n    tags: [quick]\n    status: approved\n",
        "    text: What does alpha three ask?\n    tags: [quick]\n    status: approved\n"
        "    translations:\n      es:\n        text: ¿Qué pregunta alfa tres?\n"
        f"        translated_from: {fingerprint(['What did alpha three ask?'])}\n",
    )
    _spanish_gala(mini)


def test_review_and_translation_counts_use_the_fingerprints(mini: Path, edit: Edit) -> None:
    _editorial_history(mini, edit)
    status = collect(load_project(mini))
    alpha = next(b for b in status.banks if b.slug == "alpha")
    counts = {s.key: s.count for s in alpha.review.segments}
    assert counts == {"approved": 2, "changed": 1, "draft": 1, "retired": 1}
    assert status.languages == ("es",)
    spanish = {s.key: s.count for s in alpha.translations["es"].segments}
    assert spanish == {"translated": 1, "outdated": 1, "missing": 2}  # the retired one not counted
    assert alpha.review.text == "2 approved, 1 changed since approval, 1 draft, 1 retired"
    assert sum(s.percent for s in alpha.review.segments) == 100
    assert status.totals["review"].total == sum(b.review.total for b in status.banks)


def test_events_draw_as_the_build_does_and_uses_are_counted(mini: Path) -> None:
    project = load_project(mini)
    status = collect(project)
    (selection,) = select_all(project)
    (gala,) = status.events
    assert [q.id for q in gala.questions] == selection.question_ids
    assert {u.id: u.events for u in status.uses} == {
        qid: ("gala",) for qid in selection.question_ids
    }
    approved = [q for b in project.banks for q in b.bank.questions if q.status == "approved"]
    assert status.unused == len(approved) - len(selection.question_ids)


def test_near_duplicates_are_lints_clusters(mini: Path) -> None:
    status = collect(load_project(mini))
    ids = [[m.id for m in cluster] for cluster in status.clusters]
    assert any({"a-one", "a-two", "a-three"} <= set(c) for c in ids), ids
    assert all("a-retired" not in c for c in ids)  # retired questions are history


def test_the_page_shows_the_counts_as_text_and_loads_nothing(mini: Path, edit: Edit) -> None:
    _editorial_history(mini, edit)
    html = status_page(load_project(mini))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html is not None and soup.html["lang"] == "en"
    assert soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is not None
    assert soup.find("script") is None and soup.find("link") is None
    assert not soup.find_all(src=True)
    rows = {
        row.th.get_text(" ", strip=True): row.td.get_text(" ", strip=True)
        for row in soup.select("#review ~ table tbody tr")
    }
    alpha = next(v for k, v in rows.items() if k.startswith("Alpha theme"))
    assert "2 approved · 1 changed since approval · 1 draft · 1 retired" in alpha
    assert all(svg["aria-hidden"] == "true" for svg in soup.find_all("svg"))
    spanish = soup.find(id="lang-es")
    assert spanish is not None
    table = spanish.find_next("table")
    assert "1 translated · 1 outdated · 2 missing" in table.get_text(" ", strip=True)
    gala = soup.find(id="event-gala")
    assert gala is not None and gala.summary is not None
    assert "es" in gala.summary.get_text()
    assert len(gala.select("ol.drawn li")) == 4
    assert len(soup.select("#duplicates ~ ol.cluster")) >= 1


def test_question_text_is_escaped(mini: Path, edit: Edit) -> None:
    edit(mini / ALPHA, "What does alpha two ask?", '"<script>alert(1)</script><b>x</b> ask?"')
    html = status_page(load_project(mini))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("b") is None
    assert "<script>alert(1)</script><b>x</b> ask?" in soup.get_text()


def test_status_writes_the_page_beside_the_output_and_prints_a_summary(mini: Path) -> None:
    result = CliRunner().invoke(main, ["status", "--project", str(mini)])
    assert result.exit_code == 0, result.output
    path = default_path(load_project(mini))
    assert path.is_file() and not path.is_relative_to(mini / "output")
    lines = result.output.splitlines()
    assert lines[0] == (
        "2 banks, 7 questions: 5 approved, 0 changed since approval, 1 draft, 1 retired"
    )
    assert lines[-1] == f"wrote {path}"
    assert summary(collect(load_project(mini))) == "\n".join(lines[:-1]) + "\n"
    out = mini / "elsewhere" / "page.html"
    result = CliRunner().invoke(main, ["status", "--project", str(mini), "--out", str(out)])
    assert result.exit_code == 0 and out.read_text("utf-8").startswith("<!DOCTYPE html>")
