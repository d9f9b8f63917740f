"""`presskit translations`: every translatable text out to PO or XLIFF, and back into the YAML.

Translators work in Poedit, Weblate, Crowdin or Lokalize, which all read gettext PO and XLIFF
1.2; they never edit the banks. `export` writes one file per language with every text a kit in
that language shows: each question's text, follow-ups and notes, each bank's theme and
description, the campaign's tagline, and presskit's own labels. Each entry's context is a
stable id (`question:ID:text`, `question:ID:follow_up:0`, `bank:SLUG:theme`,
`campaign:tagline`, `label:KEY`), its comments name the question's bank and tags, and its
occurrence is the English's file and line. A translation made from English that has changed
since (presskit.project.fingerprint) is exported fuzzy.

`import` writes the translations back, patching the YAML in place (presskit.project.yamlwrite)
so comments and key order stay, and records in each translation's `translated_from` the
fingerprint of the English it was made from. It checks the whole file before writing anything:
a file it cannot read, an id it does not know, a placeholder (`{count}`, `%s`, a hashtag) that
differs from the English, or a language code it cannot name stops it with one line, and no file
changes. Labels go into the project's own catalogue, `locales/<lang>.yaml`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel

from presskit import __version__
from presskit.errors import PresskitError
from presskit.kits.i18n import labels, missing_labels
from presskit.project import yamlfile
from presskit.project.atomic import write_atomic
from presskit.project.fingerprint import (
    bank_fingerprint,
    campaign_fingerprint,
    fingerprint,
    outdated,
    question_fingerprint,
)
from presskit.project.loading import CAMPAIGN_FILE, LOCALES, BankFile, Project, validate_model
from presskit.project.models import Bank, Campaign, Language, Question
from presskit.project.references import did_you_mean
from presskit.project.yamlwrite import updated_text
from presskit.wording import plural

KeyPath = tuple[str | int, ...]  # a value's place in a YAML file, as yamlwrite takes it
Value = str | list[str]

Format = Literal["po", "xliff"]
M = TypeVar("M", bound=BaseModel)
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
# What a translation must carry over unchanged: `{count}` filled in by presskit, printf-style
# `%s` and `%(name)s`, and hashtags (a campaign's hashtag is not translated).
_PLACEHOLDER = re.compile(r"\{[^{}\s]*\}|%(?:\([A-Za-z_]\w*\))?[sd]|#[^\W\d]\w*")
# XLIFF 1.2 target states that are not a finished translation.
_UNFINISHED = ("new", "needs-translation", "needs-adaptation", "needs-l10n")


@dataclass(frozen=True)
class Entry:
    """One translatable text: its id, the English, the translation so far (or "")."""

    context: str
    source: str
    target: str = ""
    fuzzy: bool = False
    comments: tuple[str, ...] = ()
    occurrence: tuple[str, int] = ("", 0)
    previous: str | None = None  # fuzzy: the English the translation was made from, if known


# ---------------------------------------------------------------------------------------------
# What there is to translate


def check_language(project: Project, language: str, where: str = "") -> None:
    """`language` must be a code presskit can name (the `Language` rule of the models) and not
    the campaign's own language."""
    from pydantic import TypeAdapter, ValidationError

    prefix = f"{where}: " if where else ""
    try:
        TypeAdapter(Language).validate_python(language)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise PresskitError(f"{prefix}language: {reason}") from None
    if language == project.campaign.language:
        raise PresskitError(
            f"{prefix}language: {language!r} is the campaign's own language; "
            "there is nothing to translate into it"
        )


def entries(
    project: Project, language: str, *, include_retired: bool = False, history: bool = True
) -> list[Entry]:
    """Every translatable text of the project and presskit's labels, with what `language`
    already has; outdated translations are marked fuzzy. With `history`, the English an
    outdated translation was made from is looked up in git: then only the texts that changed
    are fuzzy, each with its previous English."""
    past = _History(project) if history else None
    out = [*_campaign_entries(project, language, past)]
    for bank_file in project.banks:
        out.extend(_bank_entries(project, bank_file, language, include_retired, past))
    out.extend(_label_entries(project, language))
    return out


