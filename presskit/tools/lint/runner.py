"""Running lint: load as `validate` does (keeping going past problems), run every enabled
rule, and turn hits and load problems into one sorted list of findings."""

from __future__ import annotations

import os
from pathlib import Path

from presskit.errors import PresskitError, Problem, ValidationFailed
from presskit.kits.i18n import catalogue_problems
from presskit.kits.select import select_all
from presskit.project.loading import collector_paused, load_partial
from presskit.project.models import LintSettings
from presskit.tools.lint.model import Corpus, Finding, Hit
from presskit.tools.lint.registry import RULES, severity_of
from presskit.tools.lint.report import Report


def lint_project(root: Path, display: str, only: frozenset[str] = frozenset()) -> Report:
    """Validate, then run every enabled rule (or only the rules with the codes in `only`;
    validation problems, PK001, are always reported); the findings come back sorted by place.

    A project that cannot be read at all (an OS error, a refusal before loading) is a finding
    too, so every format, JSON included, reports it the same way."""
    try:
        with collector_paused():  # lint's own objects are as long-lived as loading's
            return _lint(root, display, only)
    except ValidationFailed as exc:
        return Report(sorted({_invalid(p) for p in exc.problems}), 0, 0, 0)
    except (PresskitError, OSError) as exc:
        return Report([_unreadable(exc, display)], 0, 0, 0)


def _invalid(problem: Problem) -> Finding:
    """A validation problem as a PK001 finding."""
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return Finding(
        problem.path,
        problem.line,
        problem.col,
        "PK001",
        "error",
        message,
        "Fix the file as the message says; `presskit validate` reports the same problem.",
    )


def _unreadable(exc: PresskitError | OSError, display: str) -> Finding:
    """An error that stopped loading, as a PK001 finding at the file it names (or the project)."""
    if isinstance(exc, OSError):
        named = exc.filename2 if exc.filename2 is not None else exc.filename
        path = os.fsdecode(named) if named is not None else display
        message = exc.strerror or str(exc)
    else:
        path, message = display, exc.format_message()
    hint = "Fix what the message names; `presskit validate` reports the same problem."
    return Finding(path, 1, 1, "PK001", "error", message, hint)


def _lint(root: Path, display: str, only: frozenset[str] = frozenset()) -> Report:
    corpus = gather(root, display)
    findings: list[Finding] = []
    for code, rule in RULES.items():
        severity = severity_of(code, corpus.settings)
        if rule.check is None or severity is None or (only and code not in only):
            continue
        for hit in rule.check(corpus):
            if not rule.locked and _silenced(corpus, code, hit):
                continue
            findings.append(
                Finding(
                    hit.place.path,
                    hit.place.line,
                    hit.place.col,
                    code,
                    severity,
                    hit.message,
                    hit.hint,
                    hit.place.question,
                    hit.related,
                )
            )
    # A validation problem that a rule already reports at the same place is not repeated.
    explained = {(f.path, f.line, f.col) for f in findings if RULES[f.code].locked}
    for problem in corpus.problems:
        if (problem.path, problem.line, problem.col) not in explained:
            findings.append(_invalid(problem))
    return Report(
        sorted(set(findings)), len(corpus.banks), len(corpus.questions()), len(corpus.events)
    )


def _silenced(corpus: Corpus, code: str, hit: Hit) -> bool:
    """A hit is silenced if any question it names (itself or a related one) silences it."""
    ids = {hit.place.question, *(r.question for r in hit.related)} - {None}
    for qid in ids:
        ref = corpus.find(qid) if qid else None
        if ref and ref.silences(code):
            return True
    return False


def gather(root: Path, display: str) -> Corpus:
    """Load the project as `validate` does, keeping going past problems: every file that loads
    is linted, and if the whole project loads, its selection problems are reported too."""
    loaded = load_partial(root, display)
    corpus = Corpus(
        settings=loaded.campaign.lint if loaded.campaign is not None else LintSettings(),
        campaign=loaded.campaign,
        campaign_source=loaded.campaign_source,
        signatories=loaded.signatories,
        signatories_source=loaded.signatories_source,
        banks=list(loaded.banks),
        events=list(loaded.events),
        banks_complete=loaded.banks_complete,
        problems=[*loaded.problems, *catalogue_problems(loaded.label_files)],
        project=loaded.project,
        rules=RULES,
    )
    if loaded.project is not None:
        try:
            corpus.selections = select_all(loaded.project, explain=False)
        except ValidationFailed as exc:
            corpus.problems.extend(exc.problems)
    return corpus
