"""The typed template context: what templates receive, and its generated reference.

`docs/template-context.md` is generated from the classes in `presskit/render/context.py`;
when a test here says it is out of date, regenerate it and review the diff:

    python -m presskit.render.context > docs/template-context.md
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import subprocess
import sys
from pathlib import Path

import jinja2
import jinja2.meta
import pytest
from pydantic import BaseModel

from presskit.errors import RenderError
from presskit.kits.select import select
from presskit.pipeline.documents import OUTPUTS
from presskit.pipeline.plan import kit_context
from presskit.pipeline.provenance import Provenance
from presskit.project.loading import load_project
from presskit.render.context import (
    KitContext,
    LangMark,
    PortalContext,
    ProvenanceContext,
    QuestionContext,
    class_doc,
    class_fields,
    describe_type,
    reachable,
    reference,
    template_names,
)
from presskit.render.templating import BUILTIN_TEMPLATES, make_environment, render
from tests.conftest import REPO

DOC = REPO / "docs" / "template-context.md"
KIT_TEMPLATES = {o.template for o in OUTPUTS} | {"base.html.j2", "_branding.css.j2"}


def test_the_reference_is_up_to_date() -> None:
    expected = reference()
    actual = DOC.read_text(encoding="utf-8") if DOC.is_file() else ""
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                actual.splitlines(keepends=True),
                expected.splitlines(keepends=True),
                "docs/template-context.md",
                "generated",
            )
        )
        pytest.fail(
            "docs/template-context.md is out of date; regenerate it with\n"
            "    python -m presskit.render.context > docs/template-context.md\n" + diff,
            pytrace=False,
        )


def test_the_command_prints_the_reference() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "presskit.render.context"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert done.stdout == reference()


def test_every_class_and_field_a_template_sees_says_what_it_is() -> None:
    undocumented = [
        f"{cls.__name__}.{name}"
        for cls in reachable([KitContext, PortalContext])
        if not issubclass(cls, BaseModel)  # the project's models: described in their schemas
        for name, _, text in class_fields(cls)
        if not text
    ]
    assert undocumented == []
    ours = [c for c in reachable([KitContext, PortalContext]) if dataclasses.is_dataclass(c)]
    assert len(ours) > 10
    assert [c.__name__ for c in ours if not class_doc(c)] == []


def test_the_reference_names_every_field_with_its_type() -> None:
    text = reference()
    assert "| `themes` | list of [ThemeContext](#themecontext) |" in text
    assert "| `campaign_lang` | [LangMark](#langmark) or none |" in text
    assert "### CardQuestion" in text and "### FontFace" in text and "### Campaign" in text
    assert "| `press_kit` | Press kit |" in text  # the labels, in English
    assert " at 0x" not in text  # nothing that changes from run to run


def test_types_read_as_words() -> None:
    assert describe_type(str | None) == "text or none"
    assert describe_type(tuple[QuestionContext, ...]) == (
        "list of [QuestionContext](#questioncontext)"
    )
    assert describe_type(dt.date) == "date"
    with pytest.raises(TypeError, match="TYPE_WORDS"):
        describe_type(bytes)


def test_templates_use_only_names_the_context_gives() -> None:
    env = make_environment()

    def free_names(name: str) -> set[str]:
        tree = env.parse((BUILTIN_TEMPLATES / name).read_text(encoding="utf-8"))
        own = {n.name for n in tree.find_all(jinja2.nodes.Macro)}
        own |= {n.target for n in tree.find_all(jinja2.nodes.Import)}
        return jinja2.meta.find_undeclared_variables(tree) - own

    kit_names = {f.name for f in dataclasses.fields(KitContext)}
    portal_names = {f.name for f in dataclasses.fields(PortalContext)}
    for name in sorted(KIT_TEMPLATES):
        assert free_names(name) <= kit_names, name
    assert free_names("portal.html.j2") <= portal_names


def test_a_template_receives_the_top_level_fields_as_names(mini: Path) -> None:
    project = load_project(mini)
    context = kit_context(project, select(project, project.event("gala")), density="tight")
    names = template_names(context)
    assert list(names) == [f.name for f in dataclasses.fields(KitContext)]
    assert names["themes"] is context.themes  # nested values stay as they are
    assert names["provenance"] == ProvenanceContext("Undated version", None, None, None, False)
    env = make_environment()
    env.loader = None
    template = env.from_string(
        '{{ density }} {{ themes[0]["questions"][0].id }} {{ card.front[0]["theme"] }}'
    )
    assert template.render(names) == "tight b-two Beta theme"  # b-two is pinned


def test_the_kit_context_is_in_the_kits_language(mini: Path) -> None:
    events = mini / "events"
    (events / "gala.yaml").write_text(
        (events / "gala.yaml").read_text(encoding="utf-8") + "language: ar\n", encoding="utf-8"
    )
    project = load_project(mini)
    context = kit_context(
        project,
        select(project, project.event("gala")),
        provenance=Provenance(dt.date(2027, 1, 15), "0123456789abcdef", modified=True),
    )
    assert (context.lang, context.dir) == ("ar", "rtl")
    assert context.hashtag == "\u2066#TestCampaign\u2069"
    english = LangMark(lang="en", dir="ltr")
    assert context.campaign_lang == english
    assert {q.lang for t in context.themes for q in t.questions} == {english}
    assert context.provenance.commit == "0123456789ab" and context.provenance.modified
    assert context.provenance.date_iso == "2027-01-15"
    # the imprint in Arabic, its reference isolated so the hex digits keep their order
    assert context.provenance.line == "نسخة 15 يناير 2027 · المرجع \u20660123456\u2069 (معدّلة)"
    assert [q.id for q in context.card.front + context.card.back] == list(context.question_ids)


def test_render_turns_a_template_mistake_into_a_render_error(mini: Path) -> None:
    (mini / "templates").mkdir()
    (mini / "templates/onepager.html.j2").write_text("{{ themes[0].nope }}")
    project = load_project(mini)
    context = kit_context(project, select(project, project.event("gala")))
    with pytest.raises(RenderError, match=r"^templates/onepager\.html\.j2:1: .*nope"):
        render(make_environment(mini), "onepager.html.j2", context)
