"""Benchmark `presskit serve`: from a saved edit of a bank to the new page and the new PDF served.

    PYTHONPATH=$PWD python bench/serve.py [--runs N]

Copies the repository's own project (the default one: presskit.yaml and the folders it names)
into a temporary folder, starts `python -m presskit serve` on it, waits for the first PDFs,
then, run after run, edits one question of the first event in its bank file and measures, from
just before the write:

- html: until the event's one-pager, fetched as soon as the server pushes that it changed (as
  an open page reloads), holds the new text (target: under 0.3 s);
- pdf: until the event's press kit, fetched as soon as the server pushes that it changed, holds
  the new text, read back with pypdf (target: under 2 s). The bench listens as the press kit's
  open page does, so the server renders that event's PDFs first, as it would for an editor.

Beside each wall time it gives the CPU seconds the server used meanwhile (from /proc), which
other work on a shared machine inflates far less: on an idle machine the wall time is close to it.

Between runs it waits until every event's PDFs are up to date again. Prints a Markdown table
(median and max of the runs) and writes the figures as JSON to bench/results/ (serve-*.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from run import machine

HERE = Path(__file__).parent
REPO = HERE.parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV.update(PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
TARGETS = {"html": 0.3, "pdf": 2.0}
WAIT = 600.0  # seconds: give up on a server that does not answer (a busy machine is slow)


def copy_project(into: Path) -> Path:
    """The repository's project: presskit.yaml and the top-level folders holding its inputs."""
    from presskit.project.loading import CAMPAIGN_FILE, load_project
    from presskit.tools.watch import input_folders

    project = load_project(REPO)
    into.mkdir()
    shutil.copy2(REPO / CAMPAIGN_FILE, into / CAMPAIGN_FILE)
    for folder in input_folders(REPO, project.campaign, (e.event for e in project.events)):
        if folder.is_dir():
            shutil.copytree(folder, into / folder.name)
    return into


def target_question(root: Path) -> tuple[str, Path, str]:
    """The first event's slug, and the bank file and text of the first question it draws."""
    from presskit.kits.select import select_all
    from presskit.project.loading import load_project

    project = load_project(root)
    selection = select_all(project)[0]
    question = project.questions[selection.question_ids[0]][1]
    for bank in sorted((root / project.campaign.banks).glob("*.yaml")):
        if question.text in bank.read_text(encoding="utf-8"):
            return selection.event.slug, bank, question.text
    raise SystemExit(f"bench: no bank file holds {question.text!r} as written")


