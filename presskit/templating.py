"""The one Jinja2 environment every kit is rendered with.

Templates are looked up in the project's `templates/` first, then in the built-in set, so a
project can replace a whole template or extend `builtin/<name>` and override one block. Every
template runs sandboxed with autoescaping on and undefined names as errors: question banks and
project templates come from many hands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from presskit.errors import RenderError

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
PROJECT_TEMPLATES = "templates"


def make_environment(project_root: Path | None = None) -> SandboxedEnvironment:
    loaders: list[jinja2.BaseLoader] = []
    if project_root is not None and (project_root / PROJECT_TEMPLATES).is_dir():
        loaders.append(jinja2.FileSystemLoader(project_root / PROJECT_TEMPLATES))
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


def render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; a template mistake becomes a `RenderError` naming the template."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise RenderError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{name}: {exc.message}") from None
    except SecurityError as exc:
        raise RenderError(f"{name}: blocked by the template sandbox: {exc}") from None
