"""YAML text to plain data, remembering where every value came from.

PyYAML's safe loader is used for scalars only; mappings and sequences are walked here so that
each value keeps its `line:col`, duplicate keys are caught (PyYAML silently keeps the last), keys
stay strings (`no:` is not `False`), and hostile documents (alias bombs, deep nesting, huge
strings) stop with a clear problem instead of eating the machine.

`parse` is the one way in, with two paths: the reference (PyYAML's pure-Python parser, its
nodes walked by `_Walker`), and a shortcut for plain documents straight from libyaml's events
(`_OnePass`), which hands anything it is unsure of to the reference. Wherever the reference reads
a document, both give the same data, marks and problems; libyaml also reads a little YAML that
PyYAML refuses (`[Why now?]`), and there the shortcut's answer stands, as it always has.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

try:  # libyaml, bundled with PyYAML's wheels
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - a PyYAML built without it
    LIBYAML = False
else:
    LIBYAML = True

from presskit.errors import Problem, ValidationFailed

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """Ceilings for one YAML file; generous for real banks, fatal for hostile ones."""

    max_bytes: int = 5_000_000
    max_depth: int = 32
    max_nodes: int = 200_000  # counted after alias expansion: stops "billion laughs"
    max_string: int = 20_000
    max_key: int = 200
    max_items: int = 10_000


DEFAULT_LIMITS = Limits()


def format_loc(loc: Iterable[str | int]) -> str:
    """`("questions", 2, "text")` -> `questions[2].text`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of one file starts, 1-based."""

    path: str
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    # Unquoted values with a comment after them on the same line (`text: Keep #AskMoreOfHim
    # going`), each with the whole line as its author likely meant it: loading decides which
    # of them are prose cut short (see `models.is_free_text`).
    commented: dict[Loc, str] = field(default_factory=dict)

    def mark(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The position of `loc`, or of its nearest ancestor that exists in the file."""
        if key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.values:
                return self.values[loc[:end]]
        return (1, 1)

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, col = self.mark(loc, key=key)
        return Problem(self.path, line, col, format_loc(loc), message)


# After an unquoted value, spaces then `#` start a comment: the rest of the line is dropped.
_COMMENT_AFTER = re.compile(r"[ \t]+#[^\r\n]*")


def note_comment(source: SourceMap, loc: Loc, text: str, value: str, end: int) -> None:
    """Note `loc` in `source.commented` if a comment follows its plain value (ending at `end`
    in `text`) on the same line."""
    if text[end : end + 1] in (" ", "\t") and (found := _COMMENT_AFTER.match(text, end)):
        source.commented[loc] = value + found.group().rstrip()


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
# The scalar types of YAML's core schema; `!!binary`, `!!python/...` and custom tags are refused.
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"


