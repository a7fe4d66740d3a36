"""Several people editing one session: operations, the team's one copy, and a member's copy.

No Textual and no network here (the sockets are in ``serve/hub.py``, ``serve/member.py``).

An :class:`Op` is one call of an :class:`~bmc_tui.editing.Editor` method, as data: its name
and its arguments, with the ids of the items it names. Every change to a session already
goes through one Editor method per kind of change, so those calls are the whole protocol.

* :class:`TeamState` is the team's truth (the server holds it, and is its only writer). It
  applies operations in arrival order, each through the Editor, so an operation naming an
  unknown item or field is refused before anything changes. The last writer wins per
  field: nothing is merged or transformed, the server's order decides (as in Figma's
  multiplayer). It numbers what it applies and notes, per field, who wrote it last, so a
  change made without having seen a teammate's change to the same field is reported as
  overwriting it.
* :class:`Replica` is one member's copy. Its own edits apply at once (typing never waits
  for the network) and are sent; until the server's echo comes back they are *pending*.
  A teammate's change to a field with a pending change of ours is not shown: ours comes
  after it in the server's order, so ours is what the team ends with. Everything else
  applies as it arrives. A second copy, ``confirmed``, follows the server's order exactly;
  when nothing is pending and the two could differ (lists reordered on both sides at once,
  a refusal), the local copy is set to it, so every member ends with the server's session.
* Undo is per member and made of operations (the inverse of each own change, taken before
  it), so it never needs the team's snapshot, and it refuses to undo a field a teammate has
  changed since: undo never removes a teammate's change.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from .codec import SessionFormatError, item_from_toml, item_to_toml
from .editing import (
    FITNESS_ASKED,
    NOUNS,
    PRINCIPLE_TITLES,
    EditError,
    Editor,
    LinkRef,
    UnknownName,
    Where,
)
from .model import KIND_TITLES, KINDS, STRATEGY_LISTS, Item, Session
from .text import one_line

# What an argument of an operation may be (checked before the Editor sees it).
_STR: Final = "str"
_OPT_STR: Final = "str?"
_INT: Final = "int"
_OPT_INT: Final = "int?"
_OPT_BOOL: Final = "bool?"
_STRS: Final = "strs"
_VALUE: Final = "value"  # None, bool, int, float, str, or a list of str
_REFS: Final = "refs"  # a list of [kind, item id, link field]

# The operations, with their arguments in call order. Nothing else is ever applied.
OPS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "add_item": MappingProxyType(
            {"kind": _STR, "item_id": _STR, "text": _STR, "index": _OPT_INT}
        ),
        "duplicate_item": MappingProxyType({"kind": _STR, "item_id": _STR, "new_id": _STR}),
        "set_text": MappingProxyType({"kind": _STR, "item_id": _STR, "text": _STR}),
        "set_field": MappingProxyType(
            {"kind": _STR, "item_id": _STR, "name": _STR, "value": _VALUE}
        ),
        "set_links": MappingProxyType({"kind": _STR, "item_id": _STR, "field": _STR, "ids": _STRS}),
        "toggle_link": MappingProxyType(
            {"kind": _STR, "item_id": _STR, "field": _STR, "target_id": _STR}
        ),
        "move": MappingProxyType({"kind": _STR, "item_id": _STR, "delta": _INT}),
        "delete": MappingProxyType({"kind": _STR, "item_id": _STR}),
        "restore_item": MappingProxyType(
            {"kind": _STR, "index": _INT, "item": _STR, "refs": _REFS}
        ),
        "set_session_field": MappingProxyType({"name": _STR, "value": _VALUE}),
        "set_problem": MappingProxyType({"value": _OPT_STR}),
        "set_answer": MappingProxyType({"key": _STR, "text": _STR}),
        "set_rating": MappingProxyType({"key": _STR, "value": _OPT_INT}),
        "set_strategy_field": MappingProxyType({"name": _STR, "value": _VALUE}),
        "set_fitness": MappingProxyType({"key": _STR, "value": _OPT_BOOL}),
    }
)
# Operations that set one field (last writer wins); the others change a list.
FIELD_OPS: Final = frozenset(OPS) - {
    "add_item",
    "duplicate_item",
    "move",
    "delete",
    "restore_item",
}
# Typed fields: consecutive changes of one of them are one undo step (as in the Editor).
_TYPED_OPS: Final = frozenset({"set_text", "set_answer", "set_field", "set_strategy_field"})
MAX_ITEM_TOML: Final = 64 * 1024
MAX_LIST: Final = 1000

Key = tuple[str, ...]


class BadOperation(ValueError):
    """An operation that is not one (wrong name, arguments or types); said for people."""


class Refused(ValueError):
    """A well-formed operation the session cannot take; nothing was changed."""


def _check_value(kind: str, value: Any) -> bool:
    if kind == _STR:
        return isinstance(value, str)
    if kind == _OPT_STR:
        return value is None or isinstance(value, str)
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _OPT_INT:
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    if kind == _OPT_BOOL:
        return value is None or isinstance(value, bool)
    if kind == _STRS:
        return (
            isinstance(value, list)
            and len(value) <= MAX_LIST
            and all(isinstance(v, str) for v in value)
        )
    if kind == _VALUE:
        return (
            value is None
            or isinstance(value, bool | int | float | str)
            or _check_value(_STRS, value)
        )
    if kind == _REFS:
        return (
            isinstance(value, list)
            and len(value) <= MAX_LIST
            and all(
                isinstance(r, list) and len(r) == 3 and all(isinstance(p, str) for p in r)
                for r in value
            )
        )
    raise AssertionError(kind)  # pragma: no cover


@dataclass(frozen=True)
class Op:
    """One Editor call: `name` and its arguments by name (JSON values only)."""

    name: str
    args: Mapping[str, Any]

    @classmethod
    def make(cls, op_name: str, /, **args: Any) -> Op:
        return cls.parse({"name": op_name, "args": args})

    @classmethod
    def parse(cls, data: Any) -> Op:
        """An operation from its JSON form, or BadOperation saying what is wrong."""
        if not isinstance(data, dict):
            raise BadOperation("an operation is an object with a name and arguments")
        name, args = data.get("name"), data.get("args")
        if not isinstance(name, str) or name not in OPS:
            raise BadOperation(f"{one_line(str(name), 40)!r} is not an operation")
        if not isinstance(args, dict):
            raise BadOperation(f"{name}: the arguments must be an object")
        schema = OPS[name]
        unknown = set(args) - set(schema)
        if unknown:
            raise BadOperation(f"{name}: unknown argument {one_line(sorted(unknown)[0], 40)!r}")
        for arg, kind in schema.items():
            if arg not in args and kind.endswith("?"):
                continue
            if arg not in args:
                raise BadOperation(f"{name}: the argument {arg!r} is missing")
            if not _check_value(kind, args[arg]):
                raise BadOperation(f"{name}: {arg!r} has the wrong type")
        if name == "set_session_field" and args.get("name") == "step":
            # Where a member is in the workshop is theirs, not the team's: it is presence.
            raise BadOperation("set_session_field: the step is each member's own")
        if name == "restore_item" and len(args["item"]) > MAX_ITEM_TOML:
            raise BadOperation("restore_item: the item is too large")
        return cls(name, MappingProxyType(dict(args)))

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "args": dict(self.args)}

    @property
    def keys(self) -> tuple[Key, ...]:
        return op_keys(self)


def op_keys(op: Op) -> tuple[Key, ...]:
    """What an operation writes: one field (for the field operations) or one list."""
    a = op.args
    name = op.name
    if name == "set_text":
        return (("item", a["kind"], a["item_id"], "text"),)
    if name == "set_field":
        return (("item", a["kind"], a["item_id"], a["name"]),)
    if name in ("set_links", "toggle_link"):
        return (("item", a["kind"], a["item_id"], a["field"]),)
    if name == "set_session_field":
        return (("session", a["name"]),)
    if name == "set_problem":
        return (("problem",),)
    if name == "set_answer":
        return (("answer", a["key"]),)
    if name == "set_rating":
        return (("rating", a["key"]),)
    if name == "set_strategy_field":
        return (("strategy", a["name"]),)
    if name == "set_fitness":
        return (("fitness", a["key"]),)
    return (("list", a["kind"]),)


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def apply_op(editor: Editor, op: Op) -> None:
    """Apply an operation through the Editor's own checks: all of it, or Refused and nothing.

    The base class's methods are called, so a recording editor does not record it again.
    """
    a = op.args
    try:
        if op.name == "restore_item":
            try:
                item = item_from_toml(a["kind"], a["item"])
            except SessionFormatError as error:
                raise EditError(f"the item to restore cannot be read: {error}") from None
            refs = [LinkRef(*ref) for ref in a["refs"]]
            Editor.restore_item(editor, a["kind"], a["index"], item, refs)
        elif op.name == "add_item":
            Editor.add_item(
                editor, a["kind"], a["text"], index=a.get("index"), item_id=a["item_id"]
            )
        elif op.name == "duplicate_item":
            Editor.duplicate_item(editor, a["kind"], a["item_id"], new_id=a["new_id"])
        else:
            getattr(Editor, op.name)(editor, *(a[arg] for arg in OPS[op.name] if arg in a))
    except (EditError, UnknownName) as error:
        raise Refused(str(error)) from None


def inverse(session: Session, op: Op) -> Op | None:
    """The operation that undoes `op`, worked out *before* `op` is applied (None: no-op or
    not applicable, e.g. it names an item that is not there)."""
    a = op.args
    name = op.name
    found = session.find(a["item_id"]) if "item_id" in a else None
    item = found[1] if found else None
    if name == "set_text":
        return None if item is None else Op.make(name, **{**a, "text": item.text})
    if name == "set_field":
        if item is None or not hasattr(item, a["name"]):
            return None
        return Op.make(name, **{**a, "value": _json_value(getattr(item, a["name"]))})
    if name in ("set_links", "toggle_link"):
        if item is None:
            return None
        return Op.make(
            "set_links",
            kind=a["kind"],
            item_id=a["item_id"],
            field=a["field"],
            ids=list(item.linked(a["field"])),
        )
    if name == "move":
        if found is None or found[0] != a["kind"]:
            return None
        items = session.items_of(a["kind"])
        index = next(i for i, it in enumerate(items) if it.id == a["item_id"])
        target = max(0, min(index + a["delta"], len(items) - 1))
        return Op.make("move", kind=a["kind"], item_id=a["item_id"], delta=index - target)
    if name == "add_item":
        return Op.make("delete", kind=a["kind"], item_id=a["item_id"])
    if name == "duplicate_item":
        return Op.make("delete", kind=a["kind"], item_id=a["new_id"])
    if name == "restore_item":
        try:
            restored = item_from_toml(a["kind"], a["item"])
        except SessionFormatError:
            return None
        return Op.make("delete", kind=a["kind"], item_id=restored.id)
    if name == "delete":
        if found is None or found[0] != a["kind"] or item is None:
            return None
        items = session.items_of(a["kind"])
        index = next(i for i, it in enumerate(items) if it is item)
        refs = [
            [holder_kind, holder.id, link_field]
            for holder_kind, holder in session.all_items()
            for link_field, ids in holder.links.items()
            if a["item_id"] in ids
        ]
        return Op.make(
            "restore_item",
            kind=a["kind"],
            index=index,
            item=item_to_toml(a["kind"], item),
            refs=refs,
        )
    if name == "set_session_field":
        value = getattr(session, a["name"], None)
        return Op.make(name, name=a["name"], value=_json_value(value))
    if name == "set_problem":
        return Op.make(name, value=session.social.problem)
    if name == "set_answer":
        return Op.make(name, key=a["key"], text=session.social.answers.get(a["key"], ""))
    if name == "set_rating":
        return Op.make(name, key=a["key"], value=session.social.ratings.get(a["key"]))
    if name == "set_strategy_field":
        value = getattr(session.strategy, a["name"], None)
        return Op.make(name, name=a["name"], value=_json_value(value))
    if name == "set_fitness":
        return Op.make(name, key=a["key"], value=getattr(session.fitness, a["key"], None))
    raise AssertionError(name)  # pragma: no cover


def describe(op: Op, session: Session) -> str:
    """A few words for people: what an operation changes ("the text of “Commuters”")."""
    a = op.args
    if "item_id" in a:
        found = session.find(a["item_id"])
        label = one_line(found[1].label, 30) if found else ""
        noun = NOUNS.get(a.get("kind", ""), "item")
        what = f"“{label}”" if label else f"a {noun}"
        if op.name == "set_text":
            return f"the text of {what}"
        if op.name == "set_field":
            return f"the {FIELD_WORDS.get(a['name'], a['name'].replace('_', ' '))} of {what}"
        if op.name in ("set_links", "toggle_link"):
            return f"the {a['field'].replace('_', ' ')} of {what}"
        return what
    if op.name == "set_answer":
        return "an answer"
    if op.name == "set_strategy_field":
        return f"the strategy's {a['name']}"
    if op.name == "set_session_field":
        return f"the session's {a['name']}"
    if op.name == "set_rating":
        title = PRINCIPLE_TITLES.get(a["key"])
        return f"the rating of “{title}”" if title else "a rating"
    if op.name == "set_fitness":
        asked = FITNESS_ASKED.get(a["key"])
        return f"the answer to “{asked}”" if asked else "a fitness answer"
    if op.name == "set_problem":
        return "the answer to “is promotion the problem?”"
    return KIND_TITLES.get(a.get("kind", ""), "the session")


# Field names as people say them, where the file's name is not a word ("monthly").
FIELD_WORDS: Final = MappingProxyType({"monthly": "monthly amount", "kpi": "KPI"})
# What an operation on a whole item does, for undo and redo ("Undone: Delete “Ferry”").
_ITEM_VERBS: Final = MappingProxyType(
    {
        "add_item": "Add",
        "duplicate_item": "Duplicate",
        "move": "Move",
        "delete": "Delete",
        "restore_item": "Restore",
    }
)


def describe_action(op: Op, session: Session) -> str:
    """What an operation does, as undo and redo name it ("Delete “Ferry”", "The text of …")."""
    verb = _ITEM_VERBS.get(op.name)
    if verb is None:
        return _capital(describe(op, session))
    return f"{verb} {_item_words(op, session)}"


def _item_words(op: Op, session: Session) -> str:
    """The item an operation is about: its text, or what kind of item it is."""
    if op.name == "restore_item":
        # Not in the session yet: named from the item the operation carries.
        try:
            item = item_from_toml(op.args["kind"], op.args["item"])
        except SessionFormatError:
            item = None
        if item is not None and item.label:
            return f"“{one_line(item.label, 30)}”"
        return f"a {NOUNS.get(op.args.get('kind', ''), 'item')}"
    return describe(op, session)


def op_where(op: Op) -> Where:
    """Where an operation changes the session (undo and redo show it there again)."""
    a = op.args
    name = op.name
    if name == "add_item" or name == "set_text":
        return Where(a["kind"], a["item_id"], "text")
    if name == "duplicate_item":
        return Where(a["kind"], a["new_id"], "text")
    if name == "set_field":
        return Where(a["kind"], a["item_id"], a["name"])
    if name in ("set_links", "toggle_link"):
        return Where(a["kind"], a["item_id"], a["field"])
    if name in ("move", "delete"):
        return Where(a["kind"], a["item_id"])
    if name == "restore_item":
        try:
            return Where(a["kind"], item_from_toml(a["kind"], a["item"]).id, "text")
        except SessionFormatError:
            return Where(a["kind"])
    if name == "set_session_field":
        return Where("session", a["name"])
    if name == "set_problem":
        return Where("problem")
    if name == "set_answer":
        return Where("answer", a["key"])
    if name == "set_rating":
        return Where("rating", a["key"])
    if name == "set_strategy_field":
        return Where("strategy", a["name"])
    if name == "set_fitness":
        return Where("fitness", a["key"])
    raise AssertionError(name)  # pragma: no cover


# -- the team's copy (the server's) --------------------------------------------------


@dataclass(frozen=True)
class Applied:
    """An operation as the team applied it: its place in the order and who sent it."""

    seq: int
    author: str
    op: Op
    client: str = ""  # which connection sent it (its own echo is recognised by this)
    n: int = 0  # the sender's own number for it
    overwrote: str | None = None  # a teammate whose change to the field it replaced unseen
    base: int = 0  # the team's changes its sender had seen
    told: bool = False  # sent knowingly over `overwrote`'s change (their own brought back)

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "author": self.author,
            "op": self.op.to_json(),
            "client": self.client,
            "n": self.n,
            "overwrote": self.overwrote,
            "base": self.base,
            "told": self.told,
        }

    @classmethod
    def parse(cls, data: Any) -> Applied:
        if not isinstance(data, dict):
            raise BadOperation("an applied operation is an object")
        seq, author, client, n, overwrote, base = (
            data.get("seq"),
            data.get("author"),
            data.get("client", ""),
            data.get("n", 0),
            data.get("overwrote"),
            data.get("base", 0),
        )
        told = data.get("told", False)
        if not (
            isinstance(seq, int)
            and isinstance(author, str)
            and isinstance(client, str)
            and isinstance(n, int)
            and (overwrote is None or isinstance(overwrote, str))
            and isinstance(base, int)
            and isinstance(told, bool)
        ):
            raise BadOperation("an applied operation has the wrong fields")
        return cls(seq, author, Op.parse(data.get("op")), client, n, overwrote, base, told)


class TeamState:
    """The team's session: the one place operations are applied in order."""

    def __init__(self, session: Session, seq: int = 0) -> None:
        self.session = session
        self.editor = Editor(session, history=0)
        self.seq = seq
        self._writers: dict[Key, tuple[int, str]] = {}

    def apply(
        self, author: str, op: Op, *, base: int, client: str = "", n: int = 0, tell: bool = False
    ) -> Applied:
        """Apply `op` from `author`, who had seen the team's changes up to `base`; `tell`:
        it knowingly replaces a teammate's change (bringing one's own back), who is told."""
        if not 0 <= base <= self.seq:
            raise Refused(f"that change was made on a version the team never had ({base})")
        apply_op(self.editor, op)
        self.seq += 1
        overwrote = None
        if op.name in FIELD_OPS:
            for key in op.keys:
                previous = self._writers.get(key)
                if previous is not None and previous[1] != author and (previous[0] > base or tell):
                    overwrote = previous[1]
                self._writers[key] = (self.seq, author)
        return Applied(self.seq, author, op, client, n, overwrote, base, tell)


