from __future__ import annotations

from pathlib import Path

import pytest

from presskit.errors import ValidationFailed
from presskit.yamlfile import Limits, format_loc, parse, read


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
