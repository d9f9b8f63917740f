"""The one-pass loader (`_OnePass`, straight from libyaml's events) against the reference path
(a node tree, then `_Walker`), and against PyYAML's pure-Python parser: same data, same
positions, same problems, on documents chosen to be awkward and on generated ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presskit.errors import ValidationFailed
from presskit.project import yamlfile
from presskit.project.yamlfile import DEFAULT_LIMITS, Limits, SourceMap

pytestmark = pytest.mark.skipif(not yamlfile.LIBYAML, reason="needs libyaml")

SMALL = Limits(max_depth=4, max_nodes=12, max_string=8, max_key=5, max_items=3)

# Taken by the one-pass loader.
PLAIN = [
    "",
    "# only a comment\n",
    "---\n",
    "--- \n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "just text\n",
    "- a\n- b\n",
    "name: x\nquestions:\n  - id: a\n    text: Why?\n    tags: [x, y]\n",
    "no: 1\nyes: 2\non: off\n2: two\n=: eq\n'': empty key\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: y\n",
    "a: 0x1F\nb: 1_000\nc: 0o17\nd: 017\ne: 1:30\nf: -12\ng: +7\nh: 0b101\n",
    "a: 1.5\nb: .inf\nc: -.INF\nd: 6.02e+23\ne: 1_0.5\nf: 1:30.5\ng: .5\n",
    "a: ~\nb: null\nc: Null\nd:\ne: ''\nf: \"\"\n",
    "a: 2027-03-07\nb: 2027-03-07T18:00:00Z\nc: 2027-03-07 18:00:00.5 -8\n",
    "a: '123'\nb: \"true\"\nc: 'null'\nd: \"2027-03-07\"\ne: '<<'\nf: '='\n",
    "a: |\n  line one\n  line two\nb: >\n  folded\n  text\n\nc: |-\n  kept\n",
    "a: \"esc\\u00e9 \\x41 \\n\"\nb: 'it''s'\nc: plain:colon? no\n",
    "quoted key: 1\n\"a b\": 2\n'c': 3\n? explicit\n: 4\n",
    "a: {b: [1, {c: d}], e: []}\nf: {}\n",
    'emoji: "\U0001f600 caf\u00e9 \u0645\u0631\u062d\u0628\u0627"\n',
    "b: '-'\nc: -x\n",
    "a: 'x=y'\n",
    "a: 1\r\nb: 2\r\n",
    "deep: " + "[" * 31 + "]" * 31 + "\n",
    "x: 2027-02-3\n",
]

# The one-pass loader leaves these to the reference path (anchors, tags, merges, problems).
DECLINED = [
    "a: &x 1\nb: *x\n",
    "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n",
    "base: &b {x: 1}\nuse:\n  y: 3\n  <<: *b\n",
    "a: &a [x, y]\nb: [*a, *a]\n",
    "a: !!str 12\n",
    "a: !custom x\n",
    "a: ! x\n",
    "a: !!python/name:os.system\n",
    "a: !!binary aGVsbG8=\n",
    "a: 1\na: 2\n",
    "[a]: 1\n",
    "{a: 1}: 2\n",
    "a: =\n",
    "a: 2027-02-30\n",
    'a: "\\ud800"\n',
    '"\\ud800": 1\n',
    "a: 1\n---\nb: 2\n",
    "a: [1, 2\nb: 3\n",
    "a: b: c\n",
    "c: - x\n",
    "a: -\n",
    ": null key\nb: 1\n",
    "a:\n\t- x\n",
    'a: "\x85"\n',
    "\ufeffa: 1\n",
    "a: \x00\n",
    "deep: " + "[" * 33 + "]" * 33 + "\n",
    "deep: " + "[" * 100_000 + "\n",
    "a: " + "9" * 5000 + "\n",
]

# Declined only under SMALL limits.
LIMITED = [
    "a: [1, 2, 3, 4]\n",
    "a: 1\nb: 2\nc: 3\nd: 4\n",
    "a: abcdefghi\n",
    "longkey: 1\n",
    "a: [[[[[1]]]]]\n",
    "a: [1, 2, 3]\nb: [1, 2, 3]\nc: [1, 2, 3]\n",
    "a: {b: {c: {d: {e: 1}}}}\n",
]


def outcome(parse: Any, text: str, limits: Limits) -> tuple[Any, ...]:
    try:
        data, source = parse(text, "f.yaml", limits)
    except ValidationFailed as exc:
        return ("problems", [str(p) for p in exc.problems])
    # repr tells 1 from 1.0 and True, and dates from datetimes; item lists keep the order
    return ("data", repr(data), list(source.values.items()), list(source.keys.items()))


def one_pass_takes(text: str, limits: Limits) -> bool:
    if any(char in text for char in yamlfile._UNUSUAL):
        return False
    return yamlfile._OnePass(text, SourceMap("f.yaml"), limits).run() is not None


def pure_python(monkeypatch: pytest.MonkeyPatch) -> Any:
    """`parse` as it would be with no libyaml at all: PyYAML's pure-Python parser."""

    def parse(text: str, path: str, limits: Limits) -> Any:
        with monkeypatch.context() as patched:
            patched.setattr(yamlfile, "_fast_compose", lambda *_: None)
            return yamlfile._parse_nodes(text, path, limits)

    return parse


