"""The room as the server sees it: who is connected, to which session, under what caps."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from ..store import Store, StoreError, load_session
from ..text import one_line
from .access import access_for
from .child import Child, ChildSpec, ExecLauncher
from .config import ServeConfig
from .hub import Grant, Hub
from .limits import Admission, ConnectionRate, FailureBudget
from .names import read_names, write_names
from .protocol import Request
from .session import Identity, Refused, WorkshopSession
from .status import HEARTBEAT, STATUS_DIR, Connection, clear_status, write_status
from .takehome import ExportRequest, ssh_command
from .teams import TEAM_PREFIX, RosterError, Team, Teams, read_roster, read_teams, team_title
from .terminal import child_environment

log = logging.getLogger("bmc_tui.serve")

ArgvFactory = Callable[[Path], list[str]]


class Launcher(Protocol):
    async def launch(self, spec: ChildSpec) -> Child: ...

    async def close(self) -> None: ...


TAKEN_OVER = (
    b"This session was opened from another connection, so this one is closed. "
    b"Nothing is lost: your work is saved."
)
LOG_AGAIN_AFTER = 60.0
IDLE = b"Closed after a long time without input. Nothing is lost: reconnect to go on."


def participant_argv(config: ServeConfig) -> ArgvFactory:
    def argv(path: Path) -> list[str]:
        # `-m bmc_tui`, not `-m bmc_tui.cli`: the fork server has imported `bmc_tui.cli`,
        # and running an imported module as __main__ prints a RuntimeWarning on the
        # participant's screen.
        command = [sys.executable, "-m", "bmc_tui", "open", str(path), "--participant"]
        command += ["--sessions-dir", str(config.sessions_dir)]
        if config.timebox:
            command += ["--timebox", f"{config.timebox}s"]
        return command

    return argv


def dashboard_argv(config: ServeConfig) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bmc_tui.serve.dashboard",
        "--sessions-dir",
        str(config.sessions_dir),
    ]


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


class Workshop:
    def __init__(
        self,
        config: ServeConfig,
        *,
        argv: ArgvFactory | None = None,
    ) -> None:
        self.config = config
        self.port = config.port
        self.store = Store(config.sessions_dir)
        self.rate = ConnectionRate(config.connections_per_address)
        # Counted by the gates: who is still logging in, who is in, who guessed wrong.
        self.admission = Admission(
            config.unauthenticated_per_address,
            config.unauthenticated_total,
            config.facilitator_reserve,
        )
        self.authenticated = 0  # logged-in connections open now, facilitator's aside
        self.failures_by_address = FailureBudget(
            config.failures_per_address, config.failure_window, config.lockout
        )
        self.failures_total = FailureBudget(
            config.failures_total, config.failure_window, config.lockout
        )
        # Addresses someone logged in from during this run: a room-wide lockout spares them.
        self.known_addresses: set[str] = set()
        self._logged: dict[str, float] = {}
        self._argv = argv or participant_argv(config)
        self._exec = ExecLauncher()
        self._forks: Launcher | None = None
        self._starting: set[str] = set()  # participants whose child is being started
        self._active: dict[str, WorkshopSession] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        # Exports render in threads; two at a time keep the room's own work going.
        self._exports = asyncio.Semaphore(2)
        self._dirty = True
        self._home = Path(tempfile.mkdtemp(prefix="bmc-tui-serve-"))
        self._stopping = False
        self._ticker: asyncio.Task[None] | None = None
        self.teams = Teams()
        self.hub = Hub(self.store, self._home / "hub.sock")
        self._team_secrets: dict[int, str] = {}  # id(session) -> its launch's secret
        # Why a person's screen restarts, said on it (the facilitator moved them).
        self._moved_notices: dict[str, str] = {}
        self.hub.on_request = self._team_request
        # A member's step is written with the status (at the next tick: at most once a
        # second however often members move or type).
        self.hub.on_presence = self.touched

    # -- bookkeeping -----------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("serve task failed", exc_info=task.exception())

    def log_once(self, key: str, message: str, *args: object) -> None:
        """A warning that a flood would repeat per connection: at most once a minute."""
        now = time.monotonic()
        if now - self._logged.get(key, -LOG_AGAIN_AFTER) < LOG_AGAIN_AFTER:
            return
        if len(self._logged) > 1024:
            self._logged = {k: t for k, t in self._logged.items() if now - t < LOG_AGAIN_AFTER}
        self._logged[key] = now
        log.warning(message, *args)

    def touched(self) -> None:
        self._dirty = True

    @property
    def participants(self) -> list[WorkshopSession]:
        return [s for s in self._active.values() if not s.identity.facilitator]

    def child_pids(self) -> list[int]:
        return [s.child.pid for s in self._active.values() if s.child is not None]

    # -- connecting ------------------------------------------------------------------

    async def attach(self, session: WorkshopSession) -> Child | None:
        """Give the session its child: take the name over, check the cap, start the app."""
        ident = session.identity
        key = "@facilitator" if ident.facilitator else ident.slug
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if self._stopping:
                raise Refused("The workshop is closing.")
            if not ident.facilitator:
                self._claim(ident)
            previous = self._active.pop(key, None)
            if previous is not None:
                await self._take_over(previous)
            # Those still starting count too, or a crowd arriving at once would overshoot.
            taken = len(self.participants) + len(self._starting)
            if not ident.facilitator and taken >= self.config.max_participants:
                raise Refused(
                    f"The workshop is full ({self.config.max_participants} participants). "
                    "Ask the facilitator."
                )
            if session.closed:
                return None
            self._starting.add(key)
            try:
                child = await self._start_child(session)
            finally:
                self._starting.discard(key)
            if session.closed:  # the client left while its child was starting
                await child.stop()
                return None
            self._active[key] = session
            session.attach_child(child)
            # Now, not at the next tick: the dashboard should see arrivals within a second.
            self._write_status()
        who = "facilitator" if ident.facilitator else f"participant {ident.slug}"
        log.info("%s connected from %s (pid %d)", who, ident.peer, child.pid)
        return child

    def _claim(self, ident: Identity) -> None:
        """Let a name into its own session only: another spelling of it is refused."""
        if ident.slug.startswith(TEAM_PREFIX):
            # Team canvases are `team-….toml` in the same folder: a person by that name
            # would open a team's canvas as their own and lock its members out.
            log.info("refused %r: names starting %r are kept for teams", ident.user, TEAM_PREFIX)
            raise Refused(
                f"Names starting with {TEAM_PREFIX!r} are kept for teams' canvases: connect "
                "with your own name (the facilitator puts you in your team)."
            )
        names = read_names(self.config.sessions_dir)
        owner = names.get(ident.slug)
        if owner is None:
            names[ident.slug] = ident.user
            try:
                write_names(self.config.sessions_dir, names)
            except OSError as error:
                log.warning("cannot write the names file: %s", error)
            return
        if owner != ident.user:
            log.info(
                "refused %r: session %s belongs to %r",
                one_line(ident.user, 40),
                ident.slug,
                one_line(owner, 40),
            )
            raise Refused(
                f"The name {one_line(ident.user, 40)!r} opens the session {ident.slug!r}, "
                f"which belongs to {one_line(owner, 40)!r}: connect with exactly that name, "
                "or choose another."
            )

    async def _start_child(self, session: WorkshopSession) -> Child:
        ident = session.identity
        team = None if ident.facilitator else self.teams.team_of(ident.slug)
        if ident.facilitator:
            argv = dashboard_argv(self.config)
        elif team is None:
            argv = self._argv(self._session_file(ident.user, ident.slug))
        cols, rows = session.size
        settings = None if ident.facilitator else self._settings_folder(ident.slug)
        env = self._child_env(session.term, session.client_env, settings)
        notice = self._moved_notices.pop(ident.slug, None)
        if notice is not None:
            env["BMC_TUI_NOTICE"] = notice
        self.forget_team_secret(session)
        if team is None:
            # Every launch may talk to the hub: to join a team (participants), or to form
            # teams (the facilitator). Its secret says which, and who it is.
            secret = self.hub.admit(None, ident.slug, facilitator=ident.facilitator)
            self._team_secrets[id(session)] = secret
            argv = [*argv, "--hub" if ident.facilitator else "--team", str(self.hub.socket_path)]
            env["BMC_TUI_TEAM_SECRET"] = secret
        else:
            path = self._team_file(team)
            try:
                self.hub.open_team(team.team_id, path)
            except StoreError as error:
                log.error("team %s: %s", team.team_id, error)
                raise Refused("Your team's canvas cannot be opened; ask the facilitator.") from None
            secret = self.hub.admit(team.team_id, ident.slug)
            self._team_secrets[id(session)] = secret
            argv = [*self._argv(path), "--team", str(self.hub.socket_path)]
            # In the environment, not the command line: other local users can read argv.
            env["BMC_TUI_TEAM_SECRET"] = secret
        # How this person fetches a take-home copy: the command is shown to them.
        argv += ["--take-home", ssh_command(self.port, ident.slug, self._reachable_host(session))]
        spec = ChildSpec(argv, env, self._home, cols, rows)
        if self._forks is not None:
            try:
                return await self._forks.launch(spec)
            except OSError as error:
                log.warning("fork server failed (%s); children start fresh from now on", error)
                forks, self._forks = self._forks, None
                await forks.close()
        return await self._exec.launch(spec)

    def _reachable_host(self, session: WorkshopSession) -> str:
        """The address this person reached the server at: the listening address, or, when
        that is every interface, the one their connection came in on."""
        host = self.config.host
        if host in ("0.0.0.0", "::", ""):
            host = session.local_address or socket.gethostname()
        return host

    def _child_env(
        self, term: str | None, client_env: dict[str, str], settings: Path | None = None
    ) -> dict[str, str]:
        return child_environment(
            path=os.environ.get("PATH", "/usr/bin:/bin"),
            home=self._home,
            sessions_dir=self.config.sessions_dir,
            term=term,
            client_env=client_env,
            settings=settings,
        )

    def _settings_folder(self, slug: str) -> Path:
        """`.serve/people/<id>/`: one participant's preferences, kept across runs (or for
        this run only, when the workshop folder cannot hold it)."""
        folder = self.config.sessions_dir / STATUS_DIR / "people" / slug
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            log.warning("cannot make %s (%s); preferences last this run only", folder, error)
            folder = self._home / "people" / slug
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder

    # -- teams -----------------------------------------------------------------------

    def _team_request(self, grant: Grant, request: Request) -> str | None:
        """A launch asks to change the teams (see Hub._request); None when done."""
        teams = self.teams
        moved: list[str] = []
        try:
            if request.kind == "join":
                team = teams.find(request.team or "")
                if team is None:
                    return "There is no such team."
                teams.assign(grant.person, team)
                moved.append(grant.person)
            elif request.kind == "leave":
                teams.assign(grant.person, None)
                moved.append(grant.person)
            elif request.kind == "create":
                start = request.start or None
                if start is not None and not self._can_start_from(start):
                    return "A team's canvas starts empty, from an example or from a session."
                teams.create(request.name or "", start)
            elif request.kind == "rename":
                team = teams.find(request.team or "")
                if team is None:
                    return "There is no such team."
                teams.rename(team, request.name or "")
                # Before the teams are published: a member hears the new title first, so
                # their header names the team and its canvas as they are now.
                self.hub.set_title(
                    team.team_id, self.store.path_for(team.team_id), team_title(team)
                )
            elif request.kind == "assign":
                from ..store import slugify

                person = slugify(request.person or "")
                target = teams.find(request.team) if request.team else None
                if request.team and target is None:
                    return "There is no such team."
                teams.assign(person, target)
                if person not in teams.people:
                    teams.people.append(person)
                moved.append(person)
                self._moved_notices[person] = (
                    f"The facilitator moved you to Team {target.name}."
                    if target is not None
                    else "The facilitator took you out of your team: this is your own session."
                )
        except RosterError as error:
            return str(error)
        self._teams_changed()
        for person in moved:
            self._move(person)
        log.info("teams: %s by %s", request.kind, grant.person or "the facilitator")
        return None

    def _can_start_from(self, start: str) -> bool:
        """A shipped example's name, or "copy:NAME" of a session in the workshop folder."""
        from ..examples import EXAMPLES

        if not start.startswith("copy:"):
            return start in EXAMPLES
        try:
            return self.store.path_for(start.removeprefix("copy:")).exists()
        except StoreError:
            return False

    def _teams_changed(self) -> None:
        try:
            self.teams.save(self.config.sessions_dir)
        except OSError as error:
            log.warning("cannot write the teams file: %s", error)
        self.hub.publish_teams(self.teams.to_document())

    def _move(self, person: str) -> None:
        """A connected person's team changed: their screen restarts on the right session."""
        session = self._active.get(person)
        if session is not None and session.child is not None:
            session.switching = True
            self.spawn(session.child.stop())

    async def relaunch(self, session: WorkshopSession) -> Child | None:
        """A new child for the same connection (after a team change)."""
        lock = self._locks.setdefault(session.identity.slug, asyncio.Lock())
        async with lock:
            old = session.release_child()
            if old is not None:
                await old.stop()
            if (
                session.closed
                or self._stopping
                or self._active.get(session.identity.slug) is not session
            ):
                return None
            try:
                child = await self._start_child(session)
            except Refused as reason:
                session.refuse(str(reason))
                return None
            if session.closed:
                await child.stop()
                return None
            session.attach_child(child)
        return child

    def forget_team_secret(self, session: WorkshopSession) -> None:
        secret = self._team_secrets.pop(id(session), None)
        if secret is not None:
            self.hub.forget(secret)

    def _team_file(self, team: Team) -> Path:
        """The team's session: made on first use, empty, from an example, or as a copy."""
        path = self.store.path_for(team.team_id)
        if path.exists():
            return path
        template = None
        start = team.start or ""
        try:
            if start.startswith("copy:"):
                from ..store import load_session

                source = self.store.path_for(start.removeprefix("copy:").strip())
                # A copy: the member's own file is only read.
                template = load_session(source) if source.exists() else None
            elif start:
                from ..examples import load_example

                template = load_example(start)
        except (StoreError, KeyError, ValueError) as error:
            log.warning(
                "team %s: cannot start from %r (%s); starting empty", team.name, start, error
            )
            template = None
        try:
            handle = self.store.create(team_title(team), team.team_id, template=template)
        except StoreError:
            if not path.exists():
                raise Refused(
                    "Your team's canvas could not be made; ask the facilitator."
                ) from None
        else:
            self.store.close(handle)
        return path

    def _session_file(self, user: str, slug: str) -> Path:
        path = self.store.path_for(slug)
        if not path.exists():
            title = one_line(user, 64) or slug
            try:
                handle = self.store.create(title, slug)
            except StoreError:
                if not path.exists():
                    raise Refused("Your session could not be made; ask the facilitator.") from None
            else:
                self.store.close(handle)
        return path

    async def _take_over(self, previous: WorkshopSession) -> None:
        # One file, one writer: the old child must be gone (its flock with it) before the
        # new one starts.
        child = previous.release_child()
        if child is not None:
            await child.stop()
        previous.end(TAKEN_OVER, 1)
        log.info("%s taken over by a new connection", previous.identity.slug)

    async def detach(self, session: WorkshopSession) -> None:
        key = "@facilitator" if session.identity.facilitator else session.identity.slug
        if self._active.get(key) is session:
            del self._active[key]
            self._write_status()
        child = session.release_child()
        if child is not None:
            await child.stop()
        self.forget_team_secret(session)
        ident = session.identity
        log.info(
            "%s disconnected from %s after %s",
            "facilitator" if ident.facilitator else f"participant {ident.slug}",
            ident.peer,
            _duration(time.monotonic() - session.started),
        )

    # -- take-home copies ------------------------------------------------------------

    async def export(self, ident: Identity, request: ExportRequest) -> bytes:
        """What `ssh NAME@HOST export ...` streams: a session this name may open (or, for
        the facilitator, the room report), rendered as the command line would."""
        access = access_for(ident.slug, ident.facilitator, self.config.sessions_dir)
        folder = self.config.sessions_dir
        if request.room:
            if not access.everything:
                raise Refused("--room (the room report) is for the facilitator.")

            def work() -> str:
                from ..export.room import read_room_report, render_room

                return render_room(read_room_report(folder), request.fmt)

        else:
            session_id = request.session or access.own
            # The same answer whether or not such a session exists: a participant learns
            # nothing about the others' names.
            if session_id is None or not access.allows(session_id):
                raise Refused("You can fetch only your own session.")
            path = self.store.path_for(session_id)
            if not path.is_file():
                if ident.facilitator:
                    raise Refused(f"No session called {session_id}.")
                raise Refused(
                    "You have no session yet: connect once without a command to start it."
                )

            def work() -> str:
                from ..export import render

                return render(load_session(path, allow_newer=True), request.fmt)

        async with self._exports:
            try:
                # In a thread: the event loop keeps every participant's keys flowing.
                text = await asyncio.to_thread(work)
            except StoreError as error:
                log.warning("export for %s failed: %s", ident.slug, error)
                if ident.facilitator:
                    raise Refused(one_line(str(error), 300)) from None
                raise Refused(
                    "Your session cannot be read just now; ask the facilitator."
                ) from None
        return text.encode("utf-8")

    # -- the periodic part -----------------------------------------------------------

    async def start(self) -> None:
        self.config.sessions_dir.mkdir(parents=True, exist_ok=True)
        self.teams = self._load_teams()
        self.teams.save(self.config.sessions_dir)
        self.hub.teams_document = self.teams.to_document()
        await self.hub.start()
        if self.config.launcher == "fork":
            from .forkserver import ForkServer

            try:
                self._forks = await ForkServer.start(self._child_env(None, {}))
            except (OSError, TimeoutError) as error:
                log.warning("no fork server (%s); each child starts a fresh interpreter", error)
        self._ticker = asyncio.get_running_loop().create_task(self._tick())

    def _load_teams(self) -> Teams:
        """The roster, or the teams as they were when the server last ran (if newer)."""
        current = self.config.sessions_dir / ".serve" / "teams.toml"
        roster = self.config.roster
        try:
            if roster is not None and (
                not current.exists() or roster.stat().st_mtime > current.stat().st_mtime
            ):
                return read_roster(roster)
        except (OSError, RosterError) as error:
            log.error("roster: %s", error)
        return read_teams(self.config.sessions_dir)

    async def _tick(self) -> None:
        last_write = 0.0
        while True:
            now = time.monotonic()
            # Participants only: a facilitator may watch the room for an hour without a key.
            for session in self.participants:
                if now - session.last_input > self.config.idle_timeout:
                    log.info("%s idle, closing", session.identity.slug)
                    session.end(IDLE, 1)
            if self._dirty or now - last_write >= HEARTBEAT:
                self._dirty = False
                last_write = now
                self._write_status()
            await asyncio.sleep(1.0)

    def _write_status(self) -> None:
        steps = self.hub.steps()
        rows = [
            Connection(
                s.identity.slug,
                datetime.fromtimestamp(s.connected_at, UTC),
                datetime.fromtimestamp(s.last_input_at, UTC),
                steps.get(s.identity.slug),
            )
            for s in self.participants
        ]
        try:
            write_status(self.config.sessions_dir, rows)
        except OSError as error:
            log.warning("cannot write the status file: %s", error)

    async def shutdown(self) -> None:
        """End every child's process group and wait for it: no orphans survive the server."""
        self._stopping = True
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        sessions = list(self._active.values())
        self._active.clear()
        children = [c for c in (s.release_child() for s in sessions) if c is not None]
        await asyncio.gather(*(c.stop() for c in children), return_exceptions=True)
        # Every team's session is written before the server goes.
        await self.hub.close()
        for session in sessions:
            session.end(b"The workshop has ended. Your work is saved.", 0)
        pending = [t for t in self._tasks if not t.done()]
        if pending:
            await asyncio.wait(pending, timeout=5)
        if self._forks is not None:
            await self._forks.close()
        clear_status(self.config.sessions_dir)
        shutil.rmtree(self._home, ignore_errors=True)
