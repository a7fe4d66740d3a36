"""The plan step: items with every field, links upward, the table — on screen and on disk."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Select, SelectionList, Static

from bmc_tui.app import BmcApp
from bmc_tui.screens.confirm import ConfirmScreen
from bmc_tui.screens.link_picker import LinkPickerScreen
from bmc_tui.screens.plan import PlanScreen, span
from bmc_tui.widgets.item_form import ItemForm
from bmc_tui.widgets.item_list import ItemList

from .conftest import make_app, make_session, saved, wait_for, wait_saved

PLATFORM_PLAN = 8


def raw_plan(path: Path) -> list[dict[str, Any]]:
    """The `[[plan]]` tables as TOML typed them (dates as dates, numbers as numbers)."""
    plan: list[dict[str, Any]] = tomllib.loads(path.read_text("utf-8")).get("plan", [])
    return plan


def items(app: BmcApp) -> ItemList:
    return app.screen.query_one(ItemList)


def marker(app: BmcApp, item_id: str) -> str:
    """The two-character marker in front of an item in the list ("! ", "✗ " or blank)."""
    item_list = items(app)
    for n in range(item_list.option_count):
        option = item_list.get_option_at_index(n)
        if option.id == item_id:
            return str(option.prompt)[:2]
    raise AssertionError(f"{item_id} is not listed")


def context(app: BmcApp) -> str:
    return str(app.screen.query_one("#plan-context", Static).render())


def flagged(app: BmcApp, rule: str, item_id: str) -> bool:
    return any(f.rule == rule and f.refs[:1] == (item_id,) for f in app.findings)


async def pick(pilot: Pilot[None], labels: list[str]) -> None:
    """In the open link picker, tick the options whose label starts with one of `labels`."""
    picker = pilot.app.screen
    assert isinstance(picker, LinkPickerScreen)
    choices = picker.query_one(SelectionList)
    for n in range(choices.option_count):
        prompt = str(choices.get_option_at_index(n).prompt)
        if any(prompt.startswith(label) for label in labels):
            choices.highlighted = n
            await pilot.press("space")
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, LinkPickerScreen))


async def test_new_item_with_every_field_and_a_goal_stops_being_a_random_act(
    sessions_dir: Path,
) -> None:
    path = make_session(sessions_dir, step="plan", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, PlanScreen)
        assert items(app).border_title == "Plan items"  # plural, like every other list
        assert span(date(2027, 1, 1), date(2027, 6, 30)) in context(app)
        assert "Open a new market" in context(app)
        assert "Random acts: 0" in context(app)
        await pilot.press("end", "a")
        assert app.focused is app.screen.query_one("#field-text", Input)
        await pilot.press(*"Pop-up tour", "enter")
        assert app.focused is app.screen.query_one("#field-purpose", Select)
        await pilot.press("enter", "down", "enter")  # the first purpose: Awareness
        await pilot.press("tab", *"2027-02-01", "tab", *"2027-03-15")
        await pilot.press("tab", *"Sam", "tab", *"2500")
        await pilot.press("tab", *"sign-ups", "tab", *"12")
        item_id = items(app).current_id
        assert item_id is not None and item_id.startswith("a-")
        # Findings follow a trailing debounce: wait until they reflect the typed owner.
        await wait_for(
            pilot,
            lambda: (
                flagged(app, "plan.random-act", item_id)
                and not flagged(app, "plan.no-owner", item_id)
            ),
        )
        assert not flagged(app, "plan.no-owner", item_id)
        assert marker(app, item_id) == "! "
        assert "Random acts: 1" in context(app)

        await pilot.press("escape", "l")  # l: the goals this item works toward
        await pick(pilot, ["A supply of vetted kitchens"])
        await pilot.press("s")
        await pick(pilot, ["Restaurants and bakeries"])
        await wait_for(pilot, lambda: not flagged(app, "plan.random-act", item_id))
        assert not [f for f in app.findings if f.refs[:1] == (item_id,)]
        assert marker(app, item_id) == "  "
        assert "Random acts: 0" in context(app)

        await wait_saved(pilot, path, lambda s: bool(s.plan[-1].linked("segments")))
    table = next(t for t in raw_plan(path) if t["id"] == item_id)
    assert table == {
        "id": item_id,
        "title": "Pop-up tour",
        "purpose": "awareness",
        "start": date(2027, 2, 1),
        "end": date(2027, 3, 15),
        "owner": "Sam",
        "budget": 2500,
        "kpi": "sign-ups",
        "target": "12",
        "goals": ["g-cardiff-kitchens"],
        "segments": ["cs-kitchen-owners"],
    }
    assert type(table["budget"]) is int
    assert type(table["start"]) is date


async def test_a_decimal_budget_is_saved_as_a_float(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="plan", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one(ItemForm).focus_field("budget")
        await pilot.press("ctrl+a", "ctrl+k", *"1250.50")
        session = await wait_saved(pilot, path, lambda s: s.plan[0].budget == 1250.5)
    assert session.plan[0].id == "a-visit-kit"
    assert raw_plan(path)[0]["budget"] == 1250.5
    assert type(raw_plan(path)[0]["budget"]) is float


async def test_a_budget_that_is_no_amount_is_said_and_not_saved_changed(
    sessions_dir: Path,
) -> None:
    # The field dropped what it did not take: "300,50 abc" saved 30050, unsaid.
    path = make_session(sessions_dir, step="plan", example="platform")
    before = raw_plan(path)[0]["budget"]
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = app.screen.query_one(ItemForm)
        form.focus_field("budget")
        await pilot.press("ctrl+a", "ctrl+k", *"300,50 abc")
        field = form.query_one("#field-budget", Input)
        error = form.query_one("#field-budget-error", Label)
        await wait_for(pilot, lambda: "not an amount" in str(error.render()), what="the message")
        assert field.value == "300,50 abc"  # the text stays, to be corrected
        await pilot.press("ctrl+a", "ctrl+k", *"2,500")
        await wait_saved(pilot, path, lambda s: s.plan[0].budget == 2500)
    assert before != 30050 and raw_plan(path)[0]["budget"] == 2500


async def test_invalid_dates_are_marked_and_never_saved(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="plan", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert items(app).current_id == "a-visit-kit"
        start = app.screen.query_one("#field-start", Input)
        start.focus()
        await pilot.press("end", "backspace", "backspace", "3", "2")  # 2027-01-32
        assert start.value == "2027-01-32"
        assert start.has_class("-invalid")
        await pilot.press(*["backspace"] * 5, *"02-30")  # no 30 February
        assert start.value == "2027-02-30"
        assert start.has_class("-invalid")
        assert app.editor is not None
        assert app.editor.session.plan[0].start == date(2027, 1, 4)
        app.flush()
        assert raw_plan(path)[0]["start"] == date(2027, 1, 4)

        await pilot.press(*["backspace"] * 5, *"01-06")
        assert not start.has_class("-invalid")
        await wait_saved(pilot, path, lambda s: s.plan[0].start == date(2027, 1, 6))
    assert raw_plan(path)[0]["start"] == date(2027, 1, 6)


async def test_quitting_with_a_date_half_typed_asks_first(sessions_dir: Path) -> None:
    # Ctrl+Q quit at once, and the date being corrected ("2027-05-40", with its message
    # on screen) was gone without a word.
    path = make_session(sessions_dir, step="plan", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        start = app.screen.query_one("#field-start", Input)
        start.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"2027-05-40")
        assert start.has_class("-invalid")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        assert "2027-05-40" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("escape")  # stay, and correct it
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert app.return_code is None and start.value == "2027-05-40"
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")  # leave anyway
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to quit")


async def test_end_before_start_is_saved_and_flagged_as_an_error(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="plan", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one(ItemForm).focus_field("end")
        await pilot.press("ctrl+a", "ctrl+k", *"2027-01-01")
        await wait_for(pilot, lambda: flagged(app, "plan.dates-invalid", "a-visit-kit"))
        assert marker(app, "a-visit-kit") == "✗ "
        await wait_saved(pilot, path, lambda s: s.plan[0].end == date(2027, 1, 1))


async def test_unlinking_deleting_and_undo(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="plan", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        # Unticking its only goal turns the first item into a random act.
        await pilot.press("l")
        await pick(pilot, ["A supply of vetted kitchens"])
        await wait_for(pilot, lambda: flagged(app, "plan.random-act", "a-visit-kit"))
        assert marker(app, "a-visit-kit") == "! "
        await wait_saved(pilot, path, lambda s: not s.plan[0].linked("goals"))

        await pilot.press("down", "d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_saved(pilot, path, lambda s: len(s.plan) == PLATFORM_PLAN - 1)
        ids = [item.id for item in saved(path).plan]
        assert "a-association-breakfasts" not in ids
        assert items(app).option_count == PLATFORM_PLAN - 1

        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: items(app).option_count == PLATFORM_PLAN)
        assert items(app).get_option_at_index(1).id == "a-association-breakfasts"
        restored = await wait_saved(pilot, path, lambda s: len(s.plan) == PLATFORM_PLAN)
        assert restored.plan[1].linked("programs") == ["pg-local-launch"]
        assert restored.plan[1].linked("segments") == ["cs-kitchen-owners"]

        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: not flagged(app, "plan.random-act", "a-visit-kit"))
        await wait_saved(pilot, path, lambda s: s.plan[0].linked("goals") == ["g-cardiff-kitchens"])


async def test_undo_puts_back_a_typed_owner(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="plan", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "down")
        assert items(app).current_id == "a-founding-offer"
        app.screen.query_one(ItemForm).focus_field("owner")
        await pilot.press("ctrl+a", "ctrl+k")
        await wait_for(pilot, lambda: flagged(app, "plan.no-owner", "a-founding-offer"))
        await pilot.press("escape", "ctrl+z")
        await wait_for(pilot, lambda: not flagged(app, "plan.no-owner", "a-founding-offer"))
        assert items(app).current_id == "a-founding-offer"
        owner = app.screen.query_one("#field-owner", Input)
        assert owner.value == "Tomasz Wilk"
        await wait_saved(pilot, path, lambda s: s.plan[2].owner == "Tomasz Wilk")


async def test_target_focuses_the_item_and_the_table_shows_the_plan(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="summary", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.goto_step("plan", "a-market-stands")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.pause()
        assert items(app).current_id == "a-market-stands"
        assert app.screen.query_one("#field-owner", Input).value == "Ade Mensah"

        await pilot.press("t")
        table = app.screen.query_one("#plan-table", DataTable)
        assert table.display and app.focused is table
        assert not app.screen.query_one("#plan-body").display
        assert table.row_count == PLATFORM_PLAN
        row = table.get_row("a-market-stands")
        assert str(row[0]) == "✓ aligned"
        assert str(row[3]).replace("\n", " ") == span(date(2027, 2, 6), date(2027, 4, 24))
        assert "Cardiff makers" in str(row[6])  # served through its program
        assert table.cursor_row == 4

        await pilot.press("up", "enter")
        assert app.screen.query_one("#plan-body").display
        assert items(app).current_id == "a-hall-briefings"


async def test_table_status_follows_the_findings(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="plan", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        table = app.screen.query_one("#plan-table", DataTable)
        assert app.editor is not None
        app.editor.set_links("plan", "a-visit-kit", "goals", [])
        app.edited()
        await wait_for(pilot, lambda: str(table.get_row("a-visit-kit")[0]) == "! random act")
        app.editor.set_field("plan", "a-visit-kit", "end", date(2026, 1, 1))
        app.edited()
        await wait_for(pilot, lambda: str(table.get_row("a-visit-kit")[0]) == "✗ bad dates")
        assert "Random acts: 1" in context(app)


async def test_table_status_names_the_missing_date(sessions_dir: Path) -> None:
    # An item with a start but no end read "! no dates" beside its own start date.
    path = make_session(sessions_dir, step="plan", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        table = app.screen.query_one("#plan-table", DataTable)
        assert app.editor is not None
        app.editor.set_field("plan", "a-visit-kit", "end", None)
        app.edited()
        await wait_for(pilot, lambda: str(table.get_row("a-visit-kit")[0]) == "! no end")
        app.editor.set_field("plan", "a-visit-kit", "start", None)
        app.edited()
        await wait_for(pilot, lambda: str(table.get_row("a-visit-kit")[0]) == "! no dates")
        await wait_saved(
            pilot,
            path,
            lambda s: [(p.start, p.end) for p in s.plan if p.id == "a-visit-kit"] == [(None, None)],
        )


async def test_read_only_plan_cannot_be_changed(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="plan", example="platform")
    before = path.read_bytes()
    app = make_app(sessions_dir, path, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.query_one(ItemForm).disabled
        assert all(field.disabled for field in app.screen.query(Input))
        await pilot.press("a", "d", "l", "s", "p", "ctrl+z")
        assert isinstance(app.screen, PlanScreen)
        assert items(app).option_count == PLATFORM_PLAN
        await pilot.press("t")
        assert app.screen.query_one("#plan-table", DataTable).row_count == PLATFORM_PLAN
        await pilot.pause(0.2)
    assert path.read_bytes() == before


async def test_link_state_is_asked_safely_while_the_screen_is_taken_down(
    sessions_dir: Path,
) -> None:
    # The Footer reads every binding's state after a refresh; at exit that can come after
    # the list is gone (seen once in CI as NoMatches from check_action, which ended the app).
    path = make_session(sessions_dir, step="plan", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        assert screen.check_action("link", ()) is True
        await items(app).remove()
        await pilot.pause()
        assert screen.check_action("link", ()) is False


def test_one_date_format_with_the_year_only_where_it_is_not_this_years() -> None:
    today = date(2026, 11, 29)
    assert span(date(2026, 12, 1), date(2026, 12, 24), today) == "1 Dec → 24 Dec"
    assert span(date(2027, 2, 1), date(2027, 3, 31), today) == "1 Feb → 31 Mar 2027"
    assert span(date(2026, 12, 1), date(2027, 1, 31), today) == "1 Dec → 31 Jan 2027"
    assert span(date(2025, 12, 1), date(2026, 1, 31), today) == "1 Dec 2025 → 31 Jan"
    assert span(None, date(2027, 1, 31), today) == "? → 31 Jan 2027"
    assert span(None, None, today) == ""


def _date_error(app: BmcApp, name: str) -> str:
    label = app.screen.query_one(f"#field-{name}-error", Label)
    return str(label.render()) if label.display else ""


async def test_a_wrong_date_is_said_and_kept_in_the_field(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="plan")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"Open day")
        await wait_saved(pilot, path, lambda s: s.plan and s.plan[0].title == "Open day")
        app.screen.query_one(ItemForm).focus_field("end")
        end = app.screen.query_one("#field-end", Input)
        await wait_for(pilot, lambda: end.has_focus, what="the end date")
        await pilot.press(*"2026-13-45")
        await wait_for(pilot, lambda: _date_error(app, "end") != "", what="the message")
        assert _date_error(app, "end") == (
            "End: “2026-13-45” is not a real date: there is no month 13 "
            "(it is saved once it is one)."
        )

        # Another field typed in (the list redraws the item): the text and its message stay.
        app.screen.query_one(ItemForm).focus_field("owner")
        await pilot.press(*"Ana")
        await wait_saved(pilot, path, lambda s: s.plan[0].owner == "Ana")
        assert end.value == "2026-13-45" and end.has_class("-invalid")
        assert "no month 13" in _date_error(app, "end")
        assert saved(path).plan[0].end is None

        app.screen.query_one(ItemForm).focus_field("end")
        await wait_for(pilot, lambda: end.has_focus, what="the end date again")
        await pilot.press(*["backspace"] * 5)
        assert _date_error(app, "end").startswith("End: Not a date yet: write it as YYYY-MM-DD")
        await pilot.press(*"02-30")
        assert "“2026-02-30” is not a real date: February 2026 has 28 days" in _date_error(
            app, "end"
        )
        await pilot.press("backspace", "backspace", *"28")
        await wait_saved(pilot, path, lambda s: s.plan[0].end == date(2026, 2, 28))
        assert _date_error(app, "end") == "" and not end.has_class("-invalid")
