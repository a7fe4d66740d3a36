"""Pilot tests of the strategy step: the period, the lists and their links, jumps, read-only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, Input, OptionList, Select, Static, TextArea

from bmc_tui.app import BmcApp
from bmc_tui.model import Session
from bmc_tui.screens.confirm import ConfirmScreen
from bmc_tui.screens.strategy import NOT_A_DATE, StrategyScreen
from bmc_tui.widgets.item_form import ItemForm, LinksField
from bmc_tui.widgets.item_list import ItemList

from .conftest import make_app, make_session, saved, wait_for, wait_saved


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


def session_of(app: BmcApp) -> Session:
    assert app.editor is not None
    return app.editor.session


def screen_of(app: BmcApp) -> StrategyScreen:
    assert isinstance(app.screen, StrategyScreen)
    return app.screen


def current_section(app: BmcApp) -> str | None:
    return screen_of(app).query_one("#strategy-pane", ContentSwitcher).current


def blank_with_segment(folder: Path) -> Path:
    path = make_session(folder, step="strategy")
    with path.open("a", encoding="utf-8") as file:
        file.write('\n[[canvas.customer_segments]]\nid = "cs-commuters"\ntext = "Commuters"\n')
    return path


async def test_period_dates_and_focus(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = make_session(folder, step="strategy")
    app = make_app(folder, path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = screen_of(app)
        assert screen.query_one("#sections", OptionList).has_focus
        await pilot.press("1")  # the section, on its line in the section list
        assert screen.query_one("#sections", OptionList).has_focus
        await pilot.press("enter")  # into the section: its first field
        start = screen.query_one("#strategy-start", Input)
        assert start.has_focus

        await type_text(pilot, "2027-13-01")
        assert start.has_class("-invalid")
        # In the format, so not "write it as YYYY-MM-DD": no such month.
        notes = str(screen.query_one("#period-notes", Static).render())
        assert "Start: “2027-13-01” is not a real date: there is no month 13" in notes
        assert session_of(app).strategy.start is None
        app.flush()
        assert saved(path).strategy.start is None

        await pilot.press(*["backspace"] * 5)
        assert start.value == "2027-" and start.has_class("-invalid")
        assert NOT_A_DATE in str(screen.query_one("#period-notes", Static).render())
        await type_text(pilot, "02-30")
        notes = str(screen.query_one("#period-notes", Static).render())
        assert "Start: “2027-02-30” is not a real date: February 2027 has 28 days" in notes
        assert NOT_A_DATE not in notes
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "01-11")
        assert not start.has_class("-invalid")
        assert session_of(app).strategy.start == date(2027, 1, 11)

        # An end before the start is saved (it is a date) but the period says it is wrong.
        await pilot.press("tab")
        await type_text(pilot, "2026-12-31")
        await wait_for(
            pilot,
            lambda: "before" in str(screen.query_one("#period-notes", Static).render()),
            what="the period finding",
        )
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "2027-06-30")

        await pilot.press("tab", "enter", "down", "down", "enter")  # the second focus
        assert screen.query_one("#strategy-focus", Select).value == "market-share"

        await pilot.press("tab")
        assert screen.query_one("#strategy-vision", TextArea).has_focus  # wraps sentences
        await type_text(pilot, "Own")

        session = await wait_saved(pilot, path, lambda s: s.strategy.vision == "Own")
        strategy = session.strategy
        assert (strategy.start, strategy.end) == (date(2027, 1, 11), date(2027, 6, 30))
        assert strategy.focus == "market-share"
        assert "start = 2027-01-11" in path.read_text("utf-8")
        label = str(screen.query_one("#sections", OptionList).get_option_at_index(0).prompt)
        assert "✓" in label


async def test_goal_market_program_delete_and_undo(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = blank_with_segment(folder)
    app = make_app(folder, path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(app)
        await pilot.press("2")
        assert current_section(app) == "sec-goals"
        await pilot.press("a")
        await type_text(pilot, "Win")
        await pilot.press("tab")
        await type_text(pilot, "orders")
        await pilot.press("tab")
        await type_text(pilot, "400")
        await pilot.press("enter")
        goals = screen.query_one("#list-goals", ItemList)
        assert goals.has_focus
        assert "orders · 400" in str(goals.get_option_at_index(0).prompt)
        goal = session_of(app).strategy.goals[0]

        await pilot.press("3", "a")
        await type_text(pilot, "Riders")
        await pilot.press("enter", "l", "space", "escape")
        await pilot.press("4", "a")
        await type_text(pilot, "Card")
        await pilot.press("enter", "l", "space", "escape")
        programs = screen.query_one("#list-programs", ItemList)
        assert "→ Win" in str(programs.get_option_at_index(0).prompt)
        form = screen.query_one("#form-programs", ItemForm)
        assert "Win" in str(form.query_one("#field-goals", LinksField).render())

        def linked(s: Session) -> bool:
            strategy = s.strategy
            return (
                [g.metric for g in strategy.goals] == ["orders"]
                and [m.linked("segments") for m in strategy.markets] == [["cs-commuters"]]
                and [p.linked("goals") for p in strategy.programs] == [[goal.id]]
            )

        session = await wait_saved(pilot, path, linked)
        assert session.strategy.goals[0].target == "400"

        # Deleting the goal says which program loses its link, then removes both.
        await pilot.press("2", "d")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "Program “Card”" in confirm.detail
        await pilot.press("y")
        session = await wait_saved(pilot, path, lambda s: not s.strategy.goals)
        assert session.strategy.programs[0].linked("goals") == []
        programs = screen_of(app).query_one("#list-programs", ItemList)
        assert "→ Win" not in str(programs.get_option_at_index(0).prompt)

        await pilot.press("ctrl+z")
        await wait_saved(pilot, path, linked)
        # Undo rebuilds the screen; it lands back on the goal.
        assert current_section(app) == "sec-goals"
        assert screen_of(app).query_one("#list-goals", ItemList).current_id == goal.id


async def test_key_date_and_budget(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = make_session(folder, step="strategy")
    app = make_app(folder, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6", "a")
        await type_text(pilot, "Launch")
        await pilot.press("tab")
        day = screen_of(app).query_one("#form-dates").query_one("#field-date", Input)
        assert day.has_focus
        await pilot.press(*["backspace"] * 10)
        # A key date cannot be without a day: the field is marked, the old day stays.
        assert day.has_class("-invalid")
        assert session_of(app).strategy.dates[0].date == date.today()
        await type_text(pilot, "2027-03-01")
        assert not day.has_class("-invalid")
        await pilot.press("enter")
        assert "2027-03-01" in str(
            screen_of(app).query_one("#list-dates", ItemList).get_option_at_index(0).prompt
        )

        await pilot.press("9", "enter")
        budget = screen_of(app).query_one("#strategy-budget", TextArea)
        assert budget.has_focus
        await type_text(pilot, "10k")
        session = await wait_saved(pilot, path, lambda s: s.strategy.budget == "10k")
        assert session.strategy.dates[0].date == date(2027, 3, 1)
        assert session.strategy.dates[0].text == "Launch"


async def test_jump_targets(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = make_session(folder, step="strategy", example="platform")
    app = make_app(folder, path)
    async with app.run_test(size=(80, 24)) as pilot:
        for target, section in (
            ("pg-maker-referrals", "programs"),
            ("mk-cardiff-halls", "markets"),
            ("d-cardiff-open", "dates"),
        ):
            app.goto_step("strategy", target)
            await pilot.pause()
            assert current_section(app) == f"sec-{section}"
            items = screen_of(app).query_one(f"#list-{section}", ItemList)
            assert items.has_focus and items.current_id == target
            assert screen_of(app).query_one(f"#form-{section}", ItemForm).item_id == target

        app.goto_step("strategy", "budget")
        await pilot.pause()
        assert current_section(app) == "sec-budget"
        assert screen_of(app).query_one("#strategy-budget", TextArea).has_focus

        # Keys switch sections and Esc walks back out: field → list → sections.
        await pilot.press("escape")
        assert screen_of(app).query_one("#sections", OptionList).has_focus
        await pilot.press("up")
        assert current_section(app) == "sec-policies"
        await pilot.press("enter", "enter")
        assert screen_of(app).query_one("#form-policies").query_one("#field-text").has_focus
        await pilot.press("escape")
        assert screen_of(app).query_one("#list-policies", ItemList).has_focus
        await pilot.press("escape")
        assert screen_of(app).query_one("#sections", OptionList).has_focus


async def test_read_only_leaves_the_file_alone(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = make_session(folder, step="strategy", example="platform")
    before = path.read_bytes()
    app = make_app(folder, path, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = screen_of(app)
        assert screen.query_one("#strategy-start", Input).disabled
        assert screen.query_one("#strategy-budget", TextArea).disabled
        await pilot.press("2", "a", "d", "3", "l", "escape")
        await pilot.press("9")
        await type_text(pilot, "more")
        await pilot.pause()
        assert isinstance(app.screen, StrategyScreen)
        assert len(session_of(app).strategy.goals) == 3
        assert "more" not in (session_of(app).strategy.budget or "")
        app.flush()
    assert path.read_bytes() == before


async def test_buyer_context_comes_before_the_markets(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = blank_with_segment(folder)
    app = make_app(folder, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        assert current_section(app) == "sec-markets"
        await pilot.pause()
        field = screen_of(app).query_one("#strategy-buyers", Input)
        markets = screen_of(app).query_one("#list-markets", ItemList)
        assert field.region.height and field.region.y < markets.region.y
        await pilot.press("a", *"Commuters on the 7:40", "enter")
        await wait_for(
            pilot,
            lambda: any(f.rule == "strategy.no-buyer-context" for f in app.findings),
            what="no buyer context",
        )
        finding = next(f for f in app.findings if f.rule == "strategy.no-buyer-context")
        # The summary's jump lands in the buyer field.
        app.goto_step(finding.step, finding.target)
        await pilot.pause()
        buyers = screen_of(app).query_one("#strategy-buyers", Input)
        assert current_section(app) == "sec-markets" and buyers.has_focus
        await type_text(pilot, "They decide on the ferry, in seconds")
        typed = "They decide on the ferry, in seconds"
        session = await wait_saved(pilot, path, lambda s: s.strategy.buyers == typed)
        assert session.strategy.buyers == typed
        await wait_for(
            pilot,
            lambda: not any(f.rule == "strategy.no-buyer-context" for f in app.findings),
            what="the finding to go",
        )


async def test_the_goal_form_explains_smart_with_the_period(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = make_session(folder, step="strategy", example="subscription")
    app = make_app(folder, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        assert current_section(app) == "sec-goals"
        await pilot.pause()
        smart = str(screen_of(app).query_one("#goal-smart", Static).render())
        for word in ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound"):
            assert word in smart
        assert "by 2028-01-31, the end of the strategy period" in smart


async def test_tab_from_the_sections_goes_into_the_first_field(tmp_path: Path) -> None:
    # The first Tab landed on the section's scroller, which shows no cursor: the date typed
    # next was lost and its digits switched sections.
    folder = tmp_path / "sessions"
    path = make_session(folder, step="strategy")
    app = make_app(folder, path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, StrategyScreen)
        await pilot.press("1", "tab")
        assert app.focused is screen.query_one("#strategy-start", Input)
        await pilot.press(*"2027-03-01")
        await wait_saved(pilot, path, lambda s: s.strategy.start == date(2027, 3, 1))
        await pilot.press("escape", "9", "tab")
        await wait_for(
            pilot,
            lambda: app.focused is screen.query_one("#strategy-budget", TextArea),
            what="the budget's text",
        )
