"""The talent brief, as data: who gets one, under which file name, and which questions come first.

The talent brief is for the people who may be asked (publicists hand it to the men they
prepare): the event's selection, why it is asked, room to think. An event may name the people
(`talent:`); each then gets a brief of their own, with the questions whose tags `role_tags`
gives their role first. Those names are the publicist's data: they reach that person's brief
and its file name, in the private folder, and nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from presskit.project.models import Campaign, Event, Question, Talent

BRIEF_FILE = "talent-brief.pdf"
BRIEF_PREFIX = "talent-brief"


@dataclass(frozen=True)
class Brief:
    """One talent brief to make: its file name, and whom it is for (None: the event's own)."""

    file: str
    person: Talent | None = None


def name_slug(name: str) -> str:
    """A name as a file-name part: `Jane Doe` -> `jane-doe`, accents dropped; empty when the
    name holds no Latin letter or digit (an Arabic name), which `person_briefs` numbers."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")


def person_briefs(people: Sequence[Talent]) -> list[Brief]:
    """One brief per person, `talent-brief-<slug-of-name>.pdf`; a name with no Latin letters
    is numbered by its place in the list, and a slug taken twice gets `-2`, `-3`..."""
    briefs, taken = [], set()
    for place, person in enumerate(people, start=1):
        base = name_slug(person.name) or f"person-{place}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        briefs.append(Brief(f"{BRIEF_PREFIX}-{slug}.pdf", person))
    return briefs


def is_brief_file(name: str) -> bool:
    """Whether a file name is one a build gives talent briefs (the event's or a person's)."""
    return name == BRIEF_FILE or (name.startswith(f"{BRIEF_PREFIX}-") and name.endswith(".pdf"))


def brief_mode(campaign: Campaign, event: Event) -> str:
    """private, published or off: the event's `talent_brief`, else the campaign's."""
    return event.talent_brief or campaign.talent_brief


def briefs_for(campaign: Campaign, event: Event, *, private: bool, held: bool) -> list[Brief]:
    """The talent briefs an output folder gets for `event`: `private`, the private folder
    (`held`: the event's whole kit is there, embargoed or private); else the published one,
    which gets the event's brief only when it says `talent_brief: published`, and never a
    person's (their names are never public)."""
    mode = brief_mode(campaign, event)
    if mode == "off":
        return []
    if not private:
        return [Brief(BRIEF_FILE)] if mode == "published" and not held else []
    own = [Brief(BRIEF_FILE)] if mode == "private" or held else []
    return own + person_briefs(event.talent)


def role_tags(campaign: Campaign, event: Event) -> dict[str, list[str]]:
    """Per role, the tags whose questions come first: the campaign's, role by role replaced by
    the event's."""
    return {**campaign.role_tags, **(event.role_tags or {})}


def role_first(questions: Iterable[Question], tags: Iterable[str]) -> set[str]:
    """The ids of the questions a role is most likely to be asked: those with one of its tags."""
    wanted = set(tags)
    return {q.id for q in questions if wanted.intersection(q.tags)}
