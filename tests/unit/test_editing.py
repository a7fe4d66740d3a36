"""The editor: every change to a session, its validation, and undo/redo."""

from __future__ import annotations

import copy
import subprocess
import sys
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bmc_tui.codec import dump_toml, parse_toml, session_to_dict
from bmc_tui.editing import (
    ID_PREFIXES,
    MAX_SLUG_CHARS,
    MAX_TEXT_CHARS,
    EditError,
    Editor,
    LinkRef,
    UnknownName,
    parse_amount,
)
from bmc_tui.model import (
    FITNESS_KEYS,
    FOCUSES,
    KINDS,
    LINK_SCHEMA,
    PRACTICE_KINDS,
    PRINCIPLES,
    PROBLEMS,
    PURPOSES,
    STEPS,
    Amounted,
    Goal,
    Item,
    KeyDate,
    PlanItem,
    Practice,
    Segment,
    Session,
)
from bmc_tui.rules import evaluate

# -- a session where every kind that can be linked is linked from everywhere it can be ----


def linked_session() -> Session:
    s = Session.new("s", "Harbor Coffee")
    c = s.canvas
    c.customer_segments = [Segment("cs-a", "Commuters"), Segment("cs-b", "Tourists")]
    c.value_propositions = [
        Item("vp-a", "Fast coffee", {"segments": ["cs-a", "cs-b"]}),
        Item("vp-b", "Harbor view", {"segments": ["cs-b"]}),
    ]
    c.channels = [Item("ch-a", "App", {"segments": ["cs-a"]})]
    c.customer_relationships = [
        Item("cr-a", "Loyalty", {"segments": ["cs-b", "cs-a"], "channels": ["ch-a"]})
    ]
    c.revenue_streams = [
        Amounted("rs-a", "Cups", {"segments": ["cs-a"], "propositions": ["vp-a"]}, monthly=900)
    ]
    c.key_resources = [Item("kr-a", "Cart"), Item("kr-b", "Baristas")]
    c.key_activities = [
        Item("ka-a", "Brewing", {"value_propositions": ["vp-a"], "resources": ["kr-a", "kr-b"]})
    ]
    c.key_partnerships = [Item("kp-a", "Roaster", {"supplies": ["kr-a", "ka-a"]})]
    c.cost_structure = [Amounted("cost-a", "Beans", {"drivers": ["ka-a", "kr-b"]})]
    s.practices = [
        Practice("pr-a", "Pull shots", {"value_propositions": ["vp-a", "vp-b"]}, kept=True)
    ]
    s.strategy.goals = [Goal("g-a", "Weekday default", metric="orders"), Goal("g-b", "Tourists")]
    s.strategy.markets = [Item("m-a", "Ferry", {"segments": ["cs-a"]})]
    s.strategy.programs = [Item("prog-a", "Sampling", {"goals": ["g-a", "g-b"]})]
    s.strategy.messages = [Item("msg-a", "Ready when you dock")]
    s.strategy.dates = [KeyDate("d-a", "Launch", date=date(2027, 1, 11))]
    s.plan = [
        PlanItem(
            "a-a",
            "Tasting cart",
            {"goals": ["g-a"], "programs": ["prog-a"], "segments": ["cs-a", "cs-b"]},
            owner="Sam",
        ),
        PlanItem("a-b", "Posters", {"segments": ["cs-b"]}),
    ]
    return s


@pytest.fixture
def ed() -> Editor:
    return Editor(linked_session())


def snapshot(editor: Editor) -> dict[str, Any]:
    return copy.deepcopy(session_to_dict(editor.session))


def ids(editor: Editor, kind: str) -> list[str]:
    return [item.id for item in editor.session.items_of(kind)]


def dangling_or_duplicate(session: Session) -> list[str]:
    return [
        f.message for f in evaluate(session) if f.rule in ("link.dangling", "link.duplicate-id")
    ]


def test_the_fixture_is_clean() -> None:
    assert dangling_or_duplicate(linked_session()) == []


def test_no_textual_import() -> None:
    code = (
        "import sys, bmc_tui.editing; "
        "sys.exit(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# -- ids -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_new_id_has_the_kind_prefix_and_a_slug(kind: str) -> None:
    editor = Editor(Session.new("s", "S"))
    assert editor.new_id(kind, "Ferry Commuters!") == f"{ID_PREFIXES[kind]}-ferry-commuters"
    assert editor.new_id(kind) == f"{ID_PREFIXES[kind]}-1"


def test_id_prefixes_match_the_brief() -> None:
    assert dict(ID_PREFIXES) == {
        "customer_segments": "cs",
        "value_propositions": "vp",
        "channels": "ch",
        "customer_relationships": "cr",
        "revenue_streams": "rs",
        "key_activities": "ka",
        "key_resources": "kr",
        "key_partnerships": "kp",
        "cost_structure": "cost",
        "practices": "pr",
        "goals": "g",
        "markets": "m",
        "programs": "prog",
        "messages": "msg",
        "pinches": "pinch",
        "policies": "pol",
        "dates": "d",
        "plan": "a",
    }
    assert set(ID_PREFIXES) == set(KINDS)


def test_new_id_collisions_get_a_number() -> None:
    editor = Editor(Session.new("s", "S"))
    first = editor.add_item("customer_segments", "Commuters")
    second = editor.add_item("customer_segments", "Commuters")
    third = editor.add_item("customer_segments", "commuters")
    assert [first.id, second.id, third.id] == ["cs-commuters", "cs-commuters-2", "cs-commuters-3"]


def test_new_id_without_text_counts_and_skips_used_ones() -> None:
    editor = Editor(Session.new("s", "S"))
    assert editor.add_item("goals").id == "g-1"
    assert editor.add_item("goals", "  ").id == "g-2"
    editor.set_text("goals", "g-1", "renamed")
    editor.add_item("goals", "1")  # its slug would give "g-1", which is taken
    assert ids(editor, "goals") == ["g-1", "g-2", "g-1-2"]
    assert editor.new_id("goals") == "g-4"


def test_new_id_is_unique_across_kinds() -> None:
    editor = Editor(Session.new("s", "S"))
    editor.session.strategy.messages.append(Item("cs-x", "an odd id someone typed"))
    assert editor.new_id("customer_segments", "x") == "cs-x-2"


def test_new_id_slug_is_readable_and_short() -> None:
    editor = Editor(Session.new("s", "S"))
    long = editor.new_id("plan", "Free tasting cart at the ferry gate every weekday morning")
    assert long == "a-free-tasting-cart-at-the-ferry"
    assert len(long) - len("a-") <= MAX_SLUG_CHARS
    unbroken = editor.new_id("plan", "x" * 80)
    assert unbroken == "a-" + "x" * MAX_SLUG_CHARS
    assert editor.new_id("customer_segments", "Café crème — Ölfjord") == "cs-cafe-creme-olfjord"
    assert editor.new_id("customer_segments", "日本語") == "cs-1"


def test_new_id_unknown_kind() -> None:
    with pytest.raises(KeyError, match="not a kind of item"):
        Editor(Session.new("s", "S")).new_id("widgets", "x")


def test_id_is_stable_when_the_text_changes(ed: Editor) -> None:
    ed.set_text("customer_segments", "cs-a", "Ferry commuters at 7:40")
    assert ids(ed, "customer_segments") == ["cs-a", "cs-b"]
    assert ed.session.canvas.value_propositions[0].links["segments"] == ["cs-a", "cs-b"]


# -- add -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "cls"),
    [
        ("plan", PlanItem),
        ("practices", Practice),
        ("goals", Goal),
        ("dates", KeyDate),
        ("messages", Item),
    ],
)
def test_add_item_makes_the_right_class(kind: str, cls: type) -> None:
    editor = Editor(Session.new("s", "S"))
    item = editor.add_item(kind, "Something")
    assert type(item) is cls
    assert editor.session.items_of(kind) == [item]
    assert editor.revision == 1
    assert editor.undo_description == f"Add {editor_noun(kind)} “Something”"


