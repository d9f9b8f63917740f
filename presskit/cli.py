"""The `presskit` command: parse options, call one function, report.

Commands import the core lazily so `presskit --help` does not pay for YAML, Jinja2, pydantic or
WeasyPrint. User mistakes arrive as `PresskitError` and click prints them without a traceback.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from presskit import __version__
from presskit.errors import PresskitError
from presskit.wording import plural

if TYPE_CHECKING:
    from presskit.pipeline.documents import BuildResult
    from presskit.project.loading import Project

PROJECT_HELP = (
    "Project folder (holds presskit.yaml). Default: the current folder, or the nearest parent "
    "folder that holds presskit.yaml."
)


def _load(project: Path | None) -> Project:
    from presskit.project.loading import load_project

    root = project if project is not None else Path.cwd()
    return load_project(root, display=str(project) if project is not None else ".")


def _find_project(
    strict: bool,
) -> Callable[[click.Context, click.Parameter, Path | None], Path | None]:
    """A callback for --project: without it, the nearest folder upwards that holds presskit.yaml
    (presskit.project.discover); `strict`: no project there is a one-line error."""

    def callback(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        from presskit.project.discover import locate_project

        return locate_project(value, Path.cwd(), strict=strict)

    return callback


def _project_option(
    strict: bool, *, file_okay: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--project",
        "project",
        default=None,
        help=PROJECT_HELP,
        type=click.Path(path_type=Path, file_okay=file_okay),
        callback=_find_project(strict),
    )


project_option = _project_option(strict=True)
# lint reports a missing project as a finding; `schema --write` may fill a folder not yet a project.
project_lookup_option = _project_option(strict=False)
# lint reports even a --project that is a file as a finding, so --format json stays JSON.
lint_project_option = _project_option(strict=False, file_okay=True)


def os_error_message(exc: OSError) -> str:
    """One line naming the path the operating system refused and its reason."""
    reason = exc.strerror or str(exc)
    path = exc.filename2 if exc.filename2 is not None else exc.filename  # a rename: its target
    if path is None:
        return reason
    return f"{os.fsdecode(path)}: {reason}"


class PresskitGroup(click.Group):
    """The command group that turns operating-system errors into user errors, once, here.

    A folder that cannot be read, an output path that is a file, a full disk or a file-size
    limit are the user's to fix, so they end in one line naming the path, not a traceback.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise  # click exits quietly when stdout's reader has gone (`| head`)
        except OSError as exc:
            raise PresskitError(os_error_message(exc)) from exc


@click.group(cls=PresskitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="presskit")
def main() -> None:
    """Turn curated YAML question banks into event-specific press kits.

    Run it in a project folder (one with presskit.yaml), or pass --project.
    """


