"""Benchmark `presskit lint` at 1,000, 10,000 and (with --large) 100,000 questions.

    PYTHONPATH=$PWD python bench/lint.py [--large] [--runs N] [--compare-ref REF]

Generates varied questions with planted near-duplicates (bench/questions.py), then runs
`presskit lint --format json` (and `presskit validate`) in subprocesses, each measured for wall
time, CPU time and peak memory (rusage of that one child, from os.wait4). Reports the growth
between sizes as an exponent (time ~ n^b) beside n log n's, the issue's targets met or not, and,
at 1,000 questions, recall of the planted near-duplicates and the unrelated pairs reported, for
this tree and for today's all-pairs difflib rule (`all_pairs`, the quadratic loop the rule used
before). With --compare-ref, the same commands run from that commit's package too, in turns,
and each figure is shown beside its ratio. The figures go to bench/results/lint-*.json and
lint-latest.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import itertools

from questions import Generated, write_questions

HERE = Path(__file__).parent
REPO = HERE.parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# The rule before issue 15, every pair compared, run on the same project and reported as the
# pairs it finds (the comparison loop is `presskit.tools.lint.similar.all_pairs`, unchanged).
OLD_RULE = """
import json, sys
from pathlib import Path
from presskit.tools.lint.runner import gather
from presskit.tools.lint.similar import all_pairs, similar_pairs
from presskit.tools.lint.text import words
corpus = gather(Path(sys.argv[1]), sys.argv[1])
refs = [r for r in corpus.questions() if r.question.status != "retired"]
texts = [words(r.question.text) for r in refs]
pairs = all_pairs(texts, corpus.settings.similarity)
same = sorted(pairs) == sorted(similar_pairs(texts, corpus.settings.similarity))
print(json.dumps({"same": same, "pairs": [[refs[i].id, refs[j].id] for i, j, _ in pairs]}))
"""


def measure(command: list[str], env: dict[str, str]) -> tuple[float, int, str, float]:
    """Wall seconds, peak resident kB of the child, its stdout, and its CPU seconds."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env=env, cwd=HERE)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench: {command} failed ({proc.returncode})")
    return seconds, usage.ru_maxrss, text, usage.ru_utime + usage.ru_stime


def presskit(*args: str, tree: Path = REPO) -> tuple[list[str], dict[str, str]]:
    return [sys.executable, "-m", "presskit", *args], {**ENV, "PYTHONPATH": str(tree)}


def pairs_of(findings: list[dict[str, Any]]) -> set[frozenset[str]]:
    """Every two questions that a PK103 finding puts together (its question and each named)."""
    groups: list[list[str]] = []
    for f in findings:
        if f["code"] == "PK103":
            groups.append([f["question"], *(r["question"] for r in f["related"])])
    return {frozenset((a, b)) for g in groups for a in g for b in g if a < b}


def components(pairs: set[frozenset[str]]) -> set[frozenset[str]]:
    parent: dict[str, str] = {}

    def root(k: str) -> str:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    for a, b in (tuple(p) for p in pairs):
        parent[root(a)] = root(b)
    found: dict[str, set[str]] = {}
    for k in list(parent):
        found.setdefault(root(k), set()).add(k)
    return {frozenset(c) for c in found.values()}


def quality(generated: Generated, together: set[frozenset[str]]) -> dict[str, Any]:
    """Planted look-alikes reported together (recall), and unrelated pairs reported."""
    planted = generated.planted()
    clusters = components(together)
    where = {qid: c for c in clusters for qid in c}
    expected = [(g[0], v) for g in generated.groups for v in g[1:]]
    hit = sum(1 for base, v in expected if where.get(v) is not None and base in where[v])
    reported = {frozenset((a, b)) for c in clusters for a in c for b in c if a < b}
    unrelated = [p for p in reported if len({planted.get(q, q) for q in p}) > 1]
    return {
        "planted": len(expected),
        "found": hit,
        "recall": hit / len(expected) if expected else 1.0,
        "unrelated_pairs": len(unrelated),
        "clusters": len(clusters),
    }


# The issue's targets: (questions, command) -> (wall seconds, peak MB).
TARGETS = {
    (10_000, "lint"): (2.0, 300),
    (100_000, "validate"): (20.0, 2048),
    (100_000, "lint"): (20.0, 2048),
}


