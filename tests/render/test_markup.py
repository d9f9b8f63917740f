from __future__ import annotations

from bs4 import BeautifulSoup

from presskit.render.markup import render_markdown


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown('Hello <script>alert(1)</script> <img src="file:///etc/passwd">')
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert soup.find("img") is None
    assert "<script>alert(1)</script>" in soup.get_text()


def test_only_web_and_mail_links_survive() -> None:
    html = render_markdown(
        "[a](https://example.org) [b](mailto:x@example.org) "
        "[c](javascript:alert(1)) [d](file:///etc/passwd)"
    )
    hrefs = [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]
    assert hrefs == ["https://example.org", "mailto:x@example.org"]


def test_images_are_not_rendered() -> None:
    html = render_markdown("![logo](file:///etc/passwd)")
    assert BeautifulSoup(html, "html.parser").find("img") is None


def test_heading_offset_nests_the_letter() -> None:
    soup = BeautifulSoup(render_markdown("# Title\n\n## Part", heading_offset=1), "html.parser")
    assert [h.name for h in soup.find_all(["h1", "h2", "h3"])] == ["h2", "h3"]
