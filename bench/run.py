"""Benchmark presskit builds against WeasyPrint's own floor, on a synthetic project.

    python bench/run.py [--quick] [--runs N] [--events N]      (or: make bench)
    python bench/run.py --scenario limits --scenario yaml --compare-ref 972746c

Scenarios: `main` (the default) measures builds, rebuilds, startup and memory; `limits` measures
this tree against an earlier commit (`--compare-ref`, extracted with `git archive`): `--help`,
`validate` and a full build, each run alternately on both; `floor` measures each tree's cold
build against WeasyPrint alone on that tree's own HTML, the trees in turns (`--compare-ref`);
`yaml` runs `validate` on a 10,000-question project with each YAML parsing path (and the
earlier commit's, if given); `gc` runs `validate` with and without the collector tuning that
issue 11 removed from the CLI.

Everything is measured in subprocesses, side by side in one invocation, and reported as the
median of several runs: timings on a shared machine are noisy, ratios hold better. Prints a
Markdown table and writes the figures as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_project

HERE = Path(__file__).parent
REPO = HERE.parent
PYTHON = sys.executable
# `python -m presskit` with PYTHONPATH set (see ENV), so that a tree is measured, not whatever
# is installed, and this tree and an earlier one start the same way.
PRESSKIT = [PYTHON, "-m", "presskit"]

# The floor: the final HTML of every PDF the build made (from --debug-html), rendered by
# WeasyPrint alone in one process, with the same PDF variant presskit uses (tagged PDF/UA costs
# more than the default). Every PDF means both folders a build writes: the output folder and its
# private sibling (`<out>-private`), which since issue 17 holds each event's talent brief; before
# 2026-12-02 the floor rendered the output folder's PDFs only, so a build made 250 PDFs against
# a floor of 200. "plain" is HTML(...).write_pdf() only; "shared" also reuses one
# FontConfiguration, as presskit does, which is the fastest plain WeasyPrint gets.
FLOOR = """
import sys
from pathlib import Path
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
root, src, dst, variant = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
fonts = {"font_config": FontConfiguration()} if sys.argv[5] == "shared" else {}
for folder in (src, src.with_name(src.name + "-private")):
    for html in sorted(folder.glob("*/*.html")):
        if html.with_suffix(".pdf").exists():
            target = dst / folder.name / html.parent.name / html.with_suffix(".pdf").name
            target.parent.mkdir(parents=True, exist_ok=True)
            HTML(string=html.read_text(encoding="utf-8"), base_url=str(root)).write_pdf(
                target, pdf_variant=variant, **fonts)
"""
# Measure as a user runs it: with bytecode caches (this machine's environment turns them off).
BASE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def tree_env(tree: Path) -> dict[str, str]:
    """The environment that runs presskit from the package in `tree`."""
    return {**BASE_ENV, "PYTHONPATH": str(tree)}


ENV = tree_env(REPO)

# `presskit` with `parse` of its YAML module forced onto one path: argv[1] names the path.
# Knows this tree (`parse(..., libyaml=False)`) and the three paths before issue 11.
YAML_DRIVER = """
import functools, sys
try:
    from presskit.project import yamlfile
except ImportError:  # the flat layout before issue 11
    from presskit import yamlfile
path = sys.argv.pop(1)
def nodes(text, name, limits=yamlfile.DEFAULT_LIMITS):
    return yamlfile._parse_nodes(text, name, limits)
if path == "reference" and hasattr(yamlfile, "_parse_nodes"):
    yamlfile._fast_compose = lambda *_: None
    yamlfile.parse = nodes
elif path == "reference":
    yamlfile.parse = functools.partial(yamlfile.parse, libyaml=False)
elif path == "nodes":
    yamlfile.parse = nodes
elif path != "shipped":
    raise SystemExit(f"unknown path {path}")
from presskit.cli import main
main()
"""

# `presskit` with the collector paused while the loader is imported and frozen after, as the
# CLI did before issue 11: argv[1] says whether ("gc") or not ("plain").
GC_DRIVER = """
import gc, sys
if sys.argv.pop(1) == "gc":
    gc.disable()
    from presskit.project.loading import load_project
    gc.enable()
    gc.freeze()
