"""`yamlfile.parse` has two paths: the reference (PyYAML's pure-Python parser and `_Walker`) and
the one-pass shortcut over libyaml's events. Every test of `parse` here runs on both (the `parse`
fixture), and the last part checks that they give the same data, positions and problems on
documents chosen to be awkward and on generated ones."""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Any, Protocol

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presskit.errors import ValidationFailed
from presskit.project import yamlfile
from presskit.project.yamlfile import DEFAULT_LIMITS, Limits, SourceMap, format_loc, read


class Parse(Protocol):
    def __call__(
        self, text: str, path: str, limits: Limits = DEFAULT_LIMITS
    ) -> tuple[Any, SourceMap]: ...


needs_libyaml = pytest.mark.skipif(not yamlfile.LIBYAML, reason="needs libyaml")
PATHS = [
    pytest.param(True, id="libyaml", marks=needs_libyaml),
    pytest.param(False, id="reference"),
]


@pytest.fixture(params=PATHS)
def parse(request: pytest.FixtureRequest) -> Parse:
    """`yamlfile.parse` by one path, then the other."""
    return functools.partial(yamlfile.parse, libyaml=request.param)


def only_problem(exc: pytest.ExceptionInfo[ValidationFailed]) -> str:
    assert len(exc.value.problems) == 1
    return str(exc.value.problems[0])


def test_positions_of_values_and_keys(parse: Parse) -> None:
    data, source = parse("name: x\nquestions:\n  - id: a\n    text: Why?\n", "f.yaml")
    assert data == {"name": "x", "questions": [{"id": "a", "text": "Why?"}]}
    assert source.mark(("questions", 0, "text")) == (4, 11)
    assert source.mark(("questions", 0, "text"), key=True) == (4, 5)
    # a place that does not exist falls back to its nearest ancestor
    assert source.mark(("questions", 0, "missing")) == (3, 5)


def test_keys_stay_text(parse: Parse) -> None:
    data, _ = parse("no: 1\n2: two\n", "f.yaml")
    assert data == {"no": 1, "2": "two"}


def test_duplicate_key_is_an_error(parse: Parse) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("name: a\nname: b\n", "f.yaml")
    assert only_problem(exc) == "f.yaml:2:1: name: duplicate key (first given at line 1)"


def test_syntax_error_has_its_line(parse: Parse) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("name: a\nlist: [1, 2\nother: 3\n", "f.yaml")
    message = only_problem(exc)
    assert message.startswith("f.yaml:3:")
    assert "YAML syntax error" in message


def test_alias_bomb_is_stopped(parse: Parse) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    with pytest.raises(ValidationFailed) as exc:
        parse(bomb, "bomb.yaml")
    assert "alias bomb" in only_problem(exc)


def test_deep_nesting_is_stopped(parse: Parse) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("a: " + "[" * 60 + "]" * 60 + "\n", "deep.yaml")
    assert "nested deeper than 32 levels" in only_problem(exc)


def test_long_string_is_stopped(parse: Parse) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("a: " + "x" * 50 + "\n", "f.yaml", Limits(max_string=10))
    assert only_problem(exc) == "f.yaml:1:4: a: text longer than 10 characters"


def test_python_tags_are_refused(parse: Parse) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("a: !!python/object/apply:os.system ['echo hi']\n", "f.yaml")
    assert "unsupported YAML tag" in only_problem(exc)
    with pytest.raises(ValidationFailed) as exc:
        parse("a: !!python/name:os.system\n", "f.yaml")
    assert "unsupported YAML" in only_problem(exc)


def test_file_problems(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as exc:
        read(tmp_path / "nope.yaml", "nope.yaml")
    assert only_problem(exc) == "nope.yaml:1:1: file not found"

    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 100)
    with pytest.raises(ValidationFailed) as exc:
        read(big, "big.yaml", Limits(max_bytes=50))
    assert only_problem(exc) == "big.yaml:1:1: file is 103 bytes; the limit is 50"

    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"a: 1\nb: \xff\xfe\n")
    with pytest.raises(ValidationFailed) as exc:
        read(binary, "bin.yaml")
    assert only_problem(exc) == "bin.yaml:2:1: not valid UTF-8 text"


