"""Textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.dom import NoScreen
from textual.screen import Screen
from textual.widgets import Footer

COMPACT_BELOW = 100


class KeysFooter(Footer):
    """A Footer that recomposes once per refresh, and only when its keys changed.

    Textual's Footer recomposes (a new widget per key, each styled from scratch) every
    time the screen publishes a bindings change — on focus moves, highlights and
    `refresh_bindings()` — once per publication, even when nothing it shows differs.
    Profiled on a participant's first screen: four recomposes, ~80 ms of CPU per new
    participant, while the Footer showed the same keys throughout.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None
        self._pending = False

    def on_resize(self) -> None:
        # Under 100 columns the keys are packed tighter, so the last ones are not cut
        # off behind the palette key ("^n Next▏^p palette").
        self.compact = self.size.width < COMPACT_BELOW

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._refresh_keys)

    async def _refresh_keys(self) -> None:
        self._pending = False
        try:
            if not self.is_attached or not self.screen.is_current:
                # Its screen went away, or is covered: a screen that comes back on top
                # publishes its bindings again (Textual's stack update), and this runs then.
                return
            shown = self._keys_shown()
        except NoScreen:
            return
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    async def build_keys(self) -> None:
        """The keys of this footer's screen, composed before the screen is shown (a step
        built ahead): shown, it then finds them unchanged and is not recomposed."""
        shown = self._keys_shown()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def _keys_shown(self) -> tuple[object, ...]:
        """Everything `Footer.compose` reads to build its keys."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return (
            self.show_command_palette,
            self.app.ENABLE_COMMAND_PALETTE,
            *(
                (
                    key,
                    binding.action,
                    binding.description,
                    self.app.get_key_display(binding),
                    binding.group,
                    enabled,
                    tooltip,
                )
                for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or key == palette
            ),
        )