def editor_noun(kind: str) -> str:
    from bmc_tui.editing import NOUNS

    return NOUNS[kind]


def test_add_key_date_defaults_to_today() -> None:
    editor = Editor(Session.new("s", "S"))
    item = editor.add_item("dates", "Launch")
    assert isinstance(item, KeyDate)
    assert item.date == date.today()
    other = editor.add_item("dates", "Later", date="2027-03-01")
    assert isinstance(other, KeyDate)
    assert other.date == date(2027, 3, 1)


def test_add_item_at_an_index(ed: Editor) -> None:
    ed.add_item("customer_segments", "First", index=0)
    ed.add_item("customer_segments", "Middle", index=1)
    ed.add_item("customer_segments", "Last", index=99)
    ed.add_item("customer_segments", "Clamped", index=-5)
    assert ids(ed, "customer_segments") == [
        "cs-clamped",
        "cs-first",
        "cs-middle",
        "cs-a",
        "cs-b",
        "cs-last",
    ]


def test_add_item_with_fields_and_links(ed: Editor) -> None:
    item = ed.add_item(
        "plan", "Radio spot", owner="Kim", budget=250, segments=["cs-b", "cs-b"], goals=["g-b"]
    )
    assert isinstance(item, PlanItem)
    assert (item.owner, item.budget) == ("Kim", 250)
    assert item.links == {"segments": ["cs-b"], "goals": ["g-b"]}
    assert dangling_or_duplicate(ed.session) == []


def test_add_item_refuses_bad_fields_and_links_without_changing_anything(ed: Editor) -> None:
    before = snapshot(ed)
    with pytest.raises(KeyError, match="not a field of a plan item"):
        ed.add_item("plan", "x", colour="red")
    with pytest.raises(ValueError, match="can only link a customer segment"):
        ed.add_item("plan", "x", segments=["g-a"])
    with pytest.raises(ValueError, match="purpose must be one of"):
        ed.add_item("plan", "x", purpose="fun")
    with pytest.raises(KeyError, match="not a field of a customer segment"):
        ed.add_item("customer_segments", "x", owner="Sam")
    with pytest.raises(ValueError, match="must be text"):
        ed.add_item("customer_segments", 42)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="not a kind of item"):
        ed.add_item("segments", "x")
    assert snapshot(ed) == before
    assert ed.revision == 0
    assert not ed.can_undo()


def test_duplicate_item(ed: Editor) -> None:
    twin = ed.duplicate_item("plan", "a-a")
    assert ids(ed, "plan") == ["a-a", "a-tasting-cart", "a-b"]
    original = ed.session.plan[0]
    assert twin is not original
    assert (twin.text, twin.links, twin.owner) == (original.text, original.links, original.owner)  # type: ignore[attr-defined]
    assert twin.links["segments"] is not original.links["segments"]
    assert ed.undo() == "Duplicate “Tasting cart”"
    assert ids(ed, "plan") == ["a-a", "a-b"]


# -- text, fields --------------------------------------------------------------------


def test_set_text_keeps_id_and_links(ed: Editor) -> None:
    ed.set_text("value_propositions", "vp-a", "Coffee ready as you dock")
    vp = ed.session.canvas.value_propositions[0]
    assert (vp.id, vp.text, vp.links) == (
        "vp-a",
        "Coffee ready as you dock",
        {"segments": ["cs-a", "cs-b"]},
    )
    ed.set_text("plan", "a-a", "Cart")
    assert ed.session.plan[0].title == "Cart"


def test_set_text_strips_controls_and_keeps_tabs_and_newlines(ed: Editor) -> None:
    ed.set_text("customer_segments", "cs-a", "a\x00b\x07c\x1b[31mred\x1b[0m\td\r\ne\x7f\x85f")
    assert ed.session.canvas.customer_segments[0].text == "abcred\td\nef"


def test_text_is_capped() -> None:
    assert MAX_TEXT_CHARS == 10_000
    editor = Editor(Session.new("s", "S"))
    item = editor.add_item("customer_segments", "y" * 50_000)
    assert len(item.text) == MAX_TEXT_CHARS
    editor.set_text("customer_segments", item.id, "\x00" * 5 + "z" * (MAX_TEXT_CHARS + 1))
    assert item.text == "z" * MAX_TEXT_CHARS
    editor.set_answer("q", "w" * 20_000)
    editor.set_strategy_field("vision", "v" * 20_000)
    editor.set_session_field("participants", ["p" * 20_000])
    editor.set_field("plan", editor.add_item("plan").id, "owner", "o" * 20_000)
    assert len(editor.session.social.answers["q"]) == MAX_TEXT_CHARS
    assert len(editor.session.strategy.vision or "") == MAX_TEXT_CHARS
    assert editor.session.participants == ["p" * MAX_TEXT_CHARS]
    assert len(editor.session.plan[0].owner or "") == MAX_TEXT_CHARS


def test_set_text_unknown_item_or_wrong_kind(ed: Editor) -> None:
    with pytest.raises(KeyError, match="no customer segment with the id “nope”"):
        ed.set_text("customer_segments", "nope", "x")
    with pytest.raises(KeyError, match="no value proposition with the id “cs-a”"):
        ed.set_text("value_propositions", "cs-a", "x")
    with pytest.raises(ValueError, match="must be text"):
        ed.set_text("customer_segments", "cs-a", None)  # type: ignore[arg-type]


def test_error_messages_read_well(ed: Editor) -> None:
    with pytest.raises(UnknownName) as caught:
        ed.set_field("plan", "a-a", "colour", "red")
    assert str(caught.value).startswith("“colour” is not a field of a plan item (its fields: ")


