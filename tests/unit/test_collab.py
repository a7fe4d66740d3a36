"""Teams editing one session: the operations, the team's copy (the hub's) and members' copies.

The network is simulated here by queues, so every interleaving can be tried; the real
sockets are tested in tests/serve/test_hub.py.
"""

from __future__ import annotations

import copy
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
    Change,
    Key,
    Op,
    Refused,
    Replica,
    TeamState,
    content_change,
    describe,
    same_content,
)
from bmc_tui.editing import EditError, UnknownName
from bmc_tui.model import KINDS, Item, Segment, Session
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
    outbox: dict[str, deque[tuple[int, int, Op, bool]]] = field(default_factory=dict)
    inbox: dict[str, deque[tuple[str, object]]] = field(default_factory=dict)
    notices: dict[str, list[str]] = field(default_factory=dict)
    # What each member's screen shows: only what the changes it was given say to show.
    shown: dict[str, Session] = field(default_factory=dict)
    changes: dict[str, list[Change]] = field(default_factory=dict)
    lagging: set[str] = field(default_factory=set)  # screens that have not shown changes yet

    def join(self, name: str) -> Replica:
        session = parse_toml(dump_toml(self.hub.session).encode())
        self.outbox[name] = deque()
        self.inbox[name] = deque()
        self.notices[name] = []
        self.shown[name] = copy.deepcopy(session)
        self.changes[name] = []
        replica = Replica(
            session,
            seq=self.hub.seq,
            me=name,
            send=lambda n, base, op, tell, who=name: self.outbox[who].append((n, base, op, tell)),
        )
        self.members[name] = replica
        return replica

    def to_hub(self, name: str) -> None:
        n, base, op, tell = self.outbox[name].popleft()
        try:
            applied = self.hub.apply(name, op, base=base, client=name, n=n, tell=tell)
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
        self.changes[name].append(change)
        show(self.shown[name], replica.session, change)
        if name not in self.lagging:
            replica.shown(change.keys)  # as the app does once it has shown a change

    def typed(self, name: str, before: set[int]) -> None:
        """A member's own new edits (not pending `before`) are on their own screen."""
        replica = self.members[name]
        ops = [p.op for p in replica.pending if p.n not in before]
        keys = {key for op in ops for key in op.keys}
        kinds = {k[1] for k in keys if k[0] == "list"}
        if any(op.name in ("delete", "restore_item") for op in ops):
            kinds |= set(KINDS)  # links to the item, in every list, went or came back
        change = Change(keys={k for k in keys if k[0] != "list"}, kinds=kinds)
        show(self.shown[name], replica.session, change)

    def settle(self) -> None:
        while any(self.outbox.values()) or any(self.inbox.values()):
            for name in self.members:
                while self.outbox[name]:
                    self.to_hub(name)
            for name in self.members:
                while self.inbox[name]:
                    self.to_member(name)


def show(shown: Session, session: Session, change: Change) -> None:
    """Bring a screen's copy up to date as the screens do: the lists and fields named."""
    if change.full:
        for name in ("title", "social", "canvas", "practices", "strategy", "plan", "fitness"):
            setattr(shown, name, copy.deepcopy(getattr(session, name)))
        return
    for kind in change.kinds:
        shown.items_of(kind)[:] = copy.deepcopy(session.items_of(kind))
    for key in change.keys:
        show_field(shown, session, key)


