"""Which questions an event gets, and why.

Selection is a pure function of the project and the event: same inputs, same questions, in
the same order. Every question considered ends up either picked or left out with a reason,
so `presskit questions --explain` and error messages can say exactly what happened.

The order of work: pins; then each bank's quota (`quotas`) and each other bank's minimum
(`min_per_theme`), in bank order; then the rest of `count`, each next question from the open
theme that has the fewest so far. Within a bank, file order rules. When the rules cannot be met,
the error names the rule to relax (located at its key in the event file) and by how much.
Whether a question may be drawn at all is `kits/eligibility.py`'s rule, the one lint and stats
use too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from presskit.errors import Problem, ValidationFailed
from presskit.kits import eligibility
from presskit.kits.eligibility import allowed_statuses, kit_status, left_out_by
from presskit.project.fingerprint import changed_since_approval
from presskit.project.loading import BankFile, EventFile, Project
from presskit.project.models import Question
from presskit.project.models import Selection as Rules
from presskit.project.yamlfile import SourceMap
from presskit.wording import plural

# Filters a shortage can be blamed on, in the order they are suggested for relaxing.
RELAXABLE = ("fresh_after", "tones", "tags", "exclude_tags")


@dataclass(frozen=True)
class Pick:
    question: Question
    bank: BankFile
    reason: str


@dataclass(frozen=True)
class LeftOut:
    question: Question
    bank: BankFile
    reason: str


@dataclass(frozen=True)
class Theme:
    """The picked questions of one bank, in kit order."""

    bank: BankFile
    picks: tuple[Pick, ...]

    @property
    def title(self) -> str:
        return self.bank.bank.theme


@dataclass(frozen=True)
class Draw:
    """Questions drawn by a set of rules, grouped by theme, with what was left out and why."""

    themes: tuple[Theme, ...]
    left_out: tuple[LeftOut, ...]
    banks: tuple[str, ...]  # the banks drawn from, in order

    @property
    def picks(self) -> list[Pick]:
        return [pick for theme in self.themes for pick in theme.picks]

    @property
    def question_ids(self) -> list[str]:
        return [pick.question.id for pick in self.picks]

    @property
    def numbers(self) -> dict[str, int]:
        """THE number of each question, by id: its place in the draw's order, from 1 (themes
        in order, each theme's picks in order). The question sheet, the one-pager, the pocket
        card and `presskit questions` all print this number, so a question keeps it everywhere."""
        return {qid: n for n, qid in enumerate(self.question_ids, start=1)}


@dataclass(frozen=True)
class Selection(Draw):
    """An event's draw."""

    event: EventFile


Cache = dict[str, Selection]


def select(
    project: Project,
    event_file: EventFile,
    *,
    include_drafts: bool = False,
    cache: Cache | None = None,
    explain: bool = True,
) -> Selection:
    """Pick the event's questions; `cache` shares earlier events' draws (for `fresh_after`).

    `explain=False` leaves `left_out` empty, for callers that only need to know that the event
    can be drawn (`validate`): the picks and every problem stay exactly the same, without
    building the reasons for every question not picked."""
    cache = {} if cache is None else cache
    if event_file.slug not in cache:
        used = _used_before(project, event_file, include_drafts, cache, explain)
        drawn = _draw(
            project,
            event_file.event.select,
            event_file.source,
            allowed_statuses(include_drafts),
            used,
            explain,
        )
        cache[event_file.slug] = Selection(
            themes=drawn.themes, left_out=drawn.left_out, banks=drawn.banks, event=event_file
        )
    return cache[event_file.slug]


def select_all(
    project: Project,
    *,
    include_drafts: bool = False,
    only: tuple[str, ...] = (),
    explain: bool = True,
) -> list[Selection]:
    """Select for every event (or just `only`), reporting all events' problems together;
    `explain` as for `select`."""
    problems: list[Problem] = []
    selections: list[Selection] = []
    cache: Cache = {}
    for event_file in project.events:  # date order, so earlier draws are cached for later ones
        if only and event_file.slug not in only:
            continue
        try:
            selections.append(
                select(
                    project, event_file, include_drafts=include_drafts, cache=cache, explain=explain
                )
            )
        except ValidationFailed as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationFailed(problems)
    return selections


def browse(
    project: Project,
    *,
    banks: list[str] | None = None,
    tags: Iterable[str] = (),
    count: int | None = None,
    include_drafts: bool = False,
) -> Draw:
    """Questions without an event: all that match, or a balanced `count` of them."""
    statuses = allowed_statuses(include_drafts)
    rules = Rules.model_construct(banks=banks, tags=list(tags), count=0)
    order = eligibility.bank_order(banks, (b.slug for b in project.banks))
    matching = sum(
        not left_out_by(q, rules, statuses)
        for slug in order
        for q in project.bank(slug).bank.questions
    )
    wanted = matching if count is None else min(count, matching)
    rules = Rules.model_construct(banks=banks, tags=list(tags), count=wanted)
    return _draw(project, rules, SourceMap("<command line>"), statuses, {})


