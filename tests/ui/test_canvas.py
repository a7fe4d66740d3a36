"""The canvas step: blocks, items, links, deleting with unlinking, undo — on screen and on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList

from bmc_tui.screens.canvas import CanvasScreen
from bmc_tui.screens.confirm import ConfirmScreen
from bmc_tui.screens.link_picker import LinkPickerScreen
from bmc_tui.widgets.item_form import ItemForm, LinksField
from bmc_tui.widgets.item_list import ItemList

from .conftest import make_app, make_session, queue_keys, saved, wait_for, wait_saved


async def test_add_an_item_and_type_its_text(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        await pilot.press("a")
        assert isinstance(app.focused, Input)
        await pilot.press(*"Ferry commuters", "enter")
        assert isinstance(app.focused, ItemList)
        items = app.screen.query_one(ItemList)
        assert "Ferry commuters" in str(items.get_option_at_index(0).prompt)
        session = await wait_saved(pilot, path, lambda s: s.canvas.customer_segments)
    assert [s.text for s in session.canvas.customer_segments] == ["Ferry commuters"]
    assert session.canvas.customer_segments[0].id.startswith("cs-")


async def test_number_keys_switch_blocks_and_the_form_follows(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        items = app.screen.query_one(ItemList)
        assert items.kind == "value_propositions"
        form = app.screen.query_one(ItemForm)
        assert form.kind == "value_propositions"
        assert app.screen.query_one("#blocks", OptionList).highlighted == 1
        await pilot.press("a", *"Coffee ready at the dock", "enter")
        session = await wait_saved(pilot, path, lambda s: s.canvas.value_propositions)
    assert session.canvas.value_propositions[0].text == "Coffee ready at the dock"


async def test_keys_typed_at_once_after_a_digit_and_a_go_to_the_new_item(
    sessions_dir: Path,
) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen), 10, "canvas")
        # All queued before any is handled, as from key rollover, a fast typist or keys
        # arriving together over SSH.
        queue_keys(app, "6", "a", "z", "z", "z")
        after = await wait_saved(
            pilot, path, lambda s: [i.text for i in s.canvas.key_activities] == ["zzz"]
        )
        assert isinstance(app.focused, Input)
        assert app.screen.query_one(ItemList).kind == "key_activities"
        # Enter on an item, then its new text, at once: the text goes into that item.
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.focused, ItemList), 5, "the list")
        queue_keys(app, "enter", "!")
        after = await wait_saved(
            pilot, path, lambda s: [i.text for i in s.canvas.key_activities] == ["zzz!"]
        )
        assert after.canvas.customer_segments == []
        assert isinstance(app.focused, Input) and app.focused.value == "zzz!"


async def test_link_a_value_proposition_to_a_segment_by_name(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"Commuters", "enter")
        await pilot.press("2", "a", *"Ready at the dock", "enter")
        # Unlinked, the value proposition is flagged; linked (below), it is not.
        await wait_for(
            pilot,
            lambda: any(f.rule == "canvas.value-without-segment" for f in app.findings),
            what="the unlinked value proposition flagged",
        )
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkPickerScreen), what="picker")
        await pilot.press("space", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen), what="canvas")
        session = await wait_saved(
            pilot,
            path,
            lambda s: (
                s.canvas.value_propositions and s.canvas.value_propositions[0].linked("segments")
            ),
        )
        await wait_for(
            pilot,
            lambda: not any(f.rule == "canvas.value-without-segment" for f in app.findings),
            what="findings to update",
        )
        prompt = str(app.screen.query_one(ItemList).get_option_at_index(0).prompt)
    segment = session.canvas.customer_segments[0]
    assert session.canvas.value_propositions[0].links["segments"] == [segment.id]
    assert "→ Commuters" in prompt


async def test_delete_says_what_it_unlinks_and_undo_restores(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        before = saved(path)
        segment = before.canvas.customer_segments[0]
        linked_by = [
            v.id for v in before.canvas.value_propositions if segment.id in v.linked("segments")
        ]
        assert linked_by, "the example links its first segment"
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        detail = str(app.screen.query_one(".dialog-detail").render())
        assert "removed too" in detail
        await pilot.press("y")
        after = await wait_saved(
            pilot, path, lambda s: all(c.id != segment.id for c in s.canvas.customer_segments)
        )
        assert all(segment.id not in v.linked("segments") for v in after.canvas.value_propositions)
        await pilot.press("ctrl+z")
        restored = await wait_saved(
            pilot, path, lambda s: any(c.id == segment.id for c in s.canvas.customer_segments)
        )
    for vp_id in linked_by:
        vp = next(v for v in restored.canvas.value_propositions if v.id == vp_id)
        assert segment.id in vp.linked("segments")


async def test_cancel_delete_keeps_the_item(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        count = len(app.editor.session.canvas.customer_segments)  # type: ignore[union-attr]
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen))
        assert len(app.editor.session.canvas.customer_segments) == count  # type: ignore[union-attr]


async def test_the_arrows_move_between_a_dialogs_buttons(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        count = len(app.editor.session.canvas.customer_segments)  # type: ignore[union-attr]
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.focused is not None and app.focused.id == "no"  # Cancel, the safe one
        await pilot.press("left")
        assert app.focused is not None and app.focused.id == "yes"
        await pilot.press("right")
        assert app.focused is not None and app.focused.id == "no"
        await pilot.press("left", "enter")
        await wait_saved(pilot, path, lambda s: len(s.canvas.customer_segments) == count - 1)


async def test_editing_text_keeps_id_and_links(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        original = saved(path).canvas.customer_segments[0]
        await pilot.press("enter", "ctrl+u", *"Renamed segment", "enter")
        session = await wait_saved(
            pilot, path, lambda s: s.canvas.customer_segments[0].text == "Renamed segment"
        )
    assert session.canvas.customer_segments[0].id == original.id
    assert any(original.id in v.linked("segments") for v in session.canvas.value_propositions)


async def test_move_reorders_items_in_the_file(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        first, second = (s.id for s in saved(path).canvas.customer_segments[:2])
        await pilot.press("shift+down")
        session = await wait_saved(
            pilot, path, lambda s: s.canvas.customer_segments[0].id == second
        )
    assert session.canvas.customer_segments[1].id == first


async def test_target_lands_on_the_item(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="summary", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        resource = saved(path).canvas.key_resources[1]
        app.goto_step("canvas", resource.id)
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen))
        await pilot.pause()
        items = app.screen.query_one(ItemList)
        assert items.kind == "key_resources"
        assert items.current_id == resource.id


async def test_read_only_session_cannot_be_edited(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas", example="platform")
    before = path.read_bytes()
    app = make_app(sessions_dir, path, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"nope", "d", "ctrl+z")
        await pilot.pause()
        assert app.read_only_reason
        assert app.screen.query_one(ItemForm).disabled
    assert path.read_bytes() == before


async def test_markup_and_escapes_in_text_are_shown_safely(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        field = app.screen.query_one("#field-text", Input)
        field.insert_text_at_cursor("[bold]x[/] \x1b[31mred\x1b[0m [/oops]")
        await pilot.press("enter")
        session = await wait_saved(
            pilot, path, lambda s: s.canvas.customer_segments and s.canvas.customer_segments[0].text
        )
        prompt = app.screen.query_one(ItemList).get_option_at_index(0).prompt
    assert "\x1b" not in session.canvas.customer_segments[0].text
    assert "[bold]x[/]" in str(prompt)


async def test_the_list_follows_the_text_typed_in_the_form(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"Night-shift nurses")
        assert isinstance(app.focused, Input)  # still typing: the list updates on a pause
        items = app.screen.query_one(ItemList)
        await wait_for(
            pilot,
            lambda: "Night-shift nurses" in str(items.get_option_at_index(0).prompt),
            what="the list line to show the typed text",
        )
        assert isinstance(app.focused, Input)


async def test_typing_does_not_repaint_the_whole_screen(sessions_dir: Path) -> None:
    # Performance guard (docs/performance.md, change 7): the app's session state is a `var`;
    # as a `reactive` on the App, every key repainted the whole screen.
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        whole = 0
        refresh = screen.refresh

        def counting(*regions: Any, **kwargs: Any) -> Any:
            nonlocal whole
            if not regions:
                whole += 1
            return refresh(*regions, **kwargs)

        screen.refresh = counting  # type: ignore[method-assign]
        await pilot.press(*"Night")
        await pilot.pause()
        assert screen.query_one("#field-text", Input).value == "Night"
        assert whole == 0


async def test_link_names_use_the_width_there_is(sessions_dir: Path) -> None:
    # "→ Commuters who want coff…" was cut at 24 characters with 40 columns to spare.
    path = make_session(sessions_dir, step="canvas")
    long_name = "Commuters who want coffee at seven"  # 34: more than 24
    with path.open("a", encoding="utf-8") as file:
        file.write(
            f'\n[[canvas.customer_segments]]\nid = "cs-c"\ntext = "{long_name}"\n'
            '\n[[canvas.value_propositions]]\nid = "vp-r"\ntext = "Ready at the dock"\n'
            'segments = ["cs-c"]\n'
        )
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        items = app.screen.query_one(ItemList)
        await wait_for(pilot, lambda: items.kind == "value_propositions")
        await wait_for(
            pilot,
            lambda: f"→ {long_name}" in str(items.get_option_at_index(0).prompt),
            what="the whole name in the list",
        )
        links = app.screen.query_one("#field-segments", LinksField)
        await wait_for(pilot, lambda: long_name in str(links.render()), what="the form")
        # Where there is no room, the names are still cut to fit.
        await pilot.resize_terminal(60, 24)
        await wait_for(
            pilot,
            lambda: f"→ {long_name}" not in str(items.get_option_at_index(0).prompt),
            what="the name cut at 60 columns",
        )


def _notes(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_a_dialog_open_while_its_items_are_deleted_changes_only_what_is_there(
    sessions_dir: Path,
) -> None:
    # In a team, a teammate deleted what an open dialog was about; closing it stopped the
    # app ("there is no value proposition with the id …", "… can only link a customer
    # segment"). Here the deletes are made the way the team's would arrive: straight into
    # the session while the dialog is open.
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"Commuters", "enter", "a", *"Cyclists", "enter")
        await pilot.press("2", "a", *"Ready at the dock", "enter")
        await wait_saved(pilot, path, lambda s: len(s.canvas.value_propositions) == 1)
        editor = app.editor
        assert editor is not None
        commuters = editor.session.canvas.customer_segments[0].id
        # 1. A ticked segment deleted meanwhile: the other is linked, and that is said.
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkPickerScreen), what="picker")
        await pilot.press("space", "down", "space")
        editor.delete("customer_segments", commuters)
        await pilot.press("escape")
        session = await wait_saved(
            pilot, path, lambda s: bool(s.canvas.value_propositions[0].linked("segments"))
        )
        cyclists = session.canvas.customer_segments[0].id
        assert session.canvas.value_propositions[0].linked("segments") == [cyclists]
        await wait_for(pilot, lambda: any("deleted meanwhile" in n for n in _notes(app)))
        # 2. The item itself deleted meanwhile: nothing changes, and that is said.
        vp = session.canvas.value_propositions[0].id
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkPickerScreen), what="picker")
        await pilot.press("space")
        editor.delete("value_propositions", vp)
        await pilot.press("escape")
        await wait_for(pilot, lambda: any("no links changed" in n for n in _notes(app)))
        # 3. Deleting what was deleted while the question was open.
        await pilot.press("1")
        await wait_for(pilot, lambda: app.screen.query_one(ItemList).current_id == cyclists)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        editor.delete("customer_segments", cyclists)
        await pilot.press("y")
        await wait_for(pilot, lambda: any("already deleted" in n for n in _notes(app)))
        assert app.return_code is None and isinstance(app.screen, CanvasScreen)
