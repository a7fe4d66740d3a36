"""A participant under `serve`: Export tells them the ssh command instead of writing a file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from bmc_tui.screens.summary import SummaryScreen
from bmc_tui.screens.take_home import TakeHomeScreen

from .conftest import make_app, make_session, wait_for

SSH = "ssh -p 2222 ana@203.0.113.5"


def _shown(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    return str(screen.query_one("#take-home-command", Static).render())


async def test_summary_export_shows_the_take_home_command(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="summary", example="platform")
    app = make_app(sessions_dir, path, participant=True, take_home=SSH)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, TakeHomeScreen), what="the dialog")
        session_id = path.stem
        assert _shown(app) == f"{SSH} export --format html > {session_id}.html"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen), what="back")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, TakeHomeScreen), what="the dialog")
        assert _shown(app) == f"{SSH} export --format md > {session_id}.md"
    # Nothing was written on the server, where the participant could not reach it.
    assert sorted(p.suffix for p in sessions_dir.iterdir() if p.stem == path.stem) == [".toml"]


async def test_palette_export_shows_the_take_home_command(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path, participant=True, take_home=SSH)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export: JSON")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TakeHomeScreen), what="the dialog")
        assert _shown(app) == f"{SSH} export --format json > {path.stem}.json"
    assert not path.with_suffix(".json").exists()


async def test_without_serve_export_still_writes_next_to_the_session(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="summary")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await wait_for(pilot, lambda: path.with_suffix(".md").exists(), what="the .md export")
        assert not isinstance(app.screen, TakeHomeScreen)
