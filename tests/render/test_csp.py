from __future__ import annotations

import base64
import hashlib

import pytest
from bs4 import BeautifulSoup

from presskit.render.csp import event_handlers, is_remote, policy, remote_loads, with_policy

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>t</title>
<style>
p { color: red; }
</style>
</head>
<body><p>x</p><a href="https://example.org/more">more</a><a href="kit.pdf">kit</a>
<img src="data:image/png;base64,AAAA" alt="">
<script>
document.title = "ok";
</script>
</body>
</html>
"""


STYLE = "\np { color: red; }\n"
SCRIPT = '\ndocument.title = "ok";\n'


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_policy_allows_exactly_the_inline_blocks_by_hash() -> None:
    result = policy(PAGE)
    assert result == (
        "default-src 'none'; img-src data:; font-src data:; "
        f"style-src {sha(STYLE)}; script-src {sha(SCRIPT)}; "
        "base-uri 'none'; form-action 'none'"
    )
    assert "unsafe-inline" not in result


def test_the_policy_comes_first_in_the_head_after_the_character_set() -> None:
    html = with_policy(PAGE)
    head = BeautifulSoup(html, "html.parser").head
    assert head is not None
    metas = head.find_all("meta")
    assert metas[0].get("charset") == "utf-8"
    assert metas[1]["http-equiv"] == "Content-Security-Policy"
    assert metas[1]["content"] == policy(PAGE)
    assert html.index("Content-Security-Policy") < 1024
    assert with_policy(html) == html  # a second pass (the preview) replaces, not adds


def test_a_page_without_head_gets_the_policy_before_anything_else() -> None:
    assert with_policy("<p>x</p>").startswith('<meta http-equiv="Content-Security-Policy"')


def test_style_attributes_are_allowed_by_hash_only() -> None:
    result = policy('<p style="color: red">x</p>')
    assert f"style-src 'unsafe-hashes' {sha('color: red')}" in result
    assert "script-src" not in result  # nothing to run: default-src 'none' applies


def test_the_preview_may_listen_to_its_own_server_and_frame_its_pdfs() -> None:
    assert "connect-src 'self'" in policy(PAGE, connect_self=True)
    assert "connect-src" not in policy(PAGE)
    assert "frame-src 'self'" in policy(PAGE, frame_self=True)
    assert "frame-src" not in policy(PAGE, connect_self=True)


def test_line_ends_are_hashed_as_a_browser_reads_them() -> None:
    html = with_policy("<style>\r\np{}\r\n</style>")
    assert "\r" not in html
    assert sha("\np{}\n") in html


@pytest.mark.parametrize(
    "markup",
    [
        '<script src="https://evil.example/a.js"></script>',
        '<img src="http://evil.example/pixel.gif" alt="">',
        '<img src="//evil.example/pixel.gif" alt="">',
        '<img src=" /\\evil.example/pixel.gif" alt="">',
        '<img src="HT\tTPS://evil.example/p.gif" alt="">',
        '<img srcset="a.png 1x, https://evil.example/b.png 2x" alt="">',
        '<link rel="stylesheet" href="https://evil.example/s.css">',
        '<link rel="preload icon" href="https://evil.example/i.png">',
        '<iframe src="https://evil.example/"></iframe>',
        '<video poster="https://evil.example/p.png"></video>',
        '<object data="https://evil.example/o"></object>',
        '<svg><image href="https://evil.example/i.png"/></svg>',
        '<a href="kit.pdf" ping="https://evil.example/track">kit</a>',
        "<style>@import 'https://evil.example/s.css';</style>",
        "<style>body { background: url( https://evil.example/b.png ) }</style>",
        "<p style=\"background: url('//evil.example/b.png')\">x</p>",
        '<base href="https://evil.example/">',
    ],
)
def test_remote_loads_are_found(markup: str) -> None:
    assert len(remote_loads(f"<html><body>{markup}</body></html>")) == 1


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="https://example.org/letter">the letter</a>',
        '<a href="mailto:press@example.org">press</a>',
        '<link rel="canonical" href="https://example.org/kit/">',
        '<img src="data:image/svg+xml;base64,AAAA" alt="">',
        '<a href="press-kit.pdf">kit</a>',
        "<style>@font-face { src: url(data:font/woff2;base64,AAAA) }</style>",
        "<p>https://example.org is where the letter is</p>",
    ],
)
def test_links_and_local_or_inline_files_are_not_remote_loads(markup: str) -> None:
    assert remote_loads(f"<html><body>{markup}</body></html>") == []


def test_is_remote_reads_urls_as_a_browser_does() -> None:
    assert (
        is_remote("https://x")
        and is_remote("//x")
        and is_remote("\\\\x")
        and is_remote(" http://x")
    )
    assert not is_remote("kit.pdf") and not is_remote("data:,x") and not is_remote("/x.png")


def test_inline_event_handlers_are_found() -> None:
    assert event_handlers('<img src="data:,x" onerror="alert(1)" alt=""><p onclick="x()">') == [
        "onerror=",
        "onclick=",
    ]


def test_a_published_page_may_load_its_manifest_and_icons_and_register_its_worker() -> None:
    page = (
        '<head><link rel="manifest" href="manifest.webmanifest"></head>'
        '<body><script data-service-worker="sw.js">go()</script></body>'
    )
    result = policy(page)
    assert "img-src data: 'self';" in result  # the manifest's icons
    assert "manifest-src 'self'" in result and "worker-src 'self'" in result
    assert f"script-src {sha('go()')}" in result
    assert remote_loads(page) == []
    plain = policy(PAGE)
    assert "img-src data:;" in plain
    assert "manifest-src" not in plain and "worker-src" not in plain
