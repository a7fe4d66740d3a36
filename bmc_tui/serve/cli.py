"""`bmc-tui serve`: check the settings, print how to connect, serve until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys
from pathlib import Path

from .config import FACILITATOR, ConfigError, ServeConfig, config_from_args

log = logging.getLogger("bmc_tui.serve")


def setup_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    root = logging.getLogger("bmc_tui")
    if not root.handlers:
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    # asyncssh logs every packet-level event at INFO; the room only needs its warnings.
    logging.getLogger("asyncssh").setLevel(logging.WARNING)


def _banner(config: ServeConfig, port: int, fingerprint: str) -> str:
    host = config.host
    listening = f"[{host}]" if ":" in host else host
    # On every interface, people need a name they can reach, not 0.0.0.0.
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else listening
    lines = [
        f"bmc-tui workshop on {listening}:{port}",
        f"Host key {fingerprint}",
        f"Participants: ssh -p {port} NAME@{shown}   (NAME: your own name; in a team too)",
    ]
    if config.open:
        lines.append("  no passcode (--open)")
    elif config.passcode is not None:
        lines.append("  with the workshop passcode")
    if config.authorized_keys:
        lines.append(f"  keys in {config.authorized_keys} are let in")
    lines.append(f"Take-home copy: ssh -p {port} NAME@{shown} export --format html > NAME.html")
    lines.append(f"Facilitator:  ssh -p {port} {FACILITATOR}@{shown}")
    if config.facilitator_passcode_generated:
        lines.append(f"  facilitator passcode (made for this run): {config.facilitator_passcode}")
    lines.append(f"Sessions in {config.sessions_dir}. Ctrl+C stops the workshop.")
    return "\n".join(lines)


async def serve(config: ServeConfig) -> int:
    """Serve until SIGINT or SIGTERM, then end every child before returning."""
    import asyncssh

    from .hostkey import fingerprint, load_or_create_host_key
    from .server import start_server
    from .workshop import Workshop

    try:
        key = load_or_create_host_key(config.host_key_path)
    except (OSError, asyncssh.KeyImportError) as error:
        print(f"bmc-tui: {config.host_key_path}: cannot use the host key: {error}", file=sys.stderr)
        return 2
    workshop = Workshop(config)
    try:
        acceptor = await start_server(workshop, key)
    except OSError as error:
        where = f"{config.host}:{config.port}"
        print(f"bmc-tui: cannot listen on {where}: {error.strerror}", file=sys.stderr)
        await workshop.shutdown()
        return 2
    print(_banner(config, workshop.port, fingerprint(key)), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        log.info("stopping: ending every participant's process")
        acceptor.close()
        await workshop.shutdown()
    return 0


def run_serve(args: argparse.Namespace, sessions_dir: Path) -> int:
    # Participants' work is theirs: every file and folder the server and its children
    # make (sessions, backups, exports, settings) is for this user only. Children inherit it.
    os.umask(0o077)
    try:
        config = config_from_args(args, sessions_dir)
        config.sessions_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except ConfigError as error:
        print(f"bmc-tui: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"bmc-tui: {sessions_dir}: {error.strerror}", file=sys.stderr)
        return 2
    setup_logging()
    if config.sessions_dir.stat().st_mode & 0o077:
        log.warning(
            "%s can be read by other users of this machine; `chmod 700` it to keep the "
            "participants' work private",
            config.sessions_dir,
        )
    return asyncio.run(serve(config))
