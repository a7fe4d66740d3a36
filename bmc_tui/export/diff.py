"""What changed between two sessions (say, before and after a workshop).

Items are matched by kind and id: an id in both is the same item (edited when its text or
any other field changed, links aside), an id in one only was added or removed. Links are
compared per item and field. Findings are compared as tools compare them, by rule,
severity and refs. ``created``, ``updated`` and ``step`` are bookkeeping, not content,
and are left out; a blank string and a missing value both mean "not answered".

JSON shape (``bmc-tui diff A B --format json``)::

    {
      "old": {"file": "a.toml", "id": "harbor", "title": "Harbor Coffee"},
      "new": {"file": "b.toml", "id": "harbor", "title": "Harbor Coffee"},
      "changed": true,
      "fields": [{"path": "social.ratings.customer_guided", "old": 2, "new": 4}],
      "items": [{"section": "canvas", "kind": "value_propositions", "id": "vp-fast",
                 "change": "added" | "removed" | "edited", "text": "...",
                 "fields": [{"field": "text", "old": "...", "new": "..."}]}],
      "links": [{"section": "canvas", "kind": "channels", "id": "ch-app",
                 "field": "segments", "target": "cs-students",
                 "change": "added" | "removed"}],
      "findings": {"fixed": [{"rule", "severity", "message", "refs"}],
                   "new": [{"rule", "severity", "message", "refs"}]}
    }

``fields`` of an item is empty unless it was edited. ``path`` names a key as in the
session file (``title``, ``facilitator``, ``participants``, ``social.problem``,
``social.answers.<id>``, ``social.ratings.<key>``, ``strategy.<key>``, ``fitness.<key>``);
``old``/``new`` are ``null`` when unset, dates are ISO strings. Text is exact (JSON
escapes control characters); the text format shows it on one line, controls removed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from ..model import (
    BLOCK_TITLES,
    FITNESS_KEYS,
    KIND_STEP,
    KINDS,
    LINK_SCHEMA,
    STEP_TITLES,
    STRATEGY_LISTS,
    Item,
    Session,
)
from ..report import plural
from ..rules import Finding, evaluate
from ..text import one_line
from ._common import LINK_LABELS, STRATEGY_LIST_TITLES, Names, plain

STRATEGY_FIELDS: Final = (
    "start",
    "end",
    "vision",
    "transformation",
    "focus",
    "budget",
    "buyers",
)


@dataclass(frozen=True)
class FieldChange:
    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ItemChange:
    kind: str
    id: str
    change: str  # "added", "removed" or "edited"
    text: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class LinkChange:
    kind: str
    id: str
    field: str
    target: str
    change: str  # "added" or "removed"


@dataclass(frozen=True)
class SessionDiff:
    old: Session
    new: Session
    fields: tuple[FieldChange, ...]
    items: tuple[ItemChange, ...]
    links: tuple[LinkChange, ...]
    fixed: tuple[Finding, ...]
    added_findings: tuple[Finding, ...]

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.items or self.links or self.fixed or self.added_findings)


def _blank(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _compare(path: str, old: Any, new: Any) -> Iterator[FieldChange]:
    if _blank(old) != _blank(new):
        yield FieldChange(path, old, new)


def _session_fields(old: Session, new: Session) -> Iterator[FieldChange]:
    yield from _compare("title", old.title, new.title)
    yield from _compare("facilitator", old.facilitator, new.facilitator)
    yield from _compare("participants", old.participants or None, new.participants or None)
    yield from _compare("currency", old.currency, new.currency)
    yield from _compare("social.problem", old.social.problem, new.social.problem)
    for group in ("answers", "ratings"):
        before, after = getattr(old.social, group), getattr(new.social, group)
        for key in [*before, *(k for k in after if k not in before)]:
            yield from _compare(f"social.{group}.{key}", before.get(key), after.get(key))
    for key in STRATEGY_FIELDS:
        before, after = getattr(old.strategy, key), getattr(new.strategy, key)
        yield from _compare(f"strategy.{key}", before, after)
    for key in FITNESS_KEYS:
        yield from _compare(f"fitness.{key}", old.fitness.answer(key), new.fitness.answer(key))


def item_values(kind: str, item: Item) -> dict[str, Any]:
    """An item's fields as the session file names them, links and id aside."""
    values: dict[str, Any] = {"title" if kind == "plan" else "text": item.text}
    for f in dataclasses.fields(item):
        if f.name not in ("id", "text", "links", "extra"):
            values[f.name] = getattr(item, f.name)
    for key, value in item.extra.items():
        values.setdefault(key, value)
    return values


