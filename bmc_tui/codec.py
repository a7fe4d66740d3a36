"""Session ⇄ TOML document, with the strict checks of the session-format spec.

Reading is strict about the keys the spec defines (type, choices, patterns) and lenient
about everything else: unknown keys are kept verbatim in ``extra`` and written back.
Every error names the key path, e.g. ``canvas.value_propositions[2].segments``.
"""

from __future__ import annotations

import math
import re
import tomllib
from datetime import date, datetime
from typing import Any

from .model import (
    AMOUNT_KINDS,
    BLOCKS,
    FITNESS_KEYS,
    FOCUSES,
    FORMAT,
    ID_PATTERN,
    LINK_SCHEMA,
    MAX_MONTHLY,
    PRACTICE_KINDS,
    PROBLEMS,
    PURPOSES,
    STEPS,
    VERSION,
    Amounted,
    Canvas,
    Fitness,
    Goal,
    Item,
    KeyDate,
    PlanItem,
    Practice,
    Segment,
    Session,
    Social,
    Strategy,
)
from .text import visible

_ID_RE = re.compile(ID_PATTERN)
_TOML_LINE_RE = re.compile(r"\(at line (\d+), column (\d+)\)")


class SessionFormatError(ValueError):
    """The document is not a readable session. `key` is the dotted path, when known.

    The message is always one printable line, even when it quotes a bad value or key.
    """

    def __init__(self, message: str, key: str | None = None, line: int | None = None) -> None:
        self.key = key
        self.line = line
        self.detail = visible(message)
        super().__init__(f"{visible(key)}: {self.detail}" if key else self.detail)


class NewerVersionError(SessionFormatError):
    """Written by a newer bmc-tui: may be shown read-only, never overwritten."""


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, datetime):
        return "a date-time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _wrong(key: str, expected: str, value: Any) -> SessionFormatError:
    return SessionFormatError(f"expected {expected}, found {_type_name(value)}", key)


def is_valid_session_id(value: str) -> bool:
    return _ID_RE.fullmatch(value) is not None


# -- readers for single values -------------------------------------------------------


