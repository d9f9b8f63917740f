"""The preview's own pages, and what it adds to a served page (never to a built file)."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

from presskit.render.csp import policy
from presskit.tools.serve_pages import (
    LIVE,
    Document,
    Kit,
    Live,
    index_page,
    kit_page,
    live,
    viewer_page,
)

PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>x</title>\n'
    "<style>p{color:red}</style>\n</head>\n<body>\n<p>Hello</p>\n</body>\n</html>\n"
)


def kit(**changes: object) -> Kit:
    values: dict[str, object] = {
        "slug": "gala",
        "name": "Test <Gala>",
        "date": "2027-03-07",
        "language": "en",
        "visibility": "private",
        "why": "Private: never published.",
        "documents": (
            Document("Web page", "/gala/", "HTML", 2048),
            Document("Press kit", "/gala/press-kit.pdf", "PDF", 30_000),
            Document("All files (zip)", "/gala/gala-press-kit.zip", "ZIP", None),
        ),
    }
    values.update(changes)
    return Kit(**values)  # type: ignore[arg-type]


def config(page: str) -> dict[str, object]:
    found = re.search(r"var me = (\{.*?\});", page)
    assert found, "no live script"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_a_served_page_gets_the_banner_the_script_and_a_policy_for_them() -> None:
    served = live(PAGE, Live("/gala/index.html", 41, "gala")).decode()
    soup = BeautifulSoup(served, "html.parser")
    assert soup.p is not None and soup.p.text == "Hello"  # the page itself, unchanged
    box = soup.find(id="presskit-problems")
    assert box is not None and box.has_attr("hidden")
    assert box.find_next_sibling("script") is not None  # the script comes after the banner
    assert len(soup.find_all("style")) == 2  # the page's, and the banner's in the head
    assert config(served) == {
        "page": "/gala/index.html",
        "version": 41,
        "kit": "gala",
        "follow": "file",
        "live": LIVE,
    }
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None
    assert meta["content"] == policy(served, connect_self=True)
    assert "connect-src 'self'" in meta["content"]
    assert "frame-src" not in meta["content"]
    assert len(re.findall("Content-Security-Policy", served)) == 1


def test_problems_show_escaped_and_the_script_cannot_be_broken_out_of() -> None:
    error = "bank.yaml:1:1: <script>alert(1)</script>"
    served = live(PAGE, Live("/</script><b>", 1, "", "builds", error)).decode()
    box = BeautifulSoup(served, "html.parser").find(id="presskit-problems")
    assert box is not None and not box.has_attr("hidden")
    assert box.pre is not None and box.pre.text == error
    assert "<script>alert" not in served
    assert "</script><b>" not in served  # the page path is escaped inside the script
    assert config(served)["page"] == "/</script><b>"


def test_a_pdfs_page_may_frame_it() -> None:
    page = viewer_page(kit(), kit().documents[1])
    soup = BeautifulSoup(page, "html.parser")
    assert soup.iframe is not None and soup.iframe["src"] == "/gala/press-kit.pdf"
    assert "frame-src 'self'" in live(page, Live("/gala/press-kit.pdf", 1), frames=True).decode()
    waiting = viewer_page(kit(), Document("Press kit", "/gala/press-kit.pdf", "PDF", None))
    assert "<iframe" not in waiting
    assert "being rendered" in waiting


def test_the_index_lists_every_event_and_its_documents() -> None:
    soup = BeautifulSoup(index_page("Campaign", [kit(), kit(slug="b", name="B")]), "html.parser")
    assert soup.h1 is not None and soup.h1.text == "Campaign: preview"
    links = [(a["href"], a.text) for a in soup.find_all("a")]
    assert links[0] == ("/index.html", "The portal")
    assert ("/__presskit__/kit/gala/", "Test <Gala>") in links
    assert ("/gala/", "Web page") in links
    assert ("/__presskit__/view/gala/press-kit.pdf", "Press kit") in links
    assert ("/__presskit__/kit/b/", "B") in links
    assert all(not href.endswith(".zip") for href, _ in links)
    assert links[-1] == ("/__presskit__/status", "Where the banks stand")
    assert [b.text for b in soup.find_all(class_="badge")] == ["private", "private"]
    assert "PDFs: up to date" in soup.get_text()
    assert "PDFs: rendering (1 event to go)" in index_page("C", [kit(rendering=True), kit()])


def test_an_events_page_lists_each_document_with_its_size() -> None:
    soup = BeautifulSoup(kit_page(kit()), "html.parser")
    assert soup.tbody is not None
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.tbody("tr")]
    assert rows == [
        ["Web page", "HTML", "2 KB"],
        ["Press kit · the file itself", "PDF", "29 KB"],
        ["All files (zip)", "ZIP", "not built yet"],
    ]
    assert "Private: never published." in soup.get_text()
    assert "only on this computer" in soup.get_text()
    assert "rendering…" in kit_page(kit(rendering=True))
    only_pages = kit_page(kit(documents=kit().documents[:1]))
    assert "PDFs" not in only_pages  # `serve --no-pdf`
