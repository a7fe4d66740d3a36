"""The server's settings, checked once at start-up so a bad combination never half-starts."""

from __future__ import annotations

import argparse
import ipaddress
import secrets
from dataclasses import dataclass
from pathlib import Path

FACILITATOR = "facilitator"
HOST_KEY_NAME = ".ssh_host_ed25519_key"
MAX_PASSCODE_BYTES = 1024


class ConfigError(Exception):
    """A one-line reason the server will not start."""


@dataclass(frozen=True)
class ServeConfig:
    sessions_dir: Path
    host: str = "127.0.0.1"
    port: int = 2222
    passcode: str | None = None
    facilitator_passcode: str = ""
    facilitator_passcode_generated: bool = False
    authorized_keys: Path | None = None
    open: bool = False
    max_participants: int = 60
    idle_timeout: float = 30 * 60
    host_key: Path | None = None
    timebox: int | None = None
    # From the TCP connection to a finished login: enough to type a passcode, short enough
    # that idle connections do not pile up.
    login_timeout: float = 30.0
    keepalive_interval: float = 30.0
    keepalive_count_max: int = 3
    # New connections one address may open per minute: a table of teams behind one NAT
    # must fit, a script hammering the port must not.
    connections_per_address: int = 120
    # Wrong passcodes: a connection is closed after this many, one guess at a time...
    auth_attempts: int = 3
    # ...and an address (or everyone, but those who logged in before) that keeps guessing is
    # locked out for a while: a table mistyping stays well under these.
    failures_per_address: int = 20
    failures_total: int = 200
    failure_window: float = 10 * 60
    lockout: float = 10 * 60
    # Connections not logged in yet, per address and in total; a few more places are
    # kept for the facilitator. Refused ones are closed after `refused_grace` seconds.
    unauthenticated_per_address: int = 20
    unauthenticated_total: int = 64
    facilitator_reserve: int = 4
    refused_grace: float = 5.0
    # Input per participant: far above any typing, enough for a pasted answer.
    input_rate: float = 16 * 1024
    input_burst: float = 64 * 1024
    # "fork": children are forked from a process that has imported the app (fast start,
    # shared memory); "exec": a fresh interpreter each.
    launcher: str = "fork"
    # Teams declared before the workshop (see teams.py); None: teams start empty.
    roster: Path | None = None

    @property
    def connection_cap(self) -> int:
        """Logged-in participant connections at once: room for everyone twice over (a
        takeover overlaps). Those still logging in are counted apart (`Admission`)."""
        return self.max_participants * 2 + 16

    @property
    def host_key_path(self) -> Path:
        return self.host_key or self.sessions_dir / HOST_KEY_NAME


def _read_secret(path: str, what: str) -> str:
    try:
        data = Path(path).read_bytes()[: MAX_PASSCODE_BYTES + 1]
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the {what}: {error.strerror}") from None
    text = data.decode("utf-8", "replace").strip()
    if not text:
        raise ConfigError(f"{path}: the {what} file is empty")
    return text


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def config_from_args(args: argparse.Namespace, sessions_dir: Path) -> ServeConfig:
    passcode = args.passcode
    if args.passcode_file:
        passcode = _read_secret(args.passcode_file, "passcode")
    facilitator = args.facilitator_passcode
    if args.facilitator_passcode_file:
        facilitator = _read_secret(args.facilitator_passcode_file, "facilitator passcode")
    if passcode is not None and not passcode.strip():
        raise ConfigError("the passcode is empty")
    if facilitator is not None and not facilitator.strip():
        raise ConfigError("the facilitator passcode is empty")
    if facilitator is not None and passcode is not None and facilitator == passcode:
        raise ConfigError("the facilitator passcode must differ from the participants' one")
    keys = Path(args.authorized_keys) if args.authorized_keys else None
    if keys is not None and not keys.is_file():
        raise ConfigError(f"{keys}: no such authorized keys file")
    if args.open and not is_loopback(args.host):
        raise ConfigError(
            f"--open (no authentication) is only allowed on loopback, not on {args.host}; "
            "use --passcode or --authorized-keys"
        )
    if not args.open and passcode is None and keys is None:
        raise ConfigError(
            "participants need a way in: give --passcode, --passcode-file or "
            "--authorized-keys (or --open on 127.0.0.1 for a private test)"
        )
    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port {args.port}: not a port number")
    if args.max_participants < 1:
        raise ConfigError("--max-participants must be at least 1")
    generated = facilitator is None
    roster = Path(args.roster) if getattr(args, "roster", None) else None
    if roster is not None:
        from .teams import RosterError, read_roster

        try:
            read_roster(roster)  # said now, in one line, not when the first person connects
        except RosterError as error:
            raise ConfigError(str(error)) from None
    return ServeConfig(
        sessions_dir=sessions_dir,
        host=args.host,
        port=args.port,
        passcode=passcode,
        facilitator_passcode=facilitator or secrets.token_urlsafe(9),
        facilitator_passcode_generated=generated,
        authorized_keys=keys,
        open=args.open,
        max_participants=args.max_participants,
        idle_timeout=float(args.idle_timeout),
        host_key=Path(args.host_key) if args.host_key else None,
        timebox=args.timebox,
        roster=roster,
    )
