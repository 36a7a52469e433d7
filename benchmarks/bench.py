"""Benchmark: the project end to end against durable_rules alone, on a synthetic case.

    python benchmarks/bench.py --facts 20000          # project vs floor, one table
    python benchmarks/bench.py --facts 10000 --profile  # also where the project's time goes
    python benchmarks/bench.py --cold                 # cold `sanctions evaluate` vs bare imports
    python benchmarks/bench.py --rule-files 1000      # validating 1,000 rule files (1k facts)

--facts N generates a valid case of N facts and 55 rules (benchmarks/synthetic.py) as real
files in a temporary folder, then runs, each in a fresh process, one after the other:

  project  load + validate (facts, sources, quotes, rules), compile, evaluate, report (JSON),
           with the same functions `sanctions evaluate --format json` calls; twice, with
           its caches (sentence splits, validated fact files) in a new folder of their own:
           the first run fills them; then one fact of one file is reworded and the rerun
           is the run compared, as an analyst reruns after an edit;
  floor    the same compiled rule sets (engine.compiler.compile_rules(...).as_json()) and the
           same encoded facts (engine.encoding.encode, in engine.compiler.assert_order order,
           with the session id and id mirror the adapter adds), asserted one by one straight
           into durable_rules: a Host whose background dispatcher is disabled, one session,
           a no-op action, no project code. Its input is written by the project process after
           its own timing has stopped.

Times are wall-clock seconds inside each process from its first line (imports included);
peak memory is the process's own resource.getrusage(RUSAGE_SELF).ru_maxrss. The last line is
`ratio=<project/floor wall time> project_s=<s> floor_s=<s> peak_mb=<MB> floor_peak_mb=<MB>`,
of the rerun.
This is a measurement, not a test: nothing here passes or fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

T_START = time.perf_counter()
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

FLOOR_RULES = "floor-rules.json"
FLOOR_FACTS = "floor-facts.jsonl"
PHASES = ("import", "load + validate", "compile", "evaluate", "report (JSON)")


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _cpu_s() -> float:
    """CPU time of this process so far: less disturbed than wall time on a shared machine."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the project, in its own process -------------------------------------------------------


def child_project(work: Path, profile: bool) -> dict[str, Any]:
    os.chdir(work)  # paths in diagnostics and the report are relative, as for an analyst
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
    times: dict[str, float] = {}
    stats: dict[str, Any] = {}
    peaks: dict[str, float] = {}  # peak memory once each phase is over
    cpus: dict[str, float] = {}

    def phase(name: str, fn: Any) -> Any:
        t, c = time.perf_counter(), _cpu_s()
        if prof is not None:
            prof.enable()
        try:
            return fn()
        finally:
            if prof is not None:
                prof.disable()
                prof.dump_stats(str(work / f"profile-{_slug(name)}.prof"))
                prof.clear()
            times[name] = time.perf_counter() - t
            cpus[name] = _cpu_s() - c
            peaks[name] = _peak_mb()

    def imports() -> Any:
        from engine.cli import load_all
        from engine.compiler import compile_rules
        from engine.diagnostics import Diagnostics
        from engine.durable_adapter import EngineError
        from engine.evaluate import evaluate
        from engine.report import to_document, to_json

        return load_all, compile_rules, Diagnostics, EngineError, evaluate, to_document, to_json

    load_all, compile_rules, Diagnostics, EngineError, evaluate, to_document, to_json = imports()
    from engine.gc_tuning import for_batch_run

    for_batch_run()  # as `sanctions` does in engine.cli.main
    times["import"] = time.perf_counter() - T_START  # from interpreter start
    peaks["import"] = _peak_mb()
    diags = Diagnostics()
    facts, rules = phase("load + validate", lambda: load_all(Path("facts"), Path("rules"), diags))
    if diags or rules is None:
        from engine.diagnostics import render_human

        raise SystemExit("the generated case does not validate:\n" + render_human(diags.sorted()))
    compiled = phase("compile", lambda: compile_rules(rules))
    try:
        result = phase("evaluate", lambda: evaluate(facts, rules))
    except EngineError as exc:
        stats["error"] = str(exc)
        result = None
    if result is not None:

        def report() -> int:
            text = to_json(to_document(result, facts, rules))
            (work / "findings.json").write_text(text, encoding="utf-8")
            return len(text)

        stats["report_bytes"] = phase("report (JSON)", report)
        stats["findings"] = len(result.findings)
        stats["not_flagged"] = len(result.not_flagged)
        stats["derived"] = len(result.derived)
        stats["collisions"] = len(result.collisions)
    total = time.perf_counter() - T_START
    peak, cpu = _peak_mb(), _cpu_s()
    _write_floor_input(work, facts, compiled)  # after timing: not part of the measurement
    return {
        "times": times,
        "total": total,
        "cpu_s": cpu,
        "peak_mb": peak,
        "peaks": peaks,
        "cpus": cpus,
        "stats": stats,
        "facts": len(facts.facts),
        "rules": len(rules.rules),
    }


