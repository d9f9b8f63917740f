"""Hostile text in every field of every file: it must reach the kits as plain text, never as
markup, script, style, event handler or link, in the HTML and in the PDFs (read back)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pypdf import PdfReader

from presskit.cli import main
from presskit.errors import ValidationFailed
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from presskit.render.qr import onepager_url, qr_data_uri
from presskit.render.templating import BUILTIN_TEMPLATES
from tests.conftest import FIXTURES, pdf_text

PAYLOAD = (
    '<script>alert(1)</script><img src="file:///etc/passwd" onerror="alert(2)">'
    '<a href="javascript:alert(3)" onclick="x()">y</a><style>*{display:none}</style>'
)
# The letter's Markdown: raw HTML, script links in every Markdown link form, images.
LETTER = f"""# Letter {PAYLOAD}

Raw HTML: {PAYLOAD}

<iframe src="file:///etc/passwd"></iframe>

[inline](javascript:alert(4)) [caps](JaVaScRiPt:alert(5)) [spaced]( javascript:alert(6))
[entity](&#106;avascript:alert(7)) [data](data:text/html;base64,PHNjcmlwdD4=)
[file](file:///etc/passwd) [vb](vbscript:msgbox) <javascript:alert(8)> [ref][r]
![image](file:///etc/passwd) ![remote](http://127.0.0.1:9/x.png)
[good](https://example.org/ok) <mailto:press@example.org>

[r]: javascript:alert(9)
"""
SAFE_SCHEMES = ("https://", "http://", "mailto:")


def hostile(field: str) -> str:
    return f"[{field}]{PAYLOAD}"


FIELDS = [
    "campaign.name",
    "campaign.tagline",
    "campaign.author",
    "contact.name",
    "contact.role",
    "signatory.name",
    "signatories.source",
    "bank.theme",
    "bank.description",
    "question.text",
    "question.follow_up",
    "question.notes",
    "event.name",
    "event.venue",
    "event.city",
    "event.description",
    "branding.sponsor",
    "branding.embargo",
]


def dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project with a hostile value in every text field, built; the event folder."""
    root = tmp_path_factory.mktemp("hostile") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    dump(
        root / "presskit.yaml",
        {
            "name": hostile("campaign.name")[:200],
            "hashtag": "#Test",
            "tagline": hostile("campaign.tagline"),
            "author": hostile("campaign.author"),
            "contacts": [
                {
                    "name": hostile("contact.name"),
                    "role": hostile("contact.role"),
                    "email": "press@example.org",
                    "url": "https://example.org/press",
                }
            ],
            "base_url": "https://example.org/kits",
            "branding": {
                "sponsor": hostile("branding.sponsor"),
                "embargo": hostile("branding.embargo"),
            },
        },
    )
    (root / "campaign/letter.md").write_text(LETTER, encoding="utf-8")
    dump(
        root / "campaign/signatories.yaml",
        {
            "source": hostile("signatories.source"),
            "signatories": [{"name": "David Arquette"}, {"name": hostile("signatory.name")}],
        },
    )
    bank = yaml.safe_load((root / "question_banks/alpha.yaml").read_text())
    bank["theme"] = hostile("bank.theme")
    bank["description"] = hostile("bank.description")
    first = bank["questions"][0]
    first.update(
        text=hostile("question.text"),
        follow_ups=[hostile("question.follow_up")],
        notes=hostile("question.notes"),
    )
    dump(root / "question_banks/alpha.yaml", bank)
    dump(
        root / "events/gala.yaml",
        {
            "name": hostile("event.name"),
            "date": "2027-03-07",
            "venue": hostile("event.venue"),
            "city": hostile("event.city"),
            "description": hostile("event.description"),
            "select": {"count": 4, "pinned": ["a-one"]},
        },
    )
    build(load_project(root), BuildOptions(out=root / "out"))
    return root / "out/gala"


@pytest.mark.slow  # renders PDFs
def test_html_has_no_active_content(kit: Path) -> None:
    soup = BeautifulSoup((kit / "index.html").read_text(encoding="utf-8"), "html.parser")
    for tag in ["iframe", "object", "embed", "base", "form"]:
        assert soup.find(tag) is None, tag
    # the only link is presskit's own web app manifest (the campaign sets base_url)
    assert [(link["rel"], link["href"]) for link in soup.find_all("link")] == [
        (["manifest"], "../manifest.webmanifest")
    ]
    # the only image is presskit's own QR code of the page (for the printout), made locally
    own_qr = qr_data_uri(onepager_url("https://example.org/kits", "gala"))
    assert [img["src"] for img in soup.find_all("img")] == [own_qr]
    # the only scripts are presskit's own, inline and unchanged: the copy buttons, and the
    # service worker's registration (the campaign sets base_url)
    own = [
        (BUILTIN_TEMPLATES / name).read_text(encoding="utf-8").strip()
        for name in ("onepager.js", "webapp.js")
    ]
    scripts = soup.find_all("script")
    assert [script.get_text().strip() for script in scripts] == own
    assert scripts[0].attrs == {}
    assert sorted(scripts[1].attrs) == ["data-saved-copy", "data-scope", "data-service-worker"]
    styles = soup.find_all("style")  # presskit's own, in <head>: the page's and the web app's
    assert len(styles) == 2 and all(style.parent is soup.head for style in styles)
    for element in soup.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert handlers == [], (element.name, handlers)
        assert "style" not in element.attrs
    hrefs = [str(a["href"]) for a in soup.find_all("a")]
    external = [href for href in hrefs if ":" in href]
    # with images off, `![remote](http://...)` is "!" and a plain link, which fetches nothing
    assert external == [
        "http://127.0.0.1:9/x.png",
        "https://example.org/ok",
        "mailto:press@example.org",
        "mailto:press@example.org",
        "https://example.org/press",
    ]
    for href in hrefs:  # the rest: anchors on the page, and the kit's own downloads
        assert href in external or href.startswith("#") or (kit / href).is_file(), href


@pytest.mark.slow  # renders PDFs
def test_html_shows_every_hostile_value_as_text(kit: Path) -> None:
    soup = BeautifulSoup((kit / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = soup.get_text()
    for field in FIELDS:
        if field in ("campaign.author", "bank.description", "event.description"):
            continue  # not shown on the one-pager
        expected = hostile(field)[:200] if field == "campaign.name" else hostile(field)
        assert expected in text, field
    assert soup.find("meta", attrs={"name": "author"})["content"] == (  # type: ignore[index]
        hostile("campaign.author")
    )
    for refused in [
        "[inline](javascript:alert(4)) [caps](JaVaScRiPt:alert(5)) [spaced]( javascript:alert(6))",
        "[entity](javascript:alert(7))",
        "[data](data:text/html;base64,PHNjcmlwdD4=)",
        "[file](file:///etc/passwd)",
        "[vb](vbscript:msgbox) <javascript:alert(8)> [ref][r]",
        "![image](file:///etc/passwd)",
        "[r]: javascript:alert(9)",
    ]:
        assert refused in text  # shown as the text the editor wrote, not as a link
    assert '<iframe src="file:///etc/passwd"></iframe>' in text


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["press-kit.pdf", "questions.pdf", "pocket-card.pdf", "pocket-cards-sheet.pdf"]
)
def test_pdfs_show_hostile_values_as_text_and_link_nowhere_else(kit: Path, name: str) -> None:
    reader = PdfReader(kit / name)
    text = "".join(pdf_text(kit / name).split())
    shown = {
        "questions.pdf": ["question.text", "event.name", "event.venue", "event.city"],
        "pocket-card.pdf": ["question.text", "event.name"],
        "pocket-cards-sheet.pdf": ["question.text", "event.name"],
        "press-kit.pdf": [f for f in FIELDS if f != "campaign.author"],
    }[name]
    for field in shown:
        expected = hostile(field)[:200] if field == "campaign.name" else hostile(field)
        assert "".join(expected.split()) in text, field
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None:
                uris.append(str(action.get_object().get("/URI")))
    assert all(uri.startswith(SAFE_SCHEMES) for uri in uris), uris
    if name == "press-kit.pdf":
        assert "https://example.org/ok" in uris
        assert reader.metadata is not None
        assert reader.metadata.author == hostile("campaign.author")
    assert b"/JavaScript" not in (kit / name).read_bytes()
    assert b"/EmbeddedFile" not in (kit / name).read_bytes()


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "base_url: javascript:alert(1)",
            "base_url: 'javascript:alert(1)' is not a web address: it "
            "must start with https:// or http://",
        ),
        (
            'base_url: "https://x.org/\\" onload=\\"alert(1)"',
            "base_url: 'https://x.org/\" "
            "onload=\"alert(1)' is not a web address: it must start with https:// or http://",
        ),
        (
            "base_url: file:///etc/passwd",
            "base_url: 'file:///etc/passwd' is not a web address: it "
            "must start with https:// or http://",
        ),
    ],
)
def test_script_and_file_urls_are_refused_in_base_url(mini: Path, line: str, message: str) -> None:
    with (mini / "presskit.yaml").open("a") as handle:
        handle.write(line + "\n")
    result = run("validate", "--project", str(mini))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{mini}/presskit.yaml:8:11: {message}\n1 problem found; nothing was written.\n"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "url",
            "javascript:alert(1)",
            "'javascript:alert(1)' is not a web address: it must start with https:// or http://",
        ),
        (
            "url",
            "JAVASCRIPT://x.org/%0aalert(1)",
            "'JAVASCRIPT://x.org/%0aalert(1)' is not a web address: it must start with https:// or "
            "http://",
        ),
        (
            "url",
            "https://x.org/<script>",
            "'https://x.org/<script>' is not a web address: it must start with https:// or http://",
        ),
        (
            "email",
            "x@example.org?subject=<script>",
            "'x@example.org?subject=<script>' is not an e-mail address",
        ),
        ("email", 'a@b.org" onclick="x()', "'a@b.org\" onclick=\"x()' is not an e-mail address"),
        ("phone", "<script>", "String should match pattern '^\\+?[0-9 ().-]{3,30}$'"),
    ],
)
def test_hostile_contact_links_are_refused(
    mini: Path, field: str, value: str, message: str
) -> None:
    data = yaml.safe_load((mini / "presskit.yaml").read_text())
    data["contacts"][0][field] = value
    dump(mini / "presskit.yaml", data)
    result = run("validate", "--project", str(mini))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(f": contacts[0].{field}: {message}"), lines[0]


