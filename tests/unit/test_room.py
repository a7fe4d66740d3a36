"""The room file: every part written by the dashboard reads back the same; bad parts are
dropped, never fatal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bmc_tui.room import (
    EVERYONE,
    Room,
    Spotlight,
    Summon,
    fresh_id,
    read_room,
    room_path,
    write_room,
)
from bmc_tui.votes import Candidate, Vote

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def _vote(vote_id: str, closed: bool = False) -> Vote:
    candidates = (
        Candidate("ana/vp-1", "Fast coffee", "ana", "Ana"),
        Candidate("bob/vp-1", 'Bikes "fixed"\\', "bob", "Bob"),
    )
    return Vote(
        vote_id,
        "value_propositions",
        None,
        "",
        3,
        True,
        candidates,
        NOW,
        NOW + timedelta(minutes=5),
        NOW + timedelta(minutes=2) if closed else None,
        (("ana/vp-1", 4), ("bob/vp-1", 0)) if closed else None,
        2 if closed else 0,
    )


def test_every_part_of_the_room_round_trips(tmp_path: Path) -> None:
    room = Room(
        announcement="Break at 11",
        announced_at=NOW,
        timebox_step="canvas",
        timebox_ends=NOW + timedelta(minutes=10),
        summon=Summon("20261129-100000", "canvas", EVERYONE, NOW),
        spotlight=Spotlight("ana", "Ana's café", NOW),
        votes=(_vote("20261129-090000", closed=True), _vote("20261129-100000")),
    )
    write_room(tmp_path, room)
    assert read_room(tmp_path) == room
    assert read_room(tmp_path).open_vote(NOW) == room.votes[1]
    assert read_room(tmp_path).open_vote(NOW + timedelta(minutes=6)) is None


def test_summon_targets() -> None:
    s = Summon("x", "canvas", EVERYONE, NOW)
    assert s.applies_to("ana")
    ana = Summon("x", "canvas", "person:ana", NOW)
    assert ana.applies_to("ana") and not ana.applies_to("bob")
    red = Summon("x", "canvas", "team:red", NOW)
    assert red.applies_to("ana", frozenset({"red"})) and not red.applies_to("ana")


def test_a_hand_broken_room_file_keeps_what_is_sound(tmp_path: Path) -> None:
    room_path(tmp_path).write_text(
        'announcement = "Hello"\n'
        '[summon]\nid = "../x"\nstep = "canvas"\ntarget = "all"\nat = 2026-11-29T10:00:00Z\n'
        '[spotlight]\nsession = "ana"\nsince = 2026-11-29T10:00:00\n'  # no time zone
        '[[votes]]\nid = "v1"\nblock = "channels"\ndots = -2\nopened_at = 2026-11-29T10:00:00Z\n'
        '[[votes]]\nid = "v2"\nblock = "channels"\ndots = 2\nopened_at = 2026-11-29T10:00:00Z\n'
        '[[votes.candidates]]\nkey = "a/1"\ntext = "x"\nsession = "a"\ntitle = "A"\n'
        '[votes.result]\n"a/1" = -3\n"zz" = 4\n'
    )
    room = read_room(tmp_path)
    assert room.announcement == "Hello"
    assert room.summon is None and room.spotlight is None
    assert [v.id for v in room.votes] == ["v2"]
    assert room.votes[0].result == ()


def test_old_votes_give_way_but_the_open_one_stays(tmp_path: Path) -> None:
    votes = tuple(_vote(f"v{n:03d}", closed=True) for n in range(40)) + (_vote("open"),)
    write_room(tmp_path, Room(votes=votes))
    kept = read_room(tmp_path).votes
    assert len(kept) == 30 and kept[-1].id == "open"


def test_fresh_ids_never_repeat() -> None:
    first = fresh_id(NOW)
    assert first == "20261129-100000"
    assert fresh_id(NOW, [first]) == "20261129-100000-2"
    assert fresh_id(NOW, [first, "20261129-100000-2"]) == "20261129-100000-3"
