"""Writing values back into a project's YAML files, keeping what people wrote around them.

Commands that change the banks or the campaign for their authors (`presskit approve`, and
translation imports) go through `update_yaml`. It edits the file with ruamel.yaml's round-trip
mode, so comments, blank lines, key order, quoting and flow lists (`tags: [a, b]`) stay as they
were, and only the values edited change. Then it checks its own work: the new text, read back
by presskit's own loader (`yamlfile.parse`), must hold exactly the old data with the edits
applied, or nothing is written. The file is replaced atomically, keeping its permissions.

    update_yaml(path, {("questions", 3, "status"): "approved",
                       ("questions", 3, "approved_as"): "0123abcdef"},
                after={"approved_as": "status"})

An edit names a value by its location, as `yamlfile` locates values (`("questions", 3,
"translations", "es", "text")`). Mappings missing along the way are created; a new key goes at
the end of its mapping, or right after the sibling `after` names for it (or the first present of
several it names, in order). Sequence indexes must
exist. Values are plain data: strings, numbers, booleans, None, lists and dicts of them.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import ScalarString
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.util import load_yaml_guess_indent

from presskit.errors import PresskitError
from presskit.project import yamlfile
from presskit.project.atomic import write_atomic
from presskit.project.yamlfile import Loc, format_loc

Edits = Mapping[Loc, Any]
After = Mapping[str, str | tuple[str, ...]]
NO_AFTER: After = {}


def update_yaml(
    path: Path, edits: Edits, *, shown: str | None = None, after: After = NO_AFTER
) -> bool:
    """Apply `edits` to the YAML file at `path` (see the module's doc); True if it changed.
    `shown` is how the path appears in messages."""
    shown = str(path) if shown is None else shown
    text = yamlfile.read_text(path, shown)
    new = updated_text(text, edits, shown=shown, after=after)
    if new == text:
        return False
    write_atomic(path, new.encode("utf-8"), mode=path.stat().st_mode & 0o777)
    return True


def updated_text(text: str, edits: Edits, *, shown: str = "<text>", after: After = NO_AFTER) -> str:
    """The YAML `text` with `edits` applied, layout kept; raises `PresskitError` (nothing to
    write) if the result would not read back as exactly the edited data."""
    if not edits:
        return text
    before, _ = yamlfile.parse(text, shown)
    yaml = _round_trip(text)
    try:
        document = yaml.load(text)
    except YAMLError as exc:  # read by presskit's loader, yet not by ruamel's: rare
        raise PresskitError(f"{shown}: cannot be rewritten by presskit: {exc}") from exc
    for loc, value in edits.items():
        _set(document, loc, value, after)
        before = _set_plain(before, loc, value)
    out = io.StringIO()
    yaml.dump(document, out)
    new = out.getvalue()
    if "\r\n" in text:  # a file written on Windows keeps its line endings
        new = new.replace("\r\n", "\n").replace("\n", "\r\n")
    try:
        again, _ = yamlfile.parse(new, shown)
    except PresskitError:
        again = None
    if again != before:
        raise PresskitError(
            f"{shown}: could not write the change without altering other values; "
            "nothing was written (edit the file by hand)"
        )
    return new


def _round_trip(text: str) -> YAML:
    """A round-trip YAML writer set to the file's own indentation and no line wrapping."""
    _, sequence, offset = load_yaml_guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line the author kept on one
    yaml.indent(mapping=_mapping_indent(text), sequence=sequence or 2, offset=offset or 0)
    return yaml


def _mapping_indent(text: str) -> int:
    """How far a nested mapping's keys sit in from their parent key, from the first line that
    ends in `key:` followed by a deeper line that is not a list item (2 if none)."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for line, following in itertools.pairwise(lines):
        if line.rstrip().endswith(":") and not following.lstrip().startswith("-"):
            parent = len(line) - len(line.lstrip(" -"))
            child = len(following) - len(following.lstrip(" "))
            if child > parent:
                return child - parent
    return 2


def _set(document: Any, loc: Loc, value: Any, after: After) -> None:
    node = document
    for i, part in enumerate(loc[:-1]):
        if isinstance(part, int):
            if not isinstance(node, CommentedSeq) or not 0 <= part < len(node):
                raise ValueError(f"no item {format_loc(loc[: i + 1])}")
            node = node[part]
            continue
        if not isinstance(node, CommentedMap):
            raise ValueError(f"{format_loc(loc[:i])} is not a mapping")
        if part not in node:  # create what is missing in one piece, so comments move once
            nested = value
            for inner in reversed(loc[i + 1 :]):
                if isinstance(inner, int):
                    raise ValueError(f"no item {format_loc(loc)}")
                nested = {inner: nested}
            _insert(node, part, _convert(nested), after)
            return
        node = node[part]
    key = loc[-1]
    if isinstance(key, int):
        if not isinstance(node, CommentedSeq) or not 0 <= key < len(node):
            raise ValueError(f"no item {format_loc(loc)}")
        node[key] = _styled(node[key], value)
    elif not isinstance(node, CommentedMap):
        raise ValueError(f"{format_loc(loc[:-1])} is not a mapping")
    elif key in node:
        node[key] = _styled(node[key], value)
    else:
        _insert(node, key, _convert(value), after)


def _styled(old: Any, value: Any) -> Any:
    """`value` in the quoting style of the value it replaces (`"..."` stays double-quoted)."""
    if isinstance(old, ScalarString) and isinstance(value, str):
        return type(old)(value)
    return _convert(value)


def _convert(value: Any) -> Any:
    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            mapping[k] = _convert(v)
        return mapping
    if isinstance(value, list):
        return CommentedSeq(_convert(v) for v in value)
    return value


def _insert(node: CommentedMap, key: str, value: Any, after: After) -> None:
    """Add `key` to `node`, after its (first present) sibling `after[key]`, else last. Comment lines
    and blank lines that followed the previous key's value stay below the new key."""
    keys = list(node)
    named = after.get(key, ())
    siblings = (named,) if isinstance(named, str) else named
    present = [s for s in siblings if s in node]
    previous = present[0] if present else (keys[-1] if keys else None)
    position = keys.index(previous) + 1 if previous is not None else 0
    rest = _detach_trailing(node, previous) if previous is not None else None
    node.insert(position, key, value)
    if rest:
        holder, at = _trailing_holder(node, key)
        slot = 2 if isinstance(holder, CommentedMap) else 0
        entry = holder.ca.items.setdefault(at, [None, None, None, None])
        entry[slot] = CommentToken("\n" + rest, CommentMark(0), None)


def _trailing_holder(parent: Any, key: Any) -> tuple[Any, Any]:
    """Where ruamel keeps the comments that follow `parent[key]`: on the deepest last entry
    of a block mapping or sequence value."""
    value = parent[key]
    if isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
        last = list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1
        return _trailing_holder(value, last)
    return parent, key


def _detach_trailing(node: CommentedMap, key: str) -> str | None:
    """Remove and return the comment and blank lines after `node[key]`'s own line, if any;
    a comment at the end of that line stays where it is."""
    holder, at = _trailing_holder(node, key)
    slot = 2 if isinstance(holder, CommentedMap) else 0
    entry = holder.ca.items.get(at)
    token = entry[slot] if entry else None
    if token is None:
        return None
    own, newline, rest = token.value.partition("\n")
    if not rest:
        return None
    token.value = own + newline
    return str(rest)


def _set_plain(data: Any, loc: Loc, value: Any) -> Any:
    """`_set` on plain data, as `yamlfile.parse` returns it: what the new text must read as."""
    node = data
    for part in loc[:-1]:
        node = node.setdefault(part, {}) if isinstance(part, str) else node[part]
    node[loc[-1]] = value
    return data