class _Loader(yaml.SafeLoader):
    """The safe loader (pure Python, the reference) with nesting counted while composing: it
    recurses, so a document of 100,000 `[` would otherwise end in a RecursionError with no line
    to show."""

    max_depth = DEFAULT_LIMITS.max_depth
    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > self.max_depth + 1:
                raise _TooDeep(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_scalar_node(self, anchor: Any) -> yaml.ScalarNode:
        # A `!` with no value after it: libyaml reads it as text (''), PyYAML alone as null.
        # The reference answers as libyaml does, as presskit always did where libyaml is.
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if event.tag == "!" and event.value == "" and event.style is None:
            event.implicit = (False, False)
        return super().compose_scalar_node(anchor)


# Line breaks other than \n and \r, tabs and byte-order marks are where libyaml and PyYAML's
# edge cases live (libyaml does not count a BOM inside the text as a column): text holding any of
# them goes to the reference path alone, so its marks and values are PyYAML's.
_UNUSUAL = ("\x85", "\u2028", "\u2029", "\t", "\ufeff")


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("too deep")
        self.mark = mark


def _bad_text(value: str) -> str | None:
    """Why `value` cannot be written out as UTF-8 (a lone surrogate from a `\\ud800` escape)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"holds an invalid character (U+{ord(value[exc.start]):04X})"
    return None


_NULL_TAG = "tag:yaml.org,2002:null"
_NULL = re.compile(r"~|null|Null|NULL|")  # YAML 1.1's nulls, as PyYAML resolves them


def _not_a(node: yaml.Node) -> str:
    """A value its explicit core tag cannot read (`!!bool "maybe"`), in words."""
    kind = node.tag.rsplit(":", 1)[-1]
    return f"unreadable value: {node.value!r} is not a valid !!{kind}"


class _Walker:
    def __init__(
        self, loader: SafeConstructor, source: SourceMap, limits: Limits, text: str = ""
    ) -> None:
        self.loader = loader
        self.text = text
        self.source = source
        self.limits = limits
        self.nodes = 0
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, loc: Loc, message: str) -> None:
        self.problems.append(
            Problem(
                self.source.path,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                format_loc(loc),
                message,
            )
        )

    def walk(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _Refused(
                node,
                loc,
                f"more than {self.limits.max_nodes} values "
                "(after expanding aliases); is this an alias bomb?",
            )
        if depth > self.limits.max_depth:
            raise _Refused(node, loc, f"nested deeper than {self.limits.max_depth} levels")
        self.source.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            raise _Refused(node, loc, f"unsupported YAML tag {node.tag}")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            if len(node.value) > self.limits.max_items:
                raise _Refused(node, loc, f"more than {self.limits.max_items} items in one list")
            return [self.walk(child, (*loc, i), depth + 1) for i, child in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            raise _Refused(node, loc, f"unsupported YAML tag {node.tag}")
        if node.tag == _NULL_TAG and not _NULL.fullmatch(node.value):
            raise _Refused(node, loc, _not_a(node))
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:  # 2027-02-30, a 5,000-digit number...
            raise _Refused(node, loc, f"unreadable value: {exc}") from None
        except (KeyError, IndexError, AttributeError, TypeError):  # !!bool "maybe", !!int ""
            raise _Refused(node, loc, _not_a(node)) from None
        if isinstance(value, str):
            if len(value) > self.limits.max_string:
                raise _Refused(node, loc, f"text longer than {self.limits.max_string} characters")
            if bad := _bad_text(value):
                raise _Refused(node, loc, f"text {bad}")
            if not getattr(node, "style", None):  # plain, not quoted or block
                note_comment(self.source, loc, self.text, value, node.end_mark.index)
        return value

    def mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        explicit = sum(key.tag != _MERGE_TAG for key, _ in node.value)
        try:
            self.loader.flatten_mapping(node)  # resolves `<<` merge keys, placed first
        except RecursionError:
            raise _Refused(node, loc, "merge keys (<<) chained too deeply") from None
        merged = len(node.value) - explicit
        if len(node.value) > self.limits.max_items:
            raise _Refused(node, loc, f"more than {self.limits.max_items} keys in one mapping")
        out: dict[str, Any] = {}
        from_merge: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, loc, "keys must be plain text, not lists or mappings")
                continue
            key = str(key_node.value)
            if len(key) > self.limits.max_key:
                self.fail(key_node, loc, f"key longer than {self.limits.max_key} characters")
                continue
            if bad := _bad_text(key):
                self.fail(key_node, loc, f"key {bad}")
                continue
            child = (*loc, key)
            if key in out:
                if index < merged:  # an earlier merged mapping wins, as YAML says
                    continue
                if key not in from_merge:
                    first = self.source.keys[child]
                    self.fail(key_node, child, f"duplicate key (first given at line {first[0]})")
                    continue
                from_merge.discard(key)  # a key written out overrides a merged one
            elif index < merged:
                from_merge.add(key)
            self.source.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.walk(value_node, child, depth + 1)
        return out


class _Unsure(Exception):
    """`_OnePass` met something only the reference path may decide."""


if LIBYAML:
    # Plain scalars whose first character starts none of the safe loader's implicit types
    # (numbers, booleans, null, dates...) are text: most of a bank, resolved without regexes.
    _RESOLVED_BY_FIRST = frozenset(Resolver.yaml_implicit_resolvers)
    _SIMPLE_RESOLVERS = (
        None not in Resolver.yaml_implicit_resolvers and not Resolver.yaml_path_resolvers
    )


_FLOW_END = frozenset("}],")


class _OnePass:
    """Plain data and positions straight from libyaml's events, with no node tree: the common
    case, done in one pass. It keeps to documents `_Walker` accepts as they are: at the first
    anchor, alias, tag, merge key, limit reached or problem of any kind it gives up (`run`
    returns None) and `parse` starts again on the reference path, so messages, marks and the
    order in which problems are found stay the reference's. Nesting is checked before each
    level is entered, so this never recurses deeper than `max_depth` + 1."""

    def __init__(self, text: str, source: SourceMap, limits: Limits) -> None:
        self.text = text
        self.source = source
        self.limits = limits
        self.nodes = 0
        # Typed loosely: libyaml's events carry more than PyYAML's stubs say.
        self.parser: Any = None
        self.resolver: Any = Resolver()
        self.constructor = SafeConstructor()

    def run(self) -> tuple[Any] | None:
        """`(data,)` if the document is plainly fine, else None."""
        try:
            parser = CParser(self.text)
        except Exception:  # any doubt: the reference path decides
            return None
        self.parser = parser
        try:
            parser.get_event()  # stream start
            if parser.check_event(yaml.StreamEndEvent):
                return (None,)  # no document at all, as the reference says
            parser.get_event()  # document start
            data = self.node(parser.get_event(), (), 0)
            parser.get_event()  # document end
            if not parser.check_event(yaml.StreamEndEvent):
                return None  # a second document: the reference's error
            return (data,)
        except Exception:  # _Unsure, or anything libyaml says: the reference decides
            return None
        finally:
            parser.dispose()

    def node(self, event: Any, loc: Loc, depth: int) -> Any:
        """The value that `event` starts."""
        kind = type(event)
        self.nodes += 1
        if (
            self.nodes > self.limits.max_nodes
            or depth > self.limits.max_depth
            or kind is yaml.AliasEvent
            or event.anchor is not None
            or event.tag is not None
        ):
            raise _Unsure
        mark = event.start_mark
        self.source.values[loc] = (mark.line + 1, mark.column + 1)
        if kind is yaml.ScalarEvent:
            return self.scalar(event, loc)
        if kind is yaml.SequenceStartEvent:
            return self.sequence(loc, depth)
        return self.mapping(loc, depth)

    def sequence(self, loc: Loc, depth: int) -> list[Any]:
        get_event = self.parser.get_event
        items: list[Any] = []
        while type(event := get_event()) is not yaml.SequenceEndEvent:
            if len(items) == self.limits.max_items:
                raise _Unsure
            items.append(self.node(event, (*loc, len(items)), depth + 1))
        return items

    def mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
        get_event = self.parser.get_event
        keys = self.source.keys
        limits = self.limits
        out: dict[str, Any] = {}
        pairs = 0
        while type(event := get_event()) is not yaml.MappingEndEvent:
            pairs += 1
            if (
                pairs > limits.max_items
                or depth + 1 > limits.max_depth
                or type(event) is not yaml.ScalarEvent
                or event.anchor is not None
                or event.tag is not None
            ):
                raise _Unsure
            key = event.value
            if (
                key == "<<"
                or key in out
                or len(key) > limits.max_key
                or (not key.isascii() and _bad_text(key) is not None)
            ):
                raise _Unsure  # a merge key, or a problem to report
            child = (*loc, key)
            mark: Any = event.start_mark
            keys[child] = (mark.line + 1, mark.column + 1)
            out[key] = self.node(get_event(), child, depth + 1)
        return out

    def scalar(self, event: Any, loc: Loc) -> Any:
        text = event.value
        if not text and event.implicit[0]:
            # A missing value: PyYAML marks it where it is missing, libyaml at what comes next.
            # They agree when a line break comes next, and not before `}`, `]`, `,` or the end.
            after = self.text[event.start_mark.index : event.start_mark.index + 1]
            if after in _FLOW_END or (not after and not self.text.endswith(("\n", "\r"))):
                raise _Unsure
        value: Any
        if _SIMPLE_RESOLVERS and not (event.implicit[0] and text[:1] in _RESOLVED_BY_FIRST):
            value = text  # quoted, or plain and no implicit type starts so: text
        else:
            tag = self.resolver.resolve(yaml.ScalarNode, text, event.implicit)
            if tag == _STR_TAG:
                value = text
            elif tag in _SCALAR_TAGS:
                node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style)
                value = self.constructor.construct_object(node, deep=True)
            else:
                raise _Unsure
        # (only text outside ASCII can hold a lone surrogate)
        if isinstance(value, str) and (
            len(value) > self.limits.max_string
            or (not value.isascii() and _bad_text(value) is not None)
        ):
            raise _Unsure
        if not event.style and isinstance(value, str):
            note_comment(self.source, loc, self.text, value, event.end_mark.index)
        return value


class _Refused(Exception):
    def __init__(self, node: yaml.Node, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.node, self.loc, self.message = node, loc, message


def parse(
    text: str, path: str, limits: Limits = DEFAULT_LIMITS, *, libyaml: bool = True
) -> tuple[Any, SourceMap]:
    """Parse one YAML document; raise `ValidationFailed` with its place if it is not usable.

    With `libyaml` (and libyaml present), a plain document is read in one pass over libyaml's
    events: about 6x faster than the reference on `validate` of a 10,000-question project
    (docs/benchmarks.md). Everything else, and `libyaml=False`, takes the reference path, whose
    messages and marks users see; the tests run both paths on the same inputs."""
    if libyaml and LIBYAML and not any(char in text for char in _UNUSUAL):
        source = SourceMap(path)
        done = _OnePass(text, source, limits).run()
        if done is not None:
            return done[0], source
    return _parse_reference(text, path, limits)


def _parse_reference(text: str, path: str, limits: Limits) -> tuple[Any, SourceMap]:
    """`parse` by way of PyYAML's pure-Python node tree, then `_Walker`: slow and sure."""
    source = SourceMap(path)
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        raise ValidationFailed([_reader_problem(text, path, exc)]) from None
    loader.max_depth = limits.max_depth
    try:
        try:
            root = loader.get_single_node()
        except _TooDeep as exc:
            raise ValidationFailed(
                [
                    Problem(
                        path,
                        exc.mark.line + 1,
                        exc.mark.column + 1,
                        "",
                        f"nested deeper than {limits.max_depth} levels",
                    )
                ]
            ) from None
        except yaml.reader.ReaderError as exc:
            raise ValidationFailed([_reader_problem(text, path, exc)]) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            reason = exc.problem or exc.context or "not valid YAML"
            raise ValidationFailed(
                [Problem(path, line, col, "", f"YAML syntax error: {reason}")]
            ) from None
        except yaml.YAMLError as exc:
            raise ValidationFailed([Problem(path, 1, 1, "", f"YAML error: {exc}")]) from None
        except RecursionError:
            raise ValidationFailed([Problem(path, 1, 1, "", "nested too deeply to read")]) from None
        return _walk(root, loader, source, limits, text)
    finally:
        loader.dispose()


def _walk(
    root: yaml.Node | None,
    loader: SafeConstructor,
    source: SourceMap,
    limits: Limits,
    text: str = "",
) -> tuple[Any, SourceMap]:
    """Plain data from a composed document, with every limit and problem `parse` promises."""
    path = source.path
    if root is None:
        return None, source
    walker = _Walker(loader, source, limits, text)
    try:
        data = walker.walk(root, (), 0)
    except _Refused as exc:
        mark = exc.node.start_mark
        raise ValidationFailed(
            [Problem(path, mark.line + 1, mark.column + 1, format_loc(exc.loc), exc.message)]
        ) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ValidationFailed(
            [Problem(path, line, col, "", f"unsupported YAML: {exc.problem}")]
        ) from None
    if walker.problems:
        raise ValidationFailed(walker.problems)
    return data, source


def _reader_problem(text: str, path: str, exc: yaml.reader.ReaderError) -> Problem:
    before = text[: exc.position]
    line = before.count("\n") + 1
    col = exc.position - (before.rfind("\n") + 1) + 1
    return Problem(
        path,
        line,
        col,
        "",
        f"character U+{exc.character:04X} is not allowed in YAML"
        if isinstance(exc.character, int)
        else "character not allowed in YAML",
    )


def read(file: Path, path: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, SourceMap]:
    """Read and parse a YAML file; `path` is how the file is named in messages."""
    return parse(read_text(file, path, limits.max_bytes), path, limits)


def read_text(file: Path, path: str, max_bytes: int = DEFAULT_LIMITS.max_bytes) -> str:
    """Read a UTF-8 text file with a size limit, as one problem if it cannot be read."""
    try:
        info = file.stat()
        size = info.st_size
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block, /dev/zero never ends
            raise ValidationFailed([Problem(path, 1, 1, "", "is not a regular file")])
        if size > max_bytes:
            raise ValidationFailed(
                [Problem(path, 1, 1, "", f"file is {size} bytes; the limit is {max_bytes}")]
            )
        with file.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise ValidationFailed([Problem(path, 1, 1, "", "file not found")]) from None
    except IsADirectoryError:
        raise ValidationFailed([Problem(path, 1, 1, "", "is a folder, not a file")]) from None
    except OSError as exc:
        raise ValidationFailed(
            [Problem(path, 1, 1, "", f"cannot read file: {exc.strerror}")]
        ) from None
    if len(raw) > max_bytes:
        raise ValidationFailed([Problem(path, 1, 1, "", f"file is larger than {max_bytes} bytes")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationFailed([Problem(path, line, 1, "", "not valid UTF-8 text")]) from None
