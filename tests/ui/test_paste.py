"""A paste longer than a field holds is cut to fit, with one line saying how much was kept."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, TextArea

from bmc_tui.editing import MAX_TEXT_CHARS

from .conftest import make_app, make_session, wait_for, wait_saved


def _notices(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_a_long_paste_into_an_item_is_cut_to_fit_and_said(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    pasted = "".join(f"word{n} " for n in range(5000))  # ~38,000 characters
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        assert isinstance(app.focused, Input)
        app.post_message(events.Paste(pasted))
        session = await wait_saved(pilot, path, lambda s: s.canvas.customer_segments[0].text)
        await wait_for(pilot, lambda: any("keeps" in n for n in _notices(app)), what="notice")
    text = session.canvas.customer_segments[0].text
    assert pasted.startswith(text.rstrip())
    assert len(pasted[:MAX_TEXT_CHARS].rstrip()) == len(text)
    (notice,) = [n for n in _notices(app) if "keeps" in n]
    assert f"{len(pasted):,}" in notice and f"{MAX_TEXT_CHARS:,}" in notice


async def test_a_long_paste_into_an_answer_is_cut_to_fit(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        area = app.screen.query(TextArea).first()
        area.focus()
        await pilot.pause()
        area.insert("Already here. ")
        await pilot.pause()
        app.post_message(events.Paste("y" * (MAX_TEXT_CHARS * 2)))
        await wait_for(pilot, lambda: len(area.text) == MAX_TEXT_CHARS, what="the cut paste")
    assert area.text.startswith("Already here. yyy")
    assert any("keeps" in n for n in _notices(app))


# As the tester pasted it (tmux `paste-buffer -p`): a bell, colour codes, a backspace,
# Ctrl+A, a tab, a right-to-left override and a zero-width space among the letters.
HOSTILE = "A\x07B\x1b[31mRED\x1b[0mC\x08D\x01E\ttab\u202eRLO\u200bZW end"


async def test_a_paste_with_escapes_arrives_in_order_and_cleaned(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "enter")
        area = app.focused
        assert isinstance(area, TextArea)
        await pilot.press(*"Hi ")
        app.post_message(events.Paste("Hello\x1b[31mWorld"))
        await wait_for(pilot, lambda: area.text == "Hi HelloWorld", what="the first paste")
        app.post_message(events.Paste(" " + HOSTILE))
        want = "Hi HelloWorld ABREDCDE\ttabRLOZW end"
        await wait_for(pilot, lambda: area.text == want, what="the second paste")
        session = await wait_saved(pilot, path, lambda s: want in s.social.answers.values())
    assert list(session.social.answers.values()) == [want]


async def test_a_paste_into_a_one_line_field_is_cleaned(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        field = app.focused
        assert isinstance(field, Input)
        app.post_message(events.Paste(HOSTILE + "\rsecond line"))
        await wait_for(pilot, lambda: field.value == "ABREDCDE tabRLOZW end", what="the paste")
        session = await wait_saved(
            pilot, path, lambda s: s.canvas.customer_segments[0].text == "ABREDCDE tabRLOZW end"
        )
        # The line left out is said, not dropped without a word.
        await wait_for(pilot, lambda: any("2 lines" in n for n in _notices(app)), what="notice")
    assert len(session.canvas.customer_segments) == 1


async def test_a_pasted_line_end_from_a_terminal_stays_a_line_end(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "enter")
        area = app.focused
        assert isinstance(area, TextArea)
        app.post_message(events.Paste("first\rsecond\r\nthird"))
        await wait_for(pilot, lambda: area.text == "first\nsecond\nthird", what="the paste")
