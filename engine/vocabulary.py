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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.diagnostics import Diagnostic, Diagnostics, did_you_mean
from engine.yamlsrc import display_path, load_yaml

VOCABULARY_DIR = Path(__file__).resolve().parent.parent / "vocabulary"
CATEGORIES_FILE = VOCABULARY_DIR / "categories.yaml"
NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
CATEGORY_KEYS = ("within", "description", "meaning")


def _unknown_keys(
    entry: dict[Any, Any],
    allowed: Sequence[str],
    what: str,
    here: tuple[str | int, ...],
    smap: Any,
    diags: Diagnostics,
) -> bool:
    """Report each key of entry that is not allowed (V401); True when there was one."""
    unknown = [key for key in entry if key not in allowed]
    for key in unknown:
        diags.add(
            "V401",
            f"unknown key '{key}' in {what}",
            smap.locate((*here, key), key=True),
            did_you_mean(str(key), allowed) or "keys: " + ", ".join(allowed),
        )
    return bool(unknown)


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
        _unknown_keys(entry, CATEGORY_KEYS, f"category '{name}'", here, smap, diags)
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
                did_you_mean(c.within, cats)
                or "name a category of this file, or leave 'within' out for a top-level category",
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


# -- fact kinds beyond the core (vocabulary/kinds/*.yaml) --------------------------------------

KINDS_DIR = VOCABULARY_DIR / "kinds"
FAMILIES = ("event", "statement")
FIELD_TYPES = ("text", "enum", "actor", "event", "list", "items", "date", "number", "bool")
LIST_OF = ("text", "enum", "actor", "event")
KIND_KEYS = ("family", "description", "fields")
FIELD_KEYS = ("type", "of", "values", "required", "description")


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    of: str | None  # for a list: what each item is
    values: tuple[str, ...]  # for an enum (or a list of enums)
    required: bool
    description: str


@dataclass
class KindDef:
    name: str
    family: str
    description: str
    fields: list[FieldDef]
    file: Path
    smap: Any  # where each key stands, to report a clash found when the model is built


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def load_kinds(folder: Path, diags: Diagnostics) -> list[KindDef]:
    """Every kind of every YAML file in folder (sorted by file name), each checked."""
    out: list[KindDef] = []
    if not folder.is_dir():
        return out
    seen: dict[str, str] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml")):
        doc = load_yaml(path, diags, display_path(path))
        if doc is None:
            continue
        smap, data = doc.source_map, doc.data
        if not isinstance(data, dict) or not isinstance(data.get("kinds"), dict):
            diags.add(
                "Y005",
                "a file of fact kinds must be a mapping with 'kinds:', a mapping of kind names "
                "to their entries",
                smap.locate(()),
                "e.g.  kinds:\n          service: {family: event, description: ..., fields: ...}",
            )
            continue
        for key in data:
            if key != "kinds":
                diags.add(
                    "V401",
                    f"unknown key '{key}' in a file of fact kinds",
                    smap.locate((key,), key=True),
                    "the file holds only 'kinds:'",
                )
        for name, entry in data["kinds"].items():
            kind = _kind(name, entry, path, smap, diags)
            if kind is None:
                continue
            if name in seen:
                diags.add(
                    "V407",
                    f"kind '{name}' is already defined in {seen[name]}",
                    smap.locate(("kinds", name), key=True),
                    "give the new kind another name",
                )
                continue
            seen[name] = display_path(path)
            out.append(kind)
    return out


def _kind(name: Any, entry: Any, path: Path, smap: Any, diags: Diagnostics) -> KindDef | None:
    here: tuple[str | int, ...] = ("kinds", name)
    if not isinstance(name, str) or not NAME.match(name):
        diags.add(
            "V403",
            f"'{name}' is not a kind name",
            smap.locate(here, key=True),
            "write lower-case words joined by '_', e.g. weapons_use",
        )
        return None
    if not isinstance(entry, dict):
        diags.add("V402", f"kind '{name}' must be a mapping ({', '.join(KIND_KEYS)})",
                  smap.locate(here))  # fmt: skip
        return None
    ok = not _unknown_keys(entry, KIND_KEYS, f"kind '{name}'", here, smap, diags)
    family = entry.get("family")
    if family not in FAMILIES:
        diags.add(
            "V406",
            f"kind '{name}' needs a family: event or statement, not '{family}'"
            if family is not None
            else f"kind '{name}' has no 'family'",
            smap.locate((*here, "family") if family is not None else here),
            "an event is an act (with a date, modality and who asserts it); a statement is "
            "something an actor says about events",
        )
        ok = False
    if not _text(entry.get("description")):
        diags.add("V402", f"kind '{name}' has no 'description'", smap.locate(here, key=True),
                  "say in plain words what the kind records")  # fmt: skip
        ok = False
    raw_fields = entry.get("fields") or {}
    if not isinstance(raw_fields, dict):
        diags.add("V402", f"'fields' of kind '{name}' must be a mapping of field names",
                  smap.locate((*here, "fields")))  # fmt: skip
        return None
    fields = []
    for fname, spec in raw_fields.items():
        f = _field(name, fname, spec, (*here, "fields", fname), smap, diags)
        if f is None:
            ok = False
        else:
            fields.append(f)
    if not ok:
        return None
    return KindDef(name, str(family), entry["description"], fields, path, smap)