def _write_floor_input(work: Path, facts: Any, compiled: Any) -> None:
    from engine.compiler import ID_MIRROR, assert_order
    from engine.encoding import encode

    (work / FLOOR_RULES).write_text(
        json.dumps({"name": compiled.name, "rules": compiled.as_json()}), encoding="utf-8"
    )
    encoded = {fid: encode(f) for fid, f in facts.facts.items()}
    with (work / FLOOR_FACTS).open("w", encoding="utf-8") as out:
        for fact in assert_order(encoded, compiled.gates):  # exactly what the adapter asserts
            out.write(json.dumps(dict(fact, sid="1", **{ID_MIRROR: fact["id"]})) + "\n")


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name).strip("-")


# -- the floor: durable_rules alone, in its own process -------------------------------------


def child_floor(work: Path) -> dict[str, Any]:
    times: dict[str, float] = {}
    from durable import engine as durable

    class Host(durable.Host):  # type: ignore[misc]
        def _run(self) -> None:  # no background dispatcher: actions run in our thread
            return None

    times["import"] = time.perf_counter() - T_START
    cpu_import = _cpu_s()
    spec = json.loads((work / FLOOR_RULES).read_text(encoding="utf-8"))
    lines = (work / FLOOR_FACTS).read_text(encoding="utf-8").splitlines()
    t = time.perf_counter()
    times["read input (untimed)"] = t - T_START - times["import"]
    cpu_read = _cpu_s() - cpu_import

    def nothing(c: Any) -> None:
        return None

    for rule in spec["rules"].values():
        rule["run"] = nothing
    host = Host()
    host.set_rulesets({spec["name"]: spec["rules"]})
    t2 = time.perf_counter()
    times["register rule sets"] = t2 - t
    counts = {"asserted": 0, "not_handled": 0, "already_observed": 0}
    for line in lines:
        try:
            host.assert_fact(spec["name"], json.loads(line))
            counts["asserted"] += 1
        except durable.MessageNotHandledException:
            counts["not_handled"] += 1
        except durable.MessageObservedException:  # the 32-bit identity table's collisions
            counts["already_observed"] += 1
    host.delete_state(spec["name"], "1")
    t3 = time.perf_counter()
    times["assert facts"] = t3 - t2
    total = times["import"] + times["register rule sets"] + times["assert facts"]
    return {
        "times": times,
        "total": total,
        "cpu_s": _cpu_s() - cpu_read,
        "peak_mb": _peak_mb(),
        "stats": counts,
    }


# -- the parent ----------------------------------------------------------------------------


def _run_child(which: str, work: Path, *extra: str) -> dict[str, Any]:
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", which, str(work), *extra],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"the {which} process failed (exit {proc.returncode})")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_wall"] = wall
    return out


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


EDITED_FILE = Path("facts") / "reports" / "bench-source-0001.yaml"


def edit_one_fact(work: Path) -> str:
    """An analyst's edit: one fact's summary reworded in one facts file (the next run must
    read that file again, and may take the others from the cache)."""
    path = work / EDITED_FILE
    text = path.read_text(encoding="utf-8")
    marker = "\n  summary: "
    at = text.index(marker) + len(marker)
    path.write_text(text[:at] + "Reworded " + text[at:], encoding="utf-8")
    return str(EDITED_FILE)


