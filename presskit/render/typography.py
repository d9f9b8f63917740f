"""Typography per language, applied once to every rendered page and PDF's HTML (`typeset`).

Question banks are written by many hands on ordinary keyboards, so the rules that need special
characters are applied here, at render time, never by editing the YAML:

- French puts a no-break space before `; ! ?` (a narrow one, U+202F) and before `:` and inside
  `« »` (U+00A0), so a line never starts with the punctuation. Only spaces already typed are
  replaced: text such as a URL (`https://...?q=1`) has none there and stays as it is.
- In right-to-left text (Arabic, Persian, Urdu, Hebrew) a left-to-right run (an id, a
  hashtag, an e-mail, a film's Latin title) is isolated in `<bdi dir="ltr">`, so the
  bidirectional algorithm neither splits it (`#MeToo` shown as `MeToo#`) nor reorders it with
  its neighbours. The `dir` matters: browsers isolate a plain `<bdi>`, WeasyPrint (70) does
  not, but it follows `dir` (pdftotext of a PDF then reads `#MeToo`, not `MeToo#`).

The language of each piece of text is the nearest `lang` attribute around it (a translation
fallback in English inside a French kit keeps English spacing). Only text between tags is
changed; inside `<script>`, `<style>` and `<textarea>` nothing is.
"""

from __future__ import annotations

import html
import re

NNBSP = "\u202f"  # narrow no-break space: before ; ! ? in French
NBSP = "\u00a0"  # no-break space: before : and inside « » in French
RTL = ("ar", "fa", "ur", "he", "yi", "ps", "ckb", "dv")

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|<!--.*?-->|<![^>]*>", re.S)
_LANG = re.compile(r"""\slang\s*=\s*["']?([A-Za-z0-9-]+)""")
_VOID = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()  # noqa: SIM905
)
_RAW = frozenset({"script", "style", "textarea"})  # text that must stay as it is
_PLAIN = frozenset({"title", "option"})  # text only: no `<bdi>` can go there

# French: a typed space (or none, inside guillemets) becomes the no-break one.
_FR_NARROW = re.compile(r"[ \u00a0]+(?=[;!?])")
_FR_COLON = re.compile(r"[ \u202f]+(?=:)")
_FR_OPEN = re.compile(r"«[ \u202f]*")
_FR_CLOSE = re.compile(r"[ \u202f]*»")

# A left-to-right run: starts with a Latin letter or digit (or `#`, `@` or `+` before one), and
# goes on over Latin letters, digits and the punctuation ids, hashtags, e-mails and URLs are
# made of, spaces included when more of the run follows.
_L = r"A-Za-z0-9\u00c0-\u024f"
_LTR_RUN = re.compile(rf"[#@+]?[{_L}](?:[{_L}#@&+._:/'\u2019-]|\s(?=[#@+]?[{_L}]))*")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_RTL_CHAR = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def french_spacing(text: str) -> str:
    """French text with its no-break spaces: `Pourquoi ?` becomes `Pourquoi\u202f?`."""
    text = _FR_NARROW.sub(NNBSP, text)
    text = _FR_COLON.sub(NBSP, text)
    text = _FR_OPEN.sub("«" + NBSP, text)
    return _FR_CLOSE.sub(NBSP + "»", text)


def isolate_ltr(escaped: str) -> str:
    """Escaped HTML text with its left-to-right runs wrapped in `<bdi dir="ltr">`: each run in
    text that has right-to-left letters; the whole text, once, in text that has none (an English
    venue or name in an Arabic kit). Text that is one plain run, or has no Latin letter, is
    returned unchanged: it lays out right as it is (digits included)."""
    text = html.unescape(escaped)
    runs = [r for r in _LTR_RUN.finditer(text) if _LATIN.search(r.group()) or r.group()[0] in "#@+"]
    if not runs:
        return escaped
    if not _RTL_CHAR.search(text):
        if len(runs) == 1 and runs[0].group()[0] not in "#@+":
            return escaped
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        runs_text = [(start, end)]
    else:
        runs_text = [(r.start(), r.end()) for r in runs]
    out, last = [], 0
    for start, end in runs_text:
        out.append(html.escape(text[last:start], quote=False))
        out.append(f'<bdi dir="ltr">{html.escape(text[start:end], quote=False)}</bdi>')
        last = end
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def _base(lang: str) -> str:
    return lang.lower().split("-", 1)[0]


def typeset(page: str) -> str:
    """The rendered HTML `page` with each language's typography applied to its text (see the
    module's docstring); a page without `<html lang>` is returned as it is."""
    stack: list[tuple[str, str | None]] = []  # open elements, with the lang each one sets
    out: list[str] = []
    position = 0
    seen_html = False
    for tag in _TAG.finditer(page):
        out.append(_text(page[position : tag.start()], stack))
        out.append(tag.group())
        position = tag.end()
        closing, name = tag.group(1), (tag.group(2) or "").lower()
        if not name:
            continue
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
        elif name not in _VOID and not tag.group(3).rstrip().endswith("/"):
            found = _LANG.search(tag.group(3))
            stack.append((name, found.group(1) if found else None))
            seen_html = seen_html or name == "html"
    if not seen_html:
        return page
    out.append(page[position:])
    return "".join(out)


def _text(text: str, stack: list[tuple[str, str | None]]) -> str:
    """One run of text between tags, typeset for the language of the elements around it."""
    if not text.strip() or any(name in _RAW for name, _ in stack):
        return text
    lang = next((_base(lang) for _, lang in reversed(stack) if lang), "")
    if lang == "fr":
        return french_spacing(text)
    if lang in RTL and not any(name in _PLAIN for name, _ in stack):
        return isolate_ltr(text)
    return text
