"""The `sanctions` command: validate, evaluate, sources, schema.

Exit codes: 0 clean, 1 problems found in the rules or facts, 2 usage or internal error.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from engine.render import FORMATS

# Each command imports what it needs when it runs: `--help` loads no model and `validate`
# never loads the rule engine (durable_rules), so both start as fast as Python allows
# (tests/test_perf_cold_imports.py).
if TYPE_CHECKING:
    from engine.diagnostics import Diagnostics
    from engine.language.lowered import RuleSet
    from engine.loader import FactSet

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

_dir = click.Path(path_type=Path, file_okay=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sanctions-engine")
def cli() -> None:
    """Flag possible breaches of UN Security Council sanctions in cited facts.

    Exit codes: 0 clean, 1 problems found in rules or facts, 2 usage or internal error.
    """


def main() -> NoReturn:
    """Entry point: a bug shows as one plain line and exit 2, not a traceback; Ctrl-C (or a
    termination signal) one line and exit 130 (128 + the signal), with no partial file."""
    _exit_now(run())


def run() -> int:
    """The command of sys.argv, to its exit code (what `main` runs, minus the exit)."""
    from engine.gc_tuning import for_batch_run
    from engine.outfile import Interrupted, signals_interrupt

    for_batch_run()
    # pydantic looks for plugins in every installed package's metadata when it builds its
    # first validator (4 ms of a cold evaluate); the command line uses none. Set
    # PYDANTIC_DISABLE_PLUGINS to an empty value to have them loaded all the same.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        with signals_interrupt():
            cli(standalone_mode=True)
    except Interrupted as stop:
        click.echo("Interrupted: stopped before the end; no output file was written.", err=True)
        return stop.exit_code
    except SystemExit as done:
        return _exit_code(done)
    except Exception as exc:  # noqa: BLE001 - last resort, only for bugs
        if os.environ.get("SANCTIONS_DEBUG"):
            raise
        click.echo(f"internal error: {exc!r}. Set SANCTIONS_DEBUG=1 to see where.", err=True)
        return EXIT_USAGE
    return EXIT_OK


def _exit_code(done: SystemExit) -> int:
    """As Python exits on SystemExit: None is 0, a number is itself, text is said and 1."""
    if done.code is None or isinstance(done.code, int):
        return done.code or 0
    click.echo(str(done.code), err=True)
    return 1


def _exit_now(code: int) -> NoReturn:
    """Exit without tearing the interpreter down: freeing every module and object one by one
    took about a tenth of a cold `sanctions evaluate` (issue 12), and a finished command
    holds nothing that needs it (every file is written and closed, every report line
    echoed and flushed). Under a profiler or a coverage tracer, Python exits as usual so
    that they can write their results."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: click said so
            stream.flush()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    os._exit(code)


