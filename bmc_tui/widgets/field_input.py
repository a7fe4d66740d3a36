"""An Input for forms whose size is fixed by CSS, so typing never lays out the whole screen."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable

from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from ..text import cursor_after_change
from .keys_in_order import HISTORY_BINDINGS, request_history
from .line_input import LineInput


@runtime_checkable
class SubmitHandler(Protocol):
    """A screen that says where Enter in one of its fields goes (the list, the next field).

    Called as the field handles Enter, in turn with the other keys, and expected to move
    the focus at once (`Screen.set_focus`): keys typed right after Enter, already on their
    way to the field, then go on to that place (see `FieldInput._on_key`).
    """

    def field_submitted(self, field: Input) -> None: ...


class FieldInput(LineInput):
    """Input grows its virtual width with its text on every key; Textual declares
    `virtual_size` with `layout=True`, so each key re-laid-out and re-rendered the whole
    screen (most of a keystroke's cost on a large canvas). A form field's box is fixed by
    CSS, and scrolling reads `virtual_size` directly, so a repaint is all it needs.

    Entering the field puts the cursor after the text instead of selecting it all: with
    the text selected, the first key typed replaced a whole answer. Selecting everything
    is an explicit key (Alt+A, or Ctrl+Shift+A where the terminal sends it).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *HISTORY_BINDINGS,  # the app's undo, after what was typed here (see keys_in_order)
    ]

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        # The forms mark a text that is not a value yet themselves (`-invalid`, with a
        # message). Input's own validation, run on leaving the field, found "no validators:
        # valid" and took the mark off, so the next redraw replaced the text as if saved.
        kwargs.setdefault("validate_on", ())
        super().__init__(*args, **kwargs)
        # The whole example; what is shown is cut to the field's width at a word, with "…"
        # (the full text stays one key away, in F1).
        self.example = self.placeholder
        self._taken = self.value
        # Enter moved the focus on: keys read here after it belong to the new place.
        self._handed_on = False

    @property
    def typed_ahead(self) -> bool:
        """Keys typed here that the session has not taken yet.

        Each key changes the value at once, but reaches the session only when its Changed
        message has made its way to the form; a teammate's value shown in between would
        drop those keys (they are sent after it, so theirs is what the team ends with).
        """
        return self.value != self._taken

    def took(self, value: str) -> None:
        """The form has handled the Changed message carrying `value`."""
        self._taken = value

    def show_value(self, text: str, *, keep_cursor: bool = True) -> None:
        """Show a stored value (not an edit); the cursor stays where it can."""
        if self.value != text:
            cursor, before = self.cursor_position, self.value
            with self.prevent(Input.Changed):
                self.value = text
            if keep_cursor:
                # A teammate's words typed before the cursor move it along with the text.
                self.cursor_position = cursor_after_change(before, text, cursor)
        self._taken = self.value  # as the field holds it (the same text today)

    def show_remote(self, text: str) -> bool:
        """A teammate's value, unless keys typed here are still on their way (see
        `typed_ahead`): they come after it, so the field already shows what will stay.
        False: not shown (the person's keys replace it, and the team tells its author)."""
        if self.typed_ahead:
            return False
        self.show_value(text)
        return True

    def action_history(self, which: str) -> None:
        request_history(self, which)

    async def action_submit(self) -> None:
        await super().action_submit()
        screen = self.screen
        if isinstance(screen, SubmitHandler):
            screen.field_submitted(self)
            # `has_focus` follows only once the Blur event is handled: ask the screen.
            self._handed_on = screen.focused is not self

    async def _on_key(self, event: events.Key) -> None:
        if self._handed_on and self.screen.focused is not self:
            # Typed after Enter ("Ferry⏎aNight" arriving together over a slow link) but
            # handed to this field before Enter moved the focus: the app hands it again,
            # to where the focus is now ("a" adds the next item there).
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        await super()._on_key(event)

    def on_resize(self, event: events.Resize) -> None:
        self.placeholder = fit_example(self.example, self.content_size.width - 1)

    def _on_focus(self, event: events.Focus) -> None:
        self._handed_on = False
        if not event.from_app_focus:
            self.cursor_position = len(self.value)
        super()._on_focus(event)


def fit_example(text: str, width: int) -> str:
    """`text` if it fits in `width` cells, else its start up to a word, ending in "…"."""
    if width <= 0 or len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.—-") + "…"
