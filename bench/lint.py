"""Benchmark `presskit lint` at 1,000, 10,000 and (with --large) 100,000 questions.

    PYTHONPATH=$PWD python bench/lint.py [--large] [--runs N] [--compare-ref REF]

Generates varied questions with planted near-duplicates (bench/questions.py), then runs
`presskit lint --format json` (and `presskit validate`) in subprocesses, each measured for wall
time and peak memory (ru_maxrss of that one child, from os.wait4). Reports the growth between
sizes against n log n, and, at 1,000 questions, recall of the planted near-duplicates and the
unrelated pairs reported, for this tree and for today's all-pairs difflib rule (`all_pairs`, the
quadratic loop the rule used before; with --compare-ref, also the earlier commit's own lint).
"""

from __future__ import annotations

import argparse
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


def measure(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak resident kB of the child, and its stdout."""
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
    return seconds, usage.ru_maxrss, text


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 100,000 questions")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="keep the projects here")
    args = parser.parse_args()
    sizes = [1_000, 10_000, *([100_000] if args.large else [])]
    work = args.work or Path(tempfile.mkdtemp(prefix="presskit-lint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
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
            extra = ["--format", "json"] if command == "lint" else []
            best: tuple[float, int, str] | None = None
            for _ in range(args.runs):
                got = measure(*presskit(command, "--project", str(project), *extra))
                best = got if best is None or got[0] < best[0] else best
            assert best is not None
            row[f"{command}_s"], row[f"{command}_mb"] = best[0], best[1] / 1024
            if command == "lint":
                row["lint_output_kb"] = len(best[2].encode()) / 1024
                found = json.loads(best[2])
                row["pk103_findings"] = sum(f["code"] == "PK103" for f in found)
                row["quality"] = quality(generated, pairs_of(found))
        if n == 1_000:
            old = [sys.executable, "-c", OLD_RULE, str(project)]
            seconds, rss, out = measure(old, {**ENV, "PYTHONPATH": str(REPO)})
            old_found = json.loads(out)
            pairs = {frozenset(p) for p in old_found["pairs"]}
            row["old_rule"] = {"s": seconds, "mb": rss / 1024, **quality(generated, pairs)}
            row["same_pairs_as_old"] = old_found["same"]
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(report(rows))


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| questions | validate s | validate MB | lint s | lint MB | lint JSON kB "
        "| PK103 findings |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['questions']:,} | {r['validate_s']:.2f} | {r['validate_mb']:.0f} | "
            f"{r['lint_s']:.2f} | {r['lint_mb']:.0f} | {r['lint_output_kb']:.0f} | "
            f"{r['pk103_findings']} |"
        )
    for a, b in itertools.pairwise(rows):
        ratio = b["lint_s"] / a["lint_s"]
        nlogn = (
            b["questions"] * math.log(b["questions"]) / (a["questions"] * math.log(a["questions"]))
        )
        lines.append(
            f"\nlint time x{ratio:.1f} from {a['questions']:,} to {b['questions']:,} questions "
            f"(n log n would be x{nlogn:.1f}, n^2 x{(b['questions'] / a['questions']) ** 2:.0f})"
        )
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
    return "\n".join(lines)


if __name__ == "__main__":
    main()
