"""A list that chooses what the rest of the screen shows (the canvas's blocks, the sections).

Keys that work in an item list (add, link, delete) do nothing in such a list; pressed here,
they say where they work instead of being lost silently.
"""

from __future__ import annotations

from typing import ClassVar, Final

from textual.binding import Binding, BindingType
from textual.widgets import OptionList

ELSEWHERE: Final = {
    "a": "adds an item",
    "l": "links an item",
    "d": "deletes an item",
}


class NavList(OptionList):
    """An OptionList whose Enter goes into the chosen part, and whose item keys say where."""

    WHERE: ClassVar[str] = "in the list of items"
    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(key, f"elsewhere('{key}')", show=False) for key in ELSEWHERE],
    ]

    def action_elsewhere(self, key: str) -> None:
        what = ELSEWHERE.get(key)
        if what is not None:
            self.app.notify(
                f"{key} {what} {self.WHERE}: press Enter (or Tab) to go there first.", timeout=4
            )
