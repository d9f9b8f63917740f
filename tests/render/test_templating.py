from __future__ import annotations

from pathlib import Path

import pytest

from presskit.errors import RenderError
from presskit.render.templating import make_environment, render


def test_values_are_escaped() -> None:
    env = make_environment()
    env.loader = None
    template = env.from_string("<p>{{ text }}</p>")
    assert template.render(text='<img src=x onerror="alert(1)">') == (
        "<p>&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</p>"
    )


def test_project_template_overrides_one_block(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/onepager.html.j2").write_text(
        '{% extends "builtin/onepager.html.j2" %}'
        "{% block footer %}<footer>custom footer</footer>{% endblock %}"
    )
    env = make_environment(tmp_path)
    source = env.loader.get_source(env, "onepager.html.j2")[0]  # type: ignore[union-attr]
    assert "custom footer" in source
    builtin = env.loader.get_source(env, "builtin/onepager.html.j2")[0]  # type: ignore[union-attr]
    assert "block footer" in builtin


def test_undefined_names_are_errors(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/x.html.j2").write_text("{{ nope }}")
    with pytest.raises(RenderError, match=r"x\.html\.j2: 'nope' is undefined"):
        render(make_environment(tmp_path), "x.html.j2", {})


def test_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/x.html.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(RenderError, match=r"x\.html\.j2"):
        render(make_environment(tmp_path), "x.html.j2", {})


def test_syntax_errors_name_the_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/x.html.j2").write_text("ok\n{% if %}\n")
    with pytest.raises(RenderError, match=r"x.html.j2:2: template syntax error"):
        render(make_environment(tmp_path), "x.html.j2", {})