def extract(ref: str, into: Path) -> Path:
    """The package as it was at `ref` (`git archive`), for running with PYTHONPATH=`into`."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref, "presskit"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def timed(command: str, project: Path, runs: int, tree: Path) -> tuple[float, int, str, float]:
    """The fastest of `runs` runs of `presskit <command>` on `project` from `tree`."""
    extra = ["--format", "json"] if command == "lint" else []
    best: tuple[float, int, str, float] | None = None
    for _ in range(runs):
        got = measure(*presskit(command, "--project", str(project), *extra, tree=tree))
        best = got if best is None or got[0] < best[0] else best
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 100,000 questions")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="keep the projects here")
    parser.add_argument("--compare-ref", default=None, help="also run this commit's package")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args()
    sizes = [1_000, 10_000, *([100_000] if args.large else [])]
    work = args.work or Path(tempfile.mkdtemp(prefix="presskit-lint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    ref_tree = extract(args.compare_ref, work / "ref") if args.compare_ref else None
    load_before = os.getloadavg()[0]
    rows: list[dict[str, Any]] = []
    for n in sizes:
        project = work / f"q{n}"
        generated = write_questions(project, n) if not project.exists() else None
        if generated is None:
            raise SystemExit(f"bench: {project} exists; give an empty --work")
        row: dict[str, Any] = {
            "questions": n,
            "planted_share": sum(map(len, generated.groups)) / n,
        }
        for command in ("validate", "lint"):
            best = timed(command, project, args.runs, REPO)
            if ref_tree is not None:  # in turns with this tree: their ratio holds under load
                ref = timed(command, project, args.runs, ref_tree)
                row[f"ref_{command}_s"], row[f"ref_{command}_mb"] = ref[0], ref[1] / 1024
                row[f"ref_{command}_cpu_s"] = ref[3]
            row[f"{command}_s"], row[f"{command}_mb"] = best[0], best[1] / 1024
            row[f"{command}_cpu_s"] = best[3]
            if command == "lint":
                row["lint_output_kb"] = len(best[2].encode()) / 1024
                found = json.loads(best[2])
                row["pk103_findings"] = sum(f["code"] == "PK103" for f in found)
                row["quality"] = quality(generated, pairs_of(found))
                if ref_tree is not None:
                    row["ref_same_findings"] = json.loads(ref[2]) == found
        if n == 1_000:
            old = [sys.executable, "-c", OLD_RULE, str(project)]
            seconds, rss, out, _ = measure(old, {**ENV, "PYTHONPATH": str(REPO)})
            old_found = json.loads(out)
            pairs = {frozenset(p) for p in old_found["pairs"]}
            row["old_rule"] = {"s": seconds, "mb": rss / 1024, **quality(generated, pairs)}
            row["same_pairs_as_old"] = old_found["same"]
        rows.append(row)
        print(json.dumps(row), flush=True)
    results = {
        "rows": rows,
        "growth": growth(rows),
        "targets": targets(rows),
        "compare_ref": args.compare_ref,
        "load_average": {"before": load_before, "after": os.getloadavg()[0]},
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "nproc": os.cpu_count(),
        "command": " ".join(["python", "bench/lint.py", *sys.argv[1:]]),
    }
    table = report(results)
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in (f"lint-{stamp}.json", "lint-latest.json"):
        (args.results / name).write_text(json.dumps(results, indent=2) + "\n")
    (args.results / "lint-latest.md").write_text(table + "\n")
    print(f"\nwritten: {args.results / f'lint-{stamp}.json'}, {args.results / 'lint-latest.md'}")


def exponent(n1: float, t1: float, n2: float, t2: float) -> float:
    """b in t ~ n^b, from two sizes."""
    return math.log(t2 / t1) / math.log(n2 / n1)


def growth(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Between each two sizes: lint's growth exponent (wall and CPU) beside n log n's."""
    out = []
    for a, b in itertools.pairwise(rows):
        n1, n2 = a["questions"], b["questions"]
        nlogn = exponent(n1, n1 * math.log(n1), n2, n2 * math.log(n2))
        cpu = exponent(n1, a["lint_cpu_s"], n2, b["lint_cpu_s"])
        out.append(
            {
                "from": n1,
                "to": n2,
                "lint_exponent": exponent(n1, a["lint_s"], n2, b["lint_s"]),
                "lint_cpu_exponent": cpu,
                "validate_cpu_exponent": exponent(n1, a["validate_cpu_s"], n2, b["validate_cpu_s"]),
                "nlogn_exponent": nlogn,
                "met_cpu": cpu <= nlogn,
            }
        )
    return out


