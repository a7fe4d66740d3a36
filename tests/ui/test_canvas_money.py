"""Format 1.1 on the canvas: monthly amounts, the totals, free sides, the new links, ripple."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Checkbox, Input, Label, Static

from bmc_tui.screens.canvas import CanvasScreen
from bmc_tui.screens.link_picker import LinkPickerScreen
from bmc_tui.widgets.item_form import ItemForm

from .conftest import make_app, make_session, saved, wait_for, wait_saved


def _totals(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    widget = screen.query_one("#canvas-totals", Static)
    return str(widget.render()) if widget.display else ""


def _error(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    label = screen.query_one("#field-monthly-error", Label)
    return str(label.render()) if label.display else ""


async def test_amounts_are_typed_as_people_type_them(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", "a", *"Counter sales", "tab")
        assert isinstance(app.focused, Input) and app.focused.id == "field-monthly"
        await pilot.press(*"1,200")
        session = await wait_saved(
            pilot, path, lambda s: s.canvas.revenue_streams and s.canvas.revenue_streams[0].monthly
        )
        assert session.canvas.revenue_streams[0].monthly == 1200
        await pilot.press("escape", "9", "a", *"Flour", "tab", *"1 300.50")
        session = await wait_saved(
            pilot, path, lambda s: s.canvas.cost_structure and s.canvas.cost_structure[0].monthly
        )
        assert session.canvas.cost_structure[0].monthly == 1300.5
        await wait_for(pilot, lambda: "Costs/month   1,300.50" in _totals(app), what="totals")
        assert "Revenue/month 1,200" in _totals(app) and "Loss/month    100.50" in _totals(app)
        await wait_for(
            pilot,
            lambda: any(f.rule == "canvas.costs-exceed-revenue" for f in app.findings),
            what="the finding",
        )


async def test_an_invalid_amount_gets_a_message_and_keeps_the_value(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", "a", *"Counter sales", "tab", *"250")
        await wait_saved(
            pilot, path, lambda s: s.canvas.revenue_streams and s.canvas.revenue_streams[0].monthly
        )
        await pilot.press(*"x")
        await wait_for(pilot, lambda: "not an amount" in _error(app), what="the message")
        field = app.screen.query_one("#field-monthly", Input)
        assert field.has_class("-invalid") and field.value == "250x"
        await pilot.press("backspace")
        await wait_for(pilot, lambda: _error(app) == "", what="the message to go")
        await pilot.press("home")
        await pilot.press(*"-")
        await wait_for(pilot, lambda: "below zero" in _error(app), what="negative refused")
        await pilot.pause(0.2)
        assert saved(path).canvas.revenue_streams[0].monthly == 250


async def test_clearing_an_amount_removes_it(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("9", "a", *"Rent", "tab", *"80")
        await wait_saved(
            pilot, path, lambda s: s.canvas.cost_structure and s.canvas.cost_structure[0].monthly
        )
        await wait_for(pilot, lambda: "Costs/month   80" in _totals(app), what="totals")
        await pilot.press("backspace", "backspace")
        await wait_saved(pilot, path, lambda s: s.canvas.cost_structure[0].monthly is None)
        await wait_for(pilot, lambda: _totals(app) == "", what="totals to go")
    assert "monthly" not in path.read_text("utf-8")


async def test_a_segment_can_be_marked_as_not_paying(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"Free listeners", "tab")
        assert isinstance(app.focused, Checkbox) and app.focused.id == "field-pays"
        await pilot.press("space")
        session = await wait_saved(
            pilot,
            path,
            lambda s: s.canvas.customer_segments and s.canvas.customer_segments[0].pays is False,
        )
        assert session.canvas.customer_segments[0].pays is False
        await wait_for(
            pilot,
            lambda: any(f.rule == "canvas.no-paying-segment" for f in app.findings),
            what="no paying segment",
        )
        await pilot.press("space")
        await wait_saved(pilot, path, lambda s: s.canvas.customer_segments[0].pays is None)
    assert "pays" not in path.read_text("utf-8")


async def test_a_revenue_stream_links_what_it_charges_for(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "a", *"Warm bread at seven", "enter")
        await pilot.press("5", "a", *"Counter sales", "enter")
        form = app.screen.query_one(ItemForm)
        assert [f.name for f in form.fields if f.kind == "links"] == ["segments", "propositions"]
        form.focus_field("propositions")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkPickerScreen), what="picker")
        await pilot.press("space", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen), what="canvas")
        session = await wait_saved(
            pilot,
            path,
            lambda s: (
                s.canvas.revenue_streams and s.canvas.revenue_streams[0].linked("propositions")
            ),
        )
    vp = session.canvas.value_propositions[0]
    assert session.canvas.revenue_streams[0].links["propositions"] == [vp.id]


def _ripple_rows(app: object) -> list[str]:
    from bmc_tui.screens.ripple import RippleScreen

    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, RippleScreen)
    return [label for _, _, label in screen.rows]


async def test_changing_a_segment_lists_what_is_linked_to_it(sessions_dir: Path) -> None:
    from bmc_tui.screens.ripple import RippleScreen
    from bmc_tui.screens.strategy import StrategyScreen

    path = make_session(sessions_dir, step="canvas", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        # The first segment: kitchen owners, linked from every side of the model.
        await pilot.press("enter", "end", *" nearby", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RippleScreen), what="ripple")
        rows = _ripple_rows(app)
        assert any(r.startswith("Value Propositions: “Quiet kitchen hours") for r in rows)
        assert any(r.startswith("Channels: ") for r in rows)
        assert any(r.startswith("Customer Relationships: ") for r in rows)
        assert any(r.startswith("Revenue Streams: ") for r in rows)
        assert any(r.startswith("Focus market: ") for r in rows)
        # Jump to the focus market from the list.
        index = next(i for i, r in enumerate(rows) if r.startswith("Focus market: "))
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StrategyScreen), what="strategy")
    text = saved(path).canvas.customer_segments[0].text
    assert text.endswith(" nearby")


async def test_a_segment_change_without_links_asks_nothing(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"Commuters", "enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, CanvasScreen)


async def test_deleting_a_segment_lists_what_was_linked_to_it(sessions_dir: Path) -> None:
    from bmc_tui.screens.confirm import ConfirmScreen
    from bmc_tui.screens.ripple import RippleScreen

    path = make_session(sessions_dir, step="canvas", example="subscription")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, RippleScreen), what="ripple")
        rows = _ripple_rows(app)
        assert any("Free invoicing" in r or "Tidy invoices" in r for r in rows)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen), what="canvas")
        session = await wait_saved(pilot, path, lambda s: len(s.canvas.customer_segments) == 2)
    assert all(s.id != "cs-free-traders" for s in session.canvas.customer_segments)


async def test_overview_and_summary_show_the_totals_side_by_side(sessions_dir: Path) -> None:
    from bmc_tui.screens.overview import OverviewScreen
    from bmc_tui.screens.summary import SummaryScreen
    from bmc_tui.widgets.canvas_view import CanvasCell

    path = make_session(sessions_dir, step="summary", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(160, 50)) as pilot:
        assert isinstance(app.screen, SummaryScreen)
        progress = str(app.screen.query_one("#progress", Static).render())
        assert "Revenue/month  GBP 13,550" in progress
        assert "Costs/month    GBP 12,970" in progress
        assert "Margin/month   GBP 580" in progress
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), what="overview")
        cost = app.screen.query_one("#cell-cost_structure", CanvasCell)
        revenue = app.screen.query_one("#cell-revenue_streams", CanvasCell)
        assert str(cost.border_subtitle) == "6 · GBP 12,970 a month"
        assert str(revenue.border_subtitle) == "4 · GBP 13,550 a month"


async def test_a_session_without_amounts_shows_no_totals(sessions_dir: Path) -> None:
    from bmc_tui.widgets.canvas_view import CanvasCell

    path = make_session(sessions_dir, step="canvas", example="platform")
    text = path.read_text("utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("monthly = "))
    path.write_text(text + "\n", "utf-8")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause(0.1)
        assert _totals(app) == ""
        await pilot.press("ctrl+o")
        await pilot.pause(0.1)
        cost = app.screen.query_one("#cell-cost_structure", CanvasCell)
        assert str(cost.border_subtitle) == "6"


async def test_the_currency_is_set_from_the_palette_and_cleared_again(sessions_dir: Path) -> None:
    from bmc_tui.commands import ask_currency, workshop_commands
    from bmc_tui.screens.title_prompt import TitlePromptScreen

    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert any(c.title == "Currency of the amounts" for c in workshop_commands(app))
        await pilot.press("9", "a", *"Rent", "tab", *"800")
        await wait_saved(
            pilot, path, lambda s: s.canvas.cost_structure and s.canvas.cost_structure[0].monthly
        )
        await pilot.press("escape")
        ask_currency(app)
        await wait_for(pilot, lambda: isinstance(app.screen, TitlePromptScreen), what="prompt")
        await pilot.press(*"EUR", "enter")
        session = await wait_saved(pilot, path, lambda s: s.currency == "EUR")
        assert session.currency == "EUR"
        await wait_for(pilot, lambda: "EUR 800" in _totals(app), what="the totals in EUR")
        ask_currency(app)
        await wait_for(pilot, lambda: isinstance(app.screen, TitlePromptScreen), what="prompt")
        await pilot.press("backspace", "backspace", "backspace", "enter")
        await wait_saved(pilot, path, lambda s: s.currency is None)
    assert "currency" not in path.read_text("utf-8")


def _holding(field: Input, text: str) -> Callable[[], bool]:
    return lambda: field.value == text


def _monthly(path: Path) -> float | int | None:
    return saved(path).canvas.revenue_streams[0].monthly


async def test_a_bad_amount_saves_nothing_of_what_was_typed_on_the_way(
    sessions_dir: Path,
) -> None:
    """Each key is read as typed: "7" of "7x", "1" of "1e9", "1.234" of "1.234.56" and
    the first twelve digits of a longer number were amounts, and stayed saved while the
    message said the amount stays as it was."""
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", "a", *"Counter sales", "tab", *"7x")
        field = app.screen.query_one("#field-monthly", Input)
        await wait_for(pilot, lambda: "not an amount" in _error(app), what="the message")
        assert "stays as it was" in _error(app) and field.value == "7x"
        app.flush()
        assert _monthly(path) is None
        assert "Revenue" not in _totals(app)

        await pilot.press("backspace", "backspace", *"500")
        await wait_saved(pilot, path, lambda s: s.canvas.revenue_streams[0].monthly == 500)
        for bad, why in (
            ("1e9", "not an amount"),
            ("1.234.56", "not an amount"),
            ("1" * 23, "more than an amount can be"),
        ):
            await pilot.press("alt+a", *bad)
            await wait_for(pilot, _holding(field, bad), what=bad)
            assert why in _error(app) and "stays as it was" in _error(app)
            app.flush()
            assert _monthly(path) == 500, bad
            assert "Revenue/month 500" in _totals(app)

        # Corrected, it is saved again.
        await pilot.press("alt+a", *"650")
        await wait_saved(pilot, path, lambda s: s.canvas.revenue_streams[0].monthly == 650)
        assert _error(app) == ""


async def test_a_bad_amount_typed_after_coming_back_keeps_the_amount(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", "a", *"Counter sales", "tab", *"250")
        await wait_saved(pilot, path, lambda s: s.canvas.revenue_streams[0].monthly == 250)
        await pilot.press("shift+tab", "tab", *"0x")  # the field again: 2500, then "2500x"
        await wait_for(pilot, lambda: "not an amount" in _error(app), what="the message")
        app.flush()
        assert _monthly(path) == 250


async def test_a_digit_added_to_an_amount_shown_again_is_taken(sessions_dir: Path) -> None:
    # Shown again as "1,650", a digit added read "1,6500": refused as no amount.
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("9", "a", *"Rent", "tab", *"1650")
        await wait_saved(pilot, path, lambda s: s.canvas.cost_structure[0].monthly == 1650)
        await pilot.press("escape", "enter", "tab")
        field = app.focused
        assert isinstance(field, Input) and field.id == "field-monthly"
        assert field.value == "1650"
        await pilot.press("end", "0")
        await wait_saved(pilot, path, lambda s: s.canvas.cost_structure[0].monthly == 16500)
        assert _error(app) == ""
