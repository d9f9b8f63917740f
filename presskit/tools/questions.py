"""`presskit questions`: an event's questions (or the banks') as text, Markdown or JSON.

For pasting into a message or checking a selection before building. With `--explain` it shows
why each question was chosen and why every other one was left out, straight from the selection's
own reasons, so what it says is what the build does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from presskit.errors import UsageError
from presskit.kits.i18n import labels
from presskit.kits.select import Draw, Pick, Selection, browse, select
from presskit.kits.translate import (
    keeps_outdated,
    kit_language,
    localize_question,
    localize_theme,
)
from presskit.project.loading import Project
from presskit.project.models import Campaign
from presskit.wording import plural

Format = Literal["text", "markdown", "json"]


@dataclass(frozen=True)
class Query:
    event: str | None = None
    banks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    count: int | None = None
    explain: bool = False
    include_drafts: bool = False


@dataclass(frozen=True)
class _Item:
    number: int
    pick: Pick
    theme: str
    text: str
    follow_ups: list[str]
    notes: str | None


def _check(project: Project, query: Query) -> None:
    if query.event is not None and query.event not in {e.slug for e in project.events}:
        known = ", ".join(e.slug for e in project.events) or "none"
        raise UsageError(f"no event named {query.event!r}; known events: {known}")
    slugs = [b.slug for b in project.banks]
    unknown = [b for b in query.banks if b not in slugs]
    if unknown:
        raise UsageError(
            f"no bank named {', '.join(map(repr, unknown))}; known banks: {', '.join(slugs)}"
        )
    unknown = [t for t in query.tags if t not in project.tags]
    if unknown:
        raise UsageError(f"no question has the tag {', '.join(map(repr, unknown))}")
    if query.explain and query.event is None:
        raise UsageError("--explain needs --event: it explains an event's selection")


def list_questions(project: Project, query: Query, fmt: Format = "text") -> str:
    """The questions `query` asks for, formatted; raises `UsageError` for unknown names."""
    _check(project, query)
    language = project.campaign.language
    selection: Selection | None = None
    if query.event is not None:
        selection = select(project, project.event(query.event), include_drafts=query.include_drafts)
        language = kit_language(project.campaign, selection.event.event)
        drawn: Draw = selection
    else:
        drawn = browse(
            project,
            banks=list(query.banks) or None,
            tags=query.tags,
            count=query.count,
            include_drafts=query.include_drafts,
        )
    items = _items(drawn, language, project.campaign)
    if selection is not None:  # --bank, --tag and --count narrow what is printed
        items = [
            i
            for i in items
            if (not query.banks or i.pick.bank.slug in query.banks)
            and (not query.tags or set(i.pick.question.tags) & set(query.tags))
        ]
        items = items[: query.count] if query.count is not None else items
    if fmt == "json":
        return _json(project, selection, drawn, items, query.explain, language)
    if fmt == "markdown":
        return _markdown(project, selection, items, language)
    return _text(project, selection, drawn, items, query.explain, language)


def _items(drawn: Draw, language: str, campaign: Campaign) -> list[_Item]:
    out: list[_Item] = []
    source, keep = campaign.language, keeps_outdated(campaign)
    numbers = drawn.numbers
    for theme in drawn.themes:
        title = localize_theme(theme.bank.bank, language, source, keep).title
        for pick in theme.picks:
            local = localize_question(pick.question, language, source, keep)
            out.append(
                _Item(
                    numbers[pick.question.id],
                    pick,
                    title,
                    local.text,
                    local.follow_ups,
                    local.notes,
                )
            )
    return out


def _heading(
    project: Project, selection: Selection | None, count: int, *, name: bool = True
) -> str:
    questions = plural(count, "question")
    if selection is None:
        return f"{project.campaign.name}: {questions}" if name else questions
    event = selection.event.event
    when = f"{event.date.isoformat()} · {questions}"
    return f"{event.name} · {when}" if name else when


def _rules(selection: Selection) -> str:
    rules = selection.event.event.select.model_dump(exclude_defaults=True)
    parts = []
    for key, value in rules.items():
        if isinstance(value, list):
            shown = ", ".join(value)
        elif isinstance(value, dict):
            shown = ", ".join(f"{k} {v}" for k, v in value.items())
        else:
            shown = str(value)
        parts.append(f"{key} {shown}")
    return " · ".join(parts)


def _group(items: Iterable[_Item]) -> list[tuple[str, list[_Item]]]:
    groups: list[tuple[str, list[_Item]]] = []
    for item in items:
        if not groups or groups[-1][0] != item.theme:
            groups.append((item.theme, []))
        groups[-1][1].append(item)
    return groups


def _text(
    project: Project,
    selection: Selection | None,
    drawn: Draw,
    items: list[_Item],
    explain: bool,
    language: str,
) -> str:
    label = labels(language, project.label_catalogues)["for_reporters"]
    lines = [_heading(project, selection, len(items))]
    if explain and selection is not None:
        lines += [f"Rules: {_rules(selection)}", "", f"Chosen ({len(items)}):"]
        for item in items:
            lines += [
                f"  {item.number:>2}. {item.pick.question.id} · {item.theme}",
                f"      {item.text}",
                f"      why: {item.pick.reason}",
            ]
        lines += ["", f"Left out ({len(drawn.left_out)}):"]
        lines += [f"  {o.question.id} · {o.bank.slug}: {o.reason}" for o in drawn.left_out]
        skipped = [b.slug for b in project.banks if b.slug not in drawn.banks]
        if skipped:
            lines += ["", f"Not drawn from (not in select.banks): {', '.join(skipped)}"]
        return "\n".join(lines) + "\n"
    for theme, group in _group(items):
        lines += ["", theme]
        for item in group:
            lines.append(f"  {item.number:>2}. {item.text}")
            lines += [f"      - {f}" for f in item.follow_ups]
            if item.notes:
                lines.append(f"      {label}: {item.notes}")
    return "\n".join(lines) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _markdown(
    project: Project, selection: Selection | None, items: list[_Item], language: str
) -> str:
    label = labels(language, project.label_catalogues)["for_reporters"]
    title = selection.event.event.name if selection else project.campaign.name
    lines = [f"# {_md(title)}", "", _md(_heading(project, selection, len(items), name=False))]
    for theme, group in _group(items):
        lines += ["", f"## {_md(theme)}", ""]
        for item in group:
            lines.append(f"{item.number}. {_md(item.text)}")
            lines += [f"   - {_md(f)}" for f in item.follow_ups]
            if item.notes:
                lines.append(f"   *{_md(label)}:* {_md(item.notes)}")
    return "\n".join(lines) + "\n"


def _json(
    project: Project,
    selection: Selection | None,
    drawn: Draw,
    items: list[_Item],
    explain: bool,
    language: str,
) -> str:
    out: dict[str, Any] = {"campaign": project.campaign.name, "language": language, "event": None}
    if selection is not None:
        event = selection.event.event
        out["event"] = {
            "slug": selection.event.slug,
            "name": event.name,
            "date": event.date.isoformat(),
        }
    questions = []
    for item in items:
        q = item.pick.question
        entry: dict[str, Any] = {
            "number": item.number,
            "id": q.id,
            "bank": item.pick.bank.slug,
            "theme": item.theme,
            "text": item.text,
            "follow_ups": item.follow_ups,
            "notes": item.notes,
            "tags": q.tags,
            "tone": q.tone,
            "status": q.status,
        }
        if explain:
            entry["reason"] = item.pick.reason
        questions.append(entry)
    out["questions"] = questions
    if explain:
        out["left_out"] = [
            {"id": o.question.id, "bank": o.bank.slug, "reason": o.reason} for o in drawn.left_out
        ]
        out["not_drawn_from"] = [b.slug for b in project.banks if b.slug not in drawn.banks]
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
