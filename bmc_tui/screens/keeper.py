"""The step screens an app keeps between visits, and builds ahead while its user is idle.

Composing a step screen is the dearest thing a participant's app does (150-400 ms of CPU
for the larger steps, docs/performance.md); showing one already built is a fifth of that.
A facilitator's summon moves thirty people to a step at once, on the server's few cores,
so each app keeps every step screen it has built, and builds the ones it lacks, one at a
time, when its user has paused. A kept screen is shown again only while it still shows the
session as it is (`StepScreen.still_current`); otherwise it is built anew, as before.

One keeper per app (no module state: the server runs many apps side by side).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from ..model import STEPS
from ..widgets.footer import KeysFooter
from . import screen_for_step
from .base import StepScreen

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from textual.app import App
    from textual.widget import Widget


MOUNT_WAIT = 10.0  # seconds; a screen that never mounts is removed all the same


class StepScreenKeeper:
    def __init__(self, app: App[None]) -> None:
        self.app = app
        self._screens: dict[str, StepScreen] = {}
        self._dropped: list[StepScreen] = []  # to remove once off the stack
        self._serial = 0

    @property
    def kept(self) -> dict[str, StepScreen]:
        """The step screens kept now, by step."""
        return dict(self._screens)

    def screen_for(self, step: str, target: str | None) -> StepScreen:
        """The screen to show for `step`: the kept one if it may be shown as it is, else new.

        A target (jump-to-fix, undo) always gets a new screen: it decides where the cursor
        starts, which is composed in.
        """
        kept = self._screens.get(step)
        if kept is not None:
            if target is None and kept not in self.app.screen_stack and kept.still_current():
                return kept
            self._drop(step)
        return self._build(step, target)

    def build_ahead(self) -> bool:
        """Compose one step screen the app lacks, off the stack; False when none is missing."""
        missing = [step for step in STEPS if step not in self._screens]
        if not missing:
            return False
        screen = self._build(missing[0], None)
        # Textual composes a screen when it is first pushed; these two calls are what
        # `push_screen` does before showing it (Textual is pinned: see pyproject.toml).
        self.app._load_screen_css(screen)
        _, mounted = self.app._get_screen(screen)

        async def lay_out() -> None:
            # Laid out for the terminal as it is, off the stack (nothing is drawn): the
            # resizes this sets off in the widgets happen now, not as thirty people move.
            await mounted
            for footer in screen.query(KeysFooter):
                await _run_in(footer, footer.build_keys)
            screen.styled_now()
            for _ in range(3):
                if not self._keeps_off_stack(screen):  # dropped or shown meanwhile
                    return
                screen._refresh_layout(self.app.size)
                await asyncio.sleep(0)
            if self._keeps_off_stack(screen):
                screen._compositor.render_full_update()  # fills each widget's line cache

        self.app.call_later(lay_out)
        return True

    def _build(self, step: str, target: str | None) -> StepScreen:
        screen = screen_for_step(step, target)
        assert isinstance(screen, StepScreen)
        self._serial += 1
        self.app.install_screen(screen, f"step-{step}-{self._serial}")
        # What it will show is read as it composes, after this: a change in between makes
        # it look stale, never current (it is built anew rather than shown wrong).
        screen.remember_shown()
        self._screens[step] = screen
        return screen

    def _keeps_off_stack(self, screen: StepScreen) -> bool:
        return self._screens.get(screen.STEP) is screen and screen not in self.app.screen_stack

    def leaving(self, screen: object) -> None:
        """The step screen the user leaves: remember what it shows, for the next visit."""
        if isinstance(screen, StepScreen) and self._screens.get(screen.STEP) is screen:
            screen.remember_shown()

    def drop_all(self) -> None:
        """Another session (or none): no kept screen shows it."""
        for step in list(self._screens):
            self._drop(step)

    def _drop(self, step: str) -> None:
        self._dropped.append(self._screens.pop(step))

    def release(self) -> None:
        """Remove the dropped screens that are off the stack (call after the stack changed).

        A dropped screen stays installed until it is gone, so Textual's own screen
        switching (which removes only screens not installed) never removes it a second
        time; one still on the stack waits for the next call.
        """
        stack = self.app.screen_stack
        still: list[StepScreen] = []
        for screen in self._dropped:
            if screen in stack:
                still.append(screen)
            elif screen.is_running:
                # A task of its own: the app's messages go on while it waits.
                self.app.run_worker(self._discard(screen), group="keeper", exit_on_error=False)
            else:
                self.app.uninstall_screen(screen)
        self._dropped = still

    async def _discard(self, screen: StepScreen) -> None:
        # A screen dropped while still composing (built ahead, then the session closed) is
        # removed once mounted: removed mid-mount, its on_mount would find no children.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(screen._mounted_event.wait(), MOUNT_WAIT)
        await screen.remove()
        if screen not in self.app.screen_stack:
            self.app.uninstall_screen(screen)


async def _run_in(node: Widget, work: Callable[[], Awaitable[None]]) -> None:
    """Run `work` in node's own message loop (composing children needs it) and wait."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def run() -> None:
        try:
            await work()
        finally:
            done.set_result(None)

    node.call_later(run)
    await done
