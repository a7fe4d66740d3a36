"""What every export format shares: labels, item names, value formatting, attribution.

Formats differ only in markup; what a session *says* (which labels, which names a link
shows, how a rating or an unanswered question reads) is decided here once, so the
Markdown report, the HTML page and the diff never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final

from ..model import BLOCK_TITLES, BLOCKS, FITNESS_KEYS, LINK_SCHEMA, PRINCIPLES, Item, Session
from ..money import format_amount, monthly_of
from ..rules import Finding
from ..rules.fitness import FITNESS_NAMES
from ..rules.social import PRINCIPLE_NAMES
from ..text import one_line

ATTRIBUTION: Final = (
    "The Business Model Canvas is by Strategyzer AG, licensed CC BY-SA 3.0 (strategyzer.com)."
)

SEVERITY_HEADINGS: Final = MappingProxyType(
    {"error": "Errors", "warning": "Warnings", "info": "Not done yet"}
)

PROBLEM_QUESTION: Final = "Is promotion the problem, or the model?"
PROBLEM_LABELS: Final = MappingProxyType(
    {
        "promotion": "Promotion is the problem",
        "model": "The model is the problem",
        "unsure": "Not sure yet",
    }
)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# The rules' own wording, so a rating or a fitness answer reads as its finding does.
PRINCIPLE_LABELS: Final = MappingProxyType(
    {key: _capital(PRINCIPLE_NAMES[key]) for key in PRINCIPLES}
)
FITNESS_LABELS: Final = MappingProxyType(
    {key: _capital(FITNESS_NAMES[key]) for key in FITNESS_KEYS}
)

PRACTICE_KIND_LABELS: Final = MappingProxyType(
    {"practice": "core practice", "routine": "routine task", "campaign": "campaign"}
)

FOCUS_LABELS: Final = MappingProxyType(
    {
        "new-market": "a new market",
        "market-share": "market share",
        "launch": "a launch",
        "awareness": "awareness",
        "upsell": "upsell",
        "retention": "retention",
    }
)

# (kind, link field) -> how the link reads in a report, e.g. "For: Commuters".
LINK_LABELS: Final = MappingProxyType(
    {
        ("value_propositions", "segments"): "For",
        ("channels", "segments"): "Reaches",
        ("customer_relationships", "segments"): "With",
        ("customer_relationships", "channels"): "Kept through",
        ("revenue_streams", "segments"): "From",
        ("revenue_streams", "propositions"): "Charges for",
        ("key_activities", "value_propositions"): "Delivers",
        ("key_activities", "resources"): "Uses",
        ("key_partnerships", "supplies"): "Supplies",
        ("cost_structure", "drivers"): "Driven by",
        ("practices", "value_propositions"): "Strengthens",
        ("markets", "segments"): "Segments",
        ("programs", "goals"): "Goals",
        ("plan", "goals"): "Goals",
        ("plan", "programs"): "Programs",
        ("plan", "segments"): "Segments",
    }
)

STRATEGY_LIST_TITLES: Final = MappingProxyType(
    {
        "goals": "Goals",
        "markets": "Focus markets",
        "programs": "Programs",
        "messages": "Core messages",
        "pinches": "Resource pinches",
        "policies": "Efficiency policies",
        "dates": "Key dates",
    }
)

# The classic picture: each block's place on a 10-column, 3-row grid (column start, column
# span, row start, row span). Two blocks share a column where the canvas stacks them.
CANVAS_GRID: Final = MappingProxyType(
    {
        "key_partnerships": (1, 2, 1, 2),
        "key_activities": (3, 2, 1, 1),
        "key_resources": (3, 2, 2, 1),
        "value_propositions": (5, 2, 1, 2),
        "customer_relationships": (7, 2, 1, 1),
        "channels": (7, 2, 2, 1),
        "customer_segments": (9, 2, 1, 2),
        "cost_structure": (1, 5, 3, 1),
        "revenue_streams": (6, 5, 3, 1),
    }
)


@dataclass(frozen=True)
class LinkView:
    """One link as people read it: the linked item's name, or the id and that it is missing."""

    target: str
    name: str
    missing: bool


