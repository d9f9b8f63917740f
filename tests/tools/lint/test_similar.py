"""The exact near-duplicate join: the same pairs as comparing every pair, and the clusters."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from presskit.project.loading import load_partial
from presskit.tools.lint.similar import all_pairs, clusters, similar_clusters, similar_pairs
from presskit.tools.lint.text import words
from tests.conftest import FIXTURES

REPO = Path(__file__).resolve().parents[3]
THRESHOLDS = [0.3, 0.5, 0.6, 0.7, 0.8, 0.84, 0.85, 0.9, 1.0]


def _bank_texts(root: Path) -> list[list[str]]:
    """The words of every question in a project's banks (every question, retired included)."""
    loaded = load_partial(root, str(root))
    return [words(q.text) for b in loaded.banks for q in b.bank.questions]


def _projects() -> list[Path]:
    lint = FIXTURES / "lint"
    return [REPO, lint / "base", *sorted(p for p in lint.glob("PK*/*") if p.is_dir())]


def _merged(project: Path, tmp_path: Path) -> Path:
    """A lint fixture is laid over the base project, as lint's tests do."""
    if project.parent.parent.name != "lint":
        return project
    target = tmp_path / "p"
    shutil.copytree(FIXTURES / "lint" / "base", target)
    shutil.copytree(project, target, dirs_exist_ok=True)
    return target


@pytest.mark.parametrize("project", _projects(), ids=lambda p: p.name and str(p)[-12:])
def test_the_shipped_banks_and_the_fixtures_give_the_all_pairs_findings(
    project: Path, tmp_path: Path
) -> None:
    texts = _bank_texts(_merged(project, tmp_path))
    assert texts
    for threshold in THRESHOLDS:
        pairs = all_pairs(texts, threshold)
        assert sorted(similar_pairs(texts, threshold)) == sorted(pairs)
        assert similar_clusters(texts, threshold) == clusters(len(texts), pairs)


def test_the_shipped_banks_have_no_near_duplicates_at_the_default() -> None:
    texts = _bank_texts(REPO)
    assert similar_pairs(texts, 0.8) == []
    assert similar_pairs(texts, 0.4)  # the comparison above is not vacuous (at most 0.48)


@pytest.mark.parametrize("seed", range(40))
def test_random_word_lists_give_the_all_pairs_findings(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    vocabulary = [f"w{k}" for k in range(rng.randint(3, 60))]
    texts = [
        [rng.choice(vocabulary) for _ in range(rng.randint(0, 12))]
        for _ in range(rng.randint(2, 60))
    ]
    for text in list(texts[: len(texts) // 2]):  # reworded copies: one word changed
        copy = list(text)
        if copy:
            copy[rng.randrange(len(copy))] = "changed"
        texts.append(copy)
    for threshold in (0.0, *THRESHOLDS):
        pairs = all_pairs(texts, threshold)
        assert sorted(similar_pairs(texts, threshold)) == sorted(pairs)
        assert similar_clusters(texts, threshold) == clusters(len(texts), pairs)


@pytest.mark.parametrize("seed", range(5))
def test_a_crowd_of_look_alikes_gives_the_all_pairs_clusters(seed: int) -> None:
    """Many questions alike but for a word or two: most pairs skip difflib, same clusters."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    base = words("What will you do about the cost of living in our town this winter?")
    texts = []
    for _ in range(120):
        text = list(base)
        for _ in range(rng.randint(0, 3)):
            text[rng.randrange(len(text))] = f"w{rng.randint(0, 30)}"
        if rng.random() < 0.3:
            text.insert(rng.randrange(len(text)), f"x{rng.randint(0, 5)}")
        texts.append(text)
    for threshold in (0.7, 0.8, 0.85, 0.9):
        expected = clusters(len(texts), all_pairs(texts, threshold))
        assert expected
        assert similar_clusters(texts, threshold) == expected


def test_equal_texts_are_not_near_duplicates() -> None:
    assert similar_pairs([["a", "b"], ["a", "b"]], 0.5) == []


def test_clusters_are_connected_components_best_first() -> None:
    pairs = [(0, 3, 0.81), (3, 5, 0.95), (1, 2, 0.9)]
    assert clusters(6, pairs) == [[(0, 0.81), (3, 0.95), (5, 0.95)], [(1, 0.9), (2, 0.9)]]
    assert clusters(3, []) == []
