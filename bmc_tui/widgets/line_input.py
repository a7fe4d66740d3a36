"""A one-line Input that keeps keys in order and selects all with Alt+A: dialogs' fields,
and the base of the forms' FieldInput."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import Input

from .keys_in_order import own_binding


class LineInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: a terminal sends Alt+A as Esc + "a", which Textual delivers as the key
        # `alt+a` *with the character "a"*; Input's key handler types any key that has a
        # printable character before a plain binding is looked at.
        Binding("alt+a,ctrl+shift+a", "select_all", "Select all", show=False, priority=True),
    ]

    async def _on_key(self, event: events.Key) -> None:
        if not await own_binding(self, event):  # in the order the keys came: see there
            await super()._on_key(event)