# -- one member's copy ---------------------------------------------------------------


@dataclass
class Change:
    """What a member's screen has to show after something arrived or was undone."""

    keys: set[Key] = field(default_factory=set)  # fields whose value changed
    kinds: set[str] = field(default_factory=set)  # lists whose items came or went or moved
    full: bool = False  # anything may have changed: show it all again
    notices: list[str] = field(default_factory=list)  # one line each, for the member

    def merge(self, other: Change) -> None:
        self.keys |= other.keys
        self.kinds |= other.kinds
        self.full = self.full or other.full
        self.notices += other.notices

    def __bool__(self) -> bool:
        return bool(self.keys or self.kinds or self.full or self.notices)


@dataclass
class _UndoStep:
    ops: list[Op]  # inverses, applied in this order
    keys: set[Key]  # the fields it writes (checked: not changed by a teammate since)
    what: Op | str  # the change it takes back (described when asked: its label then), or words
    where: Where | None = None  # where that change was made, shown again after undo/redo
    # "Bring back mine" after a teammate's change `since` replaced it: allowed over that
    # change only, never over a later one; and that teammate is told in turn.
    force: bool = False
    since: int = 0
    doomed: frozenset[str] = frozenset()  # items it deletes (refused: a teammate edited them)


@dataclass
class _Pending:
    n: int
    op: Op


