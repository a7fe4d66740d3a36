"""Every change to a session goes through :class:`Editor`: one tested place for the rules of
editing, with undo and redo, independent of any UI.

What the editor guarantees, whatever the UI asks:

* it never writes a dangling link (a link must name an existing item of an allowed kind),
  and deleting an item removes every link to it in the same undo step;
* new ids are readable (``cs-ferry-commuters``) and unique in the session, and an id never
  changes when the text does, so links survive renaming;
* text is stored as typed, minus control characters and escape sequences (which could
  rewrite another participant's terminal), and capped at :data:`MAX_TEXT_CHARS`;
* a ``set_*`` call that changes nothing is a no-op: no revision, no undo step.

Undo is snapshot-based: before a change the whole session is deep-copied. Typing would make
that expensive, so consecutive edits of one text (same item and field, same answer, same
strategy field) form a *burst* that shares the snapshot taken at its first keystroke and is
undone in one step; :meth:`Editor.seal` ends a burst (the UI calls it when focus leaves a
field). Undo and redo swap whole sub-objects into the live :class:`Session` object, so the
session object itself stays the same (a store handle holding it stays valid) but item
objects taken from it before an undo are stale: look items up again by id afterwards.

``step`` (where the user is in the workshop) is bookkeeping, not content: setting it bumps
the revision so it gets saved, but it is not an undo step, and undo never moves the user.
"""

from __future__ import annotations

import calendar
import copy
import dataclasses
import math
import re
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final

from .guide import FITNESS_QUESTIONS
from .guide import PRINCIPLES as PRINCIPLE_GUIDE
from .model import (
    FITNESS_KEYS,
    FOCUSES,
    ID_PATTERN,
    KINDS,
    LINK_SCHEMA,
    MAX_MONTHLY,
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
from .store import slugify
from .text import one_line, strip_controls

# One text field may hold at most this many characters: enough for any real answer, and it
# keeps an accidental paste of a whole document from bloating the session file.
MAX_TEXT_CHARS: Final = 10_000
# The slug part of a generated id; longer titles are cut at a word boundary where possible.
MAX_SLUG_CHARS: Final = 30
DEFAULT_HISTORY: Final = 200
_ID_RE: Final = re.compile(ID_PATTERN)

ID_PREFIXES: Final[Mapping[str, str]] = MappingProxyType(
    {
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
)

# What people call the principles they rate (the screen's titles, not the file's keys).
PRINCIPLE_TITLES: Final[Mapping[str, str]] = MappingProxyType(
    {p.key: p.title for p in PRINCIPLE_GUIDE}
)
# The fitness questions as the screen asks them (undo names the question, not its key).
FITNESS_ASKED: Final[Mapping[str, str]] = MappingProxyType(
    {q.id: q.question for q in FITNESS_QUESTIONS}
)

# Singular, lower-case names for messages ("Add customer segment").
NOUNS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "customer_segments": "customer segment",
        "value_propositions": "value proposition",
        "channels": "channel",
        "customer_relationships": "customer relationship",
        "revenue_streams": "revenue stream",
        "key_activities": "key activity",
        "key_resources": "key resource",
        "key_partnerships": "key partnership",
        "cost_structure": "cost",
        "practices": "core practice",
        "goals": "goal",
        "markets": "focus market",
        "programs": "program",
        "messages": "core message",
        "pinches": "resource pinch",
        "policies": "efficiency policy",
        "dates": "key date",
        "plan": "plan item",
    }
)

_KIND_CLASS: Final[Mapping[str, type[Item]]] = MappingProxyType(
    {
        "customer_segments": Segment,
        "revenue_streams": Amounted,
        "cost_structure": Amounted,
        "practices": Practice,
        "goals": Goal,
        "dates": KeyDate,
        "plan": PlanItem,
    }
)