def test_set_field_values(ed: Editor) -> None:
    ed.set_field("plan", "a-a", "owner", "Kim")
    ed.set_field("plan", "a-a", "start", date(2027, 1, 11))
    ed.set_field("plan", "a-a", "end", "2027-01-29")
    ed.set_field("plan", "a-a", "budget", 120.5)
    ed.set_field("plan", "a-a", "purpose", "awareness")
    ed.set_field("practices", "pr-a", "improves", True)
    ed.set_field("practices", "pr-a", "kind", "routine")
    ed.set_field("goals", "g-a", "metric", "orders a day")
    ed.set_field("dates", "d-a", "date", date(2027, 2, 1))
    plan = ed.session.plan[0]
    assert (plan.owner, plan.start, plan.end, plan.budget, plan.purpose) == (
        "Kim",
        date(2027, 1, 11),
        date(2027, 1, 29),
        120.5,
        "awareness",
    )
    practice = ed.session.practices[0]
    assert (practice.improves, practice.kind) == (True, "routine")
    assert ed.session.strategy.goals[0].metric == "orders a day"
    assert ed.session.strategy.dates[0].date == date(2027, 2, 1)


def test_set_field_none_clears(ed: Editor) -> None:
    ed.set_field("plan", "a-a", "owner", None)
    ed.set_field("goals", "g-a", "metric", None)
    ed.set_field("practices", "pr-a", "kept", None)  # kept is never "unanswered"
    assert ed.session.plan[0].owner is None
    assert ed.session.strategy.goals[0].metric is None
    assert ed.session.practices[0].kept is False


@pytest.mark.parametrize(
    ("kind", "item_id", "name", "value", "message"),
    [
        ("plan", "a-a", "purpose", "fun", "purpose must be one of"),
        ("plan", "a-a", "start", "next week", "is not a date"),
        ("plan", "a-a", "start", datetime(2027, 1, 1, 9, 0), "must be a date"),
        ("plan", "a-a", "budget", True, "must be a number"),
        ("plan", "a-a", "budget", "100", "must be a number"),
        ("plan", "a-a", "budget", float("nan"), "finite"),
        ("plan", "a-a", "owner", 7, "must be text"),
        ("practices", "pr-a", "improves", "yes", "yes or no"),
        ("practices", "pr-a", "kept", 1, "yes or no"),
        ("practices", "pr-a", "kind", "habit", "kind must be one of"),
        ("dates", "d-a", "date", None, "cannot be empty"),
    ],
)
def test_set_field_refuses_bad_values(
    ed: Editor, kind: str, item_id: str, name: str, value: Any, message: str
) -> None:
    before = snapshot(ed)
    with pytest.raises(ValueError, match=message):
        ed.set_field(kind, item_id, name, value)
    assert snapshot(ed) == before
    assert ed.revision == 0


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("plan", "colour"),
        ("plan", "id"),
        ("plan", "text"),
        ("plan", "links"),
        ("goals", "owner"),
        ("customer_segments", "owner"),
    ],
)
def test_set_field_unknown_names(ed: Editor, kind: str, name: str) -> None:
    item_id = ids(ed, kind)[0]
    with pytest.raises(KeyError, match="is not a field of"):
        ed.set_field(kind, item_id, name, "x")


def test_set_field_int_and_float_are_different_values(ed: Editor) -> None:
    ed.set_field("plan", "a-a", "budget", 100)
    revision = ed.revision
    ed.set_field("plan", "a-a", "budget", 100.0)
    assert ed.revision == revision + 1
    assert isinstance(ed.session.plan[0].budget, float)


# -- links ---------------------------------------------------------------------------


def test_set_links_keeps_order_and_drops_duplicates(ed: Editor) -> None:
    ed.set_links("plan", "a-b", "segments", ["cs-b", "cs-a", "cs-b", "cs-a"])
    assert ed.session.plan[1].links["segments"] == ["cs-b", "cs-a"]
    ed.set_links("key_partnerships", "kp-a", "supplies", ["ka-a", "kr-b"])
    assert ed.session.canvas.key_partnerships[0].links["supplies"] == ["ka-a", "kr-b"]
    ed.set_links("plan", "a-b", "goals", ("g-b",))
    assert ed.session.plan[1].links["goals"] == ["g-b"]
    ed.set_links("plan", "a-b", "segments", [])
    assert ed.session.plan[1].linked("segments") == []


@pytest.mark.parametrize(
    ("kind", "item_id", "field", "targets", "error", "message"),
    [
        ("plan", "a-b", "segments", ["cs-zzz"], ValueError, "“cs-zzz” is not one"),
        ("plan", "a-b", "segments", ["g-a"], ValueError, "can only link a customer segment"),
        ("plan", "a-b", "segments", "cs-a", ValueError, "must be a list of ids"),
        ("plan", "a-b", "segments", [None], ValueError, "is not one"),
        ("key_partnerships", "kp-a", "supplies", ["cs-a"], ValueError, "key resource or"),
        ("plan", "a-b", "owners", ["cs-a"], KeyError, "not a link of a plan item"),
        ("customer_segments", "cs-a", "segments", [], KeyError, "its links: none"),
        ("plan", "a-zzz", "segments", [], KeyError, "no plan item"),
    ],
)
def test_set_links_refuses_what_would_dangle(
    ed: Editor,
    kind: str,
    item_id: str,
    field: str,
    targets: Any,
    error: type[Exception],
    message: str,
) -> None:
    before = snapshot(ed)
    with pytest.raises(error, match=message):
        ed.set_links(kind, item_id, field, targets)
    assert snapshot(ed) == before
    assert not ed.can_undo()


def test_set_links_no_op_when_unchanged_or_absent_and_empty(ed: Editor) -> None:
    ed.set_links("plan", "a-a", "segments", ["cs-a", "cs-b", "cs-a"])
    ed.set_links("plan", "a-b", "goals", [])  # absent and empty are the same
    assert ed.revision == 0
    assert "goals" not in ed.session.plan[1].links


def test_toggle_link(ed: Editor) -> None:
    assert ed.toggle_link("plan", "a-b", "goals", "g-a") is True
    assert ed.session.plan[1].links["goals"] == ["g-a"]
    assert ed.undo_description == "Link “Weekday default” to “Posters”"
    assert ed.toggle_link("plan", "a-b", "goals", "g-b") is True
    assert ed.toggle_link("plan", "a-b", "goals", "g-a") is False
    assert ed.undo_description == "Unlink “Weekday default” from “Posters”"
    assert ed.session.plan[1].links["goals"] == ["g-b"]
    with pytest.raises(ValueError, match="can only link a goal"):
        ed.toggle_link("plan", "a-b", "goals", "cs-a")
    with pytest.raises(KeyError, match="not a link of"):
        ed.toggle_link("plan", "a-b", "value_propositions", "vp-a")
    assert ed.undo() and ed.undo() and ed.undo()
    assert "goals" not in ed.session.plan[1].links


def test_toggle_link_removes_a_dangling_link_from_a_hand_edited_file(ed: Editor) -> None:
    ed.session.plan[1].links["segments"] = ["cs-b", "cs-gone"]
    assert ed.toggle_link("plan", "a-b", "segments", "cs-gone") is False
    assert ed.session.plan[1].links["segments"] == ["cs-b"]


# -- move ----------------------------------------------------------------------------