def show_field(shown: Session, session: Session, key: Key) -> None:
    group = key[0]
    if group == "item":
        _, _, item_id, name = key
        there, here = session.find(item_id), shown.find(item_id)
        if there is None or here is None:
            return  # not in a list on the screen: nothing to show it in
        new, old = there[1], here[1]
        if name in type(new).__dataclass_fields__ and name not in ("links", "extra"):
            setattr(old, name, copy.deepcopy(getattr(new, name)))
        elif name in new.links or name in old.links:
            old.links[name] = list(new.links.get(name, []))
            if name not in new.links:
                del old.links[name]
    elif group in ("answer", "rating"):
        source = getattr(session.social, f"{group}s")
        target = getattr(shown.social, f"{group}s")
        target.pop(key[1], None)
        if key[1] in source:
            target[key[1]] = source[key[1]]
    elif group == "problem":
        shown.social.problem = session.social.problem
    elif group in ("strategy", "fitness"):
        setattr(getattr(shown, group), key[1], getattr(getattr(session, group), key[1]))
    elif group == "session":
        setattr(shown, key[1], copy.deepcopy(getattr(session, key[1])))


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
    # Undo names what it takes back: the teammate's change (redo gives it again).
    assert ana.editor.undo() == "bo's change to the text of “Bo typed this”"
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


def test_typing_over_a_change_the_screen_has_not_shown_yet_tells_its_author() -> None:
    net = net_of("ana", "bo")
    ana, bo = net.members["ana"], net.members["bo"]
    net.lagging.add("bo")  # Bo's screen gathers teammates' changes and shows them later
    ana.editor.set_text("customer_segments", "cs-commuters", "Commuters a")
    net.settle()
    # Bo's copy has Ana's text, his field still shows the old one: he types on that.
    assert bo.session.find("cs-commuters")[1].text == "Commuters a"  # type: ignore[index]
    bo.editor.set_text("customer_segments", "cs-commuters", "Commuters b")
    net.settle()
    assert [n for n in net.notices["ana"] if "bo changed the text" in n]
    assert net.notices["bo"] == []
    assert ana.editor.undo() == "bo's change to the text of “Commuters b”"
    net.settle()
    assert net.hub.session.find("cs-commuters")[1].text == "Commuters a"  # type: ignore[index]
    # Once Bo's screen has shown a change, typing on it replaces it knowingly: nobody told.
    net.lagging.clear()
    bo.shown({("item", "customer_segments", "cs-commuters", "text")})
    told = len(net.notices["ana"])
    bo.editor.set_text("customer_segments", "cs-commuters", "Commuters a, b")
    net.settle()
    assert len(net.notices["ana"]) == told
    assert net.hub.session.find("cs-commuters")[1].text == "Commuters a, b"  # type: ignore[index]


def test_keys_typed_while_a_change_of_mine_is_in_flight_still_tell_the_teammate() -> None:
    net = net_of("ana", "bo")
    ana, bo = net.members["ana"], net.members["bo"]
    for n in range(4):  # turns, each before the other's change has come back
        ana.editor.set_text("customer_segments", "cs-commuters", f"Commuters {'a' * (n + 1)}")
        bo.editor.set_text("customer_segments", "cs-commuters", f"Commuters {'b' * (n + 1)}")
        net.to_hub("ana")
        net.to_hub("bo")
        for name in ("ana", "bo"):
            while net.inbox[name]:
                net.to_member(name)
    net.settle()
    # The team kept Bo's (last); Ana was told, once, and gets hers back with Ctrl+Z.
    assert net.hub.session.find("cs-commuters")[1].text == "Commuters bbbb"  # type: ignore[index]
    assert len([n for n in net.notices["ana"] if "bo changed" in n]) == 1
    assert (ana.editor.undo() or "").startswith("bo's change to the text of “Commuters b")
    net.settle()
    assert net.hub.session.find("cs-commuters")[1].text.startswith("Commuters a")  # type: ignore[index]


