"""A synthetic presskit project for the benchmark: many events, banks and signatories.

Every name and text here is plainly fake ("Signatory 001", "Synthetic event 07"): the
benchmark measures speed and must never put invented people or facts into a kit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

TAGS = ["quick", "deep", "action", "industry"]
KINDS = ["red-carpet", "premiere", "festival", "panel", "other"]
TOPICS = [
    "accountability",
    "allyship",
    "workplace",
    "mentoring",
    "listening",
    "speaking-up",
    "industry",
    "privilege",
    "change",
    "future",
]


def question_id(bank: int, number: int) -> str:
    return f"b{bank:02d}-q{number:03d}"


def write_project(
    root: Path,
    *,
    events: int = 50,
    banks: int = 10,
    questions_per_bank: int = 50,
    signatories: int = 100,
) -> None:
    """Write the project into `root` (which must not exist yet)."""
    root.mkdir(parents=True)
    (root / "campaign").mkdir()
    (root / "question_banks").mkdir()
    (root / "events").mkdir()
    (root / "presskit.yaml").write_text(
        "name: Synthetic Benchmark Campaign\n"
        'hashtag: "#SyntheticBench"\n'
        "tagline: A generated project for measuring build speed; none of it is real.\n"
        "contacts:\n"
        "  - name: Synthetic Press Office\n"
        "    email: press@example.org\n",
        encoding="utf-8",
    )
    paragraph = (
        "This is synthetic benchmark text standing in for a campaign letter. "
        "It has the length and shape of a real letter and says nothing. "
    ) * 4
    (root / "campaign/letter.md").write_text(
        "## A synthetic letter\n\n" + "\n\n".join([paragraph] * 4) + "\n", encoding="utf-8"
    )
    names = "".join(f"  - name: Signatory {n:03d}\n" for n in range(1, signatories + 1))
    (root / "campaign/signatories.yaml").write_text(
        f"source: Generated for the benchmark; these are not people.\nsignatories:\n{names}",
        encoding="utf-8",
    )
    for bank in range(1, banks + 1):
        topic = TOPICS[(bank - 1) % len(TOPICS)]
        lines = [
            f"theme: Synthetic theme {bank:02d} ({topic})",
            f"description: Generated questions about {topic}.",
            "questions:",
        ]
        for number in range(1, questions_per_bank + 1):
            tags = [TAGS[number % len(TAGS)], TAGS[(number // 2) % len(TAGS)]]
            lines += [
                f"  - id: {question_id(bank, number)}",
                f"    text: What would synthetic question {number} of theme {bank} "
                f"ask about {topic}?",
                f"    tags: [{', '.join(sorted(set(tags)))}]",
                "    status: approved",
            ]
            if number % 3 == 0:
                lines.append(f'    follow_ups: ["What comes after answer {number}?"]')
            if number % 5 == 0:
                lines.append(f"    notes: Synthetic context for question {number}.")
        (root / f"question_banks/bank-{bank:02d}.yaml").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    start = dt.date(2030, 1, 1)
    for event in range(1, events + 1):
        chosen = sorted({(event + k * 3) % banks + 1 for k in range(3)})
        pinned = question_id(chosen[0], (event % 5) + 1)
        (root / f"events/event-{event:02d}.yaml").write_text(
            f"name: Synthetic event {event:02d}\n"
            f"date: {start + dt.timedelta(days=7 * event)}\n"
            f"venue: Synthetic Hall {event % 7 + 1}\n"
            f"kind: {KINDS[event % len(KINDS)]}\n"
            "sample: true\n"
            "select:\n"
            f"  banks: [{', '.join(f'bank-{b:02d}' for b in chosen)}]\n"
            f"  count: {6 + event % 7}\n"
            f"  pinned: [{pinned}]\n",
            encoding="utf-8",
        )
