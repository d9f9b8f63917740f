"""`presskit translations`: export PO and XLIFF, translate, import, and a kit in that language."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from presskit.cli import main
from presskit.errors import PresskitError
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.fingerprint import question_fingerprint
from presskit.project.loading import load_project
from presskit.tools.translations import XLIFF_NS, export, import_translations

Edit = Callable[[Path, str, str], None]
NS = {"x": XLIFF_NS}


def _po(project_root: Path, language: str = "es") -> polib.POFile:
    text, _ = export(load_project(project_root, ""), language, "po")
    return polib.pofile(text)


def _xml(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 - presskit's own export, not outside input


def _by_context(po: polib.POFile) -> dict[str, polib.POEntry]:
    return {e.msgctxt: e for e in po}


def _import(root: Path, file: Path, **options: bool) -> list[str]:
    result = import_translations(load_project(root, ""), file, file.name, **options)
    return result.written


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_po_export_holds_every_text_with_its_id_comments_and_place(mini: Path) -> None:
    entries = _by_context(_po(mini))
    assert entries["campaign:tagline"].msgid == "A small project for tests."
    assert entries["bank:beta:theme"].msgid == "Beta theme"
    assert entries["bank:beta:description"].msgid == "Questions about beta."
    one = entries["question:a-one:text"]
    assert one.msgid == "What does alpha one ask?"
    assert one.msgstr == ""
    assert "bank: alpha" in one.comment.splitlines()
    assert "tags: quick" in one.comment.splitlines()
    assert one.occurrences == [("question_banks/alpha.yaml", "4")]
    assert entries["question:a-one:follow_up:0"].msgid == "And then what?"
    assert entries["question:a-one:notes"].msgid == "A note for reporters."
    assert "status: draft" in entries["question:a-draft:text"].comment
    assert "question:a-retired:text" not in entries  # retired questions need no translation
    # presskit's labels, with its own Spanish where it has it
    assert entries["label:questions"].msgstr == "Preguntas"
    assert entries["label:signatory_count"].msgid == "{count} signatories"
    assert not any(e.fuzzy for e in entries.values())


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_gettext_itself_reads_the_po_file_without_a_warning(mini: Path, edit: Edit) -> None:
    po = _po(mini)
    _by_context(po)["question:a-one:text"].msgstr = "¿Qué pregunta alfa uno?"
    po.save(str(mini / "es.po"))
    _import(mini, mini / "es.po")
    edit(mini / "question_banks/alpha.yaml", "What does alpha one ask?", "What does a1 ask?")
    text, _ = export(load_project(mini, ""), "es", "po")  # with a fuzzy entry
    (mini / "es.po").write_text(text, encoding="utf-8")
    checked = subprocess.run(
        # every check but the header's, which the translator's tool fills in (name, date)
        ["msgfmt", "--check-format", "--check-domain", "-o", "/dev/null", str(mini / "es.po")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (checked.returncode, checked.stderr) == (0, "")


def test_xliff_export_reads_back_with_a_standard_parser(mini: Path) -> None:
    text, _ = export(load_project(mini, ""), "es", "xliff")
    root = _xml(text)
    assert root.tag == f"{{{XLIFF_NS}}}xliff" and root.get("version") == "1.2"
    file = root.find("x:file", NS)
    assert file is not None
    assert (file.get("source-language"), file.get("target-language")) == ("en", "es")
    units = {u.get("id"): u for u in root.iterfind(".//x:trans-unit", NS)}
    unit = units["question:a-one:follow_up:0"]
    assert unit.findtext("x:source", namespaces=NS) == "And then what?"
    target = unit.find("x:target", NS)
    assert target is not None and target.get("state") == "needs-translation"
    notes = [n.text for n in unit.iterfind("x:note", NS)]
    assert "bank: alpha" in notes and "tags: quick" in notes
    place = [c.text for c in unit.iterfind("x:context-group/x:context", NS)]
    assert place == ["question_banks/alpha.yaml", "5"]
    label = units["label:questions"].find("x:target", NS)
    assert label is not None and (label.text, label.get("state")) == ("Preguntas", "translated")


def test_translate_import_and_build_a_kit_in_that_language(mini: Path, edit: Edit) -> None:
    bank = mini / "question_banks/alpha.yaml"
    edit(bank, "questions:\n", "# Questions about alpha; keep this comment.\nquestions:\n")
    edit(mini / "events/gala.yaml", "kind: red-carpet", "kind: red-carpet\nlanguage: es")
    before = bank.read_text(encoding="utf-8")
    po = _po(mini)
    translations = {
        "bank:alpha:theme": "Tema alfa",
        "question:a-one:text": "¿Qué pregunta alfa uno?",
        "question:a-one:follow_up:0": "¿Y luego qué?",
        "question:b-two:text": "¿Qué pregunta beta dos?",
        "campaign:tagline": "Un pequeño proyecto para pruebas.",
        "label:questions": "Las preguntas",
    }
    for entry in po:
        entry.msgstr = translations.get(entry.msgctxt, entry.msgstr)
    file = mini / "es.po"
    po.save(str(file))

    written = _import(mini, file)

    assert written == [
        "locales/es.yaml",
        "presskit.yaml",
        "question_banks/alpha.yaml",
        "question_banks/beta.yaml",
    ]
    after = bank.read_text(encoding="utf-8")
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        (removed if line.startswith("- ") else added if line.startswith("+ ") else []).append(line)
    assert removed == []  # comments, order and quoting of everything else unchanged
    project = load_project(mini, "")
    alpha = project.bank("alpha").bank
    one = project.questions["a-one"][1]
    assert alpha.translations["es"].theme == "Tema alfa"
    t = one.translations["es"]
    assert (t.text, t.follow_ups, t.notes) == ("¿Qué pregunta alfa uno?", ["¿Y luego qué?"], None)
    assert t.translated_from == question_fingerprint(one)
    assert [line[2:] for line in added] == [
        "    translations:",  # after a-one's last line, in the question's indentation
        "      es:",
        "        text: ¿Qué pregunta alfa uno?",
        "        follow_ups:",
        "          - ¿Y luego qué?",
        f"        translated_from: {t.translated_from}",
        "translations:",  # the bank's own, at the end of the file
        "  es:",
        "    theme: Tema alfa",
        f"    translated_from: {alpha.translations['es'].translated_from}",
    ]
    assert project.campaign.translations["es"].tagline == "Un pequeño proyecto para pruebas."
    assert "questions: Las preguntas" in (mini / "locales/es.yaml").read_text(encoding="utf-8")

    build(project, BuildOptions(out=mini / "out", formats=frozenset({"html"}), jobs=1))
    page = BeautifulSoup((mini / "out/gala/index.html").read_text(encoding="utf-8"), "html.parser")
    text = page.get_text(" ")
    assert "¿Qué pregunta beta dos?" in text
    assert "Tema alfa" in text or "¿Qué pregunta alfa uno?" in text
    assert "What does beta two ask?" not in text

    # The same file again changes nothing.
    snapshot = _snapshot(mini)
    assert _import(mini, file) == []
    assert _snapshot(mini) == snapshot


def test_xliff_round_trip(mini: Path) -> None:
    text, _ = export(load_project(mini, ""), "fr", "xliff")
    root = _xml(text)
    for unit in root.iterfind(".//x:trans-unit", NS):
        if unit.get("id") == "question:b-one:text":
            target = unit.find("x:target", NS)
            assert target is not None
            target.text, target.attrib["state"] = "Que demande bêta un ?", "translated"
    file = mini / "fr.xlf"
    file.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    assert _import(mini, file) == ["question_banks/beta.yaml"]
    question = load_project(mini, "").questions["b-one"][1]
    assert question.translations["fr"].text == "Que demande bêta un ?"


def test_a_gettext_region_code_is_read_as_presskits(mini: Path) -> None:
    po = _po(mini, "pt-BR")
    assert po.metadata["Language"] == "pt-BR"
    po.metadata["Language"] = "pt_BR"  # as Poedit and gettext write it
    _by_context(po)["question:b-two:text"].msgstr = "O que pergunta beta dois?"
    po.save(str(mini / "pt.po"))
    _import(mini, mini / "pt.po")
    question = load_project(mini, "").questions["b-two"][1]
    assert question.translations["pt-BR"].text == "O que pergunta beta dois?"


def test_an_edited_english_source_turns_its_translation_fuzzy(mini: Path, edit: Edit) -> None:
    po = _po(mini)
    for entry in po:
        if entry.msgctxt == "question:a-two:text":
            entry.msgstr = "¿Qué pregunta alfa dos?"
    po.save(str(mini / "es.po"))
    _import(mini, mini / "es.po")
    assert not _by_context(_po(mini))["question:a-two:text"].fuzzy

    edit(mini / "question_banks/alpha.yaml", "What does alpha two ask?", "What is alpha two?")
    entries = _by_context(_po(mini))
    entry = entries["question:a-two:text"]
    assert entry.fuzzy
    assert (entry.msgid, entry.msgstr) == ("What is alpha two?", "¿Qué pregunta alfa dos?")
    assert not entries["question:a-one:text"].fuzzy
    text, _ = export(load_project(mini, ""), "es", "xliff")
    unit = _xml(text).find(".//x:trans-unit[@id='question:a-two:text']/x:target", NS)
    assert unit is not None and unit.get("state") == "needs-review-translation"

    # A fuzzy entry stays out unless asked for; a reviewed one brings the translation up to date.
    po = _po(mini)
    po.save(str(mini / "es.po"))
    snapshot = _snapshot(mini)
    assert _import(mini, mini / "es.po") == []
    assert _snapshot(mini) == snapshot
    assert _import(mini, mini / "es.po", include_fuzzy=True) == ["question_banks/alpha.yaml"]
    assert not _by_context(_po(mini))["question:a-two:text"].fuzzy


def test_with_git_history_only_the_changed_text_is_fuzzy_with_its_previous_english(
    mini: Path, edit: Edit
) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(mini), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            check=True,
            capture_output=True,
        )

    po = _po(mini)
    for entry in po:
        entry.msgstr = {
            "question:a-one:text": "¿Qué pregunta alfa uno?",
            "question:a-one:follow_up:0": "¿Y luego qué?",
            "question:a-one:notes": "Una nota para periodistas.",
        }.get(entry.msgctxt, entry.msgstr)
    po.save(str(mini / "es.po"))
    _import(mini, mini / "es.po")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "translated")
    edit(
        mini / "question_banks/alpha.yaml", "A note for reporters.", "A longer note for reporters."
    )

    entries = _by_context(_po(mini))
    notes = entries["question:a-one:notes"]
    assert notes.fuzzy
    assert notes.previous_msgid == "A note for reporters."
    assert not entries["question:a-one:text"].fuzzy
    assert not entries["question:a-one:follow_up:0"].fuzzy

    # Reviewing the one fuzzy text brings the whole translation up to date.
    po = _po(mini)
    entry = _by_context(po)["question:a-one:notes"]
    entry.msgstr, entry.flags = "Una nota más larga para periodistas.", []
    po.save(str(mini / "es.po"))
    _import(mini, mini / "es.po")
    question = load_project(mini, "").questions["a-one"][1]
    assert question.translations["es"].translated_from == question_fingerprint(question)
    assert not any(e.fuzzy for e in _po(mini))


def _broken_po(mini: Path, context: str, msgstr: str) -> Path:
    """es.po (exported if not there yet) with one entry's translation set."""
    file = mini / "es.po"
    po = polib.pofile(str(file)) if file.exists() else _po(mini)
    for entry in po:
        if entry.msgctxt == context:
            entry.msgstr = msgstr
    file = mini / "es.po"
    po.save(str(file))
    return file


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda m: _write(m, _po_text(m) + 'msgid "a"\nmsgstr "b"\ngarbage here\n'),
            r"^es\.po:\d+: not a readable PO file: syntax error$",
        ),
        (
            lambda m: _write(
                m,
                _po_text(m).replace(
                    'msgctxt "question:a-two:text"', 'msgctxt "question:a-tw0:text"'
                ),
            ),
            r"^es\.po:\d+: question:a-tw0:text: no question 'a-tw0' in the banks "
            r"\(did you mean 'a-two'\?\)$",
        ),
        (
            lambda m: _broken_po(m, "label:signatory_count", "{cuenta} firmantes"),
            r"^es\.po:\d+: label:signatory_count: placeholders differ from the English "
            r"\(missing \{count\}; unexpected \{cuenta\}\); keep them exactly as in the English$",
        ),
        (
            lambda m: _write(m, _po_text(m).replace('"Language: es\\n"', '"Language: Spanish\\n"')),
            r"^es\.po: language: 'Spanish' is not a language code such as 'en', 'es' or 'pt-BR'$",
        ),
        (
            lambda m: _write(
                m,
                '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'
                f'<xliff xmlns="{XLIFF_NS}" version="1.2"><file target-language="es"/></xliff>',
            ),
            r"^es\.po: refused: .*DTD",
        ),
        (
            lambda m: _write(m, f'<xliff xmlns="{XLIFF_NS}" version="1.2">\n<file>\n</xliff>'),
            r"^es\.po:3:3: not a readable XLIFF file: mismatched tag$",
        ),
    ],
    ids=["corrupt-po", "unknown-id", "placeholder", "language", "xml-entities", "corrupt-xliff"],
)
def test_bad_files_are_refused_and_change_nothing(
    mini: Path, make: Callable[[Path], Path], message: str
) -> None:
    # A good translation in the same file must not be written either.
    _broken_po(mini, "question:a-one:text", "¿Qué pregunta alfa uno?")
    file = make(mini)
    snapshot = _snapshot(mini)
    with pytest.raises(PresskitError, match=message):
        _import(mini, file)
    assert _snapshot(mini) == snapshot