def test_move_within_the_list_clamped(ed: Editor) -> None:
    ed.add_item("customer_segments", "C")
    assert ed.move("customer_segments", "cs-a", 1) is True
    assert ids(ed, "customer_segments") == ["cs-b", "cs-a", "cs-c"]
    assert ed.move("customer_segments", "cs-b", 10) is True
    assert ids(ed, "customer_segments") == ["cs-a", "cs-c", "cs-b"]
    assert ed.move("customer_segments", "cs-a", -1) is False
    assert ed.move("customer_segments", "cs-b", 1) is False
    assert ed.move("customer_segments", "cs-c", 0) is False
    assert ed.move("customer_segments", "cs-b", -99) is True
    assert ids(ed, "customer_segments") == ["cs-b", "cs-a", "cs-c"]
    revision = ed.revision
    ed.move("customer_segments", "cs-b", -1)
    assert ed.revision == revision
    assert ed.undo() == "Move “Tourists”"
    assert ed.undo() == "Move “Tourists”"
    assert ed.undo() == "Move “Commuters”"
    assert ids(ed, "customer_segments") == ["cs-a", "cs-b", "cs-c"]
    with pytest.raises(ValueError, match="whole number"):
        ed.move("customer_segments", "cs-a", 1.5)  # type: ignore[arg-type]


# -- delete --------------------------------------------------------------------------


def test_links_to(ed: Editor) -> None:
    assert ed.links_to("cs-a") == [
        LinkRef("value_propositions", "vp-a", "segments"),
        LinkRef("channels", "ch-a", "segments"),
        LinkRef("customer_relationships", "cr-a", "segments"),
        LinkRef("revenue_streams", "rs-a", "segments"),
        LinkRef("markets", "m-a", "segments"),
        LinkRef("plan", "a-a", "segments"),
    ]
    assert ed.links_to("kr-a") == [
        LinkRef("key_activities", "ka-a", "resources"),
        LinkRef("key_partnerships", "kp-a", "supplies"),
    ]
    assert ed.links_to("msg-a") == []
    assert ed.links_to("nothing") == []


# Every kind that can be linked, and every kind its links come from in the fixture.
LINKED_FROM = {
    "cs-a": {"value_propositions", "channels", "customer_relationships", "revenue_streams"}
    | {"markets", "plan"},
    "vp-a": {"key_activities", "practices", "revenue_streams"},
    "ch-a": {"customer_relationships"},
    "kr-b": {"key_activities", "cost_structure"},
    "kr-a": {"key_activities", "key_partnerships"},
    "ka-a": {"key_partnerships", "cost_structure"},
    "g-a": {"programs", "plan"},
    "prog-a": {"plan"},
}


def test_the_fixture_links_every_link_target_kind() -> None:
    session = linked_session()
    target_kinds = {k for schema in LINK_SCHEMA.values() for ks in schema.values() for k in ks}
    covered = set()
    for item_id in LINKED_FROM:
        found = session.find(item_id)
        assert found is not None
        covered.add(found[0])
    assert covered == target_kinds
    holders = {
        (kind, f) for kind, schema in LINK_SCHEMA.items() for f in schema
    }  # every link field of the schema is used at least once
    used = {(kind, f) for kind, item in session.all_items() for f in item.links if item.links[f]}
    assert holders == used


@pytest.mark.parametrize("item_id", sorted(LINKED_FROM))
def test_delete_unlinks_everything_and_one_undo_restores_it(ed: Editor, item_id: str) -> None:
    before = snapshot(ed)
    found = ed.session.find(item_id)
    assert found is not None
    kind = found[0]
    position = ids(ed, kind).index(item_id)
    expected = ed.links_to(item_id)
    assert {ref.kind for ref in expected} == LINKED_FROM[item_id]

    refs = ed.delete(kind, item_id)

    assert refs == expected
    assert item_id not in ed.session.used_ids()
    assert ed.links_to(item_id) == []
    assert dangling_or_duplicate(ed.session) == []
    # other links in the same fields survive, in order
    if item_id == "cs-a":
        assert ed.session.canvas.customer_relationships[0].links["segments"] == ["cs-b"]
        assert ed.session.canvas.channels[0].links["segments"] == []
    assert ed.revision == 1

    assert ed.undo() is not None
    assert not ed.can_undo()
    assert snapshot(ed) == before
    assert ids(ed, kind)[position] == item_id

    ed.redo()
    assert item_id not in ed.session.used_ids()
    assert dangling_or_duplicate(ed.session) == []


def test_delete_description_and_return(ed: Editor) -> None:
    refs = ed.delete("messages", "msg-a")
    assert refs == []
    assert ed.undo() == "Delete “Ready when you dock”"
    ed.add_item("messages")
    ed.delete("messages", "msg-2")
    assert ed.undo_description == "Delete an empty core message"


def test_delete_with_a_duplicate_id_keeps_links_for_the_survivor(ed: Editor) -> None:
    ed.session.canvas.customer_segments.append(Item("cs-a", "A hand-made twin"))
    refs = ed.delete("customer_segments", "cs-a")
    assert refs == []
    assert ids(ed, "customer_segments") == ["cs-b", "cs-a"]
    assert ed.session.canvas.channels[0].links["segments"] == ["cs-a"]


def test_delete_unknown(ed: Editor) -> None:
    with pytest.raises(KeyError, match="no goal with the id"):
        ed.delete("goals", "cs-a")


# -- undo / redo ---------------------------------------------------------------------


def test_undo_redo_sequence(ed: Editor) -> None:
    states = [snapshot(ed)]
    assert not ed.can_undo() and not ed.can_redo()
    assert ed.undo() is None and ed.redo() is None
    ed.add_item("customer_segments", "Locals")
    states.append(snapshot(ed))
    ed.set_text("customer_segments", "cs-locals", "Locals on foot")
    states.append(snapshot(ed))
    ed.toggle_link("value_propositions", "vp-b", "segments", "cs-locals")
    states.append(snapshot(ed))
    assert ed.revision == 3

    assert ed.undo() == "Link “Locals on foot” to “Harbor view”"
    assert snapshot(ed) == states[2]
    assert ed.undo() == "Edit “Locals”"
    assert snapshot(ed) == states[1]
    assert ed.undo() == "Add customer segment “Locals”"
    assert snapshot(ed) == states[0]
    assert ed.undo() is None
    assert ed.can_redo() and not ed.can_undo()
    assert ed.revision == 6

    assert ed.redo() == "Add customer segment “Locals”"
    # Redo names the item as it reads once redone, not as it read before the edit.
    assert ed.redo() == "Edit “Locals on foot”"
    assert snapshot(ed) == states[2]
    assert ed.redo_description == "Link “Locals on foot” to “Harbor view”"
    assert ed.revision == 8

    # a new change after undo forgets what could have been redone
    ed.set_problem("model")
    assert not ed.can_redo()
    assert ed.redo() is None
    assert ed.undo() == "Answer “is promotion the problem?”"
    assert snapshot(ed) == states[2]


