"""Branding assets (logos and fonts): checked when the project loads.

Logos and fonts are files inside the project. Loading checks that each is present, small
enough, and really a PNG, SVG or font, so a kit never meets a file it cannot use; composing a
kit (`presskit.kits.branding`) then inlines them.
"""

from __future__ import annotations

from pathlib import Path

from presskit.errors import Problem
from presskit.project.models import Branding
from presskit.project.yamlfile import Loc, SourceMap

MAX_LOGO_BYTES = 2_000_000
MAX_FONT_BYTES = 5_000_000
FONT_KINDS = {  # suffix -> (leading bytes, MIME type, CSS format())
    ".woff2": ((b"wOF2",), "font/woff2", "woff2"),
    ".woff": ((b"wOFF",), "font/woff", "woff"),
    ".ttf": ((b"\x00\x01\x00\x00", b"true"), "font/ttf", "truetype"),
    ".otf": ((b"OTTO", b"\x00\x01\x00\x00"), "font/otf", "opentype"),
}


def _inside(root: Path, rel: str) -> Path | None:
    path = (root / rel).resolve()
    return path if path.is_relative_to(root.resolve()) and path.is_file() else None


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in data


def asset_paths(branding: Branding | None) -> list[str]:
    """The project files `branding` names (logo, font files), relative to the project."""
    if branding is None:
        return []
    fonts = branding.font.files if branding.font is not None else []
    return ([branding.logo] if branding.logo is not None else []) + [f.path for f in fonts]


def check_assets(
    root: Path, branding: Branding | None, source: SourceMap, at: Loc
) -> list[Problem]:
    """Every file the branding names exists inside the project and is what its name says."""
    if branding is None:
        return []
    problems: list[Problem] = []
    if branding.logo is not None:
        loc = (*at, "logo")
        path = _inside(root, branding.logo)
        if path is None:
            problems.append(source.problem(loc, f"file not found in the project: {branding.logo}"))
        elif path.stat().st_size > MAX_LOGO_BYTES:
            problems.append(source.problem(loc, f"logo is larger than {MAX_LOGO_BYTES} bytes"))
        else:
            data = path.read_bytes()
            is_png = data.startswith(b"\x89PNG\r\n\x1a\n")
            if branding.logo.lower().endswith(".png") and not is_png:
                problems.append(source.problem(loc, f"{branding.logo} is not a PNG image"))
            elif branding.logo.lower().endswith(".svg") and not _looks_like_svg(data):
                problems.append(source.problem(loc, f"{branding.logo} is not an SVG image"))
    if branding.font is not None:
        for i, file in enumerate(branding.font.files):
            loc = (*at, "font", "files", i, "path")
            path = _inside(root, file.path)
            if path is None:
                problems.append(source.problem(loc, f"file not found in the project: {file.path}"))
                continue
            if path.stat().st_size > MAX_FONT_BYTES:
                problems.append(source.problem(loc, f"font is larger than {MAX_FONT_BYTES} bytes"))
                continue
            magic, _, _ = FONT_KINDS[path.suffix.lower()]
            if not path.read_bytes()[:4].startswith(magic):
                problems.append(
                    source.problem(loc, f"{file.path} is not a {path.suffix[1:].upper()} font file")
                )
    return problems
