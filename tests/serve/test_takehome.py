"""Take-home copies: `ssh NAME@HOST export ...`, the one command the server runs."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bmc_tui.examples import load_example
from bmc_tui.export import render
from bmc_tui.serve.access import access_for
from bmc_tui.serve.takehome import BadCommand, ExportRequest, parse_command
from bmc_tui.store import Store, load_session
from tests.export.test_html_print import _browser, pages, print_pdf

from .client import connect
from .helpers import SSH_OPTIONS, Server, ssh_argv, tmux

pytestmark = pytest.mark.timeout(120)


# -- the grammar -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "facilitator", "expected"),
    [
        ("export", False, ExportRequest("md")),
        ("export --format html", False, ExportRequest("html")),
        ("export  --format=json ", False, ExportRequest("json")),
        ("export ana --format html", False, ExportRequest("html", "ana")),
        ("export bo --format md", True, ExportRequest("md", "bo")),
        ("export --room --format html", True, ExportRequest("html", room=True)),
    ],
)
def test_the_export_grammar(command: str, facilitator: bool, expected: ExportRequest) -> None:
    assert parse_command(command, facilitator=facilitator) == expected


@pytest.mark.parametrize(
    ("command", "facilitator", "reason"),
    [
        ("export; id", False, 'so ";" is refused'),
        ("export --format html ../bo", False, '"../bo" is not a session name'),
        ("export $(id)", False, '"$" is refused'),
        ("export --format html > x", False, '">" is refused'),
        ("export --format html --verbose", False, 'Unknown option "--verbose"'),
        ("export --format pdf", False, '"pdf": choose md, html or json'),
        ("export --format", False, "choose md, html or json"),
        ("export --format md --format html", False, "given twice"),
        ("export ana bo", False, "One session at a time"),
        ("export --room", False, "is for the facilitator"),
        ("cat /etc/passwd", False, "only runs the workshop"),
        ("", False, "only runs the workshop"),
        ("export\x1b[2J", False, "Only plain letters"),
        ("export " + "a" * 300, False, "too long"),
        ("export", True, "Which session?"),
        ("export bo --room", True, "not both"),
    ],
)
def test_anything_else_is_refused_in_one_line(command: str, facilitator: bool, reason: str) -> None:
    with pytest.raises(BadCommand) as refused:
        parse_command(command, facilitator=facilitator)
    message = str(refused.value)
    assert reason in message
    assert "\n" not in message and "\x1b" not in message


def test_a_participant_may_open_their_own_session_only(tmp_path: Path) -> None:
    ana = access_for("ana", False, tmp_path)
    assert ana.own == "ana"
    assert ana.allows("ana")
    assert not ana.allows("bo")
    boss = access_for("facilitator", True, tmp_path)
    assert boss.own is None
    assert boss.allows("ana") and boss.allows("bo")


def test_a_team_member_may_open_their_team_and_takes_its_canvas_home(tmp_path: Path) -> None:
    from bmc_tui.serve.teams import Teams

    teams = Teams(people=["ana", "bo", "cy"])
    red = teams.create("Red")
    teams.assign("ana", red)
    teams.assign("bo", red)
    teams.save(tmp_path)
    ana = access_for("ana", False, tmp_path)
    assert ana.own == red.team_id
    assert ana.allows(red.team_id) and ana.allows("ana")
    assert not ana.allows("bo") and not ana.allows("cy")
    cy = access_for("cy", False, tmp_path)
    assert cy.own == "cy" and not cy.allows(red.team_id)


# -- the real OpenSSH client ---------------------------------------------------------------


def _room(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    for session_id, example in (("ana", "platform"), ("bo", "subscription")):
        store.close(store.create(session_id.title(), session_id, template=load_example(example)))


def _ssh(
    port: int, key: Path, user: str, *command: str, stdout: object = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["ssh", "-p", str(port), *SSH_OPTIONS, "-i", str(key), "-o", "BatchMode=yes"]
        + [f"{user}@127.0.0.1", *command],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )


@pytest.mark.e2e
def test_ssh_export_html_is_the_participants_page_and_prints_landscape(
    serve: Callable[..., Server],
    client_key: tuple[Path, Path],
    sessions_dir: Path,
    tmp_path: Path,
) -> None:
    browser = _browser()
    _room(sessions_dir)
    key, authorized = client_key
    server = serve("--authorized-keys", str(authorized))
    target = tmp_path / "ana.html"
    with target.open("wb") as out:
        result = _ssh(server.port, key, "ana", "export", "--format", "html", stdout=out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    page = target.read_text("utf-8")
    # Exactly what `bmc-tui export ana --format html` writes on the server.
    assert page == render(load_session(sessions_dir / "ana.toml"), "html")
    assert "Restaurants and bakeries" in page  # ana's canvas, not bo's
    assert "Sole traders" not in page
    assert server.children() == []  # no process was started for it

    full = pages(print_pdf(browser, page, tmp_path, "full"))
    assert len(full) > 1 and all(w > h for w, h in full)
    # The canvas part of the very page that came over ssh prints on one landscape page.
    canvas = re.sub(r'<main class="report">.*</main>', "", page, flags=re.S)
    assert canvas != page
    only = pages(print_pdf(browser, canvas, tmp_path, "canvas"))
    assert len(only) == 1 and only[0][0] > only[0][1]

    for fmt, start in (("md", b"# Ana\n"), ("json", b"{\n")):
        result = _ssh(server.port, key, "ana", "export", "--format", fmt)
        assert result.returncode == 0 and result.stdout.startswith(start), result.stderr


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("export; id", "is refused"),
        ("export --format html ../bo", '"../bo" is not a session name'),
        ("export bo --format html", "only your own session"),
        ("export nobody-here", "only your own session"),
        ("export --format html --all", 'Unknown option "--all"'),
        ("export --room --format html", "for the facilitator"),
        ("id", "only runs the workshop"),
    ],
)
def test_ssh_refuses_every_other_command_in_one_line(
    serve: Callable[..., Server],
    client_key: tuple[Path, Path],
    sessions_dir: Path,
    command: str,
    reason: str,
) -> None:
    _room(sessions_dir)
    key, authorized = client_key
    server = serve("--authorized-keys", str(authorized))
    # One string, as a shell would pass `ssh ana@host 'export; id'`.
    result = _ssh(server.port, key, "ana", command)
    assert result.returncode == 1
    assert result.stdout == b""  # nothing of any session, nor of the server
    assert result.stderr.endswith(b"\n") and b"\r" not in result.stderr  # no terminal here
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and reason in lines[0], lines
    assert "uid=" not in lines[0]
    assert server.children() == []


async def test_the_facilitator_fetches_any_session_and_the_room_report(
    serve: Callable[..., Server], sessions_dir: Path
) -> None:
    _room(sessions_dir)
    (sessions_dir / "broken.toml").write_text("this is [not toml", "utf-8")
    server = serve("--open", "--facilitator-passcode", "boss-code")
    async with await connect(server.port, "facilitator", "boss-code") as conn:
        bo = await conn.run("export bo --format md", timeout=30)
        assert bo.exit_status == 0, bo.stderr
        assert str(bo.stdout).startswith("# Bo\n")
        report = await conn.run("export --room --format html", timeout=30)
        assert report.exit_status == 0, report.stderr
        page = str(report.stdout)
        assert "Room report" in page and "Ana" in page and "Bo" in page
        assert "broken.toml" in page and "Unreadable files" in page
        missing = await conn.run("export nobody --format md", timeout=30)
        assert missing.exit_status == 1
        assert "No session called nobody" in str(missing.stderr)
    # A participant (here without authentication: --open) cannot ask for either.
    async with await connect(server.port, "ana") as conn:
        theirs = await conn.run("export bo", timeout=30)
        assert theirs.exit_status == 1 and theirs.stdout == ""
        room = await conn.run("export --room", timeout=30)
        assert room.exit_status == 1 and room.stdout == ""


@pytest.mark.e2e
def test_the_participants_export_shows_the_command_that_works(
    serve: Callable[..., Server],
    client_key: tuple[Path, Path],
    sessions_dir: Path,
    tmp_path: Path,
) -> None:
    _room(sessions_dir)
    key, authorized = client_key
    server = serve("--authorized-keys", str(authorized))
    expected = f"ssh -p {server.port} ana@127.0.0.1 export --format html > ana.html"
    with tmux(tmp_path) as mux:
        mux.start("ana", ssh_argv(server.port, "ana", "-i", str(key), "-o", "BatchMode=yes"))
        mux.wait_for("ana", "h HTML")  # the example reopens where it was left: the summary
        mux.keys("ana", "h")
        mux.wait_for("ana", "Take a copy home")
        mux.wait_for("ana", expected)
    # What the dialog says, run from "another terminal", fetches the page.
    target = tmp_path / "ana.html"
    with target.open("wb") as out:
        result = _ssh(server.port, key, "ana", "export", "--format", "html", stdout=out)
    assert result.returncode == 0, result.stderr
    assert target.read_text("utf-8") == render(load_session(sessions_dir / "ana.toml"), "html")
    assert not (sessions_dir / "ana.html").exists()


@pytest.mark.e2e
def test_the_facilitator_fetches_the_room_report_with_openssh(
    serve: Callable[..., Server], sessions_dir: Path, tmp_path: Path
) -> None:
    _room(sessions_dir)
    (sessions_dir / "broken.toml").write_text("[[[", "utf-8")
    server = serve("--open", "--facilitator-passcode", "boss-code")
    target = tmp_path / "room.html"
    ssh = " ".join(["ssh", "-p", str(server.port), *SSH_OPTIONS, "facilitator@127.0.0.1"])
    with tmux(tmp_path) as mux:
        # As typed in a shell on the facilitator's own computer, redirect and all.
        mux.start("boss", ["sh", "-c", f"{ssh} export --room --format html > {target}"])
        mux.wait_for("boss", "Password:")
        mux.keys("boss", "boss-code", literal=True)
        mux.keys("boss", "Enter")
        mux.wait_for("boss", "EXIT=0")
    page = target.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('class="canvas-page"') == 2
    assert "broken.toml" in page
