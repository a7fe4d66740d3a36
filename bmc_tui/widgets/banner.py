"""A one-line notice under the step bar: read-only sessions, the facilitator's announcement
and a summon's notice."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.content import Content
from textual.widgets import Static

from ..text import one_line
from .shown import watch_shown

if TYPE_CHECKING:
    from ..app import BmcApp


class Banner(Static):
    DEFAULT_CSS = """
    Banner { height: auto; display: none; padding: 0 1; background: $warning 30%; }
    Banner.-shown { display: block; }
    """

    _shown = ""

    def on_mount(self) -> None:
        watch_shown(self, self.app, "room", self._refresh_banner, init=False)
        watch_shown(self, self.app, "revision", self._refresh_banner, init=False)
        watch_shown(self, self.app, "save_error", self._refresh_banner, init=False)
        watch_shown(self, self.app, "notice", self._refresh_banner, init=False)
        self._refresh_banner()

    def _refresh_banner(self, _: object = None) -> None:
        app = cast("BmcApp", self.app)
        parts = []
        if app.read_only_reason:
            parts.append(f"Read-only: {one_line(app.read_only_reason, 120)}")
        elif app.save_error:
            parts.append(f"Not saved: {one_line(app.save_error, 160)}")
        if app.notice:
            parts.append(app.notice)
        if app.room.announcement:
            parts.append(f"📣 {app.room.announcement}")
        # Content, not a str: participant text must never be parsed as markup.
        text = "   ".join(parts)
        if text != self._shown:
            self._shown = text
            self.update(Content(text))
        self.set_class(bool(parts), "-shown")