class _History:
    """Earlier versions of the project's files in git, to find the English a translation was
    made from (its `translated_from` fingerprint). Looks back `DEPTH` commits per file."""

    DEPTH = 50

    def __init__(self, project: Project) -> None:
        self.root = project.root
        self.versions: dict[str, list[Any]] = {}

    def _versions(self, rel: str) -> list[Any]:
        """The file's parsed data in each of its last commits, newest first (read once)."""
        if rel not in self.versions:
            self.versions[rel] = list(self._read(rel))
        return self.versions[rel]

    def _read(self, rel: str) -> Iterable[Any]:
        from presskit.pipeline.provenance import past_versions

        for past in past_versions(self.root, rel, self.DEPTH):
            try:
                yield yamlfile.parse(past.text, rel)[0]
            except PresskitError:
                continue

    def question(self, rel: str, qid: str, wanted: str | None) -> Question | None:
        """Question `qid` as it was when its fingerprint was `wanted`."""
        for data in self._versions(rel) if wanted else ():
            for raw in data.get("questions", []) if isinstance(data, dict) else []:
                if isinstance(raw, dict) and raw.get("id") == qid:
                    question = _valid(Question, raw)
                    if question is not None and question_fingerprint(question) == wanted:
                        return question
        return None

    def bank(self, rel: str, wanted: str | None) -> Bank | None:
        for data in self._versions(rel) if wanted else ():
            bank = _valid(Bank, data)
            if bank is not None and bank_fingerprint(bank) == wanted:
                return bank
        return None

    def campaign(self, wanted: str | None) -> Campaign | None:
        for data in self._versions(CAMPAIGN_FILE) if wanted else ():
            campaign = _valid(Campaign, data)
            if campaign is not None and campaign_fingerprint(campaign) == wanted:
                return campaign
        return None


def _valid(model: type[M], data: Any) -> M | None:
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _fuzzy(outdated_: bool, found: bool, old: str | None, new: str) -> tuple[bool, str | None]:
    """Whether a translated text is fuzzy, and its previous English: with the old English
    found, only a text that changed is; without it, every text of an outdated translation."""
    if not outdated_:
        return False, None
    if not found:
        return True, None
    return (old != new), (old if old != new else None)


def _rel(project: Project, source_path: str) -> str:
    """A file's path relative to the project, from the path its source map shows."""
    shown = project.display.rstrip("/")
    if shown in ("", "."):
        return source_path
    return source_path.removeprefix(shown + "/")


def _line(source: yamlfile.SourceMap, loc: yamlfile.Loc) -> int:
    return source.mark(loc)[0]


def _campaign_entries(project: Project, language: str, past: _History | None) -> list[Entry]:
    campaign = project.campaign
    t = campaign.translations.get(language)
    if not campaign.tagline:
        return []
    stale = t is not None and outdated(t.translated_from, campaign_fingerprint(campaign))
    old = past.campaign(t.translated_from) if past and t and stale else None
    fuzzy, previous = _fuzzy(stale, old is not None, old.tagline if old else None, campaign.tagline)
    target = (t.tagline or "") if t else ""
    return [
        Entry(
            "campaign:tagline",
            campaign.tagline,
            target,
            fuzzy and bool(target),
            ("The campaign's tagline, under its name on kits and pages.",),
            (
                _rel(project, project.campaign_source.path),
                _line(project.campaign_source, ("tagline",)),
            ),
            previous if target else None,
        )
    ]


