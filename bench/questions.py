"""Question banks that vary like real ones, with a known share of planted near-duplicates.

Several templates, each with slots filled from word lists and from a large generated vocabulary
drawn with a Zipf-like skew (a few words common, most rare), as questions from many newsrooms
are. A share of the questions are planted near-duplicates: rewordings of an earlier question
(a word swapped, dropped or added), in groups of two to five. Every text is plainly synthetic:
no names, no facts, nothing a kit could mistake for the campaign's own words.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from pathlib import Path

from synthetic import write_project

TEMPLATES = [
    "What did {who} {verb} when {who2} {verb2} the {thing}?",
    "How would you {verb} the {thing} {where}?",
    "Why do {who} still {verb} {thing} {where}?",
    "When did {who} last {verb} the {thing} of {who2}?",
    "Which {thing} should {who} {verb} first, and why?",
    "What would you tell {who} who {verb} the {thing}?",
    "How has the {thing} changed since {who} began to {verb} it?",
    "Where do {who} find the {thing} to {verb} {where}?",
    "What is the {thing} that {who} never {verb}?",
    "Who taught you to {verb} the {thing} {where}?",
]
WHO = [
    "young actors",
    "the crew",
    "producers",
    "your agent",
    "casting directors",
    "the studio",
    "new writers",
    "stunt performers",
    "the union",
    "your co-stars",
    "editors",
    "set designers",
]
WHERE = [
    "on set",
    "at auditions",
    "in the writers' room",
    "on location",
    "at festivals",
    "in rehearsal",
    "after the wrap",
    "in the edit",
]
SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tu", "vel", "dor", "fi", "gan", "pe", "ris", "on"]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))))
    ordered = sorted(words)
    rng.shuffle(ordered)  # the common words are any words, not the first in the alphabet
    return ordered


@dataclass
class Generated:
    groups: list[list[str]] = field(default_factory=list)  # planted look-alike ids, base first

    def planted(self) -> dict[str, int]:
        """Question id -> its planted group's number."""
        return {qid: n for n, group in enumerate(self.groups) for qid in group}


class Writer:
    def __init__(self, seed: int, vocabulary: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic text, not secrets
        self.words = _vocabulary(self.rng, vocabulary)
        # Zipf-like, with a flattened head: real questions share function words (the template's),
        # and their content words are spread wide.
        weights = [1 / (rank + 40) for rank in range(len(self.words))]
        total = sum(weights)
        self.cumulative = list(itertools.accumulate(w / total for w in weights))

    def word(self) -> str:
        return self.rng.choices(self.words, cum_weights=self.cumulative)[0]

    def phrase(self, low: int, high: int) -> str:
        return " ".join(self.word() for _ in range(self.rng.randint(low, high)))

    def question(self) -> str:
        rng = self.rng
        return (
            rng.choice(TEMPLATES)
            .format(
                who=rng.choice(WHO),
                who2=rng.choice(WHO),
                verb=self.phrase(2, 3),
                verb2=self.phrase(1, 3),
                thing=self.phrase(2, 4),
                where=rng.choice(WHERE) + " " + self.phrase(1, 3),
            )
            .replace("  ", " ")
        )

    def reword(self, text: str) -> str:
        """One small edit: a word swapped for another, dropped, or added (never the same text)."""
        while (new := self._edit(text)) == text:
            pass
        return new

    def _edit(self, text: str) -> str:
        words = text[:-1].split()
        k = self.rng.randrange(1, len(words))
        edit = self.rng.choice(["swap", "drop", "add"])
        if edit == "swap":
            words[k] = self.word()
        elif edit == "drop" and len(words) > 6:
            del words[k]
        else:
            words.insert(k, self.word())
        return " ".join(words) + "?"


def write_questions(
    root: Path,
    questions: int,
    *,
    planted_share: float = 0.05,
    per_bank: int = 50,
    seed: int = 15,
    events: int = 50,
) -> Generated:
    """A synthetic project (see synthetic.py) whose banks hold `questions` varied questions,
    `planted_share` of them rewordings of another; returns the planted groups."""
    banks = max(1, questions // per_bank)
    write_project(root, events=events, banks=banks, questions_per_bank=per_bank)
    writer = Writer(seed, vocabulary=max(2000, questions // 2))
    texts: list[str] = []
    generated = Generated()
    seen: set[str] = set()
    ids = [f"b{b:02d}-q{n:03d}" for b in range(1, banks + 1) for n in range(1, per_bank + 1)]
    while len(texts) < len(ids):
        if writer.rng.random() < planted_share / 3.5 and len(texts) + 1 < len(ids):
            base = writer.question()
            size = min(writer.rng.randint(2, 5), len(ids) - len(texts))  # 3.5 on average
            group = [base, *(writer.reword(base) for _ in range(size - 1))]
            generated.groups.append(ids[len(texts) : len(texts) + size])
            texts.extend(group)
        else:
            while (text := writer.question()) in seen:
                pass  # an exact copy is another rule's (PK102), not a planted look-alike
            texts.append(text)
        seen.update(texts[-5:])
    for b in range(1, banks + 1):
        path = root / f"question_banks/bank-{b:02d}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines()
        out = []
        for line in lines:
            if line.startswith("    text: "):
                qid = out[-1].split("id: ")[1]
                text = texts[_position(qid, per_bank)]
                out.append("    text: " + _quoted(text))
            else:
                out.append(line)
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return generated


def _position(qid: str, per_bank: int) -> int:
    bank, number = qid[1:].split("-q")
    return (int(bank) - 1) * per_bank + int(number) - 1


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
