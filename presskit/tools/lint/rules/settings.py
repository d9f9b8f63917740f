"""Rules about lint's own configuration: settings and silences (PK002, PK003)."""

from __future__ import annotations

from collections.abc import Iterator

from presskit.project.references import did_you_mean
from presskit.tools.lint.model import Corpus, Hit, place, rule


@rule(
    "PK002",
    "bad-lint-setting",
    "error",
    "A lint setting or silence names an unknown rule, or tries to switch off a rule that "
    "mirrors a validation error.",
    locked=True,
)
def lint_settings(corpus: Corpus) -> Iterator[Hit]:
    if corpus.campaign_source is not None:
        for code, setting in corpus.settings.rules.items():
            where = place(corpus.campaign_source, ("lint", "rules", code), key=True)
            if code not in corpus.rules:
                yield Hit(
                    where,
                    f"no lint rule {code}{did_you_mean(code, corpus.rules)}",
                    "Run `presskit lint --rules` to list the rules.",
                )
            elif corpus.rules[code].locked and setting not in (True, "error"):
                yield Hit(
                    where,
                    f"{code} cannot be turned off or made a warning: builds fail on what it finds",
                    f"Remove {code} from lint.rules.",
                )
    for ref in corpus.questions():
        for j, silence in enumerate(ref.question.lint.ignore if ref.question.lint else []):
            where = ref.place("lint", "ignore", j, "rule")
            if silence.rule not in corpus.rules:
                yield Hit(
                    where,
                    f"no lint rule {silence.rule}{did_you_mean(silence.rule, corpus.rules)}",
                    "Run `presskit lint --rules` to list the rules.",
                )
            elif corpus.rules[silence.rule].locked:
                yield Hit(
                    where,
                    f"{silence.rule} cannot be silenced: builds fail on what it finds",
                    "Fix the problem instead.",
                )


@rule("PK003", "silence-without-reason", "error", "A question silences a rule without saying why.")
def silence_reason(corpus: Corpus) -> Iterator[Hit]:
    for ref in corpus.questions():
        for j, silence in enumerate(ref.question.lint.ignore if ref.question.lint else []):
            if silence.reason is None:
                yield Hit(
                    ref.place("lint", "ignore", j),
                    f"silences {silence.rule} without a reason",
                    "Add `reason:` saying why the rule does not apply to this question.",
                )