def _bank_entries(
    project: Project,
    bank_file: BankFile,
    language: str,
    include_retired: bool,
    past: _History | None,
) -> list[Entry]:
    bank, source, slug = bank_file.bank, bank_file.source, bank_file.slug
    rel = _rel(project, source.path)
    out = []
    t = bank.translations.get(language)
    stale = t is not None and outdated(t.translated_from, bank_fingerprint(bank))
    old = past.bank(rel, t.translated_from) if past and t and stale else None
    about = f"bank: {slug}"
    fuzzy, previous = _fuzzy(stale, old is not None, old.theme if old else None, bank.theme)
    out.append(
        Entry(
            f"bank:{slug}:theme",
            bank.theme,
            t.theme if t else "",
            fuzzy,
            (about, "The theme: the heading its questions appear under."),
            (rel, _line(source, ("theme",))),
            previous,
        )
    )
    if bank.description:
        target = (t.description or "") if t else ""
        fuzzy, previous = _fuzzy(
            stale, old is not None, old.description if old else None, bank.description
        )
        out.append(
            Entry(
                f"bank:{slug}:description",
                bank.description,
                target,
                fuzzy and bool(target),
                (about, "The theme's description."),
                (rel, _line(source, ("description",))),
                previous if target else None,
            )
        )
    for index, question in enumerate(bank.questions):
        if question.status == "retired" and not include_retired:
            continue
        qt = question.translations.get(language)
        stale = qt is not None and outdated(qt.translated_from, question_fingerprint(question))
        previous_question = (
            past.question(rel, question.id, qt.translated_from) if past and qt and stale else None
        )
        out.extend(
            _question_entries(
                question, index, slug, source, rel, language, stale, previous_question
            )
        )
    return out


def _question_entries(
    question: Question,
    index: int,
    slug: str,
    source: yamlfile.SourceMap,
    rel: str,
    language: str,
    stale: bool,
    old: Question | None,
) -> list[Entry]:
    t = question.translations.get(language)
    found = old is not None
    about = [f"bank: {slug}"]
    if question.tags:
        about.append(f"tags: {', '.join(question.tags)}")
    if question.status != "approved":
        about.append(f"status: {question.status}")
    at: yamlfile.Loc = ("questions", index)
    qid = question.id
    fuzzy, previous = _fuzzy(stale, found, old.text if old else None, question.text)
    out = [
        Entry(
            f"question:{qid}:text",
            question.text,
            t.text if t else "",
            fuzzy,
            (*about, "A question a reporter asks aloud: short, open-ended."),
            (rel, _line(source, (*at, "text"))),
            previous,
        )
    ]
    translated = t.follow_ups if t and t.follow_ups is not None else []
    old_follow_ups = old.follow_ups if old else []
    for i, follow_up in enumerate(question.follow_ups):
        target = translated[i] if i < len(translated) else ""
        was = old_follow_ups[i] if i < len(old_follow_ups) else None
        fuzzy, previous = _fuzzy(stale, found, was, follow_up)
        out.append(
            Entry(
                f"question:{qid}:follow_up:{i}",
                follow_up,
                target,
                fuzzy and bool(target),
                (*about, f"Follow-up {i + 1} to: {question.text}"),
                (rel, _line(source, (*at, "follow_ups", i))),
                previous if target else None,
            )
        )
    if question.notes:
        target = (t.notes or "") if t else ""
        fuzzy, previous = _fuzzy(stale, found, old.notes if old else None, question.notes)
        out.append(
            Entry(
                f"question:{qid}:notes",
                question.notes,
                target,
                fuzzy and bool(target),
                (*about, f"Notes for the reporter (not read out) on: {question.text}"),
                (rel, _line(source, (*at, "notes"))),
                previous if target else None,
            )
        )
    if question.prep is not None:
        target = (t.prep or "") if t else ""
        fuzzy, previous = _fuzzy(stale, found, old.prep if old else None, question.prep)
        out.append(
            Entry(
                f"question:{qid}:prep",
                question.prep,
                target,
                fuzzy and bool(target),
                (
                    *about,
                    "Preparation for the person asked, printed in the talent brief; "
                    f"reflection, never an answer, on: {question.text}",
                ),
                (rel, _line(source, (*at, "prep"))),
                previous if target else None,
            )
        )
    return out


def _english_labels() -> tuple[dict[str, str], dict[str, int]]:
    """presskit's English labels and the line each is on in its catalogue."""
    text = resources.files("presskit.kits").joinpath("locales/en.yaml").read_text("utf-8")
    data, source = yamlfile.parse(text, "presskit/kits/locales/en.yaml")
    return (
        {str(k): str(v) for k, v in data.items()},
        {str(k): source.mark((k,))[0] for k in data},
    )


