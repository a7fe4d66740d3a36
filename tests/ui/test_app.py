"""The app as a whole: start screen, saving, conflicts, read-only, help, palette, timebox, theme."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Markdown
from textual.widgets._footer import FooterKey

from bmc_tui.room import Room, write_room
from bmc_tui.screens.canvas import CanvasScreen
from bmc_tui.screens.help import HelpScreen
from bmc_tui.screens.start import StartScreen
from bmc_tui.screens.summary import SummaryScreen
from bmc_tui.settings import load_settings
from bmc_tui.store import Store
from bmc_tui.widgets.banner import Banner
from bmc_tui.widgets.step_bar import StepBar

from .conftest import make_app, make_session, saved, wait_for, wait_saved


async def test_start_screen_lists_sessions_and_reports_a_corrupt_file(sessions_dir: Path) -> None:
    make_session(sessions_dir, title="Harbor Coffee", step="canvas")
    (sessions_dir / "broken.toml").write_text("format = [oops", "utf-8")
    app = make_app(sessions_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert "Harbor Coffee" in str(table.get_row_at(0)[0])
        errors = str(app.screen.query_one("#start-errors").render())
        assert "broken.toml" in errors
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen), what="open")


async def test_start_screen_tells_similar_ids_apart_at_80_columns(sessions_dir: Path) -> None:
    # Both showed as "harbor-coff…": the end of an id is what tells a copy apart.
    make_session(sessions_dir, title="Harbor Coffee")
    make_session(sessions_dir, title="Harbor Coffee copy")
    app = make_app(sessions_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        table = app.screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 2)
        width = table.ordered_columns[-1].width
        ids = sorted(str(table.get_row_at(n)[-1]) for n in range(2))
        assert all(len(shown) <= width for shown in ids)
        assert ids[0] != ids[1] and any(shown.endswith("-copy") for shown in ids), ids


async def test_start_screen_help_lists_enter_to_open(sessions_dir: Path) -> None:
    # The hint line says "Enter: open", but F1's "On this step" left Enter out.
    make_session(sessions_dir, title="Harbor Coffee", step="canvas")
    app = make_app(sessions_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert isinstance(app.screen, HelpScreen)
        assert ("On this step", "Enter", "Open") in app.screen.keys
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen), what="open")


async def test_new_session_from_the_start_screen(sessions_dir: Path) -> None:
    app = make_app(sessions_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.focused, Input), what="title prompt")
        await pilot.press(*"Tide Cafe", "enter")
        await wait_for(pilot, lambda: app.editor is not None, what="session open")
        path = sessions_dir / "tide-cafe.toml"
        assert path.exists()
        assert app.screen.__class__.__name__ == "SocialScreen"
    assert saved(path).title == "Tide Cafe"


async def test_escape_cancels_new_session_without_creating_anything(sessions_dir: Path) -> None:
    app = make_app(sessions_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"Nope", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
    assert not list(sessions_dir.glob("*.toml"))


async def test_start_from_an_example(sessions_dir: Path) -> None:
    app = make_app(sessions_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")  # the first example
        await wait_for(pilot, lambda: isinstance(app.focused, Input), what="title prompt")
        await pilot.press("ctrl+u", *"My kitchens", "enter")
        await wait_for(pilot, lambda: app.editor is not None, what="session open")
    session = saved(sessions_dir / "my-kitchens.toml")
    assert session.title == "My kitchens"
    assert session.canvas.customer_segments


async def test_reopening_resumes_at_the_same_step(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen))
        await wait_saved(pilot, path, lambda s: s.step == "canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CanvasScreen)


async def test_edits_are_saved_even_when_the_app_closes_before_the_debounce(
    sessions_dir: Path,
) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path, autosave_delay=60.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", *"Fishers", "enter")
    assert [s.text for s in saved(path).canvas.customer_segments] == ["Fishers"]


async def test_a_file_changed_by_another_program_is_not_overwritten(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(100, 30)) as pilot:
        outside = path.read_text("utf-8").replace('title = "Test session"', 'title = "Edited"')
        path.write_text(outside, "utf-8")
        await pilot.press("a", *"Mine", "enter")
        await wait_for(pilot, lambda: app.save_error is not None, what="the conflict")
        assert app.read_only_reason
        banner = str(app.screen.query_one(Banner).render())
        assert "changed by another program" in banner
        notices = [str(n.message) for n in app._notifications]
        assert any(
            n.endswith("to see those changes. Use the command palette: “Save a copy”.")
            for n in notices
        ), notices
    assert path.read_text("utf-8") == outside


async def test_second_app_on_the_same_session_is_read_only(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    store = Store(sessions_dir)
    holder = store.open(path)
    try:
        before = path.read_bytes()
        app = make_app(sessions_dir, path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert "another bmc-tui" in (app.read_only_reason or "")
            await pilot.press("a", *"x", "enter")
        assert path.read_bytes() == before
    finally:
        store.close(holder)


async def test_newer_version_opens_read_only(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    path.write_text(path.read_text("utf-8").replace("version = 1", "version = 7"), "utf-8")
    before = path.read_bytes()
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "newer bmc-tui" in (app.read_only_reason or "")
    assert path.read_bytes() == before


async def test_help_explains_the_current_step(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.help_markdown()
        assert "Canvas" in text and "Keys here" in text
        assert app.screen.query_one(Markdown)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen))


async def test_step_bar_counts_follow_the_session(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 30)) as pilot:
        bar = app.screen.query_one(StepBar)
        assert "! 0" in str(bar.render_bar())
        await pilot.press("a", *"Walkers", "enter")
        await wait_for(pilot, lambda: "! 3" in str(bar.render_bar()), what="3 warnings")


async def test_step_bar_marks_an_unfinished_plan_as_partial(sessions_dir: Path) -> None:
    # One incomplete plan item showed "F6Plan○" while other steps with some work showed ◐.
    path = make_session(sessions_dir, step="plan")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(80, 24)) as pilot:  # the compact bar: marks, not counts
        bar = app.screen.query_one(StepBar)
        assert "Plan○" in str(bar.render_bar())
        await pilot.press("a", *"Pop-up tour", "enter")
        await wait_for(pilot, lambda: "Plan◐" in str(bar.render_bar()), what="Plan◐")
        await wait_saved(pilot, path, lambda s: [i.text for i in s.plan] == ["Pop-up tour"])


async def test_room_announcement_and_timebox_reach_the_screen(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 30)) as pilot:
        write_room(
            sessions_dir,
            Room(
                announcement="Five minutes \x1b[31mleft",
                timebox_ends=datetime.now(UTC) + timedelta(minutes=5),
            ),
        )
        bar = app.screen.query_one(StepBar)
        await wait_for(pilot, lambda: "⏱" in str(bar.render_bar()), what="countdown")
        banner = app.screen.query_one(Banner)
        await wait_for(pilot, lambda: "Five minutes left" in str(banner.render()), what="banner")


async def test_local_timebox_counts_down(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path, timebox=600)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one(StepBar).render_bar())
        assert "⏱ 09:5" in text or "⏱ 10:00" in text


async def test_timebox_this_step_counts_that_step_only(sessions_dir: Path) -> None:
    # From the palette it started again on every step (05:00 after F4, F5: the limit
    # escaped by switching steps) and followed the person into other sessions.
    from bmc_tui.commands import set_timebox

    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        set_timebox(app, 5)

        def bar() -> str:
            return str(app.screen.query_one(StepBar).render_bar())

        await wait_for(pilot, lambda: "⏱ 0" in bar(), what="the countdown")
        ends = app.timebox_ends()
        assert ends is not None
        app.goto_step("practices")
        await wait_for(pilot, lambda: getattr(app.screen, "STEP", "") == "practices")
        assert app.timebox_ends() is None  # not this step's
        app.goto_step("canvas")
        await wait_for(pilot, lambda: getattr(app.screen, "STEP", "") == "canvas")
        assert app.timebox_ends() == ends  # the same countdown, not a new one
        app.action_start_screen()  # to another session: it does not follow
        await wait_for(pilot, lambda: app.handle is None, what="the session closed")
        assert app.timebox_ends() is None and app.step_timebox is None


async def test_theme_choice_is_remembered(sessions_dir: Path) -> None:
    app = make_app(sessions_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "bmc-high-contrast"
        await pilot.pause()
    settings_file = sessions_dir.parent / "settings.toml"
    assert load_settings(settings_file).theme == "bmc-high-contrast"
    app = make_app(sessions_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.theme == "bmc-high-contrast"


async def test_next_step_and_function_keys_navigate(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: app.current_step == "practices")
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen))
        await wait_saved(pilot, path, lambda s: s.step == "canvas")


async def test_next_step_is_not_offered_on_the_last_step(sessions_dir: Path) -> None:
    # On Summary, Ctrl+N did nothing while the footer still offered "^n Next step".
    path = make_session(sessions_dir, step="fitness")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 30)) as pilot:

        def offered() -> bool:
            return (
                any(key.action == "next_step" for key in app.screen.query(FooterKey))
                and "ctrl+n" in app.screen.active_bindings
            )

        await wait_for(pilot, offered, what="Next step in the footer on Fitness")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen), what="Summary")
        await wait_for(pilot, lambda: not offered(), what="no Next step on Summary")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await wait_saved(pilot, path, lambda s: s.step == "summary")


async def test_an_unexpected_error_saves_and_shows_one_line_not_a_traceback(
    sessions_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("BMC_TUI_TRACEBACK", raising=False)
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path, autosave_delay=60.0)

    def boom() -> None:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("a", *"Kept", "enter")
            app.call_later(boom)
            await pilot.pause()
    shown = capsys.readouterr().err
    assert "your work is saved" in shown
    assert "Traceback" not in shown and "a bug" not in shown
    logs = list((tmp_path / "state" / "bmc-tui").glob("crash-*.log"))
    assert len(logs) == 1 and "RuntimeError: a bug" in logs[0].read_text("utf-8")
    assert [s.text for s in saved(path).canvas.customer_segments] == ["Kept"]
