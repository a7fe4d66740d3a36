"""The pieces every rule is made of: findings, the rule record, and the evaluation context."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final

from ..model import LINK_SCHEMA, Item, Session
from ..text import one_line

SEVERITIES: Final = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One misalignment. Tools compare `rule`, `severity` and `refs`; `message` is for people.

    `step` and `target` say where it is fixed: the workshop step, and the item id (or block
    key, rating key, fitness key) to put the cursor on.
    """

    rule: str
    severity: str
    message: str
    refs: tuple[str, ...] = ()
    step: str = "summary"
    target: str | None = None
    why: str = field(default="", compare=False)

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.rule, self.severity, self.refs)

    def sort_key(self) -> tuple[int, str, tuple[str, ...]]:
        return (SEVERITIES.index(self.severity), self.rule, self.refs)

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "refs": list(self.refs),
        }


@dataclass(frozen=True)
class Hit:
    """What a rule's check yields: the refs, the message, and where to fix it."""

    refs: tuple[str, ...]
    message: str
    step: str | None = None
    target: str | None = None


Check = Callable[["Context"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """One alignment rule of the spec: its id, severity, step, words and check."""

    id: str
    severity: str
    step: str
    summary: str
    why: str
    check: Check


class Context:
    """What the rules share: the session and an index of its items by id (built per call)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.kinds_of: dict[str, set[str]] = {}
        self.items_by_id: dict[str, Item] = {}
        for kind, item in session.all_items():
            self.kinds_of.setdefault(item.id, set()).add(kind)
            self.items_by_id.setdefault(item.id, item)

    def resolves(self, target_id: str, kinds: tuple[str, ...]) -> bool:
        return bool(self.kinds_of.get(target_id, set()).intersection(kinds))

    def links(self, kind: str, item: Item, link_field: str) -> list[str]:
        """The ids in a link field that name an item of an allowed kind (the rest don't count)."""
        allowed = LINK_SCHEMA[kind][link_field]
        return [i for i in item.linked(link_field) if self.resolves(i, allowed)]

    def linked_by(self, kind: str, link_field: str) -> set[str]:
        """Every id that some item of `kind` links, through `link_field`, and that resolves."""
        return {
            target
            for item in self.session.items_of(kind)
            for target in self.links(kind, item, link_field)
        }

    def items(self, kind: str) -> Iterator[Item]:
        yield from self.session.items_of(kind)


def name(item: Item, limit: int = 48) -> str:
    """An item as people know it: its text in quotes (or its id when it has no text)."""
    text = one_line(item.label, limit)
    return f"“{text}”" if text else f"[{one_line(item.id, limit)}]"