def _po_text(mini: Path) -> str:
    return (mini / "es.po").read_text(encoding="utf-8")


def _write(mini: Path, text: str) -> Path:
    (mini / "es.po").write_text(text, encoding="utf-8")
    return mini / "es.po"


def test_the_cli_exports_and_imports_and_errors_in_one_line(mini: Path) -> None:
    runner = CliRunner()
    out = mini / "es.po"
    result = runner.invoke(
        main, ["translations", "export", "es", "--project", str(mini), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}: ")
    po = polib.pofile(str(out))
    _by_context(po)["question:b-one:text"].msgstr = "¿Qué pregunta beta uno?"
    po.save(str(out))
    result = runner.invoke(main, ["translations", "import", str(out), "--project", str(mini)])
    assert result.exit_code == 0, result.output
    assert result.output == f"imported 1 translation into 'es': {mini}/question_banks/beta.yaml\n"

    _by_context(po)["label:signatory_count"].msgstr = "firmantes"
    po.save(str(out))
    result = runner.invoke(main, ["translations", "import", str(out), "--project", str(mini)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"error: {out}:")
    assert "label:signatory_count: placeholders differ" in result.output

    result = runner.invoke(main, ["translations", "export", "en", "--project", str(mini)])
    assert result.exit_code == 1
    assert result.output == (
        "error: language: 'en' is the campaign's own language; there is nothing to translate "
        "into it\n"
    )


def test_prep_is_exported_imported_and_turns_fuzzy_like_notes(mini: Path, edit: Edit) -> None:
    bank = mini / "question_banks/alpha.yaml"
    edit(
        bank,
        "    notes: A note for reporters.\n",
        "    notes: A note for reporters.\n    prep: Think about what {name} asks of you.\n",
    )
    entries = _by_context(_po(mini))
    prep = entries["question:a-one:prep"]
    assert prep.msgid == "Think about what {name} asks of you."
    assert "talent brief" in prep.comment
    assert prep.occurrences == [("question_banks/alpha.yaml", "8")]
    assert "question:a-two:prep" not in entries  # only where the English has prep

    # A placeholder the English has must be kept, as for every other text.
    po = _po(mini)
    for entry in po:
        entry.msgstr = {
            "question:a-one:text": "¿Qué pregunta alfa uno?",
            "question:a-one:prep": "Piensa en lo que te pide.",
        }.get(entry.msgctxt, entry.msgstr)
    po.save(str(mini / "es.po"))
    with pytest.raises(PresskitError, match=r"question:a-one:prep: placeholders differ"):
        _import(mini, mini / "es.po")

    _by_context(po)["question:a-one:prep"].msgstr = "Piensa en lo que {name} te pide."
    po.save(str(mini / "es.po"))
    assert _import(mini, mini / "es.po") == ["question_banks/alpha.yaml"]
    question = load_project(mini, "").questions["a-one"][1]
    t = question.translations["es"]
    assert (t.text, t.prep) == ("¿Qué pregunta alfa uno?", "Piensa en lo que {name} te pide.")
    assert t.translated_from == question_fingerprint(question)
    tail = bank.read_text(encoding="utf-8").split("      es:\n", 1)[1].splitlines()[:3]
    assert tail == [
        "        text: ¿Qué pregunta alfa uno?",
        "        prep: Piensa en lo que {name} te pide.",
        f"        translated_from: {t.translated_from}",
    ]
    assert not any(e.fuzzy for e in _po(mini))

    # The English prep changes: the translation is outdated, its prep exported as fuzzy.
    edit(bank, "    prep: Think about what {name} asks", "    prep: Think about what {name} wants")
    fuzzy = _by_context(_po(mini))["question:a-one:prep"]
    assert fuzzy.fuzzy and fuzzy.msgstr == "Piensa en lo que {name} te pide."
    po = _po(mini)
    entry = _by_context(po)["question:a-one:prep"]
    entry.msgstr, entry.flags = "Piensa en lo que {name} quiere de ti.", []
    po.save(str(mini / "es.po"))
    _import(mini, mini / "es.po", include_fuzzy=True)
    question = load_project(mini, "").questions["a-one"][1]
    assert question.translations["es"].prep == "Piensa en lo que {name} quiere de ti."
    assert question.translations["es"].translated_from == question_fingerprint(question)


def test_prep_added_to_a_translation_goes_before_its_fingerprint(mini: Path, edit: Edit) -> None:
    po = _po(mini)
    for entry in po:
        entry.msgstr = {
            "question:a-one:text": "¿Qué pregunta alfa uno?",
            "question:a-one:notes": "Una nota para periodistas.",
        }.get(entry.msgctxt, entry.msgstr)
    po.save(str(mini / "es.po"))
    _import(mini, mini / "es.po")
    bank = mini / "question_banks/alpha.yaml"
    edit(
        bank,
        "    notes: A note for reporters.\n",
        "    notes: A note for reporters.\n    prep: What is the question really asking?\n",
    )

    po = _po(mini)
    entry = _by_context(po)["question:a-one:prep"]
    assert entry.msgstr == "" and not entry.fuzzy
    entry.msgstr = "¿Qué pregunta de verdad la pregunta?"
    po.save(str(mini / "es.po"))
    _import(mini, mini / "es.po", include_fuzzy=True)
    question = load_project(mini, "").questions["a-one"][1]
    t = question.translations["es"]
    assert t.prep == "¿Qué pregunta de verdad la pregunta?"
    assert t.translated_from == question_fingerprint(question)
    keys = [
        line.strip().split(":")[0]
        for line in bank.read_text(encoding="utf-8").split("      es:\n", 1)[1].splitlines()[:4]
    ]
    assert keys == ["text", "notes", "prep", "translated_from"]
