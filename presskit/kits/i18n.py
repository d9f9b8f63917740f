"""Fixed labels and date formats per language.

Kits mix two kinds of text: the campaign's own (from YAML, translated by editors) and presskit's
fixed labels ("Questions", "Page 3 of 9"). The labels live in one catalogue per language under
`presskit/kits/locales/`; a label missing from a catalogue falls back to English.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Any

import yaml

DEFAULT_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})


@cache
def _catalogue(language: str) -> dict[str, str]:
    try:
        text = (
            resources.files("presskit.kits").joinpath(f"locales/{language}.yaml").read_text("utf-8")
        )
    except FileNotFoundError:
        return {}
    data: Any = yaml.safe_load(text)
    return {str(k): str(v) for k, v in (data or {}).items()}


def available_languages() -> list[str]:
    folder = resources.files("presskit.kits").joinpath("locales")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def labels(language: str) -> dict[str, str]:
    """The label catalogue for `language` (`pt-BR` falls back to `pt`), over English."""
    merged = dict(_catalogue(DEFAULT_LANGUAGE))
    base = language.split("-", maxsplit=1)[0]
    merged.update(_catalogue(base))
    if base != language:
        merged.update(_catalogue(language))
    return merged


def has_catalogue(language: str) -> bool:
    """Whether presskit has labels for `language` (or its base language) beyond English."""
    return bool(_catalogue(language) or _catalogue(language.split("-", maxsplit=1)[0]))


def missing_labels(language: str) -> list[str]:
    """Label keys `language` lacks and shows in English instead (all of them for no catalogue)."""
    own = {**_catalogue(language.split("-", maxsplit=1)[0]), **_catalogue(language)}
    return sorted(set(_catalogue(DEFAULT_LANGUAGE)) - set(own))


def direction(language: str) -> str:
    return "rtl" if language.split("-", maxsplit=1)[0] in RTL_LANGUAGES else "ltr"


def format_date(value: dt.date, language: str) -> str:
    """A long, local date ("7 March 2027", "7 de marzo de 2027"); English for unknown codes."""
    from babel.core import UnknownLocaleError  # imported only when rendering
    from babel.dates import format_date as babel_format_date

    try:
        return str(babel_format_date(value, format="long", locale=language.replace("-", "_")))
    except UnknownLocaleError:
        return str(babel_format_date(value, format="long", locale=DEFAULT_LANGUAGE))


def format_datetime(value: dt.datetime, language: str) -> str:
    """A long, local date and short time in `value`'s own zone, with its offset ("7 March 2027,
    18:00 UTC-08:00"): an embargo is read where the event is, not where the build runs."""
    from babel.core import UnknownLocaleError  # imported only when rendering
    from babel.dates import format_time

    try:
        locale = language.replace("-", "_")
        time = format_time(value, format="short", locale=locale, tzinfo=value.tzinfo)
    except UnknownLocaleError:
        locale = DEFAULT_LANGUAGE
        time = format_time(value, format="short", locale=locale, tzinfo=value.tzinfo)
    offset = value.strftime("%z")
    zone = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{format_date(value.date(), language)}, {time} {zone}"