def _indexed(items: Sequence[Item]) -> dict[tuple[str, int], Item]:
    """Items by (id, occurrence): a duplicated id still pairs its first with the first."""
    seen: dict[str, int] = {}
    out: dict[tuple[str, int], Item] = {}
    for item in items:
        n = seen.get(item.id, 0)
        seen[item.id] = n + 1
        out[(item.id, n)] = item
    return out


def _item_changes(kind: str, old: Item, new: Item) -> tuple[FieldChange, ...]:
    before, after = item_values(kind, old), item_values(kind, new)
    keys = [*before, *(k for k in after if k not in before)]
    return tuple(c for k in keys for c in _compare(k, before.get(k), after.get(k)))


def _link_changes(kind: str, old: Item, new: Item) -> Iterator[LinkChange]:
    for link_field in LINK_SCHEMA[kind]:
        before, after = old.linked(link_field), new.linked(link_field)
        for target in dict.fromkeys(t for t in before if t not in after):
            yield LinkChange(kind, new.id, link_field, target, "removed")
        for target in dict.fromkeys(t for t in after if t not in before):
            yield LinkChange(kind, new.id, link_field, target, "added")


def _kind_changes(
    kind: str, old_items: Sequence[Item], new_items: Sequence[Item]
) -> tuple[list[ItemChange], list[LinkChange]]:
    before, after = _indexed(old_items), _indexed(new_items)
    items: list[ItemChange] = []
    links: list[LinkChange] = []
    for key, item in after.items():
        previous = before.get(key)
        if previous is None:
            items.append(ItemChange(kind, item.id, "added", item.text))
            continue
        fields = _item_changes(kind, previous, item)
        if fields:
            items.append(ItemChange(kind, item.id, "edited", item.text, fields))
        links.extend(_link_changes(kind, previous, item))
    for key, item in before.items():
        if key not in after:
            items.append(ItemChange(kind, item.id, "removed", item.text))
    return items, links


def diff_sessions(
    old: Session,
    new: Session,
    old_findings: Sequence[Finding] | None = None,
    new_findings: Sequence[Finding] | None = None,
) -> SessionDiff:
    items: list[ItemChange] = []
    links: list[LinkChange] = []
    for kind in KINDS:
        kind_items, kind_links = _kind_changes(kind, old.items_of(kind), new.items_of(kind))
        items += kind_items
        links += kind_links
    before = evaluate(old) if old_findings is None else old_findings
    after = evaluate(new) if new_findings is None else new_findings
    before_keys, after_keys = {f.key for f in before}, {f.key for f in after}
    return SessionDiff(
        old=old,
        new=new,
        fields=tuple(_session_fields(old, new)),
        items=tuple(items),
        links=tuple(links),
        fixed=tuple(f for f in before if f.key not in after_keys),
        added_findings=tuple(f for f in after if f.key not in before_keys),
    )


