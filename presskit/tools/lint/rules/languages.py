"""Rules about languages: what an event's kits would show untranslated: labels (PK303),
campaign and bank fields (PK304), questions (PK401)."""

from __future__ import annotations

from collections.abc import Iterator

from presskit.errors import ValidationFailed
from presskit.kits.select import Selection, select_all
from presskit.kits.translate import missing_translations
from presskit.kits.untranslated import Untranslated, missing_fields, missing_label_catalogues
from presskit.tools.lint.model import Corpus, Hit, Place, rule


def _selections(corpus: Corpus) -> list[Selection] | None:
    """The events' selections gathering drew; None if the project or an event did not
    validate (PK001 reports why). Drawn again only for a corpus built by hand."""
    if corpus.project is None or corpus.problems:
        return corpus.selections
    if corpus.selections is None:
        try:
            corpus.selections = select_all(corpus.project, explain=False)
        except ValidationFailed:
            return None
    return corpus.selections


def _hits(found: list[Untranslated]) -> Iterator[Hit]:
    for item in found:
        p = item.problem
        yield Hit(Place(p.path, p.line, p.col), p.message, item.hint)


@rule(
    "PK303",
    "missing-label",
    "warning",
    "An event's kits show presskit's fixed labels ('Questions', 'Page') in English: the "
    "language's label catalogue (presskit's, or the project's locales/<language>.yaml) lacks "
    "them, or there is none.",
)
def missing_label(corpus: Corpus) -> Iterator[Hit]:
    if (selections := _selections(corpus)) is not None:
        assert corpus.project is not None
        yield from _hits(missing_label_catalogues(corpus.project, selections))


@rule(
    "PK304",
    "missing-field-translation",
    "warning",
    "An event's kits show the campaign's tagline, or a theme heading or description, in the "
    "original language: there is no translation into the event's language.",
)
def missing_field_translation(corpus: Corpus) -> Iterator[Hit]:
    if (selections := _selections(corpus)) is not None:
        assert corpus.project is not None
        yield from _hits(missing_fields(corpus.project, selections))


@rule(
    "PK401",
    "missing-translation",
    "warning",
    "An event's kits show a question, its follow-ups or notes in the original language, or "
    "its talent brief a question's prep: there is no translation into the event's language.",
)
def missing_translation(corpus: Corpus) -> Iterator[Hit]:
    if (selections := _selections(corpus)) is None:
        return
    assert corpus.project is not None
    for missing in missing_translations(corpus.project, selections):
        if missing.question_id is None:
            continue  # a theme heading or description: PK304
        p = missing.problem
        yield Hit(
            Place(p.path, p.line, p.col, missing.question_id),
            missing.message,
            missing.hint[0].upper() + missing.hint[1:] + "; until then the original text is used.",
        )
