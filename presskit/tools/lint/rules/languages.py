"""Rules about languages: what an event's kits would show untranslated (PK401)."""

from __future__ import annotations

from collections.abc import Iterator

from presskit.errors import ValidationFailed
from presskit.kits.i18n import available_languages, has_catalogue
from presskit.kits.select import select_all
from presskit.kits.translate import missing_translations
from presskit.tools.lint.model import Corpus, Hit, Place, place, rule


@rule(
    "PK401",
    "missing-translation",
    "warning",
    "An event's kits show a question, its follow-ups or notes, or a theme heading in the "
    "original language: there is no translation into the event's language (or no label "
    "catalogue for it).",
)
def missing_translation(corpus: Corpus) -> Iterator[Hit]:
    if corpus.project is None:
        return
    for event in corpus.events:
        language = event.event.language
        if (
            language
            and language != corpus.project.campaign.language
            and not (has_catalogue(language))
        ):
            yield Hit(
                place(event.source, ("language",)),
                f"presskit has no labels in {language!r}, so this event's kits show "
                "labels such as 'Questions' in English",
                f"Use one of {', '.join(available_languages())}, or add a catalogue "
                "under presskit/kits/locales/.",
            )
    try:
        selections = select_all(corpus.project)
    except ValidationFailed:
        return  # PK001 reports why selection fails
    for missing in missing_translations(corpus.project, selections):
        p = missing.problem
        yield Hit(
            Place(p.path, p.line, p.col, missing.question_id),
            missing.message,
            missing.hint[0].upper() + missing.hint[1:] + "; until then the original text is used.",
        )
