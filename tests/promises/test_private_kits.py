"""Nothing private is published: embargoed, private and unlisted events, and draft builds.

The output folder is published whole, so these tests look at everything in it: the portal
parsed, every file's path, every zip's members; and at the private folder beside it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pypdf import PdfReader

from presskit.cli import main
from presskit.errors import ValidationFailed
from presskit.pipeline.documents import BuildResult
from presskit.project.loading import load_project
from tests.conftest import FIXTURES, build_in_place, identities, pdf_text, squash

pytestmark = pytest.mark.slow

EMBARGO = "2027-03-07T18:00:00-08:00"  # 2027-03-08 02:00 UTC
BEFORE = int(dt.datetime(2027, 3, 1, tzinfo=dt.UTC).timestamp())
AFTER = int(dt.datetime(2027, 3, 9, tzinfo=dt.UTC).timestamp())
NAMES = {"secret": "Secret Premiere", "hidden": "Hidden Dinner", "quiet": "Quiet Screening"}


def add_event(root: Path, slug: str, name: str, extra: str = "") -> None:
    """A copy of the mini project's gala under another slug and name, with `extra` lines."""
    text = (root / "events/gala.yaml").read_text("utf-8").replace("Test Gala", name)
    (root / "events" / f"{slug}.yaml").write_text(text + extra, "utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The mini project with an embargoed, a private and an unlisted event beside the gala."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    add_event(root, "secret", NAMES["secret"], f"embargo_until: {EMBARGO}\n")
    add_event(root, "hidden", NAMES["hidden"], "visibility: private\n")
    add_event(root, "quiet", NAMES["quiet"], "visibility: unlisted\n")
    return root


def published(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))


def portal(out: Path) -> BeautifulSoup:
    return BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")


def build_at(root: Path, epoch: int, monkeypatch: pytest.MonkeyPatch) -> BuildResult:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    return build_in_place(root, formats=frozenset({"pdf", "html"}))


def assert_not_published(out: Path, slug: str) -> None:
    """Nothing of `slug` anywhere in the published folder: no file, link, name or zip member."""
    assert not any(slug in name for name in published(out)), published(out)
    page = portal(out)
    hrefs = [a["href"] for a in page.find_all("a", href=True)]
    assert not any(slug in str(href) for href in hrefs), hrefs
    assert NAMES[slug] not in page.get_text()
    for path in out.rglob("*.zip"):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                assert slug not in member
                assert NAMES[slug].encode() not in archive.read(member)
    for path in out.rglob("*.html"):
        assert NAMES[slug] not in path.read_text("utf-8"), path


def test_embargoed_and_private_kits_stay_out_of_the_published_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = build_at(project, BEFORE, monkeypatch)
    out, private = project / "output", project / "output-private"
    assert_not_published(out, "secret")
    assert_not_published(out, "hidden")
    assert result.held == {"secret": f"embargoed until {EMBARGO}", "hidden": "private"}
    for slug in ("secret", "hidden"):
        assert (private / slug / "press-kit.pdf").is_file()
        assert (private / slug / f"{slug}-press-kit.zip").is_file()
        assert NAMES[slug] in squash(pdf_text(private / slug / "questions.pdf"))
    assert not (private / "index.html").exists()  # held-back kits are listed nowhere
    assert not (private / "gala").exists() and not (private / "quiet").exists()
    # The public event is published and listed as before.
    assert "gala/press-kit.pdf" in published(out)
    assert "Test Gala" in portal(out).get_text()


def test_an_unlisted_event_is_published_but_listed_nowhere(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, BEFORE, monkeypatch)
    out = project / "output"
    assert (out / "quiet/index.html").is_file() and (out / "quiet/press-kit.pdf").is_file()
    page = portal(out)
    assert not any("quiet" in str(a["href"]) for a in page.find_all("a", href=True))
    assert NAMES["quiet"] not in page.get_text()  # neither the list nor the finder names it
    with zipfile.ZipFile(out / "gala/gala-press-kit.zip") as archive:
        assert not any("quiet" in m for m in archive.namelist())
    assert NAMES["quiet"] not in (out / "gala/index.html").read_text("utf-8")


def test_once_the_embargo_passes_the_kit_is_published_and_leaves_the_private_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, BEFORE, monkeypatch)
    result = build_at(project, AFTER, monkeypatch)
    out, private = project / "output", project / "output-private"
    assert (out / "secret/press-kit.pdf").is_file()
    assert any(a["href"] == "secret/index.html" for a in portal(out).find_all("a", href=True))
    assert NAMES["secret"] in portal(out).get_text()
    assert not (private / "secret").exists()
    assert (private / "hidden/press-kit.pdf").is_file()  # still private
    assert result.held == {"hidden": "private"}