_CONTENT: Final = tuple(
    f.name for f in dataclasses.fields(Session) if f.name not in ("step", "updated", "version")
)


def same_content(a: Session, b: Session) -> bool:
    """The same session for people: where each member is (step) and when it was saved aside."""
    return all(getattr(a, name) == getattr(b, name) for name in _CONTENT)


def content_change(before: Session, after: Session) -> Change:
    """What a screen showing `before` must show again to show `after`, field by field.

    Going from one copy to the other is then shown in place, like a teammate's change:
    a whole new screen would drop what the member is typing (keys still on their way to
    the session). Only a part no screen shows in place (tables this version does not
    know) asks for everything again (`full`).
    """
    change = Change()
    for name in ("title", "currency", "facilitator", "participants"):
        if getattr(before, name) != getattr(after, name):
            change.keys.add(("session", name))
    old_social, new_social = before.social, after.social
    if old_social.problem != new_social.problem:
        change.keys.add(("problem",))
    for group, old, new in (
        ("answer", old_social.answers, new_social.answers),
        ("rating", old_social.ratings, new_social.ratings),
    ):
        change.keys |= {
            (group, key) for key in old.keys() | new.keys() if old.get(key) != new.get(key)
        }
    for part, group in ((before.strategy, "strategy"), (before.fitness, "fitness")):
        other = getattr(after, group)
        for spec in dataclasses.fields(part):
            if spec.name in STRATEGY_LISTS or spec.name == "extra":
                continue
            if getattr(part, spec.name) != getattr(other, spec.name):
                change.keys.add((group, spec.name))
    for kind in KINDS:
        old_items, new_items = before.items_of(kind), after.items_of(kind)
        if [i.id for i in old_items] != [i.id for i in new_items]:
            change.kinds.add(kind)
        olds = {item.id: item for item in old_items}
        for item in new_items:
            was = olds.get(item.id)
            if was is not None and was != item:
                change.keys |= {
                    ("item", kind, item.id, name) for name in _item_differences(was, item)
                }
    unshown = (
        before.extra,
        before.social.extra,
        before.canvas.extra,
        before.strategy.extra,
        before.fitness.extra,
    )
    now = (
        after.extra,
        after.social.extra,
        after.canvas.extra,
        after.strategy.extra,
        after.fitness.extra,
    )
    change.full = unshown != now
    return change


