"""A list of the items of one kind (a canvas block, the practices, the goals, the plan…).

Keys: add, edit, delete (saying what it unlinks), move up/down, link. Each item shows its
text, what it links, and a marker while a warning or error is about it, so a facilitator
sees an item turn aligned as it gets linked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..model import KIND_TITLES, LINK_SCHEMA, Item
from ..text import one_line
from .shown import watch_shown

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.timer import Timer

    from ..app import BmcApp

# While an item's text is typed in its form, its line in the list follows once typing
# pauses this long: redrawing the list with every key doubled the work of a keystroke
# (and, over SSH, the bytes sent for it).
LABEL_DELAY = 0.2
# The shortest a linked item's name is cut to when several share the line under an item:
# each gets an equal share of the list's width, never less than this.
LINK_NAME_CHARS = 24
LINK_PREFIX = "  → "


def item_label(item: Item, limit: int = 60) -> str:
    text = one_line(item.label, limit)
    return text or "(no text yet)"


class ItemList(OptionList):
    """The items of `kind`, edited through the app's editor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the app runs them before it hands on the next key, and they move the
        # cursor into the form at once (see `_edit`), so what is typed right after them
        # (a fast typist, keys arriving together over SSH) goes into the item's text.
        Binding("a", "add", "Add", tooltip="Add an item and type its text", priority=True),
        Binding("enter", "edit", "Edit", tooltip="Edit the highlighted item", priority=True),
        Binding("l", "link", "Link", tooltip="Choose what this item links to"),
        Binding("d,delete", "delete", "Delete"),
        Binding("shift+up", "move(-1)", "Move up", show=False),
        Binding("shift+down", "move(1)", "Move down", show=False),
    ]

    class Highlighted(Message):
        """The highlighted item changed (None: the list is empty)."""

        def __init__(self, item_list: ItemList, item_id: str | None) -> None:
            self.item_list = item_list
            self.item_id = item_id
            super().__init__()

    class EditRequested(Message):
        """The user wants to type into the item (Enter, or right after adding it)."""

        def __init__(self, item_list: ItemList, item_id: str) -> None:
            self.item_list = item_list
            self.item_id = item_id
            super().__init__()

    class Changed(Message):
        """Items were added, moved or deleted: other lists may show stale links."""

        def __init__(self, item_list: ItemList) -> None:
            self.item_list = item_list
            super().__init__()

    class Deleted(Message):
        """An item was deleted; `linked` holds (kind, id) of the items that linked it."""

        def __init__(self, item_list: ItemList, label: str, linked: list[tuple[str, str]]) -> None:
            self.item_list = item_list
            self.label = label
            self.linked = linked
            super().__init__()

    class LinkRequested(Message):
        def __init__(self, item_list: ItemList, item_id: str) -> None:
            self.item_list = item_list
            self.item_id = item_id
            super().__init__()

    def __init__(self, kind: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.kind = kind
        self.border_title = KIND_TITLES[kind]
        self._stale: set[str] = set()
        self._label_timer: Timer | None = None
        self._link_room = 0  # the width the link lines were cut for (0: not laid out yet)

    @property
    def bmc(self) -> BmcApp:
        return cast("BmcApp", self.app)

    def set_kind(self, kind: str, select: str | None = None) -> None:
        """Show another kind of item in the same list (the canvas switches blocks this way)."""
        self.kind = kind
        self.border_title = KIND_TITLES[kind]
        self.highlighted = None
        self.reload(select=select)
        self.refresh_bindings()

    @property
    def items(self) -> list[Item]:
        editor = self.bmc.editor
        return editor.session.items_of(self.kind) if editor else []

    @property
    def current_id(self) -> str | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    def on_mount(self) -> None:
        watch_shown(self, self.app, "findings", self._findings_changed, init=False)
        if self.bmc.team is not None:
            watch_shown(self, self.app, "team_presence", self._findings_changed, init=False)
        self.reload()

    # -- rendering -----------------------------------------------------------------------

    def _flagged(self) -> dict[str, str]:
        flagged: dict[str, str] = {}
        for finding in self.bmc.findings:
            if finding.severity in ("error", "warning") and finding.refs:
                worst = flagged.get(finding.refs[0])
                if worst != "error":
                    flagged[finding.refs[0]] = finding.severity
        return flagged

    @staticmethod
    def marked_label(item: Item, flagged: dict[str, str]) -> Text:
        """The item's text behind its marker: ✗ an error, ! a warning is about it."""
        prompt = Text(no_wrap=False)
        severity = flagged.get(item.id)
        if severity == "error":
            prompt.append("✗ ", style="bold red")
        elif severity == "warning":
            prompt.append("! ", style="bold yellow")
        else:
            prompt.append("  ")
        prompt.append(item_label(item), style="" if item.label.strip() else "dim italic")
        return prompt

    def prompt_for(self, item: Item, flagged: dict[str, str]) -> Text:
        prompt = self.marked_label(item, flagged)
        for name in self.bmc.editors_of(item.id):
            # A teammate is typing in it (their name is theirs: shown as text, never markup).
            prompt.append(f"  {one_line(name, 16)} ✎", style="bold magenta")
        links = self.link_summary(item, self._link_room)
        if links:
            prompt.append(f"\n{LINK_PREFIX}{links}", style="dim")
        return prompt

    def link_summary(self, item: Item, room: int = 0) -> str:
        """The names of what `item` links to, each cut to its share of `room` columns."""
        editor = self.bmc.editor
        if editor is None:
            return ""
        names = []
        for link_field in LINK_SCHEMA[self.kind]:
            for target in item.linked(link_field):
                found = editor.session.find(target)
                names.append(one_line(found[1].label if found else target, None) or target)
        if not names:
            return ""
        share = (room - 2 * (len(names) - 1)) // len(names)
        limit = max(LINK_NAME_CHARS, share)
        return ", ".join(one_line(name, limit) for name in names)

    def _room_for_links(self) -> int:
        """Columns a link line has after its arrow (0 before the list is laid out)."""
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        return max(width - padding.width - len(LINK_PREFIX), 0)

    def on_resize(self) -> None:
        # Link names are cut to the list's width: a new width, a new cut.
        if self._room_for_links() != self._link_room:
            self.reload()

    def reload(self, select: str | None = None) -> None:
        """Rebuild the options from the session, keeping (or moving to) the highlighted item."""
        keep = select or self.current_id
        index = self.highlighted
        flagged = self._flagged()
        self._link_room = self._room_for_links()
        # Clearing passes through "nothing highlighted": not a real change, so it must not
        # reach the form (it would disable it and take the focus out of a field).
        with self.prevent(ItemList.Highlighted):
            self.clear_options()
        self.add_options(Option(self.prompt_for(item, flagged), id=item.id) for item in self.items)
        if not self.option_count:
            # An empty list says how to start, instead of being a blank box.
            hint = "Nothing here yet: press a to add one." if self.bmc.can_edit else "Empty."
            self.add_option(Option(Text(hint, style="dim italic"), disabled=True))
            self.post_message(self.Highlighted(self, None))
            return
        ids = [item.id for item in self.items]
        if keep in ids:
            self.highlighted = ids.index(keep)
        else:
            self.highlighted = min(index or 0, self.option_count - 1)

    def _replace_prompt(self, item_id: str, prompt: Text) -> None:
        # OptionList drops the rendering of *every* option on each replacement, so on a
        # long list a replacement costs a re-render of the whole list: only replace a prompt
        # that really changed (findings change rarely while typing; texts change per key).
        option = self.get_option(item_id)
        if option.prompt == prompt:
            return
        if not self._replace_in_place(option, prompt):
            self.replace_option_prompt(item_id, prompt)

    def _replace_in_place(self, option: Option, prompt: Text) -> bool:
        """Show a new prompt by repainting only that option's lines (False: not possible).

        A teammate typing changes one item's label several times a second on every other
        member's screen; Textual's replacement re-renders every visible line of the list
        each time (most of a member's CPU per teammate's key in a profile). When the label
        keeps its height, only its own rendering is dropped and only its lines repainted.
        Written against Textual 8.2.8's OptionList (pinned), like the rest of this widget.
        """
        index = self.get_option_index(option.id or "")
        line = self._index_to_line.get(index)
        height = self._heights.get(index)
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        if line is None or height is None or width <= 0:
            return False
        option._set_prompt(prompt)
        padding = self.get_component_styles("option-list--option").padding
        new_height = self._get_visual(option).get_height(
            cast("RulesMap", self.styles), width - padding.width
        )
        if new_height + option._divider != height:
            self._clear_caches()  # lines move: Textual's full re-layout of the list
            return True
        self._option_render_cache.clear()  # cheap next to repainting every line
        # Regions are relative to the content (Textual adds the border and padding).
        self.refresh(Region(0, line - self.scroll_offset.y, self.size.width, height))
        return True

    def refresh_item(self, item_id: str) -> None:
        """Re-render one item after its text changed (cheap: no rebuild while typing)."""
        for item in self.items:
            if item.id == item_id:
                self._replace_prompt(item_id, self.prompt_for(item, self._flagged()))
                return

    def refresh_item_soon(self, item_id: str) -> None:
        """Re-render an item once its text stops changing for LABEL_DELAY (typing)."""
        if self.screen.focused is self:
            # Keys typed just before Enter, reaching the session after the focus came back
            # here: the typing is over, show it now (see `on_focus`).
            self.refresh_item(item_id)
            return
        self._stale.add(item_id)
        if self._label_timer is None:
            self._label_timer = self.set_timer(LABEL_DELAY, self._refresh_stale)
        else:
            self._label_timer.reset()

    def on_focus(self) -> None:
        # Back from the form (Enter, Tab, a click): show what was typed right away.
        if self._label_timer is not None:
            self._label_timer.stop()
            self._refresh_stale()

    def _refresh_stale(self) -> None:
        self._label_timer = None
        stale, self._stale = self._stale, set()
        for item_id in stale:
            self.refresh_item(item_id)

    def _findings_changed(self, _: object) -> None:
        flagged = self._flagged()
        for item in self.items:
            try:
                self._replace_prompt(item.id, self.prompt_for(item, flagged))
            except Exception:  # noqa: BLE001 - the list may be mid-rebuild; next change fixes it
                return

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.post_message(self.Highlighted(self, self.current_id))

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "delete", "move", "link") and not self.bmc.can_edit:
            return False
        if action in ("edit", "delete", "move", "link") and self.current_id is None:
            return False
        return not (action == "link" and not LINK_SCHEMA[self.kind])

    def action_add(self) -> None:
        editor = self.bmc.editor
        if editor is None:
            return
        index = self.highlighted + 1 if self.highlighted is not None else None
        item = editor.add_item(self.kind, "", index=index)
        self.bmc.edited()
        self.reload(select=item.id)
        self.post_message(self.Changed(self))
        self._edit(item.id)

    def action_edit(self) -> None:
        if self.current_id is not None:
            self._edit(self.current_id)

    def _edit(self, item_id: str) -> None:
        edit_item = getattr(self.screen, "edit_item", None)
        if callable(edit_item):
            edit_item(self.kind, item_id)  # a step screen: its form, now
        else:
            self.post_message(self.EditRequested(self, item_id))

    def action_link(self) -> None:
        if self.current_id is not None:
            self.post_message(self.LinkRequested(self, self.current_id))

    def action_move(self, delta: int) -> None:
        editor = self.bmc.editor
        item_id = self.current_id
        if editor is None or item_id is None:
            return
        if editor.move(self.kind, item_id, delta):
            self.bmc.edited()
            self.reload(select=item_id)
            self.post_message(self.Changed(self))

    def action_delete(self) -> None:
        from ..screens.confirm import ConfirmScreen

        editor = self.bmc.editor
        item_id = self.current_id
        if editor is None or item_id is None:
            return
        found = editor.session.find(item_id)
        if found is None:
            return
        links = editor.links_to(item_id)
        question = f"Delete “{item_label(found[1], 50)}”?"
        detail = ""
        if links:
            names = []
            for ref in links:
                holder = editor.session.find(ref.item_id)
                label = item_label(holder[1], 40) if holder else ref.item_id
                names.append(f"• {KIND_TITLES[ref.kind]} “{label}”")
            detail = "These links to it will be removed too:\n" + "\n".join(names)
        detail += ("\n\n" if detail else "") + "Ctrl+Z undoes it."

        label = item_label(found[1], 40)

        def done(confirmed: bool | None) -> None:
            if confirmed and editor is self.bmc.editor:
                if editor.session.find(item_id) is None:
                    # A teammate deleted it while the question was open.
                    self.notify(f"“{label}” was already deleted by a teammate.", timeout=5)
                    self.reload()
                    return
                editor.delete(self.kind, item_id)
                self.bmc.edited()
                self.reload()
                self.post_message(self.Changed(self))
                self.post_message(self.Deleted(self, label, [(r.kind, r.item_id) for r in links]))

        self.app.push_screen(ConfirmScreen(question, detail, confirm_label="Delete"), done)
