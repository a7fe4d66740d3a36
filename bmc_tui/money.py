"""Monthly amounts (format 1.1): the two totals of the canvas and how amounts are shown.

Amounts are estimates per month on revenue streams and cost items. A total is the sum of
the items that have an amount (an item without one adds nothing), rounded to the cent
because it is money; it is None when no item of the kind has an amount at all.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .model import Session
from .text import one_line


def monthly_of(item: Any) -> float | int | None:
    """An item's monthly amount; None when it has none (or is not a kind that has one)."""
    value = getattr(item, "monthly", None)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def monthly_total(items: Iterable[Any]) -> float | None:
    """The rounded sum of the amounts given, or None when no item has one."""
    amounts = [a for a in (monthly_of(item) for item in items) if a is not None]
    if not amounts:
        return None
    return round(math.fsum(amounts), 2)


@dataclass(frozen=True)
class Totals:
    """Revenue and costs per month, each None when no item of its kind has an amount."""

    revenue: float | None
    costs: float | None

    @property
    def any(self) -> bool:
        return self.revenue is not None or self.costs is not None

    @property
    def margin(self) -> float | None:
        if self.revenue is None or self.costs is None:
            return None
        return round(self.revenue - self.costs, 2)


def totals(session: Session) -> Totals:
    canvas = session.canvas
    return Totals(monthly_total(canvas.revenue_streams), monthly_total(canvas.cost_structure))


def plain_amount(value: float | int, *, grouped: bool = False) -> str:
    """An amount as typed into a field: 1200 → "1200"; 1200.5 → "1200.50" (`grouped`:
    "1,200", as the lists and totals show it)."""
    rounded = round(float(value), 2)
    group = "," if grouped else ""
    text = f"{rounded:{group}.0f}" if rounded == int(rounded) else f"{rounded:{group}.2f}"
    return "0" if text == "-0" else text


def format_amount(value: float | int, currency: str | None = None) -> str:
    """1200 → "1,200"; 1200.5 → "1,200.50"; with a currency, "EUR 1,200"."""
    text = plain_amount(value, grouped=True)
    unit = one_line(currency or "", 12)
    return f"{unit} {text}" if unit else text


def totals_line(session: Session) -> str:
    """ "Per month: revenue 4,000 · costs 3,200 · margin 800", or "" without any amount."""
    t = totals(session)
    if not t.any:
        return ""
    cur = session.currency
    parts = [
        f"revenue {format_amount(t.revenue, cur)}" if t.revenue is not None else "revenue —",
        f"costs {format_amount(t.costs, cur)}" if t.costs is not None else "costs —",
    ]
    if t.margin is not None:
        parts.append(
            f"margin {format_amount(t.margin, cur)}"
            if t.margin >= 0
            else f"loss {format_amount(-t.margin, cur)}"
        )
    return "Per month: " + " · ".join(parts)


def totals_rows(session: Session) -> list[tuple[str, str]]:
    """(label, amount) lines for a narrow panel: revenue, costs, then margin or loss."""
    t = totals(session)
    if not t.any:
        return []
    cur = session.currency
    rows = [
        ("Revenue/month", "—" if t.revenue is None else format_amount(t.revenue, cur)),
        ("Costs/month", "—" if t.costs is None else format_amount(t.costs, cur)),
    ]
    if t.margin is not None:
        label = "Margin/month" if t.margin >= 0 else "Loss/month"
        rows.append((label, format_amount(abs(t.margin), cur)))
    return rows