def _usage_error(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _require_folder(folder: Path, option: str) -> None:
    """A missing folder, or one without a single YAML file, is a usage error (exit 2):
    evaluating nothing must not look like a clean result."""
    from engine.diagnostics import Diagnostics
    from engine.safefiles import find_yaml_files

    if not folder.exists():
        _usage_error(f"the {option} folder '{folder}' does not exist")
    if not folder.is_dir():
        _usage_error(f"{option} '{folder}' is a file; give the folder that holds the YAML files")
    if not find_yaml_files(folder, Diagnostics()) and not _holds_links(folder):
        _usage_error(f"the {option} folder '{folder}' holds no .yaml or .yml file")


def _holds_links(folder: Path) -> bool:
    """Refused links are reported by validation, not hidden behind 'holds no file'."""
    return any(p.is_symlink() for p in folder.rglob("*"))


def _report(diags: Diagnostics, fmt: str) -> None:
    from engine.diagnostics import render_human, render_json

    items = diags.sorted()
    if fmt == "json":
        click.echo(render_json(items), err=True)
        return
    click.echo(render_human(items), err=True)
    errors = sum(1 for d in items if d.severity == "error")
    click.echo(f"{errors} problem{'s' if errors != 1 else ''} found.", err=True)


def load_all(
    facts_dir: Path, rules_dir: Path | None, diags: Diagnostics
) -> tuple[FactSet, RuleSet | None]:
    """Load facts and, when asked, rules, collecting every problem of both in one pass."""
    from engine.language.load import load_rules
    from engine.loader import load_facts

    facts = load_facts(facts_dir, diags)
    rules = load_rules(rules_dir, facts, diags) if rules_dir is not None else None
    return facts, rules


@cli.command()
@click.option("--facts", "facts_dir", type=_dir, default=Path("facts"), show_default=True)
@click.option("--rules", "rules_dir", type=_dir, default=Path("rules"), show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    help="text for people; json, sarif or github (annotations) on standard output, for tools.",
)
def validate(facts_dir: Path, rules_dir: Path, fmt: str) -> None:
    """Check every fact, source quote and rule; print each problem as file:line:col."""
    from engine.diagnostics import Diagnostics

    _require_folder(facts_dir, "--facts")
    _require_folder(rules_dir, "--rules")
    diags = Diagnostics()
    facts, rules = load_all(facts_dir, rules_dir, diags)
    if fmt != "text":
        from engine.render.diagnostics import render_diagnostics

        click.echo(render_diagnostics(fmt, diags.sorted()), nl=False)
        sys.exit(EXIT_PROBLEMS if diags else EXIT_OK)
    if diags:
        _report(diags, fmt)
        sys.exit(EXIT_PROBLEMS)
    n_rules = len(rules.rules) if rules is not None else 0
    n_cites = sum(len(c) for c in facts.citations.values())
    click.echo(
        f"OK: {len(facts.facts)} facts, {n_cites} citations in {len(facts.sources)} "
        f"source(s), {n_rules} rules."
    )


@cli.command()
@click.option("--rules", "rules_dir", type=_dir, default=Path("rules"), show_default=True)
@click.option("--facts", "facts_dir", type=_dir, default=Path("facts"), show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="html: one self-contained page with the articles highlighted; markdown for "
    "briefings; sarif for code-scanning tools.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Write to this file instead of the screen (written whole, or not at all); "
    "'-' is the screen.",
)
@click.option(
    "--without",
    multiple=True,
    metavar="FACT_ID",
    help="Leave this fact out (what-if). May be given several times.",
)
@click.option("--timestamp", is_flag=True, help="Add the time of the run to the record.")
@click.option(
    "--source",
    "source_ids",
    multiple=True,
    metavar="SOURCE_ID",
    help="Evaluate only this article's facts, with the shared actors and provisions. "
    "May be given several times.",
)
def evaluate(
    rules_dir: Path,
    facts_dir: Path,
    fmt: str,
    output: Path | None,
    without: tuple[str, ...],
    timestamp: bool,
    source_ids: tuple[str, ...],
) -> None:
    """Validate, then run the rules on the facts and report findings."""
    from engine.diagnostics import Diagnostics
    from engine.durable_adapter import EngineError
    from engine.evaluate import evaluate as run_evaluation
    from engine.outfile import OutputError, check_output_target
    from engine.render import for_cli
    from engine.report import to_document

    _require_folder(facts_dir, "--facts")
    _require_folder(rules_dir, "--rules")
    output = None if output == Path("-") else output
    if output is not None:
        try:
            check_output_target(output, [facts_dir, rules_dir])
        except OutputError as exc:
            _usage_error(str(exc))
    diags = Diagnostics()
    facts, rules = load_all(facts_dir, rules_dir, diags)
    if source_ids and not diags:
        facts = _case_or_exit(facts, source_ids)
    for fid in without:
        if fid not in facts.facts:
            from engine.diagnostics import did_you_mean

            hint = did_you_mean(fid, facts.facts)
            click.echo(f"error: --without {fid}: no such fact. {hint}", err=True)
            sys.exit(EXIT_USAGE)
    if diags or rules is None:
        _report(diags, "text")
        click.echo("Nothing was evaluated: fix the problems above first.", err=True)
        sys.exit(EXIT_PROBLEMS)
    try:
        result = run_evaluation(facts, rules, without=frozenset(without))
    except EngineError as exc:
        click.echo(f"error: the evaluation failed: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    doc = to_document(result, facts, rules, timestamp=timestamp)
    text = for_cli(fmt, doc, facts, rules_dir, to_stdout=output is None)
    if output is None:
        click.echo(text, nl=False)
        return
    if _write_report(output, text):
        click.echo(f"Wrote {len(doc['findings'])} finding(s) to {output}.", err=True)


def _write_report(output: Path, text: str) -> bool:
    """Whole or not at all, through a unique temporary file (engine/outfile.py); True when
    a file was written (not the screen, a pipe or a device)."""
    from engine.outfile import OutputError, write_output

    try:
        return write_output(output, text)
    except OutputError as exc:
        _usage_error(str(exc))


@cli.command()
@click.argument("what", type=click.Choice(["rules", "facts", "source"]))
def schema(what: str) -> None:
    """Print the JSON Schema of rule files, fact files or source metadata, for editors."""
    import json

    from engine.schemas import schema_for

    click.echo(json.dumps(schema_for(what), indent=2, sort_keys=True))


@cli.group(invoke_without_command=True)
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
                f'{sid}  {m.published}  {m.publisher}  "{m.title}"  '
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


@sources.command("add")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--title", required=True, help="The article's headline.")
@click.option("--publisher", required=True, help="Who published it, e.g. 'Associated Press'.")
@click.option("--date", "published", required=True, metavar="YYYY-MM-DD", help="Publication date.")
@click.option("--url", default=None, help="Address of the original, when known.")
@click.option("--id", "source_id", default=None, help="Source id (default: from date and file).")
@click.pass_obj
def sources_add(
    facts_dir: Path,
    file: Path,
    title: str,
    publisher: str,
    published: str,
    url: str | None,
    source_id: str | None,
) -> None:
    """Copy an article's text into the sources folder and write its metadata."""
    from engine.source_add import SourceAddError, add_source

    try:
        added = add_source(facts_dir, file, title, publisher, published, url, source_id)
    except SourceAddError as exc:
        click.echo(f"error: {exc.message}\nhint: {exc.hint}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(added.summary())


def _case_or_exit(facts: FactSet, source_ids: tuple[str, ...]) -> FactSet:
    from engine.cases import UnknownSourceError, select_sources

    try:
        return select_sources(facts, source_ids)
    except UnknownSourceError as exc:
        click.echo(f"error: --source: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def _facts_or_exit(facts_dir: Path) -> FactSet:
    from engine.diagnostics import Diagnostics
    from engine.loader import load_facts

    _require_folder(facts_dir, "--facts")
    diags = Diagnostics()
    facts = load_facts(facts_dir, diags)
    if diags:
        _report(diags, "text")
        sys.exit(EXIT_PROBLEMS)
    return facts


from engine.render.commands import docs, explain, rules_group, what_if  # noqa: E402

cli.add_command(explain)
cli.add_command(rules_group)
cli.add_command(what_if)
cli.add_command(docs)

if __name__ == "__main__":  # pragma: no cover
    main()