def test_undo_keeps_the_session_object(ed: Editor) -> None:
    live = ed.session
    ed.delete("customer_segments", "cs-a")
    ed.undo()
    assert ed.session is live
    ed.redo()
    assert ed.session is live
    assert ed.session.find("cs-a") is None


def test_history_is_capped() -> None:
    editor = Editor(Session.new("s", "S"), history=3)
    for n in range(6):
        editor.add_item("goals", f"G{n}")
    undone = []
    while editor.can_undo():
        undone.append(editor.undo())
    assert undone == ["Add goal “G5”", "Add goal “G4”", "Add goal “G3”"]
    assert ids(editor, "goals") == ["g-g0", "g-g1", "g-g2"]
    while editor.can_redo():
        editor.redo()
    assert len(ids(editor, "goals")) == 6


def test_no_history() -> None:
    editor = Editor(Session.new("s", "S"), history=0)
    editor.add_item("goals", "G")
    assert editor.revision == 1
    assert not editor.can_undo()
    with pytest.raises(ValueError):
        Editor(Session.new("s", "S"), history=-1)


# -- typing bursts -------------------------------------------------------------------


def type_into(editor: Editor, setter: Any, word: str) -> None:
    for n in range(1, len(word) + 1):
        setter(word[:n])


def test_typing_burst_is_one_undo_step(ed: Editor) -> None:
    before = snapshot(ed)
    type_into(ed, lambda t: ed.set_text("customer_segments", "cs-a", t), "Ferry folk")
    assert ed.revision == len("Ferry folk")
    assert ed.session.canvas.customer_segments[0].text == "Ferry folk"
    assert ed.undo() == "Edit “Commuters”"
    assert not ed.can_undo()
    assert snapshot(ed) == before
    assert ed.redo() == "Edit “Ferry folk”"
    assert ed.session.canvas.customer_segments[0].text == "Ferry folk"


def test_history_names_items_as_they_read_now(ed: Editor) -> None:
    # "Redone: Edit “Baristas”" named text the item no longer had ("Baristas team").
    ed.set_text("customer_segments", "cs-a", "Baristas")
    ed.seal()
    ed.set_text("customer_segments", "cs-a", "Baristas team")
    assert ed.undo_description == "Edit “Baristas team”"
    assert ed.undo() == "Edit “Baristas”"
    assert ed.redo_description == "Edit “Baristas”"
    assert ed.redo() == "Edit “Baristas team”"
    # Gone after a redo of its deletion: named as it was just before.
    ed.delete("customer_segments", "cs-a")
    assert ed.undo() == "Delete “Baristas team”"
    assert ed.redo() == "Delete “Baristas team”"


def test_a_rating_is_named_as_people_see_it(ed: Editor) -> None:
    # "Rate evolving customer" was the file's key, not the principle's name on screen.
    ed.set_rating("evolving_customer", 4)
    assert ed.undo() == "Rate “Customers keep changing”"


def test_a_different_target_starts_a_new_step(ed: Editor) -> None:
    ed.set_text("customer_segments", "cs-a", "A1")
    ed.set_text("customer_segments", "cs-a", "A12")
    ed.set_text("customer_segments", "cs-b", "B1")
    ed.set_text("customer_segments", "cs-b", "B12")
    ed.set_text("customer_segments", "cs-a", "A123")
    assert ed.undo() == "Edit “A12”"
    assert ed.undo() == "Edit “Tourists”"
    assert ed.undo() == "Edit “Commuters”"
    assert not ed.can_undo()


def test_seal_ends_a_burst(ed: Editor) -> None:
    ed.set_text("customer_segments", "cs-a", "One")
    ed.seal()
    ed.set_text("customer_segments", "cs-a", "One two")
    ed.set_text("customer_segments", "cs-a", "One two three")
    assert ed.undo() == "Edit “One”"
    assert ed.session.canvas.customer_segments[0].text == "One"
    assert ed.undo() == "Edit “Commuters”"


def test_a_structural_change_ends_a_burst(ed: Editor) -> None:
    ed.set_text("customer_segments", "cs-a", "One")
    ed.toggle_link("plan", "a-b", "segments", "cs-a")
    ed.set_text("customer_segments", "cs-a", "One two")
    assert ed.undo() == "Edit “One”"
    assert ed.undo() == "Link “One” to “Posters”"
    assert ed.undo() == "Edit “Commuters”"


def test_undo_ends_a_burst(ed: Editor) -> None:
    ed.set_text("customer_segments", "cs-a", "One")
    ed.set_problem("unsure")
    ed.undo()
    ed.set_text("customer_segments", "cs-a", "One two")
    assert ed.undo() == "Edit “One”"
    assert ed.session.canvas.customer_segments[0].text == "One"


def test_a_no_op_does_not_end_a_burst(ed: Editor) -> None:
    ed.set_text("customer_segments", "cs-a", "One")
    ed.set_problem(None)  # already None
    ed.set_text("customer_segments", "cs-a", "One two")
    assert ed.undo() == "Edit “Commuters”"
    assert not ed.can_undo()


@pytest.mark.parametrize(
    "setter",
    [
        lambda e, t: e.set_field("plan", "a-a", "owner", t),
        lambda e, t: e.set_field("plan", "a-a", "kpi", t),
        lambda e, t: e.set_field("goals", "g-a", "target", t),
        lambda e, t: e.set_answer("why", t),
        lambda e, t: e.set_strategy_field("vision", t),
        lambda e, t: e.set_strategy_field("budget", t),
        lambda e, t: e.set_session_field("title", t),
        lambda e, t: e.set_session_field("facilitator", t),
    ],
)
def test_other_typed_fields_coalesce(ed: Editor, setter: Any) -> None:
    before = snapshot(ed)
    type_into(ed, lambda t: setter(ed, t), "abcdef")
    assert ed.revision == 6
    ed.undo()
    assert not ed.can_undo()
    assert snapshot(ed) == before


def test_emptying_an_answer_within_a_burst_is_still_one_step(ed: Editor) -> None:
    for text in ["a", "ab", "a", "", "x"]:
        ed.set_answer("why", text)
    assert ed.undo() == "Edit an answer"
    assert "why" not in ed.session.social.answers
    assert not ed.can_undo()


def test_choices_and_yes_no_are_always_their_own_step(ed: Editor) -> None:
    ed.set_field("practices", "pr-a", "kept", False)
    ed.set_field("practices", "pr-a", "kept", True)
    ed.set_field("plan", "a-a", "purpose", "awareness")
    ed.set_field("plan", "a-a", "purpose", "upsell")
    ed.set_strategy_field("focus", "launch")
    ed.set_strategy_field("focus", "upsell")
    ed.set_rating("conversation", 2)
    ed.set_rating("conversation", 3)
    ed.set_fitness("accountability", True)
    ed.set_fitness("accountability", False)
    ed.set_problem("model")
    ed.set_problem("promotion")
    count = 0
    while ed.undo():
        count += 1
    assert count == 12


# -- no-ops --------------------------------------------------------------------------


