"""The shipped #AskMoreOfHim project: valid, true to the article, and in sync with the starter."""

from __future__ import annotations

import re

import pytest

from presskit.kits.select import select_all
from presskit.project.loading import load_project
from presskit.tools.scaffold import starter_files
from tests.conftest import REPO

ARTICLE = REPO.parent / "shared/seed/ask-more-of-him-article.txt"
SIGNATORIES = ["David Arquette", "Justin Baldoni", "Matt McGorry", "David Schwimmer"]
CLOSED_OPENERS = (
    "do you",
    "are you",
    "have you",
    "is it",
    "would you",
    "did you",
    "can you",
    "will you",
)
EXCERPTS = [
    "We are in awe of their strength and commitment to speaking truth to power.",
    "not enough",
    "Therefore, one of the most powerful things that men can and must do is make it clear to "
    "other men — including their friends, colleagues and co-workers — that sexual harassment "
    "and abuse are never acceptable.",
    "Nonetheless, we believe that men must speak out against sexism, even as we engage in our "
    "own process of critical self-reflection, personal growth and accountability.",
]


@pytest.fixture(scope="module")
def project():  # type: ignore[no-untyped-def]
    return load_project(REPO, display=".")


def test_the_default_project_is_valid_and_buildable(project) -> None:  # type: ignore[no-untyped-def]
    assert len(project.banks) >= 6
    approved = [q for b in project.banks for q in b.bank.questions if q.status == "approved"]
    assert len(approved) >= 40
    assert len(project.events) >= 3
    markers = ("(sample)", "(ejemplo)", "(مثال)")  # English, Spanish, Arabic
    assert all(e.event.sample and e.event.name.endswith(markers) for e in project.events)
    assert {e.event.language for e in project.events} == {None, "es", "ar"}
    kinds = {e.event.kind for e in project.events}
    assert {"red-carpet", "premiere", "festival"} <= kinds
    assert select_all(project)


def test_signatories_are_exactly_the_four_the_article_names(project) -> None:  # type: ignore[no-untyped-def]
    assert [s.name for s in project.signatories.signatories] == SIGNATORIES
    assert all(s.verified for s in project.signatories.signatories)


def test_the_language_samples_are_fully_translated(project) -> None:  # type: ignore[no-untyped-def]
    from presskit.kits.translate import missing_translations

    assert missing_translations(project, select_all(project)) == []


def test_letter_holds_verbatim_excerpts_marked_as_such(project) -> None:  # type: ignore[no-untyped-def]
    letter = project.letter_markdown
    assert "excerpts" in letter.lower()
    quoted = [line[2:] for line in letter.splitlines() if line.startswith("> ")]
    flat = " ".join(quoted)
    for excerpt in EXCERPTS:
        assert excerpt in flat
    if ARTICLE.exists():  # CI has shared/ beside the clone; check against the source itself
        article = " ".join(ARTICLE.read_text(encoding="utf-8").split())
        for line in quoted:
            assert line in article, line


def test_questions_suit_a_red_carpet(project) -> None:  # type: ignore[no-untyped-def]
    for bank in project.banks:
        for q in bank.bank.questions:
            assert q.text.endswith("?"), q.id
            assert len(q.text.split()) <= 25, q.id
            assert not q.text.lower().startswith(CLOSED_OPENERS), q.id
            assert re.fullmatch(r"[a-z]+-[a-z0-9-]+", q.id)


def test_starter_project_shares_the_campaign_content() -> None:
    files = dict(starter_files())
    assert files["campaign/letter.md"] == (REPO / "campaign/letter.md").read_bytes()
    assert files["campaign/signatories.yaml"] == (REPO / "campaign/signatories.yaml").read_bytes()
    assert {
        "presskit.yaml",
        "question_banks/red-carpet-basics.yaml",
        "events/sample-red-carpet.yaml",
    } <= set(files)
