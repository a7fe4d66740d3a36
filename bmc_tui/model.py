"""The session model: plain typed dataclasses, no I/O, no Textual.

The shape follows the session format (``docs/session-format.md``). Every item keeps the keys this
version does not know in ``extra`` so that a load → save round trip loses nothing.
Links are kept per item as ``links[field] = [ids]``; which fields exist and what kinds
they may point to is declared once, in :data:`LINK_SCHEMA`, so that the rules, the
editor and the exports all read the same table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any, Final

FORMAT: Final = "bmc-tui.session"
VERSION: Final = 1
ID_PATTERN: Final = r"[a-z0-9][a-z0-9-]{0,63}"

STEPS: Final = ("social", "canvas", "practices", "strategy", "plan", "fitness", "summary")
STEP_TITLES: Final = MappingProxyType(
    {
        "social": "Social model",
        "canvas": "Canvas",
        "practices": "Core practices",
        "strategy": "Strategy",
        "plan": "Plan",
        "fitness": "Fitness",
        "summary": "Summary",
    }
)

PROBLEMS: Final = ("promotion", "model", "unsure")
PRINCIPLES: Final = (
    "evolving_customer",
    "conversation",
    "function_first",
    "mastery_and_ease",
    "customer_guided",
)
PRACTICE_KINDS: Final = ("practice", "routine", "campaign")
FOCUSES: Final = ("new-market", "market-share", "launch", "awareness", "upsell", "retention")
PURPOSES: Final = ("awareness", "acquisition", "upsell", "retention", "enablement")
FITNESS_KEYS: Final = (
    "scalable_process",
    "accountability",
    "market_driven",
    "efficient_execution",
)

# The nine blocks in the order of the spec (and of the workshop: who first, then what).
BLOCKS: Final = (
    "customer_segments",
    "value_propositions",
    "channels",
    "customer_relationships",
    "revenue_streams",
    "key_activities",
    "key_resources",
    "key_partnerships",
    "cost_structure",
)
BLOCK_TITLES: Final = MappingProxyType(
    {
        "customer_segments": "Customer Segments",
        "value_propositions": "Value Propositions",
        "channels": "Channels",
        "customer_relationships": "Customer Relationships",
        "revenue_streams": "Revenue Streams",
        "key_activities": "Key Activities",
        "key_resources": "Key Resources",
        "key_partnerships": "Key Partnerships",
        "cost_structure": "Cost Structure",
    }
)

STRATEGY_LISTS: Final = ("goals", "markets", "programs", "messages", "pinches", "policies", "dates")

# Kinds whose items carry a monthly amount (format 1.1).
AMOUNT_KINDS: Final = ("revenue_streams", "cost_structure")

# Every kind of list item, in the order they appear in a session file.
KINDS: Final = (*BLOCKS, "practices", *STRATEGY_LISTS, "plan")

KIND_TITLES: Final = MappingProxyType(
    {
        **BLOCK_TITLES,
        "practices": "Core practice",
        "goals": "Goal",
        "markets": "Focus market",
        "programs": "Program",
        "messages": "Core message",
        "pinches": "Resource pinch",
        "policies": "Efficiency policy",
        "dates": "Key date",
        "plan": "Plan item",
    }
)

KIND_STEP: Final = MappingProxyType(
    {
        **{block: "canvas" for block in BLOCKS},
        "practices": "practices",
        **{name: "strategy" for name in STRATEGY_LISTS},
        "plan": "plan",
    }
)

_SEG = ("customer_segments",)
# kind -> link field -> kinds the ids in that field may name.
LINK_SCHEMA: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = MappingProxyType(
    {
        "customer_segments": MappingProxyType({}),
        "value_propositions": MappingProxyType({"segments": _SEG}),
        "channels": MappingProxyType({"segments": _SEG}),
        # Format 1.1: a relationship is kept through channels; a revenue stream charges
        # for value propositions (the offer sets the price).
        "customer_relationships": MappingProxyType({"segments": _SEG, "channels": ("channels",)}),
        "revenue_streams": MappingProxyType(
            {"segments": _SEG, "propositions": ("value_propositions",)}
        ),
        "key_activities": MappingProxyType(
            {"value_propositions": ("value_propositions",), "resources": ("key_resources",)}
        ),
        "key_resources": MappingProxyType({}),
        "key_partnerships": MappingProxyType({"supplies": ("key_resources", "key_activities")}),
        "cost_structure": MappingProxyType({"drivers": ("key_activities", "key_resources")}),
        "practices": MappingProxyType({"value_propositions": ("value_propositions",)}),
        "goals": MappingProxyType({}),
        "markets": MappingProxyType({"segments": _SEG}),
        "programs": MappingProxyType({"goals": ("goals",)}),
        "messages": MappingProxyType({}),
        "pinches": MappingProxyType({}),
        "policies": MappingProxyType({}),
        "dates": MappingProxyType({}),
        "plan": MappingProxyType(
            {"goals": ("goals",), "programs": ("programs",), "segments": _SEG}
        ),
    }
)


def utc_now() -> datetime:
    """Now, in UTC, to the second: what the app writes into `created` and `updated`."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class Item:
    """A list item with an id, a text, its links and any keys this version does not know."""

    id: str
    text: str = ""
    links: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.text

    def linked(self, link_field: str) -> list[str]:
        return self.links.get(link_field, [])