# What a scalar field accepts. A tuple is a list of choices (or None).
_TEXT: Final = "text"  # str or None
_TITLE: Final = "title"  # str, never None
_BOOL: Final = "bool"  # bool or None
_FLAG: Final = "flag"  # bool; None means False
_DATE: Final = "date"  # date (or an ISO string) or None
_DAY: Final = "day"  # date (or an ISO string), never None
_NUMBER: Final = "number"  # finite int/float or None
_NAMES: Final = "names"  # list of str or None
_AMOUNT: Final = "amount"  # a monthly amount: 0 to MAX_MONTHLY, or text as people type it
Spec = str | tuple[str, ...]

# Fields typed into an input: consecutive edits of one of them coalesce into one undo step.
# Choices and yes/no answers are single decisions and always get their own step.
_TYPED: Final = frozenset({_TEXT, _TITLE, _DATE, _DAY, _NUMBER, _NAMES, _AMOUNT})

_ITEM_FIELDS: Final[Mapping[str, Mapping[str, Spec]]] = MappingProxyType(
    {
        "customer_segments": MappingProxyType({"pays": _BOOL}),
        "revenue_streams": MappingProxyType({"monthly": _AMOUNT}),
        "cost_structure": MappingProxyType({"monthly": _AMOUNT}),
        "practices": MappingProxyType(
            {
                "kind": PRACTICE_KINDS,
                "improves": _BOOL,
                "long_term_value": _BOOL,
                "checklist": _BOOL,
                "kept": _FLAG,
            }
        ),
        "goals": MappingProxyType({"metric": _TEXT, "target": _TEXT}),
        "dates": MappingProxyType({"date": _DAY}),
        "plan": MappingProxyType(
            {
                "purpose": PURPOSES,
                "start": _DATE,
                "end": _DATE,
                "owner": _TEXT,
                "budget": _NUMBER,
                "kpi": _TEXT,
                "target": _TEXT,
            }
        ),
    }
)
_SESSION_FIELDS: Final[Mapping[str, Spec]] = MappingProxyType(
    {
        "title": _TITLE,
        "facilitator": _TEXT,
        "participants": _NAMES,
        "step": STEPS,
        "currency": _TEXT,
    }
)
_STRATEGY_FIELDS: Final[Mapping[str, Spec]] = MappingProxyType(
    {
        "start": _DATE,
        "end": _DATE,
        "vision": _TEXT,
        "transformation": _TEXT,
        "focus": FOCUSES,
        "budget": _TEXT,
        "buyers": _TEXT,
    }
)
_NO_FIELDS: Final[Mapping[str, Spec]] = MappingProxyType({})


class EditError(ValueError):
    """A value the session cannot take. The message is written for people."""


class UnknownName(KeyError):
    """An unknown kind, item id, field or key. The message is written for people."""

    def __str__(self) -> str:
        # KeyError would show the repr of the message, quotes and all.
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class LinkRef:
    """One link that points at an item."""

    kind: str  # kind of the item holding the link (e.g. "value_propositions", "plan")
    item_id: str
    field: str  # the link field (e.g. "segments")


@dataclass(frozen=True)
class Where:
    """Where in the session a change was made, so a UI can show it again after undo/redo.

    `area` is an item kind ("revenue_streams", "plan", …) or one of "answer", "rating",
    "problem", "strategy", "fitness", "session". `key` is the item id, or the answer, rating,
    strategy field, fitness question or session field; `field` is the item's field ("text",
    "owner", a link field) when the change was to one field of an item.
    """

    area: str
    key: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class _Words:
    """An undo step in words, naming its items as they read when the words are shown.

    A step is told about after undo or redo, and its items may have been renamed since
    the change was made (the change may be the renaming): "Redone: Edit “Baristas”" would
    name text the item no longer has. `template` has one ``{}`` per entry of `items`:
    (kind, id, the text when the change was made, whether to say the noun too).
    """

    template: str
    items: tuple[tuple[str, str, str, bool], ...]

    def say(self, *sessions: Session) -> str:
        """The words, each item named as the first of `sessions` holding it has it."""
        names = []
        for kind, item_id, then, noun in self.items:
            found = next((f for s in sessions if (f := s.find(item_id)) is not None), None)
            text = found[1].text if found is not None else then
            names.append(_name(kind, text, noun=noun))
        return self.template.format(*names)


