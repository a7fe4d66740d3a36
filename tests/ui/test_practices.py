"""Pilot tests of the core practices step: classify, test, link and keep three."""

from __future__ import annotations

import re
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Checkbox, Select, Static

from bmc_tui.app import BmcApp
from bmc_tui.model import Practice, Session
from bmc_tui.screens.practices import PracticeList, PracticesScreen
from bmc_tui.widgets.item_form import ItemForm

from .conftest import make_app, make_session, saved, wait_for, wait_saved


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def rules_of(app: BmcApp) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.rule, f.refs) for f in app.findings}


def status_text(app: BmcApp) -> str:
    return str(app.screen.query_one("#kept-status", Static).render())


def practice_toml(path: Path, item_id: str = "pr-support-inbox") -> str:
    """The saved TOML table of one practice, as text."""
    text = path.read_text("utf-8")
    start = text.index(f'id = "{item_id}"')
    end = text.find("[[", start)
    return text[start : end if end >= 0 else None]


def practices(app: BmcApp) -> list[Practice]:
    assert app.editor is not None
    return app.editor.session.practices


async def add_practice(pilot: Pilot[None], text: str) -> None:
    await pilot.press("a")
    await type_text(pilot, text)
    await pilot.press("enter")  # back to the list


def choose(app: BmcApp, field: str, value: str) -> None:
    app.screen.query_one(ItemForm).query_one(f"#field-{field}", Select).value = value