def test_bringing_back_ones_text_tells_the_teammate_and_never_replaces_a_later_change() -> None:
    net = net_of("ana", "bo", "cy")
    ana, bo, cy = (net.members[n] for n in ("ana", "bo", "cy"))
    # All three type at once, in this order at the team: Cy's replaces Ana's, Bo's Cy's.
    for name, text in (("ana", "A"), ("cy", "C"), ("bo", "B")):
        net.members[name].editor.set_text("customer_segments", "cs-commuters", text)
        net.to_hub(name)
    net.settle()
    assert net.hub.session.find("cs-commuters")[1].text == "B"  # type: ignore[index]
    assert [n for n in net.notices["ana"] if "cy changed" in n]
    assert [n for n in net.notices["cy"] if "bo changed" in n]
    # Neither had seen Ana's text: hers comes back over both, and Bo (whose text it
    # replaces) is told.
    assert ana.editor.undo() == "cy's change to the text of “C”"
    net.settle()
    assert net.hub.session.find("cs-commuters")[1].text == "A"  # type: ignore[index]
    assert net.notices["bo"] == ["ana brought their version of the text of “B” back over yours."]
    # Ana's change was made knowingly: neither Cy's way back nor Bo's undo replaces it.
    assert cy.editor.undo() == "Not undone: ana has changed it since"
    assert bo.editor.undo() == "Not undone: ana has changed it since"
    net.settle()
    assert net.hub.session.find("cs-commuters")[1].text == "A"  # type: ignore[index]


def test_undoing_an_add_never_deletes_an_item_a_teammate_has_edited_since() -> None:
    net = net_of("ana", "bo")
    ana, bo = net.members["ana"], net.members["bo"]
    item = ana.editor.add_item("plan", "Event Z")
    ana.editor.seal()
    net.settle()
    bo.editor.set_field("plan", item.id, "owner", "Bo")
    net.settle()
    assert ana.editor.undo() == "Not undone: bo has changed it since"
    net.settle()
    assert net.hub.session.find(item.id) is not None
    # An item nobody else touched goes as before.
    other = ana.editor.add_item("plan", "Event Y")
    ana.editor.seal()
    net.settle()
    assert ana.editor.undo() is not None
    net.settle()
    assert net.hub.session.find(other.id) is None


def test_a_members_undo_says_what_it_undoes_as_it_is_now_and_where() -> None:
    from bmc_tui.editing import Where

    net = net_of("ana")
    ana = net.members["ana"]
    for text in ("B", "Br", "Bread before opening"):
        ana.editor.set_text("customer_segments", "cs-commuters", text)
    net.settle()
    assert ana.editor.undo_description == "The text of “Bread before opening”"
    assert ana.editor.undo_where == Where("customer_segments", "cs-commuters", "text")
    assert ana.editor.undo() == "The text of “Bread before opening”"
    net.settle()
    assert ana.editor.redo_where == Where("customer_segments", "cs-commuters", "text")


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
    assert [n for n in net.notices["ana"] if "Not kept" in n and "Ctrl+Z" in n]
    assert ana.editor.undo() == "bo's delete of “Commuters who cycle”"
    net.settle()
    for replica in (ana, bo):
        # With what she typed after it was deleted, which the team could not take then.
        found = replica.session.find("cs-commuters")
        assert found is not None and found[1].text == "Commuters who cycle a lot!"
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


def test_members_adding_at_once_take_the_teams_order_shown_in_place() -> None:
    """Each adds first on their own copy; the hub's order differs from one of theirs."""
    net = net_of("ana", "bo")
    for name in ("ana", "bo"):
        replica = net.members[name]
        before = {p.n for p in replica.pending}
        replica.editor.add_item("customer_segments", name)
        net.typed(name, before)
    net.settle()
    order = [i.text for i in net.hub.session.canvas.customer_segments]
    assert order == ["Commuters", "ana", "bo"]
    for name, replica in net.members.items():
        assert [i.text for i in replica.session.canvas.customer_segments] == order, name
        assert [i.text for i in net.shown[name].canvas.customer_segments] == order, name
        # Shown in place (a new screen would drop keys typed meanwhile).
        assert not any(change.full for change in net.changes[name]), name
    bo_last = net.changes["bo"][-1]
    assert bo_last.kinds == {"customer_segments"} and not bo_last.keys