def _used_before(
    project: Project, event_file: EventFile, include_drafts: bool, cache: Cache, explain: bool
) -> dict[str, str]:
    """Question id -> the latest of the `fresh_after` earlier events that used it."""
    wanted = event_file.event.select.fresh_after
    if not wanted:
        return {}
    earlier = [e for e in project.events if e.event.date < event_file.event.date][-wanted:]
    used: dict[str, str] = {}
    for other in earlier:
        for qid in select(
            project, other, include_drafts=include_drafts, cache=cache, explain=explain
        ).question_ids:
            used[qid] = f"{other.slug} ({other.event.date.isoformat()})"
    return used


def _draw(
    project: Project,
    rules: Rules,
    src: SourceMap,
    statuses: frozenset[str],
    used: dict[str, str],
    explain: bool = True,
) -> Draw:
    bank_order = eligibility.bank_order(rules.banks, (b.slug for b in project.banks))
    picked, pinned_banks = _pin(project, rules, src, statuses, used, bank_order)
    pools, left_out, blocked_only_by = _pools(project, rules, statuses, used, bank_order, explain)
    open_banks = [slug for slug in bank_order if slug not in rules.quotas]
    needs = _needs(project, rules, src, picked, pools, open_banks)

    for slug in bank_order:
        for _ in range(needs.get(slug, 0)):
            question = pools[slug].pop(0)
            theme = project.bank(slug).bank.theme
            if slug in rules.quotas:
                why = (
                    f"quota: {len(picked[slug]) + 1} of {rules.quotas[slug]} from {theme!r} "
                    f"(select.quotas.{slug})"
                )
            else:
                why = (
                    f"minimum per theme: {len(picked[slug]) + 1} of {rules.min_per_theme} "
                    f"from {theme!r} (select.min_per_theme)"
                )
            picked[slug].append(Pick(question, project.bank(slug), why))

    wanted = rules.count - sum(len(p) for p in picked.values())
    available = sum(len(pools[slug]) for slug in open_banks)
    if available < wanted:
        raise ValidationFailed(
            [_shortage(src, rules, wanted - available, blocked_only_by, open_banks)]
        )

    # Balance: each next question comes from the open theme that has the fewest so far
    # (pins included); ties go to the earlier bank.
    for _ in range(wanted):
        slug = min(
            (s for s in open_banks if pools[s]), key=lambda s: (len(picked[s]), bank_order.index(s))
        )
        question = pools[slug].pop(0)
        picked[slug].append(
            Pick(
                question,
                project.bank(slug),
                f"balances themes: {project.bank(slug).bank.theme!r} had {len(picked[slug])} of "
                f"{rules.count} so far",
            )
        )
    order = pinned_banks + [s for s in bank_order if s not in pinned_banks]
    themes = tuple(Theme(project.bank(s), tuple(picked[s])) for s in order if picked.get(s))
    if not explain:
        return Draw(themes=themes, left_out=(), banks=tuple(order))
    for slug in bank_order:
        full = (
            f"not needed: quota of {rules.quotas[slug]} from this bank reached"
            if slug in rules.quotas
            else f"not needed: count of {rules.count} reached"
        )
        bank_file = project.bank(slug)
        left_out.extend(LeftOut(q, bank_file, full) for q in pools[slug])
    ranked = {
        q.id: i for i, q in enumerate(q for s in bank_order for q in project.bank(s).bank.questions)
    }
    left_out.sort(key=lambda o: ranked[o.question.id])
    return Draw(themes=themes, left_out=tuple(left_out), banks=tuple(order))


def _pin(
    project: Project,
    rules: Rules,
    src: SourceMap,
    statuses: frozenset[str],
    used: dict[str, str],
    bank_order: list[str],
) -> tuple[dict[str, list[Pick]], list[str]]:
    """The pinned questions, per bank, and the banks they come from in pin order."""
    picked: dict[str, list[Pick]] = {slug: [] for slug in bank_order}
    pinned_banks: list[str] = []
    problems: list[Problem] = []
    for i, qid in enumerate(rules.pinned):
        bank_file, question = project.questions[qid]
        if (status := kit_status(question)) not in statuses:
            hint = " or build with --include-drafts" if status == "draft" else ""
            which = (
                "changed since approval"
                if changed_since_approval(question)
                else f"is {question.status}"
            )
            problems.append(
                src.problem(
                    ("select", "pinned", i),
                    f"pins {qid!r}, which {which}; approve it{hint}, or unpin it",
                )
            )
            continue
        reason = f"pinned (#{i + 1} in select.pinned)"
        if qid in used:
            reason += f"; kept although {used[qid]} used it"
        picked.setdefault(bank_file.slug, []).append(Pick(question, bank_file, reason))
        if bank_file.slug not in pinned_banks:
            pinned_banks.append(bank_file.slug)
    if problems:
        raise ValidationFailed(problems)
    return picked, pinned_banks


