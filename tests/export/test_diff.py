"""`diff_sessions` over hand-made before/after pairs."""

from __future__ import annotations

import copy
import json
from datetime import date

from bmc_tui.export.diff import Paint, diff_json, diff_sessions, format_text
from bmc_tui.export.jsonexport import dumps
from bmc_tui.model import Item, PlanItem, Session


def _after(before: Session) -> Session:
    return copy.deepcopy(before)


def test_identical_sessions_have_no_changes(harbor: Session) -> None:
    after = _after(harbor)
    after.updated = None  # bookkeeping, not content
    after.step = "canvas"
    result = diff_sessions(harbor, after)
    assert not result.changed
    assert format_text(result, "a.toml", "b.toml").splitlines()[1] == "No changes."
    doc = diff_json(result, "a.toml", "b.toml")
    assert doc["changed"] is False and doc["items"] == [] and doc["findings"]["new"] == []


def test_items_added_removed_and_edited(harbor: Session) -> None:
    after = _after(harbor)
    after.canvas.customer_segments = [
        s for s in after.canvas.customer_segments if s.id != "cs-students"
    ]
    after.canvas.channels[0].text = "Order-ahead app and website"
    after.plan[0].owner = "Noor"
    after.plan[0].start = date(2027, 1, 4)
    after.plan.append(PlanItem(id="a-loyalty", text="Loyalty stamp card", purpose="retention"))
    result = diff_sessions(harbor, after)
    changes = {(c.kind, c.id): c for c in result.items}
    assert changes["customer_segments", "cs-students"].change == "removed"
    assert changes["plan", "a-loyalty"].change == "added"
    channel = changes["channels", "ch-app"]
    assert channel.change == "edited"
    assert [(f.path, f.old, f.new) for f in channel.fields] == [
        ("text", "Order-ahead app", "Order-ahead app and website")
    ]
    plan_fields = {f.path: (f.old, f.new) for f in changes["plan", "a-ferry-sampling"].fields}
    assert plan_fields == {"start": (date(2027, 1, 11), date(2027, 1, 4)), "owner": ("Sam", "Noor")}
    text = format_text(result, "before", "after")
    assert "Canvas › Customer Segments\n  - “Students at the harbour college” (cs-students)" in text
    assert "~ text: “Order-ahead app” → “Order-ahead app and website”" in text
    assert "~ start: 2027-01-11 → 2027-01-04" in text
    assert "\nPlan\n" in text and "  + “Loyalty stamp card” (a-loyalty)" in text
    doc = json.loads(dumps(diff_json(result, "before", "after")))
    edited = next(i for i in doc["items"] if i["id"] == "a-ferry-sampling")
    assert {"field": "start", "old": "2027-01-11", "new": "2027-01-04"} in edited["fields"]
    assert edited["section"] == "plan" and edited["change"] == "edited"


def test_link_changes_are_named(harbor: Session) -> None:
    after = _after(harbor)
    after.canvas.key_partnerships[0].links["supplies"] = ["kr-kiosk"]
    after.canvas.channels[0].links["segments"].append("cs-students")
    result = diff_sessions(harbor, after)
    links = {(c.id, c.target, c.change) for c in result.links}
    assert links == {
        ("kp-roaster", "kr-beans", "removed"),
        ("kp-roaster", "kr-kiosk", "added"),
        ("ch-app", "cs-students", "added"),
    }
    assert not [c for c in result.items if c.id in ("kp-roaster", "ch-app")]
    text = format_text(result, "a", "b")
    assert "- Supplies: kr-beans (missing)" in text
    assert "+ Supplies: “Kiosk at the ferry gate”" in text
    assert "+ Reaches: “Students at the harbour college”" in text


def test_findings_fixed_and_new(harbor: Session) -> None:
    after = _after(harbor)
    after.canvas.key_partnerships[0].links["supplies"] = ["kr-kiosk"]
    after.canvas.channels.append(Item(id="ch-x", text="Posters", links={"segments": ["nope"]}))
    result = diff_sessions(harbor, after)
    fixed = {(f.rule, f.refs) for f in result.fixed}
    new = {(f.rule, f.refs) for f in result.added_findings}
    assert ("link.dangling", ("kp-roaster", "kr-beans")) in fixed
    assert ("canvas.partner-idle", ("kp-roaster",)) in fixed
    assert ("link.dangling", ("ch-x", "nope")) in new
    assert not fixed & new
    doc = diff_json(result)
    assert {"rule", "severity", "message", "refs"} == set(doc["findings"]["new"][0])
    text = format_text(result, "a", "b")
    assert "Findings fixed (" in text and "New findings (1)" in text


def test_scalar_fields(harbor: Session) -> None:
    after = _after(harbor)
    after.social.problem = "model"
    after.social.ratings["customer_guided"] = 4
    after.social.answers["strengths"] = "   "  # blank: the same as not answered
    after.social.answers["new"] = "A new answer"
    after.strategy.focus = "retention"
    after.strategy.budget = None
    after.fitness.market_driven = True
    after.facilitator = "Sam"
    result = diff_sessions(harbor, after)
    fields = {f.path: (f.old, f.new) for f in result.fields}
    assert fields == {
        "facilitator": ("Alex Rivera", "Sam"),
        "social.problem": ("promotion", "model"),
        "social.answers.strengths": ("We know every regular by name.", "   "),
        "social.answers.new": (None, "A new answer"),
        "social.ratings.customer_guided": (2, 4),
        "strategy.focus": ("new-market", "retention"),
        "strategy.budget": ("4,000 EUR", None),
        "fitness.market_driven": (None, True),
    }
    text = format_text(result, "a", "b")
    assert "Social model\n  ~ problem: “promotion” → “model”" in text
    assert "~ market_driven: (not set) → yes" in text
    assert "~ budget: “4,000 EUR” → (not set)" in text


def test_blank_and_missing_are_the_same(harbor: Session) -> None:
    before, after = _after(harbor), _after(harbor)
    before.strategy.vision = ""
    after.strategy.vision = None
    assert not diff_sessions(before, after).changed


def test_colour_only_when_asked(harbor: Session) -> None:
    after = _after(harbor)
    after.canvas.channels.clear()
    result = diff_sessions(harbor, after)
    assert "\x1b[" not in format_text(result, "a", "b", Paint(False))
    assert "\x1b[31m-\x1b[0m" in format_text(result, "a", "b", Paint(True))
