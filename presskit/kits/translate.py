"""A kit's language: which text each question and theme shows in it, and what is missing.

Banks are written in the campaign's language. An event may set another `language`; its kits then
use each question's and theme's translation into that language (`pt-BR` falls back to `pt`), and
whatever has no translation falls back to the original text. `missing_translations` lists those
fallbacks, located in the bank files, for `presskit lint` to report as warnings.

A translation made from English that has changed since (its `translated_from` is not the English's
fingerprint, presskit.project.fingerprint) is outdated: kits show the English instead, a question
with a note (`pending`, the label "Translation pending update"), unless the campaign says
`outdated_translations: keep`. `_current` is the one place that decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from presskit.errors import Problem
from presskit.kits.select import Selection
from presskit.kits.talent import brief_mode
from presskit.project.fingerprint import (
    bank_fingerprint,
    campaign_fingerprint,
    outdated,
    question_fingerprint,
)
from presskit.project.loading import BankFile, Project
from presskit.project.models import (
    Bank,
    BankTranslation,
    Campaign,
    CampaignTranslation,
    Event,
    Question,
    QuestionTranslation,
)

T = TypeVar("T")


def kit_language(campaign: Campaign, event: Event) -> str:
    return event.language or campaign.language


def _same(language: str, other: str) -> bool:
    return language == other or language.split("-", maxsplit=1)[0] == other


def _lookup(translations: Mapping[str, T], language: str) -> T | None:
    found = translations.get(language)
    if found is None:
        found = translations.get(language.split("-", maxsplit=1)[0])
    return found


Translation = TypeVar("Translation", QuestionTranslation, BankTranslation, CampaignTranslation)


def _current(
    t: Translation | None, english: str, keep_outdated: bool
) -> tuple[Translation | None, bool]:
    """The translation to show, and whether one was set aside because the English it was made
    from (`translated_from`) is not the English now (`english`, its fingerprint)."""
    if t is None or keep_outdated or not outdated(t.translated_from, english):
        return t, False
    return None, True


def keeps_outdated(campaign: Campaign) -> bool:
    """Whether kits show outdated translations (`outdated_translations: keep`)."""
    return campaign.outdated_translations == "keep"


@dataclass(frozen=True)
class LocalQuestion:
    """A question's text in the kit's language; each `*_lang` says which language it is in."""

    text: str
    lang: str
    follow_ups: list[str]
    follow_ups_lang: str
    notes: str | None
    notes_lang: str
    prep: str | None = None
    prep_lang: str = ""
    pending: bool = False  # the translation is outdated, so this is the English, with a note


def localize_question(
    question: Question, language: str, source: str, keep_outdated: bool = False
) -> LocalQuestion:
    t = None if _same(language, source) else _lookup(question.translations, language)
    t, pending = _current(t, question_fingerprint(question), keep_outdated)
    if t is None:
        return LocalQuestion(
            question.text,
            source,
            list(question.follow_ups),
            source,
            question.notes,
            source,
            question.prep,
            source,
            pending,
        )
    follow_ups, follow_ups_lang = (
        (t.follow_ups, language)
        if t.follow_ups is not None
        else (list(question.follow_ups), source)
    )
    notes, notes_lang = (t.notes, language) if t.notes is not None else (question.notes, source)
    if not follow_ups:
        follow_ups_lang = language
    if notes is None:
        notes_lang = language
    prep, prep_lang = (t.prep, language) if t.prep is not None else (question.prep, source)
    if prep is None:
        prep_lang = language
    return LocalQuestion(
        t.text, language, follow_ups, follow_ups_lang, notes, notes_lang, prep, prep_lang
    )


@dataclass(frozen=True)
class LocalTheme:
    title: str
    lang: str
    description: str | None
    description_lang: str


def localize_theme(
    bank: Bank, language: str, source: str, keep_outdated: bool = False
) -> LocalTheme:
    t = None if _same(language, source) else _lookup(bank.translations, language)
    t, _ = _current(t, bank_fingerprint(bank), keep_outdated)
    if t is None:
        return LocalTheme(bank.theme, source, bank.description, source)
    if t.description is None and bank.description:
        return LocalTheme(t.theme, language, bank.description, source)
    return LocalTheme(t.theme, language, t.description, language)


def localize_tagline(campaign: Campaign, language: str) -> str | None:
    t = None if _same(language, campaign.language) else _lookup(campaign.translations, language)
    t, _ = _current(t, campaign_fingerprint(campaign), keeps_outdated(campaign))
    return t.tagline if t is not None and t.tagline is not None else campaign.tagline


def translation_for(translations: Mapping[str, T], language: str) -> T | None:
    """The translation into `language` (`pt-BR` falls back to `pt`), or None: the one lookup
    kits use, for others (the dashboard) to count the same way."""
    return _lookup(translations, language)


def tagline_translated(campaign: Campaign, language: str) -> bool:
    """Whether kits in `language` show the tagline in that language (or have none to show)."""
    if not campaign.tagline or _same(language, campaign.language):
        return True
    t = _lookup(campaign.translations, language)
    return t is not None and t.tagline is not None


@dataclass(frozen=True)
class MissingTranslation:
    """Text an event's kits show in the original language because no translation exists."""

    language: str
    bank: str
    question_id: str | None  # None for the theme heading or description
    field: str  # text, follow_ups, notes, theme or description
    events: tuple[str, ...]
    message: str
    hint: str
    problem: Problem  # message and hint, located in the bank file