def test_going_over_to_the_teams_copy_names_each_field_and_list_that_differs() -> None:
    before = base_session()
    after = copy.deepcopy(before)
    after.title = "Ferry Co"
    after.social.answers["q1"] = "yes"
    after.social.ratings["conversation"] = 4
    after.social.problem = "model"
    after.strategy.vision = "Big"
    after.fitness.accountability = True
    segment = after.canvas.customer_segments[0]
    assert isinstance(segment, Segment)
    segment.text, segment.pays = "Cyclists", False
    after.canvas.value_propositions[0].links["segments"] = []
    after.canvas.channels.append(Item(id="ch-ferry", text="Ferry"))
    change = content_change(before, after)
    assert change.keys == {
        ("session", "title"),
        ("answer", "q1"),
        ("rating", "conversation"),
        ("problem",),
        ("strategy", "vision"),
        ("fitness", "accountability"),
        ("item", "customer_segments", "cs-commuters", "text"),
        ("item", "customer_segments", "cs-commuters", "pays"),
        ("item", "value_propositions", "vp-fast", "segments"),
    }
    assert change.kinds == {"channels"} and not change.full
    assert not content_change(before, copy.deepcopy(before))
    # What no screen shows field by field (tables a newer version wrote) shows everything.
    after.canvas.extra["board"] = {"colour": "red"}
    assert content_change(before, after).full


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
            replica = net.members[name]
            before = {p.n for p in replica.pending}
            random_edit(replica, rng)
            net.typed(name, before)
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
        # Every screen was brought up to date in place, by what each change named.
        assert same_content(net.shown[name], replica.session), name
        assert not any(change.full for change in net.changes[name]), name


def test_a_rating_is_described_by_the_principle_people_see() -> None:
    # A member's undo said "The rating of evolving customer": the file's key.
    op = Op.make("set_rating", key="evolving_customer", value=4)
    assert describe(op, base_session()) == "the rating of “Customers keep changing”"


def test_undo_says_whether_it_takes_back_an_add_or_a_delete_in_peoples_words() -> None:
    # "Undone: A customer segment" was said for both; "The monthly of …" and "the fitness
    # question scalable process" named the file's keys.
    net = net_of("ana")
    ana = net.members["ana"]
    ana.editor.delete("customer_segments", "cs-commuters")
    assert ana.editor.undo_description == "Delete “Commuters”"
    ana.editor.undo()
    new_id = ana.editor.add_item("customer_segments", "Cyclists")
    assert ana.editor.undo_description == "Add “Cyclists”"
    assert new_id
    session = base_session()
    monthly = Op.make("set_field", kind="revenue_streams", item_id="rs-x", name="monthly", value=5)
    assert describe(monthly, session) == "the monthly amount of a revenue stream"
    fitness = Op.make("set_fitness", key="scalable_process", value=True)
    assert describe(fitness, session) == (
        "the answer to “Does your marketing run on a process you can repeat and scale?”"
    )


def test_a_deleted_items_id_is_not_given_to_a_new_one_so_its_undo_still_works() -> None:
    # Bo deleted "cs-cy"; Cy's next item took "cs-cy" again, and Bo's undo then failed
    # ("the id … is already in use"): the deleted item could not come back.
    net = net_of("bo", "cy")
    bo, cy = net.members["bo"], net.members["cy"]
    first = cy.editor.add_item("customer_segments", "")
    net.settle()
    bo.editor.delete("customer_segments", first.id)
    net.settle()
    second = cy.editor.add_item("customer_segments", "")
    net.settle()
    assert second.id != first.id
    assert bo.editor.undo() is not None
    net.settle()
    ids = [item.id for item in net.hub.session.canvas.customer_segments]
    assert first.id in ids and second.id in ids
    for replica in (bo, cy):
        assert [i.id for i in replica.session.canvas.customer_segments] == ids
