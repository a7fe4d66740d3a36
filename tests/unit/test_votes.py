"""Dot voting: what a ballot may hold and how dots are counted, whatever is typed or written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bmc_tui.model import Item, Session
from bmc_tui.votes import (
    Candidate,
    Vote,
    VoteError,
    add_dot,
    candidates_from,
    clean_ballot,
    dots_used,
    new_vote,
    read_ballot,
    read_ballots,
    remove_dot,
    tally,
    write_ballot,
)

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def _vote(n: int = 4, dots: int = 3, one: bool = False) -> Vote:
    candidates = tuple(Candidate(f"s/c{i}", f"idea {i}", "s", "S") for i in range(n))
    return new_vote(
        "v1",
        "value_propositions",
        candidates,
        scope="s",
        scope_title="S",
        dots=dots,
        one_per_item=one,
        opened_at=NOW,
        closes_at=None,
    )


def _session(session_id: str, *texts: str) -> tuple[str, Session]:
    session = Session.new(session_id, session_id.title())
    session.canvas.value_propositions.extend(Item(f"vp-{i}", t) for i, t in enumerate(texts))
    return session_id, session


def test_candidates_come_from_one_block_of_every_session_given() -> None:
    found = candidates_from(
        [_session("ana", "Fast coffee", "  "), _session("bob", "Bike fix")], "value_propositions"
    )
    assert [(c.key, c.text, c.session) for c in found] == [
        ("ana/vp-0", "Fast coffee", "ana"),
        ("bob/vp-0", "Bike fix", "bob"),
    ]  # an item without text is no candidate


def test_a_vote_on_an_empty_list_is_refused_with_a_message() -> None:
    with pytest.raises(VoteError, match="Nothing to vote on: Value Propositions is empty"):
        new_vote(
            "v1",
            "value_propositions",
            candidates_from([_session("ana")], "value_propositions"),
            scope=None,
            scope_title="",
            dots=3,
            one_per_item=False,
            opened_at=NOW,
            closes_at=None,
        )


def test_bad_dots_and_a_past_closing_time_are_refused() -> None:
    c = (Candidate("s/a", "a", "s", "S"),)
    common = {"scope": None, "scope_title": "", "one_per_item": False, "opened_at": NOW}
    with pytest.raises(VoteError, match="between 1 and"):
        new_vote("v", "channels", c, dots=0, closes_at=None, **common)  # type: ignore[arg-type]
    with pytest.raises(VoteError, match="future"):
        new_vote("v", "channels", c, dots=3, closes_at=NOW - timedelta(minutes=1), **common)  # type: ignore[arg-type]


def test_dots_stop_at_n_and_never_go_below_none() -> None:
    vote = _vote(dots=3)
    ballot: dict[str, int] = {}
    for _ in range(5):
        ballot = add_dot(vote, ballot, "s/c0")
    assert ballot == {"s/c0": 3}
    ballot = add_dot(vote, ballot, "s/c1")
    assert dots_used(ballot) == 3
    for _ in range(5):
        ballot = remove_dot(vote, ballot, "s/c0")
    assert ballot == {}
    assert remove_dot(vote, ballot, "s/c2") == {}
    assert add_dot(vote, ballot, "nobody/x") == {}


def test_one_dot_per_item_when_the_vote_says_so() -> None:
    vote = _vote(dots=3, one=True)
    ballot = add_dot(vote, add_dot(vote, {}, "s/c0"), "s/c0")
    assert ballot == {"s/c0": 1}


def test_a_hand_written_ballot_is_cut_to_what_the_vote_allows() -> None:
    vote = _vote(dots=3)
    raw = {"s/c0": 2, "s/c1": 5, "s/c2": -4, "s/c3": True, "x/y": 3, "s/c9": 1.5}
    assert clean_ballot(vote, raw) == {"s/c0": 2, "s/c1": 1}
    assert clean_ballot(vote, "not a table") == {}


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(1, 6),
    dots=st.integers(1, 6),
    one=st.booleans(),
    keys=st.lists(st.tuples(st.booleans(), st.integers(0, 7)), max_size=60),
)
def test_no_sequence_of_keys_breaks_the_limits(
    n: int, dots: int, one: bool, keys: list[tuple[bool, int]]
) -> None:
    vote = _vote(n, dots, one)
    ballot: dict[str, int] = {}
    for add, index in keys:
        key = f"s/c{index}"  # indexes past n are keys of no candidate
        ballot = add_dot(vote, ballot, key) if add else remove_dot(vote, ballot, key)
        assert all(count >= 1 for count in ballot.values())
        assert dots_used(ballot) <= vote.dots
        if one:
            assert all(count == 1 for count in ballot.values())


@settings(max_examples=200, deadline=None)
@given(
    ballots=st.lists(
        st.dictionaries(
            st.sampled_from(["s/c0", "s/c1", "s/c2", "zz", ""]),
            st.one_of(st.integers(-10, 10), st.booleans(), st.floats(), st.text(max_size=3)),
        ),
        max_size=8,
    )
)
def test_a_tally_never_goes_negative_or_past_n_per_person(ballots: list[dict[str, object]]) -> None:
    vote = _vote(3, 3)
    counts = tally(vote, ballots)
    assert set(counts) == {c.key for c in vote.candidates}
    assert all(v >= 0 for v in counts.values())
    assert sum(counts.values()) <= 3 * len(ballots)


def test_ballot_files_round_trip_and_bad_ones_count_for_nothing(tmp_path: Path) -> None:
    vote = _vote(dots=3)
    write_ballot(tmp_path, vote, "ana", {"s/c1": 2})
    write_ballot(tmp_path, vote, "bob", {"s/c1": 1, "s/c2": 1})
    assert read_ballot(tmp_path, vote, "ana") == {"s/c1": 2}
    folder = tmp_path / ".serve" / "votes" / "v1"
    (folder / "eve.toml").write_text('vote = "v1"\n[dots]\n"s/c0" = 99\n')
    (folder / "mal.toml").write_bytes(b"\xff\xfe not toml")
    (folder / "old.toml").write_text('vote = "v0"\n[dots]\n"s/c0" = 1\n')
    ballots = read_ballots(tmp_path, vote)
    assert ballots == {"ana": {"s/c1": 2}, "bob": {"s/c1": 1, "s/c2": 1}, "eve": {"s/c0": 3}}
    assert tally(vote, ballots.values()) == {"s/c0": 3, "s/c1": 3, "s/c2": 1, "s/c3": 0}
    with pytest.raises(ValueError):
        write_ballot(tmp_path, vote, "../ana", {})