def test_format_loc() -> None:
    assert format_loc(("questions", 2, "follow_ups", 0)) == "questions[2].follow_ups[0]"
    assert format_loc(()) == ""


# --- hostile documents: each stops with one located problem, never a crash -------------------


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.write(b"questions:\n")
        line = b"  - text: " + b"x" * 1000 + b"\n"
        for _ in range(50_000):
            handle.write(line)
    assert huge.stat().st_size > 50_000_000
    with pytest.raises(ValidationFailed) as exc:
        read(huge, "huge.yaml")
    assert only_problem(exc) == (
        f"huge.yaml:1:1: file is {huge.stat().st_size} bytes; the limit is 5000000"
    )


def test_special_files_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # opening it would block forever
    with pytest.raises(ValidationFailed) as exc:
        read(fifo, "fifo.yaml")
    assert only_problem(exc) == "fifo.yaml:1:1: is not a regular file"
    with pytest.raises(ValidationFailed) as exc:
        read(Path("/dev/zero"), "zero.yaml")
    assert only_problem(exc) == "zero.yaml:1:1: is not a regular file"


def test_very_deep_nesting_is_stopped_while_composing(parse: Parse) -> None:
    # 100,000 levels would overflow PyYAML's recursive composer; the limit stops it first.
    for text in ["a: " + "[" * 100_000 + "]" * 100_000, "a: " + "{a: " * 5_000 + "1" + "}" * 5_000]:
        with pytest.raises(ValidationFailed) as exc:
            parse(text, "deep.yaml")
        message = only_problem(exc)
        assert message.startswith("deep.yaml:1:")
        assert message.endswith(": nested deeper than 32 levels")


def test_nesting_through_aliases_is_stopped(parse: Parse) -> None:
    inner = "[" * 20 + "x" + "]" * 20
    with pytest.raises(ValidationFailed) as exc:
        parse(f"a: &a {inner}\nb: {'[' * 20}*a{']' * 20}\n", "f.yaml")
    assert "nested deeper than 32 levels" in only_problem(exc)


def test_alias_bomb_through_merge_keys_is_harmless(parse: Parse) -> None:
    # Each level merges the one before it six times; PyYAML merges each key once.
    text = "l0: &l0 {k0: 0, k1: 1, k2: 2}\n"
    for i in range(1, 40):
        text += f"l{i}: &l{i} {{<<: [{', '.join([f'*l{i - 1}'] * 6)}], n{i}: {i}}}\n"
    data, _ = parse(text, "f.yaml")
    assert len(data["l39"]) == 3 + 39


def test_merge_chain_hidden_in_keys_is_stopped(parse: Parse) -> None:
    # Mappings used as keys are never walked, so their merges are flattened in one deep chain.
    text = "? &l0 {a: 1}\n: x\n"
    for i in range(1, 3000):
        text += f"? &l{i} {{<<: *l{i - 1}, b{i}: 1}}\n: x\n"
    text += "top: {<<: *l2999}\n"
    with pytest.raises(ValidationFailed) as exc:
        parse(text, "f.yaml")
    assert "top: merge keys (<<) chained too deeply" in str(exc.value)


def test_merge_keys_follow_yaml_rules(parse: Parse) -> None:
    data, _ = parse("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  x: 3\n", "f.yaml")
    assert data["m"] == {"x": 3, "y": 2}  # a key written out overrides a merged one
    with pytest.raises(ValidationFailed) as exc:
        parse("base: &b {x: 1}\nm:\n  <<: *b\n  y: 3\n  y: 4\n", "f.yaml")
    assert only_problem(exc) == "f.yaml:5:3: m.y: duplicate key (first given at line 4)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: b\nc: d\x00\n", "f.yaml:2:5: character U+0000 is not allowed in YAML"),
        ("a: b\nc: \x1b[31m\n", "f.yaml:2:4: character U+001B is not allowed in YAML"),
        ('a: "\\ud800"\n', "f.yaml:1:4: a: text holds an invalid character (U+D800)"),
        ('"\\udc00": 1\n', "f.yaml:1:1: key holds an invalid character (U+DC00)"),
        ("? " + "k" * 300 + "\n: 1\n", "f.yaml:1:3: key longer than 200 characters"),
        ("a: !!binary aGVsbG8=\n", "f.yaml:1:4: a: unsupported YAML tag tag:yaml.org,2002:binary"),
        ("a: !!set {x}\n", "f.yaml:1:4: a: unsupported YAML tag tag:yaml.org,2002:set"),
        ("a: !!omap [x: 1]\n", "f.yaml:1:4: a: unsupported YAML tag tag:yaml.org,2002:omap"),
        ("a: !custom x\n", "f.yaml:1:4: a: unsupported YAML tag !custom"),
        ("d: 2027-02-30\n", "f.yaml:1:4: d: unreadable value: day is out of range for month"),
    ],
)
def test_hostile_scalars_get_a_located_problem(text: str, expected: str, parse: Parse) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse(text, "f.yaml")
    assert only_problem(exc) == expected


