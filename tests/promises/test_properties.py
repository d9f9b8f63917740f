"""Property-based tests: generated and mutated YAML for every file kind either validates or
fails with presskit's own error, every problem located as `path:line:col`; never a crash.

Each example writes one mutated file into a copy of the mini project and runs what
`presskit validate` runs (load every file, cross-file checks, every event's selection).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presskit.errors import ValidationFailed
from presskit.kits.select import select_all
from presskit.project.loading import load_project
from tests.conftest import FIXTURES

KINDS = {
    "campaign": "presskit.yaml",
    "bank": "question_banks/alpha.yaml",
    "event": "events/gala.yaml",
    "signatories": "campaign/signatories.yaml",
}
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def project() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "mini"
        shutil.copytree(FIXTURES / "mini", root)
        yield root


def check(root: Path, rel: str, text: str) -> None:
    """Validate the project with `rel` holding `text`; only located problems may come out."""
    original = (FIXTURES / "mini" / rel).read_text(encoding="utf-8")
    (root / rel).write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        select_all(load_project(root, display="."), include_drafts=True)
    except ValidationFailed as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path in KINDS.values() or problem.path.startswith(
                ("question_banks/", "events/", "campaign/")
            ), problem
            assert problem.line >= 1 and problem.col >= 1, problem
            assert problem.message, problem
            str(problem).encode("utf-8")  # printable on any terminal
    finally:
        (root / rel).write_text(original, encoding="utf-8")


# --- values -------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(
        [
            "approved",
            "draft",
            "retired",
            "red-carpet",
            "a-one",
            "b-two",
            "quick",
            "#Tag",
            "https://example.org",
            "javascript:alert(1)",
            "x@example.org",
            "2027-02-30",
            "",
            " ",
            "../etc",
            "<script>",
            "yes",
            "no",
            "~",
            "0x1F",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document: mapping keys and list indexes, depth first."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


def replace(data: Any, place: tuple[Any, ...], value: Any) -> Any:
    if not place:
        return value
    head, rest = place[0], place[1:]
    if isinstance(data, dict):
        return {k: replace(v, rest, value) if k == head else v for k, v in data.items()}
    return [replace(v, rest, value) if i == head else v for i, v in enumerate(data)]


def delete(data: Any, place: tuple[Any, ...]) -> Any:
    if len(place) == 1:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k != place[0]}
        return [v for i, v in enumerate(data) if i != place[0]]
    head, rest = place[0], place[1:]
    if isinstance(data, dict):
        return {k: delete(v, rest) if k == head else v for k, v in data.items()}
    return [delete(v, rest) if i == head else v for i, v in enumerate(data)]


@st.composite
def mutated_data(draw: st.DrawFn, rel: str) -> str:
    """A valid document with a few structural changes: values replaced, keys dropped or added."""
    data = yaml.safe_load((FIXTURES / "mini" / rel).read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        place = draw(st.sampled_from(paths(data)))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace" or not place:
            data = replace(data, place, draw(values))
        elif action == "delete":
            data = delete(data, place)
        else:
            target = data
            for part in place[:-1]:
                target = target[part]
            if isinstance(target, dict):
                target = dict(target)
                target[draw(st.text(min_size=1, max_size=12))] = draw(values)
                data = replace(data, place[:-1], target)
    return yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)


SNIPPETS = [
    "&a ",
    "*a",
    "<<: *a\n",
    "!!python/object/apply:os.system ['id']",
    "!!binary ",
    "!!set ",
    "!custom ",
    "\t",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "# ",
    "\n",
    "\n  ",
    "? ",
    "|\n",
    ">-\n",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "\x00",
    "\x1b",
    '"\\ud800"',
    "\ufeff",
    "9" * 5000,
    "[" * 200,
    "&b [*b]",
    "2027-02-30",
    "~",
]


@st.composite
def mutated_text(draw: st.DrawFn, rel: str) -> str:
    """A valid document's text with a few edits: snippets inserted, slices cut or repeated."""
    text = (FIXTURES / "mini" / rel).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        action = draw(st.sampled_from(["insert", "cut", "repeat", "random"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]
        elif action == "cut":
            end = draw(st.integers(min_value=at, max_value=min(len(text), at + 40)))
            text = text[:at] + text[end:]
        elif action == "repeat":
            end = draw(st.integers(min_value=at, max_value=min(len(text), at + 60)))
            text = text[:end] + text[at:end] + text[end:]
        else:
            text = text[:at] + draw(st.text(max_size=8)) + text[at:]
    return text


@pytest.mark.parametrize("kind", sorted(KINDS))
@SETTINGS
@given(data=st.data())
def test_mutated_values_validate_or_fail_with_locations(
    project: Path, kind: str, data: st.DataObject
) -> None:
    rel = KINDS[kind]
    check(project, rel, data.draw(mutated_data(rel)))


@pytest.mark.parametrize("kind", sorted(KINDS))
@SETTINGS
@given(data=st.data())
def test_mutated_text_validates_or_fails_with_locations(
    project: Path, kind: str, data: st.DataObject
) -> None:
    rel = KINDS[kind]
    check(project, rel, data.draw(mutated_text(rel)))


@pytest.mark.parametrize("kind", sorted(KINDS))
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(document=values)
def test_any_document_validates_or_fails_with_locations(
    project: Path, kind: str, document: Any
) -> None:
    check(project, KINDS[kind], yaml.safe_dump(document))
