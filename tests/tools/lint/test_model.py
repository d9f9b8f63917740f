"""Lint's shared vocabulary: places, rules made by `@rule`, the corpus the rules look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from presskit.project.loading import load_project
from presskit.project.models import LintSettings
from presskit.project.yamlfile import parse
from presskit.tools.lint.model import Corpus, Hit, Place, Rule, place, rule


def test_a_place_prints_as_path_line_col_and_question() -> None:
    assert str(Place("a.yaml", 3, 5)) == "a.yaml:3:5"
    assert str(Place("a.yaml", 3, 5, "q-one")) == "a.yaml:3:5 (q-one)"


def test_place_points_at_the_value_or_the_key() -> None:
    _, source = parse("lint:\n  rules:\n    PK104: off\n", "presskit.yaml")
    assert place(source, ("lint", "rules", "PK104")) == Place("presskit.yaml", 3, 12)
    assert place(source, ("lint", "rules", "PK104"), key=True) == Place("presskit.yaml", 3, 5)


def test_rule_makes_a_rule_of_a_check() -> None:
    @rule("PK999", "always", "warning", "Finds one thing.")
    def always(corpus: Corpus) -> Iterator[Hit]:
        yield Hit(Place("x.yaml", 1, 1), "found", "fix it")

    assert isinstance(always, Rule)
    assert (always.code, always.name, always.severity, always.locked) == (
        "PK999",
        "always",
        "warning",
        False,
    )
    assert always.check is not None
    assert [h.message for h in always.check(Corpus(LintSettings()))] == ["found"]


def test_the_corpus_finds_the_first_question_with_an_id(mini: Path) -> None:
    project = load_project(mini)
    corpus = Corpus(LintSettings(), banks=list(project.banks))
    ref = corpus.find("b-two")
    assert ref is not None and (ref.bank.slug, ref.index) == ("beta", 1)
    assert ref.place("text") == Place(f"{mini}/question_banks/beta.yaml", 9, 11, "b-two")
    assert corpus.find("nope") is None
    assert len(corpus.questions()) == 7