def run_facts(n: int, seed: int, keep: Path | None, profile: bool) -> None:
    from benchmarks.synthetic import generate

    tmp = None
    if keep is None:
        tmp = tempfile.TemporaryDirectory(prefix="sanctions-bench-")
        work = Path(tmp.name)
    else:
        work = keep
        work.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    case = generate(n, work, seed=seed)
    gen_s = time.perf_counter() - t
    print(f"machine: {machine()}; load average before: {_load()}")
    kinds = ", ".join(f"{k} {v}" for k, v in case.counts.items())
    print(
        f"case: {case.n_facts} facts ({kinds}); {case.n_rules} rules; "
        f"{case.n_sources} sources; generated in {gen_s:.1f} s into {work}"
    )
    # The project's caches (sentence splits, validated fact files) start empty in a folder of
    # their own: the first run fills them, as an analyst's first evaluation does; the
    # compared run is the next one, after an edit to one fact.
    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["SANCTIONS_CACHE"] = str(cache)
    first = _run_child("project", work)
    edited = edit_one_fact(work)
    project = _run_child("project", work, *(["--profile"] if profile else []))
    floor = _run_child("floor", work)
    print(f"load average after: {_load()} (other work on the machine slows wall times)")
    if profile:
        print("profiled run: cProfile slows the project's phases about 1.5 to 3 times")
    print(
        f"first run: caches empty; rerun: after rewording one fact in {edited}, "
        "as an analyst reruns after an edit (the compared run)"
    )
    _table(first, project, floor)
    if profile:
        _profile_report(work)
    for run in (first, project):
        if "error" in run["stats"]:
            print(f"project evaluation failed: {run['stats']['error']}")
    ratio = project["total"] / floor["total"]
    print(
        f"ratio={ratio:.2f} project_s={project['total']:.2f} floor_s={floor['total']:.2f} "
        f"peak_mb={project['peak_mb']:.0f} floor_peak_mb={floor['peak_mb']:.0f}"
    )
    if tmp is not None:
        tmp.cleanup()


def _table(first: dict[str, Any], project: dict[str, Any], floor: dict[str, Any]) -> None:
    rows: list[tuple[str, str, str, str]] = []
    ft = floor["times"]

    def phase(run: dict[str, Any], name: str) -> str:
        if name not in run["times"]:
            return "-"
        cpu = run["cpus"].get(name, 0.0)
        return f"{run['times'][name]:.2f} cpu {cpu:.2f} ({run['peaks'][name]:.0f} MB)"

    rows.append(
        (
            "import (from process start)",
            f"{first['times']['import']:.2f}",
            f"{project['times']['import']:.2f}",
            f"{ft['import']:.2f}",
        )
    )
    for name in PHASES[1:]:
        rows.append((name, phase(first, name), phase(project, name), ""))
    rows.append(
        ("register rule sets", "(in evaluate)", "(in evaluate)", f"{ft['register rule sets']:.2f}")
    )
    rows.append(("assert facts", "(in evaluate)", "(in evaluate)", f"{ft['assert facts']:.2f}"))
    for label, key, fmt in (
        ("total (compared)", "total", "{:.2f}"),
        ("CPU time of the same (user + system)", "cpu_s", "{:.2f}"),
        ("process wall, seen by the parent", "process_wall", "{:.2f}"),
        ("peak memory (MB, ru_maxrss)", "peak_mb", "{:.0f}"),
    ):
        rows.append(
            (label, fmt.format(first[key]), fmt.format(project[key]), fmt.format(floor[key]))
        )
    width = max(len(r[0]) for r in rows)
    print(
        f"{'seconds (peak memory so far)':<{width}}  {'first run':>25}  {'rerun':>25}  {'floor':>6}"
    )
    for name, a, b, c in rows:
        print(f"{name:<{width}}  {a:>25}  {b:>25}  {c:>6}")
    s, fs = project["stats"], floor["stats"]
    print(
        f"project: {project['facts']} facts, {project['rules']} rules, "
        f"{s.get('findings', '-')} findings, {s.get('not_flagged', '-')} not flagged, "
        f"{s.get('derived', '-')} derived facts, report {s.get('report_bytes', 0) / 1e6:.1f} MB, "
        f"{s.get('collisions', 0)} facts asserted again after a hash collision"
    )
    print(
        f"floor: {fs['asserted']} facts stored, {fs['not_handled']} not handled, "
        f"{fs['already_observed']} rejected as already observed (hash collisions)"
    )


