"""Teams editing one session: the operations, the team's copy (the hub's) and members' copies.

The network is simulated here by queues, so every interleaving can be tried; the real
sockets are tested in tests/serve/test_hub.py.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bmc_tui.codec import dump_toml, parse_toml
from bmc_tui.collab import (
    Applied,
    BadOperation,
    Op,
    Refused,
    Replica,
    TeamState,
    same_content,
)
from bmc_tui.editing import EditError, UnknownName
from bmc_tui.model import Item, Segment, Session
from bmc_tui.store import Store


def base_session() -> Session:
    session = Session.new("team", "Team")
    session.canvas.customer_segments.append(Segment(id="cs-commuters", text="Commuters"))
    session.canvas.value_propositions.append(
        Item(id="vp-fast", text="Fast", links={"segments": ["cs-commuters"]})
    )
    return session


@dataclass
class Net:
    """A hub and members joined by queues: nothing moves until a test says so."""

    hub: TeamState
    members: dict[str, Replica] = field(default_factory=dict)
    outbox: dict[str, deque[tuple[int, int, Op]]] = field(default_factory=dict)
    inbox: dict[str, deque[tuple[str, object]]] = field(default_factory=dict)
    notices: dict[str, list[str]] = field(default_factory=dict)

    def join(self, name: str) -> Replica:
        session = parse_toml(dump_toml(self.hub.session).encode())
        self.outbox[name] = deque()
        self.inbox[name] = deque()
        self.notices[name] = []
        replica = Replica(
            session,
            seq=self.hub.seq,
            me=name,
            send=lambda n, base, op, who=name: self.outbox[who].append((n, base, op)),
        )
        self.members[name] = replica
        return replica

    def to_hub(self, name: str) -> None:
        n, base, op = self.outbox[name].popleft()
        try:
            applied = self.hub.apply(name, op, base=base, client=name, n=n)
        except Refused as error:
            self.inbox[name].append(("refused", (n, str(error))))
            return
        for member in self.members:
            self.inbox[member].append(("applied", applied))

    def to_member(self, name: str) -> None:
        kind, payload = self.inbox[name].popleft()
        replica = self.members[name]
        if kind == "applied":
            assert isinstance(payload, Applied)
            change = replica.receive(payload, mine=payload.client == name)
        else:
            n, reason = payload  # type: ignore[misc]
            change = replica.refused(n, reason)
        self.notices[name] += change.notices

    def settle(self) -> None:
        while any(self.outbox.values()) or any(self.inbox.values()):
            for name in self.members:
                while self.outbox[name]:
                    self.to_hub(name)
            for name in self.members:
                while self.inbox[name]:
                    self.to_member(name)


def net_of(*names: str) -> Net:
    net = Net(TeamState(base_session()))
    for name in names:
        net.join(name)
    return net


# -- operations --------------------------------------------------------------------


def test_operations_are_checked_before_anything_is_applied() -> None:
    with pytest.raises(BadOperation, match="not an operation"):
        Op.parse({"name": "__class__", "args": {}})
    with pytest.raises(BadOperation, match="missing"):
        Op.parse({"name": "set_text", "args": {"kind": "customer_segments", "item_id": "x"}})
    with pytest.raises(BadOperation, match="wrong type"):
        Op.make("set_text", kind="customer_segments", item_id="cs-commuters", text=5)
    with pytest.raises(BadOperation, match="unknown argument"):
        Op.make("delete", kind="channels", item_id="x", sneaky=1)
    with pytest.raises(BadOperation, match="each member's own"):
        Op.make("set_session_field", name="step", value="plan")
    with pytest.raises(BadOperation):
        Op.parse(["set_text"])


def test_unknown_items_and_fields_are_refused_and_nothing_changes() -> None:
    hub = TeamState(base_session())
    before = dump_toml(hub.session)
    for op, words in [
        (Op.make("set_text", kind="channels", item_id="cs-commuters", text="x"), "no channel"),
        (Op.make("set_text", kind="customer_segments", item_id="nope", text="x"), "“nope”"),
        (Op.make("set_field", kind="plan", item_id="a-1", name="owner", value="x"), "no plan"),
        (
            Op.make(
                "set_field", kind="customer_segments", item_id="cs-commuters", name="x", value=1
            ),
            "not a field",
        ),
        (
            Op.make(
                "set_links",
                kind="value_propositions",
                item_id="vp-fast",
                field="segments",
                ids=["cs-commuters", "ghost"],
            ),
            "ghost",
        ),
        (Op.make("delete", kind="kinds", item_id="vp-fast"), "not a kind"),
        (Op.make("add_item", kind="channels", item_id="cs-commuters", text="dup"), "in use"),
        (Op.make("add_item", kind="channels", item_id="Bad Id", text="x"), "not an item id"),
        (Op.make("set_rating", key="nope", value=3), "not a principle"),
        (Op.make("set_strategy_field", name="nope", value="x"), "not a strategy field"),
    ]:
        with pytest.raises(Refused, match=words):
            hub.apply("ana", op, base=0)
    assert hub.seq == 0
    assert dump_toml(hub.session) == before


def test_the_hub_orders_operations_and_the_last_writer_wins_per_field() -> None:
    net = net_of("ana", "bo")
    ana, bo = net.members["ana"], net.members["bo"]
    ana.editor.set_text("customer_segments", "cs-commuters", "Ana's")
    bo.editor.set_text("customer_segments", "cs-commuters", "Bo's")
    bo.editor.set_text("value_propositions", "vp-fast", "Bo's vp")
    # Bo's reach the hub first, then Ana's: Ana's text is the later one and wins.
    net.to_hub("bo")
    net.to_hub("bo")
    net.to_hub("ana")
    net.settle()
    for replica in (ana, bo):
        assert replica.session.find("cs-commuters")[1].text == "Ana's"  # type: ignore[index]
        assert replica.session.find("vp-fast")[1].text == "Bo's vp"  # type: ignore[index]
        assert same_content(replica.session, net.hub.session)
    assert net.hub.seq == 3


def test_two_fields_of_one_item_both_survive() -> None:
    net = Net(TeamState(base_session()))
    net.hub.apply("x", Op.make("add_item", kind="plan", item_id="a-launch", text="Launch"), base=0)
    ana, bo = net.join("ana"), net.join("bo")
    ana.editor.set_field("plan", "a-launch", "owner", "Ana")
    bo.editor.set_field("plan", "a-launch", "kpi", "signups")
    net.settle()
    for replica in (ana, bo):
        item = replica.session.find("a-launch")[1]  # type: ignore[index]
        assert (item.owner, item.kpi) == ("Ana", "signups")  # type: ignore[attr-defined]


def test_the_overwritten_member_is_told_once_and_ctrl_z_brings_their_text_back() -> None:
    net = net_of("ana", "bo")
    ana, bo = net.members["ana"], net.members["bo"]
    ana.editor.set_text("customer_segments", "cs-commuters", "Ana typed this")
    net.to_hub("ana")
    # Bo types before Ana's change reaches him: his replaces hers, unseen.
    bo.editor.set_text("customer_segments", "cs-commuters", "Bo typed this")
    net.to_hub("bo")
    net.settle()
    assert len(net.notices["ana"]) == 1
    assert "bo changed" in net.notices["ana"][0] and "Ctrl+Z" in net.notices["ana"][0]
    assert net.notices["bo"] == []
    assert ana.session.find("cs-commuters")[1].text == "Bo typed this"  # type: ignore[index]
    assert ana.editor.undo() == "Bring back your text"
    net.settle()
    for replica in (ana, bo):
        assert replica.session.find("cs-commuters")[1].text == "Ana typed this"  # type: ignore[index]


def test_undo_undoes_only_my_changes_never_a_teammates() -> None:
    net = net_of("ana", "bo")
    ana, bo = net.members["ana"], net.members["bo"]
    ana.editor.set_text("customer_segments", "cs-commuters", "Ana")
    net.settle()
    bo.editor.set_text("value_propositions", "vp-fast", "Bo")
    net.settle()
    # Ana's undo takes back her text and leaves Bo's alone.
    assert ana.editor.undo() is not None
    net.settle()
    for replica in (ana, bo):
        assert replica.session.find("cs-commuters")[1].text == "Commuters"  # type: ignore[index]
        assert replica.session.find("vp-fast")[1].text == "Bo"  # type: ignore[index]
    # Redo puts hers back.
    assert ana.editor.redo() is not None
    net.settle()
    assert bo.session.find("cs-commuters")[1].text == "Ana"  # type: ignore[index]
    # Once Bo has changed the field after her, her undo would remove his change: refused.
    bo.editor.set_text("customer_segments", "cs-commuters", "Bo's now")
    net.settle()
    said = ana.editor.undo()
    assert said is not None and said.startswith("Not undone: bo")
    net.settle()
    assert bo.session.find("cs-commuters")[1].text == "Bo's now"  # type: ignore[index]


def test_typing_is_one_undo_step_per_field() -> None:
    net = net_of("ana")
    ana = net.members["ana"]
    for text in ("C", "Co", "Com"):
        ana.editor.set_text("customer_segments", "cs-commuters", text)
    ana.editor.seal()
    ana.editor.set_text("value_propositions", "vp-fast", "Quick")
    net.settle()
    ana.editor.undo()
    ana.editor.undo()
    net.settle()
    assert ana.session.find("cs-commuters")[1].text == "Commuters"  # type: ignore[index]
    assert net.hub.session.find("vp-fast")[1].text == "Fast"  # type: ignore[index]


def test_deleted_while_editing_is_told_and_can_be_restored_with_its_links() -> None:
    net = net_of("ana", "bo")
    ana, bo = net.members["ana"], net.members["bo"]
    ana.editor.set_text("customer_segments", "cs-commuters", "Commuters who cycle")
    net.settle()
    bo.editor.delete("customer_segments", "cs-commuters")
    ana.editor.set_text("customer_segments", "cs-commuters", "Commuters who cycle a lot")
    ana.editor.set_text("customer_segments", "cs-commuters", "Commuters who cycle a lot!")
    net.to_hub("bo")
    net.settle()
    assert net.hub.session.find("cs-commuters") is None
    assert any("deleted an item you were editing" in n for n in net.notices["ana"])
    assert len([n for n in net.notices["ana"] if "Not kept" in n]) == 1
    assert ana.editor.undo() == "Restore the deleted item"
    net.settle()
    for replica in (ana, bo):
        found = replica.session.find("cs-commuters")
        assert found is not None and found[1].text == "Commuters who cycle"
        assert replica.session.find("vp-fast")[1].linked("segments") == ["cs-commuters"]  # type: ignore[index]


def test_members_adding_at_once_get_different_ids() -> None:
    net = net_of("ana", "bo")
    a = net.members["ana"].editor.add_item("customer_segments", "")
    b = net.members["bo"].editor.add_item("customer_segments", "")
    assert a.id != b.id
    net.settle()
    assert not any(net.notices.values())
    ids = [i.id for i in net.hub.session.canvas.customer_segments]
    assert a.id in ids and b.id in ids


def test_a_member_sees_their_own_typing_at_once_and_a_teammates_change_does_not_undo_it() -> None:
    net = net_of("ana", "bo")
    ana, bo = net.members["ana"], net.members["bo"]
    ana.editor.set_text("customer_segments", "cs-commuters", "Ana 1")
    bo.editor.set_text("customer_segments", "cs-commuters", "Bo 1")
    net.to_hub("bo")
    net.to_member("ana")  # Bo's reaches Ana while hers is still on its way
    assert ana.session.find("cs-commuters")[1].text == "Ana 1"  # type: ignore[index]
    net.settle()
    assert bo.session.find("cs-commuters")[1].text == "Ana 1"  # type: ignore[index]


def test_a_base_from_the_future_is_refused() -> None:
    hub = TeamState(base_session())
    with pytest.raises(Refused, match="never had"):
        hub.apply("ana", Op.make("set_answer", key="q1", text="x"), base=5)


# -- random interleavings: everyone ends with the saved file --------------------------

NAMES = ("ana", "bo", "cy")


def random_edit(replica: Replica, rng: random.Random) -> None:
    editor = replica.editor
    session = replica.session
    segments = [i.id for i in session.canvas.customer_segments]
    vps = [i.id for i in session.canvas.value_propositions]
    choice = rng.randrange(11)
    try:
        if choice == 0:
            editor.add_item("customer_segments", rng.choice(["", "New"]), index=rng.randrange(3))
        elif choice == 1 and segments:
            editor.set_text("customer_segments", rng.choice(segments), rng.choice("abcdef") * 3)
        elif choice == 2 and segments:
            editor.delete("customer_segments", rng.choice(segments))
        elif choice == 3 and segments:
            editor.move("customer_segments", rng.choice(segments), rng.choice([-1, 1, 2]))
        elif choice == 4 and vps:
            editor.set_links(
                "value_propositions",
                rng.choice(vps),
                "segments",
                rng.sample(segments, k=min(2, len(segments))),
            )
        elif choice == 5:
            editor.set_answer(rng.choice(["q1", "q2"]), rng.choice(["", "yes", "no"]))
        elif choice == 6:
            editor.set_rating("conversation", rng.choice([None, 1, 4]))
        elif choice == 7:
            editor.set_strategy_field("vision", rng.choice(["", "Big", "Small"]))
        elif choice == 8:
            editor.undo()
        elif choice == 9:
            editor.redo()
        elif choice == 10 and vps:
            editor.add_item("value_propositions", "vp")
    except (EditError, UnknownName):
        pass


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32), steps=st.integers(min_value=20, max_value=120)
)
def test_random_interleavings_end_with_every_member_showing_the_saved_file(
    seed: int, steps: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    rng = random.Random(seed)
    # The team's session is a real file, saved by the store as the hub saves it.
    folder: Path = tmp_path_factory.mktemp("team")
    store = Store(folder)
    store.close(store.create("Team", "team", template=base_session()))
    handle = store.open(folder / "team.toml")
    net = Net(TeamState(handle.session))
    for name in NAMES:
        net.join(name)
    for _ in range(steps):
        name = rng.choice(NAMES)
        action = rng.randrange(3)
        if action == 0:
            random_edit(net.members[name], rng)
        elif action == 1 and net.outbox[name]:
            net.to_hub(name)
        elif action == 2 and net.inbox[name]:
            net.to_member(name)
    net.settle()
    store.save(handle)
    store.close(handle)
    saved = parse_toml((folder / "team.toml").read_bytes())
    for name, replica in net.members.items():
        assert not replica.pending, name
        assert same_content(replica.session, net.hub.session), name
        assert same_content(replica.session, saved), name
