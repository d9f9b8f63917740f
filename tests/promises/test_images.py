"""Reference images: every page of every PDF of the mini project, compared with committed PNGs.

The golden HTML files (test_golden.py) show what a template change does to the markup; these
show what it does to the page. Each PDF of the golden project (the mini project plus its Arabic
event, built with a fixed date) is rendered with pdftoppm at a low resolution and compared,
page by page, with the PNG under `tests/golden/images/`. A page passes when almost every pixel
matches: anti-aliasing may differ slightly between machines, a moved line or a changed colour
may not. On a failure the page as rendered now and a picture of the difference are written to
`test-results/images/` to look at.

After an intended change, refresh them with the same option as the golden HTML, and look at the
new pictures before committing them:

    pytest tests/promises/test_images.py --update-golden
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from presskit.pipeline.build import build
from presskit.pipeline.documents import BuildOptions
from tests.conftest import REPO
from tests.promises.test_golden import EPOCH, EVENTS, golden_project

pytestmark = pytest.mark.slow

IMAGES = REPO / "tests" / "golden" / "images"
RESULTS = REPO / "test-results" / "images"
DPI = 40  # an A4 page is 331 x 468 pixels: enough to see layout and colour, small to commit
# A pixel differs when a channel moves by more than this (of 255): anti-aliasing noise stays
# under it, a colour change or a moved glyph does not.
CHANNEL_TOLERANCE = 48
# A page matches when at most this share of its pixels differ.
PIXEL_TOLERANCE = 0.002


def _render_pages(pdf: Path, into: Path) -> list[Path]:
    """Every page of `pdf` as `<stem>-<n>.png` in `into`, numbered from 1."""
    prefix = into / pdf.stem
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    pages = sorted(into.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    # pdftoppm pads page numbers to the width of the page count: name them plainly instead.
    named = []
    for number, page in enumerate(pages, start=1):
        target = into / f"{pdf.stem}-{number}.png"
        page.rename(target)
        named.append(target)
    return named


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every page of every PDF of the golden project as a PNG, by `<event>/<stem>-<n>.png`."""
    where = tmp_path_factory.mktemp("images")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        env.setenv("GIT_CEILING_DIRECTORIES", str(where))  # no repository above the copy
        project = golden_project(where)
        out = where / "output"
        build(project, BuildOptions(out=out, jobs=1))
    found: dict[str, Path] = {}
    for event in EVENTS:
        into = where / "png" / event
        into.mkdir(parents=True)
        for pdf in sorted((out / event).glob("*.pdf")):
            for page in _render_pages(pdf, into):
                found[f"{event}/{page.name}"] = page
    return found


def _difference(expected: Image.Image, actual: Image.Image) -> tuple[float, Image.Image]:
    """The share of pixels that differ beyond the channel tolerance, and a picture of them."""
    delta = ImageChops.difference(expected.convert("RGB"), actual.convert("RGB"))
    # A pixel's difference is its largest channel difference.
    channels = delta.split()
    largest = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    changed = largest.point(lambda v: 255 if v > CHANNEL_TOLERANCE else 0)
    histogram = changed.histogram()
    share = histogram[255] / (changed.width * changed.height)
    return share, changed


def _names() -> list[str]:
    return sorted(p.relative_to(IMAGES).as_posix() for p in IMAGES.rglob("*.png"))


def test_every_page_matches_its_reference_image(
    pages: dict[str, Path], request: pytest.FixtureRequest
) -> None:
    if request.config.getoption("--update-golden"):
        if IMAGES.exists():
            shutil.rmtree(IMAGES)
        for name, page in pages.items():
            target = IMAGES / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target)
        return
    assert sorted(pages) == _names(), (
        "the rendered pages and tests/golden/images/ differ "
        "(a document gained or lost a page); run pytest --update-golden and look at them"
    )
    failures = []
    for name, page in sorted(pages.items()):
        with Image.open(IMAGES / name) as expected, Image.open(page) as actual:
            if expected.size != actual.size:
                failures.append(f"{name}: size {actual.size}, expected {expected.size}")
                continue
            share, changed = _difference(expected, actual)
            if share > PIXEL_TOLERANCE:
                target = RESULTS / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(page, target)
                changed.save(target.with_suffix(".diff.png"))
                failures.append(f"{name}: {share:.2%} of pixels differ (see {target})")
    assert not failures, "pages differ from their reference images:\n" + "\n".join(failures)


def test_the_comparison_sees_a_changed_colour_and_ignores_noise(tmp_path: Path) -> None:
    """The tolerance itself: a faint change passes, a coloured block does not."""
    base = Image.new("RGB", (200, 100), "white")
    noisy = base.copy()
    noisy.paste((255 - CHANNEL_TOLERANCE // 2,) * 3, (0, 0, 200, 100))  # faint, everywhere
    share, _ = _difference(base, noisy)
    assert share == 0
    coloured = base.copy()
    coloured.paste((107, 29, 78), (0, 0, 20, 10))  # a 20 x 10 block: 1% of the page
    share, _ = _difference(base, coloured)
    assert share == pytest.approx(0.01)
    assert share > PIXEL_TOLERANCE