def _label_entries(project: Project, language: str) -> list[Entry]:
    english, lines = _english_labels()
    shipped = labels(language)
    missing = set(missing_labels(language))
    own = project.label_catalogues.get(language, {})  # read and checked when loading
    out = []
    for key, text in english.items():
        target = own.get(key) or ("" if key in missing else shipped.get(key, ""))
        comments = ["A fixed label presskit prints in kits and pages."]
        if "{" in text:
            comments.append("Keep the {braces} as they are: presskit fills them in.")
        out.append(
            Entry(
                f"label:{key}",
                text,
                target,
                False,
                tuple(comments),
                ("presskit/kits/locales/en.yaml", lines[key]),
            )
        )
    return out


def _shown(project: Project, rel: str) -> str:
    shown = project.display.rstrip("/")
    return rel if shown in ("", ".") else f"{shown}/{rel}"


# ---------------------------------------------------------------------------------------------
# Export


def export(project: Project, language: str, fmt: Format) -> tuple[str, list[Entry]]:
    """The PO or XLIFF text for `language`, and its entries."""
    check_language(project, language)
    found = entries(project, language)
    text = to_po(found, project, language) if fmt == "po" else to_xliff(found, project, language)
    return text, found


def to_po(found: Iterable[Entry], project: Project, language: str) -> str:
    import polib

    po = polib.POFile(wrapwidth=0)
    po.header = (
        f"{project.campaign.name}: texts to translate into {language}, exported by presskit.\n"
        "Import with: presskit translations import FILE"
    )
    po.metadata = {
        "Project-Id-Version": project.campaign.name,
        # gettext's placeholders (as msginit writes them): the translator's tool fills them in
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": language,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"presskit {__version__}",
        "X-Source-Language": project.campaign.language,
    }
    for entry in found:
        po.append(
            polib.POEntry(
                msgctxt=entry.context,
                msgid=entry.source,
                msgstr=entry.target,
                comment="\n".join(entry.comments),
                occurrences=[(entry.occurrence[0], str(entry.occurrence[1]))],
                flags=["fuzzy"] if entry.fuzzy else [],
                previous_msgctxt=entry.context if entry.previous is not None else None,
                previous_msgid=entry.previous,
            )
        )
    return str(po) + "\n"


def to_xliff(found: Iterable[Entry], project: Project, language: str) -> str:
    """XLIFF 1.2: what Poedit, Weblate, Crowdin and Lokalize all read."""
    import xml.etree.ElementTree as ET

    def tag(name: str) -> str:
        return name  # in the default namespace, declared on the root

    root = ET.Element(tag("xliff"), {"version": "1.2", "xmlns": XLIFF_NS})
    file = ET.SubElement(
        root,
        tag("file"),
        {
            "original": project.campaign.name,
            "source-language": project.campaign.language,
            "target-language": language,
            "datatype": "plaintext",
            "tool-id": "presskit",
        },
    )
    header = ET.SubElement(file, tag("header"))
    ET.SubElement(
        header,
        tag("tool"),
        {"tool-id": "presskit", "tool-name": "presskit", "tool-version": __version__},
    )
    body = ET.SubElement(file, tag("body"))
    for entry in found:
        unit = ET.SubElement(
            body, tag("trans-unit"), {"id": entry.context, "resname": entry.context}
        )
        ET.SubElement(unit, tag("source")).text = entry.source
        if entry.target:
            state = "needs-review-translation" if entry.fuzzy else "translated"
            ET.SubElement(unit, tag("target"), {"state": state}).text = entry.target
        else:
            ET.SubElement(unit, tag("target"), {"state": "needs-translation"})
        for comment in entry.comments:
            ET.SubElement(unit, tag("note"), {"from": "developer"}).text = comment
        if entry.previous is not None:
            ET.SubElement(
                unit, tag("note"), {"from": "presskit"}
            ).text = f"The English changed. It was: {entry.previous}"
        where = ET.SubElement(unit, tag("context-group"), {"purpose": "location"})
        ET.SubElement(
            where, tag("context"), {"context-type": "sourcefile"}
        ).text = entry.occurrence[0]
        ET.SubElement(where, tag("context"), {"context-type": "linenumber"}).text = str(
            entry.occurrence[1]
        )
    ET.indent(root)
    body_text = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body_text + "\n"


