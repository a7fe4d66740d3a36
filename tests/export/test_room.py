"""The room report: `bmc-tui export --room DIR`, every session of a folder side by side."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from bmc_tui.cli import main
from bmc_tui.examples import load_example
from bmc_tui.export import room as room_report
from bmc_tui.export.html import canvas_section
from bmc_tui.export.room import read_room_report, render_room
from bmc_tui.room import Room, write_room
from bmc_tui.store import Store
from bmc_tui.votes import candidates_from, new_vote, read_ballots, tally, write_ballot

from .conftest import PAYLOAD, hostile_session
from .test_html_print import _browser, pages, print_pdf


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    """Three sessions (two examples and an empty one) and a corrupt file."""
    folder = tmp_path / "workshop"
    store = Store(folder)
    store.close(store.create("Ana", "ana", template=load_example("platform")))
    store.close(store.create("Bo", "bo", template=load_example("subscription")))
    store.close(store.create("Cy", "cy"))
    (folder / "broken.toml").write_text('format = "bmc-tui.session"\nversion = [', "utf-8")
    return folder


def test_every_session_and_the_unreadable_file_are_listed(workshop: Path) -> None:
    report = read_room_report(workshop)
    assert [e.file for e in report.readable] == ["ana.toml", "bo.toml", "cy.toml"]
    assert [e.file for e in report.unreadable] == ["broken.toml"]
    assert "TOML" in (report.unreadable[0].error or "")
    assert str(workshop) not in (report.unreadable[0].error or "")  # the name, not the path


def test_markdown_compares_the_sessions(workshop: Path) -> None:
    text = render_room(read_room_report(workshop), "md")
    assert text.startswith("# Room report: workshop\n")
    rows: dict[str, str] = {}
    for line in text.splitlines():  # the first table: blocks filled, errors, warnings
        if line.startswith("| "):
            rows.setdefault(line.split(" | ")[0].strip("| "), line)
    # Cy filled no block: a dash in each of the nine block columns, no errors.
    assert rows["Cy"].count("—") == 9
    assert rows["Ana"].count("—") == 0
    assert "## Unreadable files" in text and "**broken.toml**" in text
    assert "## Votes" not in text  # none in the room record
    assert "Restaurants and bakeries" in text and "Sole traders" in text


def test_json_holds_each_session_document(workshop: Path) -> None:
    doc = json.loads(render_room(read_room_report(workshop), "json"))
    assert doc["format"] == "bmc-tui.room-report"
    assert [s["id"] for s in doc["sessions"]] == ["ana", "bo", "cy"]
    cy = doc["sessions"][2]
    assert cy["filled"]["customer_segments"] == 0
    assert cy["progress"]["canvas"] == [0, 9]
    assert cy["session"]["format"] == "bmc-tui.session"
    assert doc["unreadable"][0]["file"] == "broken.toml"
    assert doc["votes"] == []


def test_html_draws_each_canvas_with_the_single_page_exporter(workshop: Path) -> None:
    report = read_room_report(workshop)
    page = render_room(report, "html")
    for entry in report.readable:
        assert entry.session is not None
        assert canvas_section(entry.session, room_report.caption(entry)) in page
    assert page.count('<section class="canvas-page">') == 3
    assert "broken.toml" in page


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    store = Store(tmp_path / "room")
    store.close(store.create("x", "evil", template=hostile_session()))
    page = render_room(read_room_report(tmp_path / "room"), "html")
    assert "<script>" not in page
    assert "<img" not in page
    text = render_room(read_room_report(tmp_path / "room"), "md")
    assert "\x1b" not in text
    assert PAYLOAD not in text
    # The Markdown is as inert as a single session's: rendered, it holds no markup.
    md = MarkdownIt("gfm-like", {"linkify": True}).enable("table")
    md.linkify.set({"fuzzy_link": False})
    rendered = md.render(text)
    for forbidden in ("<a ", "<img", "<script", "<style"):
        assert forbidden not in rendered, forbidden
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered


def test_votes_in_the_room_record_appear(workshop: Path) -> None:
    # A real vote, as the dashboard opens, tallies and closes it into the room file.
    store = Store(workshop)
    sessions = [
        (sid, store.open(workshop / f"{sid}.toml", write=False).session) for sid in ("ana", "bo")
    ]
    candidates = candidates_from(sessions, "value_propositions")
    opened = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    vote = new_vote(
        "v1",
        "value_propositions",
        candidates,
        scope=None,
        scope_title="the room",
        dots=3,
        one_per_item=False,
        opened_at=opened,
        closes_at=None,
    )
    first, second = candidates[0], candidates[-1]
    ballots = [{first.key: 3}, {first.key: 2, second.key: 1}, {second.key: 1}]
    for n, ballot in enumerate(ballots):
        write_ballot(workshop, vote, f"voter{n}", ballot)
    counts = tally(vote, read_ballots(workshop, vote).values())
    closed = replace(
        vote,
        closed_at=opened,
        result=tuple(counts.items()),
        voters=len(ballots),
    )
    write_room(workshop, Room(votes=(closed,)))

    text = render_room(read_room_report(workshop), "md")
    assert "## Votes" in text and f"### {closed.title}" in text
    assert f"| {first.text} | {first.session_title} | 5 |" in text
    assert f"| {second.text} | {second.session_title} | 2 |" in text
    doc = json.loads(render_room(read_room_report(workshop), "json"))
    assert doc["votes"][0]["voters"] == 3
    assert doc["votes"][0]["result"][0] == {
        "item": first.text,
        "session": first.session_title,
        "dots": 5,
    }


def test_cli_room_report(
    workshop: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--room", str(workshop), "--format", "html"]) == 0
    err = capsys.readouterr().err
    assert "broken.toml: unreadable" in err
    assert "wrote workshop-room.html" in err
    assert (tmp_path / "workshop-room.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert main(["export", "--room", str(workshop), "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("# Room report: workshop")


@pytest.mark.parametrize(
    "argv",
    [["export"], ["export", "ana", "--room", "x"], ["export", "--room", "/no/such/folder"]],
)
def test_cli_room_report_bad_command_lines(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("bmc-tui: ")


@pytest.mark.e2e
def test_room_report_prints_one_landscape_page_per_canvas(workshop: Path, tmp_path: Path) -> None:
    browser = _browser()
    page = render_room(read_room_report(workshop, now=datetime(2026, 11, 29, tzinfo=UTC)), "html")
    sizes = pages(print_pdf(browser, page, tmp_path, "room"))
    # The tables on the first page, then Ana's, Bo's and Cy's canvases: one page each.
    assert len(sizes) == 4, sizes
    assert all(w > h for w, h in sizes)


def test_room_report_and_archive_stay_in_the_core() -> None:
    import subprocess
    import sys

    script = (
        "import sys, bmc_tui.export.room, bmc_tui.archive, bmc_tui.serve.takehome, "
        "bmc_tui.serve.access\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