def targets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        for command in ("validate", "lint"):
            limit = TARGETS.get((r["questions"], command))
            if limit is None:
                continue
            seconds, mb = limit
            out.append(
                {
                    "questions": r["questions"],
                    "command": command,
                    "limit_s": seconds,
                    "limit_mb": mb,
                    "met_wall": r[f"{command}_s"] < seconds and r[f"{command}_mb"] < mb,
                    "met_cpu": r[f"{command}_cpu_s"] < seconds and r[f"{command}_mb"] < mb,
                }
            )
    return out


def _beside(r: dict[str, Any], key: str, fmt: str) -> str:
    """A figure, and with a reference run, the reference's and the ratio beside it."""
    mine = format(r[key], fmt)
    if f"ref_{key}" not in r:
        return mine
    ref = r[f"ref_{key}"]
    return f"{mine} ({format(ref, fmt)}, {r[key] / ref:.2f}x)"


def report(results: dict[str, Any]) -> str:
    rows = results["rows"]
    ref = results["compare_ref"]
    lines = [
        f"load average {results['load_average']['before']:.1f} before, "
        f"{results['load_average']['after']:.1f} after; seconds are wall (CPU)"
        + (f"; in brackets {ref}'s figure and this tree's ratio to it" if ref else ""),
        "",
        "| questions | validate s | validate CPU s | validate MB | lint s | lint CPU s "
        "| lint MB | lint / validate | lint JSON kB | PK103 findings |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['questions']:,} | {_beside(r, 'validate_s', '.2f')} | "
            f"{_beside(r, 'validate_cpu_s', '.2f')} | {_beside(r, 'validate_mb', '.0f')} | "
            f"{_beside(r, 'lint_s', '.2f')} | {_beside(r, 'lint_cpu_s', '.2f')} | "
            f"{_beside(r, 'lint_mb', '.0f')} | {r['lint_s'] / r['validate_s']:.2f}x | "
            f"{r['lint_output_kb']:.0f} | {r['pk103_findings']} |"
        )
    lines.append("")
    for g in results["growth"]:
        lines.append(
            f"lint time ~ n^{g['lint_exponent']:.2f} wall, n^{g['lint_cpu_exponent']:.2f} CPU "
            f"from {g['from']:,} to {g['to']:,} questions (n log n: n^{g['nlogn_exponent']:.2f}, "
            f"n^2: n^2.00): {'within' if g['met_cpu'] else 'beyond'} n log n (CPU); validate "
            f"n^{g['validate_cpu_exponent']:.2f} CPU"
        )
    for t in results["targets"]:
        lines.append(
            f"target: {t['command']} of {t['questions']:,} questions under {t['limit_s']:.0f} s "
            f"and {t['limit_mb']:,} MB: {'met' if t['met_wall'] else 'not met'} in wall time, "
            f"{'met' if t['met_cpu'] else 'not met'} in CPU time"
        )
    if ref:
        same = all(r.get("ref_same_findings") for r in rows)
        lines.append(f"findings identical to {ref}'s at every size: {same}")
    first = rows[0]
    if "old_rule" in first:
        q, o = first["quality"], first["old_rule"]
        lines.append(
            f"\nat 1,000 questions ({first['planted_share']:.1%} planted): this lint found "
            f"{q['found']}/{q['planted']} planted look-alikes, {q['unrelated_pairs']} unrelated "
            f"pairs; the all-pairs difflib rule {o['found']}/{o['planted']}, "
            f"{o['unrelated_pairs']} unrelated pairs, in {o['s']:.2f} s; same pairs: "
            f"{first['same_pairs_as_old']}"
        )
    for r in rows[1:]:
        q = r["quality"]
        lines.append(
            f"at {r['questions']:,} questions: {q['found']}/{q['planted']} planted look-alikes "
            f"found, {q['unrelated_pairs']} unrelated pairs reported"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
