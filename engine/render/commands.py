"""The commands that read findings to people: explain, rules, what-if and docs.

They are registered on the `sanctions` group in engine/cli.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from engine.diagnostics import Diagnostics, did_you_mean

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
_dir = click.Path(path_type=Path, file_okay=False)
_facts_option = click.option(
    "--facts", "facts_dir", type=_dir, default=Path("facts"), show_default=True
)
_rules_option = click.option(
    "--rules", "rules_dir", type=_dir, default=Path("rules"), show_default=True
)
_features_option = click.option(
    "--features", "features_dir", type=_dir, default=Path("features"), show_default=True
)


def _loaded(facts_dir: Path, rules_dir: Path) -> tuple[Any, Any]:
    """Facts and rules, or the problems and exit 1 (nothing is evaluated on bad input)."""
    from engine.cli import _report, load_all

    diags = Diagnostics()
    facts, rules = load_all(facts_dir, rules_dir, diags)
    if diags or rules is None:
        _report(diags, "text")
        click.echo("Nothing was evaluated: fix the problems above first.", err=True)
        sys.exit(EXIT_PROBLEMS)
    return facts, rules


def _document(facts: Any, rules: Any, without: frozenset[str] = frozenset()) -> dict[str, Any]:
    from engine.durable_adapter import EngineError
    from engine.evaluate import evaluate
    from engine.report import to_document

    try:
        result = evaluate(facts, rules, without=without)
    except EngineError as exc:
        click.echo(f"error: the evaluation failed: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    return to_document(result, facts, rules)


def _usage(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


# -- explain ---------------------------------------------------------------------------------


@click.command()
@click.argument("finding_id", required=False)
@click.option(
    "--rule",
    "rule_id",
    metavar="RULE_ID",
    help="Why this rule did not fire (or was set aside): the conditions that failed for the "
    "nearest facts, and what fact would have been needed.",
)
@_facts_option
@_rules_option
def explain(finding_id: str | None, rule_id: str | None, facts_dir: Path, rules_dir: Path) -> None:
    """Say in plain words why a finding was flagged: its quotes with their source and
    sentence number, the denials beside them, and the legal checks. With --rule, why a
    rule did not fire.

    FINDING_ID is the id shown by `evaluate --format json` (or a prefix naming one finding,
    e.g. the rule id when the rule fired once).
    """
    from engine.render import terminal
    from engine.render.catalog import load_catalog
    from engine.render.explain import explain as explain_text
    from engine.render.explain import find

    if (finding_id is None) == (rule_id is None):
        _usage("give a FINDING_ID, or --rule RULE_ID to ask why a rule did not fire")
    facts, rules = _loaded(facts_dir, rules_dir)
    if rule_id is not None:
        _why_not(facts, rules, rule_id)
        return
    assert finding_id is not None
    doc = _document(facts, rules)
    finding, flagged, fits = find(doc, finding_id)
    if finding is None:
        if fits:
            _usage(
                f"'{finding_id}' fits {len(fits)} findings: {', '.join(fits)}. Give more of the id."
            )
        ids = [f["id"] for f in doc["findings"]]
        hint = did_you_mean(finding_id, ids) or (
            "run 'sanctions evaluate --format json' to see the ids of the findings"
        )
        _usage(f"no finding '{finding_id}'. {hint}")
        return
    catalog = load_catalog(rules_dir)
    summaries = {fid: str(getattr(f, "summary", "")) for fid, f in facts.facts.items()}
    width, _ = terminal()
    click.echo(
        explain_text(
            doc, finding, flagged, catalog.get(finding["rule"]["id"]), summaries, width=width
        ),
        nl=False,
    )


def _why_not(facts: Any, rules: Any, rule_id: str) -> None:
    from engine.durable_adapter import EngineError
    from engine.evaluate import evaluate
    from engine.why_not import explain_rule

    checked = rules.by_id().get(rule_id)
    if checked is None:
        hint = did_you_mean(rule_id, rules.by_id()) or "run 'sanctions rules' to list them"
        _usage(f"no rule '{rule_id}'. {hint}")
    try:
        ev = evaluate(facts, rules)
    except EngineError as exc:
        _usage(f"the evaluation failed: {exc}")
    click.echo(explain_rule(checked, facts, ev), nl=False)


# -- rules -----------------------------------------------------------------------------------


@click.group("rules", invoke_without_command=True)
@_facts_option
@_rules_option
@_features_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def rules_group(
    ctx: click.Context, facts_dir: Path, rules_dir: Path, features_dir: Path, fmt: str
) -> None:
    """List the rules: id, title, finding kind, provisions and status."""
    ctx.obj = (facts_dir, rules_dir, features_dir)
    if ctx.invoked_subcommand is not None:
        return
    from engine.render.catalog import load_catalog

    _loaded(facts_dir, rules_dir)
    catalog = load_catalog(rules_dir)
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in catalog.values()], indent=2))
        return
    for r in sorted(catalog.values(), key=lambda r: r.id):
        click.echo(f"{r.id}  [{r.status}]  {r.finding}  {', '.join(r.legal_basis) or '-'}")
        click.echo(f"    {r.title}")


@rules_group.command("show")
@click.argument("rule_id")
@click.pass_obj
def rules_show(obj: tuple[Path, Path, Path], rule_id: str) -> None:
    """Print one rule: what it flags, why, its legal basis and its feature scenarios."""
    from engine.render.catalog import load_catalog, load_scenarios, scenarios_for

    facts_dir, rules_dir, features_dir = obj
    facts, _ = _loaded(facts_dir, rules_dir)
    catalog = load_catalog(rules_dir)
    rule = catalog.get(rule_id)
    if rule is None:
        hint = did_you_mean(rule_id, catalog) or "run 'sanctions rules' to list them"
        _usage(f"no rule '{rule_id}'. {hint}")
        return
    click.echo(f"{rule.id}: {rule.title}")
    click.echo(f"  file: {rule.file}")
    click.echo(
        f"  status: {rule.status}; finding: {rule.finding}; severity: {rule.severity}; "
        f"confidence: {rule.confidence}"
    )
    if rule.rationale:
        click.echo(f"  why: {rule.rationale}")
    if rule.message:
        click.echo(f"  says: {rule.message}")
    if rule.legal_basis:
        click.echo("  legal basis:")
        for pid in rule.legal_basis:
            p = facts.facts.get(pid)
            label = p.label() if p is not None and hasattr(p, "label") else pid
            confirmed = getattr(p, "paragraph_confirmed", True)
            click.echo(
                f"    {pid}: {label}" + ("" if confirmed else " (paragraph number unconfirmed)")
            )
    found = scenarios_for(rule.id, load_scenarios(features_dir)) if features_dir.is_dir() else []
    click.echo(f"  scenarios ({len(found)}):")
    for sc in found:
        click.echo(f"    {sc.file}:{sc.line}: {sc.name}")
        for step in sc.steps:
            click.echo(f"      {step}")


# -- what-if ---------------------------------------------------------------------------------


@click.command("what-if")
@_facts_option
@_rules_option
@click.option("--without", multiple=True, metavar="FACT_ID", help="Leave this fact out.")
@click.option(
    "--without-source",
    multiple=True,
    metavar="SOURCE_ID",
    help="Leave out every event and statement quoted only from this source.",
)
@click.option(
    "--believe",
    multiple=True,
    metavar="DENIAL_ID",
    help="Believe this denial: leave out the events it is about.",
)
@click.option("--believe-denials", is_flag=True, help="Believe every denial.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def what_if(
    facts_dir: Path,
    rules_dir: Path,
    without: tuple[str, ...],
    without_source: tuple[str, ...],
    believe: tuple[str, ...],
    believe_denials: bool,
    fmt: str,
) -> None:
    """Evaluate as if facts, whole sources or denials were otherwise, and list the findings
    that fall away or change, against the evaluation of everything."""
    from engine.render.whatif import build_scenario, denial_ids, diff, diff_text

    facts, rules = _loaded(facts_dir, rules_dir)
    problems = []
    for fid in without:
        if fid not in facts.facts:
            problems.append(f"--without {fid}: no such fact. {did_you_mean(fid, facts.facts)}")
    for sid in without_source:
        if sid not in facts.sources:
            hint = did_you_mean(sid, facts.sources) or "run 'sanctions sources' to list them"
            problems.append(f"--without-source {sid}: no such source. {hint}")
    denials = denial_ids(facts)
    for did in believe:
        if did not in denials:
            hint = did_you_mean(did, denials) or f"the denials are: {', '.join(denials)}"
            problems.append(f"--believe {did}: no such denial. {hint}")
    if problems:
        for p in problems:
            click.echo(f"error: {p.strip()}", err=True)
        sys.exit(EXIT_USAGE)
    if not (without or without_source or believe or believe_denials):
        _usage("say what to change: --without, --without-source, --believe or --believe-denials")
    chosen = denials if believe_denials else sorted(set(believe))
    scenario = build_scenario(facts, list(without), list(without_source), chosen)
    base = _document(facts, rules)
    other = _document(facts, rules, frozenset(scenario.left_out))
    result = diff(base, other, scenario)
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(diff_text(result), nl=False)


# -- docs ------------------------------------------------------------------------------------


@click.command("docs")
@_facts_option
@_rules_option
@_features_option
@click.option(
    "--output",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write the documentation to (index.md and rules/<ID>.md).",
)
@click.option(
    "--junit",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A `pytest --junitxml` file: each scenario shows whether it passed.",
)
def docs(
    facts_dir: Path, rules_dir: Path, features_dir: Path, out_dir: Path, junit: Path | None
) -> None:
    """Build living documentation: a page per rule and an index of provisions."""
    from engine.render.catalog import load_catalog, load_scenarios
    from engine.render.livedocs import build, scenario_results

    facts, rules = _loaded(facts_dir, rules_dir)
    doc = _document(facts, rules)
    provisions = {fid: f for fid, f in facts.facts.items() if f.kind == "provision"}
    scenarios = load_scenarios(features_dir) if features_dir.is_dir() else []
    try:
        results = scenario_results(junit)
    except Exception as exc:  # noqa: BLE001 - a bad file is the user's, said in one line
        _usage(f"--junit {junit}: cannot read it as a JUnit XML file: {exc}")
        return
    try:
        written = build(out_dir, load_catalog(rules_dir), provisions, scenarios, doc, results)
    except OSError as exc:
        _usage(f"cannot write to '{out_dir}': {exc.strerror or exc}")
        return
    click.echo(f"Wrote {len(written)} page(s) to {out_dir}.", err=True)
