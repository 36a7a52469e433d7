"""Amounts with units, converted by pint, and caps on what a provision allows per period.

Units are those of vocabulary/quantities.yaml, each defined in pint; conversions within a
dimension are pint's, and across dimensions (a tonne of refined petroleum in barrels) only
through a factor the vocabulary declares for the category (or a broader one). Read once, at
import; problems in the file are reported by `validate` at file:line:col like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.diagnostics import Diagnostic, Diagnostics, did_you_mean
from engine.yamlsrc import load_yaml

QUANTITIES_FILE = Path(__file__).resolve().parent.parent / "vocabulary" / "quantities.yaml"
# Bounds qualifiers put on an amount: what a total can count as certain.
LOWER_BOUNDS = ("exact", "about", "at_least", "more_than")


@dataclass(frozen=True)
class Conversion:
    category: str
    source_unit: str
    target_unit: str
    factor: float


@dataclass
class Units:
    pint_names: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    conversions: list[Conversion] = field(default_factory=list)
    _registry: Any = None

    def registry(self) -> Any:
        if self._registry is None:
            import pint  # only when an amount is converted: pint is slow to import

            self._registry = pint.UnitRegistry()
        return self._registry

    def names(self) -> list[str]:
        return sorted(self.pint_names)

    def convert(self, value: float, unit: str, category: str, target: str) -> float | None:
        """`value unit` of `category` in `target` units; None when no conversion is known."""
        q = self.registry().Quantity(value, self.pint_names[unit])
        goal = self.pint_names[target]
        if q.is_compatible_with(goal):
            return float(q.to(goal).magnitude)
        from engine.vocabulary import TAXONOMY

        for c in self.conversions:
            if not TAXONOMY.is_within(category, c.category) and category != c.category:
                continue
            src = self.registry().Quantity(1, self.pint_names[c.source_unit])
            if q.is_compatible_with(src.units):
                in_target = q.to(src.units).magnitude * c.factor
                mid = self.registry().Quantity(in_target, self.pint_names[c.target_unit])
                if mid.is_compatible_with(goal):
                    return float(mid.to(goal).magnitude)
        return None


def load_units(path: Path, diags: Diagnostics) -> Units:
    units = Units()
    doc = load_yaml(path, diags)
    if doc is None:
        return units
    data, smap = doc.data, doc.source_map
    if not isinstance(data, dict):
        diags.add("V402", "the quantities file must be a mapping", smap.locate(()))
        return units
    for key in sorted(set(data) - {"units", "conversions"}):
        diags.add(
            "V401",
            f"unknown key '{key}'",
            smap.locate((key,), key=True),
            did_you_mean(key, ["units", "conversions"]),
        )
    for name, entry in (data.get("units") or {}).items():
        here = ("units", name)
        if not isinstance(entry, dict) or not isinstance(entry.get("pint"), str):
            diags.add(
                "V402",
                f"unit '{name}' needs 'pint' (its definition) and 'description'",
                smap.locate(here),
            )
            continue
        units.pint_names[str(name)] = entry["pint"]
        units.descriptions[str(name)] = str(entry.get("description", ""))
    for i, entry in enumerate(data.get("conversions") or []):
        here = ("conversions", i)
        ok = isinstance(entry, dict) and all(
            k in entry for k in ("category", "from", "to", "factor")
        )
        if not ok:
            diags.add(
                "V402",
                "a conversion needs category, from, to, factor and source",
                smap.locate(here),
            )
            continue
        for k in ("from", "to"):
            if entry[k] not in units.pint_names:
                diags.add(
                    "V404",
                    f"'{entry[k]}' is not a unit of this file",
                    smap.locate(here + (k,)),
                    did_you_mean(str(entry[k]), units.pint_names),
                )
                ok = False
        if ok:
            units.conversions.append(
                Conversion(
                    str(entry["category"]), entry["from"], entry["to"], float(entry["factor"])
                )
            )
    return units


_DIAGS = Diagnostics()
UNITS = load_units(QUANTITIES_FILE, _DIAGS)


def quantities_diagnostics() -> list[Diagnostic]:
    return list(_DIAGS.items)


@dataclass
class Total:
    """What the matched deliveries of one period add up to, against one provision's cap."""

    provision: str
    year: int
    unit: str
    cap: float
    total: float  # the amounts that are certain (exact, about, at least, more than)
    approximate: bool  # some amount was "about"
    items: list[dict[str, Any]]  # each amount counted, as given and converted
    unconverted: list[dict[str, Any]]  # amounts no declared conversion reaches

    @property
    def over(self) -> bool:
        return self.total > self.cap

    def as_dict(self) -> dict[str, Any]:
        return {
            "provision": self.provision,
            "period": str(self.year),
            "unit": self.unit,
            "cap": self.cap,
            "total": round(self.total, 3),
            "approximate": self.approximate,
            "over_cap": self.over,
            "items": self.items,
            "unconverted": self.unconverted,
        }

    def describe(self) -> str:
        about = "about " if self.approximate else ""
        return (
            f"{about}{self.total:,.0f} {self.unit}s in {self.year}, against a cap of "
            f"{self.cap:,.0f} {self.unit}s a year"
        )