def diff_json(
    diff: SessionDiff, old_file: str | None = None, new_file: str | None = None
) -> dict[str, Any]:
    def side(session: Session, file: str | None) -> dict[str, Any]:
        return {"file": file, "id": session.id, "title": session.title}

    def field(change: FieldChange, key: str) -> dict[str, Any]:
        return {key: change.path, "old": plain(change.old), "new": plain(change.new)}

    return {
        "old": side(diff.old, old_file),
        "new": side(diff.new, new_file),
        "changed": diff.changed,
        "fields": [field(c, "path") for c in diff.fields],
        "items": [
            {
                "section": KIND_STEP[c.kind],
                "kind": c.kind,
                "id": c.id,
                "change": c.change,
                "text": c.text,
                "fields": [field(f, "field") for f in c.fields],
            }
            for c in diff.items
        ],
        "links": [{"section": KIND_STEP[c.kind], **dataclasses.asdict(c)} for c in diff.links],
        "findings": {
            "fixed": [f.as_json() for f in diff.fixed],
            "new": [f.as_json() for f in diff.added_findings],
        },
    }


# -- text for people -----------------------------------------------------------------

_MARKS: Final = MappingProxyType({"added": "+", "removed": "-", "edited": "~"})
_STYLES: Final = MappingProxyType(
    {"added": "32", "removed": "31", "edited": "33", "bold": "1", "dim": "2"}
)
_SEVERITY_STYLES: Final = MappingProxyType({"error": "31", "warning": "33", "info": "36"})
_FIELD_SECTIONS = (
    ("Session", ("title", "facilitator", "participants", "currency")),
    ("Social model", ("social.",)),
    ("Strategy", ("strategy.",)),
    ("Fitness", ("fitness.",)),
)