def test_huge_numbers_get_a_located_problem(parse: Parse) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("a: 1\ncount: " + "9" * 5000 + "\n", "f.yaml")
    assert only_problem(exc).startswith("f.yaml:2:8: count: unreadable value: Exceeds the limit")


def test_too_many_items_and_values(parse: Parse) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("a: [" + ", ".join(["1"] * 11_000) + "]\n", "f.yaml")
    assert only_problem(exc) == "f.yaml:1:4: a: more than 10000 items in one list"
    with pytest.raises(ValidationFailed) as exc:
        parse("\n".join(f"k{i}: {i}" for i in range(11_000)), "f.yaml")
    assert only_problem(exc) == "f.yaml:1:1: more than 10000 keys in one mapping"
    with pytest.raises(ValidationFailed) as exc:
        parse("a: [1, 2, 3]\nb: [*x]\n".replace("[1", "&x [1"), "f.yaml", Limits(max_nodes=5))
    assert "more than 5 values (after expanding aliases); is this an alias bomb?" in str(exc.value)


# --- the two paths agree -------------------------------------------------------------------


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
    "a:\nb: # c\nc:  \n- \n",
    "[a, ]\n",
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
    # missing values, which libyaml marks at what comes next, PyYAML where they are missing
    "? a",
    "a:",
    "{a: }\n",
    "x: [a: , b: 1]\n",
    "x: {a: # c\n }\n",
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


def outcome(text: str, limits: Limits, *, libyaml: bool) -> tuple[Any, ...]:
    try:
        data, source = yamlfile.parse(text, "f.yaml", limits, libyaml=libyaml)
    except ValidationFailed as exc:
        return ("problems", [str(p) for p in exc.problems])
    # repr tells 1 from 1.0 and True, and dates from datetimes; item lists keep the order
    return ("data", repr(data), list(source.values.items()), list(source.keys.items()))


def one_pass_takes(text: str, limits: Limits) -> bool:
    if any(char in text for char in yamlfile._UNUSUAL):
        return False
    return yamlfile._OnePass(text, SourceMap("f.yaml"), limits).run() is not None


def same_on_both_paths(text: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, ...]:
    """The outcome of `text` by way of libyaml, checked against the reference: the same data,
    positions and problems wherever the reference reads the document. (libyaml reads a little
    more YAML than PyYAML does; see `test_libyaml_reads_a_little_more`.)"""
    found = outcome(text, limits, libyaml=True)
    reference = outcome(text, limits, libyaml=False)
    if reference[0] == "data" or found[0] == "problems":
        assert found == reference
    return found


@needs_libyaml
@pytest.mark.parametrize("text", PLAIN)
def test_plain_documents_take_one_pass_and_match(text: str) -> None:
    assert one_pass_takes(text, DEFAULT_LIMITS)
    assert same_on_both_paths(text)[0] == "data"


@needs_libyaml
@pytest.mark.parametrize("text", DECLINED)
def test_the_rest_is_left_to_the_reference(text: str) -> None:
    assert not one_pass_takes(text, DEFAULT_LIMITS)
    same_on_both_paths(text)


