"""Set values in a YAML file and leave everything else exactly as it was.

presskit's commands write into files people edit by hand (`translations import` fills in
translations): a round trip through a YAML library would re-indent, re-quote and drop comments.
Instead the file is patched where the values are: a value that exists is replaced in place (in
its own quoting style), a key that does not is inserted after the last entry of its mapping,
with the mapping's indentation, and missing parent keys are created on the way. Every other
byte of the file, comments and key order included, is kept.

The API is two functions:

- `edit_yaml(text, edits)` returns the new text; `edits` maps key paths such as
  `("questions", 3, "translations", "es", "text")` to a string or a list of strings.
- `update_yaml(file, edits)` does that to a file and writes it atomically.

After patching, the text is read back with presskit's own loader and every edited value
checked, so a patch that would not say what was meant fails loudly instead of being written.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from presskit.project import yamlfile

KeyPath = tuple[str | int, ...]
Value = str | list[str]
_INDENT = 2  # for mappings and sequences presskit creates
# What a YAML value may not hold as it is: characters outside YAML's printable set, line breaks
# (YAML counts U+0085, U+2028 and U+2029 as breaks too), tabs and the byte order mark.
_UNSAFE = re.compile(
    "[^\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"
)


class YamlEditError(ValueError):
    """An edit that cannot be made: its path runs through a text or past a list's end."""


def edit_yaml(text: str, edits: Mapping[KeyPath, Value], path: str = "<yaml>") -> str:
    """`text` with each value in `edits` set at its key path; everything else unchanged."""
    if not edits:
        return text
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    patches: list[tuple[int, int, str]] = []
    # Keys to create, grouped under the mapping that exists (by node identity), in edit order.
    pending: dict[int, tuple[yaml.MappingNode | None, dict[str, Any]]] = {}
    for key_path, value in edits.items():
        node, rest = _deepest(root, key_path)
        if not rest:
            patches.append(_replace(text, node, value))
            continue
        if any(isinstance(part, int) for part in rest):
            raise YamlEditError(f"{yamlfile.format_loc(key_path)}: no such list item")
        if node is not None and not isinstance(node, yaml.MappingNode):
            raise YamlEditError(f"{yamlfile.format_loc(key_path)}: not inside a mapping")
        _, tree = pending.setdefault(id(node), (node, {}))
        for part in rest[:-1]:
            tree = tree.setdefault(str(part), {})
        tree[str(rest[-1])] = value
    for node, tree in pending.values():
        patches.append(_insert(text, node, tree))
    eol = "\r\n" if "\r\n" in text else "\n"  # a Windows file keeps its line endings
    for start, end, new in sorted(patches, key=lambda p: (p[0], p[1]), reverse=True):
        text = text[:start] + new.replace("\n", eol) + text[end:]
    _check(text, edits, path)
    return text


def update_yaml(file: Path, edits: Mapping[KeyPath, Value]) -> None:
    """Set values in the YAML file `file` (see `edit_yaml`), written atomically."""
    text = file.read_text("utf-8") if file.exists() else ""
    write_atomic(file, edit_yaml(text, edits, str(file)))


def write_atomic(file: Path, text: str) -> None:
    """Write `text` to `file` through a temporary file beside it: never half a file."""
    try:
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    except OSError as exc:  # named by the file meant, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(file)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if file.exists():
            os.chmod(tmp, file.stat().st_mode & 0o7777)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _deepest(root: yaml.Node | None, key_path: KeyPath) -> tuple[Any, KeyPath]:
    """The node at `key_path`, or the deepest one on the way and the parts still missing."""
    node = root
    for i, part in enumerate(key_path):
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            return node, key_path[i:]
        node = child
    return node, ()


def _replace(text: str, node: yaml.Node, value: Value) -> tuple[int, int, str]:
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(value, list):
        if isinstance(node, yaml.SequenceNode) and node.flow_style is False and value:
            end = _last_leaf_end(node)
            pad = "\n" + " " * node.start_mark.column
            return start, end, pad.join(f"- {_scalar(v)}" for v in value)
        return start, end, _flow(value)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        trailing = text[start:end][len(text[start:end].rstrip("\r\n")) :].replace("\r", "")
        column = _content_column(text, node)
        if _fits_block(value):
            lines = "\n".join(" " * column + line for line in value.split("\n"))
            return start, end, f"|-\n{lines}{trailing or chr(10)}"
        return start, end, _scalar(value) + (trailing or "\n")
    style = node.style if isinstance(node, yaml.ScalarNode) else None
    return start, end, _scalar(value, style)


