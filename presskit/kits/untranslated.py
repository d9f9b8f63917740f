"""What a kit shows in English besides its questions: fixed labels and campaign or bank fields.

Kits never fail for a missing label or field: they show the English (or the campaign's own
language). This module says where that happens, for `presskit lint` to report (PK303 labels,
PK304 fields) and for `build` to count, so an untranslated kit does not go out unnoticed.
Question texts are `translate.missing_translations` (lint PK401).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from presskit.errors import Problem
from presskit.kits.i18n import has_catalogue, missing_labels
from presskit.kits.select import Selection
from presskit.kits.translate import kit_language, missing_translations, tagline_translated
from presskit.project.loading import LOCALES, Project
from presskit.wording import plural

Kind = Literal["label", "field"]
UNTRANSLATED_RULES = "PK303,PK304"  # lint's rules for labels and fields (tools/lint/rules)


@dataclass(frozen=True)
class Untranslated:
    """Labels (`kind` "label": `names` are label keys) or one field (`kind` "field": `names`
    is the field: tagline, theme or description) an event's kits show untranslated."""

    kind: Kind
    language: str
    names: tuple[str, ...]
    events: tuple[str, ...]
    problem: Problem  # the message, located where it is fixed (or where the language is set)
    hint: str

    @property
    def count(self) -> int:
        return len(self.names)


def _languages(project: Project, selections: Iterable[Selection]) -> dict[str, list[str]]:
    """Each kit language other than the campaign's own, with the events that use it."""
    used: dict[str, list[str]] = {}
    for selection in selections:
        language = kit_language(project.campaign, selection.event.event)
        used.setdefault(language, []).append(selection.event.slug)
    return used


def _shown(events: list[str]) -> str:
    return f"event {events[0]}" if len(events) == 1 else f"events {', '.join(events)}"


def missing_label_catalogues(
    project: Project, selections: Iterable[Selection]
) -> list[Untranslated]:
    """Per kit language, the labels neither presskit nor the project translates (all of them
    for a language with no catalogue at all)."""
    own = project.label_catalogues
    out = []
    for language, events in sorted(_languages(project, selections).items()):
        missing = missing_labels(language, own)
        if not missing:
            continue
        problem = _label_place(project, language, events[0])
        catalogue = f"{LOCALES}/{language.split('-')[0]}.yaml"
        if not has_catalogue(language, own):
            message = (
                f"no label catalogue for {language!r}, so the kits of {_shown(events)} show "
                f"all {len(missing)} labels, such as 'Questions', in English"
            )
            hint = f"Add {catalogue} to the project, with the keys of presskit's en.yaml."
        else:
            message = (
                f"{plural(len(missing), 'label')} missing in {language!r}, so the kits of "
                f"{_shown(events)} show them in English: {', '.join(missing)}"
            )
            hint = f"Add them to {catalogue} in the project."
        out.append(
            Untranslated(
                "label",
                language,
                tuple(missing),
                tuple(events),
                Problem(problem.path, problem.line, problem.col, problem.field, message),
                hint,
            )
        )
    return out


def _label_place(project: Project, language: str, event: str) -> Problem:
    """Where to report a language's missing labels: its project catalogue, else the line
    that asks for the language (the event's, or the campaign's)."""
    for file in project.label_files:
        if file.language == language:
            return file.source.problem((), "")
    event_file = project.event(event)
    if event_file.event.language:
        return event_file.source.problem(("language",), "")
    return project.campaign_source.problem(("language",), "")


def missing_fields(project: Project, selections: Iterable[Selection]) -> list[Untranslated]:
    """The tagline, and the theme headings and descriptions the kits draw, with no translation
    into the kit's language."""
    selections = list(selections)
    campaign = project.campaign
    out = []
    for language, events in sorted(_languages(project, selections).items()):
        if not tagline_translated(campaign, language):
            message = (
                f"no {language!r} translation of the campaign's tagline, so the kits of "
                f"{_shown(events)} show the original"
            )
            out.append(
                Untranslated(
                    "field",
                    language,
                    ("tagline",),
                    tuple(events),
                    _tagline_place(project, language, message),
                    f"Add translations.{language}.tagline to presskit.yaml.",
                )
            )
    for missing in missing_translations(project, selections):
        if missing.question_id is None:  # the theme heading or description
            hint = missing.hint[0].upper() + missing.hint[1:] + "; until then the original is used."
            problem = missing.problem
            out.append(
                Untranslated(
                    "field",
                    missing.language,
                    (missing.field,),
                    missing.events,
                    Problem(problem.path, problem.line, problem.col, "", missing.message),
                    hint,
                )
            )
    return out


def _tagline_place(project: Project, language: str, message: str) -> Problem:
    given = [
        code
        for code in (language, language.split("-", maxsplit=1)[0])
        if code in project.campaign.translations
    ]
    at = ("translations", given[0]) if given else ("tagline",)
    return project.campaign_source.problem(at, message)


def untranslated(project: Project, selections: Iterable[Selection]) -> list[Untranslated]:
    """Every label and field the given events' kits show untranslated."""
    selections = list(selections)
    return missing_label_catalogues(project, selections) + missing_fields(project, selections)


def summary(found: list[Untranslated]) -> str | None:
    """One line for the end of a build: how many, in which languages, and the command that
    lists them; None when there are none."""
    if not found:
        return None
    count = sum(f.count for f in found)
    languages = sorted({f.language for f in found})
    what = "untranslated label or field" if count == 1 else "untranslated labels or fields"
    return (
        f"{count} {what} in {', '.join(languages)}: "
        f"run `presskit lint --rule {UNTRANSLATED_RULES}` to list them"
    )
