"""Progress per step: any work shows, the plan's like every other step's."""

from __future__ import annotations

from datetime import date

from bmc_tui.model import PlanItem, Session
from bmc_tui.progress import PLAN_ITEM_CHECKS, _plan_item_checks, step_progress


def test_the_plan_checklist_constant_matches_the_checks() -> None:
    assert len(_plan_item_checks(PlanItem("a-1", ""))) == PLAN_ITEM_CHECKS


def test_an_empty_plan_is_not_started() -> None:
    done, total = step_progress(Session.new("s", "S"))["plan"]
    assert done == 0 and total > 0


def test_an_unfinished_plan_item_counts_as_partial_work() -> None:
    # One item with a title and a start date showed "Plan 0/1" and ○ beside steps showing ◐.
    session = Session.new("s", "S")
    session.plan.append(PlanItem("a-1", "Pop-up tour", start=date(2027, 1, 4)))
    done, total = step_progress(session)["plan"]
    assert 0 < done < total


def test_a_finished_plan_is_complete() -> None:
    session = Session.new("s", "S")
    item = PlanItem("a-1", "Pop-up tour", start=date(2027, 1, 4), end=date(2027, 1, 8))
    item.owner, item.kpi, item.target = "Sam", "sign-ups", "150"
    item.links["programs"] = ["prog-a"]
    session.plan.append(item)
    done, total = step_progress(session)["plan"]
    assert done == total
