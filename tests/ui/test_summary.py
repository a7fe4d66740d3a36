"""The summary: every finding grouped, its why, and Enter landing where it is fixed."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from bmc_tui.app import BmcApp
from bmc_tui.examples import load_example
from bmc_tui.model import Item, Session
from bmc_tui.rules import Finding
from bmc_tui.screens.canvas import CanvasScreen
from bmc_tui.screens.plan import PlanScreen
from bmc_tui.screens.summary import SummaryScreen
from bmc_tui.store import Store
from bmc_tui.widgets.canvas_view import CanvasView
from bmc_tui.widgets.findings_list import FindingsList, finding_key
from bmc_tui.widgets.item_list import ItemList

from .conftest import make_app, wait_for


def make_custom(folder: Path, change: Callable[[Session], None], step: str = "summary") -> Path:
    """A copy of the platform example, changed by `change`, opened at `step`."""
    session = load_example("platform")
    change(session)
    session.step = step
    store = Store(folder)
    handle = store.create("Spare Shift", template=session)
    store.close(handle)
    return handle.path


def misaligned(session: Session) -> None:
    """One error, plan and canvas warnings and something not done yet."""
    stands = next(item for item in session.plan if item.id == "a-market-stands")
    stands.owner = None
    kit = session.plan[0]
    kit.end = date(2026, 12, 1)  # before its start: plan.dates-invalid
    session.canvas.customer_segments.append(Item(id="cs-caterers", text="Wedding caterers"))


def findings_list(app: BmcApp) -> FindingsList:
    return app.screen.query_one(FindingsList)


def headings(app: BmcApp) -> list[str]:
    listed = findings_list(app)
    return [
        str(listed.get_option_at_index(n).prompt)
        for n in range(listed.option_count)
        if listed.get_option_at_index(n).id is None
    ]


def find(app: BmcApp, rule: str, ref: str) -> Finding:
    return next(f for f in app.findings if f.rule == rule and f.refs[:1] == (ref,))


async def highlight(pilot: Pilot[None], finding: Finding) -> None:
    """Move the highlight with the arrow keys until it is on `finding`."""
    app = pilot.app
    assert isinstance(app, BmcApp)
    listed = findings_list(app)
    listed.focus()
    await pilot.press("home")
    for _ in range(listed.option_count):
        if listed.current == finding:
            return
        await pilot.press("down")
    assert listed.current == finding


def put_highlight(app: BmcApp, finding: Finding) -> None:
    """Highlight `finding` directly (the arrow keys are covered by `highlight`)."""
    listed = findings_list(app)
    listed.focus()
    listed.highlighted = next(
        n
        for n in range(listed.option_count)
        if listed.get_option_at_index(n).id == finding_key(finding)
    )


def why(app: BmcApp) -> str:
    return str(app.screen.query_one("#why", Static).render())


async def test_findings_are_grouped_errors_first_and_show_their_why(sessions_dir: Path) -> None:
    path = make_custom(sessions_dir, misaligned)
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, SummaryScreen)
        listed = findings_list(app)
        titles = headings(app)
        assert titles[0].startswith("Errors · Plan")
        severities = [t.split(" · ")[0] for t in titles]
        assert severities == sorted(severities, key=["Errors", "Warnings", "Not done yet"].index)
        assert any(t.startswith("Warnings · Canvas") for t in titles)
        assert any(t.startswith("Warnings · Plan") for t in titles)
        assert any(t.startswith("Not done yet · Canvas") for t in titles)
        # Within a severity the steps follow the workshop: canvas before plan.
        warning_steps = [t for t in titles if t.startswith("Warnings")]
        assert warning_steps.index(
            next(t for t in warning_steps if "Canvas" in t)
        ) < warning_steps.index(next(t for t in warning_steps if "Plan" in t))
        listed_keys = {listed.get_option_at_index(n).id for n in range(listed.option_count)} - {
            None
        }
        assert listed_keys == {finding_key(f) for f in app.findings}

        # The first finding is highlighted at once, with its why.
        error = find(app, "plan.dates-invalid", "a-visit-kit")
        assert listed.current == error
        assert app.focused is listed
        no_owner = find(app, "plan.no-owner", "a-market-stands")
        await highlight(pilot, no_owner)
        assert no_owner.why and no_owner.why in why(app)
        assert no_owner.message in why(app)
        assert "Enter: fix it in Plan" in why(app)


async def test_enter_on_an_error_without_target_lands_on_its_item(sessions_dir: Path) -> None:
    path = make_custom(sessions_dir, misaligned)
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        error = find(app, "plan.dates-invalid", "a-visit-kit")
        assert findings_list(app).current == error
        assert "Plan → Field visit kit" in why(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.pause()
        assert app.screen.query_one(ItemList).current_id == "a-visit-kit"


async def test_enter_on_no_owner_lands_on_the_plan_item(sessions_dir: Path) -> None:
    path = make_custom(sessions_dir, misaligned)
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await highlight(pilot, find(app, "plan.no-owner", "a-market-stands"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.pause()
        items = app.screen.query_one(ItemList)
        assert items.current_id == "a-market-stands"
        assert app.focused is items
        assert app.editor is not None and app.editor.session.step == "plan"


async def test_enter_on_unreached_segment_lands_on_the_canvas_segment(sessions_dir: Path) -> None:
    path = make_custom(sessions_dir, misaligned)
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await highlight(pilot, find(app, "canvas.segment-unreached", "cs-caterers"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        assert screen.block == "customer_segments"
        assert screen.query_one(ItemList).current_id == "cs-caterers"
        # Back to the summary: the list is there again, errors first.
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert headings(app)[0].startswith("Errors")


def everything_wrong(session: Session) -> None:
    """At least one finding for every step, and for the data rules."""
    misaligned(session)
    session.social.problem = "promotion"
    session.social.ratings["conversation"] = 1
    session.fitness.market_driven = False
    session.strategy.budget = None
    session.strategy.goals[0].metric = None
    session.practices[0].improves = None
    session.canvas.key_resources.append(Item(id="kr-idle", text="A van"))
    session.canvas.channels.clear()
    session.plan[1].links["goals"] = ["g-gone"]


def focused_on(app: BmcApp) -> set[str]:
    """What the focused widget is on: its highlighted item, and its own id."""
    focused = app.focused
    names = {str(getattr(focused, "current_id", None)), str(getattr(focused, "id", None))}
    return names | {name.split("-", 1)[-1] for name in names}


@pytest.mark.parametrize("step", ["social", "canvas", "practices", "strategy", "plan", "fitness"])
async def test_enter_on_every_finding_lands_on_what_fixes_it(sessions_dir: Path, step: str) -> None:
    """Jump-to-fix for every rule of a step: the cursor is on the item (or the rating,
    fitness question, strategy field) the finding names."""
    if importlib.util.find_spec(f"bmc_tui.screens.{step}") is None:
        pytest.skip(f"the {step} screen is not built yet")
    path = make_custom(sessions_dir, everything_wrong)
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        rules = {f.rule: f for f in app.findings if f.step == step}  # one per rule
        assert rules
        for finding in rules.values():
            if not isinstance(app.screen, SummaryScreen):
                await pilot.press("f8")
                await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
                await pilot.pause()
            put_highlight(app, finding)
            await pilot.pause()
            summary = app.screen
            await pilot.press("enter")
            await wait_for(pilot, lambda old=summary: app.screen is not old)
            await pilot.pause()
            assert getattr(app.screen, "STEP", "") == step, finding
            expected = finding.target or finding.refs[0]
            if finding.rule == "canvas.block-empty":
                assert app.screen.block == expected  # type: ignore[attr-defined]
            else:
                assert expected in focused_on(app), (finding, app.focused)


async def test_findings_follow_changes_to_the_session(sessions_dir: Path) -> None:
    path = make_custom(sessions_dir, misaligned)
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        listed = findings_list(app)
        no_owner = find(app, "plan.no-owner", "a-market-stands")
        assert finding_key(no_owner) in {
            listed.get_option_at_index(n).id for n in range(listed.option_count)
        }
        await highlight(pilot, no_owner)
        progress = str(app.screen.query_one("#progress", Static).render())
        # Eight items of six checks each; one item lacks its owner.
        assert "Plan" in progress and "47/48" in progress

        assert app.editor is not None
        app.editor.set_field("plan", "a-market-stands", "owner", "Ade Mensah")
        app.editor.seal()
        app.edited()

        def gone() -> bool:
            shown = findings_list(app)  # undo rebuilds the screen: look it up each time
            ids = {shown.get_option_at_index(n).id for n in range(shown.option_count)}
            return finding_key(no_owner) not in ids

        await wait_for(pilot, gone, what="the fixed finding to leave the list")
        # The highlight moved on to a neighbour, and its why is shown.
        assert listed.current is not None
        assert listed.current.message in why(app)
        assert "48/48" in str(app.screen.query_one("#progress", Static).render())

        # A new gap appears just as live, and undo takes it back.
        app.editor.set_field("plan", "a-market-stands", "owner", None)
        app.editor.seal()
        app.edited()
        await wait_for(pilot, lambda: not gone(), what="the finding to come back")
        await pilot.press("ctrl+z")
        # Undo shows what it restored: the plan item's owner, then back to the summary.
        await wait_for(
            pilot,
            lambda: isinstance(app.focused, Input) and app.focused.id == "field-owner",
            what="the restored owner field",
        )
        assert app.focused.value == "Ade Mensah"  # type: ignore[union-attr]
        await pilot.press("escape", "f8")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await wait_for(pilot, lambda: gone(), what="undo to fix it again")


async def test_nothing_to_fix_says_so(sessions_dir: Path) -> None:
    def aligned(session: Session) -> None:
        session.fitness.efficient_execution = True

    path = make_custom(sessions_dir, aligned)
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(80, 24)):
        assert app.findings == []
        listed = findings_list(app)
        assert listed.option_count == 1
        assert "Nothing to fix" in str(listed.get_option_at_index(0).prompt)
        assert "Highlight a finding" in why(app)


async def test_canvas_shows_on_tall_terminals_and_toggles_on_small(sessions_dir: Path) -> None:
    path = make_custom(sessions_dir, misaligned)
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(80, 24)) as pilot:
        canvas = app.screen.query_one(CanvasView)
        body = app.screen.query_one("#summary-body")
        assert not canvas.display and body.display
        await pilot.press("c")
        assert canvas.display and not body.display
        assert canvas.size.height >= 14
        await pilot.press("c")
        assert not canvas.display and body.display
        assert app.focused is findings_list(app)
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: app.screen.has_class("-tall"))
        assert not canvas.display  # the user's choice stands
        await pilot.press("c")
        assert canvas.display and body.display


async def test_tall_terminal_shows_canvas_with_flagged_items(sessions_dir: Path) -> None:
    path = make_custom(sessions_dir, misaligned)
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)):
        canvas = app.screen.query_one(CanvasView)
        assert canvas.display
        cell = app.screen.query_one("#cell-customer_segments")
        rendered = str(cell.render())
        assert "! Wedding caterers" in rendered
        assert cell.border_subtitle == "4"


async def test_export_writes_markdown_next_to_the_session(sessions_dir: Path) -> None:
    if importlib.util.find_spec("bmc_tui.export") is None:
        pytest.skip("exports are not in this build")
    path = make_custom(sessions_dir, misaligned)
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await wait_for(pilot, lambda: path.with_suffix(".md").exists(), what="the .md export")
        await pilot.press("h")
        await wait_for(pilot, lambda: path.with_suffix(".html").exists(), what="the .html export")
    assert "Spare Shift" in path.with_suffix(".md").read_text("utf-8")


async def test_read_only_summary_still_lists_and_navigates(sessions_dir: Path) -> None:
    path = make_custom(sessions_dir, misaligned)
    before = path.read_bytes()
    app = make_app(sessions_dir, path, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, SummaryScreen)
        assert not app.can_edit
        assert headings(app)[0].startswith("Errors")
        await highlight(pilot, find(app, "plan.no-owner", "a-market-stands"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.pause()
        assert app.screen.query_one(ItemList).current_id == "a-market-stands"
        await pilot.press("ctrl+z", "f8")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.pause(0.2)
    assert path.read_bytes() == before
