"""The 1.1 keys in the exports and in `diff`; a 1.0 session exports without any of them."""

from __future__ import annotations

import copy
import json
import re

import pytest

from bmc_tui.codec import parse_toml
from bmc_tui.examples import load_example
from bmc_tui.export import render
from bmc_tui.export.diff import diff_json, diff_sessions, format_text
from bmc_tui.model import Session

# The wording the 1.1 keys add (the examples' own texts say "a month" and "per month").
NEW_WORDS = (
    "per month:*",
    "per month:</em>",
    "Per month: ",
    "Money per month",
    "Kept through",
    "Charges for",
    "from a checklist",
    "Buyer context",
    "Currency:",
    "served free",
    " a month</h3>",
)
NEW_KEYS = ("currency", "pays", "channels", "propositions", "monthly", "checklist", "buyers")


def _as_1_0(name: str) -> Session:
    """A shipped example with every 1.1 key taken out: what a 1.0 file looks like."""
    from importlib import resources

    text = resources.files("bmc_tui.examples").joinpath(f"{name}.toml").read_text("utf-8")
    pattern = rf"^({'|'.join(NEW_KEYS)}) = .*\n"
    old = re.sub(pattern, "", text, flags=re.M)
    assert old != text
    return parse_toml(old.encode())


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("name", ["platform", "subscription"])
def test_a_1_0_session_exports_without_any_1_1_wording(name: str, fmt: str) -> None:
    report = render(_as_1_0(name), fmt)
    for word in NEW_WORDS:
        assert word not in report, word


@pytest.mark.parametrize("name", ["platform", "subscription"])
def test_a_1_0_session_exports_json_without_1_1_keys(name: str) -> None:
    doc = json.loads(render(_as_1_0(name), "json"))
    assert "currency" not in doc and "buyers" not in doc["strategy"]
    for block in doc["canvas"].values():
        for item in block:
            assert not set(item) & {"pays", "monthly", "propositions"}
    assert all("checklist" not in p for p in doc["practices"])


def test_markdown_shows_amounts_totals_links_checklist_and_buyers() -> None:
    report = render(load_example("subscription"), "md")
    assert "- **Currency:** GBP" in report
    assert "*per month:* GBP 27,000" in report
    assert "Revenue GBP 54,900 · costs GBP 51,600 · margin GBP 3,300" in report
    assert "*Charges for:* A qualified bookkeeper checks your return" in report
    assert "*Kept through:* App stores and website sign-up" in report
    assert "*pays:* no, served free on purpose" in report
    assert "*could be done from a checklist:* no" in report
    assert "**Buyer context:** Sole traders choose alone" in report


def test_html_canvas_shows_the_totals_side_by_side() -> None:
    page = render(load_example("platform"), "html")
    assert "<h3>Cost Structure · GBP 12,970 a month</h3>" in page
    assert "<h3>Revenue Streams · GBP 13,550 a month</h3>" in page


def test_json_carries_the_new_keys_as_the_file_does() -> None:
    doc = json.loads(render(load_example("subscription"), "json"))
    assert doc["currency"] == "GBP"
    assert doc["canvas"]["customer_segments"][0]["pays"] is False
    assert doc["canvas"]["revenue_streams"][0]["monthly"] == 27000
    assert doc["canvas"]["revenue_streams"][0]["propositions"] == [
        "vp-tax-ready",
        "vp-grow-into-plus",
    ]
    assert doc["canvas"]["customer_relationships"][0]["channels"] == ["ch-app-stores"]
    assert doc["practices"][0]["checklist"] is False
    assert doc["strategy"]["buyers"].startswith("Sole traders choose alone")


def test_diff_shows_the_new_keys() -> None:
    before = load_example("subscription")
    after = copy.deepcopy(before)
    after.currency = "EUR"
    after.strategy.buyers = "Bookkeepers decide for their clients"
    after.canvas.customer_segments[0].pays = None
    after.canvas.revenue_streams[0].monthly = 30000
    after.canvas.revenue_streams[0].links["propositions"] = ["vp-tax-ready"]
    after.canvas.customer_relationships[0].links["channels"].append("ch-tax-guides")
    after.practices[0].checklist = True
    result = diff_sessions(before, after)
    fields = {f.path for f in result.fields}
    assert {"currency", "strategy.buyers"} <= fields
    items = {(c.kind, c.id): {f.path for f in c.fields} for c in result.items}
    assert items[("customer_segments", "cs-free-traders")] == {"pays"}
    assert items[("revenue_streams", "rs-plus-subscription")] == {"monthly"}
    assert items[("practices", "pr-upgrade-interviews")] == {"checklist"}
    links = {(c.kind, c.id, c.field, c.target, c.change) for c in result.links}
    assert ("revenue_streams", "rs-plus-subscription", "propositions", "vp-grow-into-plus",
            "removed") in links  # fmt: skip
    assert ("customer_relationships", "cr-in-app-help", "channels", "ch-tax-guides",
            "added") in links  # fmt: skip
    text = format_text(result, "before.toml", "after.toml")
    assert "Charges for" in text and "Kept through" in text
    assert "monthly" in text and "checklist" in text and "buyers" in text
    assert "~ currency: “GBP” → “EUR”" in text
    doc = diff_json(result, "before.toml", "after.toml")
    assert any(f["path"] == "currency" for f in doc["fields"])
