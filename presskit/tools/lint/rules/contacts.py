"""Rules about press contacts (PK501): a placeholder must not reach a published kit.

The starter ships a placeholder contact so a new project builds at once; it prints in every kit
until someone replaces it, so lint says so (a warning: the starter still builds and lints with
exit 0).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from presskit.project.models import Contact
from presskit.project.yamlfile import SourceMap
from presskit.tools.lint.model import Corpus, Hit, place, rule

# Words that mark a name or role as not yet filled in.
_PLACEHOLDER_WORDS = re.compile(
    r"\b(placeholder|tbd|tba|tbc|to be (confirmed|decided|announced)|example|lorem ipsum|"
    r"replace (this|with|me))\b",
    re.IGNORECASE,
)
# Domains reserved for examples and tests (RFC 2606, RFC 6761): mail there reaches no one.
_EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
_EXAMPLE_SUFFIXES = ("example", "test", "invalid", "localhost")
# 555-0100 to 555-0199: the North American numbers reserved for fiction.
_FICTIONAL_PHONE = re.compile(r"555\D*01\d\d(?!\d)")


def reserved_domain(host: str) -> bool:
    """Whether `host` is a domain reserved for examples, tests or this machine."""
    host = host.lower().rstrip(".")
    if host in _EXAMPLE_DOMAINS or any(host.endswith("." + d) for d in _EXAMPLE_DOMAINS):
        return True
    last = host.rsplit(".", 1)[-1]
    return last in _EXAMPLE_SUFFIXES


def placeholder_fields(contact: Contact) -> Iterator[tuple[str, str]]:
    """(field, why) for every field of `contact` that looks like a placeholder."""
    for name in ("name", "role"):
        value = getattr(contact, name)
        if value and (found := _PLACEHOLDER_WORDS.search(value)):
            yield name, f"says {found.group(0)!r}"
    if contact.email and reserved_domain(contact.email.rpartition("@")[2]):
        yield "email", f"{contact.email} is at a domain reserved for examples"
    if contact.url and reserved_domain(urlsplit(contact.url).hostname or ""):
        yield "url", f"{contact.url} is at a domain reserved for examples"
    if contact.phone and _FICTIONAL_PHONE.search(contact.phone):
        yield "phone", f"{contact.phone} is a number reserved for fiction (555-01xx)"


def _hits(contacts: list[Contact], source: SourceMap, owner: str) -> Iterator[Hit]:
    for i, contact in enumerate(contacts):
        for name, why in placeholder_fields(contact):
            yield Hit(
                place(source, ("contacts", i, name)),
                f"{owner} press contact {contact.name!r} looks like a placeholder: {name} {why}",
                "Replace it with a real press contact, or remove it; it prints in every kit.",
            )


@rule(
    "PK501",
    "placeholder-contact",
    "warning",
    "A press contact looks like a placeholder (placeholder/TBD/example in its name or role, an "
    "address at a domain reserved for examples, a 555-01xx phone number).",
)
def placeholder_contact(corpus: Corpus) -> Iterator[Hit]:
    if corpus.campaign is not None and corpus.campaign_source is not None:
        yield from _hits(corpus.campaign.contacts, corpus.campaign_source, "the campaign's")
    for event in corpus.events:
        if event.event.contacts:
            yield from _hits(event.event.contacts, event.source, f"event {event.slug}'s")