# ---------------------------------------------------------------------------------------------
# Reading a translated file


@dataclass(frozen=True)
class Incoming:
    """One entry of a translated file."""

    context: str
    source: str
    target: str
    fuzzy: bool
    where: str  # `file:line` (PO) or `file: trans-unit` (XLIFF), for messages


def read_translations(file: Path, shown: str) -> tuple[str, list[Incoming]]:
    """The language and entries of a PO or XLIFF file (by its content, not its name)."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise PresskitError(f"{shown}: {exc.strerror or exc}") from None
    if raw.lstrip().startswith(b"<"):
        return _read_xliff(raw, shown)
    return _read_po(raw, shown)


def _read_po(raw: bytes, shown: str) -> tuple[str, list[Incoming]]:
    import polib

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PresskitError(f"{shown}: not a PO file in UTF-8 ({exc.reason})") from None
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:  # polib: "Syntax error in po file (line 3): why"
        said = " ".join(str(exc).split())
        found = re.search(r"\(line (\d+)\)(?::\s*(.*))?", said)
        where = f"{shown}:{found.group(1)}" if found else shown
        why = (found.group(2) if found and found.group(2) else "syntax error") if found else said
        raise PresskitError(f"{where}: not a readable PO file: {why}") from None
    # gettext writes a region with an underscore (pt_BR); presskit's codes use a hyphen
    language = po.metadata.get("Language", "").strip().replace("_", "-")
    if not language:
        raise PresskitError(f"{shown}: the PO header has no Language; export the file again")
    out = []
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{shown}:{entry.linenum}"
        if not entry.msgctxt:
            raise PresskitError(
                f"{where}: entry {entry.msgid[:40]!r} has no context (msgctxt), so presskit "
                "cannot tell what it translates"
            )
        out.append(
            Incoming(entry.msgctxt, entry.msgid, entry.msgstr, "fuzzy" in entry.flags, where)
        )
    return language, out


def _read_xliff(raw: bytes, shown: str) -> tuple[str, list[Incoming]]:
    # defusedxml: no DTDs, no entities, no external references (the file comes from outside).
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(raw, forbid_dtd=True)
    except ParseError as exc:
        line, col = exc.position[0], exc.position[1] + 1  # expat counts columns from 0
        why = re.sub(r": line \d+, column \d+$", "", str(exc.msg))  # the place is in front
        raise PresskitError(f"{shown}:{line}:{col}: not a readable XLIFF file: {why}") from None
    except DefusedXmlException as exc:
        raise PresskitError(f"{shown}: refused: {exc} (XLIFF needs no DTD or entities)") from None
    if root.tag != f"{{{XLIFF_NS}}}xliff":
        raise PresskitError(
            f"{shown}: not an XLIFF 1.2 file (its root is {root.tag!r}); presskit reads XLIFF 1.2"
        )
    ns = {"x": XLIFF_NS}
    files = root.findall("x:file", ns)
    languages = {f.get("target-language", "") for f in files}
    if len(languages) != 1 or not next(iter(languages)):
        raise PresskitError(f"{shown}: needs one target-language on its <file> elements")
    out = []
    for unit in root.iterfind(".//x:trans-unit", ns):
        context = unit.get("resname") or unit.get("id") or ""
        where = f"{shown}: trans-unit {context!r}"
        if not context:
            raise PresskitError(f"{shown}: a trans-unit has no id")
        source = unit.find("x:source", ns)
        target = unit.find("x:target", ns)
        if source is None:
            raise PresskitError(f"{where}: has no <source>")
        for part in (source, target):
            if part is not None and len(part):
                raise PresskitError(f"{where}: inline markup in <{part.tag.split('}')[1]}>")
        text = (target.text or "") if target is not None else ""
        state = target.get("state", "translated") if target is not None else "new"
        fuzzy = state.startswith("needs-review") or state in _UNFINISHED
        out.append(Incoming(context, source.text or "", text, fuzzy, where))
    return next(iter(languages)).replace("_", "-"), out


# ---------------------------------------------------------------------------------------------
# Import


@dataclass
class ImportResult:
    language: str
    imported: int = 0  # entries whose text was written or confirmed
    fuzzy_skipped: int = 0
    written: list[str] = field(default_factory=list)  # files changed, as shown
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"imported {plural(self.imported, 'translation')} into {self.language!r}"
            + (f": {', '.join(self.written)}" if self.written else "; no file changed")
        ]
        if self.fuzzy_skipped:
            lines.append(
                f"left out {plural(self.fuzzy_skipped, 'fuzzy entry', 'fuzzy entries')} "
                "(review them, or import with --include-fuzzy)"
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class _Accepted:
    incoming: Incoming
    target: str


def import_translations(
    project: Project, file: Path, shown: str, *, include_fuzzy: bool = False
) -> ImportResult:
    """Write the translations of a PO or XLIFF file into the project; all or nothing."""
    language, incoming = read_translations(file, shown)
    check_language(project, language, shown)
    known = {e.context: e for e in entries(project, language, include_retired=True, history=False)}
    result = ImportResult(language)
    accepted: dict[str, _Accepted] = {}
    for item in incoming:
        english = known.get(item.context)
        if english is None:
            raise PresskitError(f"{item.where}: {item.context}: {_unknown(project, item.context)}")
        target = item.target.strip()
        if not target:
            continue  # untranslated: left alone
        if item.fuzzy and not include_fuzzy:
            result.fuzzy_skipped += 1
            continue
        _check_placeholders(item, english.source, target)
        accepted[item.context] = _Accepted(item, target)

    plan = _Plan(project, language, accepted, result)
    for bank_file in project.banks:
        plan.bank(bank_file)
    plan.campaign()
    plan.labels()
    texts = plan.texts()
    for path, text in texts.items():  # everything is written only once all of it is right
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        write_atomic(path, text.encode("utf-8"), mode=mode)  # makes locales/, the first time
    result.written = sorted(plan.shown[p] for p in texts)
    return result


def _unknown(project: Project, context: str) -> str:
    kind, _, rest = context.partition(":")
    if kind == "question":
        qid = rest.split(":", 1)[0]
        if qid not in project.questions:
            return f"no question {qid!r} in the banks{did_you_mean(qid, project.questions)}"
        question = project.questions[qid][1]
        return (
            f"not a part of question {qid!r} (it has text, "
            f"{plural(len(question.follow_ups), 'follow-up')}"
            f"{', notes' if question.notes else ''}"
            f"{', prep' if question.prep is not None else ''}); export the file again"
        )
    if kind == "bank":
        slug = rest.split(":", 1)[0]
        slugs = [b.slug for b in project.banks]
        if slug not in slugs:
            return f"no bank {slug!r}{did_you_mean(slug, slugs)}"
        return f"not a part of bank {slug!r}; export the file again"
    if kind == "label":
        return f"presskit has no label {rest!r}"
    return "unknown id; presskit exports ids such as question:ID:text, bank:SLUG:theme, label:KEY"


def _check_placeholders(item: Incoming, english: str, target: str) -> None:
    want, got = Counter(_PLACEHOLDER.findall(english)), Counter(_PLACEHOLDER.findall(target))
    if want == got:
        return
    missing = ", ".join(sorted((want - got).elements()))
    extra = ", ".join(sorted((got - want).elements()))
    parts = ([f"missing {missing}"] if missing else []) + ([f"unexpected {extra}"] if extra else [])
    raise PresskitError(
        f"{item.where}: {item.context}: placeholders differ from the English "
        f"({'; '.join(parts)}); keep them exactly as in the English"
    )


class _Plan:
    """The edits an import makes, file by file, before any is written."""

    def __init__(
        self,
        project: Project,
        language: str,
        accepted: dict[str, _Accepted],
        result: ImportResult,
    ) -> None:
        self.project = project
        self.language = language
        self.accepted = accepted
        self.result = result
        self.edits: dict[Path, dict[KeyPath, Value]] = {}
        self.shown: dict[Path, str] = {}
        self.models: dict[Path, type[Bank] | type[Campaign] | None] = {}

    def _edit(self, path: Path, shown: str, model: Any, at: KeyPath, value: Value) -> None:
        self.edits.setdefault(path, {})[at] = value
        self.shown[path] = shown
        self.models[path] = model

    def _take(self, context: str) -> _Accepted | None:
        return self.accepted.get(context)

    def _unit(
        self,
        name: str,
        parts: dict[str, tuple[str | None, str | None]],
        english_now: str,
        existing_from: str | None,
        exists: bool,
        required: str,
    ) -> tuple[dict[str, str], str | None] | None:
        """Shared rule for a question, a bank or the campaign, as a set of parts. `parts`:
        part -> (its English now, the translation it has). Returns the new values to write
        and the `translated_from` to record (None: keep), or None when nothing changes."""
        taken = {p: self._take(f"{name}:{p}") for p in parts}
        if not any(taken.values()):
            return None
        values = {p: (a.target if a else parts[p][1]) for p, a in taken.items()}
        if values.get(required) is None:
            self.result.warnings.append(
                f"{name}: skipped: its {required.replace('_', ' ')} has no translation, "
                "and the others need it"
            )
            return None
        changed = {p: v for p, v in values.items() if taken[p] and v != parts[p][1]}
        was_outdated = exists and outdated(existing_from, english_now)
        if not changed and not was_outdated:
            return None
        # The English the translator saw: the file's, where it has the part.
        seen = [
            (taken[p].incoming.source if taken[p] else (parts[p][0] or ""))  # type: ignore[union-attr]
            for p in parts
        ]
        covered = all(taken[p] is not None for p, v in values.items() if v is not None)
        new_from: str | None = fingerprint(seen)
        if was_outdated and not covered:
            new_from = None
            stale = [p for p, v in values.items() if v is not None and taken[p] is None]
            self.result.warnings.append(
                f"{name}: still outdated: {', '.join(stale)} not updated in this file"
            )
        elif new_from != english_now:
            self.result.warnings.append(
                f"{name}: the English changed after this file was exported; imported, "
                "but marked outdated (export again to see the changes)"
            )
        self.result.imported += sum(1 for a in taken.values() if a)
        return {p: v for p, v in changed.items() if v is not None}, new_from

    def bank(self, bank_file: BankFile) -> None:
        bank = bank_file.bank
        path = self._bank_path(bank_file)
        shown = bank_file.source.path
        t = bank.translations.get(self.language)
        unit = self._unit(
            f"bank:{bank_file.slug}",
            {
                "theme": (bank.theme, t.theme if t else None),
                "description": (bank.description, t.description if t else None),
            },
            bank_fingerprint(bank),
            t.translated_from if t else None,
            t is not None,
            "theme",
        )
        at: KeyPath = ("translations", self.language)
        if unit is not None:
            values, new_from = unit
            for part, value in values.items():
                self._edit(path, shown, Bank, (*at, part), value)
            if new_from is not None:
                self._edit(path, shown, Bank, (*at, "translated_from"), new_from)
        for index, question in enumerate(bank.questions):
            self.question(path, shown, index, question)

    def question(self, path: Path, shown: str, index: int, question: Question) -> None:
        t = question.translations.get(self.language)
        name = f"question:{question.id}"
        parts: dict[str, tuple[str | None, str | None]] = {
            "text": (question.text, t.text if t else None)
        }
        translated = t.follow_ups if t and t.follow_ups is not None else None
        for i, follow_up in enumerate(question.follow_ups):
            parts[f"follow_up:{i}"] = (follow_up, translated[i] if translated else None)
        parts["notes"] = (question.notes, t.notes if t else None)
        if question.prep is not None:  # a part of the fingerprint only when set, as there
            parts["prep"] = (question.prep, t.prep if t else None)
        unit = self._unit(
            name,
            parts,
            question_fingerprint(question),
            t.translated_from if t else None,
            t is not None,
            "text",
        )
        if unit is None:
            return
        values, new_from = unit
        at: KeyPath = ("questions", index, "translations", self.language)
        if "text" in values:
            self._edit(path, shown, Bank, (*at, "text"), values["text"])
        follow_ups = [values.get(f"follow_up:{i}") for i in range(len(question.follow_ups))]
        if any(f is not None for f in follow_ups):
            merged = [
                f if f is not None else (translated[i] if translated else None)
                for i, f in enumerate(follow_ups)
            ]
            if None in merged:
                gaps = [str(i) for i, f in enumerate(merged) if f is None]
                self.result.warnings.append(
                    f"{name}: follow-ups skipped: they are imported together, and "
                    f"follow_up:{', follow_up:'.join(gaps)} has no translation"
                )
            else:
                self._edit(path, shown, Bank, (*at, "follow_ups"), [f for f in merged if f])
        if "notes" in values:
            self._edit(path, shown, Bank, (*at, "notes"), values["notes"])
        if "prep" in values:
            self._edit(path, shown, Bank, (*at, "prep"), values["prep"])
        if new_from is not None:
            self._edit(path, shown, Bank, (*at, "translated_from"), new_from)

    def campaign(self) -> None:
        campaign = self.project.campaign
        t = campaign.translations.get(self.language)
        unit = self._unit(
            "campaign",
            {"tagline": (campaign.tagline, t.tagline if t else None)},
            campaign_fingerprint(campaign),
            t.translated_from if t else None,
            t is not None,
            "tagline",
        )
        if unit is None:
            return
        path = self.project.root / CAMPAIGN_FILE
        shown = self.project.campaign_source.path
        values, new_from = unit
        at: KeyPath = ("translations", self.language)
        for part, value in values.items():
            self._edit(path, shown, Campaign, (*at, part), value)
        if new_from is not None:
            self._edit(path, shown, Campaign, (*at, "translated_from"), new_from)

    def labels(self) -> None:
        current = {e.context: e.target for e in _label_entries(self.project, self.language)}
        rel = f"{LOCALES}/{self.language}.yaml"
        path = self.project.root / rel
        for context, item in self.accepted.items():
            if context.startswith("label:") and current.get(context) != item.target:
                self.result.imported += 1
                key = context.removeprefix("label:")
                self._edit(path, _shown(self.project, rel), None, (key,), item.target)

    def _bank_path(self, bank_file: BankFile) -> Path:
        return self.project.root / _rel(self.project, bank_file.source.path)

    def texts(self) -> dict[Path, str]:
        """Every changed file's new text, each read back and validated."""
        out = {}
        for path, edits in self.edits.items():
            shown = self.shown[path]
            new = (
                updated_text(path.read_text("utf-8"), edits, shown=shown, after=_AFTER)
                if path.exists()
                else _new_catalogue(edits)
            )
            data, source = yamlfile.parse(new, shown)
            model = self.models[path]
            if model is not None:
                _, problems = validate_model(model, data, source)
                if problems:
                    first = problems[0]
                    raise PresskitError(f"{first} (after importing; no file was changed)")
            out[path] = new
        return out


# Where a key presskit adds goes: the fingerprint right after the texts it vouches for, and
# `prep` after the reporter's texts (before a fingerprint already there).
_AFTER = {
    "translated_from": ("prep", "notes"),
    "prep": ("notes", "follow_ups", "text"),
}


def _new_catalogue(edits: Mapping[KeyPath, Value]) -> str:
    """A project label catalogue that did not exist yet: the header and the labels, in order."""
    labels = {str(at[-1]): value for at, value in edits.items()}
    return _LOCALES_HEADER + yaml.safe_dump(labels, allow_unicode=True, sort_keys=False, width=100)


_LOCALES_HEADER = (
    "# This project's labels in one language, over presskit's own catalogue; written by\n"
    "# `presskit translations import`. Keys are those of presskit/kits/locales/en.yaml.\n"
)