def _item_differences(before: Item, after: Item) -> set[str]:
    """The names of an item's fields (link fields one by one) that differ."""
    names: set[str] = set()
    if type(before) is not type(after):
        return {spec.name for spec in dataclasses.fields(after)}
    for spec in dataclasses.fields(before):
        old, new = getattr(before, spec.name), getattr(after, spec.name)
        if old == new:
            continue
        if spec.name in ("links", "extra"):
            names |= {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
        else:
            names.add(spec.name)
    return names


class RecordingEditor(Editor):
    """An Editor whose changes also become operations for the team (see `Replica`)."""

    def __init__(self, session: Session, replica: Replica) -> None:
        super().__init__(session, history=0)
        self._replica = replica

    def _do(self, op: Op) -> None:
        self._replica._local(op)

    def _taken_ids(self) -> set[str]:
        # Not an id deleted in the team: its undo would bring it back, and a new item under
        # it made that undo fail ("the id … is already in use").
        return super()._taken_ids() | self._replica.retired

    def add_item(
        self,
        kind: str,
        text: str = "",
        *,
        index: int | None = None,
        item_id: str | None = None,
        **fields: Any,
    ) -> Item:
        if fields:
            raise EditError("a team's new item starts with its text only")
        # Ids carry the member's name: two members adding at once never pick the same one.
        item_id = item_id or self.new_id(kind, f"{self._replica.tag} {text}")
        self._do(Op.make("add_item", kind=kind, item_id=item_id, text=text, index=index))
        return self.item(kind, item_id)

    def duplicate_item(self, kind: str, item_id: str, *, new_id: str | None = None) -> Item:
        original = self.item(kind, item_id)
        new_id = new_id or self.new_id(kind, f"{self._replica.tag} {original.text}")
        self._do(Op.make("duplicate_item", kind=kind, item_id=item_id, new_id=new_id))
        return self.item(kind, new_id)

    def set_text(self, kind: str, item_id: str, text: str) -> None:
        self._do(Op.make("set_text", kind=kind, item_id=item_id, text=text))

    def set_field(self, kind: str, item_id: str, name: str, value: Any) -> None:
        value = _json_value(value)
        self._do(Op.make("set_field", kind=kind, item_id=item_id, name=name, value=value))

    def set_links(self, kind: str, item_id: str, field: str, ids: Sequence[str]) -> None:
        self._do(Op.make("set_links", kind=kind, item_id=item_id, field=field, ids=list(ids)))

    def toggle_link(self, kind: str, item_id: str, field: str, target_id: str) -> bool:
        self._do(
            Op.make("toggle_link", kind=kind, item_id=item_id, field=field, target_id=target_id)
        )
        return target_id in self.item(kind, item_id).linked(field)

    def move(self, kind: str, item_id: str, delta: int) -> bool:
        before = self.revision
        self._do(Op.make("move", kind=kind, item_id=item_id, delta=delta))
        return self.revision != before

    def delete(self, kind: str, item_id: str) -> list[LinkRef]:
        refs = self.links_to(item_id)
        self._do(Op.make("delete", kind=kind, item_id=item_id))
        return refs

    def set_session_field(self, name: str, value: Any) -> None:
        if name == "step":  # each member's own: presence, not a team change
            super().set_session_field(name, value)
            self._replica.step_changed(self.session.step)
            return
        self._do(Op.make("set_session_field", name=name, value=_json_value(value)))

    def set_problem(self, value: str | None) -> None:
        self._do(Op.make("set_problem", value=value))

    def set_answer(self, key: str, text: str) -> None:
        self._do(Op.make("set_answer", key=key, text=text))

    def set_rating(self, key: str, value: int | None) -> None:
        self._do(Op.make("set_rating", key=key, value=value))

    def set_strategy_field(self, name: str, value: Any) -> None:
        self._do(Op.make("set_strategy_field", name=name, value=_json_value(value)))

    def set_fitness(self, key: str, value: bool | None) -> None:
        self._do(Op.make("set_fitness", key=key, value=value))

    def seal(self) -> None:
        super().seal()
        self._replica.seal()

    def undo(self) -> str | None:
        return self._replica.undo()

    def redo(self) -> str | None:
        return self._replica.redo()

    def can_undo(self) -> bool:
        return bool(self._replica.undo_stack)

    def can_redo(self) -> bool:
        return bool(self._replica.redo_stack)

    @property
    def undo_description(self) -> str | None:
        stack = self._replica.undo_stack
        return self._replica.describe(stack[-1]) if stack else None

    @property
    def redo_description(self) -> str | None:
        stack = self._replica.redo_stack
        return self._replica.describe(stack[-1]) if stack else None

    @property
    def undo_where(self) -> Where | None:
        return self._replica.undo_stack[-1].where if self._replica.undo_stack else None

    @property
    def redo_where(self) -> Where | None:
        return self._replica.redo_stack[-1].where if self._replica.redo_stack else None


Send = Callable[[int, int, Op, bool], None]  # (n, base, op, tell): see TeamState.apply


class Replica:
    """One member's copy of the team session (see the module's docstring).

    `send(n, base, op, tell)` hands an own change to the network; `editor` is what the screens
    use (its changes become operations). `receive` and `refused` take what the server says
    and return the :class:`Change` the screen must show.
    """

    def __init__(
        self,
        session: Session,
        *,
        seq: int,
        me: str,
        send: Send,
        tag: str | None = None,
        history: int = 200,
    ) -> None:
        self.me = me
        self.tag = tag or me
        self.seq = seq
        self.confirmed = copy.deepcopy(session)
        self._confirmed_editor = Editor(self.confirmed, history=0)
        self.editor: RecordingEditor = RecordingEditor(session, self)
        self._send = send
        self._n = 0
        self.pending: deque[_Pending] = deque()
        self._suspect = False  # local and confirmed may differ once nothing is pending
        self.authors: dict[Key, str] = {}  # who wrote each field last, in the team's order
        self.undo_stack: deque[_UndoStep] = deque(maxlen=history)
        self.redo_stack: list[_UndoStep] = []
        self._burst: Key | None = None
        self._undoing = False
        self._history_ops: list[Op] = []  # inverses gathered while undoing/redoing
        self._told: set[tuple[str, Key]] = set()  # conflicts already told (once per burst)
        self.written: dict[Key, int] = {}  # the team's number of each field's last change
        self._mine_at: dict[Key, int] = {}  # ... and of my last change to it
        # The last teammate's change to a field made without having seen my last one there:
        # bringing mine back may replace it (and any before it), never a change made later.
        self._blind: dict[Key, int] = {}
        self.retired: set[str] = set()  # ids deleted in the team since joining (see new_id)
        # Teammates' changes to a field this member has not seen on their screen yet (the
        # earliest one's number), held back by a change of ours in flight (`_held`), or
        # applied but not shown yet (`_unshown`, see `shown`). An own change to that field
        # is sent as made without having seen them, so the team tells the teammate whose
        # change it replaces.
        self._held: dict[Key, int] = {}
        self._unshown: dict[Key, int] = {}
        self._last_refusal = ""
        self.on_step: Callable[[str | None], None] | None = None

    @property
    def session(self) -> Session:
        return self.editor.session

    # -- own changes -------------------------------------------------------------------

    def _local(self, op: Op, *, tell: bool = False) -> None:
        """Apply an own change now, keep its undo, send it (EditError/UnknownName: nothing)."""
        session = self.session
        undo_op = inverse(session, op)
        before = self.editor.revision
        try:
            apply_op(self.editor, op)
        except Refused as error:
            raise EditError(str(error)) from None
        if self.editor.revision == before:
            return  # nothing changed: nothing to send, nothing to undo
        self._n += 1
        self.pending.append(_Pending(self._n, op))
        if undo_op is not None:
            if self._undoing:
                self._history_ops.append(undo_op)
            else:
                self._push_undo(op, undo_op)
        seen = self.seq
        if op.name in FIELD_OPS:
            for key in op.keys:
                for unseen in (self._held, self._unshown):
                    if key in unseen:
                        seen = min(seen, unseen[key] - 1)
        self._send(self._n, seen, op, tell)

    def shown(self, keys: set[Key]) -> None:
        """The member's screen now shows these fields as the session holds them."""
        for key in keys:
            self._unshown.pop(key, None)

    def _push_undo(self, op: Op, undo_op: Op) -> None:
        keys = set(op.keys) if op.name in FIELD_OPS else set()
        typed = op.keys[0] if op.name in _TYPED_OPS else None
        if typed is not None and typed == self._burst and self.undo_stack:
            return  # the burst's first inverse already brings back what was there before
        self.redo_stack.clear()
        self._burst = typed
        doomed = frozenset([undo_op.args["item_id"]]) if undo_op.name == "delete" else frozenset()
        self.undo_stack.append(_UndoStep([undo_op], keys, op, op_where(op), doomed=doomed))

    def describe(self, step: _UndoStep) -> str:
        """What an undo step takes back, in words, as the session is now."""
        if isinstance(step.what, str):
            return step.what
        if step.what.name == "delete":
            # Gone from the session: named from the item its undo brings back.
            restore = next((op for op in step.ops if op.name == "restore_item"), None)
            if restore is not None:
                return f"Delete {_item_words(restore, self.session)}"
        return describe_action(step.what, self.session)

    def seal(self) -> None:
        self._burst = None

    def step_changed(self, step: str | None) -> None:
        if self.on_step is not None:
            self.on_step(step)

    def _history(
        self, source: deque[_UndoStep] | list[_UndoStep], verb: str
    ) -> tuple[str | None, _UndoStep | None]:
        if not source:
            return None, None
        step = source.pop()
        self._burst = None
        said = self.describe(step)
        who = self._changed_since(step)
        if who is not None:
            return f"Not {verb}: {who} has changed it since", None
        self._undoing = True
        self._history_ops = []
        try:
            for op in step.ops:
                try:
                    # Bringing back one's text replaces the teammate's: they are told.
                    self._local(op, tell=step.force)
                except (EditError, UnknownName) as error:
                    return f"Not {verb}: {error}", None
        finally:
            self._undoing = False
        ops = list(reversed(self._history_ops))
        doomed = frozenset(op.args["item_id"] for op in ops if op.name == "delete")
        back = _UndoStep(ops, step.keys, step.what, step.where, doomed=doomed)
        return said, back

    def _changed_since(self, step: _UndoStep) -> str | None:
        """The teammate whose later change `step` would take back (None: nobody's)."""
        for key in step.keys:
            who = self.authors.get(key)
            if who is None or who == self.me or self._pending_writes(key):
                continue
            if not step.force or self.written.get(key, 0) > max(
                step.since, self._blind.get(key, 0)
            ):
                return who
        for key, who in self.authors.items():
            if key[0] == "item" and key[2] in step.doomed and who != self.me:
                return who
        return None

    def undo(self) -> str | None:
        """Undo this member's last change (never a teammate's); the words say what."""
        said, back = self._history(self.undo_stack, "undone")
        if back is not None and back.ops:
            self.redo_stack.append(back)
        return said

    def redo(self) -> str | None:
        said, back = self._history(self.redo_stack, "redone")
        if back is not None and back.ops:
            self.undo_stack.append(back)
        return said

    def _pending_writes(self, key: Key) -> bool:
        return any(key in p.op.keys for p in self.pending if p.op.name in FIELD_OPS)

    # -- what the server says ------------------------------------------------------------

    def receive(self, applied: Applied, *, mine: bool) -> Change:
        """An operation the team applied (`mine`: the echo of one of ours)."""
        change = Change()
        op = applied.op
        lost_value = None
        if applied.overwrote == self.me and not mine and op.name in FIELD_OPS:
            if applied.told:
                # A teammate brought theirs back over ours, knowingly: said, and final
                # (undo never takes back a teammate's change).
                what = describe(op, self.session)
                change.notices.append(
                    f"{applied.author} brought their version of {what} back over yours."
                )
            else:
                # Ours was replaced by a change made without seeing it: keep a way back.
                lost_value = inverse(self.confirmed, op)
        deleted = None
        if op.name == "delete":
            self.retired.add(op.args["item_id"])
            if not mine:
                deleted = inverse(self.confirmed, op)
        try:
            apply_op(self._confirmed_editor, op)
        except Refused:
            # The server applied it to the same session; if it cannot apply here the copies
            # have drifted (a bug, or a message lost): take the server's word on reconnect.
            self._suspect = True
        self.seq = applied.seq
        if op.name in FIELD_OPS:
            for key in op.keys:
                self.authors[key] = applied.author
                self.written[key] = applied.seq
                if mine:
                    self._mine_at[key] = applied.seq
                elif applied.base < self._mine_at.get(key, 0):
                    self._blind[key] = applied.seq
        if mine:
            if self.pending and self.pending[0].n == applied.n:
                self.pending.popleft()
            else:
                self._suspect = True
        else:
            change.merge(self._apply_remote(applied))
            if lost_value is not None:
                change.merge(self._overwritten(applied, lost_value))
            if deleted is not None:
                change.merge(self._deleted(applied, deleted))
        change.merge(self._settle())
        return change

    def _apply_remote(self, applied: Applied) -> Change:
        op = applied.op
        change = Change()
        if self.pending:
            self._suspect = True
        if op.name in FIELD_OPS and any(self._pending_writes(k) for k in op.keys):
            for key in op.keys:
                self._held.setdefault(key, applied.seq)
            return change  # ours is still on its way and will come after it: ours stays
        try:
            apply_op(self.editor, op)
        except Refused:
            self._suspect = True
            return change
        if op.name in FIELD_OPS:
            change.keys |= set(op.keys)
            for key in op.keys:
                self._unshown.setdefault(key, applied.seq)
        elif op.name in ("delete", "restore_item"):
            # Links to the item, in any list, went or came back with it.
            change.kinds |= set(KINDS)
        else:
            change.kinds.add(op.args["kind"])
        return change

    def _overwritten(self, applied: Applied, back: Op) -> Change:
        key = applied.op.keys[0]
        change = Change()
        self.undo_stack.append(
            _UndoStep(
                [back],
                set(applied.op.keys),
                # Undo brings one's own back; redo gives the teammate's again.
                f"{applied.author}'s change to {describe(applied.op, self.session)}",
                op_where(applied.op),
                force=True,
                since=applied.seq,
            )
        )
        self.redo_stack.clear()
        self._burst = None
        if (applied.author, key) not in self._told:
            self._told.add((applied.author, key))
            what = describe(applied.op, self.session)
            change.notices.append(
                f"{applied.author} changed {what} over yours: theirs is kept; "
                "Ctrl+Z brings yours back."
            )
        return change

    def _deleted(self, applied: Applied, restore: Op) -> Change:
        item_id = applied.op.args["item_id"]
        mine = any(
            key[0] == "item" and key[2] == item_id and who == self.me
            for key, who in self.authors.items()
        ) or any(p.op.args.get("item_id") == item_id for p in self.pending)
        if not mine:
            return Change()
        self.undo_stack.append(
            _UndoStep(
                [restore],
                set(),
                # Undo restores it; redo deletes it again, as the teammate did.
                f"{applied.author}'s delete of {_item_words(restore, self.session)}",
                op_where(restore),
                force=True,
                since=applied.seq,
            )
        )
        self.redo_stack.clear()
        return Change(
            notices=[f"{applied.author} deleted an item you were editing; Ctrl+Z brings it back."]
        )

    def refused(self, n: int, reason: str) -> Change:
        """The server refused our change `n`: the team's copy never had it."""
        change = Change()
        pending = next((p for p in self.pending if p.n == n), None)
        if pending is None:
            return change
        self.pending.remove(pending)
        self._suspect = True
        if self._keep_for_restore(pending.op):
            reason += " (kept for when you bring the item back with Ctrl+Z)"
        if reason != self._last_refusal:
            # Typing on in a deleted item would otherwise say the same thing at every key.
            change.notices.append(f"Not kept: {reason}")
        self._last_refusal = reason
        change.merge(self._settle())
        return change

    def _keep_for_restore(self, op: Op) -> bool:
        """Typing on in an item a teammate deleted: keep it in the item Ctrl+Z brings back."""
        if op.name not in ("set_text", "set_field"):
            return False
        for step in self.undo_stack:
            restore = step.ops[0] if len(step.ops) == 1 else None
            if restore is None or restore.name != "restore_item":
                continue
            kind = restore.args["kind"]
            try:
                item = item_from_toml(kind, restore.args["item"])
            except SessionFormatError:
                continue
            if item.id != op.args["item_id"] or kind != op.args["kind"]:
                continue
            scratch = Session.new("scratch", "scratch")
            scratch.items_of(kind).append(item)
            try:
                apply_op(Editor(scratch, history=0), op)
            except Refused:
                return False
            step.ops[0] = Op.make(
                "restore_item", **{**restore.args, "item": item_to_toml(kind, item)}
            )
            return True
        return False

    def _settle(self) -> Change:
        """Once nothing of ours is in flight, make sure we show exactly the team's session."""
        if self.pending or not self._suspect:
            return Change()
        self._suspect = False
        held, self._held = self._held, {}
        if same_content(self.session, self.confirmed):
            return Change()  # the held changes were replaced by ours, which came after them
        live = self.session
        fresh = copy.deepcopy(self.confirmed)
        change = content_change(live, fresh)
        for name in _CONTENT:
            setattr(live, name, getattr(fresh, name))
        self.editor.revision += 1
        self._told.clear()
        # A held change still in the team's copy is shown now; the others were replaced by
        # ours, which came after them (the team told their authors).
        for key, seq in held.items():
            if key in change.keys:
                self._unshown.setdefault(key, seq)
        return change

    def reset(self, session: Session, seq: int) -> Change:
        """A new copy of the team's session (on connecting again): pending changes are lost
        unless the server had them (it did if it applied them: they are in `session`)."""
        self.pending.clear()
        self.seq = seq
        self.confirmed = copy.deepcopy(session)
        self._confirmed_editor = Editor(self.confirmed, history=0)
        self._suspect = True
        return self._settle()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
