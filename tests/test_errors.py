"""The error family: located problems, sorted and counted, printed without a traceback."""

from __future__ import annotations

import io

from presskit.errors import PresskitError, Problem, ValidationFailed


def test_a_problem_reads_path_line_col_field_message() -> None:
    assert str(Problem("a.yaml", 3, 7, "venue", "required")) == "a.yaml:3:7: venue: required"
    assert str(Problem("a.yaml", 1, 1, "", "file not found")) == "a.yaml:1:1: file not found"


def test_validation_failed_sorts_deduplicates_and_counts() -> None:
    late, early = Problem("b.yaml", 2, 1, "", "late"), Problem("a.yaml", 9, 1, "", "early")
    error = ValidationFailed([late, early, late])
    shown = io.StringIO()
    error.show(shown)
    assert shown.getvalue() == (
        "a.yaml:9:1: early\nb.yaml:2:1: late\n2 problems found; nothing was written.\n"
    )
    assert error.exit_code == 1


def test_a_user_error_is_one_line_and_exit_code_1() -> None:
    shown = io.StringIO()
    PresskitError("no events to build").show(shown)
    assert shown.getvalue() == "error: no events to build\n"
    assert PresskitError("x").exit_code == 1
