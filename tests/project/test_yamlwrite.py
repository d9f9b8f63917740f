"""Setting values in hand-written YAML keeps every other byte: comments, quoting, key order."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from presskit.project.yamlwrite import YamlEditError, edit_yaml, update_yaml, write_atomic

BANK = """\
# A bank with comments everywhere.
theme: Alpha theme  # the heading
description: >
  Folded description
  over two lines.

translations:
  es:
    theme: "Tema alfa"   # quoted on purpose
questions:
  # the first question
  - id: a-one
    text: What does alpha one ask?
    follow_ups: ["And then what?"]
    tags: [quick]
    status: approved  # keep me
  - id: a-two
    text: 'What does alpha two ask?'
    follow_ups:
      - First?
      - Second?
    status: approved
    translations: {}
# trailing comment
"""


def _changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed and the lines added between two texts."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_new_keys_are_added_and_nothing_else_moves() -> None:
    after = edit_yaml(
        BANK,
        {
            ("questions", 0, "translations", "es", "text"): "¿Qué pregunta alfa uno?",
            ("questions", 0, "translations", "es", "follow_ups"): ["¿Y luego qué?"],
            ("questions", 0, "translations", "es", "translated_from"): "0123456789",
            ("translations", "fr", "theme"): "Thème alpha",
        },
    )
    removed, added = _changes(BANK, after)
    assert removed == []
    assert added == [
        "  fr:",
        "    theme: Thème alpha",
        "    translations:",
        "      es:",
        "        text: ¿Qué pregunta alfa uno?",
        "        follow_ups:",
        "          - ¿Y luego qué?",
        "        translated_from: 0123456789",
    ]
    data = yaml.safe_load(after)
    assert data["questions"][0]["translations"]["es"]["translated_from"] == "0123456789"
    assert list(data["questions"][0]) == [
        "id",
        "text",
        "follow_ups",
        "tags",
        "status",
        "translations",
    ]
    # The new question keys come after the question's last line, before the next question.
    lines = after.splitlines()
    assert lines.index("    status: approved  # keep me") + 1 == lines.index("    translations:")


def test_values_are_replaced_in_their_own_quoting() -> None:
    after = edit_yaml(
        BANK,
        {
            ("translations", "es", "theme"): "Tema «alfa»",
            ("questions", 1, "text"): "What's alpha two?",
            ("questions", 1, "follow_ups"): ["Primero?", "Segundo?"],
            ("questions", 0, "follow_ups"): ["Y luego, qué?"],
        },
    )
    removed, added = _changes(BANK, after)
    assert sorted(added) == sorted(
        [
            '    theme: "Tema «alfa»"   # quoted on purpose',
            "    text: 'What''s alpha two?'",
            "      - Primero?",
            "      - Segundo?",
            '    follow_ups: ["Y luego, qué?"]',
        ]
    )
    assert len(removed) == len(added)


def test_a_folded_block_stays_a_block_and_a_flow_mapping_takes_entries() -> None:
    after = edit_yaml(
        BANK,
        {
            ("description",): "New description",
            ("questions", 1, "translations", "es", "text"): "¿Qué pregunta, alfa dos?",
        },
    )
    assert "description: |-\n  New description\n\ntranslations:" in after
    assert '    translations: {es: {text: "¿Qué pregunta, alfa dos?"}}' in after
    data = yaml.safe_load(after)
    assert data["description"] == "New description"
    assert data["questions"][1]["translations"]["es"]["text"] == "¿Qué pregunta, alfa dos?"


@pytest.mark.parametrize(
    "value",
    ["yes", "1234567890", "no", "null", "a: b", "#hashtag first", "end #tag", "two\nlines", " pad"],
)
def test_values_yaml_would_misread_are_quoted(value: str) -> None:
    after = edit_yaml(BANK, {("questions", 0, "translations", "es", "text"): value})
    assert yaml.safe_load(after)["questions"][0]["translations"]["es"]["text"] == value


def test_an_empty_file_gets_its_keys() -> None:
    assert edit_yaml("", {("a",): "b", ("c", "d"): "e"}) == "a: b\nc:\n  d: e\n"
    header = "# only a comment\n"
    assert edit_yaml(header, {("k",): "{count} v"}) == header + "k: '{count} v'\n"


def test_impossible_edits_are_refused() -> None:
    with pytest.raises(YamlEditError, match=re.escape("questions[9].text: no such list item")):
        edit_yaml(BANK, {("questions", 9, "text"): "x"})
    with pytest.raises(YamlEditError, match="not inside a mapping"):
        edit_yaml(BANK, {("theme", "es"): "x"})


def test_update_yaml_writes_the_file(tmp_path: Path) -> None:
    file = tmp_path / "bank.yaml"
    file.write_text(BANK, encoding="utf-8")
    update_yaml(file, {("theme",): "Beta theme"})
    assert file.read_text(encoding="utf-8") == BANK.replace(
        "theme: Alpha theme  #", "theme: Beta theme  #"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["bank.yaml"]  # no temporary file left


def test_a_windows_file_keeps_its_line_endings() -> None:
    before = BANK.replace("\n", "\r\n")
    after = edit_yaml(
        before,
        {
            ("questions", 0, "translations", "es", "text"): "¿Uno?",
            ("description",): "New description",
        },
    )
    assert "\n" not in after.replace("\r\n", "")
    data = yaml.safe_load(after)
    assert data["questions"][0]["translations"]["es"]["text"] == "¿Uno?"
    assert data["description"] == "New description"


_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(_TEXT, st.lists(_TEXT, min_size=1, max_size=3))
def test_any_text_reads_back_as_written(value: str, items: list[str]) -> None:
    """Whatever a translator types, in a new key or in place of each quoting style."""
    edits: dict[tuple[str | int, ...], str | list[str]] = {
        ("questions", 0, "translations", "es", "text"): value,  # new, plain if it can be
        ("questions", 0, "translations", "es", "follow_ups"): items,  # a new block list
        ("translations", "es", "theme"): value,  # was double-quoted
        ("questions", 1, "text"): value,  # was single-quoted
        ("questions", 1, "follow_ups"): items,  # was a block list
        ("questions", 0, "follow_ups"): items,  # was a flow list
        ("description",): value,  # was a folded block
        ("questions", 1, "translations", "es", "notes"): value,  # into a flow mapping
    }
    data = yaml.safe_load(edit_yaml(BANK, edits))
    assert data["questions"][0]["translations"]["es"] == {"text": value, "follow_ups": items}
    assert data["translations"]["es"]["theme"] == value
    assert data["questions"][1]["text"] == value
    assert data["questions"][1]["follow_ups"] == items
    assert data["questions"][0]["follow_ups"] == items
    assert data["description"] == value
    assert data["questions"][1]["translations"]["es"]["notes"] == value


def test_a_missing_folder_is_named_not_created(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        write_atomic(tmp_path / "nope/x.yaml", "a: b\n")
    assert caught.value.filename == str(tmp_path / "nope/x.yaml")
    assert not (tmp_path / "nope").exists()
