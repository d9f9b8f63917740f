from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from presskit.errors import ValidationFailed
from presskit.project.loading import collector_paused, load_partial, load_project

Edit = Callable[[Path, str, str], None]


def problems(root: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as exc:
        load_project(root, display="p")
    return [str(p) for p in exc.value.problems]


def test_loads_the_mini_project(mini: Path) -> None:
    project = load_project(mini, display="p")
    assert [b.slug for b in project.banks] == ["alpha", "beta"]
    assert [e.slug for e in project.events] == ["gala"]
    assert project.campaign.language == "en"
    assert project.questions["b-two"][0].slug == "beta"
    assert "speaking truth to power" in project.letter_markdown
    assert len(project.signatories.signatories) == 4


def test_unknown_key_suggests_the_right_one(mini: Path, edit: Edit) -> None:
    edit(
        mini / "question_banks/alpha.yaml",
        '    follow_ups: ["And then what?"]',
        '    folow_ups: ["And then what?"]',
    )
    assert problems(mini) == [
        "p/question_banks/alpha.yaml:5:5: questions[0].folow_ups: "
        "unknown key 'folow_ups' (did you mean 'follow_ups'?)"
    ]


def test_every_problem_is_reported_at_once(mini: Path, edit: Edit) -> None:
    edit(mini / "question_banks/alpha.yaml", "status: draft", "status: maybe")
    edit(mini / "question_banks/beta.yaml", "theme: Beta theme\n", "")
    edit(mini / "events/gala.yaml", "date: 2027-03-07", "date: someday")
    edit(mini / "presskit.yaml", '"#TestCampaign"', "TestCampaign")
    assert problems(mini) == [
        "p/events/gala.yaml:2:7: date: Input should be a valid date or datetime, "
        "input is too short",
        "p/presskit.yaml:2:10: hashtag: must be a hashtag such as '#AskMoreOfHim'",
        "p/question_banks/alpha.yaml:19:13: questions[3].status: "
        "must be one of 'draft', 'approved' or 'retired'",
        "p/question_banks/beta.yaml:1:1: theme: required, but missing",
    ]


def test_duplicate_question_id_names_both_places(mini: Path, edit: Edit) -> None:
    edit(mini / "question_banks/beta.yaml", "id: b-one", "id: a-two")
    assert problems(mini) == [
        "p/question_banks/beta.yaml:4:9: questions[0].id: duplicate question id 'a-two' "
        "(first used at p/question_banks/alpha.yaml:9)"
    ]


def test_event_references_must_exist(mini: Path, edit: Edit) -> None:
    edit(
        mini / "events/gala.yaml",
        "  pinned: [b-two]",
        "  banks: [alpha, betta]\n  tags: [quik]\n  pinned: [b-two, b-three]\n  exclude: [b-two]",
    )
    assert problems(mini) == [
        "p/events/gala.yaml:8:18: select.banks[1]: no bank named 'betta' (did you mean 'beta'?)",
        "p/events/gala.yaml:9:10: select.tags[0]: no question has the tag 'quik' "
        "(did you mean 'quick'?)",
        "p/events/gala.yaml:10:12: select.pinned[0]: 'b-two' is both pinned and excluded",
        "p/events/gala.yaml:10:19: select.pinned[1]: no question with id 'b-three' "
        "(did you mean 'a-three'?)",
    ]


def test_missing_files_point_at_the_key_naming_them(mini: Path) -> None:
    (mini / "campaign/letter.md").unlink()
    (mini / "campaign/signatories.yaml").unlink()
    assert problems(mini) == [
        "p/presskit.yaml:1:1: letter: file not found: campaign/letter.md",
        "p/presskit.yaml:1:1: signatories: file not found: campaign/signatories.yaml",
    ]


def test_missing_presskit_yaml(tmp_path: Path) -> None:
    assert problems(tmp_path) == ["p/presskit.yaml:1:1: file not found"]


def test_yaml_syntax_error_in_a_bank(mini: Path, edit: Edit) -> None:
    edit(mini / "question_banks/beta.yaml", "    tags: [quick]", "    tags: [quick")
    found = problems(mini)
    assert len(found) == 1
    assert found[0].startswith("p/question_banks/beta.yaml:7:")
    assert "YAML syntax error" in found[0]


def test_top_level_must_be_a_mapping(mini: Path) -> None:
    (mini / "events/gala.yaml").write_text("- just\n- a list\n")
    assert problems(mini) == [
        "p/events/gala.yaml:1:1: expected a mapping of keys to values, found a list"
    ]


def test_file_names_must_be_slugs(mini: Path) -> None:
    (mini / "events/gala.yaml").rename(mini / "events/Big Gala.yaml")
    assert problems(mini) == [
        "p/events/Big Gala.yaml:1:1: file name 'Big Gala.yaml' must be a slug like "
        "'red-carpet-2027.yaml' (lowercase, digits, hyphens)"
    ]


def test_paths_must_stay_inside_the_project(mini: Path, edit: Edit) -> None:
    edit(mini / "presskit.yaml", "name: Test Campaign", "name: Test Campaign\nletter: ../x.md")
    assert problems(mini) == [
        "p/presskit.yaml:2:9: letter: '../x.md' must be a path inside the project "
        "(relative, without '..')"
    ]


def test_load_partial_keeps_going_and_returns_what_loaded(mini: Path, edit: Edit) -> None:
    (mini / "question_banks/beta.yaml").write_text("theme: [unclosed\n")
    edit(mini / "events/gala.yaml", "count: 4", "count: 4\n  tones: [nope]")
    loaded = load_partial(mini, display="p")
    assert loaded.project is None
    assert [(p.path, p.line) for p in loaded.problems] == [("p/question_banks/beta.yaml", 2)]
    # what did load is there: alpha, the event, the campaign and its signatories
    assert [b.slug for b in loaded.banks] == ["alpha"]
    assert not loaded.banks_complete  # so the event's references were not judged
    assert [e.slug for e in loaded.events] == ["gala"]
    assert loaded.campaign is not None and loaded.signatories is not None


def test_load_partial_of_a_valid_project_is_the_project(mini: Path) -> None:
    loaded = load_partial(mini, display="p")
    assert loaded.problems == ()
    assert loaded.project == load_project(mini, display="p")
    assert loaded.banks_complete


def test_load_partial_without_presskit_yaml_is_only_the_problem(tmp_path: Path) -> None:
    loaded = load_partial(tmp_path, display="p")
    assert [str(p) for p in loaded.problems] == ["p/presskit.yaml:1:1: file not found"]
    assert (loaded.project, loaded.campaign, loaded.banks) == (None, None, ())


def test_a_hashtag_cutting_unquoted_text_is_an_error_with_the_fix(mini: Path, edit: Edit) -> None:
    # ' #' starts a YAML comment: unquoted, the question would load as "What does alpha one"
    edit(
        mini / "question_banks/alpha.yaml",
        "text: What does alpha one ask?",
        "text: What does alpha one #AskMoreOfHim ask?",
    )
    edit(mini / "question_banks/alpha.yaml", "- id: a-two", "- id: a-two  # a comment")
    edit(mini / "events/gala.yaml", "count: 4", "count: 4  # at most")
    edit(mini / "events/gala.yaml", "venue: Test Hall", "venue: Test Hall  # to confirm")
    assert problems(mini) == [
        "p/events/gala.yaml:3:8: venue: ' #' starts a YAML comment, so this unquoted text ends "
        "before it; if the '#' belongs to the text, quote the text: "
        'venue: "Test Hall  # to confirm" (a comment goes on a line of its own)',
        "p/question_banks/alpha.yaml:4:11: questions[0].text: ' #' starts a YAML comment, so "
        "this unquoted text ends before it; if the '#' belongs to the text, quote the text: "
        'text: "What does alpha one #AskMoreOfHim ask?" (a comment goes on a line of its own)',
    ]


def test_two_files_with_one_slug_are_an_error_naming_both(mini: Path) -> None:
    # gala.yaml and gala.yml would both build output/gala/, one overwriting the other
    (mini / "events/gala.yml").write_text((mini / "events/gala.yaml").read_text())
    (mini / "question_banks/beta.yml").write_text((mini / "question_banks/beta.yaml").read_text())
    assert problems(mini) == [
        "p/events/gala.yml:1:1: has the same slug 'gala' as p/events/gala.yaml; "
        "rename one of them or remove it",
        "p/question_banks/beta.yml:1:1: has the same slug 'beta' as p/question_banks/beta.yaml; "
        "rename one of them or remove it",
    ]


def test_an_event_named_after_a_windows_device_is_refused(mini: Path) -> None:
    (mini / "events/gala.yaml").rename(mini / "events/con.yaml")
    assert problems(mini) == [
        "p/events/con.yaml:1:1: file name 'con.yaml' is a name Windows reserves for a device "
        "(CON); choose another"
    ]


def test_a_direction_override_in_a_name_is_refused(mini: Path, edit: Edit) -> None:
    edit(
        mini / "campaign/signatories.yaml",
        "  - name: Matt McGorry",
        '  - name: "\\u202eyrroGcM ttaM"',
    )
    assert problems(mini) == [
        "p/campaign/signatories.yaml:6:11: signatories[2].name: holds an invisible "
        "text-direction control (U+202E), which can make a name display as a different one; "
        "remove it"
    ]


def test_a_symbolic_link_loop_is_refused_in_one_line(mini: Path) -> None:
    (mini / "events/loop.yaml").symlink_to("loop.yaml")
    assert problems(mini) == [
        "p/events/loop.yaml:1:1: is a symbolic link leading outside the project; refused"
    ]


def test_a_fifo_named_like_a_bank_is_refused_not_read(mini: Path) -> None:
    os.mkfifo(mini / "question_banks/pipe.yaml")
    assert problems(mini) == ["p/question_banks/pipe.yaml:1:1: is not a regular file; refused"]


def test_a_project_label_catalogue_linked_from_outside_is_refused(
    mini: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("questions: Fragen\n", "utf-8")
    (mini / "locales").mkdir()
    (mini / "locales" / "de.yaml").symlink_to(outside)
    with pytest.raises(ValidationFailed) as caught:
        load_project(mini)
    assert [str(p) for p in caught.value.problems] == [
        f"{mini}/locales/de.yaml:1:1: is a symbolic link leading outside the project; refused"
    ]


def test_project_label_catalogues_are_sources_of_the_build_stamp(mini: Path) -> None:
    (mini / "locales").mkdir()
    (mini / "locales" / "de.yaml").write_text("questions: Fragen\n", "utf-8")
    project = load_project(mini)
    assert "locales/de.yaml" in project.sources
    assert project.label_catalogues == {"de": {"questions": "Fragen"}}


def test_the_collector_is_paused_only_while_loading(tmp_path: Path) -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the outer block still owns it
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    load_partial(tmp_path, "p")  # no project at all: a problem, and the collector back on
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller's own choice is left alone
    finally:
        gc.enable()