from presskit.cli import main
main()
"""

# Runs a command, samples the resident memory of its whole process tree, and reports both that
# peak and ru_maxrss (the largest single process, workers included once they have exited).
MEMORY = """
import json, os, resource, subprocess, sys, time
def tree_rss(top):
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    pids, frontier = {top}, [top]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in pids:
                pids.add(child); frontier.append(child)
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total
proc = subprocess.Popen(sys.argv[1:])
peak = 0
while proc.poll() is None:
    peak = max(peak, tree_rss(proc.pid))
    time.sleep(0.05)
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"returncode": proc.returncode, "tree_peak_kb": peak, "maxrss_kb": maxrss}))
"""


CPU: dict[str, list[float]] = {}  # CPU seconds (user + sys, workers included) per label


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    command: list[str], cpu_label: str = "", env: dict[str, str] | None = None
) -> tuple[float, str]:
    """Wall seconds and stdout of a command; its CPU time is kept under `cpu_label`."""
    cpu = children_cpu()
    started = time.perf_counter()
    # (run from bench/: Python puts the working folder first on sys.path, so from the repository
    # root `-m presskit` would import this tree whatever PYTHONPATH says)
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, env=env or ENV, cwd=HERE
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    if cpu_label:
        CPU.setdefault(cpu_label, []).append(children_cpu() - cpu)
    return seconds, done.stdout


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def build(project: Path, out: Path, *args: str, cpu_label: str = "") -> tuple[float, str]:
    return timed(
        [*PRESSKIT, "build", "--project", str(project), "--out", str(out), *args], cpu_label
    )


def kits_built(summary: str) -> int:
    match = re.search(r"(\d+) kits? built", summary)
    if not match:
        raise SystemExit(f"bench: no summary line in {summary!r}")
    return int(match.group(1))


def machine() -> dict[str, Any]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    from importlib.metadata import version

    return {
        "date": dt.date.today().isoformat(),
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "weasyprint": version("weasyprint"),
        "presskit": version("askmore-presskit"),
    }


SCENARIOS = ("main", "limits", "yaml", "gc", "floor")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="10 events and 2 runs: a smoke test of the benchmark itself",
    )
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 3)")
    parser.add_argument("--events", type=int, default=None, help="events (default 50)")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=SCENARIOS,
        help="what to measure (repeatable; default: main)",
    )
    parser.add_argument(
        "--compare-ref",
        metavar="REF",
        help="a git commit to measure side by side with this tree (needed by `limits`)",
    )
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args()
    runs = args.runs or (2 if args.quick else 3)
    events = args.events or (10 if args.quick else 50)
    scenarios = args.scenario or ["main"]
    for needs_ref in ("limits", "floor"):
        if needs_ref in scenarios and not args.compare_ref:
            parser.error(f"--scenario {needs_ref} needs --compare-ref REF")

    work = Path(tempfile.mkdtemp(prefix="presskit-bench-"))
    load_before = os.getloadavg()[0]
    results: dict[str, Any] = {}
    try:
        project = work / "project"
        write_project(project, events=events)
        say(f"synthetic project: {events} events, 500 questions, 100 signatories in {work}")
        ref_env = tree_env(extract(args.compare_ref, work / "ref")) if args.compare_ref else None
        if "main" in scenarios:
            results.update(run(work, project, runs))
        if "limits" in scenarios and ref_env is not None:
            results["limits"] = run_limits(work, project, ref_env, runs)
        if "yaml" in scenarios:
            results["yaml"] = run_yaml(work, ref_env, runs)
        if "gc" in scenarios:
            results["gc"] = run_gc(work, project, runs)
        if "floor" in scenarios and ref_env is not None:
            results["floor"] = run_floor(work, project, ref_env, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["cpu_s"] = {label: statistics.median(v) for label, v in CPU.items()}
    results["load_average"] = {"before": load_before, "after": os.getloadavg()[0]}
    results["machine"] = machine()
    results["setup"] = {
        "events": events,
        "banks": 10,
        "questions": 500,
        "signatories": 100,
        "runs": runs,
        "scenarios": scenarios,
        "compare_ref": args.compare_ref,
        "command": " ".join(["python", "bench/run.py", *sys.argv[1:]]),
    }
    table = render_table(results)
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (args.results / name).write_text(json.dumps(results, indent=2) + "\n")
    (args.results / "latest.md").write_text(table + "\n")
    print(f"\nwritten: {args.results / 'latest.json'}, {args.results / 'latest.md'}")


def extract(ref: str, into: Path) -> Path:
    """The package as it was at `ref` (`git archive`), for running with PYTHONPATH=`into`."""
    into.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref, "presskit"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    where = timed([PYTHON, "-c", "import presskit; print(presskit.__file__)"], env=tree_env(into))
    if not where[1].startswith(str(into)):
        raise SystemExit(f"bench: {ref} runs from {where[1].strip()}, not {into}")
    return into


Samples = dict[str, list[tuple[float, float]]]  # name -> (wall, CPU) seconds of each run


def sample(into: Samples, name: str, command: list[str], env: dict[str, str]) -> str:
    """Run `command` once, keeping its wall and CPU seconds under `name`; its stdout."""
    cpu = children_cpu()
    seconds, out = timed(command, env=env)
    into.setdefault(name, []).append((seconds, children_cpu() - cpu))
    return out


def medians(samples: Samples) -> dict[str, Any]:
    """Median wall and CPU seconds by name, and every run."""
    return {
        "wall": {name: statistics.median(w for w, _ in runs) for name, runs in samples.items()},
        "cpu": {name: statistics.median(c for _, c in runs) for name, runs in samples.items()},
        "raw": samples,
    }


def run_limits(work: Path, project: Path, ref_env: dict[str, str], runs: int) -> dict[str, Any]:
    """Issue 11's limits, this tree and the earlier one taking turns: `--help` within 0.05 s
    and `validate` within 0.2 s of `import click`, a cold full build within 5% of before."""
    trees = {"this": ENV, "ref": ref_env}
    validate = [*PRESSKIT, "validate", "--project", str(project)]
    for env in trees.values():  # bytecode caches written, files in the page cache
        timed(validate, env=env)
    samples: Samples = {}
    say("limits: import click, --help and validate, this tree and the earlier one in turn")
    for _ in range(max(10, runs * 4)):
        sample(samples, "import_click", [PYTHON, "-c", "import click"], ENV)
        for name, env in trees.items():
            sample(samples, f"help_{name}", [*PRESSKIT, "--help"], env)
            sample(samples, f"validate_{name}", validate, env)
    for index in range(runs):
        say(f"limits: cold full builds --jobs 1, run {index + 1}/{runs}")
        order = list(trees.items())[:: -1 if index % 2 else 1]  # who goes first takes turns
        for name, env in order:
            out = work / f"limits-{name}"
            shutil.rmtree(out, ignore_errors=True)
            command = [*PRESSKIT, "build", "--project", str(project), "--out", str(out)]
            sample(samples, f"build_{name}", [*command, "--jobs", "1", "-q"], env)
    return {**medians(samples), "outputs": same_files(work / "limits-ref", work / "limits-this")}


def run_floor(work: Path, project: Path, ref_env: dict[str, str], runs: int) -> dict[str, Any]:
    """Issue 15's floor, this tree and the earlier one taking turns: each tree's cold build
    (`--jobs 1`) against WeasyPrint alone, with one shared FontConfiguration, rendering that
    tree's own final HTML (a template change moves the floor too)."""
    trees = {"this": ENV, "ref": ref_env}
    variant = "pdf/ua-1"  # presskit.render.pdf.PDF_VARIANT, the same in both trees
    for name, env in trees.items():
        debug = work / f"floor-debug-{name}"
        command = [*PRESSKIT, "build", "--project", str(project), "--out", str(debug)]
        timed([*command, "--debug-html", "-q", "--jobs", "1"], env=env)
    samples: Samples = {}
    for index in range(runs):
        say(f"floor: cold builds --jobs 1 and their floors, run {index + 1}/{runs}")
        order = list(trees.items())[:: -1 if index % 2 else 1]  # who goes first takes turns
        for name, env in order:
            out, floor = work / f"floor-out-{name}", work / f"floor-pdfs-{name}"
            for folder in (out, floor):
                shutil.rmtree(folder, ignore_errors=True)
            command = [*PRESSKIT, "build", "--project", str(project), "--out", str(out)]
            sample(samples, f"build_{name}", [*command, "--jobs", "1", "-q"], env)
            debug = str(work / f"floor-debug-{name}")
            floor_command = [PYTHON, "-c", FLOOR, str(project), debug, str(floor), variant]
            sample(samples, f"floor_{name}", [*floor_command, "shared"], env)
    return medians(samples)