def test_setting_the_current_value_changes_nothing(ed: Editor) -> None:
    ed.set_answer("why", "because")
    ed.set_rating("conversation", 3)
    ed.set_fitness("accountability", True)
    ed.set_strategy_field("focus", "launch")
    ed.set_session_field("participants", ["Sam"])
    ed.seal()
    revision, undo = ed.revision, ed.undo_description
    ed.set_text("customer_segments", "cs-a", "Commuters")
    ed.set_text("customer_segments", "cs-a", "Commuters\x00")  # the same once cleaned
    ed.set_field("plan", "a-a", "owner", "Sam")
    ed.set_field("plan", "a-b", "owner", None)
    ed.set_field("practices", "pr-a", "kept", True)
    ed.set_field("dates", "d-a", "date", "2027-01-11")
    ed.set_links("value_propositions", "vp-a", "segments", ["cs-a", "cs-b"])
    ed.set_session_field("title", "Harbor Coffee")
    ed.set_session_field("facilitator", None)
    ed.set_session_field("participants", ("Sam",))
    ed.set_session_field("step", "social")
    ed.set_problem(None)
    ed.set_answer("why", "because")
    ed.set_answer("unanswered", "")
    ed.set_rating("conversation", 3)
    ed.set_rating("customer_guided", None)
    ed.set_strategy_field("focus", "launch")
    ed.set_strategy_field("start", None)
    ed.set_fitness("accountability", True)
    ed.set_fitness("market_driven", None)
    assert ed.revision == revision
    assert ed.undo_description == undo


# -- sections ------------------------------------------------------------------------


def test_session_fields(ed: Editor) -> None:
    ed.set_session_field("title", "Harbour Coffee")
    ed.set_session_field("facilitator", "Ana")
    ed.set_session_field("participants", ("Sam", "Kim\x1b[2J"))
    s = ed.session
    assert (s.title, s.facilitator, s.participants) == ("Harbour Coffee", "Ana", ["Sam", "Kim"])
    ed.set_session_field("participants", None)
    assert s.participants is None
    with pytest.raises(ValueError, match="title cannot be empty"):
        ed.set_session_field("title", None)
    with pytest.raises(ValueError, match="list of names"):
        ed.set_session_field("participants", "Sam")
    with pytest.raises(ValueError, match="step must be one of"):
        ed.set_session_field("step", "lunch")
    with pytest.raises(KeyError, match="not a session field"):
        ed.set_session_field("id", "other")
    with pytest.raises(KeyError, match="not a session field"):
        ed.set_session_field("updated", None)


def test_step_is_saved_but_not_undone(ed: Editor) -> None:
    ed.set_problem("model")
    revision = ed.revision
    for step in STEPS:
        ed.set_session_field("step", step)
    assert ed.revision == revision + len(STEPS) - 1  # "social" was already set
    assert ed.undo() == "Answer “is promotion the problem?”"
    assert ed.session.step == "summary"
    assert ed.session.social.problem is None
    ed.set_session_field("step", "canvas")
    ed.redo()
    assert ed.session.step == "canvas"
    assert ed.session.social.problem == "model"


def test_step_does_not_break_a_burst(ed: Editor) -> None:
    ed.set_text("customer_segments", "cs-a", "One")
    ed.set_session_field("step", "canvas")
    ed.set_text("customer_segments", "cs-a", "One two")
    assert ed.undo() == "Edit “Commuters”"
    assert not ed.can_undo()


def test_set_problem(ed: Editor) -> None:
    for value in (*PROBLEMS, None):
        ed.set_problem(value)
        assert ed.session.social.problem == value
    with pytest.raises(ValueError, match="must be one of “promotion”, “model”, “unsure”"):
        ed.set_problem("marketing")


def test_set_answer(ed: Editor) -> None:
    ed.set_answer("who", "Commuters\x07")
    assert ed.session.social.answers == {"who": "Commuters"}
    ed.seal()
    ed.set_answer("who", "")
    assert ed.session.social.answers == {}
    ed.undo()
    assert ed.session.social.answers == {"who": "Commuters"}
    for bad in ("", "  ", "a\x00b", 3):
        with pytest.raises(KeyError, match="not an answer key"):
            ed.set_answer(bad, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be text"):
        ed.set_answer("who", None)  # type: ignore[arg-type]


def test_set_rating(ed: Editor) -> None:
    for key in PRINCIPLES:
        ed.set_rating(key, 4)
    assert ed.session.social.ratings == dict.fromkeys(PRINCIPLES, 4)
    ed.set_rating("conversation", None)
    assert "conversation" not in ed.session.social.ratings
    for bad in (0, 6, True, 2.5, "3"):
        with pytest.raises(ValueError, match="from 1 to 5"):
            ed.set_rating("conversation", bad)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="not a principle"):
        ed.set_rating("vibes", 3)


def test_set_strategy_field(ed: Editor) -> None:
    ed.set_strategy_field("start", date(2027, 1, 1))
    ed.set_strategy_field("end", "2027-06-30")
    ed.set_strategy_field("vision", "The harbor's morning")
    ed.set_strategy_field("transformation", "Default coffee")
    ed.set_strategy_field("budget", "12k")
    for focus in FOCUSES:
        ed.set_strategy_field("focus", focus)
    s = ed.session.strategy
    assert (s.start, s.end, s.vision, s.transformation, s.budget, s.focus) == (
        date(2027, 1, 1),
        date(2027, 6, 30),
        "The harbor's morning",
        "Default coffee",
        "12k",
        FOCUSES[-1],
    )
    ed.set_strategy_field("focus", None)
    ed.set_strategy_field("vision", None)
    assert s.focus is None and s.vision is None
    with pytest.raises(ValueError, match="focus must be one of"):
        ed.set_strategy_field("focus", "growth")
    with pytest.raises(ValueError, match="not a date"):
        ed.set_strategy_field("end", "June")
    with pytest.raises(ValueError, match="must be text"):
        ed.set_strategy_field("budget", 12000)
    with pytest.raises(KeyError, match="not a strategy field"):
        ed.set_strategy_field("goals", [])


def test_set_fitness(ed: Editor) -> None:
    for key in FITNESS_KEYS:
        ed.set_fitness(key, False)
        assert ed.session.fitness.answer(key) is False
        ed.set_fitness(key, None)
        assert ed.session.fitness.answer(key) is None
    ed.set_fitness("scalable_process", True)
    # Undo names the question as the screen asks it, not the file's key.
    assert ed.undo() == "Answer “Does your marketing run on a process you can repeat and scale?”"
    with pytest.raises(ValueError, match="yes or no"):
        ed.set_fitness("accountability", 1)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="not a fitness question"):
        ed.set_fitness("speed", True)


def test_edited_session_round_trips(ed: Editor) -> None:
    ed.add_item("plan", "Radio\x1b[1m spot", purpose="awareness", budget=1.5, start="2027-01-01")
    ed.set_answer("who", 'quotes " and \\ and\nnewlines')
    ed.set_rating("conversation", 5)
    ed.set_fitness("accountability", False)
    ed.set_strategy_field("end", "2027-06-30")
    back = parse_toml(dump_toml(ed.session).encode())
    assert session_to_dict(back) == session_to_dict(ed.session)


