"""Rendering PDFs in one process or several: same order, progress reported, failures clean."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from presskit.errors import RenderError
from presskit.render.pool import PdfJob, Setup, default_jobs, render_all
from tests.conftest import pdf_pages

PAGE = "<!DOCTYPE html><html><body><p>{}</p></body></html>"


def test_default_jobs_is_at_least_one() -> None:
    assert default_jobs() >= 1


def test_no_jobs_renders_nothing(tmp_path: Path) -> None:
    assert render_all([], Setup(roots=(tmp_path,)), workers=4) == []


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_order_with_progress(tmp_path: Path, workers: int) -> None:
    jobs = [PdfJob(f"{n}.pdf", (PAGE.format(n),), tmp_path) for n in ("a", "b", "c")]
    seen: list[tuple[int, int, str]] = []
    rendered = render_all(
        jobs, Setup(roots=(tmp_path,)), workers, lambda *a: seen.append((a[0], a[1], a[2]))
    )
    for n, result in zip(("a", "b", "c"), rendered, strict=True):
        (tmp_path / f"{n}.pdf").write_bytes(result.data)
        assert pdf_pages(tmp_path / f"{n}.pdf") == 1
        assert result.variant == 0
    assert seen[0] == (0, 3, "")
    assert sorted(done for done, _, _ in seen[1:]) == [1, 2, 3]


@pytest.mark.slow
def test_the_first_variant_that_fits_wins(tmp_path: Path) -> None:
    long = PAGE.format("<br>" * 400)
    job = PdfJob("q.pdf", (long, PAGE.format("short")), tmp_path, max_pages=1)
    [result] = render_all([job], Setup(roots=(tmp_path,)), workers=1)
    assert result.variant == 1
    # a follower (the print sheet of a pocket card) is rendered in the variant its leader's fit
    # picks, whatever its own page count; a job may also name its variant outright
    sheet = PdfJob("s.pdf", (PAGE.format("roomy"), long), tmp_path, max_pages=1)
    [result] = render_all([replace(job, follower=sheet)], Setup(roots=(tmp_path,)), workers=1)
    assert result.variant == 1 and result.follower is not None
    (tmp_path / "s.pdf").write_bytes(result.follower.data)
    assert result.follower.variant == 1 and pdf_pages(tmp_path / "s.pdf") > 1
    [named] = render_all([replace(sheet, variant=1)], Setup(roots=(tmp_path,)), workers=1)
    assert named.data == result.follower.data
    too_long = PdfJob("q.pdf", (long,), tmp_path, max_pages=1, too_long="shorten it")
    with pytest.raises(RenderError, match="shorten it"):
        render_all([too_long], Setup(roots=(tmp_path,)), workers=1)
