"""The room and teams together: members' apps (in this process) on one team session through
a real team hub, and the room file as the dashboard writes it. A team shares a session,
not a person: a summon of the team or of one member, and each member's own dots."""

from __future__ import annotations

import re
import tempfile
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bmc_tui.codec import parse_toml
from bmc_tui.model import Item
from bmc_tui.room import Room, Summon, read_room, write_room
from bmc_tui.screens.canvas import CanvasScreen
from bmc_tui.screens.fitness import FitnessScreen
from bmc_tui.screens.plan import PlanScreen
from bmc_tui.screens.vote import VoteScreen
from bmc_tui.serve.hub import Hub
from bmc_tui.store import Store
from bmc_tui.votes import Candidate, new_vote, read_ballot, read_ballots

from .conftest import member_app, wait_for

TEAMS = {"teams": [{"id": "red", "name": "Red", "members": ["ana", "bo"]}]}


@pytest.fixture
async def hub(sessions_dir: Path) -> AsyncIterator[Hub]:
    store = Store(sessions_dir)
    handle = store.create("Red", "red")
    handle.session.canvas.value_propositions.extend(
        [Item("vp-1", "Fast fixes"), Item("vp-2", "Loan bikes")]
    )
    store.save(handle)
    store.close(handle)
    path = handle.path
    path.write_text(re.sub(r'(?m)^step = ".*"$', 'step = "canvas"', path.read_text()))
    with tempfile.TemporaryDirectory(prefix="hub-") as folder:
        hub = Hub(store, Path(folder) / "hub.sock")
        await hub.start()
        hub.publish_teams(TEAMS)
        hub.open_team("red", path)
        try:
            yield hub
        finally:
            await hub.close()


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _summon(folder: Path, step: str, target: str, sid: str) -> None:
    write_room(folder, replace(read_room(folder), summon=Summon(sid, step, target, _now())))


def _vote(**changes: object) -> object:
    vote = new_vote(
        "v1",
        "value_propositions",
        (
            Candidate("red/vp-1", "Fast fixes", "red", "Red"),
            Candidate("red/vp-2", "Loan bikes", "red", "Red"),
        ),
        scope="red",
        scope_title="Red",
        dots=3,
        one_per_item=False,
        opened_at=_now() - timedelta(minutes=1),
        closes_at=None,
    )
    return replace(vote, **changes)


async def test_a_team_summon_moves_its_members_and_one_member_can_be_summoned_alone(
    hub: Hub, sessions_dir: Path
) -> None:
    ana, bo = member_app(hub, sessions_dir, "ana"), member_app(hub, sessions_dir, "bo")
    async with ana.run_test(size=(120, 40)) as pa, bo.run_test(size=(120, 40)) as pb:
        for pilot, app in ((pa, ana), (pb, bo)):
            await wait_for(pilot, lambda app=app: isinstance(app.screen, CanvasScreen), 10)
        _summon(sessions_dir, "plan", "team:red", "s1")
        await wait_for(pa, lambda: isinstance(ana.screen, PlanScreen), 5, "ana moved")
        await wait_for(pb, lambda: isinstance(bo.screen, PlanScreen), 5, "bo moved")
        # One person of the team: found by their name, not by the team's session.
        _summon(sessions_dir, "fitness", "person:bo", "s2")
        await wait_for(pb, lambda: isinstance(bo.screen, FitnessScreen), 5, "bo moved alone")
        await pa.pause(0.3)
        assert isinstance(ana.screen, PlanScreen)
        # Another team's summon leaves them where they are.
        _summon(sessions_dir, "canvas", "team:blue", "s3")
        await pb.pause(0.3)
        assert isinstance(ana.screen, PlanScreen) and isinstance(bo.screen, FitnessScreen)


async def test_each_member_has_their_own_dots_and_a_reconnect_keeps_them(
    hub: Hub, sessions_dir: Path
) -> None:
    write_room(sessions_dir, Room(votes=(_vote(),)))  # type: ignore[arg-type]
    ana, bo = member_app(hub, sessions_dir, "ana"), member_app(hub, sessions_dir, "bo")
    async with ana.run_test(size=(120, 40)) as pa, bo.run_test(size=(120, 40)) as pb:
        for pilot, app in ((pa, ana), (pb, bo)):
            await wait_for(pilot, lambda app=app: isinstance(app.screen, VoteScreen), 10, "vote")
        await pa.press("space", "space")
        await pb.press("down", "space")
        vote = read_room(sessions_dir).votes[0]
        await wait_for(pb, lambda: read_ballot(sessions_dir, vote, "bo") == {"red/vp-2": 1})
        assert read_ballot(sessions_dir, vote, "ana") == {"red/vp-1": 2}
        assert set(read_ballots(sessions_dir, vote)) == {"ana", "bo"}
    again = member_app(hub, sessions_dir, "ana")
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, VoteScreen), 10, "vote")
        await pilot.press("down", "space")
        assert read_ballot(sessions_dir, vote, "ana") == {"red/vp-1": 2, "red/vp-2": 1}
    assert read_ballot(sessions_dir, vote, "bo") == {"red/vp-2": 1}


async def test_a_closed_vote_on_the_team_is_kept_by_the_hub_and_the_team_keeps_saving(
    hub: Hub, sessions_dir: Path
) -> None:
    path = hub.store.path_for("red")
    write_room(sessions_dir, Room(votes=(_vote(),)))  # type: ignore[arg-type]
    ana = member_app(hub, sessions_dir, "ana")
    async with ana.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(ana.screen, VoteScreen), 10, "the vote")
        closed = _vote(closed_at=_now(), result=(("red/vp-1", 1), ("red/vp-2", 4)), voters=2)
        write_room(sessions_dir, Room(votes=(closed,)))  # type: ignore[arg-type]
        await wait_for(pilot, lambda: "room_votes" in path.read_text(), 5, "the copy")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(ana.screen, CanvasScreen), 5, "back")
        # The hub wrote it: the team goes on saving (no "changed by another program").
        await pilot.press("a", *"After the vote", "enter")
        await wait_for(pilot, lambda: "After the vote" in path.read_text(), 5, "saved")
    assert hub.teams["red"].problem is None
    session = parse_toml(path.read_bytes())
    kept = session.extra["room_votes"]
    assert [v["id"] for v in kept] == ["v1"]
    assert [(r["text"], r["dots"]) for r in kept[0]["results"]] == [
        ("Loan bikes", 4),
        ("Fast fixes", 1),
    ]
    # Asked again (another member, a reconnect): nothing is added twice.
    hub.keep_votes(hub.teams["red"])
    hub.flush()
    assert len(parse_toml(path.read_bytes()).extra["room_votes"]) == 1
