"""The label catalogues (presskit/kits/locales/) and locale-aware dates."""

from __future__ import annotations

import datetime as dt
import re

from presskit.kits.i18n import format_date, format_datetime, labels, missing_labels


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
