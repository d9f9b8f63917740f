from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from presskit.cli import main
from presskit.errors import RenderError
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from presskit.render.templating import (
    Budget,
    BudgetedEnvironment,
    make_environment,
    render,
    render_page,
    tel_href,
)


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
    with pytest.raises(RenderError, match=r"^templates/x\.html\.j2:1: .nope. is undefined"):
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


def _template(tmp_path: Path, source: str) -> Path:
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates/x.html.j2").write_text(source)
    return tmp_path


def test_a_template_that_loops_for_ever_stops_within_its_time_budget(tmp_path: Path) -> None:
    # no output at all, so only the watchdog (not the output stream) can stop it
    root = _template(
        tmp_path,
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    )
    env = make_environment(root, budget=Budget(seconds=1.0))
    started = time.monotonic()
    with pytest.raises(RenderError, match=r"^x\.html\.j2: stopped after 1 seconds"):
        render(env, "x.html.j2", {})
    assert time.monotonic() - started < 5


def test_a_huge_repetition_is_refused_before_it_is_built(tmp_path: Path) -> None:
    root = _template(tmp_path, "ok\n{{ 'x' * 10**10 }}")
    started = time.monotonic()
    with pytest.raises(RenderError, match=r"^templates/x\.html\.j2:2: stopped: a value longer"):
        render(make_environment(root), "x.html.j2", {})
    assert time.monotonic() - started < 1  # 10 GB were never asked for


@pytest.mark.parametrize(
    "source",
    [
        "{{ [1, 2] * 10**9 }}",
        "{{ 2 ** 100000000 }}",
        "{{ '%0999999999d' % 1 }}",
        "{{ '%.999999999f' % 1 }}",
        "{{ '%0999999999d'|format(1) }}",
        "{{ (['x' * 900000] * 1000)|join }}",
        "{{ 'x'|center(999999999) }}",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}",
    ],
)
def test_other_ways_to_build_a_huge_value_are_refused(tmp_path: Path, source: str) -> None:
    root = _template(tmp_path, source)
    with pytest.raises(RenderError, match=r"^templates/x\.html\.j2:1: stopped: a (value|number)"):
        render(make_environment(root, budget=Budget(max_chars=1_000_000)), "x.html.j2", {})


def test_text_gathered_in_a_set_block_is_stopped_by_the_memory_watch(tmp_path: Path) -> None:
    # 10 GB in 100 kB pieces: each piece is small and nothing is output until the block ends
    root = _template(
        tmp_path,
        "{% set s %}{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}{% endset %}"
        "{{ s|length }}",
    )
    env = make_environment(root, budget=Budget(max_chars=1_000_000))
    started = time.monotonic()
    with pytest.raises(RenderError, match=r"^x\.html\.j2: stopped: the template used too much"):
        render(env, "x.html.j2", {})
    assert time.monotonic() - started < 5


def test_join_and_center_still_work(tmp_path: Path) -> None:
    root = _template(tmp_path, "{{ ['a', 'b']|join('-') }}|{{ 'x'|center(5) }}|{{ [1, 2]|join }}")
    assert render(make_environment(root), "x.html.j2", {}) == "a-b|  x  |12"


def test_output_over_the_cap_is_refused(tmp_path: Path) -> None:
    root = _template(tmp_path, "{% for i in range(1000) %}{{ 'x' * 1000 }}{% endfor %}")
    env = make_environment(root, budget=Budget(max_chars=100_000))
    with pytest.raises(RenderError, match=r"^x\.html\.j2: stopped: output longer than 100000"):
        render(env, "x.html.j2", {})
    assert len(render(make_environment(root), "x.html.j2", {})) == 1_000_000  # within 20 MB


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("a\n\n{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
        ("a\n\n{{ 'x'|truncate('many') }}", "TypeError"),
        ("a\n\n{{ [1][5] }}", "no element 5"),
        ("a\n\n{{ nope }}", "'nope' is undefined"),
    ],
)
def test_runtime_errors_name_the_template_line(tmp_path: Path, source: str, error: str) -> None:
    root = _template(tmp_path, source)
    with pytest.raises(RenderError, match=rf"^templates/x\.html\.j2:3: .*{error}"):
        render(make_environment(root), "x.html.j2", {})


