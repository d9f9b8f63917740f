"""Remake the pictures of each document that the README and docs/ show.

    .venv/bin/python scripts/readme_images.py

Builds this repository's project into a temporary folder (with a fixed date, so only a real
change shows in git), renders pages of the sample event's PDFs with pdftoppm and screenshots
its one-pager (phone width) and the portal (desktop width) in Debian's Chromium. Needs what
`make test` installs (poppler-utils, Chromium, Playwright).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"
EVENT = "awards-night-red-carpet"
DPI = 50
# (PDF in the event's folder, page, picture name)
PAGES = (
    ("press-kit.pdf", 1, "press-kit-cover.png"),
    ("press-kit.pdf", 2, "press-kit-letter.png"),
    ("questions.pdf", 1, "question-sheet.png"),
    ("pocket-card.pdf", 1, "pocket-card-front.png"),
    ("pocket-card.pdf", 2, "pocket-card-back.png"),
    ("pocket-cards-sheet.pdf", 1, "pocket-cards-sheet.png"),
)
# (page under the output folder, viewport width, height, picture name)
SCREENS = (
    (f"{EVENT}/index.html", 390, 844, "one-pager-phone.png"),
    ("index.html", 1280, 900, "portal-desktop.png"),
)


def main() -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1795000000")}
        subprocess.run(
            [sys.executable, "-m", "presskit", "build", "--quiet", "--out", str(out)],
            cwd=REPO,
            env=env,
            check=True,
        )
        for pdf, page, name in PAGES:
            source = out / EVENT / pdf
            if not source.is_file():
                print(f"skipped {name}: no {pdf}", file=sys.stderr)
                continue
            target = IMAGES / name
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    str(DPI),
                    "-png",
                    "-singlefile",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    str(source),
                    str(target.with_suffix("")),
                ],
                check=True,
            )
            print(f"wrote {target.relative_to(REPO)}")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            for page_path, width, height, name in SCREENS:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto((out / page_path).as_uri())
                target = IMAGES / name
                page.screenshot(path=str(target))
                page.close()
                print(f"wrote {target.relative_to(REPO)}")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
