"""The label catalogues (presskit/kits/locales/ and a project's locales/) and locale-aware dates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from presskit.cli import main
from presskit.errors import ValidationFailed
from presskit.kits.i18n import (
    catalogue_problems,
    format_date,
    format_datetime,
    has_catalogue,
    labels,
    missing_labels,
)
from presskit.kits.select import select_all
from presskit.pipeline.plan import kit_context
from presskit.project.loading import load_project


def test_every_catalogue_has_every_label_with_the_same_placeholders() -> None:
    english = labels("en")
    for language in ("es", "fr", "ar"):
        assert missing_labels(language) == [], language
        own = labels(language)
        for key, value in english.items():
            assert re.findall(r"{\w+}", own[key]) == re.findall(r"{\w+}", value), (language, key)
    assert missing_labels("de") == sorted(english)  # no German catalogue: all in English
    assert labels("de")["questions"] == "Questions"
    assert labels("es-MX")["questions"] == "Preguntas"  # regional codes use the base language


def test_dates_are_formatted_for_the_language() -> None:
    day = dt.date(2027, 3, 7)
    assert format_date(day, "es") == "7 de marzo de 2027"
    assert format_date(day, "fr") == "7 mars 2027"
    assert format_date(day, "ar") == "7 مارس 2027"
    assert format_date(day, "xx") == "March 7, 2027"  # unknown to Babel: English


def test_a_moment_is_shown_in_its_own_zone_in_the_kits_language() -> None:
    moment = dt.datetime(2027, 3, 7, 18, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
    assert format_datetime(moment, "en") == "March 7, 2027, 6:00\u202fPM UTC-08:00"
    assert format_datetime(moment, "fr") == "7 mars 2027, 18:00 UTC-08:00"
    assert format_datetime(moment.astimezone(dt.UTC), "es") == "8 de marzo de 2027, 2:00 UTC"


def _catalogue(root: Path, language: str, text: str) -> None:
    (root / "locales").mkdir(exist_ok=True)
    (root / "locales" / f"{language}.yaml").write_text(text, "utf-8")


def test_a_project_catalogue_adds_a_language_presskit_lacks(mini: Path) -> None:
    _catalogue(mini, "de", 'questions: Fragen\nsignatory_count: "{count} Unterzeichnende"\n')
    project = load_project(mini)
    own = project.label_catalogues
    assert own == {"de": {"questions": "Fragen", "signatory_count": "{count} Unterzeichnende"}}
    assert labels("de", own)["questions"] == "Fragen"
    assert labels("de-AT", own)["questions"] == "Fragen"  # the base language's, as for presskit's
    assert labels("de", own)["letter"] == "The letter"  # what it lacks is English
    assert has_catalogue("de", own) and not has_catalogue("de")
    assert "questions" not in missing_labels("de", own)
    assert "letter" in missing_labels("de", own)
    assert catalogue_problems(project.label_files) == []
    # Passed as data, never remembered: without the project's catalogues, German is English.
    assert labels("de")["questions"] == "Questions"


def test_a_project_catalogue_overrides_presskit_labels(mini: Path) -> None:
    _catalogue(mini, "es", "questions: Preguntas clave\n")
    _catalogue(mini, "en", "questions: Ask him\n")
    own = load_project(mini).label_catalogues
    assert labels("es", own)["questions"] == "Preguntas clave"
    assert labels("es", own)["letter"] == labels("es")["letter"]  # the rest stays presskit's
    assert labels("en", own)["questions"] == "Ask him"
    assert labels("fr", own)["questions"] == labels("fr")["questions"]  # French overrides English


def test_a_project_catalogue_with_an_unknown_key_or_other_placeholders_is_located(
    mini: Path,
) -> None:
    _catalogue(
        mini,
        "de",
        "questions: Fragen\n"
        "questoins_for: Fragen an\n"
        'signatory_count: "{anzahl} Unterzeichnende"\n',
    )
    problems = catalogue_problems(load_project(mini).label_files)
    assert [str(p) for p in problems] == [
        f"{mini}/locales/de.yaml:2:1: questoins_for: unknown label 'questoins_for'"
        " (did you mean 'questions_for'?)",
        f"{mini}/locales/de.yaml:3:18: signatory_count: placeholders must match the English"
        " label's ({count})",
    ]


def test_validate_and_build_refuse_a_bad_project_catalogue(mini: Path) -> None:
    _catalogue(mini, "de", "questoins: Fragen\n")
    for command in (["validate"], ["build", "--out", str(mini / "out")]):
        result = CliRunner().invoke(main, [*command, "--project", str(mini)])
        assert result.exit_code == 1, result.output
        assert "locales/de.yaml:1:1: questoins: unknown label 'questoins'" in result.output
    assert not (mini / "out").exists()


def test_a_project_catalogue_must_be_a_mapping_of_texts_named_by_language(mini: Path) -> None:
    _catalogue(mini, "de", "questions: [Fragen]\n")
    _catalogue(mini, "German", "questions: Fragen\n")
    with pytest.raises(ValidationFailed) as caught:
        load_project(mini)
    shown = sorted(str(p).removeprefix(f"{mini}/") for p in caught.value.problems)
    assert shown == [
        "locales/German.yaml:1:1: file name 'German.yaml' must be a language code such as"
        " 'de.yaml' or 'pt-BR.yaml'",
        "locales/de.yaml:1:12: questions: must be a text (a label)",
    ]


def test_a_kit_uses_the_project_catalogue(mini: Path) -> None:
    _catalogue(mini, "de", "questions: Fragen\nfor_reporters: Für die Presse\n")
    (mini / "events" / "gala.yaml").write_text(
        (mini / "events" / "gala.yaml").read_text("utf-8") + "language: de\n", "utf-8"
    )
    project = load_project(mini)
    (selection,) = select_all(project)
    context = kit_context(project, selection)
    assert context.labels["questions"] == "Fragen"
    assert context.labels["letter"] == "The letter"
