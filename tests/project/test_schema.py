"""JSON Schemas: generated from the models, committed in sync, named by every YAML file we ship."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from presskit.cli import main
from presskit.project.schema import HEADER, KINDS, SCHEMA_DIR, file_name, schema, schema_text
from presskit.project.yamlfile import parse
from presskit.tools.scaffold import new_project
from tests.conftest import REPO

REGENERATE = "run `presskit schema --write` (or `make schemas`) and commit schemas/"
# YAML in the repository that is not a project file: presskit's own data and tooling.
NOT_PROJECT_FILES = (
    ".venv",
    ".git",
    "tests",
    "presskit/kits/locales",
    "presskit/tools/starter",
    "output",
)


def project_yaml(root: Path) -> list[Path]:
    """Every YAML file of the project at `root`, wherever someone put it."""
    found = []
    for path in sorted(root.rglob("*.y*ml")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(NOT_PROJECT_FILES) or path.name.startswith("."):
            continue
        found.append(path)
    return found


def as_json(value: Any) -> Any:
    """What a YAML 1.2 editor sees: unquoted dates are strings, not date objects."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def check_against_header(path: Path) -> None:
    """The first line names a schema; the file exists, and the file's data validates."""
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith(HEADER), f"{path}: first line must be {HEADER}<schema>"
    schema_path = (path.parent / first.removeprefix(HEADER)).resolve()
    assert schema_path.is_file(), f"{path}: {schema_path} does not exist"
    loaded = json.loads(schema_path.read_text(encoding="utf-8"))
    data, _ = parse(text, str(path))
    validator = jsonschema.Draft202012Validator(
        loaded, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(as_json(data))
    ]
    assert not errors, f"{path}: {errors}"


@pytest.mark.parametrize("kind", list(KINDS))
def test_committed_schemas_match_the_models(kind: str) -> None:
    committed = REPO / SCHEMA_DIR / file_name(kind)
    assert committed.is_file(), REGENERATE
    assert committed.read_text(encoding="utf-8") == schema_text(kind), REGENERATE


@pytest.mark.parametrize("kind", list(KINDS))
def test_schemas_are_valid_json_schema(kind: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(kind))


def test_every_shipped_yaml_file_names_and_passes_its_schema() -> None:
    files = project_yaml(REPO)
    names = {p.relative_to(REPO).as_posix() for p in files}
    assert {
        "presskit.yaml",
        "campaign/signatories.yaml",
        "question_banks/allyship.yaml",
        "events/film-premiere.yaml",
    } <= names
    for path in files:
        check_against_header(path)


def test_every_scaffolded_yaml_file_names_and_passes_its_schema(tmp_path: Path) -> None:
    written = new_project(tmp_path / "kit")
    assert {p.relative_to(tmp_path / "kit").as_posix() for p in written} >= {
        f"{SCHEMA_DIR}/{file_name(kind)}" for kind in KINDS
    }
    files = project_yaml(tmp_path / "kit")
    assert len(files) == 4
    for path in files:
        check_against_header(path)
    # The written schemas are those of this presskit.
    for kind in KINDS:
        assert (tmp_path / "kit" / SCHEMA_DIR / file_name(kind)).read_text() == schema_text(kind)


def test_the_schema_catches_what_the_models_reject(tmp_path: Path) -> None:
    bank = tmp_path / "question_banks/bad.yaml"
    bank.parent.mkdir()
    (tmp_path / SCHEMA_DIR).mkdir()
    (tmp_path / SCHEMA_DIR / "bank.schema.json").write_text(schema_text("bank"))
    bank.write_text(
        f"{HEADER}../schemas/bank.schema.json\ntheme: T\nquestions:\n"
        "  - id: Bad_Id\n    text: What now?\n    status: maybe\n    colour: red\n"
    )
    with pytest.raises(AssertionError) as caught:
        check_against_header(bank)
    message = str(caught.value)
    assert "questions.0.id: 'Bad_Id' does not match" in message
    assert "questions.0.status: 'maybe' is not one of ['draft', 'approved', 'retired']" in message
    assert "Additional properties are not allowed ('colour' was unexpected)" in message


def test_cli_prints_one_schema_or_writes_all(tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["schema", "event"])
    assert shown.exit_code == 0
    assert shown.output == schema_text("event")
    assert json.loads(shown.output)["title"] == "Event"
    written = runner.invoke(main, ["schema", "--write", "--project", str(tmp_path)])
    assert written.exit_code == 0, written.output
    assert written.output == f"wrote 4 schemas into {tmp_path}/schemas/\n"
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == [
        "bank.schema.json",
        "campaign.schema.json",
        "event.schema.json",
        "signatories.schema.json",
    ]
    neither = runner.invoke(main, ["schema"])
    assert neither.exit_code == 2
    assert "give a KIND to print, or --write to write them all" in neither.output
    unknown = runner.invoke(main, ["schema", "banks"])
    assert unknown.exit_code == 2