@pytest.mark.parametrize(("text", "value"), [("a: !\n", ""), ("a: ! 12\n", 12), ("a: ! x\n", "x")])
def test_a_non_specific_tag_stays_as_it_was(text: str, value: Any, parse: Parse) -> None:
    # libyaml reads a lone `!` as '' where PyYAML alone reads None; the reference answers as
    # presskit always did with libyaml installed.
    assert parse(text, "f.yaml")[0] == {"a": value}


@needs_libyaml
def test_libyaml_reads_a_little_more() -> None:
    # `?` inside a plain scalar in a flow list, a block header `>#`: libyaml reads them, PyYAML
    # refuses them. The libyaml path answers as presskit always did where libyaml is installed.
    for text, data in [("a: [Why now?]\n", {"a": ["Why now?"]}), ("a: >#\n", {"a": ""})]:
        assert yamlfile.parse(text, "f.yaml")[0] == data
        with pytest.raises(ValidationFailed) as exc:
            yamlfile.parse(text, "f.yaml", libyaml=False)
        assert "YAML syntax error" in only_problem(exc)


@needs_libyaml
@pytest.mark.parametrize("text", LIMITED)
def test_limits_are_left_to_the_reference(text: str) -> None:
    assert one_pass_takes(text, DEFAULT_LIMITS)
    assert not one_pass_takes(text, SMALL)
    assert same_on_both_paths(text, SMALL)[0] == "problems"


@needs_libyaml
def test_limits_at_their_edge_still_pass() -> None:
    text = "a: [1, 2, 3]\nbc: 12345678\nkey45: {d: {e: 1}}\n"
    assert one_pass_takes(text, SMALL)
    assert same_on_both_paths(text, SMALL)[0] == "data"


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


@needs_libyaml
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=documents,
    flow=st.sampled_from([None, True, False]),
    unicode=st.booleans(),
    width=st.sampled_from([20, 80, 1000]),
)
def test_generated_documents_are_the_same_on_both_paths(
    document: Any, flow: bool | None, unicode: bool, width: int
) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=unicode, width=width)
    same_on_both_paths(text)


@needs_libyaml
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab:-[]{},'\"&*!|>#?~ \n0123.<=", max_size=60))
def test_generated_text_is_the_same_on_both_paths(text: str) -> None:
    same_on_both_paths(text)


@pytest.mark.parametrize(
    ("text", "commented"),
    [
        ("text: Keep #AskMoreOfHim going?\n", {("text",): "Keep #AskMoreOfHim going?"}),
        ("a:\n  - Why #now?   \n", {("a", 0): "Why #now?"}),
        ("a: [x  #y\n  , z]\n", {("a", 0): "x  #y"}),
        ("a: one\n  two # three\n", {("a",): "one two # three"}),
        # quoted and block text, a '#' with no space before it, numbers: nothing cut
        ("a: \"x\" # c\nb: 'y'  # c\nc: | # c\n  z\nd: x#y\ne: 8  # max\n", {}),
    ],
)
def test_a_comment_after_an_unquoted_value_is_noted(
    text: str, commented: dict[tuple[str | int, ...], str], parse: Parse
) -> None:
    _, source = parse(text, "f.yaml")
    assert source.commented == commented


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a: !!bool "maybe"\n', "'maybe' is not a valid !!bool"),
        ('a: !!int ""\n', "'' is not a valid !!int"),
        ("a: !!timestamp nope\n", "'nope' is not a valid !!timestamp"),
        ("a: !!null x\n", "'x' is not a valid !!null"),
        ("a: !!float x\n", "could not convert string to float: 'x'"),
    ],
)
def test_wrong_values_under_core_tags_get_one_located_line(
    text: str, expected: str, parse: Parse
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse(text, "f.yaml")
    assert only_problem(exc) == f"f.yaml:1:4: a: unreadable value: {expected}"


@pytest.mark.parametrize("tag", ["bool", "int", "float", "null", "timestamp", "str"])
@pytest.mark.parametrize("value", ['""', "x", "0x", "0b", "1_", ".", "2027-13-45", "~"])
def test_no_value_under_a_core_tag_ends_in_a_traceback(tag: str, value: str, parse: Parse) -> None:
    try:
        parse(f"a: !!{tag} {value}\n", "f.yaml")
    except ValidationFailed as exc:
        assert [(p.line, p.col) for p in exc.problems] == [(1, 4)]
