"""What kits show untranslated besides questions: labels (PK303) and fields (PK304), and the
line a build ends with."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from presskit import kits
from presskit.cli import main
from presskit.kits.select import select_all
from presskit.kits.untranslated import summary, untranslated
from presskit.project.loading import load_project


def _german(root: Path) -> None:
    gala = root / "events" / "gala.yaml"
    gala.write_text(gala.read_text("utf-8") + "language: de\n", "utf-8")


def test_a_language_with_no_catalogue_is_reported_once_with_every_label(mini: Path) -> None:
    _german(mini)
    project = load_project(mini)
    found = untranslated(project, select_all(project))
    labels = [f for f in found if f.kind == "label"]
    assert len(labels) == 1
    assert labels[0].problem.path.endswith("events/gala.yaml")
    assert "no label catalogue for 'de'" in labels[0].problem.message
    assert labels[0].count > 70  # every label
    fields = sorted(name for f in found if f.kind == "field" for name in f.names)
    assert fields == ["description", "tagline", "theme", "theme"]  # beta has a description


def test_a_partial_project_catalogue_reports_only_what_it_lacks(mini: Path) -> None:
    _german(mini)
    (mini / "locales").mkdir()
    english = (Path(kits.__file__).parent / "locales" / "en.yaml").read_text("utf-8")
    (mini / "locales" / "de.yaml").write_text(
        english.replace("questions: Questions\n", ""), "utf-8"
    )
    project = load_project(mini)
    (label,) = [f for f in untranslated(project, select_all(project)) if f.kind == "label"]
    assert label.names == ("questions",)
    assert label.problem.path.endswith("locales/de.yaml")
    assert "1 label missing in 'de'" in label.problem.message


def test_a_kit_in_the_campaigns_language_has_nothing_untranslated(mini: Path) -> None:
    project = load_project(mini)
    assert untranslated(project, select_all(project)) == []
    assert summary([]) is None


def test_build_ends_with_the_count_and_a_lint_command_that_lists_them(mini: Path) -> None:
    _german(mini)
    result = CliRunner().invoke(
        main, ["build", "--project", str(mini), "--out", str(mini / "out"), "--format", "html"]
    )
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    found = re.fullmatch(
        r"warning: (\d+) untranslated labels or fields in de: run `presskit (lint [^`]+)` "
        r"to list them",
        last,
    )
    assert found, last
    listed = CliRunner().invoke(
        main, [*found.group(2).split(), "--project", str(mini), "--format", "json"]
    )
    assert listed.exit_code == 0, listed.output
    assert '"code": "PK303"' in listed.output and '"code": "PK304"' in listed.output
    assert '"code": "PK401"' not in listed.output  # only the rules asked for


def test_a_campaign_in_a_language_without_labels_is_reported_at_its_language(
    mini: Path, edit: Callable[[Path, str, str], None]
) -> None:
    edit(mini / "presskit.yaml", "name: Test Campaign\n", "name: Test Campaign\nlanguage: sw\n")
    project = load_project(mini)
    found = untranslated(project, select_all(project))
    assert [(f.kind, f.language, f.problem.path, f.problem.line) for f in found] == [
        ("label", "sw", f"{mini}/presskit.yaml", 2)
    ]  # its own texts are in its language: only presskit's labels are not