class _ProgressBar:
    """A progress bar on stderr naming the document just rendered; only for terminals."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.bar is None:
            self.bar = click.progressbar(
                length=total,
                label="rendering PDFs",
                file=sys.stderr,
                show_pos=True,
                item_show_func=lambda item: item,
            )
            self.bar.__enter__()
        if done:
            self.bar.update(1, name)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@main.command()
@project_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Output folder. Default: output/ inside the project (output-drafts/ with drafts).",
)
@click.option(
    "--private-out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder for kits not to publish (private, or under embargo). Default: beside --out, "
    "with -private added (output-private/).",
)
@click.option(
    "--event",
    "events",
    multiple=True,
    metavar="SLUG",
    help="Build only this event (its file name without .yaml). Repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "html", "all"]),
    default="all",
    show_default=True,
    help="Which kinds of files to write.",
)
@click.option(
    "--include-drafts",
    is_flag=True,
    help="Let draft questions into kits too, marked as drafts, in output-drafts/ unless --out.",
)
@click.option("--force", is_flag=True, help="Render every PDF again, ignoring the build cache.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Render PDFs in N processes. Default: one per core.",
)
@click.option(
    "--debug-html",
    is_flag=True,
    help="Also write the HTML each PDF is rendered from, beside it (press-kit.html).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="List every file written or left unchanged.")
def build(
    project: Path | None,
    out: Path | None,
    private_out: Path | None,
    events: tuple[str, ...],
    fmt: str,
    include_drafts: bool,
    force: bool,
    jobs: int | None,
    debug_html: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the press kit, question sheet and one-pager of every event.

    PDFs whose inputs have not changed since the last build are not rendered again.
    """
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    from presskit.pipeline.build import build as run_build
    from presskit.pipeline.documents import ALL_FORMATS, BuildOptions

    started = time.perf_counter()
    loaded = _load(project)
    # A build with drafts never overwrites the approved kits: its own folder unless --out.
    default = "output-drafts" if include_drafts else "output"
    out_dir = out if out is not None else loaded.root / default
    formats = ALL_FORMATS if fmt == "all" else frozenset({fmt})
    options = BuildOptions(
        out=out_dir,
        events=events,
        formats=formats,  # type: ignore[arg-type]
        include_drafts=include_drafts,
        force=force,
        jobs=jobs,
        debug_html=debug_html,
    )
    bar = _ProgressBar() if not quiet and sys.stderr.isatty() else None
    try:
        result = run_build(loaded, options, progress=bar, private_out=private_out)
    finally:
        if bar is not None:
            bar.close()
    for warning in result.warnings:  # even with --quiet: text left out is never silent
        click.echo(f"warning: {warning}", err=True)
    if quiet:
        if result.untranslated:  # even with --quiet: an untranslated kit is never silent
            click.echo(f"warning: {result.untranslated}", err=True)
        return
    if verbose:
        listed = [(p, "wrote") for p in result.written] + [
            (p, "unchanged") for p in result.unchanged
        ]
        for path, what in sorted(listed):
            click.echo(f"{what:<9} {path.relative_to(out_dir).as_posix()}")
    seconds = time.perf_counter() - started
    shown = out if out is not None else Path(loaded.display) / default
    click.echo(
        f"{plural(len(result.built_events), 'kit')} built, "
        f"{len(result.unchanged_events)} unchanged, "
        f"{plural(len(result.written), 'file')} written in {shown}/ ({seconds:.1f} s)"
    )
    if result.held and result.private_out is not None:
        why = "; ".join(f"{slug}: {reason}" for slug, reason in sorted(result.held.items()))
        where = private_out if private_out is not None else Path(f"{shown}-private")
        click.echo(f"{plural(len(result.held), 'kit')} held back ({why}) in {where}/")
    _report_briefs(result, shown, private_out)
    if result.untranslated:  # last, so it is the line a user sees
        click.echo(f"warning: {result.untranslated}", err=True)


def _report_briefs(result: BuildResult, shown: Path, private_out: Path | None) -> None:
    """Where the talent briefs went: the private folder, unless an event publishes its own."""
    mine = result.private_out
    kept = [p for p in result.briefs if mine is not None and p.is_relative_to(mine)]
    if kept:
        where = private_out if private_out is not None else Path(f"{shown}-private")
        click.echo(f"{plural(len(kept), 'talent brief')} (private) in {where}/")
    if published := len(result.briefs) - len(kept):
        click.echo(f"{plural(published, 'talent brief')} published in {shown}/")


@main.command()
@project_option
@click.option("--include-drafts", is_flag=True, help="Check selections as a draft build would.")
def validate(project: Path | None, include_drafts: bool) -> None:
    """Check every file of the project and every event's selection; write nothing."""
    loaded = _load(project)
    from presskit.errors import ValidationFailed
    from presskit.kits.i18n import catalogue_problems
    from presskit.kits.select import select_all
    from presskit.tools.approve import changed_problems

    if problems := catalogue_problems(loaded.label_files):
        raise ValidationFailed(problems)
    select_all(loaded, include_drafts=include_drafts, explain=False)  # no reasons to show
    changed = changed_problems(loaded)
    for problem in changed:  # not an error: kits leave these questions out until re-approved
        click.echo(f"warning: {problem}", err=True)
    questions = sum(len(b.bank.questions) for b in loaded.banks)
    approved = sum(q.status == "approved" for b in loaded.banks for q in b.bank.questions)
    waiting = f", {len(changed)} changed since approval" if changed else ""
    click.echo(
        f"ok: {plural(len(loaded.banks), 'bank')}, {plural(questions, 'question')} "
        f"({approved - len(changed)} approved{waiting}), {plural(len(loaded.events), 'event')}, "
        f"{plural(len(loaded.signatories.signatories), 'signatory', 'signatories')}"
    )


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
def new(directory: Path) -> None:
    """Write a new, buildable project (campaign, one bank, one event) into DIRECTORY."""
    from presskit.tools.scaffold import new_project

    written = new_project(directory)
    click.echo(
        f"created {directory}/ with {plural(len(written), 'file')}; "
        f"next: presskit build --project {directory}"
    )


