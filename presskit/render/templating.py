"""The one Jinja2 environment every kit is rendered with.

Templates are looked up in the project's `templates/` first, then in the built-in set, so a
project can replace a whole template or extend `builtin/<name>` and override one block. Every
template runs sandboxed with autoescaping on and undefined names as errors: question banks and
project templates come from many hands.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from presskit.errors import RenderError
from presskit.project.loading import PROJECT_TEMPLATES
from presskit.render.context import Context, template_names

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"


class ConfinedLoader(jinja2.FileSystemLoader):
    """A project's `templates/`, refusing any template that is a symbolic link out of it."""

    def __init__(self, folder: Path, project_root: Path) -> None:
        super().__init__(folder)
        self.folder = folder
        self.project_root = project_root.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if path.exists() and not path.resolve().is_relative_to(self.project_root):
            raise RenderError(
                f"{PROJECT_TEMPLATES}/{template}: a symbolic link leading outside "
                "the project; refused"
            )
        return super().get_source(environment, template)


def make_environment(project_root: Path | None = None) -> SandboxedEnvironment:
    loaders: list[jinja2.BaseLoader] = []
    if project_root is not None and (project_root / PROJECT_TEMPLATES).is_dir():
        folder = project_root / PROJECT_TEMPLATES
        if not folder.resolve().is_relative_to(project_root.resolve()):
            raise RenderError(
                f"{PROJECT_TEMPLATES}/: a symbolic link leading outside the project; refused"
            )
        loaders.append(ConfinedLoader(folder, project_root))
    builtin = jinja2.FileSystemLoader(BUILTIN_TEMPLATES)
    loaders += [jinja2.PrefixLoader({"builtin": builtin}), builtin]
    return SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # every template is HTML; CSS is included as template source
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(env: jinja2.Environment, name: str, context: Context | Mapping[str, Any]) -> str:
    """Render one template; a template mistake becomes a `RenderError` naming the template.

    A typed context (`KitContext`, `PortalContext`) reaches the template as its fields' names.
    """
    names = context if isinstance(context, Mapping) else template_names(context)
    try:
        return env.get_template(name).render(names)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise RenderError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{name}: {exc.message}") from None
    except SecurityError as exc:
        raise RenderError(f"{name}: blocked by the template sandbox: {exc}") from None


def template_locator(project_root: Path) -> Callable[[str], str | None]:
    """A function naming the project template (`templates/x.html.j2:12`) that mentions a URL,
    so an error about a refused URL can say where to fix it; None when no template does."""
    folder = project_root / PROJECT_TEMPLATES
    real_root = project_root.resolve()

    def locate(url: str) -> str | None:
        needles = [url]
        if url.startswith("file:") and (name := Path(unquote(urlsplit(url).path)).name):
            needles.append(name)
        for parent, _, files in sorted(os.walk(folder)):
            for file_name in sorted(files):
                file = Path(parent) / file_name
                if not file.resolve().is_relative_to(real_root):
                    continue
                try:
                    lines = file.read_text(encoding="utf-8").splitlines()
                except (OSError, UnicodeDecodeError):
                    continue
                for number, line in enumerate(lines, 1):
                    if any(needle in line for needle in needles):
                        rel = file.relative_to(folder).as_posix()
                        return f"{PROJECT_TEMPLATES}/{rel}:{number}"
        return None

    return locate
