"""What the dashboard's dialogs share: they close once, whatever keys arrive meanwhile."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

T = TypeVar("T")


class Dialog(ModalScreen[T]):
    """A modal answered once: two Enters processed before it closed (a double press, a key
    repeat) would otherwise close it twice, and the second close takes the room with it."""

    KEYS_TITLE = "this dialog"

    def __init__(self) -> None:
        super().__init__()
        self._answered = False

    def finish(self, result: T | None) -> None:
        if self._answered:
            return
        self._answered = True
        self.dismiss(result)