class Server:
    def __init__(self, project: Path) -> None:
        self.process = subprocess.Popen(
            # --include-drafts: an edited approved question is "changed since approval" and
            # left out of approved-only kits (issue 16); the preview with drafts shows it.
            [
                *(sys.executable, "-m", "presskit", "serve", "--project", str(project)),
                *("--port", "0", "--include-drafts"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=ENV,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = ""
        self.rendered = 0  # "... PDFs rendered" lines seen
        line = self.wait_for(lambda line: line.startswith("serving http://"))
        self.url = line.split()[1].rstrip("/")
        self.port = int(self.url.rsplit(":", 1)[1])

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, check: Any) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    raise SystemExit("bench: the server stopped") from None
                continue
            print(f"  serve: {line}", file=sys.stderr)
            if " rendered in " in line:
                self.rendered += 1
            if check(line):
                return line
        raise SystemExit("bench: gave up waiting for the server")

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=WAIT) as response:  # noqa: S310 - loopback
            return bytes(response.read())

    def cpu(self) -> float:
        """CPU seconds the server has used so far (user and system), which other work on the
        machine does not inflate as it does wall time."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(2)
        self.process.wait(timeout=WAIT)


class Stream:
    """The server's pushes, as a page's EventSource reads them."""

    def __init__(self, port: int, page: str) -> None:
        """Listen as `page` does: from the version it was served at, for what it shows."""
        found = re.search(r"var me = (\{.*?\});", page)
        assert found, "no live script in the page"
        me = json.loads(found.group(1))
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.connection.request("GET", f"{me['live']}{me['version']}/{me['kit']}")
        self.response = self.connection.getresponse()

    def until(self, path: str) -> None:
        """Read pushes until one says `path` changed."""
        data = None
        while True:
            line = self.response.fp.readline().decode("utf-8")
            if not line:
                raise SystemExit("bench: the stream of pushes ended")
            if line.startswith("data: "):
                data = json.loads(line[6:])
            elif line == "\n" and data is not None:
                if path in data["changed"]:
                    return
                data = None


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def measure(server: Server, slug: str, bank: Path, original: str, run: int) -> dict[str, float]:
    new = f"{original.rstrip('?')}, take {run}?"  # the same question, just longer
    viewer = server.get(f"/__presskit__/view/{slug}/press-kit.pdf").decode("utf-8")
    stream = Stream(server.port, viewer)
    text = bank.read_text(encoding="utf-8")
    current = re.search(re.escape(original.rstrip("?")) + r"(, take \d+)?\?", text)
    assert current, "the question is gone from its bank"
    rendered = server.rendered
    cpu = server.cpu()
    start = time.perf_counter()
    bank.write_text(text.replace(current.group(0), new, 1), encoding="utf-8")
    stream.until(f"/{slug}/index.html")
    page = server.get(f"/{slug}/")
    html_s = time.perf_counter() - start
    html_cpu = server.cpu() - cpu
    stream.until(f"/{slug}/press-kit.pdf")
    pdf = server.get(f"/{slug}/press-kit.pdf")
    pdf_s = time.perf_counter() - start
    pdf_cpu = server.cpu() - cpu
    stream.connection.close()
    escaped = new.replace("'", "&#39;").replace('"', "&#34;")
    if new not in page.decode("utf-8") and escaped not in page.decode("utf-8"):
        raise SystemExit(f"bench: the page was pushed without the new text {new!r}")
    if new not in " ".join(pdf_text(pdf).split()):
        raise SystemExit(f"bench: the press kit was pushed without the new text {new!r}")
    while server.rendered == rendered:  # every event's PDFs, before the next run
        server.wait_for(lambda line: " rendered in " in line)
    return {"html_s": html_s, "pdf_s": pdf_s, "html_cpu_s": html_cpu, "pdf_cpu_s": pdf_cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="edits measured (default 7)")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="presskit-bench-serve-"))
    load_before = os.getloadavg()[0]
    try:
        project = copy_project(work / "project")
        slug, bank, original = target_question(project)
        print(f"editing {bank.relative_to(project)}: {original!r} ({slug})", file=sys.stderr)
        started = time.perf_counter()
        server = Server(project)
        try:
            server.wait_for(lambda line: " rendered in " in line)  # the first PDFs
            first = time.perf_counter() - started
            runs = [measure(server, slug, bank, original, n) for n in range(1, args.runs + 1)]
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results: dict[str, Any] = {"runs": runs, "first_build_s": first}
    for kind in ("html", "pdf"):
        values = [r[f"{kind}_s"] for r in runs]
        cpu = [r[f"{kind}_cpu_s"] for r in runs]
        results[kind] = {
            "median_s": statistics.median(values),
            "max_s": max(values),
            "cpu_median_s": statistics.median(cpu),
            "cpu_max_s": max(cpu),
            "target_s": TARGETS[kind],
        }
    results["load_average"] = {"before": load_before, "after": os.getloadavg()[0]}
    results["machine"] = machine()
    results["setup"] = {
        "project": "the repository's own (copied)",
        "event": slug,
        "runs": args.runs,
        "command": " ".join(["python", "bench/serve.py", *sys.argv[1:]]),
    }
    table = "\n".join(
        [
            f"`presskit serve`, {args.runs} edits of one question of `{slug}` "
            f"(load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)",
            "",
            "| from the saved edit to | median | max | server CPU, median (max) | target |",
            "|---|---|---|---|---|",
            *(
                f"| {what} | {results[kind]['median_s']:.3f} s | {results[kind]['max_s']:.3f} s "
                f"| {results[kind]['cpu_median_s']:.2f} s ({results[kind]['cpu_max_s']:.2f} s) "
                f"| < {TARGETS[kind]:g} s |"
                for kind, what in (
                    ("html", "the new one-pager served"),
                    ("pdf", "the new press kit (PDF) served"),
                )
            ),
            "",
            f"Start-up to every PDF rendered: {first:.1f} s.",
        ]
    )
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in (f"serve-{stamp}.json", "serve-latest.json"):
        (args.results / name).write_text(json.dumps(results, indent=2) + "\n")
    (args.results / "serve-latest.md").write_text(table + "\n")
    print(f"\nwritten: {args.results / 'serve-latest.json'}, {args.results / 'serve-latest.md'}")


if __name__ == "__main__":
    main()