def _field(
    kind: str, name: Any, spec: Any, here: tuple[str | int, ...], smap: Any, diags: Diagnostics
) -> FieldDef | None:
    if not isinstance(name, str) or not NAME.match(name):
        diags.add("V403", f"'{name}' is not a field name", smap.locate(here, key=True),
                  "write lower-case words joined by '_', e.g. attributed_to")  # fmt: skip
        return None
    if not isinstance(spec, dict):
        diags.add("V402", f"field '{name}' of kind '{kind}' must be a mapping "
                  f"({', '.join(FIELD_KEYS)})", smap.locate(here))  # fmt: skip
        return None
    what = f"field '{name}' of kind '{kind}'"
    ok = not _unknown_keys(spec, FIELD_KEYS, what, here, smap, diags)
    ftype, of = spec.get("type"), spec.get("of")
    if ftype not in FIELD_TYPES:
        diags.add(
            "V406",
            f"field '{name}' of kind '{kind}' has type '{ftype}', which is no field type",
            smap.locate((*here, "type") if "type" in spec else here),
            (did_you_mean(str(ftype), FIELD_TYPES) + " " if ftype else "")
            + "types: "
            + ", ".join(FIELD_TYPES),
        )
        return None
    if ftype == "list" and of not in LIST_OF:
        diags.add(
            "V406",
            f"list field '{name}' of kind '{kind}' needs 'of': one of " + ", ".join(LIST_OF),
            smap.locate((*here, "of") if "of" in spec else here),
            "e.g. {type: list, of: actor}; a list of items is {type: items}",
        )
        return None
    if ftype != "list" and of is not None:
        diags.add("V401", f"'of' is only for a list, not for field '{name}' ({ftype})",
                  smap.locate((*here, "of"), key=True))  # fmt: skip
        ok = False
    values = spec.get("values")
    needs_values = ftype == "enum" or of == "enum"
    if needs_values and (
        not isinstance(values, list)
        or not values
        or not all(isinstance(v, str) and NAME.match(v) for v in values)
        or len(set(values)) != len(values)
    ):
        diags.add(
            "V402",
            f"enum field '{name}' of kind '{kind}' needs 'values': a list of distinct "
            "lower-case words",
            smap.locate((*here, "values") if "values" in spec else here),
            "e.g. values: [training, technical_assistance]",
        )
        return None
    if not needs_values and values is not None:
        diags.add("V401", f"'values' is only for an enum, not for field '{name}' ({ftype})",
                  smap.locate((*here, "values"), key=True))  # fmt: skip
        ok = False
    required = spec.get("required", True)
    if not isinstance(required, bool):
        diags.add("V402", f"'required' of field '{name}' must be true or false",
                  smap.locate((*here, "required")))  # fmt: skip
        ok = False
    if not _text(spec.get("description")):
        diags.add("V402", f"field '{name}' of kind '{kind}' has no 'description'",
                  smap.locate(here, key=True), "say what the field holds")  # fmt: skip
        ok = False
    if not ok:
        return None
    return FieldDef(name, ftype, of, tuple(values or ()), required, spec["description"])


def build_models(
    kinds: list[KindDef],
    bases: dict[str, type[Any]],
    annotations: dict[str, Any],
    taken: set[str],
    diags: Diagnostics,
) -> list[type[Any]]:
    """One pydantic model per kind, on the family's base model. A kind whose name is taken or
    whose field clashes with its base's fields is reported and left out."""
    from typing import Annotated, Literal

    from pydantic import Field, create_model

    models: list[type[Any]] = []
    for k in kinds:
        here = ("kinds", k.name)
        if k.name in taken:
            diags.add(
                "V407",
                f"'{k.name}' is already a fact kind",
                k.smap.locate(here, key=True),
                "give the new kind another name",
            )
            continue
        base = bases[k.family]
        clash = [f for f in k.fields if f.name in base.model_fields or f.name == "kind"]
        for f in clash:
            diags.add(
                "V407",
                f"field '{f.name}' of kind '{k.name}' is already a field of every {k.family}",
                k.smap.locate((*here, "fields", f.name), key=True),
                f"{k.family} fields: " + ", ".join(sorted(base.model_fields)),
            )
        if clash:
            continue
        spec: dict[str, Any] = {"kind": (Literal[k.name], ...)}
        for f in k.fields:
            inner: Any
            if f.type == "enum":
                core: Any = Literal[f.values]
            elif f.type == "list":
                inner = Literal[f.values] if f.of == "enum" else annotations[str(f.of)]
                core = list[inner]
            else:
                core = annotations[f.type]
            is_list = f.type in ("list", "items")
            if f.required:
                field_info = (
                    Field(description=f.description, min_length=1)
                    if is_list
                    else Field(description=f.description)
                )
                spec[f.name] = (Annotated[core, field_info], ...)
            elif is_list:
                spec[f.name] = (core, Field(default_factory=list, description=f.description))
            else:
                spec[f.name] = (core | None, Field(default=None, description=f.description))
        class_name = "".join(w.capitalize() for w in k.name.split("_"))
        model = create_model(
            class_name, __base__=base, __doc__=k.description, __module__="engine.facts", **spec
        )
        models.append(model)
        taken.add(k.name)
    return models


KINDS = load_kinds(KINDS_DIR, _DIAGS)
VOCABULARY_DIAGS = _DIAGS  # the fact model adds what it finds when it builds the kinds
