"""The workshop app. It owns the open session, saving, findings and navigation; screens own
their own UI and change the session only through `app.editor`, then call `app.edited()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import random
import signal
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Final

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer

from .editing import Editor, Where
from .filewatch import FileWatch
from .load import core_to_spare
from .model import BLOCKS, STEP_TITLES, STEPS, STRATEGY_LISTS, Session
from .room import Room, Summon, read_room, room_path
from .rules import Finding, evaluate
from .settings import Place, load_place, load_settings, save_place, save_settings
from .store import ConflictError, Handle, Store, StoreError
from .text import for_display, one_line
from .themes import register_themes, visible_fields
from .votes import SAFE_NAME

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from textual.await_complete import AwaitComplete
    from textual.driver import Driver
    from textual.notifications import SeverityLevel

    from .collab import Change, Key
    from .serve.member import TeamMember, Whereabouts
    from .widgets.keys_in_order import HistoryRequested

# A save waits for a pause in typing (AUTOSAVE_DELAY) so keys stay on time, but never
# longer than AUTOSAVE_MAX after the first unsaved change: killing the terminal mid-typing
# loses at most the last second (a hang-up saves everything). The save *starts* by
# AUTOSAVE_MAX; the rest of the second is for a late timer on a busy machine, writing and
# fsync (with AUTOSAVE_MAX = 1.0, 2 of 41 kills lost 1.00-1.03 s).
AUTOSAVE_DELAY = 0.5
AUTOSAVE_MAX = 0.7
SAVE_PROMISE = 1.0
# A participant's app builds the next step's screen once its user has paused this long: a
# summon there then switches to a built screen, a fifth of the cost of composing one, for
# thirty people at once (docs/performance.md; screens/keeper.py).
BUILD_AHEAD_IDLE = 2.0
BUILD_AHEAD_GAP = 0.3
# With no core to spare (others typing, building, drawing), building waits this long, give
# or take half, so that apps which paused together do not all look again at once.
BUILD_AHEAD_BUSY = 1.0
# A full garbage collection walks every object of the app: with its step screens kept,
# 80-100 ms. Python starts one at a moment of its choosing, often mid-keystroke or in the
# middle of a summon; an app alone in its process asks for it in a pause instead (once
# Python would have considered one, FULL_GC_DUE), and Python's own is put off tenfold.
FULL_GC_DUE = 10
FULL_GC_THRESHOLD = 100
# After a failed save (a full disk, a folder gone read-only) the app tries again on its
# own, waiting longer each time up to RETRY_MAX, so space freed while nobody types is used.
RETRY_FIRST = 0.5
RETRY_MAX = 4.0
# A participant is woken when the room file is replaced (inotify, see filewatch.py), so a
# summon or a spotlight reaches every screen at once and an idle app never looks for one.
# Every ROOM_POLL seconds it also `stat`s the file: the fallback where inotify is missing.
ROOM_POLL = 1.0
# A summon older than this when a participant connects was for the room as it was then.
SUMMON_FRESH = 60.0
NOTICE_SECONDS = 12.0
FINDINGS_DELAY = 0.25
# After a teammate's change, findings wait for a longer pause: with three others typing the
# stream of changes seldom pauses for FINDINGS_DELAY, and every member re-evaluated the
# rules for nearly every key typed in the team (1.6 ms of a member's 6 per teammate's key).
TEAM_FINDINGS_DELAY = 1.0
# Teammates' changes are shown together this often (not one screen update per key).
TEAM_REFRESH = 0.1
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
    # Under `serve`: the ssh command that reaches this participant (`ssh -p 2222 ana@HOST`);
    # their Export then tells them how to fetch a copy instead of writing on the server.
    take_home: str | None = None
    timebox: int | None = None
    theme: str | None = None
    autosave_delay: float = AUTOSAVE_DELAY
    settings_file: Path | None = None
    places_file: Path | None = None
    team_socket: Path | None = None  # a team session: the server's team hub
    team_secret: str | None = None  # this launch's secret for it
    # Said once the first screen is up: why this screen started (the facilitator moved
    # this person to another team, say).
    notice: str | None = None
    # Seconds without a key before the next step's screen is built (None: only when
    # visited). See screens/keeper.py.
    build_ahead: float | None = BUILD_AHEAD_IDLE
    # The only app in its process (`bmc-tui`, a participant under `serve`): it may tune
    # the interpreter's garbage collector for itself (see `_build_ahead`).
    own_process: bool = False
    # Whether the machine has a core to spare for building ahead (see load.py).
    core_to_spare: Callable[[], bool] = core_to_spare
    extra: dict[str, object] = field(default_factory=dict)


class BmcApp(App[None]):
    """bmc-tui: from a blank page to an aligned business model, strategy and plan."""

    # Every step's styles from the start (each file scoped to its screen): a stylesheet
    # read later restyles every node of the app, and the screen on the terminal is redrawn
    # (as each step is built ahead, in a pause; see screens/keeper.py).
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "app.tcss",
        *(
            f"screens/{step}.tcss"
            for step in ("social", "practices", "strategy", "plan", "fitness", "summary")
        ),
    ]
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
        Binding("f9", "vote", "Vote", tooltip="The facilitator's dot vote (or its result)"),
        Binding("f10", "spotlight", "Spotlight", tooltip="The session in the spotlight"),
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
    notice: var[str | None] = var(None, init=False)
    """A one-line notice from the room (a summon) for the banner, for NOTICE_SECONDS."""
    team_presence: var[dict[str, Whereabouts]] = var(dict, init=False, always_update=True)
    """Who else is in the team session, and where (empty when not in a team)."""

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
        self._retry_delay = 0.0
        self._write_lock = threading.Lock()
        self.step_entered_at: datetime | None = None
        # "Timebox this step" from the palette: that step of this session, and when it ends.
        self.step_timebox: tuple[str | None, datetime] | None = None
        self._timebox_noticed: datetime | None = None
        self._room_stamp: tuple[int, int, int] | None = None
        self._place_kept: tuple[Path, Place] | None = None
        self._room_read = False
        self._room_watch: FileWatch | None = None
        # What of the room this app has already acted on, and what waits for a modal
        # dialog to close (a participant is never pulled out of a dialog mid-answer).
        self._summon_seen: str | None = None
        self._spotlight_seen: tuple[str, datetime] | None = None
        self._vote_seen: str | None = None
        self._result_seen: str | None = None
        self._votes_asked: set[str] = set()  # closed votes the team's hub was asked to keep
        self._pending: dict[str, object] = {}
        self._notice_timer: Timer | None = None
        self.team: TeamMember | None = None  # set while this app edits a team's session
        self.team_link: TeamMember | None = None  # the line to the server's hub, if any
        self._team_change: Change | None = None
        self._team_timer: Timer | None = None
        self._team_editing: tuple[str, str, str] | None = None
        self._last_input = 0.0
        self._ahead_timer: Timer | None = None
        self._jitter = random.Random()
        super().__init__()
        from .screens.keeper import StepScreenKeeper

        self.step_screens = StepScreenKeeper(self)
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
        if self.team is not None and not self.team.connected:
            return False
        return self.handle is not None and self.handle.writable

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste | events.MouseDown):
            self._last_input = time.monotonic()  # building ahead waits for a pause
            if self._ahead_timer is None and self.editor is not None:
                self._build_ahead_later()
        # A paste too long for the focused field is cut to fit here, with a notice, rather
        # than dropped whole by the field (see widgets/paste.py).
        if isinstance(event, events.Paste) and not event.is_forwarded:
            from .widgets.paste import paste_for

            event = paste_for(self, event)
        await super().on_event(event)

    def get_driver_class(self) -> type[Driver]:
        # Textual's Linux driver polls its terminal ten times a second even when idle; this
        # one sleeps until there is input (see driver.py). TEXTUAL_DRIVER still wins.
        from .driver import driver_for

        return driver_for(super().get_driver_class())

    def on_mount(self) -> None:
        self._mounted_theme = True
        if not self.is_headless:
            # A dropped SSH connection or a closed terminal sends SIGHUP: write what was
            # typed, then leave at once (the terminal is gone, there is nothing to restore).
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._hang_up)
        self.set_interval(ROOM_POLL, self._tick)
        if self.config.own_process:
            first, second, _ = gc.get_threshold()
            gc.set_threshold(first, second, FULL_GC_THRESHOLD)
        self._room_watch = FileWatch.open()
        if self._room_watch is not None:
            asyncio.get_running_loop().add_reader(self._room_watch.fileno(), self._room_event)
        # After the session opens (below): the first read of the room knows who this is.
        self.call_next(self._poll_room)
        if self.config.team_socket is not None:
            self.run_worker(self._join_team(), group="team")
            return
        if self.config.session_path is not None:
            if not self.open_session(self.config.session_path):
                if self.config.participant:
                    self.exit(return_code=2)
                    return
                self._show_start()
        else:
            self._show_start()

    def _hang_up(self) -> None:
        lost = True
        try:
            self.flush()
            lost = self.unsaved_reason is not None
            self.close_session()
        finally:
            # Nobody is left to ask: a status of 1 at least tells whoever started us.
            os._exit(1 if lost else 0)

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
        self.sub_title = one_line(handle.session.title, None)
        target = None
        if step is None:
            step = handle.session.step or "social"
            # Back where this user left off in the step (a dropped connection too).
            place = load_place(path, self.config.places_file)
            if place is not None and place.step == step:
                target = place.target
        self.goto_step(step, target)
        if not self._room_read:
            self.call_next(self._poll_room)  # the room waited for the session: who this is
        return True

    def close_session(self) -> None:
        """Save what is pending and let go of the session (and its lock)."""
        self._remember_place()
        self.flush()
        self.step_timebox = None  # it was this session's step
        if self.team is not None:
            # The hub holds the team's file; leaving is closing the line to it.
            self.team.close()
            self.team = None
        elif self.handle is not None:
            self.store.close(self.handle)
        self.handle = None
        self.editor = None
        self.step_screens.drop_all()

    def _remember_place(self) -> None:
        """Keep the section or item the user is on, to come back to it next time: each
        second while it changes, and on leaving (quit, hang-up) while the screens are up."""
        from .screens.base import StepScreen

        if self.handle is None or self.current_step is None:
            return
        try:
            screens = [s for s in self.screen_stack if isinstance(s, StepScreen)]
            if not screens:  # the screens are gone already: the last place stands
                return
            place = Place(self.current_step, screens[-1].resume_target())
        except Exception:  # leaving as the screens come down: the place is a nicety
            return
        if (self.handle.path, place) != self._place_kept:
            self._place_kept = (self.handle.path, place)
            save_place(self.handle.path, place, self.config.places_file)

    async def _shutdown(self) -> None:
        # A step screen built ahead may still be composing: it mounts before Textual closes
        # the screens, or its on_mount would run without its widgets (an error on quit).
        await self.step_screens.settle()
        await super()._shutdown()

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self._remember_place()
        super().exit(*args, **kwargs)

    # -- a team session (the server's hub holds it; see collab.py) ---------------------------

    async def _join_team(self) -> None:
        from .serve.member import TeamError, TeamMember

        assert self.config.team_socket is not None
        member = TeamMember(
            self.config.team_socket,
            self.config.team_secret or "",
            on_change=self._team_changed,
            on_presence=self._team_presence_changed,
            on_lost=self._team_lost,
            on_teams=self._teams_changed,
            on_said=lambda text: self.notify(text, title="Teams", severity="warning"),
        )
        try:
            replica = await member.join()
        except TeamError as error:
            self.exit(return_code=2, message=f"bmc-tui: {error}")
            return
        self.team_link = member
        if replica is None:
            # In no team: the person's own session, as without a hub.
            self.run_worker(member.run(), group="team")
            path = self.config.session_path
            if path is None or not self.open_session(path):
                self.exit(return_code=2)
                return
            self._say_notice()
            if member.teams:
                self._offer_teams()
            return
        self.team = member
        session = replica.session
        path = self.config.session_path or self.config.sessions_dir / f"{session.id}.toml"
        self.handle = Handle(path, session)
        self.editor = replica.editor
        self.step_screens.drop_all()
        self.findings = evaluate(session)
        self._name_team()
        self.run_worker(member.run(), group="team")
        # Where this member was (a dropped connection, a restart): each member's step is
        # their own, so the team file's `step` says nothing about it.
        place = load_place(path, self.config.places_file)
        if place is not None and place.step in STEPS:
            self.goto_step(place.step, place.target)
        else:
            self.goto_step(session.step or "social")
        self._say_notice()
        self.call_next(self._poll_room)  # now the room knows who this is, and its team

    def _say_notice(self) -> None:
        notice, self.config.notice = self.config.notice, None
        if notice:
            self.notify(notice, title="Teams", timeout=15)

    def _name_team(self) -> None:
        """The header names the team and its canvas as they are now."""
        member = self.team
        if member is not None and member.replica is not None:
            name = member.team_name(member.team) or member.team
            self.sub_title = f"Team {name}: {member.replica.session.title}"

    def _teams_changed(self) -> None:
        # The facilitator may have renamed this team: the hub sent the canvas's new title
        # before the new names, so both are known here.
        self.refresh_bindings()
        if self.team is not None:
            self._name_team()
            self.team_presence = dict(self.team.presence)  # the team's line names it too

    def _offer_teams(self) -> None:
        """The first screen's choice when the workshop has teams: one, or on my own."""
        from .screens.join_team import JoinTeamScreen

        link = self.team_link
        if link is None or load_settings(self.config.settings_file).on_my_own:
            return  # chose their own session before: the palette still joins a team
        choices = [(str(t["id"]), str(t.get("name", t["id"]))) for t in link.teams]

        def chosen(team_id: str | None) -> None:
            if team_id:
                self.join_team(team_id)
            else:
                self._keep_on_my_own(True)

        self.push_screen(JoinTeamScreen(choices), chosen)

    def join_team(self, team_id: str | None) -> None:
        """Ask to work in a team (None: leave it); the server restarts this screen on it."""
        if self.team_link is None:
            return
        self.flush()
        self._keep_on_my_own(team_id is None)
        if team_id is None:
            self.team_link.request("leave")
        else:
            self.team_link.request("join", team=team_id)
        self.notify("Moving…", title="Teams", timeout=3)

    def _keep_on_my_own(self, on_my_own: bool) -> None:
        settings = load_settings(self.config.settings_file)
        if settings.on_my_own != on_my_own:
            settings = replace(settings, on_my_own=on_my_own)
            save_settings(settings, self.config.settings_file)

    def team_editing(self, where: tuple[str, str, str] | None) -> None:
        """The item field this member is typing in (teammates see their name on it)."""
        if self.team is not None and where != self._team_editing:
            self._team_editing = where
            self._send_presence()

    def _send_presence(self) -> None:
        if self.team is not None:
            self.team.send_presence(self.current_step, self._team_editing)

    def editors_of(self, item_id: str) -> list[str]:
        """Teammates typing in this item now."""
        if self.team is None:
            return []
        return [
            name
            for name, where in self.team_presence.items()
            if name != self.team.me and where.editing is not None and where.editing[1] == item_id
        ]

    def _team_presence_changed(self) -> None:
        if self.team is not None:
            self.team_presence = dict(self.team.presence)

    def _team_changed(self, change: Change) -> None:
        team = self.team.team_name(self.team.team) if self.team is not None else ""
        for notice in change.notices:
            self.notify(notice, title=f"Team {team}".strip(), severity="warning", timeout=10)
        if self._team_change is None:
            self._team_change = change
        else:
            self._team_change.merge(change)
        # Shown together: a teammate typing is one screen update per TEAM_REFRESH, not per key.
        if self._team_timer is None:
            self._team_timer = self.set_timer(self._team_refresh_delay(), self._show_team_change)

    def _team_refresh_delay(self) -> float:
        """This member's wait before showing teammates' changes, spread over the team.

        Every member receives a change at the same moment; with one delay for all they
        would all redraw at once, a burst that on a busy server holds up the key someone is
        typing. Each member takes its own slot (by name among those connected), from half
        to one and a half TEAM_REFRESH: about the same wait on average, the redraws apart
        (bench/teams.py: own echo p95 12.2-14.0 ms against 13.6-15.9 ms all at once).
        """
        if self.team is None:
            return TEAM_REFRESH
        names = sorted({*self.team.presence, self.team.me})
        return TEAM_REFRESH * (0.5 + names.index(self.team.me) / len(names))

    def _show_team_change(self) -> None:
        self._team_timer = None
        change, self._team_change = self._team_change, None
        if change is None or self.editor is None:
            return
        self.revision = self.editor.revision
        self._schedule_findings(TEAM_FINDINGS_DELAY)
        from .screens.base import StepScreen

        step_screen = next(
            (s for s in reversed(self.screen_stack) if isinstance(s, StepScreen)), None
        )
        kept: set[Key] = set()
        if step_screen is None:
            pass  # a step screen built later reads the session as it is
        elif change.full and step_screen is self.screen and self.current_step:
            self.goto_step(self.current_step, step_screen.resume_target())
        else:
            kept = step_screen.team_changed(change)
        # What the member has now seen: typing over it replaces it knowingly. A field whose
        # own keys were kept over it stays unseen, so its author is told (see collab.py).
        if self.team is not None and self.team.replica is not None:
            self.team.replica.shown(change.keys - kept)

    def _team_lost(self) -> None:
        if self.handle is not None and self.team is not None:
            self.handle.read_only = "the connection to the team was lost; reconnect to go on"
            self.notify(self.handle.read_only, title="Team", severity="error", timeout=20)
            self.revision += 1
            self.refresh_bindings()

    def flush(self) -> None:
        """Save what is pending now, synchronously (quitting, hang-up, switching sessions)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.team is not None:
            return  # the hub saves the team's session
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
                    self._saved()

    # -- changes, saving and findings ----------------------------------------------------

    def edited(self) -> None:
        """Screens call this after changing the session through `self.editor`."""
        if self.editor is None:
            return
        self.revision = self.editor.revision
        if self.team is not None:
            self._schedule_findings(TEAM_FINDINGS_DELAY)
            return
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
        self._schedule_findings()

    def _schedule_findings(self, delay: float = FINDINGS_DELAY) -> None:
        # Findings follow once typing pauses (a trailing debounce): recomputing them in the
        # middle of a word would land on a keystroke and make it late.
        if self._findings_timer is None:
            self._findings_timer = self.set_timer(delay, self._refresh_findings)
        else:
            self._findings_timer.reset()

    def _refresh_findings(self) -> None:
        self._findings_timer = None
        if self.editor is not None:
            findings = evaluate(self.editor.session)
            # Most pauses in typing change no finding: then nothing that shows them (item
            # markers, step bar, lists of findings) is redrawn.
            if findings != self.findings:
                self.findings = findings

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
                self._saved()
        finally:
            self._saving = False

    def _saved(self) -> None:
        """A save worked: after failed ones, say that the session is on disk again."""
        self._retry_delay = 0.0
        if self.save_error is not None and self.handle is not None:
            self.notify(
                f"{self.handle.path.name} is saved again; nothing typed was lost.",
                title="Saved",
                timeout=8,
            )
        self.save_error = None

    def _retry_save(self) -> None:
        """Try the failed save again later by itself, backing off up to RETRY_MAX."""
        self._retry_delay = min(max(self._retry_delay * 2, RETRY_FIRST), RETRY_MAX)
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(self._retry_delay, self._save_now)

    def _save_failed(self, error: StoreError) -> None:
        if self.handle is None:
            return
        if isinstance(error, ConflictError):
            # Keep the edits in memory and stop writing: the user decides (save a copy).
            self.handle.read_only = "the file was changed by another program; not saving"
            self.save_error = str(error)
            self.notify(
                # Store errors carry no full stop of their own (they also end CLI lines).
                f"{error}. Use the command palette: “Save a copy”.",
                title="Not saved",
                severity="error",
                timeout=20,
            )
            self.refresh_bindings()
            return
        first = self.save_error is None
        self.save_error = str(error)
        if first:  # the banner keeps saying it; one notice per run of failures is enough
            self.notify(
                f"{error}. Your text is kept; saving is retried until it works.",
                title="Not saved",
                severity="error",
                timeout=10,
            )
        self._retry_save()

    def save_copy(self, *, reopen: bool = True) -> Path | None:
        """Save the session as it is in memory under a new id (after a conflict, or read-only);
        returns where the copy is (None: it could not be saved)."""
        if self.handle is None:
            return None
        session = self.handle.session
        try:
            copy = self.store.create(f"{session.title} (copy)", template=session)
        except StoreError as error:
            self.notify(str(error), title="Not saved", severity="error")
            return None
        self.store.close(copy)
        self._dirty = False
        self.notify(f"Saved as {copy.path}", title="Copy saved")
        if reopen:
            self.open_session(copy.path, step=session.step)
        return copy.path

    @property
    def unsaved_reason(self) -> str | None:
        """Why the session in memory is not on disk after a save attempt (None: it is)."""
        if self.handle is None or not self._dirty:
            return None
        return self.save_error or self.handle.read_only or "the last change could not be saved"

    async def action_quit(self) -> None:
        """Ctrl+Q: save what is pending; if that fails, ask rather than throw work away."""
        self.leave_session(self._quit)

    def _quit(self, copy: Path | None = None) -> None:
        if copy is None:
            self.exit()
            return
        # The notice saying where the copy went leaves with the screen: say it once more on
        # the terminal, short enough to stay on one line. A participant's terminal is not
        # the server's: the file's name only.
        where = copy.name if self.config.participant else str(copy)
        with contextlib.suppress(ValueError, OSError):
            where = str(copy.relative_to(Path.cwd()))
        self.exit(message=Text(f"bmc-tui: saved a copy of the session as {where}"))

    def leave_session(
        self, then: Callable[[Path | None], object], *, half_typed_ok: bool = False
    ) -> None:
        """Save what is pending, then `then(copy)`; when that save fails, ask first.

        Quitting or going back to the list of sessions after a failed save (or a
        conflict) would otherwise drop the changes without a word. `copy` is where the
        session was saved as a copy, when the user chose that. A field holding text that
        is not a value yet (a date or amount half typed, with its message) is asked about
        too: it is in no file.
        """
        half = None if half_typed_ok else self._half_typed()
        if half is not None:
            from .screens.confirm import ConfirmScreen

            if isinstance(self.screen, ConfirmScreen):
                return

            def leave(sure: bool | None) -> None:
                if sure:
                    self.leave_session(then, half_typed_ok=True)

            self.push_screen(
                ConfirmScreen(
                    f"“{one_line(half, 40)}” is not saved: it is not a value yet.",
                    "Leaving drops it. Cancel to stay and correct it.",
                    confirm_label="Leave",
                ),
                leave,
            )
            return
        self.flush()
        reason = self.unsaved_reason
        if reason is None:
            then(None)
            return
        from .screens.unsaved import UnsavedChoice, UnsavedScreen

        if isinstance(self.screen, UnsavedScreen):
            return

        def answered(choice: UnsavedChoice | None) -> None:
            if choice == "copy":
                copy = self.save_copy(reopen=False)
                if copy is not None:
                    then(copy)
            elif choice == "discard":
                # Asked and answered: the user threw the changes away, nothing silent.
                self._dirty = False
                if self._save_timer is not None:
                    self._save_timer.stop()
                    self._save_timer = None
                then(None)

        self.push_screen(UnsavedScreen(reason), answered)

    def _half_typed(self) -> str | None:
        """The text of a field on screen that is not a value yet (marked `-invalid`)."""
        from textual.widgets import Input

        for typed in self.screen.query(Input):
            if typed.has_class("-invalid") and typed.value.strip():
                return typed.value
        return None

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification (the app's and its screens') is shown as plain, cleaned text.

        Messages quote session text, file names and the facilitator's announcement: none of
        it may be parsed as markup or reach the terminal with an escape sequence in it.
        """
        super().notify(
            for_display(message),
            title=one_line(title, None),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    # -- navigation ----------------------------------------------------------------------

    def goto_step(self, step: str, target: str | None = None) -> None:
        """Show a step's screen (replacing the current one), focusing `target` if given."""
        if self.editor is None or step not in STEPS:
            return
        if self.can_edit and self.editor.session.step != step:
            self.editor.set_session_field("step", step)
            self.edited()
        if self.team is not None:
            self._team_editing = None
            self._send_presence()
        self.step_entered_at = datetime.now(UTC)
        if len(self.screen_stack) >= 2:
            self.step_screens.leaving(self.screen_stack[1])
        screen = self.step_screens.screen_for(step, target)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.step_screens.release()
        self._build_ahead_later()

    def _build_ahead_later(self, delay: float | None = None) -> None:
        idle = self.config.build_ahead
        if idle is None or self._ahead_timer is not None:
            return
        self._ahead_timer = self.set_timer(idle if delay is None else delay, self._build_ahead)

    def _build_ahead(self) -> None:
        """The next step's screen, once the user has paused (see screens/keeper.py)."""
        from .screens.base import StepScreen

        self._ahead_timer = None
        idle = self.config.build_ahead
        if idle is None or self.editor is None:
            return
        # The step on the terminal (read-only, the session's own step does not follow it).
        shown = next((s.STEP for s in self.screen_stack if isinstance(s, StepScreen)), None)
        waited = time.monotonic() - self._last_input
        if waited < idle:
            self._build_ahead_later(idle - waited)
        elif self.step_screens.ready(shown):
            if self.config.own_process and gc.get_count()[2] >= FULL_GC_DUE:
                gc.collect()
        elif not self.config.core_to_spare():
            self._build_ahead_later(BUILD_AHEAD_BUSY * self._jitter.uniform(0.5, 1.5))
        else:
            self.step_screens.build_ahead(shown)
            self._build_ahead_later(BUILD_AHEAD_GAP)

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
        if self.team is not None and what.startswith("Not "):
            # A team member's undo that would take back a teammate's change: said, not done.
            self.notify(what, severity="warning", timeout=6)
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
        if action == "vote":
            return self.editor is not None and self.room.last_vote is not None
        if action == "spotlight":
            return self.editor is not None and self.room.spotlight is not None
        if action in ("undo", "redo", "next_step", "overview", "goto"):
            if self.editor is None:
                return False
            if action in ("undo", "redo"):
                # Enabled with an empty history too: Ctrl+Z then says why nothing happens.
                return self.can_edit
            if action == "next_step" and self.current_step == STEPS[-1]:
                # The summary is the last step: no next one to offer in the footer or F1.
                return False
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

    def on_history_requested(self, message: HistoryRequested) -> None:
        # From a field, behind the changes typed there before it (see keys_in_order).
        message.stop()
        if message.which == "redo":
            self.action_redo()
        else:
            self.action_undo()

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
        self.leave_session(self._back_to_start)

    def _back_to_start(self, _copy: Path | None = None, *, waited: int = 0) -> None:
        from .screens.start import StartScreen

        if self._ahead_timer is not None:
            self._ahead_timer.stop()
            self._ahead_timer = None
        if self.step_screens.composing() and waited < 100:
            # A step built ahead reads the session as it mounts: the session closes once it
            # has (closed first, it stopped the app: "only shown with a session open").
            self.set_timer(0.02, partial(self._back_to_start, waited=waited + 1))
            return
        self.close_session()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(StartScreen())
        self.step_screens.release()

    # -- the room (facilitator's announcements and timebox) ------------------------------

    def _tick(self) -> None:
        self._watch_room()
        self._remember_place()
        ends = self.timebox_ends()
        if ends is not None and ends <= datetime.now(UTC) and self._timebox_noticed != ends:
            self._timebox_noticed = ends
            self.notify(
                "Time is up for this step. Finish your thought, then move on (Ctrl+N).",
                title="Timebox",
                timeout=12,
            )

    def _room_folder(self) -> Path:
        return self.handle.path.parent if self.handle else self.config.sessions_dir

    @property
    def participant_id(self) -> str | None:
        """Who this app is in the room: the person, by the name they connected with (the
        hub's welcome says it: a team's members share one session, not one ballot or one
        summon), else the session file's name (a participant outside `serve`)."""
        if self.handle is None:
            return None
        me = self.team_link.me if self.team_link is not None else ""
        return me if SAFE_NAME.fullmatch(me) else self.handle.path.stem

    @property
    def room_teams(self) -> frozenset[str]:
        """The teams (by id) this person is in: a summon of one of them moves this app."""
        found = set()
        if self.team is not None and self.team.team:
            found.add(self.team.team)
        link, me = self.team_link, self.participant_id
        if link is not None and me:
            for team in link.teams:
                members = team.get("members")
                if isinstance(members, list) and me in members:
                    found.add(str(team["id"]))
        return frozenset(found)

    def _watch_room(self) -> None:
        """Once a second: has the room file changed unseen (no inotify), or is something
        still waiting that can happen now? Only then does the app do any work."""
        try:
            st = room_path(self._room_folder()).stat()
            stamp: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            stamp = None
        if stamp != self._room_stamp:
            self._poll_room()
        elif self._pending and not self._in_dialog():
            self._apply_pending()

    def _room_event(self) -> None:
        """The room file was rewritten or replaced (an inotify wake-up)."""
        if self._room_watch is not None:
            self._room_watch.drain()
        self.call_next(self._poll_room)

    def _poll_room(self) -> None:
        first = not self._room_read
        self._room_read = True
        path = room_path(self._room_folder())
        if self._room_watch is not None:
            # Watch the file as it is now (a replace makes a new one) before reading it, so
            # a change made while this reads still wakes the app.
            self._room_watch.arm(path)
        try:
            st = path.stat()
            self._room_stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            self._room_stamp = None
        room = read_room(self._room_folder())
        old = self.room
        if room != old:
            if room.announcement and room.announcement != old.announcement:
                self.notify(room.announcement, title="From the facilitator", timeout=15)
            self.room = room
            self.refresh_bindings()
        if self.editor is None:
            # Whom a summon or a vote is for is known once the session is open (a team
            # member's, and anyone's under `serve`, after the hub's welcome): acted on then.
            self._room_read = not first
            return
        self._room_changed(room, first)
        if self._pending and not self._in_dialog():
            self._apply_pending()

    def _room_changed(self, room: Room, first: bool) -> None:
        now = datetime.now(UTC)
        me = self.participant_id or ""
        summon = room.summon
        if summon is not None and summon.id != self._summon_seen:
            self._summon_seen = summon.id
            stale = (now - summon.at).total_seconds() > SUMMON_FRESH
            if summon.applies_to(me, self.room_teams) and not (first and stale):
                self._pending["summon"] = summon
                where = STEP_TITLES.get(summon.step, summon.step)
                text = f"The facilitator brings you to {where}."
                if self._in_dialog():
                    # The banner is behind the dialog: say it on top, the move follows.
                    self.notify(text, title="Summon", timeout=8)
                self.show_notice(text)
        spot = room.spotlight
        key = (spot.session, spot.since) if spot else None
        if key != self._spotlight_seen:
            self._spotlight_seen = key
            self._pending.pop("spotlight", None)
            if spot is not None:
                self._pending["spotlight"] = spot
            else:
                self._end_spotlight()
        vote = room.last_vote
        if vote is not None and vote.is_open(now) and vote.id != self._vote_seen:
            self._vote_seen = vote.id
            self._pending["vote"] = vote.id
        if vote is not None and vote.result is not None and vote.id != self._result_seen:
            self._result_seen = vote.id
            self._vote_seen = vote.id
            if not first:  # a result from before this connection is on F9, not in the way
                self._pending["vote"] = vote.id
        self._keep_votes(room)

    def _keep_votes(self, room: Room) -> None:
        """Copy the result of every closed vote on this session into the session file.

        The copy is made by the session's only writer (never by the dashboard): this app for
        a person's own session, the server's hub for a team's. A session not open when its
        vote closed gets it the next time it is.
        """
        from .votes import keep_results

        if self.editor is None or self.handle is None or not self.can_edit:
            return
        session_id = self.handle.path.stem
        closed = {v.id for v in room.votes if v.scope == session_id and v.result is not None}
        if self.team is not None:
            # A team's file has one writer, the server's hub: written from here it would be
            # "changed by another program" and the team would stop being saved. The hub
            # copies the result from the room file itself when asked (once per vote).
            if closed - self._votes_asked:
                self._votes_asked |= closed
                self.team.request("keep_votes")
            return
        if keep_results(self.editor.session.extra, room.votes, session_id):
            self.edited()

    def pop_screen(self) -> AwaitComplete:
        # A dialog closing is when a summon, spotlight or vote that waited for it happens.
        done = super().pop_screen()
        if self._pending:
            self.call_later(self._apply_pending)
        return done

    def show_notice(self, text: str) -> None:
        """One line in the banner of every step screen, gone after NOTICE_SECONDS.

        The banner, not a toast: the screen a summon moves to composes its banner anyway,
        while a toast is one more widget to lay out for thirty people at the same moment.
        """
        self.notice = text
        if self._notice_timer is not None:
            self._notice_timer.stop()
        self._notice_timer = self.set_timer(NOTICE_SECONDS, self._clear_notice)

    def _clear_notice(self) -> None:
        self._notice_timer = None
        self.notice = None

    def _in_dialog(self) -> bool:
        from textual.screen import ModalScreen

        return isinstance(self.screen, ModalScreen)

    def _apply_pending(self) -> None:
        """Do what the room asked for, now that no dialog is open: summon first (it may
        close a spotlight or a vote screen on its way), then the spotlight, then a vote."""
        if self.editor is None or self._in_dialog():
            return
        summon = self._pending.pop("summon", None)
        if isinstance(summon, Summon):
            # What was typed is in the session already (every key goes to the editor);
            # write it now, so the move cannot lose a word even if the process dies.
            self.flush()
            self.goto_step(summon.step)
        if self._pending.pop("spotlight", None) is not None:
            self.action_spotlight()
        if self._pending.pop("vote", None) is not None:
            self.action_vote()

    def _end_spotlight(self) -> None:
        from .screens.spotlight import SpotlightScreen

        for screen in self.screen_stack[1:]:
            if isinstance(screen, SpotlightScreen):
                screen.ended()

    def action_spotlight(self) -> None:
        from .screens.spotlight import SpotlightScreen

        spot = self.room.spotlight
        if spot is None or self.editor is None or isinstance(self.screen, SpotlightScreen):
            return
        self.push_screen(SpotlightScreen(self._room_folder(), spot))

    def action_vote(self) -> None:
        from .screens.vote import VoteScreen

        vote = self.room.last_vote
        me = self.participant_id
        if vote is None or me is None:
            return
        if isinstance(self.screen, VoteScreen):
            if self.screen.vote_id == vote.id:
                return
            self.pop_screen()
        self.push_screen(VoteScreen(self._room_folder(), vote.id, me))

    def timebox_ends(self) -> datetime | None:
        """When the current step's countdown ends: the room's timebox wins over --timebox."""
        room = self.room
        if room.timebox_ends and room.timebox_step in (None, self.current_step):
            return room.timebox_ends
        if self.step_timebox is not None and self.step_timebox[0] == self.current_step:
            return self.step_timebox[1]
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
        settings = load_settings(self.config.settings_file)
        if theme and theme != settings.theme:
            save_settings(replace(settings, theme=theme), self.config.settings_file)

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
        if self._room_watch is not None:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self._room_watch.fileno())
            self._room_watch.close()
            self._room_watch = None
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
    take_home: str | None = None,
    timebox: int | None = None,
    theme: str | None = None,
    team_socket: Path | None = None,
    team_secret: str | None = None,
    notice: str | None = None,
) -> int:
    app = BmcApp(
        AppConfig(
            sessions_dir=sessions_dir,
            session_path=session_path,
            read_only=read_only,
            participant=participant,
            take_home=take_home,
            timebox=timebox,
            theme=theme,
            team_socket=team_socket,
            team_secret=team_secret,
            notice=notice,
            own_process=True,
        )
    )
    try:
        app.run()
    finally:
        # A dropped terminal (SIGHUP) or crash still writes what was typed.
        app.close_session()
    return app.return_code or 0
