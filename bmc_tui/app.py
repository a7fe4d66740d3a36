"""The workshop app. It owns the open session, saving, findings and navigation; screens own
their own UI and change the session only through `app.editor`, then call `app.edited()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Final

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer

from .editing import Editor, Where
from .model import BLOCKS, STEP_TITLES, STEPS, STRATEGY_LISTS, Session
from .room import Room, read_room, room_path
from .rules import Finding, evaluate
from .settings import Settings, load_settings, save_settings
from .store import ConflictError, Handle, Store, StoreError
from .themes import register_themes, visible_fields

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from textual.driver import Driver

# A save waits for a pause in typing (AUTOSAVE_DELAY) so keys stay on time, but never
# longer than AUTOSAVE_MAX after the first unsaved change: killing the terminal mid-typing
# loses at most the last second (a hang-up saves everything).
AUTOSAVE_DELAY = 0.5
AUTOSAVE_MAX = 1.0
ROOM_POLL = 1.0
FINDINGS_DELAY = 0.25
# Textual's palette commands that only make sense on the user's own machine.
REMOTE_UNAVAILABLE: Final = frozenset({"Screenshot"})
# The steps whose screens show items of these kinds (where undo takes the user back to).
STEP_KINDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "canvas": BLOCKS,
        "practices": ("practices",),
        "strategy": STRATEGY_LISTS,
        "plan": ("plan",),
    }
)


@dataclass
class AppConfig:
    sessions_dir: Path
    session_path: Path | None = None
    read_only: bool = False
    participant: bool = False
    timebox: int | None = None
    theme: str | None = None
    autosave_delay: float = AUTOSAVE_DELAY
    settings_file: Path | None = None
    extra: dict[str, object] = field(default_factory=dict)


class BmcApp(App[None]):
    """bmc-tui: from a blank page to an aligned business model, strategy and plan."""

    CSS_PATH = "app.tcss"
    TITLE = "bmc-tui"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", tooltip="What this step is for and how to do it well"),
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo the last change to the session"),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("ctrl+n", "next_step", "Next step"),
        # Not in the Footer: at 80 columns it pushed the step's own keys off the line. F1
        # and the palette ("Canvas overview") list it.
        Binding("ctrl+o", "overview", "Canvas", tooltip="The whole canvas at a glance", show=False),
        *[
            Binding(f"f{n}", f"goto('{step}')", STEP_TITLES[step], show=False)
            for n, step in enumerate(STEPS, start=2)
        ],
    ]

    # The app draws nothing itself: these are `var`s, not `reactive`s, because an App's
    # reactive repaints the *whole screen* when it changes, and `revision` changes with
    # every key (the canvas composed a full frame per key: 9 blocks of items re-rendered).
    # The widgets that show this state watch it and refresh themselves.
    findings: var[list[Finding]] = var(list, init=False, always_update=True)
    """The alignment findings of the open session, recomputed shortly after each change."""
    revision: var[int] = var(0, init=False)
    """Bumped on every change of the session, so widgets can refresh what they show."""
    room: var[Room] = var(Room, init=False)
    save_error: var[str | None] = var(None, init=False)
    """Why the last save failed (None when it worked): the banner shows it."""

    def __init__(self, config: AppConfig) -> None:
        self.config = config
        self.store = Store(config.sessions_dir)
        self.handle: Handle | None = None
        self.editor: Editor | None = None
        self._save_timer: Timer | None = None
        self._findings_timer: Timer | None = None
        self._dirty = False
        self._saving = False
        self._unsaved_since = 0.0
        # Bumped by every synchronous save, so an autosave prepared before it never
        # overwrites it with older data.
        self._save_generation = 0
        self._write_lock = threading.Lock()
        self.step_entered_at: datetime | None = None
        self._timebox_noticed: datetime | None = None
        self._room_stamp: tuple[int, int, int] | None = None
        super().__init__()
        register_themes(self)
        settings = load_settings(config.settings_file)
        theme = config.theme or settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme

    # -- session lifecycle ---------------------------------------------------------------

    @property
    def session_open(self) -> bool:
        return self.editor is not None

    @property
    def read_only_reason(self) -> str | None:
        if self.handle is None:
            return None
        return self.handle.read_only

    @property
    def can_edit(self) -> bool:
        return self.handle is not None and self.handle.writable

    def get_driver_class(self) -> type[Driver]:
        # Textual's Linux driver polls its terminal ten times a second even when idle; this
        # one sleeps until there is input (see driver.py). TEXTUAL_DRIVER still wins.
        driver_class = super().get_driver_class()
        if not os.environ.get("TEXTUAL_DRIVER"):
            from textual.drivers.linux_driver import LinuxDriver

            if driver_class is LinuxDriver:
                from .driver import QuietLinuxDriver

                return QuietLinuxDriver
        return driver_class

    def on_mount(self) -> None:
        self._mounted_theme = True
        if not self.is_headless:
            # A dropped SSH connection or a closed terminal sends SIGHUP: write what was
            # typed, then leave at once (the terminal is gone, there is nothing to restore).
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._hang_up)
        self.set_interval(ROOM_POLL, self._tick)
        if self.config.session_path is not None:
            if not self.open_session(self.config.session_path):
                if self.config.participant:
                    self.exit(return_code=2)
                    return
                self._show_start()
        else:
            self._show_start()

    def _hang_up(self) -> None:
        try:
            self.close_session()
        finally:
            os._exit(0)

    def _show_start(self) -> None:
        from .screens.start import StartScreen

        self.push_screen(StartScreen())

    def open_session(self, path: Path, *, step: str | None = None) -> bool:
        """Open a session file and go to its step; on failure, say why and return False."""
        try:
            handle = self.store.open(path, write=not self.config.read_only)
        except StoreError as error:
            self.notify(str(error), title="Cannot open", severity="error", timeout=10)
            return False
        self.close_session()
        self.handle = handle
        self.editor = Editor(handle.session)
        self.save_error = None
        self.findings = evaluate(handle.session)
        if handle.read_only:
            self.notify(handle.read_only, title="Read-only", severity="warning", timeout=8)
        self.sub_title = handle.session.title
        self.goto_step(step or handle.session.step or "social")
        return True

    def close_session(self) -> None:
        """Save what is pending and let go of the session (and its lock)."""
        self.flush()
        if self.handle is not None:
            self.store.close(self.handle)
        self.handle = None
        self.editor = None

    def flush(self) -> None:
        """Save what is pending now, synchronously (quitting, hang-up, switching sessions)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        # Waits for a save running in the worker thread, so the two never interleave.
        with self._write_lock:
            # An autosave in flight counts as pending: its worker may never run (workers
            # are cancelled on exit), and what it would write is not newer than this.
            pending = self._dirty or self._saving
            if pending and self.handle is not None and self.handle.writable:
                self._save_generation += 1
                try:
                    self.store.save(self.handle)
                except StoreError as error:
                    self._save_failed(error)
                else:
                    self._dirty = False
                    self.save_error = None

    # -- changes, saving and findings ----------------------------------------------------

    def edited(self) -> None:
        """Screens call this after changing the session through `self.editor`."""
        if self.editor is None:
            return
        self.revision = self.editor.revision
        if not self.can_edit:
            return
        self._dirty = True
        # Save once typing pauses, but never later than a second after the first unsaved
        # change: a save competes with keystrokes for the interpreter, so fewer saves while
        # typing keeps keys on time, and a killed terminal still loses at most a second.
        now = time.monotonic()
        if self._save_timer is None:
            self._unsaved_since = now
            self._save_timer = self.set_timer(self.config.autosave_delay, self._save_now)
        elif now - self._unsaved_since + self.config.autosave_delay <= AUTOSAVE_MAX:
            self._save_timer.reset()
        # Findings follow once typing pauses (a trailing debounce): recomputing them in the
        # middle of a word would land on a keystroke and make it late.
        if self._findings_timer is None:
            self._findings_timer = self.set_timer(FINDINGS_DELAY, self._refresh_findings)
        else:
            self._findings_timer.reset()

    def _refresh_findings(self) -> None:
        self._findings_timer = None
        if self.editor is not None:
            self.findings = evaluate(self.editor.session)

    def _save_now(self) -> None:
        self._save_timer = None
        if not self._dirty or self.handle is None or not self.handle.writable:
            return
        if self._saving:
            # One save at a time: try again when the one in flight has had time to finish.
            self._save_timer = self.set_timer(self.config.autosave_delay, self._save_now)
            return
        handle = self.handle
        try:
            data = self.store.prepare_save(handle)
        except StoreError as error:
            self._save_failed(error)
            return
        self._dirty = False
        self._saving = True
        self.run_worker(
            self._write_in_thread(handle, data, self._save_generation), group="autosave"
        )

    async def _write_in_thread(self, handle: Handle, data: dict[str, Any], generation: int) -> None:
        def write() -> None:
            with self._write_lock:
                if generation == self._save_generation:  # else `flush` wrote newer data
                    self.store.write_prepared(handle, data)

        try:
            await asyncio.to_thread(write)
        except asyncio.CancelledError:
            # Workers are cancelled on exit, maybe before the write ran: `flush` writes it.
            self._dirty = True
            raise
        except StoreError as error:
            self._dirty = True
            self._save_failed(error)
        else:
            if handle is self.handle:
                self.save_error = None
        finally:
            self._saving = False

    def _save_failed(self, error: StoreError) -> None:
        if self.handle is None:
            return
        if isinstance(error, ConflictError):
            # Keep the edits in memory and stop writing: the user decides (save a copy).
            self.handle.read_only = "the file was changed by another program; not saving"
            self.save_error = str(error)
            self.notify(
                f"{error} Use the command palette: “Save a copy”.",
                title="Not saved",
                severity="error",
                timeout=20,
            )
            self.refresh_bindings()
            return
        self.save_error = str(error)
        self.notify(str(error), title="Not saved", severity="error", timeout=10)

    def save_copy(self) -> None:
        """Save the session as it is in memory under a new id (after a conflict, or read-only)."""
        if self.handle is None:
            return
        session = self.handle.session
        try:
            copy = self.store.create(f"{session.title} (copy)", template=session)
        except StoreError as error:
            self.notify(str(error), title="Not saved", severity="error")
            return
        self.store.close(copy)
        self._dirty = False
        self.notify(f"Saved as {copy.path}", title="Copy saved")
        self.open_session(copy.path, step=session.step)

    # -- navigation ----------------------------------------------------------------------

    def goto_step(self, step: str, target: str | None = None) -> None:
        """Show a step's screen (replacing the current one), focusing `target` if given."""
        from .screens import screen_for_step

        if self.editor is None or step not in STEPS:
            return
        if self.can_edit and self.editor.session.step != step:
            self.editor.set_session_field("step", step)
            self.edited()
        self.step_entered_at = datetime.now(UTC)
        screen: Screen[None] = screen_for_step(step, target)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    @property
    def current_step(self) -> str | None:
        return self.editor.session.step if self.editor else None

    def action_goto(self, step: str) -> None:
        self.goto_step(step)

    def action_next_step(self) -> None:
        step = self.current_step or "social"
        index = STEPS.index(step)
        self.goto_step(STEPS[min(index + 1, len(STEPS) - 1)])

    def action_overview(self) -> None:
        from .screens.overview import OverviewScreen

        if self.editor is not None:
            self.push_screen(OverviewScreen())

    def action_help(self) -> None:
        from .keys_help import keys_here
        from .screens.base import StepScreen
        from .screens.help import HelpScreen

        screen = self.screen
        extra = screen.help_extra() if isinstance(screen, StepScreen) else ""
        step = self.current_step if self.editor else None
        self.push_screen(HelpScreen(step, keys_here(self), extra=extra))

    def _after_history(self, what: str | None, verb: str, where: Where | None) -> None:
        if what is None:
            return
        self.edited()
        self.notify(f"{verb}: {what}", timeout=3)
        if self.editor is None or self.current_step is None:
            return
        from .screens.base import StepScreen

        shown = show_where(self.editor.session, where)
        if shown is None:
            # A change with no place on a step (the title): stay, the cursor where it was.
            screen = self.screen
            target = screen.resume_target() if isinstance(screen, StepScreen) else None
            self.goto_step(self.current_step, target)
            return
        step, target, field_name = shown
        self.goto_step(step, target)
        if field_name is not None:
            screen = self.screen
            if isinstance(screen, StepScreen):
                self.call_after_refresh(screen.focus_item_field, target, field_name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("undo", "redo", "next_step", "overview", "goto"):
            if self.editor is None:
                return False
            if action in ("undo", "redo"):
                # Enabled with an empty history too: Ctrl+Z then says why nothing happens.
                return self.can_edit
        return True

    def action_undo(self) -> None:
        if self.editor is None or not self.can_edit:
            return
        if not self.editor.can_undo():
            self.notify(
                "Nothing to undo: undo goes back over the changes made since the session "
                "was opened.",
                timeout=4,
            )
            return
        where = self.editor.undo_where
        self._after_history(self.editor.undo(), "Undone", where)

    def action_redo(self) -> None:
        if self.editor is None or not self.can_edit:
            return
        if not self.editor.can_redo():
            self.notify("Nothing to redo.", timeout=3)
            return
        where = self.editor.redo_where
        self._after_history(self.editor.redo(), "Redone", where)

    def action_start_screen(self) -> None:
        if self.config.participant:
            return
        from .screens.start import StartScreen

        self.close_session()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(StartScreen())

    # -- the room (facilitator's announcements and timebox) ------------------------------

    def _tick(self) -> None:
        self._poll_room()
        ends = self.timebox_ends()
        if ends is not None and ends <= datetime.now(UTC) and self._timebox_noticed != ends:
            self._timebox_noticed = ends
            self.notify(
                "Time is up for this step. Finish your thought, then move on (Ctrl+N).",
                title="Timebox",
                timeout=12,
            )

    def _poll_room(self) -> None:
        folder = self.handle.path.parent if self.handle else self.config.sessions_dir
        # Every participant polls every second: a stat is enough until the file changes.
        try:
            st = room_path(folder).stat()
            stamp: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            stamp = None
        if stamp == self._room_stamp:
            return
        self._room_stamp = stamp
        room = read_room(folder)
        if room != self.room:
            if room.announcement and room.announcement != self.room.announcement:
                self.notify(room.announcement, title="From the facilitator", timeout=15)
            self.room = room

    def timebox_ends(self) -> datetime | None:
        """When the current step's countdown ends: the room's timebox wins over --timebox."""
        room = self.room
        if room.timebox_ends and room.timebox_step in (None, self.current_step):
            return room.timebox_ends
        if self.config.timebox and self.step_entered_at and self.current_step != "summary":
            from datetime import timedelta

            return self.step_entered_at + timedelta(seconds=self.config.timebox)
        return None

    # -- commands and themes -------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from .commands import workshop_commands

        for command in super().get_system_commands(screen):
            # Over SSH the screenshot would be written on the server, where the participant
            # cannot reach it (and often cannot write): offer only what works where we run.
            if self.config.participant and command.title in REMOTE_UNAVAILABLE:
                continue
            yield command
        yield from workshop_commands(self)

    def get_css_variables(self) -> dict[str, str]:
        # Fields keep a visible border in every theme (see themes.visible_fields).
        variables = visible_fields(super().get_css_variables())
        self.theme_variables = variables
        return variables

    def watch_theme(self, theme: str) -> None:
        # Remember the choice for the next start (a preference, never an error).
        if not getattr(self, "_mounted_theme", False):
            return
        if theme and theme != load_settings(self.config.settings_file).theme:
            save_settings(Settings(theme=theme), self.config.settings_file)

    def _fatal_error(self) -> None:
        """An unexpected error: save, keep the details in a file, and say so in one line.

        A workshop participant should never be left with a traceback (Textual's default),
        and never lose what was typed. `textual run --dev` (the "debug" feature) or
        BMC_TUI_TRACEBACK=1 keeps Textual's full traceback for developers.
        """
        if "debug" in self.features or os.environ.get("BMC_TUI_TRACEBACK"):
            super()._fatal_error()
            return
        import traceback

        from rich.text import Text

        with contextlib.suppress(Exception):
            self.flush()
        where = "the details could not be written down"
        with contextlib.suppress(OSError):
            folder = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
            log = folder / "bmc-tui" / f"crash-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.getpid()}.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(traceback.format_exc(), "utf-8")
            where = f"details: {log}"
        self._exit_renderables.append(
            Text(f"bmc-tui stopped on an unexpected error; your work is saved ({where}).")
        )
        self._close_messages_no_wait()

    def on_unmount(self) -> None:
        self.close_session()


def show_where(session: Session, where: Where | None) -> tuple[str, str | None, str | None] | None:
    """The step, jump target and item field that show a change made at `where`.

    An item that is gone (its adding was undone) shows its list; None: nowhere to show.
    """
    if where is None:
        return None
    area, key = where.area, where.key
    if area in ("answer", "rating"):
        return "social", key, None
    if area == "problem":
        return "social", "problem", None
    if area == "strategy":
        return "strategy", key, None
    if area == "fitness":
        return "fitness", key, None
    step = next((s for s, kinds in STEP_KINDS.items() if area in kinds), None)
    if step is None:
        return None
    if key is not None and session.find(key) is not None:
        return step, key, where.field
    return step, area if step in ("canvas", "strategy") else None, None


def run_app(
    sessions_dir: Path,
    session_path: Path | None = None,
    *,
    read_only: bool = False,
    participant: bool = False,
    timebox: int | None = None,
    theme: str | None = None,
) -> int:
    app = BmcApp(
        AppConfig(
            sessions_dir=sessions_dir,
            session_path=session_path,
            read_only=read_only,
            participant=participant,
            timebox=timebox,
            theme=theme,
        )
    )
    try:
        app.run()
    finally:
        # A dropped terminal (SIGHUP) or crash still writes what was typed.
        app.close_session()
    return app.return_code or 0
