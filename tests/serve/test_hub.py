"""The team hub over its real Unix socket, with members' real client code (no SSH here)."""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bmc_tui.codec import parse_toml
from bmc_tui.collab import Change, same_content
from bmc_tui.serve.hub import Hub
from bmc_tui.serve.member import TeamError, TeamMember
from bmc_tui.serve.protocol import MAX_CLIENT_MESSAGE, encode
from bmc_tui.store import Store


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.01)


@pytest.fixture
async def hub(tmp_path: Path) -> AsyncIterator[Hub]:
    store = Store(tmp_path / "workshop")
    for team in ("red", "blue"):
        store.close(store.create(team.capitalize(), team))
    # A short private folder: a Unix socket's path has a small length limit.
    with tempfile.TemporaryDirectory(prefix="hub-") as folder:
        hub = Hub(store, Path(folder) / "hub.sock")
        await hub.start()
        hub.open_team("red", store.path_for("red"))
        hub.open_team("blue", store.path_for("blue"))
        try:
            yield hub
        finally:
            await hub.close()


async def member(hub: Hub, team: str, person: str) -> tuple[TeamMember, list[Change]]:
    changes: list[Change] = []
    link = TeamMember(hub.socket_path, hub.admit(team, person), on_change=changes.append)
    await link.join()
    asyncio.get_running_loop().create_task(link.run())
    return link, changes


def saved(hub: Hub, team: str) -> str:
    return (hub.store.path_for(team)).read_text()


async def test_changes_reach_every_member_in_one_order_and_the_file(hub: Hub) -> None:
    ana, _ = await member(hub, "red", "ana")
    bo, bo_changes = await member(hub, "red", "bo")
    assert ana.replica is not None and bo.replica is not None
    item = ana.replica.editor.add_item("customer_segments", "Commuters")
    bo.replica.editor.set_answer("q1", "because")
    await until(lambda: bo.replica.session.find(item.id) is not None)  # type: ignore[union-attr]
    await until(lambda: "because" in str(ana.replica.session.social.answers))  # type: ignore[union-attr]
    assert any("customer_segments" in c.kinds for c in bo_changes)
    # Saved within a second of the change, by the hub alone.
    await until(lambda: "Commuters" in saved(hub, "red") and "because" in saved(hub, "red"), 3)
    on_disk = parse_toml(saved(hub, "red").encode())
    await until(lambda: not ana.replica.pending and not bo.replica.pending)  # type: ignore[union-attr]
    assert same_content(on_disk, ana.replica.session)
    assert same_content(on_disk, bo.replica.session)
    # The other team's file is untouched.
    assert "Commuters" not in saved(hub, "blue")
    ana.close()
    bo.close()


async def test_a_secret_opens_only_its_own_team_and_a_forgotten_one_nothing(hub: Hub) -> None:
    with pytest.raises(TeamError, match="not a member"):
        await TeamMember(hub.socket_path, "made-up-secret").join()
    secret = hub.admit("blue", "cy")
    cy = TeamMember(hub.socket_path, secret)
    replica = await cy.join()
    assert cy.team == "blue" and replica.session.id == "blue"
    cy.close()
    hub.forget(secret)
    with pytest.raises(TeamError, match="not a member"):
        await TeamMember(hub.socket_path, secret).join()
    assert hub.bad_messages == 2


async def test_malformed_and_oversized_messages_are_refused_and_the_team_carries_on(
    hub: Hub, caplog: pytest.LogCaptureFixture
) -> None:
    ana, _ = await member(hub, "red", "ana")
    reader, writer = await asyncio.open_unix_connection(str(hub.socket_path), limit=2**23)
    writer.write(encode({"type": "hello", "secret": hub.admit("red", "mallory")}))
    assert json.loads(await reader.readline())["type"] == "welcome"
    replies: list[dict[str, object]] = []

    async def next_of(kind: str) -> dict[str, object]:
        while True:
            message = json.loads(await asyncio.wait_for(reader.readline(), 10))
            if message["type"] == kind:
                return message  # type: ignore[no-any-return]

    for bad in (
        b"not json\n",
        b'{"type": "op", "n": 1, "base": 0, "op": {"name": "eval", "args": {}}}\n',
        b'{"type": "op", "n": 1, "base": 0}\n',
        b'{"type": "nonsense"}\n',
        b'{"type": "op", "n": 1, "base": 0, "op": {"name": "set_answer", "args": '
        + b'{"key": "q", "text": "'
        + b"x" * (MAX_CLIENT_MESSAGE + 10)
        + b'"}}}\n',
    ):
        writer.write(bad)
        replies.append(await next_of("error"))
    assert len(replies) == 5
    # An operation naming an unknown item: refused to its sender only, with the reason.
    writer.write(
        encode(
            {
                "type": "op",
                "n": 7,
                "base": 0,
                "op": {
                    "name": "set_text",
                    "args": {"kind": "channels", "item_id": "ch-ghost", "text": "boo"},
                },
            }
        )
    )
    refused = await next_of("refused")
    assert refused["n"] == 7 and "ch-ghost" in str(refused["reason"])
    assert hub.teams["red"].state.seq == 0
    # The team carries on: Ana's change goes through.
    assert ana.replica is not None
    ana.replica.editor.set_answer("q1", "still here")
    await until(lambda: hub.teams["red"].state.session.social.answers.get("q1") == "still here")
    assert hub.bad_messages >= 5
    assert "refused a message from mallory" in caplog.text
    writer.close()
    ana.close()


