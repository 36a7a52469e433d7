"""The `sanctions` command: validate, evaluate, sources, schema.

Exit codes: 0 clean, 1 problems found in the rules or facts, 2 usage or internal error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.diagnostics import Diagnostics, render_human, render_json
from engine.loader import FactSet, load_facts

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

_dir = click.Path(path_type=Path, file_okay=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sanctions-engine")
def main() -> None:
    """Flag possible breaches of UN Security Council sanctions in cited facts."""


def _report(diags: Diagnostics, fmt: str) -> None:
    items = diags.sorted()
    if fmt == "json":
        click.echo(render_json(items), err=True)
        return
    click.echo(render_human(items), err=True)
    errors = sum(1 for d in items if d.severity == "error")
    click.echo(f"{errors} problem{'s' if errors != 1 else ''} found.", err=True)


def load_all(facts_dir: Path, rules_dir: Path | None, diags: Diagnostics):  # type: ignore[no-untyped-def]
    """Load facts and, when asked, rules, collecting every problem of both in one pass."""
    facts = load_facts(facts_dir, diags)
    rules = None
    if rules_dir is not None:
        from engine.rules import load_rules  # imported late: `sources` needs no rules

        rules = load_rules(rules_dir, facts, diags)
    return facts, rules


@main.command()
@click.option("--facts", "facts_dir", type=_dir, default=Path("facts"), show_default=True)
@click.option("--rules", "rules_dir", type=_dir, default=Path("rules"), show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def validate(facts_dir: Path, rules_dir: Path, fmt: str) -> None:
    """Check every fact, source quote and rule; print each problem as file:line:col."""
    diags = Diagnostics()
    facts, rules = load_all(facts_dir, rules_dir if rules_dir.exists() else None, diags)
    if diags:
        _report(diags, fmt)
        sys.exit(EXIT_PROBLEMS)
    n_rules = len(rules.rules) if rules is not None else 0
    n_cites = sum(len(c) for c in facts.citations.values())
    click.echo(
        f"OK: {len(facts.facts)} facts, {n_cites} citations in {len(facts.sources)} "
        f"source(s), {n_rules} rules."
    )


@main.group(invoke_without_command=True)
@click.option("--facts", "facts_dir", type=_dir, default=Path("facts"), show_default=True)
@click.pass_context
def sources(ctx: click.Context, facts_dir: Path) -> None:
    """List the source documents facts may cite."""
    ctx.obj = facts_dir
    if ctx.invoked_subcommand is None:
        facts = _facts_or_exit(facts_dir)
        for sid, doc in sorted(facts.sources.items()):
            m = doc.meta
            click.echo(
                f"{sid}  {m.published}  {m.publisher}  \"{m.title}\"  "
                f"{len(doc.sentences)} sentences  sha256:{doc.sha256[:12]}"
            )


@sources.command("show")
@click.argument("source_id")
@click.pass_obj
def sources_show(facts_dir: Path, source_id: str) -> None:
    """Print a source's numbered sentences, to cite them."""
    facts = _facts_or_exit(facts_dir)
    doc = facts.sources.get(source_id)
    if doc is None:
        from engine.diagnostics import did_you_mean

        hint = did_you_mean(source_id, facts.sources) or "run 'sanctions sources' to list them"
        click.echo(f"error: no source '{source_id}'. {hint}", err=True)
        sys.exit(EXIT_USAGE)
    m = doc.meta
    click.echo(f"# {m.title}\n# {m.publisher}, {m.published}; url: {m.url or 'unknown'}")
    click.echo("# [role] marks text that is not the report itself (captions, teasers, date lines).")
    for s in doc.sentences:
        mark = "" if s.role == "body" else f"[{s.role}] "
        click.echo(f"{s.number:>3}  P{s.paragraph:<3} {mark}{s.text}")


def _facts_or_exit(facts_dir: Path) -> FactSet:
    diags = Diagnostics()
    facts = load_facts(facts_dir, diags)
    if diags:
        _report(diags, "text")
        sys.exit(EXIT_PROBLEMS)
    return facts


if __name__ == "__main__":  # pragma: no cover
    main()