def _profile_report(work: Path, top: int = 12) -> None:
    """Per phase: own time summed by package or project module, then the project's
    functions and the library functions they call, by cumulative time (callees included)."""
    import pstats

    for name in PHASES[1:]:
        path = work / f"profile-{_slug(name)}.prof"
        if not path.exists():
            continue
        st = pstats.Stats(str(path))
        raw: dict[Any, Any] = st.stats  # type: ignore[attr-defined]
        total = sum(v[2] for v in raw.values()) or 1e-9
        print(f"\nprofile of '{name}' ({total:.2f} s under cProfile)")
        by_group: dict[str, float] = {}
        for (file, _, _), v in raw.items():
            by_group[_group(file)] = by_group.get(_group(file), 0.0) + v[2]
        shares = sorted(by_group.items(), key=lambda kv: -kv[1])[:top]
        print(
            "  own time by package: " + ", ".join(f"{g} {100 * t / total:.0f}%" for g, t in shares)
        )
        # the project's functions, and the library functions they call directly
        ours = [
            (k, v)
            for k, v in raw.items()
            if "/engine/" in k[0] or any("/engine/" in c[0] for c in v[4])
        ]
        for (file, line, func), v in sorted(ours, key=lambda kv: -kv[1][3])[:top]:
            print(
                f"  {100 * v[3] / total:5.1f}% cum {v[3]:6.2f} s {v[1]:>8} calls  "
                f"{_short(file)}:{line}:{func}"
            )


def _group(file: str) -> str:
    if "site-packages/" in file:
        return file.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if "/engine/" in file:
        return "engine/" + file.split("/engine/", 1)[1]
    if "/lib/python3" in file:
        return "stdlib " + file.split("/lib/python3", 1)[1].split("/", 2)[1].removesuffix(".py")
    return "builtins" if file == "~" else _short(file)


