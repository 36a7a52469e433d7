"""Bounded, safe YAML loading that keeps every value's line and column.

The file is read as a stream of parser events (libyaml's C parser where installed, else
PyYAML's pure-Python one) and built into plain data by a loop with an explicit stack, so
no input can recurse, expand or run anything. Refused, each at its file:line:col:
duplicate keys, anchors and aliases (&name, *name: rule and fact files never need them,
and they are how "billion laughs" files blow up), every tag (!foo, !!python/...), the
merge key <<, nesting deeper than MAX_DEPTH, control characters, integers the engine
cannot hold (|n| >= 2**63) and numbers that are not finite.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.diagnostics import Diagnostics, Location
from engine.safefiles import MAX_YAML_BYTES, FileRefused, read_regular_file

MAX_DEPTH = 32  # nested mappings and lists; the deepest bundled file uses 6
INT_LIMIT = 2**63  # durable_rules stores signed 64-bit integers and saturates beyond
_MAX_INT_DIGITS = 40  # longer integer text is refused before Python converts it

try:  # libyaml's C parser: about ten times faster, with the same marks
    _Parser: type = yaml.CSafeLoader
    PARSER = "libyaml"
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader
    PARSER = "pure-python"

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# A path into a loaded document: mapping keys and list indexes, from the root.
DocPath = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of one YAML file stands."""

    path: str
    values: dict[DocPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[DocPath, tuple[int, int]] = field(default_factory=dict)
    # The text, until a position is first asked for: positions are found then, by reading
    # the text again. A file without problems never pays for them (at 100k facts the
    # table would take about 1 GB, over twice the data itself).
    text: str | None = field(default=None, repr=False)

    def locate(self, doc_path: DocPath, *, key: bool = False) -> Location:
        """The position of doc_path (its key if asked), else of its nearest known ancestor."""
        if self.text is not None:
            self._fill()
        probe = tuple(doc_path)
        while True:
            table = self.keys if key else self.values
            if probe in table:
                line, col = table[probe]
                return Location(self.path, line, col)
            if key and probe in self.values:
                line, col = self.values[probe]
                return Location(self.path, line, col)
            if not probe:
                return Location(self.path, 1, 1)
            probe = probe[:-1]

    def _fill(self) -> None:
        text, self.text = self.text, None
        parser = _Parser(text)
        try:
            _Builder(self, Diagnostics(), record=True).run(parser)
        except yaml.YAMLError:  # pragma: no cover - the same text was read without error
            pass
        finally:
            parser.dispose()


@dataclass
class LoadedYaml:
    data: Any
    source_map: SourceMap
    sha256: str = ""  # of the bytes read, so a report records exactly what was loaded


def display_path(path: Path, root: Path | None = None) -> str:
    """The path as people should see it: relative to the working directory when possible."""
    base = root if root is not None else Path.cwd()
    # Lexical, not resolved: a symbolic link is shown by its own name (and a looping one
    # cannot fail here).
    try:
        return str(Path(os.path.abspath(path)).relative_to(os.path.abspath(base)))
    except ValueError:
        return str(path)


def load_yaml(
    path: Path, diags: Diagnostics, shown: str | None = None, limit: int = MAX_YAML_BYTES
) -> LoadedYaml | None:
    """Load one YAML file; every problem goes to diags and the result is None on error."""
    shown = shown or display_path(path)
    try:
        raw = read_regular_file(path, limit)
    except FileRefused as exc:
        diags.add(exc.code, exc.message, Location(shown), exc.hint)
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.add(
            "Y002",
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
            Location(shown, line, col),
            "save the file as UTF-8 (most editors offer this under 'Save with encoding')",
        )
        return None
    doc = load_yaml_text(text, shown, diags)
    if doc is not None:
        doc.sha256 = hashlib.sha256(raw).hexdigest()
    return doc


def load_yaml_text(text: str, shown: str, diags: Diagnostics) -> LoadedYaml | None:
    if text.startswith("\ufeff"):
        text = text[1:]
    before = len(diags)
    _check_characters(text, shown, diags)
    if len(diags) > before:
        return None  # the parser would stop at the first one without a position
    smap = SourceMap(shown)
    builder = _Builder(smap, diags, record=False)
    parser = _Parser(text)
    try:
        done = builder.run(parser)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "the YAML cannot be read"
        diags.add(
            "Y013" if "nesting depth" in problem else "Y003",
            f"YAML syntax error: {problem}",
            Location(shown, line, col),
            _syntax_hint(problem, text, mark),
        )
        return None
    except yaml.YAMLError as exc:
        diags.add("Y003", f"YAML error: {exc}", Location(shown), "check the file's syntax")
        return None
    finally:
        parser.dispose()
    if not done or len(diags) > before:
        return None
    if not builder.has_root:
        diags.add("Y006", "the file is empty", Location(shown), "remove the file or add content")
        return None
    smap.text = text  # positions are found when first asked for
    return LoadedYaml(builder.root, smap)


def _syntax_hint(problem: str, text: str, mark: Any) -> str:
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return "indent with spaces, never tabs"
    if "depth" in problem:
        return f"rule and fact files need only a few levels (at most {MAX_DEPTH})"
    return "check the indentation and that every ':' after a key is followed by a space"


_NAMES = {0: "NUL", 0x0C: "form feed", 0x7F: "DEL", 0x1B: "escape"}


def _check_characters(text: str, shown: str, diags: Diagnostics, most: int = 10) -> None:
    for n, m in enumerate(_CONTROL.finditer(text)):
        if n == most:
            break
        pos = m.start()
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        code = ord(m.group())
        name = _NAMES.get(code, f"U+{code:04X}")
        diags.add(
            "Y014",
            f"the file holds a control character ({name}, U+{code:04X})",
            Location(shown, line, col),
            "remove it: rule and fact files hold plain text only",
        )


_RESOLVER = yaml.resolver.Resolver()
_SCALARS = yaml.SafeLoader("")  # only its constructor methods are used, on one scalar each
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_DISCARD = object()
# First characters of a plain scalar that the YAML 1.1 resolver may read as something other
# than text (numbers, booleans, null, dates, the merge key '<<', '=', and the empty value).
_RESOLVED_FIRST = frozenset(_RESOLVER.yaml_implicit_resolvers) | {
    ""
}  # a key that was refused: its value is read and dropped


class _Stop(Exception):
    """A problem after which the rest of the file is not read (alias, anchor, depth)."""


class _Frame:
    __slots__ = ("container", "path", "key", "first_seen", "record", "mark")

    def __init__(self, container: Any, path: DocPath, record: bool, mark: Any) -> None:
        self.container = container
        self.mark = mark  # where the mapping or list starts
        self.path = path
        self.key: Any = None  # None: the next value is a key (mappings only)
        self.first_seen: dict[str, int] = {}
        self.record = record  # False inside a refused key: positions are not kept


class _Builder:
    """Plain data from parser events, with an explicit stack: no recursion, no aliases."""

    def __init__(self, smap: SourceMap, diags: Diagnostics, record: bool) -> None:
        self.record = record  # keep every position in smap (else only check and build)
        self.smap = smap
        self.diags = diags
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.has_root = False
        self.documents = 0

    def error(self, code: str, message: str, mark: Any, hint: str = "") -> None:
        self.diags.add(
            code, message, Location(self.smap.path, mark.line + 1, mark.column + 1), hint
        )

    def run(self, parser: Any) -> bool:
        """Read every event; the common case (a plain or quoted scalar with neither anchor
        nor tag, inside a mapping or list) is handled inline: it is most of every file."""
        get_event: Any = parser.get_event
        values = self.smap.values
        stack = self.stack
        scalar_type = yaml.ScalarEvent
        end_type = yaml.StreamEndEvent
        mark: Any = None  # a parser mark: line and column from 0
        try:
            while True:
                event: Any = get_event()
                if (
                    type(event) is scalar_type
                    and event.anchor is None
                    and event.tag is None
                    and stack
                ):
                    frame = stack[-1]
                    text = event.value
                    plain = event.implicit[0] and text[:1] in _RESOLVED_FIRST
                    container = frame.container
                    if type(container) is list:
                        if frame.record:
                            mark = event.start_mark
                            values[frame.path + (len(container),)] = (
                                mark.line + 1,
                                mark.column + 1,
                            )
                        container.append(self.scalar(event, False) if plain else text)
                        continue
                    key = frame.key
                    if key is None:
                        if plain:
                            self.deliver_scalar(event)
                            continue
                        mark = event.start_mark
                        if text in frame.first_seen:
                            self.deliver_scalar(event)  # reports the duplicate
                            continue
                        frame.first_seen[text] = mark.line + 1
                        if frame.record:
                            self.smap.keys[frame.path + (text,)] = (mark.line + 1, mark.column + 1)
                        frame.key = text
                        continue
                    if key is not _DISCARD:
                        if frame.record:
                            mark = event.start_mark
                            values[frame.path + (key,)] = (mark.line + 1, mark.column + 1)
                        container[key] = self.scalar(event, False) if plain else text
                    frame.key = None
                    continue
                if type(event) is end_type:
                    return True
                self.handle(event)
        except _Stop:
            return False

    def handle(self, event: Any) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self.check_node(event)
            self.deliver_scalar(event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.check_node(event)
            self.start(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            self.deliver(frame.container, frame, None)
        elif isinstance(event, yaml.AliasEvent):
            self.error(
                "Y010",
                f"an alias (*{event.anchor}) repeats another part of the file",
                event.start_mark,
                "anchors and aliases are not allowed: write the value out in full",
            )
            raise _Stop
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.error(
                    "Y003",
                    "the file holds several YAML documents",
                    event.start_mark,
                    "keep one document per file: remove the '---' line",
                )
                raise _Stop

    def check_node(self, event: Any) -> None:
        if event.anchor is not None:
            self.error(
                "Y010",
                f"an anchor (&{event.anchor}) marks a part of the file for repetition",
                event.start_mark,
                "anchors and aliases are not allowed: write the value out in full",
            )
            raise _Stop
        if event.tag is not None:
            tag = str(event.tag).replace("tag:yaml.org,2002:", "!!", 1)
            self.error(
                "Y011",
                f"the tag '{tag}' is not allowed",
                event.start_mark,
                "remove the tag: values are read as plain text, numbers, true/false and lists",
            )

    def start(self, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self.error(
                "Y013",
                f"the file nests lists and mappings more than {MAX_DEPTH} levels deep",
                event.start_mark,
                "rule and fact files need only a few levels; check the indentation",
            )
            raise _Stop
        path, record = self.child_path(event)
        if record:
            self.smap.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.stack.append(_Frame(container, path, record, event.start_mark))

    def child_path(self, event: Any) -> tuple[DocPath, bool]:
        if not self.stack:
            return (), self.record
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return frame.path + (len(frame.container),), frame.record
        if frame.key is None or frame.key is _DISCARD:
            return frame.path, False  # a key, or the value of a refused key
        return frame.path + (frame.key,), frame.record

    def deliver_scalar(self, event: Any) -> None:
        path, record = self.child_path(event)
        is_key = (
            bool(self.stack)
            and isinstance(self.stack[-1].container, dict)
            and (self.stack[-1].key is None)
        )
        value = self.scalar(event, is_key)
        if record and not is_key:
            self.smap.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        self.deliver(value, event, event)

    def deliver(self, value: Any, event: Any, scalar_event: Any) -> None:
        if not self.stack:
            self.root, self.has_root = value, True
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            frame.container.append(value)
            return
        if frame.key is None:
            frame.key = self.accept_key(frame, value, event, scalar_event)
            return
        if frame.key is not _DISCARD:
            frame.container[frame.key] = value
        frame.key = None

    def accept_key(self, frame: _Frame, value: Any, event: Any, scalar_event: Any) -> Any:
        if scalar_event is None:
            self.error("Y003", "a key must be a plain word, not a list or mapping", event.mark)
            return _DISCARD
        mark = scalar_event.start_mark
        if value is _MERGE_KEY:
            self.error(
                "Y012",
                "the merge key '<<' is not allowed",
                mark,
                "write every key out in full",
            )
            return _DISCARD
        key = str(value)
        kpos = (mark.line + 1, mark.column + 1)
        if key in frame.first_seen:
            self.error(
                "Y004",
                f"duplicate key '{key}' (first given on line {frame.first_seen[key]})",
                mark,
                "YAML would silently keep only the last value; remove or rename one of them",
            )
            return _DISCARD
        frame.first_seen[key] = kpos[0]
        if frame.record:
            self.smap.keys[frame.path + (key,)] = kpos
        return key

    def scalar(self, event: Any, is_key: bool) -> Any:
        text = event.value
        if event.tag is not None or not event.implicit[0]:
            return text  # quoted (or refused tag: reported already), always text
        tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
        if tag == _STR:
            return text
        if tag == _MERGE:
            return _MERGE_KEY if is_key else text
        if tag == _TIMESTAMP:
            # Keep dates as text: pydantic parses them strictly, and a bad date then points here.
            return text
        if tag == _INT:
            digits = sum(ch.isdigit() for ch in text)
            if digits > _MAX_INT_DIGITS:
                self.out_of_range(event)
                return None
            number = _SCALARS.yaml_constructors[tag](_SCALARS, yaml.ScalarNode(tag, text))
            if not -INT_LIMIT < number < INT_LIMIT:
                self.out_of_range(event)
                return None
            return number
        value = _SCALARS.yaml_constructors[tag](_SCALARS, yaml.ScalarNode(tag, text))
        if tag == _FLOAT and not math.isfinite(value):
            self.error(
                "Y015",
                f"'{text}' is not a finite number",
                event.start_mark,
                "write a plain number, or quote the text",
            )
            return None
        return value

    def out_of_range(self, event: Any) -> None:
        shown = event.value if len(event.value) <= 30 else event.value[:27] + "..."
        self.error(
            "Y015",
            f"the number {shown} is too large (the limit is {INT_LIMIT - 1:,} either side of 0)",
            event.start_mark,
            "the engine holds 64-bit integers only; quote it if it is a label, not a number",
        )


class _MergeKey:
    pass


_MERGE_KEY = _MergeKey()