def _pools(
    project: Project,
    rules: Rules,
    statuses: frozenset[str],
    used: dict[str, str],
    bank_order: list[str],
    explain: bool = True,
) -> tuple[dict[str, list[Question]], list[LeftOut], dict[str, dict[str, int]]]:
    """What each bank can still give; what the filters keep out and why (if `explain`); and,
    per relaxable rule and bank, how many questions that rule alone keeps out (what relaxing
    it would gain)."""
    pools: dict[str, list[Question]] = {}
    left_out: list[LeftOut] = []
    blocked_only_by: dict[str, dict[str, int]] = {rule: {} for rule in RELAXABLE}
    for slug in bank_order:
        bank_file = project.bank(slug)
        pool = pools.setdefault(slug, [])
        for question in bank_file.bank.questions:
            if question.id in rules.pinned:
                continue
            failures = left_out_by(question, rules, statuses, used)
            if not failures:
                pool.append(question)
                continue
            if explain:
                left_out.append(LeftOut(question, bank_file, failures[0][1]))
            if len(failures) == 1 and failures[0][0] in RELAXABLE:
                gains = blocked_only_by[failures[0][0]]
                gains[slug] = gains.get(slug, 0) + 1
    return pools, left_out, blocked_only_by


def _needs(
    project: Project,
    rules: Rules,
    src: SourceMap,
    picked: dict[str, list[Pick]],
    pools: dict[str, list[Question]],
    open_banks: list[str],
) -> dict[str, int]:
    """How many each bank must still give for its quota or the minimum per theme."""
    problems: list[Problem] = []
    needs: dict[str, int] = {}
    for slug, quota in rules.quotas.items():
        pins = len(picked.get(slug, []))
        if pins > quota:
            problems.append(
                src.problem(
                    ("select", "quotas", slug),
                    f"pins {plural(pins, 'question')} from {slug!r} but its quota is "
                    f"{quota} (over by {pins - quota}); raise the quota or "
                    "unpin some",
                )
            )
        elif len(pools[slug]) < quota - pins:
            short = quota - pins - len(pools[slug])
            problems.append(
                src.problem(
                    ("select", "quotas", slug),
                    f"asks for {quota} from {slug!r} but only "
                    f"{quota - short} match (short by {short}); lower the "
                    "quota, or add or approve questions in that bank",
                )
            )
        else:
            needs[slug] = quota - pins
    for slug in open_banks if rules.min_per_theme else []:
        need = max(0, rules.min_per_theme - len(picked[slug]))
        if len(pools[slug]) < need:
            have = len(picked[slug]) + len(pools[slug])
            problems.append(
                src.problem(
                    ("select", "min_per_theme"),
                    f"wants {rules.min_per_theme} from every theme but "
                    f"{slug!r} has only {have} that match (short by "
                    f"{rules.min_per_theme - have}); lower min_per_theme, or "
                    "leave the bank out of select.banks",
                )
            )
        elif need:
            needs[slug] = need
    if problems:
        raise ValidationFailed(problems)
    required = len(rules.pinned) + sum(needs.values())
    if required > rules.count:
        over = required - rules.count
        if any(slug in needs for slug in open_banks):
            raise ValidationFailed(
                [
                    src.problem(
                        ("select", "min_per_theme"),
                        f"{rules.min_per_theme} from each of "
                        f"{plural(len(open_banks), 'theme')}, with pins and quotas, needs "
                        f"{plural(required, 'question')} but count is {rules.count} "
                        f"(over by {over}); lower min_per_theme or raise count",
                    )
                ]
            )
        raise ValidationFailed(
            [
                src.problem(
                    ("select", "quotas"),
                    f"quotas and pins take {plural(required, 'question')} but count is "
                    f"{rules.count} "
                    f"(over by {over}); lower the quotas or raise count",
                )
            ]
        )
    return needs


def _shortage(
    src: SourceMap,
    rules: Rules,
    short: int,
    blocked_only_by: dict[str, dict[str, int]],
    open_banks: list[str],
) -> Problem:
    """Too few questions: blame the first filter whose relaxing alone would fill `count`."""
    match = rules.count - short
    for rule in RELAXABLE:
        gain = sum(n for slug, n in blocked_only_by[rule].items() if slug in open_banks)
        if not gain or gain < short:
            continue
        asked = (
            f"leaves {match} of the {plural(rules.count, 'question')} asked for (short by {short})"
        )
        if rule == "fresh_after":
            return src.problem(
                ("select", "fresh_after"),
                f"{asked}: {gain} more {'was' if gain == 1 else 'were'} used by the "
                f"{plural(rules.fresh_after, 'event')} before this one; lower fresh_after or count",
            )
        if rule == "tones":
            return src.problem(("select", "tones"), f"{asked}; add tones or lower count")
        if rule == "tags":
            return src.problem(("select", "tags"), f"{asked}; add tags or lower count")
        return src.problem(
            ("select", "exclude_tags"), f"{asked}; exclude fewer tags or lower count"
        )
    return src.problem(
        ("select", "count"),
        f"asks for {plural(rules.count, 'question')} but only {match} match "
        f"(short by {short}); lower count, add banks or tags, "
        "or approve more questions",
    )