async def test_the_same_person_again_takes_over_and_gets_the_current_session(hub: Hub) -> None:
    ana, _ = await member(hub, "red", "ana")
    assert ana.replica is not None
    ana.replica.editor.set_answer("q1", "first")
    await until(lambda: not ana.replica.pending)  # type: ignore[union-attr]
    again, _ = await member(hub, "red", "ana")
    assert again.replica is not None
    assert again.replica.session.social.answers == {"q1": "first"}
    await until(lambda: not ana.connected)
    assert hub.teams["red"].people == ["ana"]
    again.close()


async def test_close_saves_what_is_pending(hub: Hub) -> None:
    ana, _ = await member(hub, "red", "ana")
    assert ana.replica is not None
    ana.replica.editor.set_strategy_field("vision", "Everyone on a bike")
    await until(lambda: hub.teams["red"].state.session.strategy.vision is not None)
    await hub.close()
    assert "Everyone on a bike" in saved(hub, "red")
    ana.close()


async def test_presence_says_who_is_in_and_where(hub: Hub) -> None:
    ana, _ = await member(hub, "red", "ana")
    bo, _ = await member(hub, "red", "bo")
    bo.send_presence("canvas", ("customer_segments", "cs-x", "text"))
    await until(lambda: ana.presence.get("bo") is not None and ana.presence["bo"].step == "canvas")
    assert ana.presence["bo"].editing == ("customer_segments", "cs-x", "text")
    bo.close()
    await until(lambda: "bo" not in ana.presence)
    ana.close()


async def test_a_team_file_changed_by_another_program_is_not_overwritten(hub: Hub) -> None:
    ana, changes = await member(hub, "red", "ana")
    assert ana.replica is not None
    ana.replica.editor.set_answer("q1", "ours")
    await until(lambda: "ours" in saved(hub, "red"), 3)
    path = hub.store.path_for("red")
    theirs = saved(hub, "red").replace('title = "Red"', 'title = "Edited elsewhere"')
    path.write_text(theirs)
    ana.replica.editor.set_answer("q1", "ours again")
    await until(lambda: hub.teams["red"].problem is not None, 5)
    assert path.read_text() == theirs  # never overwritten
    # From now on changes are refused with the reason, and nothing is applied.
    seq = hub.teams["red"].state.seq
    ana.replica.editor.set_answer("q2", "more")
    await until(lambda: any("another program" in n for c in changes for n in c.notices), 5)
    assert hub.teams["red"].state.seq == seq
    ana.close()


async def test_a_vote_closed_while_the_team_was_away_is_kept_when_its_canvas_opens(
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime

    from bmc_tui.room import Room, write_room
    from bmc_tui.votes import Candidate, new_vote

    store = Store(tmp_path / "workshop")
    store.close(store.create("Green", "green"))
    now = datetime.now(UTC).replace(microsecond=0)
    vote = new_vote(
        "v1",
        "value_propositions",
        (Candidate("green/vp-1", "Fast fixes", "green", "Green"),),
        scope="green",
        scope_title="Green",
        dots=3,
        one_per_item=False,
        opened_at=now,
        closes_at=None,
    )
    from dataclasses import replace

    closed = replace(vote, closed_at=now, result=(("green/vp-1", 3),), voters=1)
    other = replace(closed, id="v2", scope="someone-else")
    write_room(store.root, Room(votes=(closed, other)))
    with tempfile.TemporaryDirectory(prefix="hub-") as folder:
        hub = Hub(store, Path(folder) / "hub.sock")
        await hub.start()
        hub.open_team("green", store.path_for("green"))
        await until(lambda: "room_votes" in saved(hub, "green"), 3)
        ana, _ = await member(hub, "green", "ana")
        assert ana.replica is not None
        ana.replica.editor.set_answer("q1", "still saved")
        await until(lambda: "still saved" in saved(hub, "green"), 3)
        ana.close()
        await hub.close()
    kept = parse_toml(saved(hub, "green").encode()).extra["room_votes"]
    assert [v["id"] for v in kept] == ["v1"]


async def test_the_hub_knows_each_members_step_and_says_when_it_changes(hub: Hub) -> None:
    told: list[int] = []
    hub.on_presence = lambda: told.append(1)
    ana, _ = await member(hub, "red", "ana")
    bo, _ = await member(hub, "blue", "bo")
    await until(lambda: len(told) >= 2)
    assert hub.steps() == {}  # nothing said yet
    ana.send_presence("plan", None)
    bo.send_presence("canvas", ("customer_segments", "cs-1", "text"))
    await until(lambda: hub.steps() == {"ana": "plan", "bo": "canvas"})
    assert len(told) >= 4
    ana.close()
    bo.close()


async def test_a_new_title_reaches_every_member_and_the_file_opened_or_not(hub: Hub) -> None:
    ana, ana_changes = await member(hub, "red", "ana")
    hub.set_title("red", hub.store.path_for("red"), "Team Crimson")
    await until(lambda: ana.replica.session.title == "Team Crimson")  # type: ignore[union-attr]
    assert any(("session", "title") in c.keys for c in ana_changes)
    await until(lambda: 'title = "Team Crimson"' in saved(hub, "red"), 3)
    # A team nobody has opened yet: the hub opens its file (it is its only writer).
    hub.store.close(hub.store.create("Team Green", "green"))
    hub.set_title("green", hub.store.path_for("green"), "Team Olive")
    await until(lambda: 'title = "Team Olive"' in saved(hub, "green"), 3)
    # One not made yet: nothing to do (it is made under its new name).
    hub.set_title("gold", hub.store.path_for("gold"), "Team Amber")
    assert not hub.store.path_for("gold").exists() and "gold" not in hub.teams
    ana.close()