# -- random sequences of edits -------------------------------------------------------

TEXT = st.text(
    st.characters(codec="utf-8")  # utf-8 has no lone surrogates
    | st.sampled_from("\x00\x1b\t\n\r"),
    max_size=24,
)
MAYBE_DATE = st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def field_values(kind: str, name: str) -> st.SearchStrategy[Any]:
    if name == "kind":
        return st.none() | st.sampled_from(PRACTICE_KINDS)
    if name == "purpose":
        return st.none() | st.sampled_from(PURPOSES)
    if name in ("improves", "long_term_value"):
        return st.none() | st.booleans()
    if name == "kept":
        return st.booleans()
    if name in ("start", "end"):
        return MAYBE_DATE
    if name == "date":
        return st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
    if name == "budget":
        return (
            st.none()
            | st.integers(-(10**9), 10**9)
            | st.floats(allow_nan=False, allow_infinity=False)
        )
    return st.none() | TEXT


FIELDS = {
    "practices": ("kind", "improves", "long_term_value", "kept"),
    "goals": ("metric", "target"),
    "dates": ("date",),
    "plan": ("purpose", "start", "end", "owner", "budget", "kpi", "target"),
}

OPS = (
    "add",
    "add",
    "set_text",
    "set_text",
    "set_field",
    "set_links",
    "toggle_link",
    "move",
    "delete",
    "delete",
    "duplicate",
    "seal",
    "undo",
    "redo",
    "session_field",
    "problem",
    "answer",
    "rating",
    "strategy",
    "fitness",
    "bad_link",
)


def linkable(session: Session, kind: str, link_field: str) -> list[str]:
    allowed = LINK_SCHEMA[kind][link_field]
    return [item.id for k in allowed for item in session.items_of(k)]


def random_op(editor: Editor, data: st.DataObject) -> None:
    session = editor.session
    items = [(kind, item.id) for kind, item in session.all_items()]
    op = data.draw(st.sampled_from(OPS))
    kind_id = data.draw(st.sampled_from(items)) if items else None
    if op == "add" or kind_id is None:
        kind = data.draw(st.sampled_from(KINDS))
        links: dict[str, list[str]] = {}
        for link_field in LINK_SCHEMA[kind]:
            targets = linkable(session, kind, link_field)
            wanted = data.draw(st.booleans())
            if targets and wanted:
                links[link_field] = data.draw(st.lists(st.sampled_from(targets), max_size=4))
        editor.add_item(
            kind, data.draw(TEXT), index=data.draw(st.none() | st.integers(-2, 9)), **links
        )
        return
    kind, item_id = kind_id
    if op == "set_text":
        editor.set_text(kind, item_id, data.draw(TEXT))
    elif op == "set_field" and kind in FIELDS:
        name = data.draw(st.sampled_from(FIELDS[kind]))
        editor.set_field(kind, item_id, name, data.draw(field_values(kind, name)))
    elif op in ("set_links", "toggle_link", "bad_link") and LINK_SCHEMA[kind]:
        link_field = data.draw(st.sampled_from(sorted(LINK_SCHEMA[kind])))
        targets = linkable(session, kind, link_field)
        if op == "set_links":
            chosen = data.draw(st.lists(st.sampled_from(targets), max_size=5)) if targets else []
            editor.set_links(kind, item_id, link_field, chosen)
        elif op == "toggle_link" and targets:
            editor.toggle_link(kind, item_id, link_field, data.draw(st.sampled_from(targets)))
        elif op == "bad_link":
            wrong = sorted(session.used_ids() - set(targets)) + ["no-such-item"]
            before, revision = session_to_dict(session), editor.revision
            with pytest.raises(ValueError):
                editor.set_links(kind, item_id, link_field, [data.draw(st.sampled_from(wrong))])
            assert session_to_dict(session) == before and editor.revision == revision
    elif op == "move":
        editor.move(kind, item_id, data.draw(st.integers(-3, 3)))
    elif op == "delete":
        editor.delete(kind, item_id)
    elif op == "duplicate":
        editor.duplicate_item(kind, item_id)
    elif op == "seal":
        editor.seal()
    elif op == "undo":
        editor.undo()
    elif op == "redo":
        editor.redo()
    elif op == "session_field":
        name = data.draw(st.sampled_from(("title", "facilitator", "participants", "step")))
        value: Any = {
            "title": TEXT,
            "facilitator": st.none() | TEXT,
            "participants": st.none() | st.lists(TEXT, max_size=3),
            "step": st.none() | st.sampled_from(STEPS),
        }[name]
        editor.set_session_field(name, data.draw(value))
    elif op == "problem":
        editor.set_problem(data.draw(st.none() | st.sampled_from(PROBLEMS)))
    elif op == "answer":
        editor.set_answer(data.draw(st.sampled_from(("who", "why", "how"))), data.draw(TEXT))
    elif op == "rating":
        editor.set_rating(
            data.draw(st.sampled_from(PRINCIPLES)), data.draw(st.none() | st.integers(1, 5))
        )
    elif op == "strategy":
        name = data.draw(st.sampled_from(("start", "end", "vision", "focus", "budget")))
        value = {
            "start": MAYBE_DATE,
            "end": MAYBE_DATE,
            "focus": st.none() | st.sampled_from(FOCUSES),
        }.get(name, st.none() | TEXT)
        editor.set_strategy_field(name, data.draw(value))
    elif op == "fitness":
        editor.set_fitness(
            data.draw(st.sampled_from(FITNESS_KEYS)), data.draw(st.none() | st.booleans())
        )


def without_step(doc: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in doc.items() if key != "step"}


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), start_empty=st.booleans())
def test_random_edits_never_break_the_session_and_undo_all_restores_it(
    data: st.DataObject, start_empty: bool
) -> None:
    session = Session.new("s", "S") if start_empty else linked_session()
    original = copy.deepcopy(session_to_dict(session))
    editor = Editor(session)
    count = data.draw(st.integers(1, 30))
    for _ in range(count):
        revision = editor.revision
        random_op(editor, data)
        assert editor.revision >= revision
        assert len(editor.session.used_ids()) == sum(1 for _ in editor.session.all_items())

    assert dangling_or_duplicate(editor.session) == []
    back = parse_toml(dump_toml(editor.session).encode("utf-8"))
    assert session_to_dict(back) == session_to_dict(editor.session)

    step = editor.session.step
    undone = 0
    while editor.undo() is not None:
        undone += 1
    assert undone <= count
    assert without_step(session_to_dict(editor.session)) == without_step(original)
    assert editor.session.step == step
    assert editor.session is session