@pytest.mark.parametrize("text", PLAIN)
def test_plain_documents_take_one_pass_and_match(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert one_pass_takes(text, DEFAULT_LIMITS)
    found = outcome(yamlfile.parse, text, DEFAULT_LIMITS)
    assert found == outcome(yamlfile._parse_nodes, text, DEFAULT_LIMITS)
    assert found == outcome(pure_python(monkeypatch), text, DEFAULT_LIMITS)


@pytest.mark.parametrize("text", DECLINED)
def test_the_rest_is_left_to_the_reference(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not one_pass_takes(text, DEFAULT_LIMITS)
    found = outcome(yamlfile.parse, text, DEFAULT_LIMITS)
    assert found == outcome(yamlfile._parse_nodes, text, DEFAULT_LIMITS)
    if "\x85" not in text and "\t" not in text and "\ufeff" not in text:
        # (where libyaml and PyYAML differ, parse never asks libyaml)
        assert found == outcome(pure_python(monkeypatch), text, DEFAULT_LIMITS)


def test_an_empty_non_specific_tag_stays_as_it_was() -> None:
    # libyaml reads a lone `!` as '' where PyYAML reads None: the one-pass loader leaves tags to
    # the reference path, which answers as before this loader existed.
    assert not one_pass_takes("a: !\n", DEFAULT_LIMITS)
    assert yamlfile.parse("a: !\n", "f.yaml")[0] == {"a": ""}


@pytest.mark.parametrize("text", LIMITED)
def test_limits_are_left_to_the_reference(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert one_pass_takes(text, DEFAULT_LIMITS)
    assert not one_pass_takes(text, SMALL)
    found = outcome(yamlfile.parse, text, SMALL)
    assert found[0] == "problems"
    assert found == outcome(pure_python(monkeypatch), text, SMALL)


def test_limits_at_their_edge_still_pass() -> None:
    text = "a: [1, 2, 3]\nbc: 12345678\nkey45: {d: {e: 1}}\n"
    assert one_pass_takes(text, SMALL)
    assert outcome(yamlfile.parse, text, SMALL) == outcome(yamlfile._parse_nodes, text, SMALL)


keys = st.text(min_size=0, max_size=12)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.text(max_size=40),
    st.sampled_from(
        [
            "yes",
            "no",
            "on",
            "~",
            "null",
            "0x1F",
            "1:30",
            "1_000",
            ".inf",
            "<<",
            "=",
            "2027-02-30",
            "- x",
            "a: b",
            "#",
            "'",
            '"',
            "&a",
            "*a",
            "!x",
            "%",
        ]
    ),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=documents,
    flow=st.sampled_from([None, True, False]),
    unicode=st.booleans(),
    width=st.sampled_from([20, 80, 1000]),
)
def test_generated_documents_match_the_pure_python_path(
    document: Any, flow: bool | None, unicode: bool, width: int
) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=unicode, width=width)
    found = outcome(yamlfile.parse, text, DEFAULT_LIMITS)
    assert found == outcome(yamlfile._parse_nodes, text, DEFAULT_LIMITS)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert found == outcome(pure_python(monkeypatch), text, DEFAULT_LIMITS)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab:-[]{},'\"&*!|>#?~ \n0123.<=", max_size=60))
def test_generated_text_matches_the_reference_path(text: str) -> None:
    found = outcome(yamlfile.parse, text, DEFAULT_LIMITS)
    assert found == outcome(yamlfile._parse_nodes, text, DEFAULT_LIMITS)
