"""Fixed labels and date formats per language.

Kits mix two kinds of text: the campaign's own (from YAML, translated by editors) and presskit's
fixed labels ("Questions", "Page 3 of 9"). The labels live in one catalogue per language under
`presskit/kits/locales/`; a label missing from a catalogue falls back to English.

A project may ship its own catalogues (`locales/<language>.yaml` at its root, the same keys):
for a language presskit lacks, or to change some labels. They are loaded with the project
(`Project.label_catalogues`) and passed to `labels` as data, never cached here, so one
project's labels cannot leak into another's kits in the same process.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from presskit.errors import Problem
from presskit.project.loading import LabelFile
from presskit.project.references import did_you_mean

DEFAULT_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})
# A project's own catalogues, by language (`Project.label_catalogues`).
Catalogues = Mapping[str, Mapping[str, str]]
NO_CATALOGUES: Catalogues = {}
_PLACEHOLDER = re.compile(r"{(\w*)}")


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


def _base(language: str) -> str:
    return language.split("-", maxsplit=1)[0]


def _own(language: str, project: Catalogues) -> dict[str, str]:
    """`language`'s labels beyond English: presskit's, then the project's over them; the base
    language's (`pt` for `pt-BR`) under the regional ones."""
    merged: dict[str, str] = {}
    for code in dict.fromkeys([_base(language), language]):
        merged.update(_catalogue(code))
        merged.update(project.get(code, {}))
    return merged


def labels(language: str, project: Catalogues = NO_CATALOGUES) -> dict[str, str]:
    """The label catalogue for `language` (`pt-BR` falls back to `pt`), over English; the
    project's own catalogues (`project`) over presskit's."""
    merged = dict(_catalogue(DEFAULT_LANGUAGE))
    merged.update(project.get(DEFAULT_LANGUAGE, {}))
    merged.update(_own(language, project))
    return merged


def has_catalogue(language: str, project: Catalogues = NO_CATALOGUES) -> bool:
    """Whether presskit or the project has labels for `language` (or its base language)."""
    return _base(language) == DEFAULT_LANGUAGE or bool(_own(language, project))


def missing_labels(language: str, project: Catalogues = NO_CATALOGUES) -> list[str]:
    """Label keys `language` lacks and shows in English instead (all of them for no catalogue)."""
    if _base(language) == DEFAULT_LANGUAGE:
        return []
    return sorted(set(_catalogue(DEFAULT_LANGUAGE)) - set(_own(language, project)))


def placeholders(text: str) -> list[str]:
    """The `{names}` presskit fills into a label, sorted."""
    return sorted(_PLACEHOLDER.findall(text))


def catalogue_problems(files: Iterable[LabelFile]) -> list[Problem]:
    """A project catalogue's mistakes, located: a key English does not have (a typo would be a
    label silently never used), or placeholders that differ from the English label's (a
    missing `{count}` loses the number; an unknown one fails the build)."""
    english = _catalogue(DEFAULT_LANGUAGE)
    problems: list[Problem] = []
    for file in files:
        for key, value in file.labels.items():
            if key not in english:
                problems.append(
                    file.source.problem(
                        (key,),
                        f"unknown label {key!r}{did_you_mean(key, english)}",
                        key=True,
                    )
                )
            elif placeholders(value) != placeholders(english[key]):
                wanted = ", ".join(f"{{{p}}}" for p in placeholders(english[key])) or "none"
                problems.append(
                    file.source.problem(
                        (key,), f"placeholders must match the English label's ({wanted})"
                    )
                )
    return problems


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