class Names:
    """The items of one session by id, to show links by name instead of by id."""

    def __init__(self, session: Session) -> None:
        self._by_id: dict[str, tuple[str, Item]] = {}
        for kind, item in session.all_items():
            self._by_id.setdefault(item.id, (kind, item))

    def link(self, target: str, kinds: tuple[str, ...], limit: int | None = 80) -> LinkView:
        found = self._by_id.get(target)
        if found is None or found[0] not in kinds:
            return LinkView(target, one_line(target, limit), True)
        return LinkView(target, item_name(found[1], limit), False)

    def links(
        self, kind: str, item: Item, limit: int | None = 80
    ) -> list[tuple[str, list[LinkView]]]:
        """(label, linked names) for each link field of the item that holds any ids."""
        rows = []
        for link_field, kinds in LINK_SCHEMA[kind].items():
            ids = item.linked(link_field)
            if ids:
                label = LINK_LABELS.get((kind, link_field), link_field)
                rows.append((label, [self.link(i, kinds, limit) for i in ids]))
        return rows

    def ref(self, ref: str, limit: int | None = 60) -> str:
        """A finding's ref as a name: an item's text, a block title, or the ref itself."""
        found = self._by_id.get(ref)
        if found is not None:
            return item_name(found[1], limit)
        label = BLOCK_TITLES.get(ref) or PRINCIPLE_LABELS.get(ref) or FITNESS_LABELS.get(ref)
        return label or one_line(ref, limit)


def item_name(item: Item, limit: int | None = 80) -> str:
    """An item's text on one line, or its id when it has no text."""
    return one_line(item.text, limit) or one_line(item.id, limit)


def _words(key: str) -> str:
    return _capital(one_line(key.replace("_", " ").replace("-", " "), None))


def answer_groups(answers: Mapping[str, str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Answered prompts grouped as the step asks them: the overall checks, then each
    principle. A prompt id is "<group>.<question>", e.g. "conversation.strengths"."""
    order = ("check", *PRINCIPLES)
    groups: dict[str, list[tuple[str, str]]] = {}
    for key, text in answers.items():
        if not text.strip():
            continue
        group, _, rest = key.partition(".")
        if not rest:
            group, rest = "", key
        groups.setdefault(group, []).append((_words(rest), text))
    ranked = sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g))
    return [(_group_title(g), groups[g]) for g in ranked]


def _group_title(group: str) -> str:
    if group == "check":
        return "Does the model fit you and your customers?"
    if group in PRINCIPLE_LABELS:
        return PRINCIPLE_LABELS[group]
    return _words(group) if group else "Other answers"


def item_facts(session: Session, item: Item) -> list[tuple[str, str]]:
    """(label, value) of the 1.1 facts an item states: its monthly amount, a free side.

    Only what the file says: an item without these keys shows nothing new."""
    facts = []
    monthly = monthly_of(item)
    if monthly is not None:
        facts.append(("per month", format_amount(monthly, session.currency)))
    if getattr(item, "pays", None) is False:
        facts.append(("pays", "no, served free on purpose"))
    return facts


def yes_no(value: bool | None) -> str:
    if value is None:
        return "not answered"
    return "yes" if value else "no"


def number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    return value.isoformat()


def period(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return ""
    return f"{day(start) or '…'} to {day(end) or '…'}"


def rating(value: int | None) -> str:
    if value is None:
        return "not rated"
    return f"{value}/5"


def kept_practices(session: Session) -> list[Any]:
    return [p for p in session.practices if p.kept]


def grouped_findings(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """(severity heading, findings) in severity order, leaving out empty groups."""
    by: dict[str, list[Finding]] = {}
    for finding in findings:
        by.setdefault(finding.severity, []).append(finding)
    return [(SEVERITY_HEADINGS[s], by[s]) for s in SEVERITY_HEADINGS if s in by]


def shows_canvas(session: Session) -> bool:
    return any(session.canvas.block(b) for b in BLOCKS)


def plain(value: Any) -> Any:
    """A TOML value as JSON: dates and date-times as ISO strings, nan and inf as strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # TOML allows nan and inf; JSON does not
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
