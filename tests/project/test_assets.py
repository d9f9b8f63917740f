"""Branding assets: each logo and font file is checked, with its location, when loading."""

from __future__ import annotations

from pathlib import Path

from presskit.project.assets import asset_paths
from presskit.project.models import Branding
from tests.kits.test_branding import LOGO, brand, problems


def test_asset_paths_lists_the_logo_and_font_files() -> None:
    branding = Branding.model_validate(
        {"logo": "brand/logo.svg", "font": {"family": "F", "files": [{"path": "brand/f.ttf"}]}}
    )
    assert asset_paths(branding) == ["brand/logo.svg", "brand/f.ttf"]
    assert asset_paths(None) == []


def test_asset_files_are_checked_with_their_location(mini: Path) -> None:
    (mini / "outside.svg").write_text(LOGO)
    brand(
        mini,
        "branding:\n  logo: brand/missing.svg\n  font:\n    family: F\n    files:\n"
        "      - path: brand/logo.woff2\n",
        event="branding:\n  logo: brand/fake.png\n",
    )
    (mini / "brand/fake.png").write_text("not a png")
    (mini / "brand/logo.woff2").write_text("not a font")
    assert problems(mini) == [
        "p/events/gala.yaml:10:9: branding.logo: brand/fake.png is not a PNG image",
        "p/presskit.yaml:9:9: branding.logo: file not found in the project: brand/missing.svg",
        "p/presskit.yaml:13:15: branding.font.files[0].path: brand/logo.woff2 is not a WOFF2 "
        "font file",
    ]


def test_assets_must_be_inside_the_project(mini: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere.svg").write_text(LOGO)
    (mini / "link.svg").symlink_to(tmp_path / "elsewhere.svg")
    brand(mini, "branding:\n  logo: link.svg\n", event="branding:\n  logo: ../elsewhere.svg\n")
    assert problems(mini) == [
        "p/events/gala.yaml:10:9: branding.logo: '../elsewhere.svg' must be a path inside the "
        "project (relative, without '..')",
        "p/presskit.yaml:9:9: branding.logo: file not found in the project: link.svg",
    ]