async def test_classify_test_and_keep_three(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = make_session(folder, step="practices")
    app = make_app(folder, path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, PracticesScreen)
        for text in ("Calls", "Notes", "Bills"):
            await add_practice(pilot, text)
        items = app.screen.query_one(PracticeList)
        assert items.has_focus and items.option_count == 3
        assert [p.text for p in practices(app)] == ["Calls", "Notes", "Bills"]

        # Classify the first one with the keyboard: tab from text into Kind, pick an option.
        items.highlighted = 0
        await pilot.press("enter", "tab", "enter", "down", "enter")
        assert practices(app)[0].kind == "practice"
        await pilot.press("escape")
        assert items.has_focus
        assert "Core practice" in str(items.get_option_at_index(0).prompt)

        # The other two through the form's widgets, answering both test questions.
        for index in range(3):
            items.highlighted = index
            await pilot.pause()
            if index:
                choose(app, "kind", "practice")
            choose(app, "improves", "yes")
            choose(app, "long_term_value", "yes")
            await pilot.pause()
        assert all(p.improves and p.long_term_value for p in practices(app))

        await wait_for(pilot, lambda: ("practices.not-three", ()) in rules_of(app))
        assert "Kept: 0 of 3" in status_text(app)

        for index in range(3):
            items.highlighted = index
            await pilot.press("k")
        await wait_for(pilot, lambda: ("practices.not-three", ()) not in rules_of(app))
        assert "Kept: 3 of 3" in status_text(app)
        assert "✓ kept" in str(items.get_option_at_index(2).prompt)
        # The form follows the key: its "kept" box is ticked for the highlighted item.
        assert app.screen.query_one("#field-kept", Checkbox).value is True

        session = await wait_saved(pilot, path, lambda s: sum(p.kept for p in s.practices) == 3)
        assert all(p.kind == "practice" and p.improves for p in session.practices)
        assert path.read_text("utf-8").count("kept = true") == 3

        # A fourth kept one brings the finding back.
        await add_practice(pilot, "Review")
        await pilot.press("k")
        await wait_for(pilot, lambda: ("practices.not-three", ()) in rules_of(app))
        assert "Kept: 4 of 3" in status_text(app)
        # Said at once, not only by the Summary later.
        notes = [str(n.message) for n in app._notifications]
        assert any(n.startswith("4 kept: the method keeps 3") for n in notes), notes


async def test_keeping_a_routine_task_is_flagged(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = make_session(folder, step="practices")
    app = make_app(folder, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await add_practice(pilot, "Inbox")
        choose(app, "kind", "routine")
        await pilot.pause()
        items = app.screen.query_one(PracticeList)
        items.focus()
        await pilot.press("k")
        item_id = practices(app)[0].id
        await wait_for(pilot, lambda: ("practices.not-a-practice", (item_id,)) in rules_of(app))
        await wait_for(pilot, lambda: "not a core practice" in status_text(app))
        prompt = str(items.get_option_at_index(0).prompt)
        assert prompt.startswith("! ") and "Routine task" in prompt and "✓ kept" in prompt
        session = await wait_saved(pilot, path, lambda s: bool(s.practices and s.practices[0].kept))
        assert session.practices[0].kind == "routine"

        # Dropping it again (k toggles) clears the finding; Ctrl+Z keeps it once more.
        await pilot.press("k")
        await wait_for(pilot, lambda: ("practices.not-a-practice", (item_id,)) not in rules_of(app))
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: practices(app)[0].kept)
        # Undo rebuilds the screen on the same candidate.
        await wait_for(pilot, lambda: app.screen.query_one(PracticeList).current_id == item_id)
        await wait_saved(pilot, path, lambda s: s.practices[0].kept)


async def test_link_a_practice_to_a_value_proposition(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = make_session(folder, step="practices", example="platform")
    app = make_app(folder, path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.goto_step("practices", "pr-support-inbox")
        await pilot.pause()
        items = app.screen.query_one(PracticeList)
        assert items.current_id == "pr-support-inbox"
        assert app.editor is not None
        first_vp = app.editor.session.canvas.value_propositions[0]
        await pilot.press("l")
        await pilot.press("space", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PracticesScreen))
        assert first_vp.text[:20] in str(items.get_option_at_index(items.highlighted or 0).prompt)

        def linked(s: Session) -> bool:
            found = s.find("pr-support-inbox")
            return found is not None and found[1].linked("value_propositions") == [first_vp.id]

        await wait_saved(pilot, path, linked)
        written = re.search(r"value_propositions = \[\s*\"([^\"]+)\",?\s*\]", practice_toml(path))
        assert written is not None and written.group(1) == first_vp.id


async def test_target_and_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = make_session(folder, step="practices", example="platform")
    before = path.read_bytes()
    app = make_app(folder, path, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto_step("practices", "pr-cook-along")
        await pilot.pause()
        items = app.screen.query_one(PracticeList)
        assert items.current_id == "pr-cook-along"
        assert app.screen.query_one(ItemForm).disabled
        await pilot.press("k", "a", "d", "l")
        await pilot.pause()
        assert isinstance(app.screen, PracticesScreen)
        assert app.editor is not None
        cook_along = app.editor.session.find("pr-cook-along")
        assert cook_along is not None and not getattr(cook_along[1], "kept", True)
        assert len(practices(app)) == 7
    assert path.read_bytes() == before
    assert len(saved(path).practices) == 7


async def test_the_third_question_flags_a_checklist_task(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = make_session(folder, step="practices")
    app = make_app(folder, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_practice(pilot, "Answering email and WhatsApp orders every morning")
        form = app.screen.query_one(ItemForm)
        labels = [str(label.render()) for label in form.query(".field-label")]
        assert any("by following a checklist" in label for label in labels)
        choose(app, "kind", "practice")
        choose(app, "improves", "yes")
        choose(app, "long_term_value", "yes")
        choose(app, "checklist", "yes")
        await pilot.pause()
        app.screen.query_one(PracticeList).focus()
        await pilot.press("k")
        item_id = practices(app)[0].id
        await wait_for(pilot, lambda: ("practices.checklist-task", (item_id,)) in rules_of(app))
        await wait_for(pilot, lambda: "a checklist task" in status_text(app))
        session = await wait_saved(pilot, path, lambda s: bool(s.practices and s.practices[0].kept))
        assert session.practices[0].checklist is True
        assert "checklist = true" in practice_toml(path, item_id)
        choose(app, "checklist", "no")
        await wait_for(pilot, lambda: ("practices.checklist-task", (item_id,)) not in rules_of(app))
        await wait_saved(pilot, path, lambda s: s.practices[0].checklist is False)


async def test_the_candidate_list_and_the_fuller_explanations(tmp_path: Path) -> None:
    from textual.widgets import Markdown

    from bmc_tui.screens.help import HelpScreen

    folder = tmp_path / "sessions"
    path = make_session(folder, step="practices")
    app = make_app(folder, path)
    async with app.run_test(size=(120, 40)) as pilot:
        items = app.screen.query_one(PracticeList)
        assert "Candidates" in str(items.border_title)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        text = screen.help_markdown()
        assert "## What makes a core practice" in text
        assert "keeping them matters more than winning new ones" in text
        assert "one or two weeks" in text
        assert screen.query_one(Markdown)


async def test_the_links_on_a_candidate_use_the_width_there_is(tmp_path: Path) -> None:
    # The links were cut at 48 characters however wide the list: "→ Quiet kitchen hours
    # that pay p…, An inspected…" with 60 columns to spare.
    folder = tmp_path / "sessions"
    path = make_session(folder, step="practices", example="platform")
    app = make_app(folder, path)
    async with app.run_test(size=(220, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(PracticeList)))
        items = app.screen.query_one(PracticeList)

        def second_line() -> str:
            return str(items.get_option("pr-kitchen-visits").prompt).split("\n")[1]

        def room() -> int:
            padding = items.get_component_styles("option-list--option").padding
            return items.scrollable_content_region.width - padding.width

        await wait_for(pilot, lambda: len(second_line().partition("→ ")[2]) > 60)
        assert "Quiet kitchen hours that pay part of the" in second_line()
        assert len(second_line()) <= room()
        # Narrow, the line is cut to what fits, still one line.
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: len(second_line()) < 60)
        assert "→ Quiet" in second_line() and len(second_line()) <= room()