@main.command()
@lint_project_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for annotations in GitHub Actions.",
)
@click.option("--rules", "list_rules", is_flag=True, help="List the rules and exit.")
@click.option(
    "--rule",
    "only",
    metavar="CODES",
    default="",
    help="Run only these rules, comma-separated (PK303,PK304); validation (PK001) always runs.",
)
def lint(project: Path | None, fmt: str, list_rules: bool, only: str) -> None:
    """Validate, then check questions, events and signatories against editorial rules.

    Exits 1 if any finding is an error, 0 if there are only warnings (or none).
    """
    from presskit.tools.lint import RULES, describe_rules, lint_project, render

    if list_rules:
        click.echo(describe_rules(), nl=False)
        return
    codes = frozenset(c.strip().upper() for c in only.split(",") if c.strip())
    if unknown := sorted(codes - set(RULES)):
        raise click.UsageError(
            f"no rule {', '.join(unknown)}; `presskit lint --rules` lists them", ctx=None
        )
    root = project if project is not None else Path.cwd()
    report = lint_project(root, str(project) if project is not None else ".", codes)
    click.echo(render(report, fmt), nl=False)
    if report.errors:
        raise SystemExit(1)


@main.command()
@click.argument(
    "kind", required=False, type=click.Choice(["bank", "event", "campaign", "signatories"])
)
@click.option(
    "--write", is_flag=True, help="Write every schema into the project's schemas/ folder instead."
)
@project_lookup_option
def schema(kind: str | None, write: bool, project: Path | None) -> None:
    """Print the JSON Schema of one kind of file, or --write them all into schemas/.

    The schemas come from the models that validate, so editors and `presskit validate` agree.
    """
    from presskit.project.schema import SCHEMA_DIR, schema_text
    from presskit.tools.scaffold import write_schemas

    if write == (kind is not None):
        raise click.UsageError("give a KIND to print, or --write to write them all")
    if kind is not None:
        click.echo(schema_text(kind), nl=False)
        return
    root = project if project is not None else Path.cwd()
    written = write_schemas(root / SCHEMA_DIR)
    shown = f"{project}/{SCHEMA_DIR}" if project is not None else SCHEMA_DIR
    click.echo(f"wrote {plural(len(written), 'schema')} into {shown}/")


@main.command()
@project_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools.",
)
def stats(project: Path | None, fmt: str) -> None:
    """Per bank: questions by status and tag, average length, use by events, unused questions."""
    from presskit.tools.stats import collect, render

    loaded = _load(project)
    click.echo(render(loaded, collect(loaded), fmt), nl=False)


@main.command()
@project_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="FILE",
    help="Where to write the page. Default: status.html in .output.presskit/ beside output/ "
    "(not in output/, which is published).",
)
def status(project: Path | None, out: Path | None) -> None:
    """Write a dashboard page: review and translation state per bank and language, each
    event's questions, question use, near-duplicates; print a short summary."""
    from presskit.tools.status import summary, write_status

    loaded = _load(project)
    found, path = write_status(loaded, out)
    click.echo(summary(found), nl=False)
    click.echo(f"wrote {path}")


@main.command()
@project_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--include-drafts", is_flag=True, help="Show draft questions too.")
@click.option(
    "--no-pdf",
    "no_pdf",
    is_flag=True,
    help="Preview the pages only (the portal and the one-pagers), no PDFs: for a slow machine.",
)
@click.option(
    "--poll",
    is_flag=True,
    help="Find changes by polling, where file events never arrive (network drives, some "
    "containers); WATCHFILES_FORCE_POLLING=1 does the same.",
)
def serve(project: Path | None, port: int, include_drafts: bool, no_pdf: bool, poll: bool) -> None:
    """Preview the portal, every page and every PDF on 127.0.0.1; open pages follow each save.

    Private, unlisted and embargoed events are shown too (the preview is local only).
    Problems are shown in the page and here, and the server keeps running. Ctrl-C stops it.
    """
    from presskit.tools.serve import serve as run_serve

    root = project if project is not None else Path.cwd()
    shown = str(project) if project is not None else "."
    run_serve(
        root,
        shown,
        port,
        include_drafts=include_drafts,
        pdfs=not no_pdf,
        polling=True if poll else None,
    )


@main.command()
@project_option
@click.option(
    "--event",
    default=None,
    metavar="SLUG",
    help="The questions this event's kits hold, in their order and language.",
)
@click.option(
    "--bank",
    "banks",
    multiple=True,
    metavar="BANK",
    help="Only questions from this bank. Repeatable.",
)
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="Only questions with this tag. Repeatable."
)
@click.option(
    "--count",
    type=click.IntRange(min=1),
    default=None,
    help="At most this many (without --event: a draw balanced across themes).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--explain",
    is_flag=True,
    help="With --event: why each question was chosen and each other left out.",
)
@click.option("--include-drafts", is_flag=True, help="Let draft questions in too.")
def questions(
    project: Path | None,
    event: str | None,
    banks: tuple[str, ...],
    tags: tuple[str, ...],
    count: int | None,
    fmt: str,
    explain: bool,
    include_drafts: bool,
) -> None:
    """Print questions, e.g. to paste into a message, or to see why an event got them."""
    from presskit.tools.questions import Query, list_questions

    query = Query(
        event=event,
        banks=banks,
        tags=tags,
        count=count,
        explain=explain,
        include_drafts=include_drafts,
    )
    click.echo(list_questions(_load(project), query, fmt), nl=False)  # type: ignore[arg-type]


