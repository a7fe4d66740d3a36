"""A multi-line, wrapping field for answers that are sentences (vision, budget, answers)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import TextArea

from ..model import STEP_TITLES, STEPS
from ..text import cursor_after_change, for_display
from .keys_in_order import HISTORY_BINDINGS, own_binding, request_history


class TextField(TextArea):
    """A TextArea that wraps, leaves on Tab, and undoes the session, not just itself.

    Ctrl+Z and Ctrl+Y are the app's: one history for the whole session everywhere (the
    TextArea's own undo would take back typing the session's undo knows nothing about).
    Entering the field puts the cursor after the text; Alt+A selects it all.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *HISTORY_BINDINGS,  # the app's undo, after what was typed here (see keys_in_order)
        # The app's step keys: TextArea's own F6 (select the line) and F7 (select all)
        # took them, and the next key typed replaced the whole answer.
        *[
            Binding(f"f{n}", f"app.goto('{step}')", STEP_TITLES[step], show=False)
            for n, step in enumerate(STEPS, start=2)
        ],
        # Priority, as in ItemForm: Tab moves the focus before the next key is handed out,
        # so text typed right after it lands in the next field, not at the end of this one.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
        # Priority, as in FieldInput: Alt+A comes with the character "a", which TextArea's
        # key handler would type before a plain binding is looked at.
        Binding("alt+a,ctrl+shift+a", "select_all", "Select all", show=False, priority=True),
    ]

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("tab_behavior", "focus")
        kwargs.setdefault("show_line_numbers", False)
        super().__init__(for_display(text), **kwargs)
        self._taken = self.text

    async def _on_key(self, event: events.Key) -> None:
        if not await own_binding(self, event):  # in the order the keys came: see there
            await super()._on_key(event)

    def action_history(self, which: str) -> None:
        request_history(self, which)

    def load_text(self, text: str) -> None:
        # Text from a file (or a teammate) may hold what a terminal would act on: shown
        # cleaned; the session keeps it as it was until someone edits the field.
        super().load_text(for_display(text))
        self._taken = self.text

    @property
    def typed_ahead(self) -> bool:
        """Keys typed here that the session has not taken yet (see FieldInput's)."""
        return self.text != self._taken

    def took(self, text: str) -> None:
        """The screen has handled a Changed message and taken `text`, the field's text as
        it read it (passed in: reading `text` joins the whole document, once a key is enough)."""
        self._taken = text

    def show_remote(self, text: str) -> bool:
        """A teammate's text, keeping the cursor where it can stay; not while keys typed
        here are on their way to the session (they come after it, so they stay: False)."""
        if self.typed_ahead:
            return False
        if self.text == for_display(text):
            return True
        before = self.text
        row, column = self.cursor_location
        cursor = sum(len(line) + 1 for line in before.split("\n")[:row]) + column
        with self.prevent(TextArea.Changed):
            self.load_text(text)
        # A teammate's words typed before the cursor move it along with the text.
        after = self.text
        at = min(cursor_after_change(before, after, cursor), len(after))
        row = after.count("\n", 0, at)
        self.move_cursor((row, at - (after.rfind("\n", 0, at) + 1)))
        return True

    def _on_focus(self, event: events.Focus) -> None:
        if not event.from_app_focus:
            self.move_cursor(self.document.end)
        super()._on_focus(event)
