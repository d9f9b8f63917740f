"""The build's shared vocabulary: what every event gets, how a build is asked for, what it did.

A leaf module: planning, rendering, downloads and the build itself all speak these types, and
none of them needs to import another to do so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from presskit.pipeline.lock import DEFAULT_TIMEOUT
from presskit.project.models import Event
from presskit.wording import plural

Format = Literal["pdf", "html"]
ALL_FORMATS: frozenset[Format] = frozenset({"pdf", "html"})
# Question-sheet layouts from roomiest to densest; the first that fits one page wins.
SHEET_DENSITIES = ("normal", "compact", "tight")
# What each layout of the question sheet (an `Output` with `sheet=True`) leaves out, which
# questions.html.j2 follows: compact drops the notes, tight the follow-ups too.
SHEET_KEEPS = {
    "normal": ("follow_ups", "notes"),
    "compact": ("follow_ups",),
    "tight": (),
}


@dataclass(frozen=True)
class Output:
    """One file every event gets; `label` names it in download lists (a key of `labels`)."""

    name: str
    template: str
    format: Format
    label: str
    max_pages: int | None = None
    too_long: str = "lower the event's select.count"
    sheet: bool = False  # the question sheet: `question_sheet.overflow` applies
    # Another output of the event whose fit in `max_pages` picks this one's variant: the print
    # sheet sets the pocket card's questions in the density the card itself is printed in.
    fit_by: str | None = None


OUTPUTS = (
    Output("press-kit.pdf", "press-kit.html.j2", "pdf", "press_kit"),
    Output("questions.pdf", "questions.html.j2", "pdf", "question_sheet", max_pages=1, sheet=True),
    Output(
        "pocket-card.pdf",
        "pocket-card.html.j2",
        "pdf",
        "pocket_card",
        max_pages=2,
        too_long="lower pocket_card.questions in presskit.yaml or choose a larger size",
    ),
    Output(
        "pocket-cards-sheet.pdf",
        "pocket-cards-sheet.html.j2",
        "pdf",
        "pocket_cards_sheet",
        max_pages=2,
        too_long="lower pocket_card.questions in presskit.yaml or choose a larger size",
        fit_by="pocket-card.pdf",
    ),
    Output("index.html", "onepager.html.j2", "html", "onepager"),
)
# The talent brief, for the people who may be asked: not one of `OUTPUTS`, which every event
# publishes, since it goes to the private folder unless its event says `talent_brief:
# published` (kits/talent.py says which briefs go where). Per-person briefs take its template
# under their own names.
BRIEF = Output("talent-brief.pdf", "talent-brief.html.j2", "pdf", "talent_brief")


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    events: tuple[str, ...] = ()
    formats: frozenset[Format] = ALL_FORMATS
    # The formats the one-pagers link to, when not `formats`: the live preview builds the HTML
    # first and the PDFs right after, and its pages link to the PDFs from the start.
    linked: frozenset[Format] | None = None
    # Only these outputs of each event, by name ("press-kit.pdf"; () for all), and those
    # whose fit picks theirs: the live preview renders the PDF open in a browser first.
    outputs: tuple[str, ...] = ()
    include_drafts: bool = False
    lock_timeout: float = DEFAULT_TIMEOUT  # seconds to wait for another build of this output
    force: bool = False  # render every PDF, whatever the cache says
    jobs: int | None = None  # worker processes for PDFs; None: one per core
    debug_html: bool = False  # write the HTML each PDF was rendered from beside it
    # Each event's zip and the portal (with its web app files). Off only in `build_pages`,
    # the live preview's first look at the pages open in a browser; a full build follows it.
    downloads: bool = True
    # `build` fills these in: events held back go to the private folder, not to `out`, and
    # files an earlier build left of them in `out` are removed (a stale kit would leak).
    hold: frozenset[str] = frozenset()  # events not built into `out`
    evict: frozenset[str] = frozenset()  # events whose files must not stay in `out`
    private: bool = False  # `out` is the private folder: no portal, nothing listed
    # Held events whose talent briefs are still built into `out`: in the private folder, the
    # private briefs of events published in `out`'s sibling.
    briefs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Document:
    """A file to produce: its place, and the HTML it is made from (densest variant last)."""

    event: str
    output: Output
    variants: tuple[str, ...]
    # Per variant, the follow-ups and notes it leaves out (empty: it leaves out nothing).
    left_out: tuple[LeftOut, ...] = ()
    # With `output.fit_by`: that document's variants, one per variant of this one; the first
    # that fits `output.max_pages` picks the variant (empty: this document's own fit decides).
    probes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.event}/{self.output.name}"

    def warning(self, variant: int) -> str | None:
        """What the build says when this document was made from `variant`: what it left out."""
        if variant >= len(self.left_out) or not self.left_out[variant]:
            return None
        return (
            f"{self.event}: the question sheet leaves out {self.left_out[variant]} to fit "
            f"{plural(self.output.max_pages or 1, 'page')} (the press kit has them; "
            "question_sheet.overflow: pages keeps them on more pages)"
        )


@dataclass(frozen=True)
class LeftOut:
    """Follow-ups and notes a question sheet's layout leaves out; false when none."""

    follow_ups: int = 0
    notes: int = 0

    def __bool__(self) -> bool:
        return bool(self.follow_ups or self.notes)

    def __str__(self) -> str:
        parts = [plural(self.follow_ups, "follow-up")] if self.follow_ups else []
        parts += [plural(self.notes, "note")] if self.notes else []
        return " and ".join(parts)


@dataclass
class BuildResult:
    """What a build did; the CLI turns it into the summary line."""

    written: list[Path] = field(default_factory=list)  # files whose bytes changed
    unchanged: list[Path] = field(default_factory=list)  # files already up to date
    rendered: list[str] = field(default_factory=list)  # PDFs rendered (not from the cache)
    events: list[str] = field(default_factory=list)
    built_events: list[str] = field(default_factory=list)  # kits with a file written
    unchanged_events: list[str] = field(default_factory=list)  # kits left as they were
    warnings: list[str] = field(default_factory=list)  # e.g. what a question sheet left out
    removed: list[Path] = field(default_factory=list)  # files of held-back kits taken out
    held: dict[str, str] = field(default_factory=dict)  # slug -> why it went to `private_out`
    private_out: Path | None = None  # where held-back kits went
    # Labels and fields the planned kits show untranslated, as one line naming the lint
    # command that lists them (kits/untranslated.py); None when there are none.
    untranslated: str | None = None
    briefs: list[Path] = field(default_factory=list)  # talent briefs written or up to date


def private_folder(out: Path) -> Path:
    """Where kits that must not be published go by default: beside the output folder, never
    inside it (`output/` -> `output-private/`), since the output folder is published whole."""
    return out.with_name(f"{out.name}-private")


def drafts_folder(out: Path) -> Path:
    """Where a build with drafts goes by default, so it never overwrites the approved kits."""
    return out.with_name(f"{out.name}-drafts")


def held_back(event: Event, now: dt.datetime) -> str | None:
    """Why `event`'s kits must stay out of the published folder at `now`, or None."""
    if event.visibility == "private":
        return "private"
    if event.embargo_until is not None and now < event.embargo_until:
        return f"embargoed until {event.embargo_until.isoformat()}"
    return None


def listed(event: Event) -> bool:
    """Whether the portal and its finder may name the event (when it is published at all)."""
    return event.visibility == "public"


def debug_html_path(pdf: Path) -> Path:
    """Where `--debug-html` puts the HTML a PDF was rendered from: press-kit.pdf -> .html."""
    return pdf.with_suffix(".html")
