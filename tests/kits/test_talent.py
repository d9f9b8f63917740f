"""Who gets a talent brief, under which name, and which questions come first."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from presskit.kits.talent import (
    BRIEF_FILE,
    briefs_for,
    is_brief_file,
    name_slug,
    person_briefs,
    role_first,
    role_tags,
)
from presskit.project.models import Campaign, Event, Question, Talent


def _event(**fields: object) -> Event:
    return Event.model_validate(
        {"name": "Gala", "date": dt.date(2027, 3, 7), "venue": "Hall", "select": {"count": 3}}
        | fields
    )


CAMPAIGN = Campaign(name="C", hashtag="#C")
PEOPLE = [{"name": "Jane Q. Placeholder", "role": "actor"}, {"name": "Zed Example"}]


def test_an_event_without_its_own_setting_follows_the_campaign() -> None:
    quiet = CAMPAIGN.model_copy(update={"talent_brief": "off"})
    assert briefs_for(quiet, _event(), private=True, held=True) == []
    own = _event(talent_brief="private")
    assert [b.file for b in briefs_for(quiet, own, private=True, held=False)] == [BRIEF_FILE]


def test_the_event_brief_is_private_by_default() -> None:
    event = _event()
    assert event.talent_brief is None and CAMPAIGN.talent_brief == "private"
    assert briefs_for(CAMPAIGN, event, private=False, held=False) == []
    assert [b.file for b in briefs_for(CAMPAIGN, event, private=True, held=False)] == [BRIEF_FILE]


def test_a_published_brief_goes_with_the_kits_and_people_stay_private() -> None:
    event = _event(talent_brief="published", talent=PEOPLE)
    assert [b.file for b in briefs_for(CAMPAIGN, event, private=False, held=False)] == [BRIEF_FILE]
    private = [b.file for b in briefs_for(CAMPAIGN, event, private=True, held=False)]
    assert private == ["talent-brief-jane-q-placeholder.pdf", "talent-brief-zed-example.pdf"]
    # a held event (private, embargoed) has its whole kit in the private folder: its brief too
    held = [b.file for b in briefs_for(CAMPAIGN, event, private=True, held=True)]
    assert held == [BRIEF_FILE, *private]


@pytest.mark.parametrize("off", ["off", False])  # YAML reads a bare `off` as false
def test_off_makes_no_brief_at_all(off: object) -> None:
    event = _event(talent_brief=off, talent=PEOPLE)
    assert event.talent_brief == "off"
    for private in (True, False):
        for held in (True, False):
            assert briefs_for(CAMPAIGN, event, private=private, held=held) == []


def test_file_names_are_slugs_of_names_unique_and_never_empty() -> None:
    assert name_slug("Élodie  O'Brien-Smith") == "elodie-o-brien-smith"
    assert name_slug("يوسف") == ""
    people = [Talent(name="Ana Example"), Talent(name="Ana  example"), Talent(name="يوسف")]
    files = [b.file for b in person_briefs(people)]
    assert files == [
        "talent-brief-ana-example.pdf",
        "talent-brief-ana-example-2.pdf",
        "talent-brief-person-3.pdf",
    ]
    assert all(is_brief_file(f) for f in [*files, BRIEF_FILE])
    assert not is_brief_file("press-kit.pdf")
    assert not is_brief_file("talent-brief.html")


def test_a_person_needs_a_name_and_a_slug_role() -> None:
    with pytest.raises(ValidationError):
        Talent.model_validate({"role": "actor"})
    with pytest.raises(ValidationError):
        Talent.model_validate({"name": "A", "role": "Lead Actor"})


def test_the_event_overrides_the_campaigns_role_tags_role_by_role() -> None:
    campaign = Campaign.model_validate(
        {"name": "C", "hashtag": "#C", "role_tags": {"actor": ["set"], "director": ["power"]}}
    )
    event = _event(role_tags={"actor": ["quick"]})
    assert role_tags(campaign, event) == {"actor": ["quick"], "director": ["power"]}
    assert role_tags(campaign, _event()) == campaign.role_tags


def test_role_first_picks_the_questions_with_one_of_the_roles_tags() -> None:
    def q(qid: str, *tags: str) -> Question:
        return Question(id=qid, text="What?", status="approved", tags=list(tags))

    questions = [q("a", "set"), q("b", "quick"), q("c"), q("d", "power", "set")]
    assert role_first(questions, ["set"]) == {"a", "d"}
    assert role_first(questions, []) == set()