# The largest monthly amount a file may hold (format 1.1): far above any real business,
# low enough that sums stay exact to the cent in a float.
MAX_MONTHLY: Final = 10**12


@dataclass
class Segment(Item):
    """A customer segment. `pays = False`: a side deliberately served free or subsidised.

    An absent `pays` (None) means the segment pays, unlike every other optional answer.
    """

    pays: bool | None = None

    @property
    def paying(self) -> bool:
        return self.pays is not False


@dataclass
class Amounted(Item):
    """A revenue stream or cost item, with an optional estimated amount per month."""

    monthly: float | int | None = None


@dataclass
class Practice(Item):
    """A candidate core practice: its kind, the three questions, and whether it is kept."""

    kind: str | None = None
    improves: bool | None = None
    long_term_value: bool | None = None
    kept: bool = False
    # Could someone else, or software, do it well from a checklist? True: a task.
    checklist: bool | None = None


@dataclass
class Goal(Item):
    """A strategy goal and its definition of success."""

    metric: str | None = None
    target: str | None = None


@dataclass
class KeyDate(Item):
    """A key date of the strategy (a launch, a market entry)."""

    date: date = field(default_factory=date.today)


@dataclass
class PlanItem(Item):
    """A plan item; the spec calls its text `title`, so that is what it is written as."""

    purpose: str | None = None
    start: date | None = None
    end: date | None = None
    owner: str | None = None
    budget: float | int | None = None
    kpi: str | None = None
    target: str | None = None

    @property
    def title(self) -> str:
        return self.text


@dataclass
class Social:
    """The social business model: the diagnostic, free-text answers, ratings."""

    problem: str | None = None
    answers: dict[str, str] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Canvas:
    """The nine blocks of the Business Model Canvas."""

    customer_segments: list[Segment] = field(default_factory=list)
    value_propositions: list[Item] = field(default_factory=list)
    channels: list[Item] = field(default_factory=list)
    customer_relationships: list[Item] = field(default_factory=list)
    revenue_streams: list[Amounted] = field(default_factory=list)
    key_activities: list[Item] = field(default_factory=list)
    key_resources: list[Item] = field(default_factory=list)
    key_partnerships: list[Item] = field(default_factory=list)
    cost_structure: list[Amounted] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def block(self, key: str) -> list[Any]:
        if key not in BLOCKS:
            raise KeyError(key)
        items: list[Any] = getattr(self, key)
        return items


@dataclass
class Strategy:
    """The marketing strategy: the why and the what for a period."""

    start: date | None = None
    end: date | None = None
    vision: str | None = None
    transformation: str | None = None
    focus: str | None = None
    budget: str | None = None
    # Format 1.1: who buys, how they decide and how they buy.
    buyers: str | None = None
    goals: list[Goal] = field(default_factory=list)
    markets: list[Item] = field(default_factory=list)
    programs: list[Item] = field(default_factory=list)
    messages: list[Item] = field(default_factory=list)
    pinches: list[Item] = field(default_factory=list)
    policies: list[Item] = field(default_factory=list)
    dates: list[KeyDate] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Fitness:
    """The four yes/no answers of the marketing fitness check."""

    scalable_process: bool | None = None
    accountability: bool | None = None
    market_driven: bool | None = None
    efficient_execution: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def answer(self, key: str) -> bool | None:
        if key not in FITNESS_KEYS:
            raise KeyError(key)
        value: bool | None = getattr(self, key)
        return value


@dataclass
class Session:
    """One workshop session: the whole content of one session file."""

    id: str
    title: str
    version: int = VERSION
    created: datetime | None = None
    updated: datetime | None = None
    facilitator: str | None = None
    participants: list[str] | None = None
    step: str | None = None
    # Format 1.1: the currency of the amounts, for display only ("EUR").
    currency: str | None = None
    social: Social = field(default_factory=Social)
    canvas: Canvas = field(default_factory=Canvas)
    practices: list[Practice] = field(default_factory=list)
    strategy: Strategy = field(default_factory=Strategy)
    plan: list[PlanItem] = field(default_factory=list)
    fitness: Fitness = field(default_factory=Fitness)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, session_id: str, title: str) -> Session:
        now = utc_now()
        return cls(id=session_id, title=title, created=now, updated=now, step="social")

    # -- generic access to every list item -------------------------------------------

    def items_of(self, kind: str) -> list[Any]:
        """The live list holding the items of `kind` (mutating it changes the session)."""
        if kind in BLOCKS:
            return self.canvas.block(kind)
        if kind == "practices":
            return self.practices
        if kind in STRATEGY_LISTS:
            items: list[Any] = getattr(self.strategy, kind)
            return items
        if kind == "plan":
            return self.plan
        raise KeyError(kind)

    def all_items(self) -> Iterator[tuple[str, Item]]:
        for kind in KINDS:
            for item in self.items_of(kind):
                yield kind, item

    def find(self, item_id: str) -> tuple[str, Item] | None:
        for kind, item in self.all_items():
            if item.id == item_id:
                return kind, item
        return None

    def used_ids(self) -> set[str]:
        return {item.id for _, item in self.all_items()}
