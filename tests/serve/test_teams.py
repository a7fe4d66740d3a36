"""Teams in `bmc-tui serve`: the roster file, and members co-editing over real SSH."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bmc_tui.codec import parse_toml
from bmc_tui.serve.teams import RosterError, Teams, parse_teams, read_roster, read_teams
from bmc_tui.serve.workshop import Workshop

from .client import connect, terminal
from .helpers import Server, until

F3 = b"\x1bOR"


def test_the_roster_names_people_as_the_server_does_and_says_what_is_wrong(
    tmp_path: Path,
) -> None:
    roster = tmp_path / "roster.toml"
    roster.write_text(
        'people = ["Ana", "bo", "cy"]\n'
        '[[teams]]\nname = "Red"\nmembers = ["Ana", "BO"]\nstart = "platform"\n'
        '[[teams]]\nname = "Blue team"\n'
    )
    teams = read_roster(roster)
    assert teams.people == ["ana", "bo", "cy"]
    red = teams.find("red")
    assert red is not None and red.team_id == "team-red" and red.members == ["ana", "bo"]
    assert red.start == "platform"
    assert teams.team_of("bo") is red and teams.team_of("cy") is None
    assert teams.find("Blue team") is not None and teams.find("team-blue-team") is not None
    for body, words in [
        (
            '[[teams]]\nname = "A"\nmembers = ["x"]\n[[teams]]\nname = "B"\nmembers = ["x"]\n',
            "x is in two teams",
        ),
        ('[[teams]]\nname = "A"\n[[teams]]\nname = "a"\n', "already a team"),
        ('[[teams]]\nmembers = ["x"]\n', "needs a name"),
        ("people = 3\n", "people must be a list"),
        ('[[teams]]\nname = "A"\ncolour = "red"\n', "unknown key “colour”"),
        ("teams = [", "not TOML"),
        ('[[teams]]\nname = "A"\nmembers = ["Team-B"]\n', "“Team-B” starts with “team-”"),
    ]:
        roster.write_text(body)
        with pytest.raises(RosterError, match=words) as raised:
            read_roster(roster)
        assert str(roster) in str(raised.value)


def test_teams_change_and_the_state_file_round_trips(tmp_path: Path) -> None:
    teams = Teams(people=["ana"])
    red = teams.create("Red")
    teams.assign("ana", red)
    blue = teams.create("Blue")
    teams.assign("ana", blue)  # in one team at a time
    assert red.members == [] and blue.members == ["ana"]
    teams.rename(blue, "Navy")
    with pytest.raises(RosterError):
        teams.rename(red, "navy")
    teams.save(tmp_path)
    again = read_teams(tmp_path)
    assert [(t.team_id, t.name, t.members) for t in again.teams] == [
        ("team-red", "Red", []),
        ("team-blue", "Navy", ["ana"]),
    ]
    assert parse_teams(again.to_document(), "x").to_document() == again.to_document()


@pytest.mark.timeout(90)
async def test_two_members_build_one_canvas_over_ssh_and_a_non_member_keeps_their_own(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.toml"
    roster.write_text('[[teams]]\nname = "Red"\nmembers = ["ana", "bo"]\n')
    server = serve("--open", "--roster", str(roster))
    async with (
        await connect(server.port, "ana") as ana_conn,
        await connect(server.port, "bo") as bo_conn,
        await connect(server.port, "cy") as cy_conn,
    ):
        ana = await terminal(ana_conn, 120, 36)
        bo = await terminal(bo_conn, 120, 36)
        cy = await terminal(cy_conn, 120, 36)
        for term in (ana, bo):
            await term.wait_for("Team Red", timeout=30)
            term.write(F3)
            await term.wait_for("Customer Segments", timeout=15)
        await cy.wait_for("Opening question", timeout=30)
        # Keys typed before the new item's field has the focus would go to the list: wait
        # for the new (empty) item to be drawn first, as a person would.
        for term, text, other in ((ana, b"Ferry riders", bo), (bo, b"Night owls", ana)):
            await _add_item(server, term, other, text)
        team_file = server.sessions_dir / "team-red.toml"

        def both_saved() -> bool:
            try:
                texts = {
                    i.text for i in parse_toml(team_file.read_bytes()).canvas.customer_segments
                }
            except Exception:  # noqa: BLE001 - mid-replace
                return False
            return texts == {"Ferry riders", "Night owls"}

        await until(both_saved, 5, "the team's file")
        # Members' own sessions are not touched; a non-member has only their own.
        assert not (server.sessions_dir / "ana.toml").exists()
        assert (server.sessions_dir / "cy.toml").exists()
        assert "Ferry riders" not in (server.sessions_dir / "cy.toml").read_text()
        assert "nobody else here yet" not in cy.text and "Ferry riders" not in cy.text


@pytest.mark.timeout(60)
async def test_a_name_that_is_a_teams_canvas_is_refused_and_the_team_keeps_it(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.toml"
    roster.write_text('[[teams]]\nname = "Red"\nmembers = ["ana"]\n')
    server = serve("--open", "--roster", str(roster))
    for name in ("team-red", "Team-Red", "team-blue"):
        async with await connect(server.port, name) as conn:
            term = await terminal(conn)
            assert await term.wait_closed() == 1
        assert "kept for teams" in term.text
    assert not server.children()
    assert sorted(p.name for p in server.sessions_dir.glob("*.toml")) == []
    # The team's member opens the canvas, writable, as if nobody had tried.
    async with await connect(server.port, "ana") as conn:
        ana = await terminal(conn, 120, 36)
        await ana.wait_for("Team Red", timeout=30)
        await ana.wait_for("nobody else here yet", timeout=30)
        assert "read-only" not in ana.text.lower()


@pytest.mark.timeout(90)
async def test_a_participant_joins_a_team_from_the_first_screen_and_leaves_it(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    from bmc_tui.serve.teams import read_teams

    roster = tmp_path / "roster.toml"
    roster.write_text('[[teams]]\nname = "Red"\n[[teams]]\nname = "Blue"\n')
    server = serve("--open", "--roster", str(roster))
    async with await connect(server.port, "ana") as conn:
        ana = await terminal(conn, 120, 36)
        await ana.wait_for("This workshop has teams", timeout=30)
        ana.write(b"\r")  # the first team, Red
        await until(lambda: read_teams(server.sessions_dir).team_of("ana") is not None, 10, "in")
        assert read_teams(server.sessions_dir).team_of("ana").name == "Red"  # type: ignore[union-attr]
        await ana.wait_for("nobody else here yet", timeout=30)  # the team's line
        assert (server.sessions_dir / "team-red.toml").exists()
        mark = len(ana.output)
        ana.write(b"\x10")  # Ctrl+P
        await ana.wait_for("Search for commands", timeout=10)
        ana.write(b"Leave team")
        await until(lambda: b"Back to your own session" in ana.output[mark:], 10, "the command")
        ana.write(b"\r")
        await until(lambda: read_teams(server.sessions_dir).team_of("ana") is None, 10, "out")
        # Back on her own session; having chosen it, she is not asked again.
        await until(lambda: b"Opening question" in ana.output[mark:], 30, "own again")
        assert (server.sessions_dir / "ana.toml").exists()
        assert b"This workshop has teams" not in ana.output[mark:]
    # Nor when she connects again; the palette still joins a team.
    async with await connect(server.port, "ana") as conn:
        ana = await terminal(conn, 120, 36)
        await ana.wait_for("Opening question", timeout=30)
        ana.write(b"\x10")  # Ctrl+P
        await ana.wait_for("Search for commands", timeout=10)
        mark = len(ana.output)
        ana.write(b"Join team")
        await until(lambda: b"Blue" in ana.output[mark:], 10, "the command to join Blue")
        assert "This workshop has teams" not in ana.text


@pytest.mark.timeout(90)
async def test_choosing_to_work_alone_is_remembered_when_connecting_again(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.toml"
    roster.write_text('[[teams]]\nname = "Red"\n')
    server = serve("--open", "--roster", str(roster))
    async with await connect(server.port, "cy") as conn:
        cy = await terminal(conn, 120, 36)
        await cy.wait_for("This workshop has teams", timeout=30)
        cy.write(b"\x1b")  # Esc: on my own
        await cy.wait_for("Opening question", timeout=30)
        await until(
            lambda: (
                "on_my_own"
                in "".join(
                    p.read_text()
                    for p in (server.sessions_dir / ".serve" / "people" / "cy").rglob("*.toml")
                )
            ),
            10,
            "the choice kept",
        )
    async with await connect(server.port, "cy") as conn:
        cy = await terminal(conn, 120, 36)
        await cy.wait_for("Opening question", timeout=30)
        assert "This workshop has teams" not in cy.text


@pytest.mark.timeout(90)
async def test_the_facilitator_creates_a_team_and_moves_a_connected_person_into_it(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    from bmc_tui.serve.teams import read_teams

    roster = tmp_path / "roster.toml"
    roster.write_text('people = ["ana", "bo"]\n')
    server = serve("--open", "--facilitator-passcode", "boss", "--roster", str(roster))
    async with (
        await connect(server.port, "facilitator", "boss") as boss_conn,
        await connect(server.port, "ana") as ana_conn,
    ):
        boss = await terminal(boss_conn, 110, 30)
        await boss.wait_for("(not here)", timeout=30)
        boss.write(b"n")
        await boss.wait_for("Name of the new team", timeout=10)
        boss.write(b"Green\r")
        await until(lambda: read_teams(server.sessions_dir).find("Green") is not None, 10, "made")
        ana = await terminal(ana_conn, 110, 30)
        await ana.wait_for("This workshop has teams", timeout=30)
        ana.write(b"\x1b")  # on her own for now
        await until(lambda: (server.sessions_dir / "ana.toml").exists(), 10, "ana's session")
        # Ana's own row comes first (sessions, then people not here): move her.
        await boss.wait_for("1 connected", timeout=10)
        boss.write(b"m")
        await boss.wait_for("Move ana to", timeout=10)
        boss.write(b"\r")
        await until(
            lambda: read_teams(server.sessions_dir).team_of("ana") is not None, 10, "assigned"
        )
        # Moved at once: her screen restarts on the team's canvas, and says why.
        await ana.wait_for("nobody else here yet", timeout=30)
        await ana.wait_for("The facilitator moved you to Team Green.", timeout=10)
        await boss.wait_for("Team Green", timeout=10)


async def _two_members_on_the_canvas(
    server: Server, ana_conn: object, bo_conn: object
) -> tuple[object, object]:
    ana = await terminal(ana_conn, 120, 36)  # type: ignore[arg-type]
    bo = await terminal(bo_conn, 120, 36)  # type: ignore[arg-type]
    for term in (ana, bo):
        await term.wait_for("Team Red", timeout=30)
        term.write(F3)
        await term.wait_for("Customer Segments", timeout=15)
    return ana, bo


async def _add_item(server: Server, term: object, other: object, text: bytes) -> None:
    """Add an item and type its text, once its field has the focus, as a person would.

    Keys typed before the field has the focus go to the list. The new item on the screen
    and then in the team's file (saved half a second later) shows the app has long since
    handled the add and moved the focus, without a fixed sleep.
    """
    before = len(_team_texts(server) or ())
    drawn = term.text.count("(no text yet)")  # type: ignore[attr-defined]
    term.write(b"a")  # type: ignore[attr-defined]
    await until(lambda: term.text.count("(no text yet)") > drawn, 10, "new item")  # type: ignore[attr-defined]
    await until(lambda: len(_team_texts(server) or ()) > before, 10, "new item saved")
    term.write(text)  # type: ignore[attr-defined]
    await other.wait_for(text.decode(), timeout=15)  # type: ignore[attr-defined]


def _team_texts(server: Server) -> set[str] | None:
    try:
        session = parse_toml((server.sessions_dir / "team-red.toml").read_bytes())
    except Exception:  # noqa: BLE001 - mid-replace
        return None
    return {i.text for i in session.canvas.customer_segments}


@pytest.mark.timeout(120)
async def test_a_member_whose_connection_dies_comes_back_to_the_current_canvas(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.toml"
    roster.write_text('[[teams]]\nname = "Red"\nmembers = ["ana", "bo"]\n')
    server = serve("--open", "--roster", str(roster))
    async with await connect(server.port, "bo") as bo_conn:
        ana_conn = await connect(server.port, "ana")
        ana, bo = await _two_members_on_the_canvas(server, ana_conn, bo_conn)
        await _add_item(server, ana, bo, b"Ferry riders")
        ana.write(b" and")  # type: ignore[attr-defined]
        ana_conn.abort()  # mid-typing: the connection is gone, no goodbye
        # Bo carries on.
        await _add_item(server, bo, bo, b"Night owls")
        await until(lambda: (_team_texts(server) or set()) >= {"Night owls"}, 5, "bo saved")
        async with await connect(server.port, "ana") as again_conn:
            again = await terminal(again_conn, 120, 36)
            await again.wait_for("Team Red", timeout=30)
            again.write(F3)
            await again.wait_for("Night owls", timeout=15)
            await again.wait_for("Ferry riders", timeout=5)
    texts = _team_texts(server) or set()
    assert "Night owls" in texts
    assert any(t.startswith("Ferry riders") for t in texts)


@pytest.mark.timeout(120)
async def test_the_server_killed_mid_typing_loses_at_most_the_last_second(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.toml"
    roster.write_text('[[teams]]\nname = "Red"\nmembers = ["ana", "bo"]\n')
    server = serve("--open", "--roster", str(roster))
    async with (
        await connect(server.port, "ana") as ana_conn,
        await connect(server.port, "bo") as bo_conn,
    ):
        ana, bo = await _two_members_on_the_canvas(server, ana_conn, bo_conn)
        await _add_item(server, ana, bo, b"Ferry riders")
        await _add_item(server, bo, ana, b"Night owls")
        # Everything the team had a second ago is on disk, without anyone stopping.
        await until(
            lambda: _team_texts(server) == {"Ferry riders", "Night owls"}, 2, "saved in time"
        )
        ana.write(b" at dawn")  # type: ignore[attr-defined]
        server.proc.kill()
        server.proc.wait(10)
    texts = _team_texts(server)
    assert texts is not None, "the team's file parses"
    assert "Night owls" in texts and any(t.startswith("Ferry riders") for t in texts)
    # Started again on the same folder, the team carries on from the file.
    again = serve("--open", "--roster", str(roster))
    async with await connect(again.port, "bo") as conn:
        term = await terminal(conn, 120, 36)
        await term.wait_for("Team Red", timeout=30)
        term.write(F3)
        await term.wait_for("Night owls", timeout=15)


def test_a_teams_canvas_starts_empty_from_an_example_or_as_a_copy(tmp_path: Path) -> None:
    from bmc_tui.serve.config import ServeConfig
    from bmc_tui.serve.workshop import Workshop
    from bmc_tui.store import Store

    folder = tmp_path / "workshop"
    store = Store(folder)
    handle = store.create("Ana", "ana")
    handle.session.strategy.vision = "Ana's own vision"
    store.save(handle)
    store.close(handle)
    before = (folder / "ana.toml").read_bytes()
    workshop = Workshop(ServeConfig(sessions_dir=folder))
    import shutil

    shutil.rmtree(workshop._home)  # its private folder: not needed to make files
    teams = Teams()
    empty = workshop._team_file(teams.create("Empty"))
    example = workshop._team_file(teams.create("Platform", start="platform"))
    copy = workshop._team_file(teams.create("Copy", start="copy:ana"))
    assert parse_toml(empty.read_bytes()).canvas.customer_segments == []
    assert parse_toml(example.read_bytes()).canvas.customer_segments
    copied = parse_toml(copy.read_bytes())
    assert copied.strategy.vision == "Ana's own vision" and copied.title == "Team Copy"
    assert (folder / "ana.toml").read_bytes() == before  # the member's own file untouched
    # Made once: a second look keeps what the team has done since.
    assert workshop._team_file(teams.find("Copy")) == copy  # type: ignore[arg-type]


async def test_the_dashboard_creates_a_team_whose_canvas_is_a_copy_or_an_example(
    tmp_path: Path,
) -> None:
    import shutil

    from textual.widgets import Select

    from bmc_tui.serve.config import ServeConfig
    from bmc_tui.serve.dashboard.app import DashboardApp
    from bmc_tui.serve.dashboard.screens.room import RoomScreen
    from bmc_tui.serve.dashboard.screens.teams import NewTeamScreen
    from bmc_tui.serve.workshop import Workshop
    from bmc_tui.store import Store

    folder = tmp_path / "workshop"
    store = Store(folder)
    handle = store.create("Ana", "ana")
    handle.session.strategy.vision = "Ana's own vision"
    store.save(handle)
    store.close(handle)
    before = (folder / "ana.toml").read_bytes()
    # The server's real request handling behind its real hub; the dashboard's real link.
    workshop = Workshop(ServeConfig(sessions_dir=folder))
    await workshop.hub.start()
    try:
        secret = workshop.hub.admit(None, "facilitator", facilitator=True)
        app = DashboardApp(folder, hub=workshop.hub.socket_path, secret=secret)
        async with app.run_test(size=(110, 30)) as pilot:
            await until(lambda: app.teams_link is not None, 10, "the hub")
            await pilot.press("n")
            await until(lambda: isinstance(app.screen, NewTeamScreen), 3, "the dialog")
            offered = [v for _, v in app.screen.query_one(Select)._options]
            assert offered == ["@empty", "platform", "subscription", "copy:ana"]
            # Tab to "starts", the last choice (a copy of Ana's), back to the name, Enter.
            await pilot.press(*"Green", "tab", "enter", "end", "enter", "shift+tab", "enter")
            await until(lambda: workshop.teams.find("Green") is not None, 5, "Green made")
            assert isinstance(app.screen, RoomScreen)
            await pilot.press("n")
            await until(lambda: isinstance(app.screen, NewTeamScreen), 3, "the dialog")
            await pilot.press(*"Blue", "tab", "enter", "down", "enter", "shift+tab", "enter")
            await until(lambda: workshop.teams.find("Blue") is not None, 5, "Blue made")
            await pilot.press("n")
            await until(lambda: isinstance(app.screen, NewTeamScreen), 3, "the dialog")
            await pilot.press(*"Plain", "enter")
            await until(lambda: workshop.teams.find("Plain") is not None, 5, "Plain made")
        green, blue = workshop.teams.find("Green"), workshop.teams.find("Blue")
        plain = workshop.teams.find("Plain")
        assert green is not None and blue is not None and plain is not None
        assert (green.start, blue.start, plain.start) == ("copy:ana", "platform", None)
        # A start that is neither an example nor a session is refused, with the reason.
        from bmc_tui.serve.hub import Grant
        from bmc_tui.serve.protocol import Request

        boss = Grant(None, "facilitator", facilitator=True)
        said = workshop._team_request(boss, Request("create", name="Odd", start="copy:../x"))
        assert said is not None and "starts empty" in said
        assert workshop.teams.find("Odd") is None
        # The canvases are made from those starts; Ana's own file is only read.
        copied = parse_toml(workshop._team_file(green).read_bytes())
        assert copied.strategy.vision == "Ana's own vision" and copied.title == "Team Green"
        assert parse_toml(workshop._team_file(blue).read_bytes()).canvas.customer_segments
        assert parse_toml(workshop._team_file(plain).read_bytes()).canvas.customer_segments == []
        assert (folder / "ana.toml").read_bytes() == before
    finally:
        await workshop.hub.close()
        shutil.rmtree(workshop._home, ignore_errors=True)


@pytest.mark.timeout(120)
async def test_over_ssh_a_team_is_summoned_and_each_member_votes_with_their_own_dots(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    from bmc_tui.room import Room, Summon, read_room, write_room
    from bmc_tui.votes import Candidate, new_vote, read_ballots

    roster = tmp_path / "roster.toml"
    roster.write_text('[[teams]]\nname = "Red"\nmembers = ["ana", "bo"]\n')
    server = serve("--open", "--roster", str(roster))
    folder = server.sessions_dir
    async with (
        await connect(server.port, "ana") as ana_conn,
        await connect(server.port, "bo") as bo_conn,
        await connect(server.port, "cy") as cy_conn,
    ):
        ana, bo = await _two_members_on_the_canvas(server, ana_conn, bo_conn)
        cy = await terminal(cy_conn, 120, 36)
        await cy.wait_for("Opening question", timeout=30)
        now = datetime.now(UTC).replace(microsecond=0)
        # The dashboard's summon of the team (by its id): both members, not Cy.
        write_room(folder, Room(summon=Summon("s1", "plan", "team:team-red", now)))
        for term in (ana, bo):
            await term.wait_for("brings you to Plan", timeout=15)  # type: ignore[attr-defined]
        # One member by name, though she works in the team's session.
        write_room(folder, Room(summon=Summon("s2", "fitness", "person:ana", now)))
        await ana.wait_for("brings you to Fitness", timeout=15)  # type: ignore[attr-defined]
        assert "brings you to Plan" not in cy.text
        assert "brings you to Fitness" not in bo.text  # type: ignore[attr-defined]
        vote = new_vote(
            "v1",
            "value_propositions",
            (
                Candidate("team-red/vp-1", "Fast fixes", "team-red", "Team Red"),
                Candidate("team-red/vp-2", "Loan bikes", "team-red", "Team Red"),
            ),
            scope="team-red",
            scope_title="Team Red",
            dots=3,
            one_per_item=False,
            opened_at=now,
            closes_at=None,
        )
        write_room(folder, replace(read_room(folder), votes=(vote,)))
        for term in (ana, bo):
            await term.wait_for("Your dots left: 3 of 3", timeout=15)  # type: ignore[attr-defined]
        ana.write(b"  ")  # type: ignore[attr-defined]
        await ana.wait_for("Your dots left: 1 of 3", timeout=15)  # type: ignore[attr-defined]
        bo.write(b"\x1b[B ")  # type: ignore[attr-defined]
        await bo.wait_for("Your dots left: 2 of 3", timeout=15)  # type: ignore[attr-defined]
        ballots = read_ballots(folder, vote)
        assert ballots == {"ana": {"team-red/vp-1": 2}, "bo": {"team-red/vp-2": 1}}


@contextlib.asynccontextmanager
async def _workshop_with_red(tmp_path: Path) -> AsyncIterator[tuple[Workshop, Path]]:
    """The server's real request handling and hub, in this loop; team Red with Ana in it."""
    from bmc_tui.serve.config import ServeConfig

    workshop = Workshop(ServeConfig(sessions_dir=tmp_path / "workshop"))
    await workshop.hub.start()
    try:
        red = workshop.teams.create("Red")
        workshop.teams.assign("ana", red)
        workshop._teams_changed()
        path = workshop._team_file(red)
        workshop.hub.open_team(red.team_id, path)
        yield workshop, path
    finally:
        await workshop.hub.close()
        shutil.rmtree(workshop._home, ignore_errors=True)