def _braced(text: str) -> str:
    """Text to put into a `_Words` template as it is (a dangling id read from a file)."""
    return text.replace("{", "{{").replace("}", "}}")


def _about(template: str, *items: tuple[str, Item], noun: bool = False) -> _Words:
    return _Words(template, tuple((kind, item.id, item.text, noun) for kind, item in items))


@dataclass
class _Step:
    state: Session  # the whole session as it was on the other side of this step
    description: str | _Words
    where: Where | None = None

    def say(self, live: Session) -> str:
        """The step in words as `live` has it (else as `state` has it: an item gone)."""
        if isinstance(self.description, str):
            return self.description
        return self.description.say(live, self.state)


# -- values --------------------------------------------------------------------------


def clean_text(value: Any, what: str = "text") -> str:
    """A text as it is stored: controls and escapes removed, at most MAX_TEXT_CHARS."""
    if not isinstance(value, str):
        raise EditError(f"{what} must be text, not {type(value).__name__}")
    return strip_controls(value)[:MAX_TEXT_CHARS]


def _as_date(value: Any, what: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise EditError(f"{what}: “{one_line(value, 20)}” is not a date (YYYY-MM-DD)") from None
    # datetime is a date too, but the file format only has local dates here.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise EditError(f"{what} must be a date, not {type(value).__name__}")
    return value


NOT_A_DATE: Final = "Not a date yet: write it as YYYY-MM-DD (it is saved once it is one)."
_ISO_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_day(text: str) -> date | None:
    """A day as a person types it: strictly YYYY-MM-DD (Python would also take 20270101),
    None for an empty field; EditError saying what is wrong otherwise."""
    text = text.strip()
    if not text:
        return None
    if not _ISO_DAY.fullmatch(text):
        raise EditError(NOT_A_DATE)
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    # In the format, yet no day of the calendar: saying "write it as YYYY-MM-DD" would
    # send the person looking for a mistake in what they wrote correctly.
    year, month = int(text[:4]), int(text[5:7])
    if not year:
        why = "there is no year 0000"
    elif not 1 <= month <= 12:
        why = f"there is no month {text[5:7]}"
    else:
        days = calendar.monthrange(year, month)[1]
        why = f"{calendar.month_name[month]} {year} has {days} days"
    raise EditError(f"“{text}” is not a real date: {why} (it is saved once it is one).")


# An amount as people type it: "1200", "1,200", "1 200.50", "1200.5". A comma or a space
# only groups thousands (groups of three digits); the decimal mark is a point.
_AMOUNT_RE: Final = re.compile(r"(\d{1,3}(?:([, ])\d{3})(?:\2\d{3})*|\d+)?(\.\d+)?")
_SPACES: Final = re.compile(r"[\s\u00a0\u202f\u2009]+")


def parse_amount(text: str) -> float | int | None:
    """The amount a person typed, or None for an empty field; EditError if it is not one."""
    shown = one_line(text, 20)
    cleaned = _SPACES.sub(" ", strip_controls(text)).strip()
    if not cleaned:
        return None
    if cleaned.startswith("-"):
        raise EditError(f"“{shown}” is below zero: an amount is 0 or more")
    match = _AMOUNT_RE.fullmatch(cleaned)
    if match is None or not (match.group(1) or match.group(3)):
        if "," in cleaned and re.fullmatch(r"\d+,\d{1,2}", cleaned):
            raise EditError(f"“{shown}” is not an amount: write decimals with a point (12.50)")
        raise EditError(f"“{shown}” is not an amount (e.g. 1200, 1,200 or 1 200.50)")
    digits = cleaned.replace(",", "").replace(" ", "")
    value: float | int = float(digits) if "." in digits else int(digits)
    return _checked_amount(value, shown)


def _checked_amount(value: float | int, shown: str) -> float | int:
    if isinstance(value, float) and not math.isfinite(value):
        raise EditError(f"“{shown}” is not an amount (it must be a finite number)")
    if value < 0:
        raise EditError(f"“{shown}” is below zero: an amount is 0 or more")
    if value > MAX_MONTHLY:
        raise EditError(f"“{shown}” is more than an amount can be ({MAX_MONTHLY:,})")
    return value


def _coerce(spec: Spec, value: Any, what: str) -> Any:
    """The value to store for a field of `spec`, or EditError saying why it cannot be."""
    if isinstance(spec, tuple):
        if value is None or value in spec:
            return value
        listed = ", ".join(f"“{choice}”" for choice in spec)
        raise EditError(f"{what} must be one of {listed} (or nothing), not {value!r}")
    if spec == _FLAG and value is None:
        value = False
    if value is None:
        if spec in (_TITLE, _DAY):
            raise EditError(f"{what} cannot be empty")
        return None
    if spec in (_TEXT, _TITLE):
        return clean_text(value, what)
    if spec in (_BOOL, _FLAG):
        if not isinstance(value, bool):
            raise EditError(f"{what} must be yes or no (True/False), not {value!r}")
        return value
    if spec in (_DATE, _DAY):
        return _as_date(value, what)
    if spec == _NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EditError(f"{what} must be a number, not {type(value).__name__}")
        if isinstance(value, float) and not math.isfinite(value):
            raise EditError(f"{what} must be a finite number")
        return value
    if spec == _AMOUNT:
        if isinstance(value, str):
            return parse_amount(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EditError(f"{what} must be an amount, not {type(value).__name__}")
        return _checked_amount(value, str(value))
    if spec == _NAMES:
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise EditError(f"{what} must be a list of names")
        return [clean_text(name, what) for name in value]
    raise AssertionError(f"unknown field spec {spec!r}")  # pragma: no cover


def _same(old: Any, new: Any) -> bool:
    # 1 == 1.0 == True, but the file would change from one to the other.
    return type(old) is type(new) and old == new


def _slug(text: str) -> str:
    """The slug of a text, "" when it has nothing to slug (slugify itself never says "")."""
    # slugify falls back to "session" for an empty slug; a fixed lead word avoids that.
    slug = slugify("x-" + text)[2:]
    if len(slug) > MAX_SLUG_CHARS:
        head = slug[: MAX_SLUG_CHARS + 1]
        cut = head.rfind("-")
        slug = head[:cut] if cut >= MAX_SLUG_CHARS // 2 else slug[:MAX_SLUG_CHARS]
    return slug.rstrip("-")


def _check_kind(kind: str) -> None:
    if kind not in LINK_SCHEMA:
        raise UnknownName(f"“{kind}” is not a kind of item (one of: {', '.join(KINDS)})")


def _name(kind: str, text: str, *, noun: bool = False) -> str:
    """An item in a message: “its text”, or "an empty goal" (`noun`: "goal “its text”")."""
    label = one_line(text, 40)
    if not label:
        return f"an empty {NOUNS[kind]}"
    return f"{NOUNS[kind]} “{label}”" if noun else f"“{label}”"


def _dedupe(ids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(ids))


# -- the editor ----------------------------------------------------------------------


class Editor:
    """Changes one session in place, with undo/redo. `revision` moves on every change."""

    def __init__(self, session: Session, *, history: int = DEFAULT_HISTORY) -> None:
        if history < 0:
            raise ValueError("history must be 0 or more")
        self.session = session
        self.revision = 0
        self._keep = history
        self._undo: deque[_Step] = deque(maxlen=history)
        self._redo: list[_Step] = []
        self._burst: tuple[str, ...] | None = None

    # -- undo ------------------------------------------------------------------------

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_description(self) -> str | None:
        """What undo would undo ("Delete “Commuters”"), for a menu or a hint."""
        return self._undo[-1].say(self.session) if self._undo else None

    @property
    def redo_description(self) -> str | None:
        return self._redo[-1].say(self.session) if self._redo else None

    @property
    def undo_where(self) -> Where | None:
        """Where the change undo would undo was made."""
        return self._undo[-1].where if self._undo else None

    @property
    def redo_where(self) -> Where | None:
        return self._redo[-1].where if self._redo else None

    def seal(self) -> None:
        """End the current typing burst: the next edit starts a new undo step."""
        self._burst = None

    def undo(self) -> str | None:
        if not self._undo:
            return None
        step = self._undo.pop()
        back = _Step(self._swap(step.state), step.description, step.where)
        self._redo.append(back)
        self._burst = None
        self.revision += 1
        return back.say(self.session)

    def redo(self) -> str | None:
        if not self._redo:
            return None
        step = self._redo.pop()
        back = _Step(self._swap(step.state), step.description, step.where)
        self._undo.append(back)
        self._burst = None
        self.revision += 1
        return back.say(self.session)

    def _swap(self, state: Session) -> Session:
        """Put `state` into the live session; return what was there (no copy needed)."""
        live = self.session
        current = copy.copy(live)  # shallow: it takes the current sub-objects with it
        step = live.step
        for f in dataclasses.fields(Session):
            setattr(live, f.name, getattr(state, f.name))
        live.step = step
        return current

    def _record(
        self,
        description: str | _Words,
        burst: tuple[str, ...] | None = None,
        where: Where | None = None,
    ) -> None:
        """Call after validating and before mutating: takes the undo snapshot if one is due."""
        if (burst is None or burst != self._burst) and self._keep:
            self._undo.append(_Step(copy.deepcopy(self.session), description, where))
        self._redo.clear()
        self._burst = burst
        self.revision += 1

    # -- looking things up -----------------------------------------------------------

    def _items(self, kind: str) -> list[Any]:
        _check_kind(kind)
        return self.session.items_of(kind)

    def _locate(self, kind: str, item_id: str) -> tuple[list[Any], int]:
        items = self._items(kind)
        for index, item in enumerate(items):
            if item.id == item_id:
                return items, index
        raise UnknownName(f"there is no {NOUNS[kind]} with the id “{item_id}”")

    def item(self, kind: str, item_id: str) -> Item:
        """The live item of `kind` with this id (UnknownName if there is none)."""
        items, index = self._locate(kind, item_id)
        found: Item = items[index]
        return found

    def _link_kinds(self, kind: str, link_field: str) -> tuple[str, ...]:
        _check_kind(kind)
        schema = LINK_SCHEMA[kind]
        if link_field not in schema:
            known = ", ".join(schema) or "none"
            raise UnknownName(
                f"“{link_field}” is not a link of a {NOUNS[kind]} (its links: {known})"
            )
        return schema[link_field]

    def _linkable(self, allowed: tuple[str, ...]) -> set[str]:
        return {item.id for kind in allowed for item in self.session.items_of(kind)}

    def _checked_links(self, kind: str, link_field: str, ids: Any) -> list[str]:
        allowed = self._link_kinds(kind, link_field)
        if isinstance(ids, str) or not isinstance(ids, Sequence):
            raise EditError(f"{link_field} must be a list of ids")
        linkable = self._linkable(allowed)
        for target in ids:
            if not isinstance(target, str) or target not in linkable:
                wanted = " or ".join(NOUNS[k] for k in allowed)
                raise EditError(
                    f"{link_field} of a {NOUNS[kind]} can only link a {wanted}; "
                    f"“{target}” is not one"
                )
        return _dedupe(ids)

    # -- items -----------------------------------------------------------------------

    def new_id(self, kind: str, text: str = "") -> str:
        """A readable id unique in the session: prefix + slug of the text, or prefix + n."""
        _check_kind(kind)
        prefix = ID_PREFIXES[kind]
        used = self._taken_ids()
        slug = _slug(text)
        if slug:
            base = f"{prefix}-{slug}"
            candidate, n = base, 1
            while candidate in used:
                n += 1
                candidate = f"{base}-{n}"
            return candidate
        n = len(self.session.items_of(kind)) + 1
        while f"{prefix}-{n}" in used:
            n += 1
        return f"{prefix}-{n}"

    def _taken_ids(self) -> set[str]:
        """Ids a new item may not take (a team's editor adds the ones deleted)."""
        return set(self.session.used_ids())

    def _fresh_id(self, item_id: Any) -> str:
        """An id chosen by the caller (a teammate's process): well-formed and not in use."""
        if not isinstance(item_id, str) or not _ID_RE.fullmatch(item_id):
            raise EditError(f"{item_id!r} is not an item id (a-z, 0-9 and -, at most 64)")
        if item_id in self.session.used_ids():
            raise EditError(f"the id “{item_id}” is already in use")
        return item_id

    def add_item(
        self,
        kind: str,
        text: str = "",
        *,
        index: int | None = None,
        item_id: str | None = None,
        **fields: Any,
    ) -> Item:
        """Add an item (with optional scalar fields and links); returns the live item.

        `item_id` names the new item instead of a generated id: a team member's process
        picks it, so every copy of the session gets the same one.
        """
        items = self._items(kind)
        clean = clean_text(text)
        new_id = self.new_id(kind, clean) if item_id is None else self._fresh_id(item_id)
        if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
            raise EditError("a position is a whole number")
        item = _KIND_CLASS.get(kind, Item)(id=new_id, text=clean)
        specs = _ITEM_FIELDS.get(kind, _NO_FIELDS)
        for name, value in fields.items():
            if name in LINK_SCHEMA[kind]:
                item.links[name] = self._checked_links(kind, name, value)
            elif name in specs:
                setattr(item, name, _coerce(specs[name], value, name))
            else:
                raise self._unknown_field(kind, name)
        position = len(items) if index is None else max(0, min(index, len(items)))
        self._record(_about("Add {}", (kind, item), noun=True), where=Where(kind, item.id, "text"))
        items.insert(position, item)
        return item

    def duplicate_item(self, kind: str, item_id: str, *, new_id: str | None = None) -> Item:
        """A copy (fields, links, unknown keys) with a new id, right after the original."""
        items, index = self._locate(kind, item_id)
        original = items[index]
        chosen = self.new_id(kind, original.text) if new_id is None else self._fresh_id(new_id)
        twin = copy.deepcopy(original)
        twin.id = chosen
        self._record(_about("Duplicate {}", (kind, original)), where=Where(kind, twin.id, "text"))
        items.insert(index + 1, twin)
        result: Item = twin
        return result

    def set_text(self, kind: str, item_id: str, text: str) -> None:
        """Change an item's text (a plan item's title); its id and links stay."""
        items, index = self._locate(kind, item_id)
        item = items[index]
        clean = clean_text(text)
        if clean == item.text:
            return
        self._record(
            _about("Edit {}", (kind, item)), ("text", kind, item_id), Where(kind, item_id, "text")
        )
        item.text = clean

    def _unknown_field(self, kind: str, name: str) -> UnknownName:
        known = ", ".join(_ITEM_FIELDS.get(kind, _NO_FIELDS)) or "none besides its text"
        return UnknownName(f"“{name}” is not a field of a {NOUNS[kind]} (its fields: {known})")

    def set_field(self, kind: str, item_id: str, name: str, value: Any) -> None:
        """Set a scalar field (owner, start, kept, improves, metric, budget, …); None clears."""
        items, index = self._locate(kind, item_id)
        specs = _ITEM_FIELDS.get(kind, _NO_FIELDS)
        if name not in specs:
            raise self._unknown_field(kind, name)
        item = items[index]
        spec = specs[name]
        value = _coerce(spec, value, name)
        if _same(getattr(item, name), value):
            return
        burst = ("field", kind, item_id, name) if spec in _TYPED else None
        self._record(
            _about(f"Set {name.replace('_', ' ')} of {{}}", (kind, item)),
            burst,
            Where(kind, item_id, name),
        )
        setattr(item, name, value)

    def set_links(self, kind: str, item_id: str, field: str, ids: Sequence[str]) -> None:
        """Replace a link field; order kept, duplicates dropped, every id must resolve."""
        items, index = self._locate(kind, item_id)
        item = items[index]
        new = self._checked_links(kind, field, ids)
        if new == item.linked(field):
            return
        self._record(
            _about(f"Change {field.replace('_', ' ')} of {{}}", (kind, item)),
            where=Where(kind, item_id, field),
        )
        item.links[field] = new

    def toggle_link(self, kind: str, item_id: str, field: str, target_id: str) -> bool:
        """Link or unlink one target; returns whether it is linked afterwards."""
        items, index = self._locate(kind, item_id)
        self._link_kinds(kind, field)
        item = items[index]
        current = item.linked(field)
        if target_id in current:
            # Unlinking needs no check: it is also how a dangling link gets removed.
            new = [i for i in current if i != target_id]
            verb = "Unlink"
        else:
            new = [*current, *self._checked_links(kind, field, [target_id])]
            verb = "Link"
        found = self.session.find(target_id)
        preposition = "to" if verb == "Link" else "from"
        self._record(
            # A dangling target has no item to name: its id stands in for it.
            _about(f"{verb} {{}} {preposition} {{}}", found, (kind, item))
            if found
            else _about(f"{verb} “{_braced(target_id)}” {preposition} {{}}", (kind, item)),
            where=Where(kind, item_id, field),
        )
        item.links[field] = new
        return target_id in new

    def move(self, kind: str, item_id: str, delta: int) -> bool:
        """Move an item `delta` places within its list (clamped); False if it stayed put."""
        if isinstance(delta, bool) or not isinstance(delta, int):
            raise EditError("a move is a whole number of places")
        items, index = self._locate(kind, item_id)
        target = max(0, min(index + delta, len(items) - 1))
        if target == index:
            return False
        self._record(_about("Move {}", (kind, items[index])), where=Where(kind, item_id))
        items.insert(target, items.pop(index))
        return True

    def links_to(self, item_id: str) -> list[LinkRef]:
        """Every link field in the session that names this id, in session order."""
        refs = []
        for kind, holder in self.session.all_items():
            for link_field in LINK_SCHEMA[kind]:
                if item_id in holder.linked(link_field):
                    refs.append(LinkRef(kind, holder.id, link_field))
        return refs

    def delete(self, kind: str, item_id: str) -> list[LinkRef]:
        """Remove an item and every link to it (returned); one undo step restores both."""
        items, index = self._locate(kind, item_id)
        doomed = items[index]
        # With a (hand-made) duplicate id, the links may mean the item that stays.
        twin = any(i.id == item_id and i is not doomed for _, i in self.session.all_items())
        refs = [] if twin else self.links_to(item_id)
        self._record(_about("Delete {}", (kind, doomed)), where=Where(kind, item_id))
        del items[index]
        if refs:
            for holder_kind, holder in self.session.all_items():
                for link_field in LINK_SCHEMA[holder_kind]:
                    ids = holder.links.get(link_field)
                    if ids and item_id in ids:
                        holder.links[link_field] = [i for i in ids if i != item_id]
        return refs

    def restore_item(self, kind: str, index: int, item: Item, refs: Sequence[LinkRef]) -> None:
        """Put back a deleted item at `index` (clamped) with the links to it that `delete`
        returned (those whose holder still exists): what a team member's undo of a delete
        sends, since their snapshot is not the team's."""
        items = self._items(kind)
        if not isinstance(item, _KIND_CLASS.get(kind, Item)):
            raise EditError(f"that is not a {NOUNS[kind]}")
        self._fresh_id(item.id)
        if isinstance(index, bool) or not isinstance(index, int):
            raise EditError("a position is a whole number")
        for link_field, ids in item.links.items():
            self._link_kinds(kind, link_field)
            # Links to items deleted since are dropped rather than refusing the restore.
            linkable = self._linkable(LINK_SCHEMA[kind][link_field])
            item.links[link_field] = [i for i in _dedupe(ids) if i in linkable]
        back: list[tuple[list[str], Item, str]] = []
        for ref in refs:
            found = self.session.find(ref.item_id)
            if found is None or found[0] != ref.kind:
                continue  # the item holding that link is gone too
            if kind not in self._link_kinds(ref.kind, ref.field):
                raise EditError(f"a {NOUNS[ref.kind]} cannot link a {NOUNS[kind]} by {ref.field}")
            back.append((found[1].linked(ref.field), found[1], ref.field))
        self._record(_about("Restore {}", (kind, item)))
        items.insert(max(0, min(index, len(items))), item)
        for ids, holder, link_field in back:
            if item.id not in ids:
                holder.links[link_field] = [*ids, item.id]

    # -- sections --------------------------------------------------------------------

    def set_session_field(self, name: str, value: Any) -> None:
        """title, facilitator, participants, currency, or step (saved but never undone)."""
        if name not in _SESSION_FIELDS:
            raise UnknownName(
                f"“{name}” is not a session field (one of: {', '.join(_SESSION_FIELDS)})"
            )
        spec = _SESSION_FIELDS[name]
        value = _coerce(spec, value, name)
        if _same(getattr(self.session, name), value):
            return
        if name == "step":
            self.session.step = value
            self.revision += 1
            return
        self._record(f"Edit {name}", ("session", name), Where("session", name))
        setattr(self.session, name, value)

    def set_problem(self, value: str | None) -> None:
        value = _coerce(PROBLEMS, value, "the problem")
        if value == self.session.social.problem:
            return
        self._record("Answer “is promotion the problem?”", where=Where("problem"))
        self.session.social.problem = value

    def set_answer(self, key: str, text: str) -> None:
        """social.answers[key]; an empty text removes the answer."""
        if not isinstance(key, str) or not key.strip() or strip_controls(key) != key:
            raise UnknownName(f"{key!r} is not an answer key")
        clean = clean_text(text, "an answer")
        answers = self.session.social.answers
        if answers.get(key, "") == clean:
            return
        self._record("Edit an answer", ("answer", key), Where("answer", key))
        if clean:
            answers[key] = clean
        else:
            del answers[key]

    def set_rating(self, key: str, value: int | None) -> None:
        """A principle's self-rating, 1 to 5; None removes it."""
        if key not in PRINCIPLES:
            raise UnknownName(f"“{key}” is not a principle (one of: {', '.join(PRINCIPLES)})")
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5
        ):
            raise EditError(f"a rating is a whole number from 1 to 5, not {value!r}")
        ratings = self.session.social.ratings
        if ratings.get(key) == value:
            return
        self._record(f"Rate “{PRINCIPLE_TITLES[key]}”", where=Where("rating", key))
        if value is None:
            del ratings[key]
        else:
            ratings[key] = value

    def set_strategy_field(self, name: str, value: Any) -> None:
        """start, end, vision, transformation, focus, budget or buyers; None clears."""
        if name not in _STRATEGY_FIELDS:
            raise UnknownName(
                f"“{name}” is not a strategy field (one of: {', '.join(_STRATEGY_FIELDS)})"
            )
        spec = _STRATEGY_FIELDS[name]
        value = _coerce(spec, value, f"the strategy {name}")
        if _same(getattr(self.session.strategy, name), value):
            return
        burst = ("strategy", name) if spec in _TYPED else None
        self._record(f"Edit the strategy {name}", burst, Where("strategy", name))
        setattr(self.session.strategy, name, value)

    def set_fitness(self, key: str, value: bool | None) -> None:
        if key not in FITNESS_KEYS:
            raise UnknownName(
                f"“{key}” is not a fitness question (one of: {', '.join(FITNESS_KEYS)})"
            )
        value = _coerce(_BOOL, value, key)
        if _same(getattr(self.session.fitness, key), value):
            return
        self._record(f"Answer “{FITNESS_ASKED[key]}”", where=Where("fitness", key))
        setattr(self.session.fitness, key, value)