class _Reader:
    """Pops known keys off one TOML table; whatever is left over is `extra`."""

    def __init__(self, table: Any, path: str) -> None:
        if not isinstance(table, dict):
            raise _wrong(path or "document", "a table", table)
        self.rest: dict[str, Any] = dict(table)
        self.path = path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def _take(self, name: str, required: bool) -> Any:
        if name not in self.rest:
            if required:
                raise SessionFormatError("required key is missing", self.key(name))
            return None
        return self.rest.pop(name)

    def string(self, name: str, *, required: bool = False, choices: tuple[str, ...] = ()) -> Any:
        value = self._take(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise _wrong(self.key(name), "a string", value)
        if choices and value not in choices:
            listed = ", ".join(f'"{c}"' for c in choices)
            raise SessionFormatError(f'"{value}" is not one of {listed}', self.key(name))
        return value

    def boolean(self, name: str) -> bool | None:
        value = self._take(name, False)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise _wrong(self.key(name), "true or false", value)
        return value

    def local_date(self, name: str, *, required: bool = False) -> date | None:
        value = self._take(name, required)
        if value is None:
            return None
        # datetime is a subclass of date; the spec asks for a local date only.
        if isinstance(value, datetime) or not isinstance(value, date):
            raise _wrong(self.key(name), "a local date (YYYY-MM-DD)", value)
        return value

    def offset_datetime(self, name: str) -> datetime | None:
        value = self._take(name, False)
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise _wrong(self.key(name), "a date-time with an offset", value)
        return value

    def number(self, name: str) -> float | int | None:
        value = self._take(name, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _wrong(self.key(name), "a number", value)
        return value

    def amount(self, name: str) -> float | int | None:
        """A monthly amount (format 1.1): a finite number from 0 to MAX_MONTHLY."""
        value = self.number(name)
        if value is None:
            return None
        if isinstance(value, float) and not math.isfinite(value):
            raise SessionFormatError(
                f"{value} is not an amount (it must be finite)", self.key(name)
            )
        if value < 0:
            raise SessionFormatError(
                f"{value} is not an amount (it must not be negative)", self.key(name)
            )
        if value > MAX_MONTHLY:
            raise SessionFormatError(f"{value} is more than {MAX_MONTHLY:,}", self.key(name))
        return value

    def strings(self, name: str) -> list[str] | None:
        value = self._take(name, False)
        if value is None:
            return None
        if not isinstance(value, list):
            raise _wrong(self.key(name), "an array of strings", value)
        for index, entry in enumerate(value):
            if not isinstance(entry, str):
                raise _wrong(f"{self.key(name)}[{index}]", "a string", entry)
        return list(value)

    def table(self, name: str) -> dict[str, Any]:
        value = self._take(name, False)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise _wrong(self.key(name), "a table", value)
        return value

    def tables(self, name: str) -> list[dict[str, Any]]:
        value = self._take(name, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise _wrong(self.key(name), "an array of tables", value)
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                raise _wrong(f"{self.key(name)}[{index}]", "a table", entry)
        return value


def _read_item_base(reader: _Reader, kind: str, text_key: str = "text") -> dict[str, Any]:
    item_id = reader.string("id", required=True)
    # The spec asks for a non-empty string, nothing more: "  " is an odd id but a readable
    # one (the blank-means-absent reading applies to rules, not to required keys).
    if not item_id:
        raise SessionFormatError("an item id must not be empty", reader.key("id"))
    text = reader.string(text_key, required=True)
    links: dict[str, list[str]] = {}
    for link_field in LINK_SCHEMA[kind]:
        ids = reader.strings(link_field)
        if ids is not None:
            links[link_field] = ids
    return {"id": item_id, "text": text, "links": links}


def _read_items(parent: _Reader, name: str, kind: str) -> list[Any]:
    items: list[Any] = []
    for index, table in enumerate(parent.tables(name)):
        reader = _Reader(table, f"{parent.key(name)}[{index}]")
        items.append(_read_item(reader, kind))
    return items


def _read_item(reader: _Reader, kind: str) -> Item:
    if kind == "plan":
        base = _read_item_base(reader, kind, text_key="title")
        plan_item = PlanItem(
            **base,
            purpose=reader.string("purpose", choices=PURPOSES),
            start=reader.local_date("start"),
            end=reader.local_date("end"),
            owner=reader.string("owner"),
            budget=reader.number("budget"),
            kpi=reader.string("kpi"),
            target=reader.string("target"),
        )
        plan_item.extra = reader.rest
        return plan_item
    base = _read_item_base(reader, kind)
    item: Item
    if kind == "practices":
        item = Practice(
            **base,
            kind=reader.string("kind", choices=PRACTICE_KINDS),
            improves=reader.boolean("improves"),
            long_term_value=reader.boolean("long_term_value"),
            kept=bool(reader.boolean("kept")),
            checklist=reader.boolean("checklist"),
        )
    elif kind == "goals":
        item = Goal(**base, metric=reader.string("metric"), target=reader.string("target"))
    elif kind == "dates":
        when = reader.local_date("date", required=True)
        assert when is not None
        item = KeyDate(**base, date=when)
    elif kind == "customer_segments":
        item = Segment(**base, pays=reader.boolean("pays"))
    elif kind in AMOUNT_KINDS:
        item = Amounted(**base, monthly=reader.amount("monthly"))
    else:
        item = Item(**base)
    item.extra = reader.rest
    return item


def session_from_dict(doc: dict[str, Any], *, allow_newer: bool = False) -> Session:
    """Build a session from a parsed TOML document, or raise SessionFormatError.

    With `allow_newer`, a higher version is read as far as this version understands it
    (for showing read-only); otherwise it raises NewerVersionError.
    """
    top = _Reader(doc, "")
    fmt = top.string("format", required=True)
    if fmt != FORMAT:
        raise SessionFormatError(f'expected "{FORMAT}", found "{fmt}"', "format")
    version = top._take("version", True)
    if isinstance(version, bool) or not isinstance(version, int):
        raise _wrong("version", "the integer 1", version)
    if version > VERSION and not allow_newer:
        raise NewerVersionError(
            f"version {version} was written by a newer bmc-tui (this one reads {VERSION})",
            "version",
        )
    if version < VERSION:
        raise SessionFormatError(f"unknown version {version} (expected {VERSION})", "version")
    session_id = top.string("id", required=True)
    if not is_valid_session_id(session_id):
        raise SessionFormatError(
            f'"{session_id}" is not a valid id (lowercase letters, digits and "-", '
            "starting with a letter or digit, at most 64 characters)",
            "id",
        )
    session = Session(
        id=session_id,
        title=top.string("title", required=True),
        version=version,
        created=top.offset_datetime("created"),
        updated=top.offset_datetime("updated"),
        facilitator=top.string("facilitator"),
        participants=top.strings("participants"),
        step=top.string("step", choices=STEPS),
        currency=top.string("currency"),
    )

    social = _Reader(top.table("social"), "social")
    answers = social.table("answers")
    for key, value in answers.items():
        if not isinstance(value, str):
            raise _wrong(f"social.answers.{key}", "a string", value)
    ratings = social.table("ratings")
    for key, value in ratings.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong(f"social.ratings.{key}", "an integer from 1 to 5", value)
        if not 1 <= value <= 5:
            raise SessionFormatError(
                f"{value} is not a rating from 1 to 5", f"social.ratings.{key}"
            )
    session.social = Social(
        problem=social.string("problem", choices=PROBLEMS),
        answers=dict(answers),
        ratings=dict(ratings),
    )
    session.social.extra = social.rest

    canvas = _Reader(top.table("canvas"), "canvas")
    blocks: dict[str, Any] = {block: _read_items(canvas, block, block) for block in BLOCKS}
    session.canvas = Canvas(**blocks)
    session.canvas.extra = canvas.rest

    session.practices = _read_items(top, "practices", "practices")

    strategy = _Reader(top.table("strategy"), "strategy")
    session.strategy = Strategy(
        start=strategy.local_date("start"),
        end=strategy.local_date("end"),
        vision=strategy.string("vision"),
        transformation=strategy.string("transformation"),
        focus=strategy.string("focus", choices=FOCUSES),
        budget=strategy.string("budget"),
        buyers=strategy.string("buyers"),
        goals=_read_items(strategy, "goals", "goals"),
        markets=_read_items(strategy, "markets", "markets"),
        programs=_read_items(strategy, "programs", "programs"),
        messages=_read_items(strategy, "messages", "messages"),
        pinches=_read_items(strategy, "pinches", "pinches"),
        policies=_read_items(strategy, "policies", "policies"),
        dates=_read_items(strategy, "dates", "dates"),
    )
    session.strategy.extra = strategy.rest

    session.plan = _read_items(top, "plan", "plan")

    fitness = _Reader(top.table("fitness"), "fitness")
    fitness_answers: dict[str, Any] = {key: fitness.boolean(key) for key in FITNESS_KEYS}
    session.fitness = Fitness(**fitness_answers)
    session.fitness.extra = fitness.rest

    session.extra = top.rest
    return session


def parse_toml(data: bytes, *, allow_newer: bool = False) -> Session:
    """Decode and parse a session file's bytes. Raises SessionFormatError."""
    # Editors on Windows start UTF-8 files with a byte-order mark; TOML does not allow one.
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        raise SessionFormatError("the file is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SessionFormatError(
            f"not UTF-8 text (bad byte at offset {error.start}); is this a binary file?"
        ) from None
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        # tomllib recurses per nested array or inline table: a hostile file can exhaust it.
        raise SessionFormatError("invalid TOML: arrays or tables nested too deeply") from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_LINE_RE.search(message)
        line = int(match.group(1)) if match else None
        raise SessionFormatError(f"invalid TOML: {message}", line=line) from None
    except ValueError:
        # tomllib converts decimal integers with `int()`, which refuses more than 4,300
        # digits with a plain ValueError (not a TOMLDecodeError).
        raise SessionFormatError(_HUGE_INTEGER) from None
    _check_integers(doc)
    return session_from_dict(doc, allow_newer=allow_newer)


_HUGE_INTEGER = "invalid TOML: an integer outside the 64-bit range TOML allows"
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def _check_integers(doc: dict[str, Any]) -> None:
    """Refuse integers TOML itself does not allow (beyond 64 bits).

    A hexadecimal, octal or binary integer of any length gets past tomllib, and printing
    it later (an error message, an export, the next save) raises ValueError beyond 4,300
    decimal digits: one such number would stop every command that reads the folder.
    """
    stack: list[Any] = [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, int) and not _INT_MIN <= value <= _INT_MAX:
            raise SessionFormatError(_HUGE_INTEGER)


# -- writing -------------------------------------------------------------------------


def _put(table: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        table[key] = value


def _item_to_dict(kind: str, item: Item) -> dict[str, Any]:
    table: dict[str, Any] = {"id": item.id, ("title" if kind == "plan" else "text"): item.text}
    if isinstance(item, PlanItem):
        _put(table, "purpose", item.purpose)
        _put(table, "start", item.start)
        _put(table, "end", item.end)
        _put(table, "owner", item.owner)
        _put(table, "budget", item.budget)
        _put(table, "kpi", item.kpi)
        _put(table, "target", item.target)
    elif isinstance(item, Practice):
        _put(table, "kind", item.kind)
        _put(table, "improves", item.improves)
        _put(table, "long_term_value", item.long_term_value)
        table["kept"] = item.kept
        _put(table, "checklist", item.checklist)
    elif isinstance(item, Goal):
        _put(table, "metric", item.metric)
        _put(table, "target", item.target)
    elif isinstance(item, KeyDate):
        table["date"] = item.date
    elif isinstance(item, Segment):
        _put(table, "pays", item.pays)
    elif isinstance(item, Amounted):
        _put(table, "monthly", item.monthly)
    for link_field in LINK_SCHEMA[kind]:
        if link_field in item.links:
            table[link_field] = list(item.links[link_field])
    for key, value in item.extra.items():
        table.setdefault(key, value)
    return table


def _items(kind: str, items: list[Any]) -> list[dict[str, Any]]:
    return [_item_to_dict(kind, item) for item in items]


def _merge_extra(table: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        table.setdefault(key, value)
    return table


def session_to_dict(session: Session) -> dict[str, Any]:
    """The TOML document for a session: known keys in spec order, then kept unknown keys.

    Empty sections are left out (a missing table means empty), which keeps new files short.
    """
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": session.version,
        "id": session.id,
        "title": session.title,
    }
    _put(doc, "created", session.created)
    _put(doc, "updated", session.updated)
    _put(doc, "facilitator", session.facilitator)
    _put(doc, "participants", session.participants)
    _put(doc, "step", session.step)
    _put(doc, "currency", session.currency)

    social: dict[str, Any] = {}
    _put(social, "problem", session.social.problem)
    if session.social.answers:
        social["answers"] = dict(session.social.answers)
    if session.social.ratings:
        social["ratings"] = dict(session.social.ratings)
    _merge_extra(social, session.social.extra)
    if social:
        doc["social"] = social

    canvas: dict[str, Any] = {}
    for block in BLOCKS:
        items = session.canvas.block(block)
        if items:
            canvas[block] = _items(block, items)
    _merge_extra(canvas, session.canvas.extra)
    if canvas:
        doc["canvas"] = canvas

    if session.practices:
        doc["practices"] = _items("practices", session.practices)

    strategy: dict[str, Any] = {}
    s = session.strategy
    _put(strategy, "start", s.start)
    _put(strategy, "end", s.end)
    _put(strategy, "vision", s.vision)
    _put(strategy, "transformation", s.transformation)
    _put(strategy, "focus", s.focus)
    _put(strategy, "budget", s.budget)
    _put(strategy, "buyers", s.buyers)
    for name in ("goals", "markets", "programs", "messages", "pinches", "policies", "dates"):
        items = getattr(s, name)
        if items:
            strategy[name] = _items(name, items)
    _merge_extra(strategy, s.extra)
    if strategy:
        doc["strategy"] = strategy

    if session.plan:
        doc["plan"] = _items("plan", session.plan)

    fitness: dict[str, Any] = {}
    for key in FITNESS_KEYS:
        _put(fitness, key, session.fitness.answer(key))
    _merge_extra(fitness, session.fitness.extra)
    if fitness:
        doc["fitness"] = fitness

    return _merge_extra(doc, session.extra)


def dump_toml(session: Session) -> str:
    return dump_document(session_to_dict(session))


def dump_document(document: dict[str, Any]) -> str:
    """TOML text for a document made by `session_to_dict` (safe in another thread)."""
    import tomli_w

    text: str = tomli_w.dumps(document)
    return text


# -- one item, on its own (what a team's "restore this item" carries) ----------------


def item_to_toml(kind: str, item: Item) -> str:
    """One item as a small TOML document (its dates stay dates, its unknown keys stay)."""
    return dump_document({"item": _item_to_dict(kind, item)})


def item_from_toml(kind: str, text: str) -> Item:
    """The item written by `item_to_toml`, checked as strictly as in a session file."""
    if kind not in LINK_SCHEMA:
        raise SessionFormatError(f"“{kind}” is not a kind of item")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SessionFormatError(f"not TOML: {error}") from None
    table = doc.get("item")
    if not isinstance(table, dict):
        raise SessionFormatError("no [item] table", "item")
    return _read_item(_Reader(table, "item"), kind)
