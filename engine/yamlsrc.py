"""Safe YAML loading that keeps every key's line and column and rejects duplicate keys."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.diagnostics import Diagnostics, Location

# A path into a loaded document: mapping keys and list indexes, from the root.
DocPath = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of one YAML file stands."""

    path: str
    values: dict[DocPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[DocPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, doc_path: DocPath, *, key: bool = False) -> Location:
        """The position of doc_path (its key if asked), else of its nearest known ancestor."""
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


@dataclass
class LoadedYaml:
    data: Any
    source_map: SourceMap
    sha256: str = ""  # of the bytes read, so a report records exactly what was loaded


def display_path(path: Path, root: Path | None = None) -> str:
    """The path as people should see it: relative to the working directory when possible."""
    base = root if root is not None else Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def load_yaml(path: Path, diags: Diagnostics, shown: str | None = None) -> LoadedYaml | None:
    """Load one YAML file; every problem goes to diags and the result is None on error."""
    shown = shown or display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diags.add("Y001", f"cannot read the file: {exc.strerror}", Location(shown))
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
    smap = SourceMap(shown)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "the YAML cannot be read"
        diags.add(
            "Y003",
            f"YAML syntax error: {problem}",
            Location(shown, line, col),
            "check the indentation and that every ':' after a key is followed by a space",
        )
        return None
    except yaml.YAMLError as exc:  # e.g. several documents in one file
        diags.add("Y003", f"YAML error: {exc}", Location(shown), "keep one document per file")
        return None
    finally:
        loader.dispose()
    if node is None:
        diags.add("Y006", "the file is empty", Location(shown), "remove the file or add content")
        return None
    before = len(diags)
    data = _construct(node, (), smap, diags, yaml.SafeLoader(""))
    if len(diags) > before:
        return None
    return LoadedYaml(data, smap)


def _construct(
    node: yaml.Node, path: DocPath, smap: SourceMap, diags: Diagnostics, scalar: yaml.SafeLoader
) -> Any:
    smap.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                diags.add(
                    "Y003",
                    "a key must be a plain word, not a list or mapping",
                    Location(
                        smap.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1
                    ),
                )
                continue
            key = str(scalar.construct_object(key_node))
            kpos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out or key in first_seen:
                diags.add(
                    "Y004",
                    f"duplicate key '{key}' (first given on line {first_seen[key]})",
                    Location(smap.path, *kpos),
                    "YAML would silently keep only the last value; remove or rename one of them",
                )
                continue
            first_seen[key] = kpos[0]
            smap.keys[path + (key,)] = kpos
            out[key] = _construct(value_node, path + (key,), smap, diags, scalar)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(item, path + (i,), smap, diags, scalar) for i, item in enumerate(node.value)
        ]
    if node.tag == "tag:yaml.org,2002:timestamp":
        # Keep dates as text: pydantic parses them strictly, and a bad date then points here.
        return str(node.value)
    return scalar.construct_object(node)