class Paint:
    """ANSI colour, or nothing: the caller decides (a terminal, and no NO_COLOR)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        code = _STYLES.get(style) or _SEVERITY_STYLES.get(style)
        if not self.enabled or code is None:
            return text
        return f"\x1b[{code}m{text}\x1b[0m"


def show(value: Any, limit: int = 70) -> str:
    """A value on one line, controls removed: strings quoted, None as "(not set)"."""
    if _blank(value) is None:
        return "(not set)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(show(v, 30) for v in value)
    if isinstance(value, str):
        return f"“{one_line(value, limit)}”"
    return one_line(str(plain(value)), limit)


def show_change(old: Any, new: Any, limit: int = 70) -> tuple[str, str]:
    """Both sides of a change, each as `show` writes it; two long texts that differ only
    past the cut are shown from a little before where they differ (both read "“People
    ask about … on the…”" when only a trailing ".2" had gone)."""
    before, after = show(old, limit), show(new, limit)
    if before != after or not (isinstance(old, str) and isinstance(new, str)):
        return before, after
    a, b = one_line(old, None), one_line(new, None)
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = max(0, at - limit // 3)
    return (
        f"“…{one_line(a[start:], limit - 1)}”",
        f"“…{one_line(b[start:], limit - 1)}”",
    )


def _field_lines(
    changes: Sequence[FieldChange], paint: Paint, indent: str, strip: str = ""
) -> list[str]:
    mark = paint("~", "edited")
    lines = []
    for c in changes:
        before, after = show_change(c.old, c.new)
        lines.append(
            f"{indent}{mark} {one_line(c.path.removeprefix(strip), 60)}: {before} → {after}"
        )
    return lines


def _field_section(
    diff: SessionDiff, title: str, prefixes: tuple[str, ...], paint: Paint
) -> list[str]:
    changes = [c for c in diff.fields if c.path.startswith(prefixes)]
    if not changes:
        return []
    strip = prefixes[0] if prefixes[0].endswith(".") else ""
    return [paint(title, "bold"), *_field_lines(changes, paint, "  ", strip)]


def _kind_title(kind: str) -> str:
    step = KIND_STEP[kind]
    if kind == "practices" or kind == "plan":
        return STEP_TITLES[step]
    title = BLOCK_TITLES.get(kind) or STRATEGY_LIST_TITLES[kind]
    return f"{STEP_TITLES[step]} › {title}"


def _link_line(kind: str, link: LinkChange, names: tuple[Names, Names], paint: Paint) -> str:
    # An added link is named as the new session knows its target, a removed one as the old.
    side = names[1] if link.change == "added" else names[0]
    view = side.link(link.target, LINK_SCHEMA[kind][link.field], 60)
    shown = f"{view.name} (missing)" if view.missing else f"“{view.name}”"
    label = LINK_LABELS.get((kind, link.field), link.field)
    return f"      {paint(_MARKS[link.change], link.change)} {label}: {shown}"


def _kind_section(
    diff: SessionDiff, kind: str, names: tuple[Names, Names], paint: Paint
) -> list[str]:
    items = {c.id: c for c in diff.items if c.kind == kind}
    links = [c for c in diff.links if c.kind == kind]
    if not items and not links:
        return []
    lines = [paint(_kind_title(kind), "bold")]
    for item_id in dict.fromkeys([*items, *(c.id for c in links)]):
        change = items.get(item_id)
        state = change.change if change else "edited"
        text = one_line(change.text if change else names[1].ref(item_id, 70), 70)
        ident = paint(f"({one_line(item_id, 40)})", "dim")
        lines.append(f"  {paint(_MARKS[state], state)} “{text or '(no text)'}” {ident}")
        lines += _field_lines(change.fields if change else (), paint, "      ")
        lines += [_link_line(kind, c, names, paint) for c in links if c.id == item_id]
    return lines


def _finding_lines(title: str, findings: Sequence[Finding], mark: str, paint: Paint) -> list[str]:
    if not findings:
        return []
    width = max(len(f.rule) for f in findings)
    lines = [paint(f"{title} ({len(findings)})", "bold")]
    for f in findings:
        severity = paint(f.severity.ljust(7), f.severity)
        lines.append(
            f"  {mark} {severity} {paint(f.rule.ljust(width), 'dim')}  {one_line(f.message, 160)}"
        )
    return lines


def _summary(diff: SessionDiff) -> str:
    count = {k: sum(1 for c in diff.items if c.change == k) for k in _MARKS}
    links = {k: sum(1 for c in diff.links if c.change == k) for k in ("added", "removed")}
    return (
        f"{plural(count['added'], 'item')} added, {count['removed']} removed, "
        f"{count['edited']} edited; {plural(links['added'], 'link')} added, "
        f"{links['removed']} removed; {plural(len(diff.fields), 'field')} changed; "
        f"{plural(len(diff.fixed), 'finding')} fixed, {len(diff.added_findings)} new."
    )


def format_text(
    diff: SessionDiff, old_label: str, new_label: str, paint: Paint | None = None
) -> str:
    """The diff for people: one section per part of the session that changed."""
    paint = paint or Paint(False)
    head = f"{paint('Comparing', 'bold')} {one_line(old_label, None)} → {one_line(new_label, None)}"
    if not diff.changed:
        return f"{head}\nNo changes.\n"
    names = (Names(diff.old), Names(diff.new))
    sections = [
        _field_section(diff, *_FIELD_SECTIONS[0], paint),
        _field_section(diff, *_FIELD_SECTIONS[1], paint),
    ]
    sections += [
        _kind_section(diff, kind, names, paint) for kind in KINDS if KIND_STEP[kind] == "canvas"
    ]
    sections.append(_kind_section(diff, "practices", names, paint))
    sections.append(_field_section(diff, *_FIELD_SECTIONS[2], paint))
    sections += [_kind_section(diff, kind, names, paint) for kind in STRATEGY_LISTS]
    sections.append(_kind_section(diff, "plan", names, paint))
    sections.append(_field_section(diff, *_FIELD_SECTIONS[3], paint))
    sections.append(_finding_lines("Findings fixed", diff.fixed, paint("✓", "added"), paint))
    sections.append(
        _finding_lines("New findings", diff.added_findings, paint("!", "removed"), paint)
    )
    body = "\n\n".join("\n".join(s) for s in sections if s)
    return f"{head}\n\n{body}\n\n{_summary(diff)}\n"