@main.group()
def signatories() -> None:
    """Work with the signatory list."""


@signatories.command("diff")
@project_option
@click.argument("old")
@click.argument("new", required=False)
def signatories_diff(project: Path | None, old: str, new: str | None) -> None:
    """List who was added or removed between two versions of the signatory list.

    OLD and NEW are files, or git revisions of the project's list (HEAD~3, v1.0, or
    REV:path). NEW defaults to the list as it is now.
    """
    from presskit.tools.signatory_diff import compare

    root = project if project is not None else Path.cwd()
    for line in compare(root, old, new):
        click.echo(line)


@main.command()
@project_option
@click.argument("ids", nargs=-1, metavar="ID...")
@click.option(
    "--bank",
    "banks",
    multiple=True,
    metavar="SLUG",
    help="Approve every question of this bank waiting for review. Repeatable.",
)
@click.option(
    "--all-drafts",
    is_flag=True,
    help="Approve every question waiting for review: drafts and those changed since approval.",
)
@click.option(
    "--record",
    is_flag=True,
    help="Record fingerprints for questions already approved and translations already made "
    "(for a project from before approvals were recorded); approves nothing new.",
)
def approve(
    project: Path | None,
    ids: tuple[str, ...],
    banks: tuple[str, ...],
    all_drafts: bool,
    record: bool,
) -> None:
    """Approve questions: set status approved and record the wording approved (approved_as).

    A question whose wording changes after that waits for review again (presskit review).
    """
    from presskit.tools import approve as approving

    if record == bool(ids or banks or all_drafts):
        raise click.UsageError("give question IDs, --bank or --all-drafts; or --record alone")
    loaded = _load(project)
    if record:
        click.echo(approving.describe_recorded(approving.record(loaded)))
        return
    result = approving.approve(loaded, ids, banks, all_drafts)
    click.echo(approving.describe_approved(result))


@main.command()
@project_option
def review(project: Path | None) -> None:
    """List the questions waiting for review: drafts, and questions changed since approval
    with what changed, word by word, against the approved wording in git history."""
    from presskit.tools.review import render, waiting

    click.echo(render(waiting(_load(project))), nl=False)


@main.group()
def translations() -> None:
    """Hand translators a PO or XLIFF file, and bring their translations back."""


@translations.command("export")
@project_option
@click.argument("language")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["po", "xliff"]),
    default="po",
    show_default=True,
    help="gettext PO or XLIFF 1.2 (Poedit, Weblate, Crowdin and Lokalize read both).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The file to write ('-': standard output). Default: LANGUAGE.po or LANGUAGE.xlf here.",
)
def translations_export(project: Path | None, language: str, fmt: str, out: Path | None) -> None:
    """Write every translatable text with its LANGUAGE translation so far (outdated: fuzzy)."""
    from presskit.project.atomic import write_atomic
    from presskit.tools.translations import export

    text, found = export(_load(project), language, fmt)  # type: ignore[arg-type]
    if out is not None and str(out) == "-":
        click.echo(text, nl=False)
        return
    target = out if out is not None else Path(f"{language}.{'po' if fmt == 'po' else 'xlf'}")
    write_atomic(target, text.encode("utf-8"))  # an OSError is one line (PresskitGroup)
    done = sum(1 for e in found if e.target and not e.fuzzy)
    fuzzy = sum(1 for e in found if e.fuzzy)
    click.echo(
        f"wrote {target}: {plural(len(found), 'text')}, {done} translated, "
        f"{fuzzy} fuzzy (outdated), {len(found) - done - fuzzy} to translate"
    )


@translations.command("import")
@project_option
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--include-fuzzy", is_flag=True, help="Import fuzzy (needs review) entries too.")
def translations_import(project: Path | None, file: Path, include_fuzzy: bool) -> None:
    """Write a translated PO or XLIFF FILE back into the banks, presskit.yaml and locales/.

    Nothing is written unless the whole file can be imported.
    """
    from presskit.tools.translations import import_translations

    result = import_translations(_load(project), file, str(file), include_fuzzy=include_fuzzy)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(result.summary())
