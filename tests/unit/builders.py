"""Small builders for sessions in tests.

`aligned()` is a session that raises no finding at all; each rule test breaks exactly one
thing in it, so the finding under test is the only thing that changed.
"""

from __future__ import annotations

from datetime import date

from bmc_tui.codec import parse_toml
from bmc_tui.model import (
    PRINCIPLES,
    Amounted,
    Goal,
    Item,
    KeyDate,
    PlanItem,
    Practice,
    Segment,
    Session,
    Social,
)
from bmc_tui.rules import Finding, evaluate

HEADER = 'format = "bmc-tui.session"\nversion = 1\nid = "s"\ntitle = "Test"\n'


def item(item_id: str, text: str = "", **links: list[str]) -> Item:
    return Item(id=item_id, text=text or item_id, links=dict(links))


def segment(item_id: str, text: str = "", *, pays: bool | None = None) -> Segment:
    return Segment(id=item_id, text=text or item_id, pays=pays)


def amounted(item_id: str, monthly: float | None = None, **links: list[str]) -> Amounted:
    return Amounted(id=item_id, text=item_id, links=dict(links), monthly=monthly)


def practice(
    item_id: str,
    *,
    kind: str | None = "practice",
    improves: bool | None = True,
    long_term_value: bool | None = True,
    kept: bool = True,
    value_propositions: list[str] | None = None,
    checklist: bool | None = None,
) -> Practice:
    links = {"value_propositions": value_propositions if value_propositions is not None else []}
    return Practice(
        id=item_id,
        text=item_id,
        links=links,
        kind=kind,
        improves=improves,
        long_term_value=long_term_value,
        kept=kept,
        checklist=checklist,
    )


def goal(item_id: str, metric: str | None = "orders", target: str | None = "400") -> Goal:
    return Goal(id=item_id, text=item_id, metric=metric, target=target)


def plan_item(
    item_id: str,
    *,
    purpose: str | None = "awareness",
    start: date | None = date(2027, 2, 1),
    end: date | None = date(2027, 2, 28),
    owner: str | None = "Sam",
    kpi: str | None = "sign-ups",
    target: str | None = "150",
    goals: list[str] | None = None,
    programs: list[str] | None = None,
    segments: list[str] | None = None,
) -> PlanItem:
    links = {
        "goals": goals if goals is not None else ["g-1"],
        "programs": programs if programs is not None else ["p-1"],
        "segments": segments if segments is not None else ["cs-a"],
    }
    return PlanItem(
        id=item_id,
        text=item_id,
        links=links,
        purpose=purpose,
        start=start,
        end=end,
        owner=owner,
        kpi=kpi,
        target=target,
    )


def aligned() -> Session:
    """A session every rule is happy with."""
    s = Session(id="s", title="Aligned")
    s.social = Social(problem="model", ratings={key: 4 for key in PRINCIPLES})
    c = s.canvas
    c.customer_segments = [segment("cs-a", "Commuters")]
    c.value_propositions = [item("vp-a", segments=["cs-a"])]
    c.channels = [item("ch-a", segments=["cs-a"])]
    c.customer_relationships = [item("cr-a", segments=["cs-a"], channels=["ch-a"])]
    c.revenue_streams = [amounted("rs-a", segments=["cs-a"], propositions=["vp-a"])]
    c.key_activities = [item("ka-a", value_propositions=["vp-a"], resources=["kr-a"])]
    c.key_resources = [item("kr-a")]
    c.key_partnerships = [item("kp-a", supplies=["kr-a"])]
    c.cost_structure = [amounted("co-a", drivers=["ka-a", "kr-a"])]
    s.practices = [practice(f"pr-{n}", value_propositions=["vp-a"]) for n in (1, 2, 3)]
    st = s.strategy
    st.start, st.end = date(2027, 1, 1), date(2027, 6, 30)
    st.focus = "new-market"
    st.budget = "10k"
    st.buyers = "Commuters decide on the ferry, in seconds, and pay by phone"
    st.goals = [goal("g-1")]
    st.markets = [item("m-1", segments=["cs-a"])]
    st.programs = [item("p-1", goals=["g-1"])]
    st.messages = [item("msg-1")]
    st.dates = [KeyDate(id="d-1", text="launch", date=date(2027, 3, 1))]
    s.plan = [plan_item("a-1")]
    for key in ("scalable_process", "accountability", "market_driven", "efficient_execution"):
        setattr(s.fitness, key, True)
    return s


def from_toml(body: str) -> Session:
    """A session from the TOML that follows the required header keys."""
    return parse_toml((HEADER + body).encode())


def found(session: Session, rule: str) -> list[tuple[str, tuple[str, ...]]]:
    """(severity, refs) of every finding of one rule, in report order."""
    return [(f.severity, f.refs) for f in evaluate(session) if f.rule == rule]


def rule_ids(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}