def _short(file: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/", "/lib/python3.11/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def run_rule_files(n_rules: int, n_facts: int = 1000) -> None:
    """Time `sanctions validate` of n_rules rule files against a case of n_facts facts: the
    facts and the rules are loaded and checked separately, in a fresh process."""
    from benchmarks.synthetic import generate

    with tempfile.TemporaryDirectory(prefix="sanctions-bench-rules-") as tmp:
        work = Path(tmp)
        case = generate(n_facts, work, n_rules=n_rules)
        print(f"machine: {machine()}; load average before: {_load()}")
        out = _run_child("validate", work)
        t = out["times"]
        print(
            f"{case.n_rules} rule files, {case.n_facts} facts: import {t['import']:.2f} s, "
            f"facts {t['load facts']:.2f} s, rules {t['load + check rules']:.2f} s, "
            f"{out['stats']['problems']} problems, peak {out['peak_mb']:.0f} MB"
        )
        print(f"rule_files={case.n_rules} rules_s={t['load + check rules']:.2f}")


def child_validate(work: Path) -> dict[str, Any]:
    os.chdir(work)
    from engine.diagnostics import Diagnostics
    from engine.language.load import load_rules
    from engine.loader import load_facts

    times = {"import": time.perf_counter() - T_START}
    diags = Diagnostics()
    t = time.perf_counter()
    facts = load_facts(Path("facts"), diags)
    times["load facts"] = time.perf_counter() - t
    t = time.perf_counter()
    rules = load_rules(Path("rules"), facts, diags)
    times["load + check rules"] = time.perf_counter() - t
    return {
        "times": times,
        "peak_mb": _peak_mb(),
        "stats": {"problems": len(diags), "rules": len(rules.rules)},
    }


def run_cold(runs: int) -> None:
    """Median wall time of a cold `sanctions evaluate` of the bundled article, against a bare
    `python -c "import pydantic, yaml, durable.engine"`, alternating the two. Each is a new
    process; the project's caches (engine/fact_cache.py, engine/sentence_cache.py) are in a
    folder of the benchmark's own, filled by a first, untimed run, as on an analyst's
    machine after the first evaluation. The same command with empty caches (a new folder
    each time: the first evaluation ever) is timed too, and shown beside."""
    exe = Path(sys.executable)
    cli = exe.parent / "sanctions"
    evaluate = (
        [str(cli), "evaluate"] if cli.exists() else [str(exe), "-m", "engine.cli", "evaluate"]
    )
    bare = [str(exe), "-c", "import pydantic, yaml, durable.engine"]
    # As on an analyst's machine, Python keeps compiled modules (__pycache__): pip compiled the
    # libraries at install, and the project's own modules are compiled by the first run, here
    # an untimed one. With PYTHONDONTWRITEBYTECODE set (as in some sandboxes) every run would
    # compile the project's 60 modules again, and only the project's, not the libraries'.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[float]] = {"evaluate": [], "bare": [], "empty caches": []}
    with tempfile.TemporaryDirectory(prefix="sanctions-bench-cold-") as tmp:
        filled = dict(env, SANCTIONS_CACHE=str(Path(tmp) / "filled"))
        for run in range(runs + 1):
            empty = dict(env, SANCTIONS_CACHE=str(Path(tmp) / f"empty-{run}"))
            for name, cmd, cmd_env in (
                ("evaluate", evaluate, filled),
                ("bare", bare, env),
                ("empty caches", evaluate, empty),
            ):
                t = time.perf_counter()
                subprocess.run(
                    cmd,
                    cwd=ROOT,
                    env=cmd_env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                if run:  # run 0 writes the compiled modules and fills the caches
                    times[name].append(time.perf_counter() - t)
    ev, b = statistics.median(times["evaluate"]), statistics.median(times["bare"])
    first = statistics.median(times["empty caches"])
    print(f"machine: {machine()}")
    print(
        f"cold `sanctions evaluate` (bundled article), median of {runs}: {ev:.3f} s "
        f"(min {min(times['evaluate']):.3f})"
    )
    print(
        f"the same with empty caches (a first evaluation), median of {runs}: {first:.3f} s "
        f"({first / b:.2f} times the bare import)"
    )
    print(
        f'bare `python -c "import pydantic, yaml, durable.engine"`, median of {runs}: '
        f"{b:.3f} s (min {min(times['bare']):.3f})"
    )
    print(f"cold_ratio={ev / b:.2f} evaluate_s={ev:.3f} bare_import_s={b:.3f}")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--facts", type=int, metavar="N", help="size of the synthetic case")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--cold", action="store_true", help="cold start of the bundled article")
    mode.add_argument(
        "--rule-files",
        type=int,
        metavar="R",
        help="time the validation of R rule files (against --facts, by default 1,000)",
    )
    mode.add_argument("--child", nargs=2, metavar=("WHICH", "DIR"), help=argparse.SUPPRESS)
    p.add_argument("--seed", type=int, default=12)
    p.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    p.add_argument(
        "--profile",
        action="store_true",
        help="profile the project's phases with cProfile (slower; top functions)",
    )
    p.add_argument("--runs", type=int, default=7, help="runs of each command for --cold")
    args = p.parse_args(argv)
    if args.child:
        which, work = args.child
        if which == "project":
            out = child_project(Path(work), args.profile)
        elif which == "validate":
            out = child_validate(Path(work))
        else:
            out = child_floor(Path(work))
        print(json.dumps(out))
        return
    if args.cold:
        run_cold(args.runs)
        return
    if args.rule_files:
        run_rule_files(args.rule_files, args.facts or 1000)
        return
    if not args.facts:
        p.error("give --facts N, --rule-files R or --cold")
    run_facts(args.facts, args.seed, args.keep, args.profile)


if __name__ == "__main__":
    main()
