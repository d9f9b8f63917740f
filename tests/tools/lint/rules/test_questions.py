"""Question rules PK101 to PK107: each on its fixtures, and their settings."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from presskit.tools.lint.registry import rules_in
from presskit.tools.lint.rules import questions
from tests.tools.lint.conftest import (
    BETA,
    case,
    fails_on_its_fixture,
    findings,
    lint,
    passes_on_the_corrected_fixture,
)

CODES = [r.code for r in rules_in(questions)]


@pytest.mark.parametrize("code", CODES)
def test_rule_fails_on_its_fixture(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fails_on_its_fixture(code, tmp_path, monkeypatch)


@pytest.mark.parametrize("code", CODES)
def test_rule_passes_on_the_corrected_fixture(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes_on_the_corrected_fixture(code, tmp_path, monkeypatch)


@pytest.mark.parametrize(("threshold", "found"), [(0.84, ["PK103"]), (0.85, [])])
def test_the_near_duplicate_threshold_is_configurable(
    threshold: float, found: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path, "PK103")  # the pair is 84% alike
    with (project / "presskit.yaml").open("a") as handle:
        handle.write(f"  similarity: {threshold}\n")  # base ends in its `lint:` settings
    result = lint(project, "--format", "json", monkeypatch=monkeypatch)
    assert [f["code"] for f in findings(result)] == found


def test_custom_closed_openers_replace_the_built_in_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path, "PK106")
    with (project / "presskit.yaml").open("a") as handle:
        handle.write("  closed_openers: [Where does]\n")  # base ends in its `lint:` settings
    found = findings(lint(project, "--format", "json", monkeypatch=monkeypatch))
    assert [(f["question"], f["message"]) for f in found] == [
        ("b-power", "opens with 'Where does', which invites a yes or no")
    ]


def test_retired_questions_are_not_duplicates(
    tmp_path: Path, edit: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path, "PK102")
    edit(
        project / BETA,
        "b-new\n    text: WHEN did you last   speak up for a colleague?\n    status: approved",
        "b-new\n    text: WHEN did you last   speak up for a colleague?\n    status: retired",
    )
    found = findings(lint(project, "--format", "json", monkeypatch=monkeypatch))
    assert [f["question"] for f in found] == ["b-truth-again"]


VARIANTS = [
    "How has the film crew changed the way it handles complaints on set?",
    "How has the film crew changed the way it handles complaints on location?",
    "How has the camera crew changed the way it handles complaints on set?",
    "How has the film crew changed the way it answers complaints on set?",
    "How has the film crew changed how it handles complaints on set?",
    "How has the film crew changed the way it handles reports on set?",
    "How has this film crew changed the way it handles complaints on set?",
    "Why has the film crew changed the way it handles complaints on set?",
]


def _plant(project: Path, texts: list[str], silenced: int | None = None) -> None:
    """Add questions v0, v1... with `texts` to the beta bank (v<silenced> silences PK103)."""
    entries = []
    for k, text in enumerate(texts):
        entries.append(f"  - id: v{k}\n    text: {text}\n    status: approved\n")
        if k == silenced:
            entries[-1] += (
                "    lint:\n      ignore:\n        - rule: PK103\n          reason: On purpose.\n"
            )
    with (project / BETA).open("a") as handle:
        handle.write("".join(entries))


def test_a_cluster_of_five_variants_is_one_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path)
    _plant(project, VARIANTS[:5])
    found = findings(lint(project, "--format", "json", monkeypatch=monkeypatch))
    assert [(f["code"], f["question"]) for f in found] == [("PK103", "v0")]
    (finding,) = found
    assert str(finding["message"]).startswith("one of 5 look-alikes; reads ")
    named = [r["question"] for r in finding["related"]]  # type: ignore[attr-defined]
    assert sorted(named) == ["v1", "v2", "v3", "v4"]
    shares = [int(p.split("%")[0]) for p in str(finding["message"]).split("reads ")[1].split("; ")]
    assert shares == sorted(shares, reverse=True)


def test_a_large_cluster_names_five_and_counts_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = case(tmp_path)
    _plant(project, VARIANTS)
    (finding,) = findings(lint(project, "--format", "json", monkeypatch=monkeypatch))
    assert str(finding["message"]).endswith("; and 2 more")
    assert len(finding["related"]) == 5  # type: ignore[arg-type]


def test_a_silenced_question_leaves_its_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The finding moves to the next question, and never names the silenced one; a pair with
    a silenced question is silenced, as before clusters."""
    project = case(tmp_path)
    _plant(project, VARIANTS[:5], silenced=0)
    (finding,) = findings(lint(project, "--format", "json", monkeypatch=monkeypatch))
    assert finding["question"] == "v1"
    assert "'v0'" not in str(finding["message"])
    assert sorted(r["question"] for r in finding["related"]) == ["v2", "v3", "v4"]  # type: ignore[attr-defined]
    pair = case(tmp_path / "pair")
    _plant(pair, VARIANTS[:2], silenced=1)
    assert findings(lint(pair, "--format", "json", monkeypatch=monkeypatch)) == []


@pytest.mark.slow
def test_lint_output_at_10000_questions_is_bounded(tmp_path: Path) -> None:
    """200 banks of 50 varied questions, with a 60-question cluster and 100 planted pairs: one
    finding per cluster, each naming at most five others, so the output stays small."""
    rng = random.Random(15)  # noqa: S311 - test data, not secrets
    vocabulary = sorted({"".join(rng.choices("aeioubdfgklmnprstvz", k=7)) for _ in range(4000)})
    texts = [" ".join(rng.choices(vocabulary, k=12)) for _ in range(10_000)]
    base = texts[0].split()
    for k in range(1, 60):  # the big cluster: one word changed each
        texts[k * 97] = " ".join([*base[:-1], vocabulary[k]])
    for k in range(100):  # pairs: one word changed
        words = texts[8000 + 2 * k].split()
        texts[8001 + 2 * k] = " ".join([*words[:-1], "changed"])
    project = case(tmp_path)
    for b in range(200):
        entries = "".join(
            f"  - id: g{b:03d}-{n:02d}\n    text: What is {texts[b * 50 + n]}?\n"
            "    status: approved\n"
            for n in range(50)
        )
        (project / f"question_banks/gen-{b:03d}.yaml").write_text(
            f"theme: G{b}\nquestions:\n{entries}"
        )
    result = lint(project, "--format", "json")
    near = [f for f in findings(result) if f["code"] == "PK103"]
    assert len(near) == 101
    assert near[0]["question"] == "g000-00"
    assert str(near[0]["message"]).startswith("one of 60 look-alikes; ")
    assert str(near[0]["message"]).endswith("; and 54 more")
    assert max(len(f["related"]) for f in near) == 5  # type: ignore[arg-type]
    assert len(result.stdout) < 100_000
