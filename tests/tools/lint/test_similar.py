"""The exact near-duplicate join: the same pairs as comparing every pair, and the clusters."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from presskit.project.loading import load_partial
from presskit.tools.lint.similar import all_pairs, clusters, similar_pairs
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
        assert sorted(similar_pairs(texts, threshold)) == sorted(all_pairs(texts, threshold))


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
        assert sorted(similar_pairs(texts, threshold)) == sorted(all_pairs(texts, threshold))


def test_equal_texts_are_not_near_duplicates() -> None:
    assert similar_pairs([["a", "b"], ["a", "b"]], 0.5) == []


def test_clusters_are_connected_components_best_first() -> None:
    pairs = [(0, 3, 0.81), (3, 5, 0.95), (1, 2, 0.9)]
    assert clusters(6, pairs) == [[(0, 0.81), (3, 0.95), (5, 0.95)], [(1, 0.9), (2, 0.9)]]
    assert clusters(3, []) == []