def test_a_runtime_error_in_an_included_template_names_that_template(tmp_path: Path) -> None:
    root = _template(tmp_path, "{% include 'part.html.j2' %}")
    (root / "templates/part.html.j2").write_text("one\ntwo {{ 5 // 0 }}\n")
    with pytest.raises(RenderError, match=r"^templates/part\.html\.j2:2: ZeroDivisionError"):
        render(make_environment(root), "x.html.j2", {})


def test_a_render_within_budget_leaves_no_timer_behind(tmp_path: Path) -> None:
    root = _template(tmp_path, "{{ 6 * 7 }}")
    env = make_environment(root, budget=Budget(seconds=0.2))
    assert render(env, "x.html.j2", {}) == "42"
    time.sleep(0.4)  # the watchdog would fire here if it had not been stopped
    assert sum(1 for _ in range(1000)) == 1000


REMOTE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>t</title></head>
<body>
<p>fine</p>
{markup}
</body></html>
"""


@pytest.mark.parametrize(
    "markup",
    [
        '<script src="https://tracker.example/t.js"></script>',
        '<img src="https://tracker.example/pixel.gif" alt="">',
        '<img src="//tracker.example/pixel.gif" alt="">',
    ],
)
def test_a_page_that_loads_a_remote_file_is_refused_at_its_line(
    tmp_path: Path, markup: str
) -> None:
    root = _template(tmp_path, REMOTE_PAGE.format(markup=markup))
    with pytest.raises(
        RenderError, match=r"^templates/x\.html\.j2:5: refused to load \S*tracker\.example/"
    ) as exc:
        render_page(make_environment(root), "x.html.j2", {})
    assert "allow_remote_assets: true" in exc.value.message


def test_a_remote_file_from_a_page_is_allowed_when_the_campaign_allows_it(tmp_path: Path) -> None:
    markup = '<img src="https://tracker.example/pixel.gif" alt="">'
    root = _template(tmp_path, REMOTE_PAGE.format(markup=markup))
    html = render_page(make_environment(root), "x.html.j2", {}, allow_remote=True)
    assert markup in html
    assert "default-src 'none'; img-src data:;" in html  # yet the policy still blocks it


def test_a_page_with_an_inline_event_handler_is_refused(tmp_path: Path) -> None:
    root = _template(tmp_path, REMOTE_PAGE.format(markup='<p onclick="go()">x</p>'))
    with pytest.raises(RenderError, match=r"^templates/x\.html\.j2:5: refused onclick=\.\.\."):
        render_page(make_environment(root), "x.html.j2", {})


def test_a_built_page_with_a_remote_pixel_fails_and_writes_nothing(mini: Path) -> None:
    (mini / "templates").mkdir()
    (mini / "templates/onepager.html.j2").write_text(
        '{% extends "builtin/onepager.html.j2" %}\n'
        "{% block footer %}\n"
        '<img src="https://tracker.example/pixel.gif" alt="">\n'
        "{% endblock %}\n"
    )
    with pytest.raises(RenderError, match=r"^templates/onepager\.html\.j2:3: refused to load"):
        build(load_project(mini), BuildOptions(out=mini / "out", formats=frozenset({"html"})))
    assert not (mini / "out").exists()


def test_the_cli_reports_a_template_runtime_error_in_one_line(mini: Path) -> None:
    (mini / "templates").mkdir()
    (mini / "templates/onepager.html.j2").write_text(
        '{% extends "builtin/onepager.html.j2" %}\n'
        "{% block footer %}\n{{ 1 / 0 }}\n{% endblock %}\n"
    )
    result = CliRunner().invoke(
        main, ["build", "--project", str(mini), "--format", "html"], catch_exceptions=False
    )
    assert result.exit_code != 0
    assert result.output == (
        "error: templates/onepager.html.j2:3: ZeroDivisionError: division by zero\n"
    )
    assert not (mini / "output").exists()


def test_the_template_locator_skips_fifos_instead_of_hanging(tmp_path: Path) -> None:
    import os
    import threading

    from presskit.render.templating import template_locator

    templates = tmp_path / "templates"
    templates.mkdir()
    os.mkfifo(templates / "a-pipe.html.j2")  # sorted first: read before the real template
    (templates / "onepager.html.j2").write_text('<img src="https://pixel.test/x.gif">\n')
    found: list[str | None] = []
    search = threading.Thread(
        target=lambda: found.append(template_locator(tmp_path)("https://pixel.test/x.gif")),
        daemon=True,
    )
    search.start()
    search.join(timeout=10)
    assert found == ["templates/onepager.html.j2:1"]


def test_a_phone_number_becomes_a_tel_link_of_its_digits() -> None:
    assert tel_href("+1 (310) 555-0100") == "tel:+13105550100"
    assert tel_href("020 7946 0958") == "tel:02079460958"
    assert tel_href(" +44 20.7946.0958 ext") == "tel:+442079460958"
    env = make_environment()
    html = env.from_string('<a href="{{ p|tel }}">{{ p }}</a>').render(p="+33 1 23 45 67 89")
    assert html == '<a href="tel:+33123456789">+33 1 23 45 67 89</a>'


@pytest.mark.slow
def test_contacts_are_tel_and_mailto_links_in_the_one_pager_and_the_press_kit(
    mini: Path,
) -> None:
    from bs4 import BeautifulSoup
    from pypdf import PdfReader

    config = mini / "presskit.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "    email: press@example.org\n",
            '    email: press@example.org\n    phone: "+1 (310) 555-0100"\n',
        ),
        encoding="utf-8",
    )
    build(load_project(mini), BuildOptions(out=mini / "out"))
    page = BeautifulSoup((mini / "out/gala/index.html").read_text(), "html.parser")
    links = {a.get_text(): a["href"] for a in page.select("ul.contacts a")}
    assert links == {
        "press@example.org": "mailto:press@example.org",
        "+1 (310) 555-0100": "tel:+13105550100",  # shown as written, dialled as digits
    }
    uris = {
        str(annot.get_object()["/A"]["/URI"])
        for pdf_page in PdfReader(mini / "out/gala/press-kit.pdf").pages
        for annot in pdf_page.get("/Annots") or []
        if "/A" in annot.get_object() and "/URI" in annot.get_object()["/A"]
    }
    assert {"mailto:press@example.org", "tel:+13105550100"} <= uris


def test_compiled_templates_are_reused_by_later_environments_until_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`presskit serve` makes a new environment for every build: templates are compiled once
    per process, and again only when their source changes."""
    _template(tmp_path, "one {{ 1 + 1 }}")
    assert render(make_environment(tmp_path), "x.html.j2", {}) == "one 2"
    compiled: list[str | None] = []
    real = BudgetedEnvironment.compile

    def counting(self: BudgetedEnvironment, source: str, name: str | None = None, *a, **k):  # type: ignore[no-untyped-def]
        compiled.append(name)
        return real(self, source, name, *a, **k)

    monkeypatch.setattr(BudgetedEnvironment, "compile", counting)
    assert render(make_environment(tmp_path), "x.html.j2", {}) == "one 2"
    assert compiled == []
    (tmp_path / "templates/x.html.j2").write_text("two {{ 2 + 2 }}")
    assert render(make_environment(tmp_path), "x.html.j2", {}) == "two 4"
    assert compiled == ["x.html.j2"]