def test_an_event_made_private_later_is_removed_from_the_published_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, AFTER, monkeypatch)
    out = project / "output"
    assert (out / "secret/press-kit.pdf").is_file()
    (out / "secret/notes.txt").write_text("not presskit's")  # someone else's file stays
    events = project / "events/secret.yaml"
    events.write_text(events.read_text("utf-8") + "visibility: private\n", "utf-8")
    result = build_at(project, AFTER, monkeypatch)
    assert sorted(p.name for p in (out / "secret").iterdir()) == ["notes.txt"]
    assert out / "secret/press-kit.pdf" in result.removed
    assert NAMES["secret"] not in portal(out).get_text()
    assert (project / "output-private/secret/press-kit.pdf").is_file()


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "Embargoed until March 7, 2027, 6:00 PM UTC-08:00"),
        ("es", "Embargo hasta el 7 de marzo de 2027, 18:00 UTC-08:00"),
    ],
)
def test_the_embargo_line_follows_from_the_moment_in_the_kits_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, line: str
) -> None:
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    gala = root / "events/gala.yaml"
    gala.write_text(
        gala.read_text("utf-8") + f"embargo_until: {EMBARGO}\nlanguage: {language}\n", "utf-8"
    )
    build_at(root, BEFORE, monkeypatch)
    for name in ("press-kit.pdf", "questions.pdf"):
        assert line in squash(pdf_text(root / "output-private/gala" / name)), name


def test_an_explicit_embargo_text_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    gala = root / "events/gala.yaml"
    extra = f"embargo_until: {EMBARGO}\nbranding:\n  embargo: Hold until the curtain rises\n"
    gala.write_text(gala.read_text("utf-8") + extra, "utf-8")
    build_at(root, BEFORE, monkeypatch)
    text = squash(pdf_text(root / "output-private/gala/questions.pdf"))
    assert "Hold until the curtain rises" in text
    assert "Embargoed until" not in text


def test_an_embargo_without_a_zone_is_a_located_error(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    gala = root / "events/gala.yaml"
    gala.write_text(gala.read_text("utf-8") + "embargo_until: 2027-03-07T18:00:00\n", "utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_project(root)
    assert "events/gala.yaml:" in str(caught.value)
    assert "embargo_until: needs a time zone" in str(caught.value)
    assert not (root / "output").exists() and not (root / "output-private").exists()


def test_the_summary_says_which_kits_were_held_back(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BEFORE))
    shutil.rmtree(project / "events")  # one event, embargoed, to keep the build short
    (project / "events").mkdir()
    shutil.copy(FIXTURES / "mini/events/gala.yaml", project / "events/gala.yaml")
    add_event(project, "secret", NAMES["secret"], f"embargo_until: {EMBARGO}\n")
    private = project.parent / "elsewhere"
    result = CliRunner().invoke(
        main,
        ["build", "--project", str(project), "-j", "1", "--private-out", str(private)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"1 kit held back (secret: embargoed until {EMBARGO}) in {private}/"
    )
    assert (private / "secret/press-kit.pdf").is_file()
    assert not (project / "output-private").exists()


DRAFT = "DRAFT, not for distribution"


def test_a_drafts_build_is_marked_everywhere_and_leaves_approved_kits_alone(
    tmp_path: Path,
) -> None:
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    build_in_place(root)
    approved = identities(root / "output")
    result = CliRunner().invoke(
        main, ["build", "--project", str(root), "--include-drafts", "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    assert identities(root / "output") == approved  # not one file rewritten
    drafts = root / "output-drafts"
    for name in ("press-kit.pdf", "questions.pdf", "pocket-card.pdf", "pocket-cards-sheet.pdf"):
        reader = PdfReader(drafts / "gala" / name)
        for number, page in enumerate(reader.pages, start=1):
            assert DRAFT in squash(page.extract_text() or ""), f"{name} page {number}"
        assert reader.metadata is not None and str(reader.metadata.title).startswith(DRAFT)
    for page in (drafts / "gala/index.html", drafts / "index.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        assert soup.title is not None and soup.title.get_text().startswith(DRAFT), page
    onepager = BeautifulSoup((drafts / "gala/index.html").read_text("utf-8"), "html.parser")
    assert DRAFT in onepager.get_text()
    for name in ("press-kit.pdf", "questions.pdf"):  # the approved kits say nothing of drafts
        assert DRAFT not in pdf_text(root / "output/gala" / name)


def test_a_drafts_mark_is_localised(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    gala = root / "events/gala.yaml"
    gala.write_text(gala.read_text("utf-8") + "language: fr\n", "utf-8")
    build_in_place(root, include_drafts=True, formats=frozenset({"pdf"}))
    reader = PdfReader(root / "output/gala/questions.pdf")
    assert "BROUILLON, ne pas diffuser" in squash(reader.pages[0].extract_text() or "")