CUT = "Keep #AskMoreOfHim going"  # unquoted, YAML reads "Keep" and a comment


@pytest.mark.parametrize(
    ("file", "line", "loc"),
    [
        ("presskit.yaml", "tagline: A small project for tests.", "tagline"),
        ("presskit.yaml", "  - name: Test Press Office", "contacts[0].name"),
        ("campaign/signatories.yaml", "  - name: David Arquette", "signatories[0].name"),
        ("campaign/signatories.yaml", "    sort_as: Arquette, David", "signatories[0].sort_as"),
        ("question_banks/alpha.yaml", "theme: Alpha theme", "theme"),
        ("question_banks/alpha.yaml", "    text: What does alpha one ask?", "questions[0].text"),
        ("question_banks/alpha.yaml", "    notes: A note for reporters.", "questions[0].notes"),
        ("events/gala.yaml", "name: Test Gala", "name"),
        ("events/gala.yaml", "venue: Test Hall", "venue"),
        ("events/gala.yaml", "city: Testville", "city"),
    ],
)
def test_a_hashtag_never_cuts_a_text_field_silently(
    mini: Path, file: str, line: str, loc: str
) -> None:
    path = mini / file
    key = line.split(":", maxsplit=1)[0]
    assert line in path.read_text()
    path.write_text(path.read_text().replace(line, f"{key}: {CUT}", 1))
    with pytest.raises(ValidationFailed) as exc:
        load_project(mini, display="p")
    [problem] = exc.value.problems
    assert (problem.path, problem.field) == (f"p/{file}", loc)
    assert f'quote the text: {key.strip(" -")}: "{CUT}"' in problem.message