def _content_column(text: str, node: yaml.ScalarNode) -> int:
    """The indentation of a block scalar's first line of content."""
    body = text[node.start_mark.index : node.end_mark.index].split("\n", 1)
    lines = [ln for ln in (body[1] if len(body) > 1 else "").split("\n") if ln.strip()]
    return len(lines[0]) - len(lines[0].lstrip(" ")) if lines else node.start_mark.column + 2


def _fits_block(value: str) -> bool:
    lines = value.split("\n")
    return (
        bool(value.strip())
        and value == value.strip()
        and not any(line != line.rstrip() or _UNSAFE.search(line) for line in lines)
    )


def _insert(text: str, node: yaml.MappingNode | None, tree: dict[str, Any]) -> tuple[int, int, str]:
    if node is None:  # an empty document (or only comments): the keys start the file
        at = len(text)
        lead = "" if not text or text.endswith("\n") else "\n"
        return at, at, lead + _block(tree, 0) + "\n"
    if node.flow_style:  # `{...}`: new entries before the closing brace
        close = node.end_mark.index - 1
        entries = ", ".join(f"{_key(k)}: {_flow(v)}" for k, v in tree.items())
        return close, close, (", " if node.value else "") + entries
    if not node.value:  # pragma: no cover - an empty block mapping is written `{}`
        raise YamlEditError("cannot add to an empty mapping")
    column = node.value[0][0].start_mark.column
    at = _last_leaf_end(node)
    newline = text.find("\n", at)
    if at > 0 and text[at - 1] == "\n":  # a block scalar ends at the start of the next line
        return at, at, _block(tree, column) + "\n"
    if newline == -1:
        return len(text), len(text), "\n" + _block(tree, column) + "\n"
    return newline + 1, newline + 1, _block(tree, column) + "\n"


def _last_leaf_end(node: yaml.Node) -> int:
    """Where the last value inside `node` ends (a block collection's own end reaches past the
    comments after it, which belong to what follows)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style:
        if not node.value:
            break
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return int(node.end_mark.index)


def _block(tree: dict[str, Any], column: int) -> str:
    pad = " " * column
    lines = []
    for key, value in tree.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{_key(key)}:\n{_block(value, column + _INDENT)}")
        elif isinstance(value, list):
            if not value:
                lines.append(f"{pad}{_key(key)}: []")
                continue
            items = "\n".join(f"{pad}{' ' * _INDENT}- {_scalar(v)}" for v in value)
            lines.append(f"{pad}{_key(key)}:\n{items}")
        else:
            lines.append(f"{pad}{_key(key)}: {_scalar(value)}")
    return "\n".join(lines)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key) else _scalar(key, '"')


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    plain = _scalar(value)
    # Commas and brackets end a plain value inside `[...]` and `{...}`.
    return plain if re.fullmatch(r"\w[\w .-]*", plain) else _scalar(value, '"')


def _scalar(value: str, style: str | None = None) -> str:
    """`value` as one line of YAML, in `style` (None: plain) where that style can hold it."""
    if _UNSAFE.search(value):  # line breaks, tabs, controls: only escapes show them
        style = '"'
    node = yaml.ScalarNode("tag:yaml.org,2002:str", value, style=style)
    out = yaml.serialize(node, Dumper=yaml.SafeDumper, allow_unicode=True, width=2**31)
    out = out.removesuffix("\n...\n").removesuffix("\n")
    if "\n" in out and style != '"':  # a multi-line form: escapes keep it on one line
        return _scalar(value, '"')
    return out


def _check(text: str, edits: Mapping[KeyPath, Value], path: str) -> None:
    data, _ = yamlfile.parse(text, path)
    for key_path, value in edits.items():
        found: Any = data
        for part in key_path:
            found = found[part]
        if found != value:  # pragma: no cover - a bug in the patching above
            raise AssertionError(f"{path}: {yamlfile.format_loc(key_path)} reads back {found!r}")
