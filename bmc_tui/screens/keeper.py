"""The step screens an app keeps between visits, and the next step it builds ahead.

Composing a step screen is the dearest thing a participant's app does (150-400 ms of CPU
for the larger steps, docs/performance.md); showing one already built is a fifth of that.
A facilitator's summon moves thirty people to a step at once, on the server's few cores.
So each app keeps the step screens it showed last, and once its user pauses it builds the
next step of the workshop (where a summon most often goes) off the stack. A screen costs
2-4 MiB; KEEP of them per participant stays within the memory budget of a room of fifty
(all seven doubled a participant's memory). A kept screen is shown again only while it
still shows the session as it is (`StepScreen.still_current`); otherwise it is built anew.

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
KEEP = 3  # step screens kept: the one shown, the one left last, the next one built ahead


class StepScreenKeeper:
    def __init__(self, app: App[None]) -> None:
        self.app = app
        self._screens: dict[str, StepScreen] = {}  # least recently shown or built first
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
                self._screens[step] = self._screens.pop(step)  # the most recent now
                self._evict(keep=step)
                return kept
            self._drop(step)
        screen = self._build(step, target)
        self._evict(keep=step)
        return screen

    @staticmethod
    def next_step(step: str | None) -> str | None:
        """The step after `step` in the workshop (None after the last)."""
        if step not in STEPS:
            return None
        index = STEPS.index(step) + 1
        return STEPS[index] if index < len(STEPS) else None

    def ready(self, step: str | None) -> bool:
        """Whether the step after `step` has a screen (nothing to build ahead)."""
        following = self.next_step(step)
        return following is None or following in self._screens

    def build_ahead(self, step: str | None) -> bool:
        """Compose the screen of the step after `step` off the stack; False if it has one."""
        following = self.next_step(step)
        if following is None or following in self._screens:
            return False
        screen = self._build(following, None)
        self._evict(keep=following)
        # Textual composes a screen when it is first pushed; these two calls are what
        # `push_screen` does before showing it (Textual is pinned: see pyproject.toml).
        self.app._load_screen_css(screen)
        self.app._get_screen(screen)

        async def lay_out() -> None:
            # Laid out for the terminal as it is, off the stack (nothing is drawn): the
            # resizes this sets off in the widgets happen now, not as thirty people move.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(screen._mounted_event.wait(), MOUNT_WAIT)
            if not self._keeps_off_stack(screen):
                return
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

        # A task of its own, not a callback in the app's queue: the app's messages go on
        # (keys, and the mounting it waits for) while it waits.
        self.app.run_worker(lay_out(), group="keeper", exit_on_error=False)
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

    def composing(self) -> bool:
        """Whether a screen built here has started but not yet mounted."""
        return any(
            screen._task is not None and not screen._mounted_event.is_set()
            for screen in [*self._screens.values(), *self._dropped]
        )

    async def settle(self) -> None:
        """Wait for the screens still composing to have mounted (the app is closing: a
        screen closed mid-mount would run its on_mount without its widgets)."""
        for screen in [*self._screens.values(), *self._dropped]:
            # Started (a task), though perhaps not yet running: it would compose after the
            # app closed the widgets it makes.
            if screen._task is not None and not screen._mounted_event.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(screen._mounted_event.wait(), MOUNT_WAIT)

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

    def _evict(self, keep: str) -> None:
        """Down to KEEP screens: the least recently shown go first, never one on the stack
        nor `keep` (the one being shown or built)."""
        stack = self.app.screen_stack
        for step, screen in list(self._screens.items()):
            if len(self._screens) <= KEEP:
                break
            if step != keep and screen not in stack:
                self._drop(step)
        self.release()

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
    # A node removed before it ran `work` never will: the build goes on without it.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done, MOUNT_WAIT)