def same_files(before: Path, after: Path) -> dict[str, Any]:
    """How many of the files of two builds are byte-identical, and which differ."""
    names = sorted(
        {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
        | {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    )
    differ = [
        str(name)
        for name in names
        if not (before / name).is_file()
        or not (after / name).is_file()
        or (before / name).read_bytes() != (after / name).read_bytes()
    ]
    return {"files": len(names), "differ": differ}


def run_yaml(work: Path, ref_env: dict[str, str] | None, runs: int) -> dict[str, Any]:
    """`validate` of a 10,000-question project (200 banks of 50) with each YAML path, in turn:
    a second path stays only if it earns at least 1.5x over the reference alone. (The earlier
    commit's reference alone is the same pure-Python path as this tree's: not run again.)"""
    project = work / "project-10k"
    write_project(project, events=50, banks=200, questions_per_bank=50)
    variants = [("this", "shipped"), ("this", "reference")]
    if ref_env is not None:
        variants += [("ref", "shipped"), ("ref", "nodes")]
    envs = {"this": ENV, "ref": ref_env or ENV}
    say(f"yaml: validate of 10,000 questions, {len(variants)} variants, {runs} runs each")
    samples: Samples = {}
    for index in range(runs + 1):  # the first round only warms up, as shipped
        for tree, path in variants:
            if index == 0 and path != "shipped":
                continue
            command = [PYTHON, "-c", YAML_DRIVER, path, "validate", "--project", str(project)]
            out = sample(samples, f"{tree}_{path}" if index else "warm-up", command, envs[tree])
            if "10000 questions" not in out:
                raise SystemExit(f"bench: unexpected validate output {out!r}")
    del samples["warm-up"]
    return medians(samples)


def run_gc(work: Path, project: Path, runs: int) -> dict[str, Any]:
    """What the collector tuning removed in issue 11 was worth: `validate` of 500 and of 10,000
    questions, this tree as it is and with the tuning put back by a driver, in turns."""
    big = work / "project-10k"
    if not big.exists():
        write_project(big, events=50, banks=200, questions_per_bank=50)
    say("gc: validate with and without the collector tuning, in turns")
    samples: Samples = {}
    for index in range(max(10, runs * 4) + 1):  # the first round only warms up
        for size, folder in (("500", project), ("10k", big)):
            for mode in ("plain", "gc")[:: -1 if index % 2 else 1]:
                command = [PYTHON, "-c", GC_DRIVER, mode, "validate", "--project", str(folder)]
                sample(samples, f"{mode}_{size}" if index else "warm-up", command, ENV)
    del samples["warm-up"]
    return medians(samples)


def run(work: Path, project: Path, runs: int) -> dict[str, Any]:
    debug = work / "debug"
    build(project, debug, "--debug-html", "-q")
    # every PDF of a build: the output folder's and the private folder's (talent briefs)
    pdfs = sorted([*debug.glob("*/*.pdf"), *debug.with_name("debug-private").glob("*/*.pdf")])
    say(f"{len(pdfs)} PDFs per full build; {runs} runs of each figure")

    variant = json.loads(
        timed(
            [
                PYTHON,
                "-c",
                "from presskit.render.pdf import PDF_VARIANT; "
                "import json; print(json.dumps(PDF_VARIANT))",
            ]
        )[1]
    )

    full1: list[float] = []
    floor: list[float] = []
    floor_shared: list[float] = []
    full2: list[float] = []
    for index in range(runs):
        say(f"run {index + 1}/{runs}: cold build --jobs 1, floors, cold build --jobs 2")
        shutil.rmtree(work / "out", ignore_errors=True)
        full1.append(build(project, work / "out", "--jobs", "1", "-q", cpu_label="full_jobs1")[0])
        for fonts, times in (("plain", floor), ("shared", floor_shared)):
            shutil.rmtree(work / "floor", ignore_errors=True)
            times.append(
                timed(
                    [
                        PYTHON,
                        "-c",
                        FLOOR,
                        str(project),
                        str(debug),
                        str(work / "floor"),
                        variant,
                        fonts,
                    ],
                    f"floor_{fonts}",
                )[0]
            )
        shutil.rmtree(work / "out2", ignore_errors=True)
        full2.append(build(project, work / "out2", "--jobs", "2", "-q", cpu_label="full_jobs2")[0])

    say("no-op rebuilds")
    noop = median_of(runs * 2, lambda: build(project, work / "out", "-q", cpu_label="noop")[0])

    say("one-question edits")
    bank = project / "question_banks/bank-01.yaml"
    pages = [p.read_text() for p in (work / "out").glob("*/index.html")]
    question = next(
        q
        for q in ("b01-q002", "b01-q003", "b01-q001")
        if any(f'id="q-{q}"' in page for page in pages)
    )
    holding = sum(f'id="q-{question}"' in page for page in pages)  # kits that hold it
    edit_times: list[float] = []
    rebuilt: list[int] = []
    number = int(question.rsplit("q", 1)[1])
    for index in range(runs):
        new = f"What, edit {index}, would synthetic question {number} of theme 1 "
        text, count = re.subn(
            rf"What(, edit \d+,)? would synthetic question {number} of "
            r"theme 1 ",
            new,
            bank.read_text(),
            count=1,
        )
        if count != 1:
            raise SystemExit(f"bench: could not edit {question} in {bank}")
        bank.write_text(text)
        seconds, out = build(project, work / "out")
        edit_times.append(seconds)
        rebuilt.append(kits_built(out))

    say("startup: import click, presskit --help, presskit validate")
    startup_runs = max(10, runs * 4)
    click_s = median_of(startup_runs, lambda: timed([PYTHON, "-c", "import click"])[0])
    help_s = median_of(startup_runs, lambda: timed([*PRESSKIT, "--help"])[0])
    validate_s = median_of(
        startup_runs, lambda: timed([*PRESSKIT, "validate", "--project", str(project)])[0]
    )
    validate_repo_s = median_of(
        startup_runs, lambda: timed([*PRESSKIT, "validate", "--project", str(REPO)])[0]
    )

    say("peak memory of a full build (--jobs 1 and --jobs 2)")
    memory = {}
    for jobs in ("1", "2"):
        shutil.rmtree(work / "mem", ignore_errors=True)
        measured = json.loads(
            timed(
                [
                    PYTHON,
                    "-c",
                    MEMORY,
                    *PRESSKIT,
                    "build",
                    "--project",
                    str(project),
                    "--out",
                    str(work / "mem"),
                    "--jobs",
                    jobs,
                    "-q",
                ]
            )[1]
        )
        memory[f"jobs{jobs}"] = {
            "largest_process_mb": measured["maxrss_kb"] / 1024,
            "process_tree_mb": measured["tree_peak_kb"] / 1024,
        }

    full_j1, floor_s, shared_s, full_j2 = (
        statistics.median(x) for x in (full1, floor, floor_shared, full2)
    )
    return {
        "pdfs": len(pdfs),
        "full_jobs1_s": full_j1,
        "floor_s": floor_s,
        "full_over_floor": full_j1 / floor_s,
        "floor_shared_fonts_s": shared_s,
        "full_over_floor_shared_fonts": full_j1 / shared_s,
        "full_jobs2_s": full_j2,
        "speedup_jobs2": full_j1 / full_j2,
        "noop_s": noop,
        "noop_fraction": noop / full_j1,
        "edit_question": question,
        "edit_kits_holding": holding,
        "edit_kits_rebuilt": rebuilt,
        "edit_s": statistics.median(edit_times),
        "import_click_s": click_s,
        "help_s": help_s,
        "validate_s": validate_s,
        "validate_repo_s": validate_repo_s,
        "memory": memory,
        "raw": {
            "full_jobs1": full1,
            "floor": floor,
            "floor_shared_fonts": floor_shared,
            "full_jobs2": full2,
            "edit": edit_times,
            "kits_rebuilt": rebuilt,
        },
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def render_table(r: dict[str, Any]) -> str:
    """The header, then a table for each scenario that ran."""
    m = r["machine"]
    setup = r["setup"]
    lines = [
        f"presskit benchmark, {m['date']}: `{setup['command']}`; median of {setup['runs']} runs"
        f" ({max(10, setup['runs'] * 4)} for startup and the collector)",
        f"machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}, "
        f"WeasyPrint {m['weasyprint']}, presskit {m['presskit']}; load average "
        f"{r['load_average']['before']:.1f} before, {r['load_average']['after']:.1f} after "
        "(other work on the machine slows wall times, not CPU times)",
    ]
    tables = []
    if "pdfs" in r:
        tables.append(main_rows(r))
    if "limits" in r:
        tables.append(limits_rows(r["limits"], setup["compare_ref"]))
    if "yaml" in r:
        tables.append(yaml_rows(r["yaml"], setup["compare_ref"]))
    if "gc" in r:
        tables.append(gc_rows(r["gc"]))
    if "floor" in r:
        tables.append(floor_rows(r["floor"], setup["compare_ref"]))
    for title, rows in tables:
        lines += [
            "",
            title,
            "",
            "| what | time / size | ratio | target |",
            "|---|---|---|---|",
            *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        ]
    return "\n".join(lines)


Rows = list[tuple[str, str, str, str]]


def main_rows(r: dict[str, Any]) -> tuple[str, Rows]:
    cpu = r["cpu_s"]
    mem = r["memory"]
    worst_mem = max(v["process_tree_mb"] for v in mem.values())
    rows = [
        (
            "full build, cold, `--jobs 1`",
            f"{r['full_jobs1_s']:.1f} s",
            f"CPU {cpu['full_jobs1']:.1f} s",
            "",
        ),
        (
            "floor: WeasyPrint alone, same HTML, one process",
            f"{r['floor_s']:.1f} s",
            f"full / floor = {r['full_over_floor']:.2f}x (CPU {cpu['floor_plain']:.1f} s: "
            f"{cpu['full_jobs1'] / cpu['floor_plain']:.2f}x)",
            f"<= 1.10x: {verdict(r['full_over_floor'] <= 1.10)}",
        ),
        (
            "floor with one shared FontConfiguration",
            f"{r['floor_shared_fonts_s']:.1f} s",
            f"full / this = {r['full_over_floor_shared_fonts']:.2f}x (CPU {cpu['floor_shared']:.1f}"
            f" s: {cpu['full_jobs1'] / cpu['floor_shared']:.2f}x)",
            f"(stricter) <= 1.10x: {verdict(r['full_over_floor_shared_fonts'] <= 1.10)}",
        ),
        (
            "full build, cold, `--jobs 2`",
            f"{r['full_jobs2_s']:.1f} s",
            f"speedup {r['speedup_jobs2']:.2f}x (CPU {cpu['full_jobs2']:.1f} s)",
            f">= 1.7x: {verdict(r['speedup_jobs2'] >= 1.7)}",
        ),
        (
            "no-op rebuild",
            f"{r['noop_s']:.2f} s",
            f"{100 * r['noop_fraction']:.1f}% of full",
            f"< 2%: {verdict(r['noop_fraction'] < 0.02)}",
        ),
        (
            f"rebuild after editing `{r['edit_question']}`",
            f"{r['edit_s']:.2f} s",
            f"kits re-rendered {r['edit_kits_rebuilt']}, holding it {r['edit_kits_holding']}",
            verdict(all(n == r["edit_kits_holding"] for n in r["edit_kits_rebuilt"])),
        ),
        ('`python -c "import click"`', f"{r['import_click_s']:.3f} s", "", ""),
        (
            "`presskit --help`",
            f"{r['help_s']:.3f} s",
            f"+{r['help_s'] - r['import_click_s']:.3f} s",
            f"<= +0.05 s: {verdict(r['help_s'] - r['import_click_s'] <= 0.05)}",
        ),
        (
            "`presskit validate` (synthetic, 500 questions)",
            f"{r['validate_s']:.3f} s",
            f"+{r['validate_s'] - r['import_click_s']:.3f} s",
            f"<= +0.2 s: {verdict(r['validate_s'] - r['import_click_s'] <= 0.2)}",
        ),
        (
            "`presskit validate` (the repository's kit)",
            f"{r['validate_repo_s']:.3f} s",
            f"+{r['validate_repo_s'] - r['import_click_s']:.3f} s",
            f"<= +0.2 s: {verdict(r['validate_repo_s'] - r['import_click_s'] <= 0.2)}",
        ),
        (
            "peak memory, `--jobs 1`",
            f"{mem['jobs1']['process_tree_mb']:.0f} MB",
            f"largest process {mem['jobs1']['largest_process_mb']:.0f} MB",
            "",
        ),
        (
            "peak memory, `--jobs 2` (all processes)",
            f"{mem['jobs2']['process_tree_mb']:.0f} MB",
            f"largest process {mem['jobs2']['largest_process_mb']:.0f} MB",
            f"< 500 MB: {verdict(worst_mem < 500)}",
        ),
    ]
    setup = r["setup"]
    title = (
        f"Builds ({setup['events']} events, {r['pdfs']} PDFs, {setup['questions']} questions in "
        f"{setup['banks']} banks, {setup['signatories']} signatories):"
    )
    return title, rows


def limits_rows(r: dict[str, Any], ref: str) -> tuple[str, Rows]:
    """Issue 11's limits: this tree against `ref`, measured in turns; wall and CPU seconds."""
    wall, cpu = r["wall"], r["cpu"]
    rows: Rows = [
        (
            '`python -c "import click"`',
            f"{wall['import_click']:.3f} s (CPU {cpu['import_click']:.3f} s)",
            "",
            "",
        )
    ]
    for what, key, limit in (
        ("`presskit --help`", "help", 0.05),
        ("`presskit validate` (500 questions)", "validate", 0.2),
    ):
        for tree, label in (("ref", f"before ({ref})"), ("this", "this tree")):
            name = f"{key}_{tree}"
            delta = {t: r[t][name] - r[t]["import_click"] for t in ("wall", "cpu")}
            target = (
                f"<= +{limit} s: {verdict(delta['wall'] <= limit)} "
                f"(CPU: {verdict(delta['cpu'] <= limit)})"
                if tree == "this"
                else ""
            )
            rows.append(
                (
                    f"{what}, {label}",
                    f"{wall[name]:.3f} s (CPU {cpu[name]:.3f} s)",
                    f"+{delta['wall']:.3f} s (CPU +{delta['cpu']:.3f} s)",
                    target,
                )
            )
    ratio = {t: r[t]["build_this"] / r[t]["build_ref"] for t in ("wall", "cpu")}
    outputs = r["outputs"]
    rows += [
        (
            f"full build, cold, `--jobs 1`, before ({ref})",
            f"{wall['build_ref']:.1f} s (CPU {cpu['build_ref']:.1f} s)",
            "",
            "",
        ),
        (
            "full build, cold, `--jobs 1`, this tree",
            f"{wall['build_this']:.1f} s (CPU {cpu['build_this']:.1f} s)",
            f"{ratio['wall']:.3f}x before (CPU {ratio['cpu']:.3f}x)",
            f"<= 1.05x: {verdict(ratio['wall'] <= 1.05)} (CPU: {verdict(ratio['cpu'] <= 1.05)})",
        ),
        (
            "files of the two builds byte-identical",
            f"{outputs['files'] - len(outputs['differ'])} of {outputs['files']}",
            "differ: " + (", ".join(outputs["differ"][:5]) or "none"),
            "",
        ),
    ]
    return f"Limits of issue 11, this tree and {ref} in turn:", rows


def floor_rows(r: dict[str, Any], ref: str) -> tuple[str, Rows]:
    """Issue 15's floor: each tree's cold build over WeasyPrint alone on its own HTML."""
    wall, cpu = r["wall"], r["cpu"]
    rows: Rows = []
    for tree, label in (("ref", f"before ({ref})"), ("this", "this tree")):
        ratio = {t: r[t][f"build_{tree}"] / r[t][f"floor_{tree}"] for t in ("wall", "cpu")}
        rows += [
            (
                f"full build, cold, `--jobs 1`, {label}",
                f"{wall[f'build_{tree}']:.1f} s (CPU {cpu[f'build_{tree}']:.1f} s)",
                "",
                "",
            ),
            (
                f"floor with one shared FontConfiguration, {label}",
                f"{wall[f'floor_{tree}']:.1f} s (CPU {cpu[f'floor_{tree}']:.1f} s)",
                f"build / floor = {ratio['wall']:.2f}x (CPU {ratio['cpu']:.2f}x)",
                f"<= 1.10x: {verdict(ratio['wall'] <= 1.10)} (CPU: {verdict(ratio['cpu'] <= 1.10)})"
                if tree == "this"
                else "",
            ),
        ]
    return f"The build's floor (issue 15), this tree and {ref} in turn:", rows


def yaml_rows(r: dict[str, Any], ref: str | None) -> tuple[str, Rows]:
    """`validate` of 10,000 questions by each YAML path; the one-path rule needs 1.5x."""
    wall, cpu = r["wall"], r["cpu"]

    def row(label: str, name: str, versus: str) -> tuple[str, str, str, str]:
        ratio = (
            f"{wall[name] / wall['this_shipped']:.2f}x (CPU {cpu[name] / cpu['this_shipped']:.2f}x)"
        )
        return (label, f"{wall[name]:.2f} s (CPU {cpu[name]:.2f} s)", f"{ratio} {versus}", "")

    rows: Rows = [
        (
            "this tree: libyaml one pass, else the reference",
            f"{wall['this_shipped']:.2f} s (CPU {cpu['this_shipped']:.2f} s)",
            "",
            "",
        ),
        row(
            "this tree: the reference alone (PyYAML, pure Python)",
            "this_reference",
            "the two paths",
        ),
    ]
    earned = min(
        wall["this_reference"] / wall["this_shipped"], cpu["this_reference"] / cpu["this_shipped"]
    )
    rows[-1] = (*rows[-1][:3], f"two paths if >= 1.5x: {verdict(earned >= 1.5)}")
    if ref:
        for path, label in (
            ("shipped", "three paths, as shipped"),
            ("nodes", "libyaml node path, else the reference"),
        ):
            rows.append(row(f"{ref}: {label}", f"ref_{path}", "this tree"))
        nodes = {t: r[t]["ref_nodes"] / r[t]["ref_shipped"] for t in ("wall", "cpu")}
        rows.append(
            (
                f"{ref}: node path / its one pass (the same tree, collector and all)",
                "",
                f"{nodes['wall']:.2f}x (CPU {nodes['cpu']:.2f}x)",
                f"one pass over nodes if >= 1.5x: {verdict(min(nodes.values()) >= 1.5)}",
            )
        )
    return "`presskit validate`, 10,000 questions in 200 banks, by YAML path:", rows


def gc_rows(r: dict[str, Any]) -> tuple[str, Rows]:
    """`validate` with and without the collector tuning that issue 11 removed."""
    wall, cpu = r["wall"], r["cpu"]
    rows: Rows = []
    for size in ("500", "10k"):
        for mode, label in (("plain", "as it is"), ("gc", "collector paused and frozen")):
            name = f"{mode}_{size}"
            plain = f"plain_{size}"
            rows.append(
                (
                    f"`presskit validate`, {size} questions, {label}",
                    f"{wall[name]:.3f} s (CPU {cpu[name]:.3f} s)",
                    ""
                    if mode == "plain"
                    else f"{wall[name] - wall[plain]:+.3f} s (CPU {cpu[name] - cpu[plain]:+.3f} s)",
                    "",
                )
            )
    return "The collector tuning removed in issue 11, put back by a driver, in turns:", rows


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
