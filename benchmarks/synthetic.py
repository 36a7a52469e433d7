"""A synthetic but valid case of N facts and a rule set of 55 rules, written as real files.

The case is what a desk accumulates over many reports: actors (states, officials,
organisations, groups), events of every kind, statements about them (allegations, denials,
admissions, assessments) and the resolution paragraphs rules cite. Every fact except a
provision cites one sentence of a generated source document (several sources, about a
thousand cited sentences each, plus uncited ones, 15 to 40 words a sentence) and every
source has its metadata file with the text's SHA-256, so the project's own loader, quote
resolver and checker run on it unchanged.

The rule set mixes single-fact matches, joins (an event and its actor, a routing and the
transfer it conceals), negation (`unless`: no denial by the supplier, no routing reported),
date windows (`before`/`after`) and one derivation chain (transfers -> flow -> corridor ->
finding), while staying inside durable_rules' limits: few rules per fact kind and few
`not`-style tests (DURABLE_RULES.md §5, §6.1b).

Deterministic: the same N and seed give byte-identical files.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's emitter when present: the generator is not what is measured
    _Base: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.SafeDumper


class _Dumper(_Base):  # type: ignore[misc,valid-type]
    """Fact files may hold no anchors or aliases (the loader refuses them): write repeated
    values out in full."""

    def ignore_aliases(self, data: object) -> bool:
        return True


# Embargoed suppliers (rules single them out); the rest of the states are ordinary.
REAL_STATES = {
    "PRK": "North Korea",
    "IRN": "Iran",
    "RUS": "Russia",
    "CHN": "China",
    "SYR": "Syria",
    "USA": "the United States",
    "UKR": "Ukraine",
    "KOR": "South Korea",
    "BLR": "Belarus",
    "MMR": "Myanmar",
}
EMBARGOED = ["PRK", "IRN", "QAA", "QAB", "QAC", "QAD"]
ARMS = [
    "ammunition",
    "artillery_shells",
    "rockets",
    "small_arms",
    "conventional_arms",
    "uav",
    "missile_items",
]
GOODS = [
    "pure_bred_horses",
    "luxury_goods",
    "refined_petroleum",
    "crude_oil",
    "fuel",
    "aviation_fuel",
    "military_technology",
    "medicine",
    "food",
    "general_cargo",
]
MODALITIES = [
    "confirmed",
    "reported",
    "admitted",
    "alleged",
    "alleged",
    "alleged",
    "planned",
    "hinted",
    "speculated",
    "conditional",
    "denied",
]
BALLISTIC = ["icbm", "irbm", "srbm", "ballistic_unspecified"]
WEAPONS = BALLISTIC + ["missile_unspecified", "cruise_missile", "artillery", "nuclear_test"]
# Share of each kind among the facts that are not provisions (sums to 1).
MIX = [
    ("actor", 0.08),
    ("arms_transfer", 0.17),
    ("goods_supply", 0.09),
    ("weapons_test", 0.08),
    ("routing", 0.06),
    ("worker_deployment", 0.04),
    ("trade_link", 0.04),
    ("diplomatic_act", 0.04),
    ("vote", 0.02),
    ("recognition", 0.02),
    ("allegation", 0.14),
    ("denial", 0.12),
    ("admission", 0.04),
    ("assessment", 0.06),
]
PER_SOURCE = 1000  # cited sentences per source document (a long UN panel report)

_SENTENCE = (
    "officials familiar with the matter said the shipment moved through several ports while "
    "analysts cautioned that the available satellite imagery could not confirm the cargo and "
    "diplomats at the council described the pattern as consistent with earlier reports on "
    "procurement networks that rely on front companies registered abroad"
)
_WORDS = _SENTENCE.split(" ")
_OPENERS = [
    "According to the panel",
    "Diplomats said that",
    "In a statement released later",
    "Satellite images suggest that",
    "Customs records show that",
    "Investigators found that",
    "Two people briefed on the matter said",
    "The report says that",
]


@dataclass
class Case:
    root: Path
    n_facts: int
    n_rules: int
    n_sources: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def facts_dir(self) -> Path:
        return self.root / "facts"

    @property
    def rules_dir(self) -> Path:
        return self.root / "rules"


def _plan(n: int, n_provisions: int) -> dict[str, int]:
    rest = max(n - n_provisions, 0)
    counts = {k: int(rest * share) for k, share in MIX}
    counts["actor"] = max(counts["actor"], 24)  # the states every rule names, and speakers
    counts["arms_transfer"] += rest - sum(counts.values())  # rounding goes to transfers
    return counts


def generate(
    n: int, root: Path, seed: int = 12, per_source: int = PER_SOURCE, n_rules: int | None = None
) -> Case:
    """Write facts/ and rules/ for a case of exactly n facts under root; return the case.
    With n_rules, the finding rules are copied under new ids up to that many rule files (to
    measure validation: that many active rules would exceed the engine's limits)."""
    if n < 100:
        raise ValueError("the synthetic case needs at least 100 facts")
    rnd = random.Random(seed)
    gen = _Generator(rnd)
    provisions = _provisions()
    counts = _plan(n, len(provisions))
    gen.actors(counts["actor"])
    gen.events(counts)
    gen.statements(counts)
    cited = gen.facts  # every fact but provisions cites one sentence
    n_sources = max(3, math.ceil(len(cited) / per_source))
    facts_dir = root / "facts"
    (facts_dir / "sources").mkdir(parents=True, exist_ok=True)
    (facts_dir / "provisions").mkdir(parents=True, exist_ok=True)
    # Facts are spread over the sources in turn, so each source mixes kinds.
    by_source: list[list[tuple[dict[str, Any], str]]] = [[] for _ in range(n_sources)]
    for i, (fact, sentence) in enumerate(cited):
        by_source[i % n_sources].append((fact, sentence))
    for s, items in enumerate(by_source):
        sid = f"bench-source-{s + 1:04d}"
        _write_source(facts_dir / "sources", sid, [sent for _, sent in items], rnd, s)
        _dump(
            facts_dir / "reports" / f"{sid}.yaml",
            {"source": sid, "facts": [fact for fact, _ in items]},
        )
    _dump(facts_dir / "provisions" / "bench.yaml", {"facts": provisions})
    rules = _rules()
    if n_rules is not None:
        originals = [r for r in rules if "derive" not in r]
        copy = 0
        while len(rules) < n_rules:
            r = dict(originals[copy % len(originals)])
            copy += 1
            r["id"] = f"{r['id']}-COPY{copy:04d}"
            rules.append(r)
    rules_dir = root / "rules" / "bench"
    rules_dir.mkdir(parents=True, exist_ok=True)
    for rule in rules:
        _dump(rules_dir / f"{rule['id'].lower()}.yaml", rule)
    kinds: dict[str, int] = {}
    for fact, _ in cited:
        kinds[fact["kind"]] = kinds.get(fact["kind"], 0) + 1
    kinds["provision"] = len(provisions)
    total = len(cited) + len(provisions)
    assert total == n, (total, n)
    return Case(root, total, len(rules), n_sources, dict(sorted(kinds.items())))


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    path.write_text(text, encoding="utf-8")


def _write_source(
    folder: Path, sid: str, sentences: list[str], rnd: random.Random, index: int
) -> None:
    """The text: a headline, then paragraphs of 2 to 5 sentences, about one in four of them
    not cited by any fact; and the metadata file beside it."""
    lines = [f"Panel of experts report number {index + 1} on sanctions implementation"]
    para: list[str] = []
    filler = 0
    for sentence in sentences:
        para.append(sentence)
        if rnd.random() < 0.25:
            filler += 1
            para.append(_filler(rnd, f"{index + 1}-{filler}"))
        if len(para) >= rnd.randint(2, 5):
            lines.append(" ".join(para))
            para = []
    if para:
        lines.append(" ".join(para))
    text = "\n\n".join(lines) + "\n"
    raw = text.encode("utf-8")
    (folder / f"{sid}.txt").write_bytes(raw)
    meta = {
        "id": sid,
        "title": f"Synthetic panel report {index + 1}",
        "publisher": "Benchmark generator",
        "published": f"20{10 + index % 14:02d}-0{1 + index % 9}-15",
        "url": None,
        "text": f"{sid}.txt",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "blocks": [{"paragraph": 1, "role": "headline"}],
    }
    _dump(folder / f"{sid}.yaml", meta)


def _filler(rnd: random.Random, tag: str) -> str:
    words = rnd.sample(_WORDS, rnd.randint(12, 28))
    return f"{rnd.choice(_OPENERS)} {' '.join(words)} in annex {tag}."


def _clause(rnd: random.Random) -> str:
    """A few words to give sentences realistic, varied lengths (15 to 40 words)."""
    return " ".join(rnd.sample(_WORDS, rnd.randint(4, 16)))


class _Generator:
    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.facts: list[tuple[dict[str, Any], str]] = []
        self.names: dict[str, str] = {}
        self.states: list[str] = []
        self.speakers: list[str] = []  # officials, organisations, groups
        self.transfers: list[dict[str, Any]] = []
        self.event_facts: list[dict[str, Any]] = []

    # -- helpers -------------------------------------------------------------------------

    def _add(self, fact: dict[str, Any], quote: str, sentence: str) -> None:
        fact["cite"] = [{"quote": quote}]
        self.facts.append((fact, sentence))

    def _date(self) -> dict[str, Any]:
        r, rnd = self.rnd.random(), self.rnd
        year = rnd.randint(2005, 2024)
        month, day = rnd.randint(1, 12), rnd.randint(1, 28)
        if r < 0.45:
            return {"day": f"{year}-{month:02d}-{day:02d}", "expression": "on that day"}
        if r < 0.7:
            return {"month": f"{year}-{month:02d}", "expression": "that month"}
        if r < 0.8:
            return {"year": year, "expression": "that year"}
        if r < 0.93:
            end = min(month + rnd.randint(1, 5), 12)
            return {
                "start": f"{year}-{month:02d}-01",
                "end": f"{year}-{end:02d}-28",
                "expression": "over several months",
            }
        return {"unknown": True}

    def _supplier(self) -> str:
        # about half the transfers come from an embargoed supplier
        if self.rnd.random() < 0.5:
            return self.rnd.choice(EMBARGOED)
        return self.rnd.choice(self.states)

    def _other_state(self, not_this: str) -> str:
        while True:
            s = self.rnd.choice(self.states)
            if s != not_this:
                return s

    def _asserted(self) -> list[str]:
        return [self.rnd.choice(self.speakers + self.states)]

    def _event(self, kind: str, i: int, summary: str, **fields: Any) -> dict[str, Any]:
        fact = {
            "id": f"ev-{kind.replace('_', '-')}-{i:06d}",
            "kind": kind,
            "summary": summary,
            **fields,
            "date": self._date(),
            "modality": self.rnd.choice(MODALITIES),
            "asserted_by": self._asserted(),
        }
        return fact

    # -- actors ----------------------------------------------------------------------------

    def actors(self, n: int) -> None:
        rnd = self.rnd
        n_states = min(150, max(16, n // 4))
        codes = list(REAL_STATES) + [
            f"Q{a}{b}" for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        ]
        for j, code in enumerate(codes[:n_states]):
            name = REAL_STATES.get(code, f"the Republic of {code.title()}")
            self.names[code] = name
            self.states.append(code)
            tag = f"S{j:04d}"
            quote = f"delegation of {name} (code {tag}) told the committee"
            sentence = (
                f"The {quote} that it {_clause(rnd)} and would report again before "
                "the end of the mandate."
            )
            self._add(
                {
                    "id": code,
                    "kind": "state",
                    "name": name,
                    "iso3": code,
                    "un_member": code not in ("QAC",),
                },
                quote,
                sentence,
            )
        for j in range(n - n_states):
            r = rnd.random()
            tag = f"A{j:06d}"
            if r < 0.5:
                fid, name = f"off-{j:06d}", f"Official {tag}"
                fact: dict[str, Any] = {
                    "id": fid,
                    "kind": "official",
                    "name": name,
                    "role": "deputy minister",
                    "affiliation": rnd.choice(self.states),
                }
            elif r < 0.8:
                fid, name = f"org-{j:06d}", f"Trading Company {tag}"
                fact = {
                    "id": fid,
                    "kind": "organisation",
                    "name": name,
                    "org_type": "company",
                    "state": rnd.choice(self.states),
                }
            else:
                fid, name = f"grp-{j:06d}", f"analysts of group {tag}"
                fact = {"id": fid, "kind": "group", "name": name}
            self.names[fid] = name
            self.speakers.append(fid)
            quote = f"{name} was named in the findings"
            sentence = f"{quote} because it {_clause(rnd)} according to the annex."
            self._add(fact, quote, sentence)

    # -- events ----------------------------------------------------------------------------

    def events(self, counts: dict[str, int]) -> None:
        rnd = self.rnd
        for i in range(counts["arms_transfer"]):
            sup = self._supplier()
            rec = self._other_state(sup)
            items = rnd.sample(ARMS, rnd.randint(1, 2))
            tag = f"T{i:06d}"
            f = self._event(
                "arms_transfer",
                i,
                f"Arms from {sup} to {rec}",
                act=rnd.choice(["export", "procurement"]),
                supplier=sup,
                recipient=rec,
                items=[{"category": c} for c in items],
                status=rnd.choice(["completed", "in_progress", "unknown"]),
                via=rnd.choice(["rail", "sea", "air", "unknown"]),
            )
            quote = f"consignment {tag} of {items[0].replace('_', ' ')} left"
            sentence = (
                f"{rnd.choice(_OPENERS)} {quote} {self.names[sup]} for "
                f"{self.names[rec]} after {_clause(rnd)}."
            )
            self._add(f, quote, sentence)
            self.transfers.append(f)
            self.event_facts.append(f)
        for i in range(counts["goods_supply"]):
            sup = rnd.choice(self.states)
            rec = "PRK" if rnd.random() < 0.4 else self._other_state(sup)
            if rec == sup:
                sup = self._other_state(rec)
            items = rnd.sample(GOODS, rnd.randint(1, 2))
            tag = f"G{i:06d}"
            f = self._event(
                "goods_supply",
                i,
                f"Goods from {sup} to {rec}",
                supplier=sup,
                recipient=rec,
                items=[{"category": c} for c in items],
            )
            quote = f"cargo {tag} of {items[0].replace('_', ' ')} reached"
            sentence = f"{rnd.choice(_OPENERS)} {quote} {self.names[rec]} once {_clause(rnd)}."
            self._add(f, quote, sentence)
            self.event_facts.append(f)
        for i in range(counts["weapons_test"]):
            actor = rnd.choice(EMBARGOED + self.states[:20])
            weapon = rnd.choice(WEAPONS)
            tag = f"W{i:06d}"
            f = self._event(
                "weapons_test",
                i,
                f"{actor} tests a {weapon}",
                actor=actor,
                weapon_class=weapon,
                count=str(rnd.randint(1, 4)),
            )
            quote = f"launch {tag} was detected"
            sentence = (
                f"{rnd.choice(_OPENERS)} {quote} from a site in {self.names[actor]} "
                f"while {_clause(rnd)}."
            )
            self._add(f, quote, sentence)
            self.event_facts.append(f)
        for i in range(counts["routing"]):
            t = rnd.choice(self.transfers)
            tag = f"R{i:06d}"
            transit = [self._other_state(t["supplier"])] if rnd.random() < 0.4 else []
            f = self._event(
                "routing",
                i,
                "Shipments disguised",
                actor=t["supplier"],
                concerns=t["id"],
                transit_states=transit,
                apparent_destinations=["North Africa"],
            )
            quote = f"route {tag} was disguised"
            sentence = f"{rnd.choice(_OPENERS)} {quote} so that {_clause(rnd)}."
            self._add(f, quote, sentence)
            self.event_facts.append(f)
        for i in range(counts["worker_deployment"]):
            send = rnd.choice(["PRK", "PRK", rnd.choice(self.states)])
            host = self._other_state(send)
            tag = f"D{i:06d}"
            f = self._event(
                "worker_deployment",
                i,
                "Workers sent abroad",
                sending_state=send,
                host_state=host,
                territory=self.names[host],
                attribution=rnd.choice(["certain", "uncertain"]),
                status=rnd.choice(["completed", "planned", "in_progress"]),
            )
            quote = f"labour contract {tag} was signed"
            sentence = f"{rnd.choice(_OPENERS)} {quote} and {_clause(rnd)}."
            self._add(f, quote, sentence)
            self.event_facts.append(f)
        for i in range(counts["trade_link"]):
            a = rnd.choice(["PRK", rnd.choice(self.states)])
            b = self._other_state(a)
            tag = f"L{i:06d}"
            f = self._event(
                "trade_link",
                i,
                "A trade link",
                parties=[a, b],
                mode=rnd.choice(["rail", "road", "sea", "air"]),
                action=rnd.choice(["opened", "resumed", "suspended"]),
            )
            quote = f"freight service {tag} between"
            sentence = (
                f"{rnd.choice(_OPENERS)} {quote} {self.names[a]} and {self.names[b]} "
                f"changed after {_clause(rnd)}."
            )
            self._add(f, quote, sentence)
            self.event_facts.append(f)
        for i in range(counts["diplomatic_act"]):
            a = rnd.choice(["PRK", rnd.choice(self.states)])
            b = self._other_state(a)
            tag = f"P{i:06d}"
            f = self._event(
                "diplomatic_act",
                i,
                "A diplomatic act",
                actors=[a, b],
                act=rnd.choice(["summit", "condemnation", "criticism", "rapprochement"]),
            )
            quote = f"meeting {tag} took place"
            sentence = f"{rnd.choice(_OPENERS)} {quote} after {_clause(rnd)}."
            self._add(f, quote, sentence)
            self.event_facts.append(f)
        for i in range(counts["vote"]):
            vetoed = rnd.random() < 0.3
            tag = f"V{i:06d}"
            f = self._event(
                "vote",
                i,
                "A council vote",
                body=rnd.choice(self.states),
                draft=f"S/{2000 + i % 25}/{i}",
                outcome="vetoed" if vetoed else "adopted",
                in_favour=13,
                against=2 if vetoed else 0,
                abstaining=0 if vetoed else 2,
                vetoed_by=["RUS"] if vetoed else [],
                subject="sanctions",
            )
            quote = f"draft {tag} was put to a vote"
            sentence = f"{rnd.choice(_OPENERS)} {quote} once {_clause(rnd)}."
            self._add(f, quote, sentence)
            self.event_facts.append(f)
        for i in range(counts["recognition"]):
            who = rnd.choice(["PRK", "SYR", rnd.choice(self.states)])
            tag = f"C{i:06d}"
            f = self._event(
                "recognition", i, "A recognition", recognising=who, recognised=[f"territory {tag}"]
            )
            quote = f"territory {tag} was recognised"
            sentence = f"{rnd.choice(_OPENERS)} {quote} although {_clause(rnd)}."
            self._add(f, quote, sentence)
            self.event_facts.append(f)

    # -- statements ------------------------------------------------------------------------

    def statements(self, counts: dict[str, int]) -> None:
        rnd = self.rnd
        for kind in ("allegation", "denial", "admission", "assessment"):
            for i in range(counts[kind]):
                about = rnd.sample(self.event_facts, rnd.randint(1, 2))
                first = about[0]
                by = first.get("supplier") or first.get("actor") or rnd.choice(self.states)
                if kind in ("allegation", "assessment") or rnd.random() < 0.3:
                    by = rnd.choice(self.speakers + self.states)
                tag = f"{kind[:3].upper()}{i:06d}"
                fact: dict[str, Any] = {
                    "id": f"st-{kind}-{i:06d}",
                    "kind": kind,
                    "summary": f"A {kind} about {first['id']}",
                    "by": by,
                    "about": [e["id"] for e in about],
                    "date": self._date(),
                }
                if kind == "denial":
                    fact["scope"] = rnd.choice(["past", "planned", "past_and_planned"])
                if kind == "admission" and rnd.random() < 0.3:
                    fact["disputed_claim"] = "the timing"
                if kind == "assessment":
                    fact["nature"] = rnd.choice(
                        ["opinion", "legal_characterisation", "speculation", "conditional"]
                    )
                quote = f"statement {tag} said"
                sentence = f"In {quote} that {_clause(rnd)}, a claim others have disputed."
                self._add(fact, quote, sentence)


# -- provisions and rules ----------------------------------------------------------------


def _provisions() -> list[dict[str, Any]]:
    def prov(
        pid: str,
        regime: str,
        paragraph: str,
        start: str,
        cats: list[str],
        bound: list[str],
        until: str | None = None,
    ) -> dict[str, Any]:
        in_force: dict[str, Any] = {"start": start}
        if until:
            in_force["until"] = until
        return {
            "id": pid,
            "kind": "provision",
            "regime": regime,
            "resolution": f"S/RES/{pid.split('-')[1]} (20{pid.split('-')[2]})",
            "paragraph": paragraph,
            "paragraph_confirmed": True,
            "binding": True,
            "operative_verb": "decides",
            "bound": bound,
            "prohibits": "A synthetic measure for the benchmark.",
            "item_categories": cats,
            "in_force": in_force,
            "cite": [
                {
                    "document": "S/RES/0000 (2000)",
                    "paragraph": paragraph,
                    "confirmation": "unconfirmed",
                }
            ],
        }

    everyone = ["all_member_states"]
    return [
        prov("bench-1718-06-op8a", "dprk", "OP8(a)", "2006-10-14", ARMS, everyone),
        prov("bench-1718-06-op8b", "dprk", "OP8(b)", "2006-10-14", ARMS, everyone),
        prov("bench-1874-09-op9", "dprk", "OP9", "2009-06-12", ARMS, everyone),
        prov("bench-2270-16-op8", "dprk", "OP8", "2016-03-02", [], everyone),
        prov("bench-1718-06-op5", "dprk", "OP5", "2006-10-14", [], ["PRK"]),
        prov("bench-2094-13-op2", "dprk", "OP2", "2013-03-07", [], ["PRK"]),
        prov(
            "bench-2397-17-op5",
            "dprk",
            "OP5",
            "2017-12-22",
            ["refined_petroleum", "crude_oil", "fuel", "aviation_fuel"],
            everyone,
        ),
        prov(
            "bench-2094-13-op23",
            "dprk",
            "OP23",
            "2013-03-07",
            ["luxury_goods", "pure_bred_horses"],
            everyone,
        ),
        prov("bench-2397-17-op8", "dprk", "OP8", "2017-12-22", [], everyone),
        prov(
            "bench-2231-15-annb4",
            "iran",
            "Annex B para 4",
            "2016-01-16",
            ["uav", "missile_items"],
            ["all_states"],
            until="2023-10-18",
        ),
        prov(
            "bench-2231-15-annb6",
            "iran",
            "Annex B para 6(b)",
            "2016-01-16",
            ARMS,
            ["all_states"],
            until="2020-10-18",
        ),
        prov("bench-2270-16-op29", "dprk", "OP29", "2016-03-02", [], everyone),
    ]


_ARMS_BASIS = [
    "bench-1718-06-op8a",
    "bench-1718-06-op8b",
    "bench-1874-09-op9",
    "bench-2231-15-annb6",
]


def _rule(
    rid: str,
    title: str,
    match: dict[str, Any],
    message: str,
    *,
    basis: list[str] | None = None,
    finding: str = "possible_violation",
    **extra: Any,
) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": rid,
        "title": title,
        "status": "active",
        "finding": finding,
        "severity": "high" if finding == "possible_violation" else "info",
        "confidence": "medium",
        "rationale": "A synthetic rule of the benchmark, shaped like the bundled ones.",
        "legal_basis": basis or _ARMS_BASIS,
        "match": match,
    }
    rule.update(extra)
    rule["message"] = message
    if finding == "derive":
        rule.pop("finding")
        rule["derive"] = extra["derive"]
    return rule


def _rules() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    add = rules.append
    # arms transfers: one rule per embargoed supplier (single fact)
    for s in EMBARGOED:
        add(
            _rule(
                f"BENCH-ARMS-FROM-{s}",
                f"Arms exported by {s}",
                {"t": {"kind": "arms_transfer", "where": {"supplier": s}}},
                "{t.supplier} reportedly sent arms to {t.recipient} ({provisions}).",
                evidence={"binding": "t", "at_least": "alleged"},
                in_force="t",
                accountable=["t.supplier"],
            )
        )
    # arms transfers by item and date window, grouped by supplier and recipient
    for cat, after in (
        ("uav", "2016-01-16"),
        ("missile_items", "2016-01-16"),
        ("rockets", "2009-06-12"),
    ):
        add(
            _rule(
                f"BENCH-ARMS-{cat.upper().replace('_', '-')}",
                f"{cat} exported after {after}",
                {
                    "t": {
                        "kind": "arms_transfer",
                        "where": {
                            "items.category": {"contains": cat},
                            "act": "export",
                            "date": {"after": after},
                        },
                    }
                },
                "{t.supplier} exported {t.items.category} to {t.recipient}.",
                in_force="t",
                group_by=["t.supplier", "t.recipient"],
            )
        )
    # joins: transfer and the recipient State
    for s in ("PRK", "IRN", "QAA"):
        add(
            _rule(
                f"BENCH-PROCURE-FROM-{s}",
                f"A Member State procured arms from {s}",
                {
                    "t": {"kind": "arms_transfer", "where": {"supplier": s}},
                    "buyer": {
                        "kind": "state",
                        "where": {"id": {"same_as": "t.recipient"}, "un_member": True},
                    },
                },
                "{buyer.name} procured arms from {t.supplier}.",
                evidence={"binding": "t", "at_least": "reported"},
                in_force="t",
                accountable=["t.recipient"],
            )
        )
    # negation: no denial by the supplier
    add(
        _rule(
            "BENCH-UNDENIED-QAB",
            "Arms from QAB, which never denied any",
            {"t": {"kind": "arms_transfer", "where": {"supplier": "QAB"}}},
            "{t.supplier} has not denied sending arms to {t.recipient}.",
            unless={"d": {"kind": "denial", "where": {"by": {"same_as": "t.supplier"}}}},
            finding="risk",
            in_force="t",
        )
    )
    add(
        _rule(
            "BENCH-UNROUTED-PRK",
            "Arms from PRK with no disguised route reported",
            {"t": {"kind": "arms_transfer", "where": {"supplier": "PRK"}}},
            "{t.supplier} sent arms to {t.recipient} by a route nobody reports disguised.",
            unless={"r": {"kind": "routing", "where": {"concerns": {"same_as": "t.id"}}}},
            finding="risk",
            in_force="t",
        )
    )
    # a date window: before the arms embargo widened
    add(
        _rule(
            "BENCH-ARMS-EARLY",
            "Arms transfers before June 2009",
            {
                "t": {
                    "kind": "arms_transfer",
                    "where": {"date": {"before": "2009-06-12"}, "supplier": "PRK"},
                }
            },
            "{t.supplier} sent arms before 1874 widened the embargo.",
            in_force="t",
            finding="context",
        )
    )
    # goods: one rule per category, to North Korea
    goods_basis = {
        "luxury_goods": "bench-2094-13-op23",
        "pure_bred_horses": "bench-2094-13-op23",
        "refined_petroleum": "bench-2397-17-op5",
        "crude_oil": "bench-2397-17-op5",
        "fuel": "bench-2397-17-op5",
        "military_technology": "bench-2270-16-op8",
    }
    for cat, basis in goods_basis.items():
        add(
            _rule(
                f"BENCH-GOODS-{cat.upper().replace('_', '-')}",
                f"{cat} supplied to PRK",
                {
                    "g": {
                        "kind": "goods_supply",
                        "where": {"recipient": "PRK", "items.category": {"contains": cat}},
                    }
                },
                "{g.supplier} supplied {g.items.category} to North Korea.",
                basis=[basis],
                in_force="g",
                accountable=["g.supplier"],
                evidence={"binding": "g", "at_least": "alleged"},
            )
        )
    for s in ("CHN", "RUS"):
        add(
            _rule(
                f"BENCH-GOODS-MEMBER-{s}",
                f"Goods from {s}, a Member State, to PRK",
                {
                    "g": {"kind": "goods_supply", "where": {"recipient": "PRK", "supplier": s}},
                    "seller": {
                        "kind": "state",
                        "where": {"id": {"same_as": "g.supplier"}, "un_member": True},
                    },
                },
                "{seller.name} supplied goods to North Korea.",
                basis=["bench-2270-16-op8"],
                in_force="g",
                accountable=["g.supplier"],
            )
        )
    add(
        _rule(
            "BENCH-GOODS-UNROUTED",
            "Goods to PRK with no disguised route reported",
            {"g": {"kind": "goods_supply", "where": {"recipient": "PRK"}}},
            "{g.supplier} supplied goods openly.",
            unless={"r": {"kind": "routing", "where": {"concerns": {"same_as": "g.id"}}}},
            basis=["bench-2270-16-op8"],
            finding="context",
        )
    )
    # weapons tests
    for s in ("PRK", "IRN", "QAA", "QAB", "QAC", "QAD"):
        add(
            _rule(
                f"BENCH-LAUNCH-{s}",
                f"A ballistic launch by {s}",
                {
                    "w": {
                        "kind": "weapons_test",
                        "where": {"actor": s, "weapon_class": {"one_of": BALLISTIC}},
                    }
                },
                "{w.actor} launched: {w.summary}.",
                basis=["bench-1718-06-op5", "bench-2094-13-op2"],
                in_force="w",
                accountable=["w.actor"],
                evidence={"binding": "w", "at_least": "reported"},
            )
        )
    add(
        _rule(
            "BENCH-LAUNCH-RECENT",
            "Launches after 2017",
            {
                "w": {
                    "kind": "weapons_test",
                    "where": {"date": {"after": "2017-12-31"}, "weapon_class": "icbm"},
                }
            },
            "{w.actor} launched an ICBM after 2017.",
            basis=["bench-2094-13-op2"],
            in_force="w",
            finding="context",
        )
    )
    add(
        _rule(
            "BENCH-LAUNCH-OLD",
            "Launches before 2013 on record",
            {
                "w": {
                    "kind": "weapons_test",
                    "where": {"date": {"on_or_before": "2012-12-31"}, "weapon_class": "srbm"},
                }
            },
            "{w.actor} launched before 2013.",
            basis=["bench-1718-06-op5"],
            in_force="w",
            finding="context",
        )
    )
    add(
        _rule(
            "BENCH-NUCLEAR-TEST",
            "A nuclear test",
            {"w": {"kind": "weapons_test", "where": {"weapon_class": "nuclear_test"}}},
            "{w.actor} tested a nuclear device.",
            basis=["bench-1718-06-op5"],
            in_force="w",
            accountable=["w.actor"],
        )
    )
    # routing: joined to the transfer it conceals
    for s in ("PRK", "IRN", "QAA"):
        add(
            _rule(
                f"BENCH-ROUTING-{s}",
                f"{s} disguised the route of an arms transfer",
                {
                    "r": {"kind": "routing", "where": {"actor": s}},
                    "t": {"kind": "arms_transfer", "where": {"id": {"same_as": "r.concerns"}}},
                },
                "{r.actor} disguised the route of arms to {t.recipient}.",
                basis=["bench-2270-16-op29"],
                finding="evasion_indicator",
                in_force="r",
            )
        )
    add(
        _rule(
            "BENCH-ROUTING-TRANSIT",
            "A transit State is named",
            {"r": {"kind": "routing", "where": {"transit_states": {"exists": True}}}},
            "Shipments went through {r.transit_states}.",
            basis=["bench-2270-16-op29"],
            finding="evasion_indicator",
            in_force="r",
        )
    )
    # workers
    for status in ("completed", "in_progress", "planned"):
        add(
            _rule(
                f"BENCH-WORKERS-{status.upper().replace('_', '-')}",
                f"Workers abroad, {status}",
                {
                    "w": {
                        "kind": "worker_deployment",
                        "where": {"sending_state": "PRK", "status": status},
                    }
                },
                "North Korean workers in {w.territory}.",
                basis=["bench-2397-17-op8"],
                in_force="w",
                finding="possible_violation" if status != "planned" else "risk",
            )
        )
    add(
        _rule(
            "BENCH-WORKERS-UNCERTAIN",
            "Workers where the host is unclear",
            {
                "w": {
                    "kind": "worker_deployment",
                    "where": {"attribution": {"not": "certain"}, "sending_state": "PRK"},
                }
            },
            "Workers in {w.territory}; the host is unclear.",
            basis=["bench-2397-17-op8"],
            finding="risk",
        )
    )
    # trade links
    for mode in ("rail", "sea", "air"):
        add(
            _rule(
                f"BENCH-TRADE-{mode.upper()}",
                f"A {mode} link with PRK opened",
                {
                    "l": {
                        "kind": "trade_link",
                        "where": {
                            "parties": {"contains": "PRK"},
                            "mode": mode,
                            "action": {"one_of": ["opened", "resumed"]},
                        },
                    }
                },
                "A {l.mode} link between {l.parties} was {l.action}.",
                basis=["bench-2270-16-op8"],
                finding="risk",
            )
        )
    # votes, recognitions, diplomatic acts, statements
    add(
        _rule(
            "BENCH-VETO",
            "A veto",
            {"v": {"kind": "vote", "where": {"outcome": "vetoed"}}},
            "{v.vetoed_by} vetoed {v.draft}.",
            basis=["bench-2270-16-op8"],
            finding="context",
        )
    )
    add(
        _rule(
            "BENCH-VETO-RUS",
            "A veto by Russia",
            {"v": {"kind": "vote", "where": {"vetoed_by": {"contains": "RUS"}}}},
            "Russia vetoed {v.draft}.",
            basis=["bench-2270-16-op8"],
            finding="context",
        )
    )
    for s in ("PRK", "SYR"):
        add(
            _rule(
                f"BENCH-RECOGNITION-{s}",
                f"{s} recognised a territory",
                {"r": {"kind": "recognition", "where": {"recognising": s}}},
                "{r.recognising} recognised {r.recognised}.",
                basis=["bench-2270-16-op8"],
                finding="context",
            )
        )
    for act in ("summit", "rapprochement"):
        add(
            _rule(
                f"BENCH-DIPLOMACY-{act.upper()}",
                f"A {act} with PRK",
                {
                    "d": {
                        "kind": "diplomatic_act",
                        "where": {"actors": {"contains": "PRK"}, "act": act},
                    }
                },
                "A {d.act} between {d.actors}.",
                basis=["bench-2270-16-op8"],
                finding="context",
            )
        )
    add(
        _rule(
            "BENCH-ADMISSION",
            "A State admitted an act",
            {"a": {"kind": "admission", "where": {"by": {"one_of": EMBARGOED}}}},
            "{a.by} admitted: {a.summary}.",
            basis=["bench-2270-16-op8"],
            finding="risk",
        )
    )
    add(
        _rule(
            "BENCH-LEGAL-VIEW",
            "A legal characterisation",
            {"a": {"kind": "assessment", "where": {"nature": "legal_characterisation"}}},
            "{a.by} characterised an act: {a.summary}.",
            basis=["bench-2270-16-op8"],
            finding="context",
        )
    )
    # one derivation chain: transfer -> flow -> corridor -> finding
    add(
        _rule(
            "BENCH-CHAIN-FLOW",
            "Reports of arms from an embargoed supplier form a flow",
            {"t": {"kind": "arms_transfer", "where": {"supplier": {"one_of": EMBARGOED}}}},
            "Arms flow from {t.supplier} to {t.recipient}.",
            finding="derive",
            derive={
                "kind": "bench_flow",
                "fields": {"supplier": "t.supplier", "recipient": "t.recipient"},
                "key": ["supplier", "recipient"],
            },
        )
    )
    add(
        _rule(
            "BENCH-CHAIN-CORRIDOR",
            "A flow into a Member State is a corridor",
            {
                "f": {"kind": "bench_flow"},
                "s": {
                    "kind": "state",
                    "where": {"id": {"same_as": "f.recipient"}, "un_member": True},
                },
            },
            "A corridor into {s.name}.",
            finding="derive",
            derive={
                "kind": "bench_corridor",
                "fields": {"recipient": "f.recipient", "supplier": "f.supplier"},
                "key": ["recipient", "supplier"],
            },
        )
    )
    add(
        _rule(
            "BENCH-CHAIN-FINDING",
            "An arms corridor into a Member State",
            {"c": {"kind": "bench_corridor"}},
            "Arms corridor from {c.supplier} into {c.recipient} ({provisions}).",
            in_force="c",
            accountable=["c.recipient"],
        )
    )
    return rules
