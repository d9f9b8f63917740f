"""Writing values back into YAML: comments, blank lines, key order and quoting stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.errors import PresskitError
from presskit.project import yamlfile
from presskit.project.yamlwrite import update_yaml, updated_text

BANK = """\
# yaml-language-server: $schema=../schemas/bank.schema.json
theme: Allyship   # the heading
questions:
  - id: a
    text: "What does allyship look like?"   # keep me
    tags: [x, y]

    # a comment line before status
    status: draft
    translations:
      es:
        text: "¿Cómo es?"

  # the second question
  - id: b
    text: Why?
    status: approved
    translations:
      es:
        text: '¿Por qué?'
    # after b

# the end
"""


def test_only_the_edited_values_change_and_new_keys_go_where_asked() -> None:
    new = updated_text(
        BANK,
        {
            ("questions", 0, "status"): "approved",
            ("questions", 0, "approved_as"): "0123456789",
            ("questions", 1, "approved_as"): "abcdef0123",
            ("questions", 1, "translations", "es", "translated_from"): "1111111111",
            ("questions", 1, "translations", "fr", "text"): "Pourquoi ?",
        },
        after={"approved_as": "status"},
    )
    assert new == BANK.replace(
        "    status: draft\n", "    status: approved\n    approved_as: '0123456789'\n"
    ).replace(
        "    status: approved\n    translations:\n      es:\n        text: '¿Por qué?'\n",
        "    status: approved\n    approved_as: abcdef0123\n    translations:\n      es:\n"
        "        text: '¿Por qué?'\n        translated_from: '1111111111'\n"
        "      fr:\n        text: Pourquoi ?\n",
    )
    data, _ = yamlfile.parse(new, "bank.yaml")
    assert data["questions"][0]["approved_as"] == "0123456789"  # quoted: stays a string


def test_a_new_key_goes_after_the_first_sibling_present_of_several() -> None:
    text = "es:\n  text: Hola\n  translated_from: '1111111111'\n"
    after = {"prep": ("notes", "follow_ups", "text")}
    new = updated_text(text, {("es", "prep"): "Piense."}, after=after)
    assert new == "es:\n  text: Hola\n  prep: Piense.\n  translated_from: '1111111111'\n"
    with_notes = text.replace("  translated_from", "  notes: Nota.\n  translated_from")
    new = updated_text(with_notes, {("es", "prep"): "Piense."}, after=after)
    assert "  notes: Nota.\n  prep: Piense.\n  translated_from:" in new
    new = updated_text("es:\n  text: Hola\n", {("es", "prep"): "Piense."}, after={"prep": ()})
    assert new == "es:\n  text: Hola\n  prep: Piense.\n"  # none named: last


def test_a_replaced_text_keeps_its_quotes() -> None:
    new = updated_text(BANK, {("questions", 1, "translations", "es", "text"): "¿Y por qué?"})
    assert "        text: '¿Y por qué?'\n" in new
    new = updated_text(BANK, {("questions", 0, "text"): "How?"})
    line = next(ln for ln in new.splitlines() if "How?" in ln)
    assert line.startswith('    text: "How?" ') and line.endswith("# keep me")  # same column


def test_other_indentation_is_kept() -> None:
    text = "questions:\n- id: a\n  text: A?\n  status: draft\nbranding:\n    colour: red\n"
    new = updated_text(text, {("questions", 0, "status"): "approved"})
    assert new == text.replace("draft", "approved")


def test_update_yaml_writes_atomically_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    path.chmod(0o600)
    assert update_yaml(path, {("questions", 1, "status"): "approved"}) is False  # unchanged
    assert update_yaml(path, {("questions", 1, "status"): "retired"}) is True
    assert "    status: retired\n" in path.read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["bank.yaml"]


def test_a_result_that_would_read_back_differently_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    text = "a: &x [1, 2]\nb: *x\n"  # an alias: editing a shares the change with b
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PresskitError, match="nothing was written"):
        update_yaml(path, {("a", 0): 3})
    assert path.read_text(encoding="utf-8") == text


def test_a_missing_item_is_a_bug_not_a_silent_write() -> None:
    with pytest.raises(ValueError, match=r"questions\[5\]"):
        updated_text(BANK, {("questions", 5, "status"): "approved"})


def test_windows_line_endings_are_kept() -> None:
    text = "questions:\r\n  - id: a  # first\r\n    status: draft\r\n"
    new = updated_text(text, {("questions", 0, "status"): "approved"})
    assert new == text.replace("draft", "approved")
