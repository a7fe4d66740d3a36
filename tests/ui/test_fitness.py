"""The fitness step: yes / no / not answered, on screen and in `[fitness]` on disk."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from bmc_tui.screens.fitness import NO_MEANS, FitnessScreen
from bmc_tui.widgets.yes_no import YesNo

from .conftest import make_app, make_session, saved, wait_for, wait_saved


def shown(app: object, key: str) -> str:
    widget = app.screen.query_one(f"#answer-{key}", YesNo)  # type: ignore[attr-defined]
    return str(widget.render())


def fitness_table(path: Path) -> str:
    """The `[fitness]` table of the saved file, as text."""
    raw = path.read_text("utf-8")
    if "[fitness]" not in raw:
        return ""
    return raw.split("[fitness]", 1)[1].split("\n[", 1)[0]


async def test_yes_no_and_unanswered_round_trip(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="fitness")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, FitnessScreen)
        assert isinstance(app.focused, YesNo)
        assert app.focused.id == "answer-scalable_process"
        assert "● Not answered" in shown(app, "scalable_process")
        await pilot.press("y", "j", "n", "down", "y", "j", "n")
        session = await wait_saved(pilot, path, lambda s: s.fitness.efficient_execution is False)
        f = session.fitness
        assert (f.scalable_process, f.accountability, f.market_driven) == (True, False, True)
        assert "● No" in shown(app, "accountability")
        assert "○ Not answered" in shown(app, "accountability")
        table = fitness_table(path)
        assert "scalable_process = true" in table
        assert "accountability = false" in table

        await pilot.press("k", "u")  # market_driven back to not answered
        session = await wait_saved(pilot, path, lambda s: s.fitness.market_driven is None)
        assert "market_driven" not in fitness_table(path)
        assert "● Not answered" in shown(app, "market_driven")
    assert session.fitness.accountability is False


async def test_a_no_is_a_gap_in_the_findings_and_says_so(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="fitness")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert "summary" in str(app.screen.query_one("#fitness-note", Static).render())
        assert "summary" in NO_MEANS
        before = len(app.findings)
        await pilot.press("j", "n")
        await wait_for(
            pilot,
            lambda: any(
                f.rule == "fitness.gap" and f.target == "accountability" for f in app.findings
            ),
            what="the fitness gap",
        )
        assert len(app.findings) == before + 1
        note = app.screen.query_one("#finding-accountability", Static)
        assert note.has_class("-shown")
        assert "Fitness gap" in str(note.render())
        await pilot.press("y")
        await wait_for(pilot, lambda: not any(f.rule == "fitness.gap" for f in app.findings))
        await wait_for(pilot, lambda: not note.has_class("-shown"), what="the note to go")


async def test_click_chooses_an_answer(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="fitness")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        # " ● Yes " then a gap of 2, then " ● No " (after the widget's 1 column of padding).
        await pilot.click("#answer-market_driven", offset=(1 + 7 + 2 + 2, 0))
        await wait_saved(pilot, path, lambda s: s.fitness.market_driven is False)
        await pilot.click("#answer-market_driven", offset=(2, 0))
        await wait_saved(pilot, path, lambda s: s.fitness.market_driven is True)


async def test_undo_reverts_the_last_answer(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="fitness")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j", "y")
        await wait_saved(pilot, path, lambda s: s.fitness.market_driven is True)
        await pilot.press("n")
        await wait_saved(pilot, path, lambda s: s.fitness.market_driven is False)
        await pilot.press("ctrl+z")
        await wait_saved(pilot, path, lambda s: s.fitness.market_driven is True)
        await wait_for(
            pilot,
            lambda: isinstance(app.focused, YesNo) and app.focused.id == "answer-market_driven",
            what="the cursor back on the question",
        )
        assert "● Yes" in shown(app, "market_driven")


async def test_target_focuses_the_question(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="summary", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto_step("fitness", "efficient_execution")
        await wait_for(pilot, lambda: isinstance(app.screen, FitnessScreen))
        await wait_for(pilot, lambda: isinstance(app.focused, YesNo))
        assert app.focused.id == "answer-efficient_execution"  # type: ignore[union-attr]
        assert app.focused.value is saved(path).fitness.efficient_execution  # type: ignore[union-attr]


async def test_read_only_nothing_editable_and_file_untouched(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="fitness", example="platform")
    before = path.read_bytes()
    app = make_app(sessions_dir, path, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, FitnessScreen)
        answers = list(app.screen.query(YesNo))
        assert len(answers) == 4 and all(a.disabled for a in answers)
        assert app.focused is None
        await pilot.press("n", "j", "u", "y", "ctrl+z")
        await pilot.click("#answer-scalable_process", offset=(12, 0))
        await pilot.pause()
        assert [a.value for a in answers] == [
            saved(path).fitness.answer(a.id.removeprefix("answer-"))  # type: ignore[union-attr]
            for a in answers
        ]
        app.flush()
    assert path.read_bytes() == before
