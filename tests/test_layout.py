"""The package's shape: every module has a test module at the mirrored path, and no module
imports itself back through others (function-level imports count too).

The layers themselves (cli > tools > pipeline > render > kits > project > errors) are contracts
in pyproject.toml, checked by `lint-imports` in `make lint`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp
import pytest

from tests.conftest import REPO

PACKAGE = REPO / "presskit"
NOT_MODULES = {"__init__.py", "__main__.py"}


def missing_test_modules(package: Path, tests: Path) -> list[str]:
    """`package/a/b.py` wants `tests/a/test_b.py`; the ones without, as package-relative paths."""
    missing = []
    for module in sorted(package.rglob("*.py")):
        if module.name in NOT_MODULES or "__pycache__" in module.parts:
            continue
        rel = module.relative_to(package)
        if not (tests / rel.parent / f"test_{rel.name}").is_file():
            missing.append(rel.as_posix())
    return missing


def import_cycles(package: str) -> list[list[str]]:
    """Every group of modules that import each other, directly or through others.

    grimp reads every import statement, including those inside functions and under
    TYPE_CHECKING, so a lazy import does not hide a cycle.
    """
    graph = grimp.build_graph(package, cache_dir=None)
    cycles: list[list[str]] = []
    placed: set[str] = set()
    for module in sorted(graph.modules):
        if module in placed:
            continue
        reaches = graph.find_upstream_modules(module)  # what it imports, directly or not
        group = {module} | {m for m in reaches if module in graph.find_upstream_modules(m)}
        placed |= group
        if len(group) > 1:
            cycles.append(sorted(group))
    return cycles


def test_every_module_has_a_test_module() -> None:
    assert missing_test_modules(PACKAGE, REPO / "tests") == []


def test_a_module_without_tests_is_named(tmp_path: Path) -> None:
    package, tests = tmp_path / "pkg", tmp_path / "tests"
    for path in ["__init__.py", "__main__.py", "core/__init__.py", "core/a.py", "core/b.py"]:
        (package / path).parent.mkdir(parents=True, exist_ok=True)
        (package / path).touch()
    (tests / "core").mkdir(parents=True)
    (tests / "core/test_a.py").touch()
    (tests / "test_b.py").touch()  # not at the mirrored path
    assert missing_test_modules(package, tests) == ["core/b.py"]


def test_no_import_cycles() -> None:
    assert import_cycles("presskit") == []


def test_a_cycle_through_a_function_level_import_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "cyclic_pkg"
    (package / "inner").mkdir(parents=True)
    (package / "__init__.py").touch()
    (package / "inner/__init__.py").touch()
    (package / "inner/a.py").write_text("from cyclic_pkg import b\n")
    (package / "b.py").write_text("def later() -> None:\n    from cyclic_pkg import c\n")
    (package / "c.py").write_text("import cyclic_pkg.inner.a\n")
    (package / "d.py").write_text("from cyclic_pkg import c\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "cyclic_pkg", raising=False)
    assert import_cycles("cyclic_pkg") == [["cyclic_pkg.b", "cyclic_pkg.c", "cyclic_pkg.inner.a"]]
