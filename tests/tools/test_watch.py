"""What `presskit serve` watches: the project's inputs, seen through real file events."""

from __future__ import annotations

import queue
import time
from pathlib import Path

import pytest

from presskit.project.loading import load_project
from presskit.tools.watch import Watcher, input_folders, is_input

WAIT = 10.0  # seconds: an upper bound for an event that takes milliseconds


def test_the_folders_are_those_the_project_names(mini: Path) -> None:
    project = load_project(mini)
    events = [e.event for e in project.events]
    root = mini.resolve()
    found = input_folders(mini, project.campaign, events)
    names = ("question_banks", "events", "campaign", "templates", "locales")
    assert found == {root / name for name in names}  # the last two once they exist
    # without a readable presskit.yaml: the default places
    assert input_folders(mini, None) == found


def test_a_branding_file_elsewhere_is_watched(mini: Path) -> None:
    (mini / "brand").mkdir()
    (mini / "brand/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    )
    with (mini / "presskit.yaml").open("a", encoding="utf-8") as handle:
        handle.write("branding:\n  logo: brand/logo.svg\n")
    project = load_project(mini)
    assert mini.resolve() / "brand" in input_folders(mini, project.campaign)


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("question_banks/alpha.yaml", True),
        ("presskit.yaml", True),
        ("templates/onepager.html.j2", True),
        ("brand/logo.PNG", True),
        ("question_banks/.alpha.yaml.swp", False),
        ("question_banks/alpha.yaml~", False),
        (".git/index", False),
        ("events/__pycache__/x.yaml", False),
        ("templates/node_modules/x.css", False),
        ("question_banks/notes.txt", False),
    ],
)
def test_only_input_files_count(tmp_path: Path, path: str, wanted: bool) -> None:
    assert is_input(tmp_path, str(tmp_path / path)) is wanted
    assert not is_input(tmp_path, "/elsewhere/presskit.yaml")


def watching(mini: Path, polling: bool | None = None) -> tuple[Watcher, queue.Queue[list[str]]]:
    seen: queue.Queue[list[str]] = queue.Queue()
    project = load_project(mini)
    watcher = Watcher(mini, seen.put, polling=polling)
    watcher.start(input_folders(mini, project.campaign))
    assert watcher.wait_ready()
    return watcher, seen


def next_change(seen: queue.Queue[list[str]]) -> list[str]:
    return seen.get(timeout=WAIT)


def test_a_saved_bank_is_reported_and_noise_is_not(mini: Path) -> None:
    watcher, seen = watching(mini)
    try:
        (mini / "question_banks/.alpha.yaml.swp").write_text("editor state")
        (mini / "question_banks/scratch.txt").write_text("not an input")
        (mini / "question_banks/alpha.yaml").write_text("theme: Edited\nquestions: []\n")
        assert next_change(seen) == ["question_banks/alpha.yaml"]
        (mini / "presskit.yaml").write_text((mini / "presskit.yaml").read_text() + "\n")
        assert next_change(seen) == ["presskit.yaml"]
        (mini / "output").mkdir()
        (mini / "output/index.html").write_text("a build")  # not watched at all
        (mini / "events/gala.yaml").write_text((mini / "events/gala.yaml").read_text() + "\n")
        assert next_change(seen) == ["events/gala.yaml"]
    finally:
        watcher.stop()


def test_a_folder_made_after_the_start_is_watched(mini: Path) -> None:
    watcher, seen = watching(mini)
    try:
        assert mini.resolve() / "templates" not in watcher.folders
        (mini / "templates").mkdir()
        deadline = time.monotonic() + WAIT
        while mini.resolve() / "templates" not in watcher.folders:
            assert time.monotonic() < deadline, "the new folder was never watched"
            time.sleep(0.02)
        # its watch is starting anew: write until it sees the file
        for _ in range(20):
            (mini / "templates/onepager.html.j2").write_text("{% extends 'builtin/x' %}")
            try:
                if "templates/onepager.html.j2" in seen.get(timeout=0.5):
                    break
            except queue.Empty:
                continue
        else:
            raise AssertionError("the template in the new folder was never reported")
    finally:
        watcher.stop()


def test_polling_finds_changes_where_file_events_never_arrive(mini: Path) -> None:
    watcher, seen = watching(mini, polling=True)
    try:
        (mini / "question_banks/beta.yaml").write_text("theme: Polled\nquestions: []\n")
        assert next_change(seen) == ["question_banks/beta.yaml"]
    finally:
        watcher.stop()
