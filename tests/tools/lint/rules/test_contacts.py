"""The press contact rule PK501."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.project.models import Contact
from presskit.tools.lint.registry import rules_in
from presskit.tools.lint.rules import contacts
from tests.tools.lint.conftest import (
    fails_on_its_fixture,
    passes_on_the_corrected_fixture,
)

CODES = [r.code for r in rules_in(contacts)]


@pytest.mark.parametrize("code", CODES)
def test_rule_fails_on_its_fixture(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fails_on_its_fixture(code, tmp_path, monkeypatch)


@pytest.mark.parametrize("code", CODES)
def test_rule_passes_on_the_corrected_fixture(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes_on_the_corrected_fixture(code, tmp_path, monkeypatch)


@pytest.mark.parametrize(
    ("host", "reserved"),
    [
        ("example.org", True),
        ("press.example.com", True),
        ("EXAMPLE.NET.", True),
        ("kits.example", True),
        ("press.test", True),
        ("a.invalid", True),
        ("localhost", True),
        ("dev.localhost", True),
        ("examples.org", False),
        ("example.org.uk", False),
        ("testing.org", False),
        ("asks.org", False),
    ],
)
def test_reserved_domains(host: str, reserved: bool) -> None:
    assert contacts.reserved_domain(host) is reserved


@pytest.mark.parametrize(
    ("fields", "flagged"),
    [
        ({"name": "Press office (placeholder)"}, ["name"]),
        ({"name": "Dana Reyes", "role": "TBD"}, ["role"]),
        ({"name": "Dana Reyes", "phone": "(555) 0123"}, ["phone"]),
        ({"name": "Dana Reyes", "phone": "+1 310 555 0199"}, ["phone"]),
        ({"name": "Dana Reyes", "phone": "+1 310 555 0200"}, []),
        ({"name": "Dana Reyes", "url": "https://localhost:8000/press"}, ["url"]),
        ({"name": "Dana Reyes", "email": "dana@asks.org"}, []),
    ],
)
def test_placeholder_fields(fields: dict[str, str], flagged: list[str]) -> None:
    found = [name for name, _ in contacts.placeholder_fields(Contact(**fields))]  # type: ignore[arg-type]
    assert found == flagged
