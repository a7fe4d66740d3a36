"""Sessions for the export tests: a small complete one, and one full of hostile text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bmc_tui.model import (
    BLOCKS,
    FITNESS_KEYS,
    LINK_SCHEMA,
    PRINCIPLES,
    Goal,
    Item,
    KeyDate,
    PlanItem,
    Practice,
    Session,
)
from bmc_tui.store import load_session

DATA = Path(__file__).parent / "data"

# Everything a participant could paste to break out of its place in a report.
HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "](javascript:alert(1))",
    "[x](http://evil)",
    "![i](http://evil/pixel.png)",
    "a | b | c",
    "line one\nline two\n\n# heading\n- item\n1. first\n---",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\x9b31m\x85\x90\x9c",
    "`code` *em* _em_ **b** ~~s~~ $x$ &amp; &#60; <b>",
    "http://evil.example www.evil.example",
    "</style><style>body{background:url(http://evil)}</style>",
)
PAYLOAD = " ".join(HOSTILE)
BIG = "A" * 50_000 + " " + "B" * 50_000  # a 100 KB answer, one huge word on each side


@pytest.fixture
def harbor() -> Session:
    return load_session(DATA / "harbor.toml")


def hostile_session() -> Session:
    """Every kind of field holds the hostile payload; one answer is 100 KB."""
    session = Session(
        id="hostile",
        title=PAYLOAD,
        created=datetime(2026, 11, 23, 9, tzinfo=UTC),
        updated=datetime(2026, 11, 23, 10, tzinfo=UTC),
        facilitator=PAYLOAD,
        participants=[PAYLOAD, "| x |"],
        step="summary",
    )
    session.social.problem = "promotion"
    session.social.answers = {"check.strengths": PAYLOAD, "check.big": BIG, PAYLOAD: PAYLOAD}
    session.social.ratings = {key: 1 for key in PRINCIPLES}
    for kind in (*BLOCKS, "markets", "programs", "messages", "pinches", "policies"):
        items = session.items_of(kind)
        for n in range(2):
            items.append(Item(id=f"{kind}-{n}", text=f"{PAYLOAD} {n}"))
    session.canvas.key_partnerships.append(Item(id=PAYLOAD, text=""))
    for kind, item in session.all_items():
        for link_field, kinds in LINK_SCHEMA[kind].items():
            item.links[link_field] = [PAYLOAD, f"{kinds[0]}-0"]
    session.canvas.value_propositions[0].text = BIG
    session.practices = [
        Practice(id="p-1", text=PAYLOAD, kind="routine", improves=False, kept=True),
        Practice(id="p-2", text=PAYLOAD, kept=False),
    ]
    session.strategy.start, session.strategy.end = date(2027, 1, 1), date(2027, 6, 30)
    for name in ("vision", "transformation", "budget"):
        setattr(session.strategy, name, PAYLOAD)
    session.strategy.focus = "upsell"
    session.strategy.goals = [Goal(id="goals-0", text=PAYLOAD, metric=PAYLOAD, target=PAYLOAD)]
    session.strategy.dates = [KeyDate(id="d-1", text=PAYLOAD, date=date(2027, 2, 1))]
    session.plan = [
        PlanItem(
            id="plan-1",
            text=PAYLOAD,
            purpose="awareness",
            start=date(2027, 1, 1),
            end=date(2027, 2, 1),
            owner=PAYLOAD,
            budget=1.5,
            kpi=PAYLOAD,
            target=PAYLOAD,
            links={"goals": [PAYLOAD], "segments": ["customer_segments-0"]},
        )
    ]
    for key in FITNESS_KEYS:
        setattr(session.fitness, key, False)
    return session


@pytest.fixture
def hostile() -> Session:
    return hostile_session()
