"""One diagnostic type for every problem: code, message, hint and file:line:col."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Stable codes. F = facts and sources, R = rules, Y = files and YAML, L = engine limits
# (engine/limits.py). Never reuse a code.
CODES: dict[str, str] = {
    "Y001": "unreadable-file",
    "Y002": "not-utf8",
    "Y003": "yaml-syntax",
    "Y004": "duplicate-key",
    "Y005": "bad-root",
    "Y006": "empty-file",
    "Y007": "file-too-large",
    "Y008": "not-a-regular-file",
    "Y009": "bad-symlink",
    "Y010": "alias-or-anchor",
    "Y011": "tag-not-allowed",
    "Y012": "merge-key",
    "Y013": "too-deep",
    "Y014": "control-character",
    "Y015": "number-out-of-range",
    "F101": "unknown-key",
    "F102": "wrong-type",
    "F103": "invalid-value",
    "F104": "missing-key",
    "F105": "unknown-kind",
    "F110": "duplicate-id",
    "F111": "unknown-reference",
    "F112": "wrong-reference-kind",
    "F120": "unknown-source",
    "F121": "quote-not-found",
    "F122": "quote-ambiguous",
    "F123": "quote-spans-sentences",
    "F124": "source-hash-mismatch",
    "F125": "source-text-missing",
    "F126": "block-out-of-range",
    "F127": "source-outside-folder",
    "F128": "source-too-long",
    "F129": "sentence-mismatch",
    "R201": "unknown-key",
    "R202": "wrong-type",
    "R203": "invalid-value",
    "R204": "missing-key",
    "R210": "duplicate-rule-id",
    "R211": "unknown-fact-kind",
    "R212": "unknown-field",
    "R213": "operator-type-mismatch",
    "R214": "unknown-binding",
    "R215": "unknown-provision",
    "R216": "unsupported-comparison",
    "R217": "template-placeholder",
    "R219": "negated-derived-kind",
    "R220": "derived-kind-conflict",
    "R222": "reserved-derived-field",
    "R223": "derived-field-not-in-key",
    "R224": "literal-looks-like-a-field",
    "R225": "number-out-of-range",
    "R226": "too-many-combinations",
    "L301": "too-many-rules",
    "L302": "too-many-bindings",
    "L303": "too-many-tests",
    "L304": "too-many-alternatives",
    "L305": "too-many-per-kind",
    "L306": "too-many-properties",
    "L307": "text-too-long",
    "L308": "id-too-long",
    "L309": "too-many-values",
    "V401": "unknown-vocabulary-key",
    "V402": "bad-vocabulary-entry",
    "V403": "bad-category-name",
    "V404": "unknown-parent-category",
    "V405": "category-loop",
    "V406": "bad-kind-or-field-type",
    "V407": "kind-or-field-taken",
}


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    location: Location
    hint: str = ""
    severity: str = "error"

    @property
    def name(self) -> str:
        return CODES[self.code]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.col, self.code, self.message)

    def one_line(self) -> str:
        return f"{self.location}: {self.severity} {self.code} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
        }


@dataclass
class Diagnostics:
    """Collects every problem of one pass; nothing stops at the first error."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, code: str, message: str, location: Location, hint: str = "") -> None:
        if code not in CODES:  # a programming error, not a user one
            raise KeyError(code)
        self.items.append(Diagnostic(code, message, location, hint))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Diagnostic]:
        unique = {(d.sort_key(), d.hint): d for d in self.items}
        return [unique[k] for k in sorted(unique)]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean ...?' hint, or an empty string when nothing is close."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=3, cutoff=0.6)
    if not close:
        return ""
    if len(close) == 1:
        return f"did you mean '{close[0]}'?"
    return "did you mean " + ", ".join(f"'{c}'" for c in close[:-1]) + f" or '{close[-1]}'?"


# Problems with the file as a whole: quoting its first line would not help (or would read
# a file that must not be read).
_NO_SOURCE_LINE = frozenset({"Y001", "Y002", "Y007", "Y008", "Y009"})


def render_human(diags: Iterable[Diagnostic], root: Path | None = None) -> str:
    """Each problem as `file:line:col: error CODE message`, the source line, a caret and a hint."""
    out: list[str] = []
    cache: dict[str, list[str]] = {}
    for d in diags:
        out.append(d.one_line())
        src = None if d.code in _NO_SOURCE_LINE else _source_line(d.location, cache, root)
        if src is not None:
            out.append(f"  {d.location.line:>4} | {src}")
            out.append("       | " + " " * (max(d.location.col, 1) - 1) + "^")
        if d.hint:
            out.append(f"  hint: {d.hint}")
    return "\n".join(out)


def render_json(diags: Iterable[Diagnostic]) -> str:
    return json.dumps([d.as_dict() for d in diags], indent=2, ensure_ascii=False)


def _source_line(loc: Location, cache: dict[str, list[str]], root: Path | None) -> str | None:
    if loc.path not in cache:
        path = Path(loc.path)
        if root is not None and not path.is_absolute():
            path = root / path
        from engine.safefiles import MAX_YAML_BYTES, FileRefused, read_regular_file

        try:
            if path.is_symlink():
                raise FileRefused("Y009", "a link is never shown")  # it may lead anywhere
            raw = read_regular_file(path, MAX_YAML_BYTES)  # never a FIFO or a device
            cache[loc.path] = raw.decode("utf-8").splitlines()
        except (OSError, UnicodeDecodeError, FileRefused):
            cache[loc.path] = []
    lines = cache[loc.path]
    if 1 <= loc.line <= len(lines):
        return lines[loc.line - 1].rstrip()
    return None
