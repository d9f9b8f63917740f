"""Golden files: the HTML of the mini project's kits and portal, compared byte for byte.

Every document of `tests/fixtures/mini` (the one-pager, and the HTML each PDF is rendered from:
press kit, question sheet and pocket card at every density) and the portal are rendered through
planning, without WeasyPrint, and compared with the files under `tests/golden/`. The copy gains
one event in Arabic (right to left, with its own branding and contacts) so that a second
language is pinned too, and each event's talent brief (planned for the private folder). A
template change therefore shows as a reviewable diff of those files.

After an intended change, refresh them and review `git diff tests/golden/`:

    pytest tests/promises/test_golden.py --update-golden

The output is made deterministic: the project is a copy outside git (provenance says
"Undated version"), SOURCE_DATE_EPOCH fixes the date, the portal gets fixed file sizes, and
presskit's version in the generator line is written as `<version>`.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from presskit import __version__
from presskit.pipeline.documents import OUTPUTS, SHEET_DENSITIES, BuildOptions
from presskit.pipeline.plan import plan
from presskit.pipeline.portal import Download, render_portal
from presskit.pipeline.provenance import project_provenance
from presskit.project.loading import Project, load_project
from tests.conftest import FIXTURES

GOLDEN = Path(__file__).parent.parent / "golden" / "mini"
EPOCH = "1800000000"  # 2027-01-15
EVENTS = ("gala", "gala-ar")

ARABIC_EVENT = """\
name: Test Gala Night
date: 2027-04-10
venue: Test Hall
city: Testville
kind: premiere
sample: true
description: The same gala, for an Arabic-speaking press corps.
language: ar
select:
  count: 3
  tags: [quick]
branding:
  logo: campaign/logo.svg
  primary: "#6B1D4E"
  embargo: Embargoed until 10 April
  sponsor: Hosted by Test Hall
contacts:
  - name: Test Desk
    role: Press desk
    phone: "+1 555 0100"
    url: https://example.org/press
"""
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
    '<rect width="8" height="8"/></svg>\n'
)
# Sizes for the portal's download list, chosen to show each way a size is written.
SIZES = {"pdf": 123_456, "html": 9_876, "zip": 2_345_678}


def golden_names() -> list[str]:
    """Every golden file under GOLDEN: `<event>/<document>[.<density>].html`, and the portal."""
    names = []
    for event in EVENTS:
        for output in OUTPUTS:
            stem = Path(output.name).stem
            if output.max_pages:
                names += [f"{event}/{stem}.{density}.html" for density in SHEET_DENSITIES]
            else:
                names.append(f"{event}/{stem}.html")
        names.append(f"{event}/talent-brief.html")  # planned for the private folder
    return [*names, "index.html"]


def golden_project(where: Path) -> Project:
    """The mini project, copied outside git, with the Arabic event added."""
    root = where / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    (root / "events/gala-ar.yaml").write_text(ARABIC_EVENT, encoding="utf-8")
    campaign = root / "presskit.yaml"  # talent briefs back on, as by default
    campaign.write_text(campaign.read_text("utf-8").replace('talent_brief: "off"\n', ""), "utf-8")
    (root / "campaign/logo.svg").write_text(LOGO, encoding="utf-8")
    return load_project(root)


def portal_files(project: Project) -> dict[str, list[Download]]:
    """What the portal lists for each event, with fixed sizes instead of rendered PDFs."""
    files = {}
    for event in project.events:
        found = [
            Download(
                f"{event.slug}/{o.name}",
                o.label,
                o.format.upper(),
                SIZES[o.format],
                o.format == "html",
            )
            for o in OUTPUTS
        ]
        zip_name = f"{event.slug}-press-kit.zip"
        found.append(Download(f"{event.slug}/{zip_name}", "zip", "ZIP", SIZES["zip"]))
        files[event.slug] = found
    return files


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Today's HTML of every golden file, by name."""
    where = tmp_path_factory.mktemp("golden")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        env.setenv("GIT_CEILING_DIRECTORIES", str(where))  # no repository above the copy
        project = golden_project(where)
        provenance = project_provenance(project)
        documents = plan(project, BuildOptions(out=project.root / "output"), provenance)
        every = frozenset(EVENTS)  # the private folder, holding only the events' briefs
        private = BuildOptions(out=where / "private", private=True, hold=every, briefs=every)
        documents += plan(project, private, provenance)
        html: dict[str, str] = {}
        for document in documents:
            stem = Path(document.output.name).stem
            if document.output.max_pages:
                for density, variant in zip(SHEET_DENSITIES, document.variants, strict=True):
                    html[f"{document.event}/{stem}.{density}.html"] = variant
            else:
                (variant,) = document.variants
                html[f"{document.event}/{stem}.html"] = variant
        html["index.html"] = render_portal(project, portal_files(project), provenance=provenance)
    generator = f'content="presskit {__version__}"'
    return {
        name: text.replace(generator, 'content="presskit <version>"') for name, text in html.items()
    }


@pytest.mark.parametrize("name", golden_names())
def test_html_matches_its_golden_file(
    name: str, rendered: dict[str, str], request: pytest.FixtureRequest
) -> None:
    actual = rendered[name]
    path = GOLDEN / name
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != actual.encode("utf-8"):
            path.write_bytes(actual.encode("utf-8"))
        return
    assert path.is_file(), f"no golden file {path}; run pytest --update-golden and review it"
    expected = path.read_bytes().decode("utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"tests/golden/mini/{name}",
            tofile="rendered now",
        )
        pytest.fail(
            f"{name} differs from its golden file (pytest --update-golden refreshes it):\n"
            + "".join(diff),
            pytrace=False,
        )


def test_every_document_has_a_golden_file_and_no_other(
    rendered: dict[str, str], request: pytest.FixtureRequest
) -> None:
    assert sorted(rendered) == sorted(golden_names())
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.html")}
    stale = on_disk - set(golden_names())
    if request.config.getoption("--update-golden"):
        for name in stale:
            (GOLDEN / name).unlink()
        return
    assert not stale, f"golden files nothing renders any more: {sorted(stale)}"
