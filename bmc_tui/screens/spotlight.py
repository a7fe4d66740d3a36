"""The session the facilitator puts in the spotlight, read-only and live, over one's own work.

It reads that one session's file (and nothing else of anybody's) only while the facilitator
keeps it in the spotlight; Esc goes back to one's own work (F10 comes back to it).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from ..room import Spotlight
from ..store import StoreError, load_session
from ..text import one_line
from ..widgets.canvas_view import CanvasView
from ..widgets.footer import KeysFooter

RELOAD_SECONDS = 0.5


class SpotlightScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back to my work"),
    ]

    def __init__(self, folder: Path, spot: Spotlight) -> None:
        super().__init__()
        self.spot = spot
        self.path = Path(folder) / f"{spot.session}.toml"
        self._stamp: tuple[int, int, int] | None = None
        self._ended = False

    def compose(self) -> ComposeResult:
        yield Static(id="spotlight-title")
        yield CanvasView(id="spotlight-canvas")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._show_title(self.spot.title)
        self.reload()
        self.set_interval(RELOAD_SECONDS, self.reload)

    def reload(self) -> None:
        try:
            st = self.path.stat()
        except OSError:
            return
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            session = load_session(self.path, allow_newer=True)
        except StoreError:
            return  # mid-write or unreadable: keep what is shown, try again shortly
        self.query_one(CanvasView).show(session)
        # Its title as it is now: a team renamed while in the spotlight says its new name.
        self._show_title(one_line(session.title, 40) or self.spot.title)

    def _show_title(self, title: str) -> None:
        self.query_one("#spotlight-title", Static).update(
            Text.assemble(
                ("Spotlight: ", "bold"),
                (one_line(title, 40), "bold"),
                (" · read-only, live · Esc: back to your work", "dim"),
            )
        )

    def ended(self) -> None:
        """The facilitator ended the spotlight: close now, or as soon as it is on top."""
        self._ended = True
        if self.app.screen is self:
            self.dismiss(None)

    def on_screen_resume(self) -> None:
        if self._ended:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