async def test_a_rename_reaches_the_teams_file_members_spotlight_and_gallery(
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime

    from textual.widgets import Input, Static

    from bmc_tui.room import Room, Spotlight, read_room, write_room
    from bmc_tui.serve.dashboard.app import DashboardApp
    from bmc_tui.serve.dashboard.screens.gallery import GalleryScreen
    from bmc_tui.serve.dashboard.screens.room import RoomScreen
    from bmc_tui.serve.dashboard.screens.teams import TeamNameScreen
    from bmc_tui.serve.member import TeamMember
    from bmc_tui.votes import Candidate, new_vote

    async with _workshop_with_red(tmp_path) as (workshop, path):
        folder = workshop.config.sessions_dir
        now = datetime.now(UTC).replace(microsecond=0)
        vote = new_vote(
            "v1",
            "customer_segments",
            (Candidate("team-red/cs-1", "Commuters", "team-red", "Team Red"),),
            scope="team-red",
            scope_title="Team Red",
            dots=3,
            one_per_item=False,
            opened_at=now,
            closes_at=None,
        )
        write_room(folder, Room(spotlight=Spotlight("team-red", "Team Red", now), votes=(vote,)))
        ana = TeamMember(workshop.hub.socket_path, workshop.hub.admit("team-red", "ana"))
        await ana.join()
        reading = asyncio.get_running_loop().create_task(ana.run())
        secret = workshop.hub.admit(None, "facilitator", facilitator=True)
        boss = DashboardApp(folder, hub=workshop.hub.socket_path, secret=secret)
        async with boss.run_test(size=(110, 30)) as pilot:
            await until(lambda: boss.teams_link is not None, 10, "the hub")
            await pilot.press("e")  # the team's row is the first
            await until(lambda: isinstance(boss.screen, TeamNameScreen), 3, "the dialog")
            boss.screen.query_one(Input).value = ""
            await pilot.press(*"Crimson", "enter")
            await until(lambda: workshop.teams.find("Crimson") is not None, 5, "renamed")
            # The team's file (check, export, list), by the hub: its only writer; and every
            # member's copy of it.
            await until(lambda: parse_toml(path.read_bytes()).title == "Team Crimson", 5)
            assert ana.replica is not None and ana.replica.session.title == "Team Crimson"
            assert ana.team_name("team-red") == "Crimson"
            spot = read_room(folder).spotlight
            assert spot is not None and spot.title == "Team Crimson"
            voted = read_room(folder).votes[0]
            assert voted.title == "Customer Segments of Team Crimson"
            assert [c.session_title for c in voted.candidates] == ["Team Crimson"]
            notices = [n.message for n in boss._notifications]
            assert "Team Red is now Team Crimson." in notices
            # The team by its name, not its file's id ("team-red is in the spotlight").
            await pilot.press("p", "p")  # ends the spotlight on it, then puts it back
            await until(
                lambda: (
                    "Team Crimson is in the spotlight on every screen."
                    in [n.message for n in boss._notifications]
                ),
                3,
                "the spotlight's notice",
            )
            await pilot.press("o")
            await until(
                lambda: "Team Crimson (read-only)" in str(boss.screen.sub_title), 3, "its view"
            )
            await pilot.press("escape")
            await until(lambda: isinstance(boss.screen, RoomScreen), 3, "the room")
            await pilot.press("g")
            await until(lambda: isinstance(boss.screen, GalleryScreen), 3, "the gallery")
            await until(
                lambda: any(
                    "Team Crimson" in str(s.render())
                    for s in boss.screen.query(".gallery-title")
                    if isinstance(s, Static)
                ),
                5,
                "the gallery's label",
            )
        ana.close()
        await reading


async def test_a_renamed_teams_members_see_its_new_name_in_their_header(tmp_path: Path) -> None:
    from bmc_tui.app import AppConfig, BmcApp
    from bmc_tui.serve.hub import Grant
    from bmc_tui.serve.protocol import Request
    from bmc_tui.widgets.team_bar import TeamBar

    async with _workshop_with_red(tmp_path) as (workshop, _):
        config = AppConfig(
            sessions_dir=workshop.config.sessions_dir,
            participant=True,
            settings_file=tmp_path / "ana-settings.toml",
            team_socket=workshop.hub.socket_path,
            team_secret=workshop.hub.admit("team-red", "ana"),
        )
        ana = BmcApp(config)
        async with ana.run_test(size=(120, 36)):
            await until(lambda: ana.sub_title == "Team Red: Team Red", 10, "ana in Red")
            boss = Grant(None, "facilitator", facilitator=True)
            assert workshop._team_request(boss, Request("rename", "team-red", "Crimson")) is None
            await until(lambda: ana.sub_title == "Team Crimson: Team Crimson", 5, "header")
            bar = ana.screen.query_one(TeamBar)
            await until(lambda: "Team Crimson" in str(bar.render()), 5, "the team's line")


async def test_the_rename_dialog_starts_from_the_whole_name(tmp_path: Path) -> None:
    from textual.widgets import Input

    from bmc_tui.serve.dashboard.app import DashboardApp
    from bmc_tui.serve.dashboard.screens.room import RoomScreen
    from bmc_tui.serve.dashboard.screens.teams import TeamNameScreen

    long = "Green Grocers of the Northern Quarter"  # "Team " and it is cut in the table
    async with _workshop_with_red(tmp_path) as (workshop, path):
        red = workshop.teams.find("Red")
        assert red is not None
        workshop.teams.rename(red, long)
        workshop._teams_changed()
        folder = workshop.config.sessions_dir
        secret = workshop.hub.admit(None, "facilitator", facilitator=True)
        boss = DashboardApp(folder, hub=workshop.hub.socket_path, secret=secret)
        async with boss.run_test(size=(110, 30)) as pilot:
            await until(lambda: boss.teams_link is not None, 10, "the hub")
            await pilot.press("e")
            await until(lambda: isinstance(boss.screen, TeamNameScreen), 3, "the dialog")
            assert boss.screen.query_one(Input).value == long
            await pilot.press("end", "backspace", *"r!", "enter")
            await until(lambda: isinstance(boss.screen, RoomScreen), 3, "back")
            await until(lambda: workshop.teams.find(long[:-1] + "r!") is not None, 5, "renamed")
        assert "…" not in (folder / ".serve" / "teams.toml").read_text()


async def test_a_new_team_has_a_row_at_once_and_a_member_is_moved_from_the_teams_row(
    tmp_path: Path,
) -> None:
    from textual.widgets import DataTable, Label

    from bmc_tui.serve.dashboard.app import DashboardApp
    from bmc_tui.serve.dashboard.screens.room import RoomScreen
    from bmc_tui.serve.dashboard.screens.teams import (
        NewTeamScreen,
        PickMemberScreen,
        PickTeamScreen,
    )

    async with _workshop_with_red(tmp_path) as (workshop, _):
        folder = workshop.config.sessions_dir
        secret = workshop.hub.admit(None, "facilitator", facilitator=True)
        boss = DashboardApp(folder, hub=workshop.hub.socket_path, secret=secret)
        async with boss.run_test(size=(110, 30)) as pilot:
            await until(lambda: boss.teams_link is not None, 10, "the hub")
            table = boss.screen.query_one(DataTable)
            await until(lambda: table.row_count == 2, 3, "Red and Ana")  # she is not here
            await pilot.press("n")
            await until(lambda: isinstance(boss.screen, NewTeamScreen), 3, "the dialog")
            await pilot.press(*"Gold", "enter")
            # Its row at once, before anyone is in it (its canvas is made with the first).
            await until(lambda: "team-gold" in [k.value for k in table.rows], 3, "its row")
            assert str(table.get_row("team-gold")[0]) == "○ Team Gold 0/0"
            assert not (folder / "team-gold.toml").exists()
            notices = [n.message for n in boss._notifications]
            assert "Team Gold is ready: m puts people in it." in notices
            # m on a team's row: which member, then where to (their team now is said).
            table.move_cursor(row=0)
            await pilot.press("m")
            await until(lambda: isinstance(boss.screen, PickMemberScreen), 3, "whom")
            await pilot.press("enter")  # Ana, the only one
            await until(lambda: isinstance(boss.screen, PickTeamScreen), 3, "where to")
            labels = [str(label.render()) for label in boss.screen.query(Label)]
            assert labels[:2] == ["Move ana to:", "Now in Team Red."]
            await pilot.press("down", "enter")  # past Red (now) to Gold
            await until(lambda: isinstance(boss.screen, RoomScreen), 3, "back")
            await until(lambda: workshop.teams.team_of("ana") is not None, 5, "moved")
            assert workshop.teams.team_of("ana").name == "Gold"  # type: ignore[union-attr]
