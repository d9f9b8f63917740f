"""The published site's web app and link previews, read back from a real build of the mini
project (HTML only, so no PDF is rendered) and from the drawing functions themselves."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from presskit.kits.branding import DEFAULT_PRIMARY
from presskit.pipeline import webapp
from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from presskit.project.loading import load_project
from tests.conftest import identities

Edit = Callable[[Path, str, str], None]
HTML = frozenset({"html"})
SITE = "https://kits.example.org/test/"
MADE = [
    "manifest.webmanifest",
    "sw.js",
    "preview.png",
    "icon-192.png",
    "icon-512.png",
    "icon-maskable-512.png",
    "gala/preview.png",
]


def _publish(mini: Path, url: str | None = SITE) -> None:
    text = (mini / "presskit.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^base_url: .*\n", "", text, flags=re.M)
    if url is not None:
        text += f"base_url: {url}\n"
    (mini / "presskit.yaml").write_text(text, encoding="utf-8")


def _build(mini: Path) -> list[Path]:
    return build(load_project(mini), BuildOptions(out=mini / "out", formats=HTML)).written


def _worker(out: Path) -> tuple[str, list[str]]:
    """The service worker's cache version and the files it keeps."""
    text = (out / "sw.js").read_text(encoding="utf-8")
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', text)
    files = re.search(r"const FILES = (\[.*?\]);", text, re.S)
    assert version is not None and files is not None
    return version.group(1), json.loads(files.group(1))