def missing_translations(
    project: Project, selections: Iterable[Selection]
) -> list[MissingTranslation]:
    """Every fallback to the original text in the given events' kits, one per text and language.

    Meant for `presskit lint` (as warnings): builds still succeed and show the original text.
    """
    source = project.campaign.language
    found: dict[tuple[str, str, str | None, str], list[str]] = {}
    for selection in selections:
        language = kit_language(project.campaign, selection.event.event)
        if _same(language, source):
            continue
        briefed = brief_mode(project.campaign, selection.event.event) != "off"
        for theme in selection.themes:
            bank = theme.bank.bank
            t = _lookup(bank.translations, language)
            no_description = bool(bank.description) and (t is None or t.description is None)
            fields = (["theme"] if t is None else []) + (["description"] if no_description else [])
            for name in fields:
                found.setdefault((language, theme.bank.slug, None, name), []).append(
                    selection.event.slug
                )
            for pick in theme.picks:
                q = pick.question
                qt = _lookup(q.translations, language)
                names = ["text"] if qt is None else []
                if q.follow_ups and (qt is None or qt.follow_ups is None):
                    names.append("follow_ups")
                if q.notes and (qt is None or qt.notes is None):
                    names.append("notes")
                if briefed and q.prep is not None and (qt is None or qt.prep is None):
                    names.append("prep")  # printed in the talent brief only
                for name in names:
                    found.setdefault((language, theme.bank.slug, q.id, name), []).append(
                        selection.event.slug
                    )
    out = []
    for (language, slug, qid, name), events in sorted(
        found.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or "", item[0][3])
    ):
        bank_file = project.bank(slug)
        used_by = (
            f"event {events[0]} shows" if len(events) == 1 else f"events {', '.join(events)} show"
        )
        if name == "prep":
            used_by = f"the talent brief of {used_by}"
        what = {
            "text": "the question",
            "follow_ups": "its follow-ups",
            "notes": "its notes",
            "prep": "its prep",
            "theme": "the theme heading",
            "description": "the theme description",
        }[name]
        message = f"no {language!r} translation of {what}, so {used_by} the original"
        hint = f"add translations.{language}.{name}"
        out.append(
            MissingTranslation(
                language,
                slug,
                qid,
                name,
                tuple(events),
                message,
                hint,
                _problem(bank_file, qid, language, f"{message}; {hint}"),
            )
        )
    return out


def _problem(bank_file: BankFile, qid: str | None, language: str, message: str) -> Problem:
    if qid is None:
        return bank_file.source.problem(("translations", language), message)
    index = next(i for i, q in enumerate(bank_file.bank.questions) if q.id == qid)
    return bank_file.source.problem(("questions", index, "translations", language), message)
