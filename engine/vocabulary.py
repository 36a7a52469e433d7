"""The vocabulary as data: the taxonomy of item categories (vocabulary/categories.yaml).

Each category may sit `within` a broader one. The `ItemCategory` enum of the fact model is
built from it, a rule's `within: <category>` takes in the category and every one below it,
and a provision's `item_categories` covers the categories below those it names.

The file is read once, when the fact model is imported, with the project's YAML reader;
every problem in it (an unknown key, an unknown parent, a loop of parents, a key given
twice, a name that is not lower-case words) is kept as a diagnostic with file:line:col, which
`validate` and `evaluate` report with the other files' problems. A category with a problem
is still known by its name (an unknown parent or a loop makes it a root), so one mistake in
the vocabulary does not turn every fact using it into an error too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.diagnostics import Diagnostic, Diagnostics, did_you_mean
from engine.yamlsrc import display_path, load_yaml

VOCABULARY_DIR = Path(__file__).resolve().parent.parent / "vocabulary"
CATEGORIES_FILE = VOCABULARY_DIR / "categories.yaml"
NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
CATEGORY_KEYS = ("within", "description", "meaning")


@dataclass(frozen=True)
class Category:
    name: str
    within: str | None
    description: str
    meaning: str


@dataclass
class Taxonomy:
    categories: dict[str, Category] = field(default_factory=dict)  # in file order

    def names(self) -> tuple[str, ...]:
        return tuple(self.categories)

    def parent(self, name: str) -> str | None:
        c = self.categories.get(name)
        return c.within if c is not None else None

    def ancestors(self, name: str) -> list[str]:
        """The categories above `name`, nearest first (a loop is cut where it closes)."""
        out: list[str] = []
        current = self.parent(name)
        while current is not None and current not in out and current != name:
            out.append(current)
            current = self.parent(current)
        return out

    def is_within(self, name: str, ancestor: str) -> bool:
        """`name` is `ancestor` or below it."""
        return name == ancestor or ancestor in self.ancestors(name)

    def subtree(self, name: str) -> tuple[str, ...]:
        """`name` and every category below it, in file order with `name` first."""
        below = [c for c in self.categories if c != name and self.is_within(c, name)]
        return (name, *below)


def load_taxonomy(path: Path, diags: Diagnostics) -> Taxonomy:
    taxonomy = Taxonomy()
    shown = display_path(path)
    doc = load_yaml(path, diags, shown)
    if doc is None:
        return taxonomy
    smap = doc.source_map
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        diags.add(
            "Y005",
            "the vocabulary of categories must be a mapping with 'categories:', a mapping of "
            "category names to their entries",
            smap.locate(("categories",) if isinstance(data, dict) else ()),
            "e.g.  categories:\n          missiles: {within: missile_items, description: ...}",
        )
        return taxonomy
    for key in data:
        if key != "categories":
            diags.add(
                "V401",
                f"unknown key '{key}' in the vocabulary of categories",
                smap.locate((key,), key=True),
                "the file holds only 'categories:'",
            )
    entries: dict[str, Any] = data["categories"]
    for name, entry in entries.items():
        here = ("categories", name)
        if not isinstance(name, str) or not NAME.match(name):
            diags.add(
                "V403",
                f"'{name}' is not a category name",
                smap.locate(here, key=True),
                "write lower-case words joined by '_', e.g. ballistic_missile",
            )
            continue
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            diags.add(
                "V402",
                f"category '{name}' must be a mapping (within, description, meaning)",
                smap.locate(here),
            )
            entry = {}
        for key in entry:
            if key not in CATEGORY_KEYS:
                diags.add(
                    "V401",
                    f"unknown key '{key}' in category '{name}'",
                    smap.locate((*here, key), key=True),
                    did_you_mean(str(key), CATEGORY_KEYS)
                    or "keys: " + ", ".join(CATEGORY_KEYS),
                )
        texts = {}
        for key in CATEGORY_KEYS:
            value = entry.get(key)
            if key != "within" and value is None:
                diags.add(
                    "V402",
                    f"category '{name}' has no '{key}'",
                    smap.locate(here, key=True),
                    "say what belongs in it (description) and where its meaning comes from "
                    "(meaning)",
                )
            elif value is not None and not isinstance(value, str):
                diags.add(
                    "V402", f"'{key}' of category '{name}' must be text", smap.locate((*here, key))
                )
                value = None
            texts[key] = value
        taxonomy.categories[name] = Category(
            name, texts["within"], texts["description"] or "", texts["meaning"] or ""
        )
    _check_parents(taxonomy, smap, diags)
    return taxonomy


def _check_parents(taxonomy: Taxonomy, smap: Any, diags: Diagnostics) -> None:
    cats = taxonomy.categories
    for name, c in list(cats.items()):
        if c.within is not None and c.within not in cats:
            diags.add(
                "V404",
                f"category '{name}' is within '{c.within}', which is no category",
                smap.locate(("categories", name, "within")),
                did_you_mean(c.within, cats) or "name a category of this file, or leave "
                "'within' out for a top-level category",
            )
            cats[name] = Category(name, None, c.description, c.meaning)
    reported: set[str] = set()
    for name in list(cats):
        chain = [name]
        current = cats[name].within
        while current is not None and current not in chain:
            chain.append(current)
            current = cats[current].within
        if current is None or current in reported:
            continue
        loop = chain[chain.index(current) :]
        reported |= set(loop)
        diags.add(
            "V405",
            "categories are within each other in a loop: " + " within ".join([*loop, current]),
            smap.locate(("categories", current, "within")),
            "one of them must be within a broader category, or be top-level (no 'within')",
        )
        cats[current] = Category(current, None, cats[current].description, cats[current].meaning)


# Read once, when the fact model is built from it.
_DIAGS = Diagnostics()
TAXONOMY = load_taxonomy(CATEGORIES_FILE, _DIAGS)
# With no readable file the model still needs one value; the file's problem is reported.
CATEGORY_NAMES: tuple[str, ...] = TAXONOMY.names() or ("unknown",)


def vocabulary_diagnostics() -> list[Diagnostic]:
    """The problems found in the vocabulary files, for `validate` and `evaluate`."""
    return list(_DIAGS.items)