def _head(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def test_without_base_url_nothing_of_the_web_app_is_made(mini: Path) -> None:
    _build(mini)
    out = mini / "out"
    assert not [name for name in MADE if (out / name).exists()]
    for page in (out / "index.html", out / "gala/index.html"):
        soup = _head(page)
        assert soup.find("link", rel="manifest") is None
        assert soup.find("meta", property=re.compile("^og:")) is None
        assert soup.find("script", attrs={"data-service-worker": True}) is None
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "worker-src" not in policy and "manifest-src" not in policy


def test_with_base_url_the_site_is_an_installable_web_app(mini: Path) -> None:
    _publish(mini)
    _build(mini)
    out = mini / "out"
    assert all((out / name).is_file() for name in MADE)
    manifest = json.loads((out / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Test Campaign" and manifest["short_name"] == "TestCampaign"
    assert manifest["start_url"] == manifest["scope"] == "./"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == manifest["background_color"] == DEFAULT_PRIMARY
    for icon in manifest["icons"]:
        with Image.open(out / icon["src"]) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
            assert image.format == "PNG"
    assert {i["purpose"] for i in manifest["icons"]} == {"any", "maskable"}
    portal, page = _head(out / "index.html"), _head(out / "gala/index.html")
    assert portal.find("link", rel="manifest")["href"] == "manifest.webmanifest"
    assert page.find("link", rel="manifest")["href"] == "../manifest.webmanifest"
    script = page.find("script", attrs={"data-service-worker": True})
    assert (script["data-service-worker"], script["data-scope"]) == ("../sw.js", "../")
    assert script["data-saved-copy"] == "Saved copy from {date} ({ago})"
    assert page.find("meta", attrs={"name": "theme-color"})["content"] == DEFAULT_PRIMARY


def test_link_previews_carry_absolute_urls_and_a_drawn_image(mini: Path) -> None:
    _publish(mini, "https://kits.example.org/test")  # without the final slash
    _build(mini)
    out = mini / "out"
    for path, url, title in (
        ("index.html", SITE, "Test Campaign: Press kits"),
        ("gala/index.html", f"{SITE}gala/", "Test Gala"),
    ):
        soup = _head(out / path)
        og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
        assert og["og:url"] == url and og["og:image"] == f"{url}preview.png"
        assert og["og:title"] == title and og["og:type"] == "website"
        assert og["og:site_name"] == "Test Campaign"
        assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == (
            "summary_large_image"
        )
        with Image.open(out / path.replace("index.html", "preview.png")) as image:
            assert image.size == (1200, 630)
            assert image.getpixel((5, 5)) == (0x6B, 0x1D, 0x4E)  # the brand colour
    gala = {
        m["property"]: m["content"]
        for m in _head(out / "gala/index.html").find_all("meta")
        if m.get("property")
    }
    assert "Test Hall, Testville" in gala["og:description"]


def test_the_worker_keeps_public_kits_only(mini: Path) -> None:
    events = mini / "events"
    for name, extra in (
        ("open", ""),
        ("quiet", "visibility: unlisted\n"),
        ("secret", "visibility: private\n"),
    ):
        text = (events / "gala.yaml").read_text(encoding="utf-8")
        (events / f"{name}.yaml").write_text(
            text.replace("Test Gala", f"Test {name}") + extra, encoding="utf-8"
        )
    _publish(mini)
    _build(mini)
    _, files = _worker(mini / "out")
    assert files == sorted(
        [
            "gala/index.html",
            "icon-192.png",
            "icon-512.png",
            "icon-maskable-512.png",
            "index.html",
            "manifest.webmanifest",
            "open/index.html",
        ]
    )
    # the unlisted kit is published, with its own preview, and named nowhere public
    assert (mini / "out/quiet/preview.png").is_file()
    assert "quiet" not in (mini / "out/sw.js").read_text(encoding="utf-8")
    assert not (mini / "out/secret").exists()


def test_the_cache_version_follows_the_kept_files(mini: Path, edit: Edit) -> None:
    _publish(mini)
    _build(mini)
    out = mini / "out"
    version, _ = _worker(out)
    before = identities(out)
    assert _build(mini) == []  # the stamp: a no-op
    build(load_project(mini), BuildOptions(out=out, formats=HTML, force=True))
    assert _worker(out)[0] == version and identities(out) == before  # nothing rewritten
    edit(mini / "question_banks/beta.yaml", "What does beta two ask?", "What does beta ask now?")
    written = _build(mini)
    assert out / "sw.js" in written
    assert _worker(out)[0] != version


def test_files_left_by_a_published_build_go_once_base_url_does(mini: Path) -> None:
    _publish(mini)
    _build(mini)
    (mini / "out/gala/notes.txt").write_text("mine")
    _publish(mini, None)
    build(load_project(mini), BuildOptions(out=mini / "out", formats=HTML))
    assert not [name for name in MADE if (mini / "out" / name).exists()]
    assert (mini / "out/gala/notes.txt").is_file() and (mini / "out/gala/index.html").is_file()


def test_a_kit_that_turns_private_takes_its_preview_along(mini: Path) -> None:
    _publish(mini)
    _build(mini)
    assert (mini / "out/gala/preview.png").is_file()
    with (mini / "events/gala.yaml").open("a", encoding="utf-8") as handle:
        handle.write("visibility: private\n")
    build(load_project(mini), BuildOptions(out=mini / "out", formats=HTML))
    assert not (mini / "out/gala").exists()
    assert not (mini / "out-private/gala/preview.png").exists()  # never published
    private = _head(mini / "out-private/gala/index.html")
    assert private.find("link", rel="manifest") is None
    assert private.find("meta", property="og:url") is None
    assert _worker(mini / "out")[1] == sorted(
        [
            "icon-192.png",
            "icon-512.png",
            "icon-maskable-512.png",
            "index.html",
            "manifest.webmanifest",
        ]
    )


def test_the_cache_version_is_a_digest_of_names_and_contents() -> None:
    files = {"index.html": b"portal", "gala/index.html": b"gala"}
    version = webapp.cache_version(files)
    assert re.fullmatch(r"[0-9a-f]{16}", version)
    assert webapp.cache_version(dict(reversed(list(files.items())))) == version
    assert webapp.cache_version({**files, "index.html": b"portal!"}) != version
    assert webapp.cache_version({"index.html": b"portal", "gala/other.html": b"gala"}) != version


def test_images_are_the_same_bytes_every_time() -> None:
    args = ("#6b1d4e", "#AskMoreOfHim", "Awards Night Red Carpet", "7 March 2027", "Ask More")
    assert webapp.preview_png(*args) == webapp.preview_png(*args)
    assert webapp.icon_png(192, "#6b1d4e", "AMOH", None, False) == webapp.icon_png(
        192, "#6b1d4e", "AMOH", None, False
    )


def test_arabic_titles_are_shaped_or_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    arabic = "السجادة الحمراء لمهرجان سينمائي"
    shaped = webapp.preview_png("#6b1d4e", "#Tag", arabic, "", "Campaign")
    monkeypatch.setattr(webapp, "shaping", lambda: False)
    assert webapp.preview_png("#6b1d4e", "#Tag", arabic, "", "Campaign") == webapp.preview_png(
        "#6b1d4e", "#Tag", "Campaign", "", "Campaign"
    )
    assert shaped != webapp.preview_png("#6b1d4e", "#Tag", "Campaign", "", "Campaign")


def test_a_png_logo_makes_the_icons(tmp_path: Path) -> None:
    logo = Image.new("RGB", (40, 20), "#00aa00")
    buffer = io.BytesIO()
    logo.save(buffer, format="PNG")
    for maskable, edge in ((False, 0.06), (True, 0.21)):
        data = webapp.icon_png(512, "#6b1d4e", "X", buffer.getvalue(), maskable)
        with Image.open(io.BytesIO(data)) as icon:
            assert icon.size == (512, 512)
            assert icon.getpixel((256, 256)) == (0, 0xAA, 0)  # the logo, scaled up, centred
            assert icon.getpixel((round(512 * edge), 256)) == (0, 0xAA, 0)
            assert icon.getpixel((3, 3)) == (255, 255, 255)


def test_monograms_and_short_names() -> None:
    campaign = load_project(Path(__file__).parents[2]).campaign
    assert webapp._monogram(campaign) == "AMOH"
    assert webapp._short_name(campaign) == "AskMoreOfHim"
    for hashtag, name, letters in (
        ("#MeToo", "Me Too", "MT"),
        ("#ÑanDú", "x", "ÑD"),
        ("#Ñandú", "Ñandú Libre", "ÑL"),
        ("#Ñandú", "Ñandú", "Ñ"),
    ):
        other = campaign.model_copy(update={"hashtag": hashtag, "name": name})
        assert webapp._monogram(other) == letters


def test_text_contrasts_with_the_brand_colour() -> None:
    assert webapp._ink_on("#6b1d4e") == "#ffffff"
    assert webapp._ink_on("#f2c94c") == "#1a1a1a"
    assert webapp._ink_on("#fff") == "#1a1a1a"


def test_a_campaign_logo_png_reaches_the_built_icons(mini: Path) -> None:
    logo = Image.new("RGB", (64, 64), "#123456")
    logo.save(mini / "logo.png")
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write("branding:\n  logo: logo.png\n  primary: '#224466'\n")
    _publish(mini)
    _build(mini)
    with Image.open(mini / "out/icon-192.png") as icon:
        assert icon.getpixel((96, 96)) == (0x12, 0x34, 0x56)
    manifest = json.loads((mini / "out/manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["theme_color"] == "#224466"