# -- format 1.1: amounts, pays, checklist, buyers, currency ----------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1200", 1200),
        ("1,200", 1200),
        ("1 200.50", 1200.5),
        ("  1200.5 ", 1200.5),
        ("1,200,300.25", 1200300.25),
        ("1\u00a0200", 1200),
        ("0", 0),
        (".5", 0.5),
        ("1000000000000", 10**12),
    ],
)
def test_amounts_are_typed_as_people_type_them(typed: str, stored: float) -> None:
    assert parse_amount(typed) == stored
    assert type(parse_amount(typed)) is type(stored)


@pytest.mark.parametrize(
    "typed",
    ["abc", "-3", "12,5", "1,2000", "12 34", "1e5", "nan", "inf", "1000000000001", "1.2.3", "€"],
)
def test_what_is_not_an_amount_says_so(typed: str) -> None:
    with pytest.raises(EditError):
        parse_amount(typed)


def test_an_empty_amount_clears(ed: Editor) -> None:
    assert parse_amount("  ") is None
    ed.set_field("revenue_streams", "rs-a", "monthly", "")
    assert ed.item("revenue_streams", "rs-a").monthly is None  # type: ignore[attr-defined]


def test_set_monthly_from_text_and_refuse_bad_values(ed: Editor) -> None:
    ed.set_field("cost_structure", "cost-a", "monthly", "1 200.50")
    cost = ed.item("cost_structure", "cost-a")
    assert cost.monthly == 1200.5  # type: ignore[attr-defined]
    for bad in ("lots", -1, float("nan"), float("inf"), True, 10**12 + 1):
        with pytest.raises(EditError):
            ed.set_field("cost_structure", "cost-a", "monthly", bad)
    assert cost.monthly == 1200.5  # type: ignore[attr-defined]
    with pytest.raises(UnknownName):
        ed.set_field("key_activities", "ka-a", "monthly", 3)


def test_pays_checklist_buyers_and_currency(ed: Editor) -> None:
    ed.set_field("customer_segments", "cs-b", "pays", False)
    ed.set_field("practices", "pr-a", "checklist", True)
    ed.set_strategy_field("buyers", "Commuters decide in seconds")
    ed.set_session_field("currency", "EUR")
    doc = session_to_dict(ed.session)
    assert doc["canvas"]["customer_segments"][1]["pays"] is False
    assert doc["practices"][0]["checklist"] is True
    assert doc["strategy"]["buyers"] == "Commuters decide in seconds"
    assert doc["currency"] == "EUR"
    for _ in range(4):
        ed.undo()
    doc = session_to_dict(ed.session)
    assert "pays" not in doc["canvas"]["customer_segments"][1]
    assert "buyers" not in doc.get("strategy", {}) and "currency" not in doc


def test_new_links_are_checked_like_every_link(ed: Editor) -> None:
    with pytest.raises(EditError):
        ed.set_links("customer_relationships", "cr-a", "channels", ["cs-a"])
    with pytest.raises(EditError):
        ed.set_links("revenue_streams", "rs-a", "propositions", ["ch-a"])
    ed.set_links("revenue_streams", "rs-a", "propositions", ["vp-b", "vp-a"])
    ed.delete("value_propositions", "vp-b")
    assert ed.item("revenue_streams", "rs-a").linked("propositions") == ["vp-a"]


def test_ids_chosen_by_the_caller_must_be_well_formed_and_free() -> None:
    from bmc_tui.editing import EditError, Editor
    from bmc_tui.model import Session

    editor = Editor(Session.new("s", "S"))
    item = editor.add_item("channels", "Ferry", item_id="ch-ana")
    assert item.id == "ch-ana"
    for bad in ("ch-ana", "Bad Id", "", "x" * 65):
        with pytest.raises(EditError):
            editor.add_item("channels", "again", item_id=bad)
    twin = editor.duplicate_item("channels", "ch-ana", new_id="ch-bo")
    assert twin.id == "ch-bo" and [i.id for i in editor.session.canvas.channels] == [
        "ch-ana",
        "ch-bo",
    ]


def test_restore_item_puts_back_the_item_and_the_links_that_still_can_be() -> None:
    from bmc_tui.editing import Editor
    from bmc_tui.model import Item, Segment, Session

    session = Session.new("s", "S")
    session.canvas.customer_segments.append(Segment("cs-a", "A"))
    session.canvas.value_propositions += [
        Item("vp-1", "One", links={"segments": ["cs-a"]}),
        Item("vp-2", "Two", links={"segments": ["cs-a"]}),
    ]
    editor = Editor(session)
    doomed = editor.item("customer_segments", "cs-a")
    refs = editor.delete("customer_segments", "cs-a")
    editor.delete("value_propositions", "vp-2")  # one holder is gone by the time of restore
    editor.restore_item("customer_segments", 5, doomed, refs)
    assert [i.id for i in session.canvas.customer_segments] == ["cs-a"]
    assert session.canvas.value_propositions[0].linked("segments") == ["cs-a"]
    assert editor.can_undo()


def test_undo_and_redo_know_where_each_change_was() -> None:
    from bmc_tui.editing import Where

    editor = Editor(Session(id="s", title="S"))
    assert editor.undo_where is None and editor.redo_where is None
    segment = editor.add_item("customer_segments", "Commuters")
    assert editor.undo_where == Where("customer_segments", segment.id, "text")
    offer = editor.add_item("value_propositions", "Coffee")
    editor.set_links("value_propositions", offer.id, "segments", [segment.id])
    assert editor.undo_where == Where("value_propositions", offer.id, "segments")
    editor.set_text("customer_segments", segment.id, "Ferry commuters")
    editor.seal()
    editor.set_answer("check.strengths", "Roasting")
    editor.set_strategy_field("vision", "Every dock")
    editor.set_rating("function_first", 3)
    editor.set_fitness("accountability", True)
    editor.set_problem("model")
    expected = [
        Where("problem"),
        Where("fitness", "accountability"),
        Where("rating", "function_first"),
        Where("strategy", "vision"),
        Where("answer", "check.strengths"),
        Where("customer_segments", segment.id, "text"),
    ]
    for where in expected:
        assert editor.undo_where == where
        editor.undo()
        assert editor.redo_where == where  # redo shows the same place
    editor.delete("value_propositions", offer.id)
    assert editor.undo_where == Where("value_propositions", offer.id)


def test_a_typed_day_says_whether_it_is_badly_written_or_no_day_at_all() -> None:
    from bmc_tui.editing import NOT_A_DATE, read_day

    assert read_day(" 2026-02-28 ") == date(2026, 2, 28)
    assert read_day("") is None
    for written_badly in ("2026-1", "20260101", "2026/01/01"):
        with pytest.raises(EditError) as caught:
            read_day(written_badly)
        assert str(caught.value) == NOT_A_DATE
    for text, why in (
        ("2026-02-30", "February 2026 has 28 days"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("2026-13-45", "there is no month 13"),
        ("2026-00-10", "there is no month 00"),
        ("0000-01-01", "there is no year 0000"),
    ):
        with pytest.raises(EditError) as caught:
            read_day(text)
        assert str(caught.value) == (
            f"“{text}” is not a real date: {why} (it is saved once it is one)."
        )
