from __future__ import annotations

import os
from pathlib import Path

import pytest

from presskit.errors import ValidationFailed
from presskit.project.yamlfile import Limits, format_loc, parse, read


def only_problem(exc: pytest.ExceptionInfo[ValidationFailed]) -> str:
    assert len(exc.value.problems) == 1
    return str(exc.value.problems[0])


def test_positions_of_values_and_keys() -> None:
    data, source = parse("name: x\nquestions:\n  - id: a\n    text: Why?\n", "f.yaml")
    assert data == {"name": "x", "questions": [{"id": "a", "text": "Why?"}]}
    assert source.mark(("questions", 0, "text")) == (4, 11)
    assert source.mark(("questions", 0, "text"), key=True) == (4, 5)
    # a place that does not exist falls back to its nearest ancestor
    assert source.mark(("questions", 0, "missing")) == (3, 5)


def test_keys_stay_text() -> None:
    data, _ = parse("no: 1\n2: two\n", "f.yaml")
    assert data == {"no": 1, "2": "two"}


def test_duplicate_key_is_an_error() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("name: a\nname: b\n", "f.yaml")
    assert only_problem(exc) == "f.yaml:2:1: name: duplicate key (first given at line 1)"


def test_syntax_error_has_its_line() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("name: a\nlist: [1, 2\nother: 3\n", "f.yaml")
    message = only_problem(exc)
    assert message.startswith("f.yaml:3:")
    assert "YAML syntax error" in message


def test_alias_bomb_is_stopped() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    with pytest.raises(ValidationFailed) as exc:
        parse(bomb, "bomb.yaml")
    assert "alias bomb" in only_problem(exc)


def test_deep_nesting_is_stopped() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("a: " + "[" * 60 + "]" * 60 + "\n", "deep.yaml")
    assert "nested deeper than 32 levels" in only_problem(exc)


def test_long_string_is_stopped() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("a: " + "x" * 50 + "\n", "f.yaml", Limits(max_string=10))
    assert only_problem(exc) == "f.yaml:1:4: a: text longer than 10 characters"


def test_python_tags_are_refused() -> None:
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


def test_very_deep_nesting_is_stopped_while_composing() -> None:
    # 100,000 levels would overflow PyYAML's recursive composer; the limit stops it first.
    for text in ["a: " + "[" * 100_000 + "]" * 100_000, "a: " + "{a: " * 5_000 + "1" + "}" * 5_000]:
        with pytest.raises(ValidationFailed) as exc:
            parse(text, "deep.yaml")
        message = only_problem(exc)
        assert message.startswith("deep.yaml:1:")
        assert message.endswith(": nested deeper than 32 levels")


def test_nesting_through_aliases_is_stopped() -> None:
    inner = "[" * 20 + "x" + "]" * 20
    with pytest.raises(ValidationFailed) as exc:
        parse(f"a: &a {inner}\nb: {'[' * 20}*a{']' * 20}\n", "f.yaml")
    assert "nested deeper than 32 levels" in only_problem(exc)


def test_alias_bomb_through_merge_keys_is_harmless() -> None:
    # Each level merges the one before it six times; PyYAML merges each key once.
    text = "l0: &l0 {k0: 0, k1: 1, k2: 2}\n"
    for i in range(1, 40):
        text += f"l{i}: &l{i} {{<<: [{', '.join([f'*l{i - 1}'] * 6)}], n{i}: {i}}}\n"
    data, _ = parse(text, "f.yaml")
    assert len(data["l39"]) == 3 + 39


def test_merge_chain_hidden_in_keys_is_stopped() -> None:
    # Mappings used as keys are never walked, so their merges are flattened in one deep chain.
    text = "? &l0 {a: 1}\n: x\n"
    for i in range(1, 3000):
        text += f"? &l{i} {{<<: *l{i - 1}, b{i}: 1}}\n: x\n"
    text += "top: {<<: *l2999}\n"
    with pytest.raises(ValidationFailed) as exc:
        parse(text, "f.yaml")
    assert "top: merge keys (<<) chained too deeply" in str(exc.value)


def test_merge_keys_follow_yaml_rules() -> None:
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
def test_hostile_scalars_get_a_located_problem(text: str, expected: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse(text, "f.yaml")
    assert only_problem(exc) == expected


def test_huge_numbers_get_a_located_problem() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("a: 1\ncount: " + "9" * 5000 + "\n", "f.yaml")
    assert only_problem(exc).startswith("f.yaml:2:8: count: unreadable value: Exceeds the limit")


def test_too_many_items_and_values() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse("a: [" + ", ".join(["1"] * 11_000) + "]\n", "f.yaml")
    assert only_problem(exc) == "f.yaml:1:4: a: more than 10000 items in one list"
    with pytest.raises(ValidationFailed) as exc:
        parse("\n".join(f"k{i}: {i}" for i in range(11_000)), "f.yaml")
    assert only_problem(exc) == "f.yaml:1:1: more than 10000 keys in one mapping"
    with pytest.raises(ValidationFailed) as exc:
        parse("a: [1, 2, 3]\nb: [*x]\n".replace("[1", "&x [1"), "f.yaml", Limits(max_nodes=5))
    assert "more than 5 values (after expanding aliases); is this an alias bomb?" in str(exc.value)
