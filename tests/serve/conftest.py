from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .helpers import Server, in_sessions, start_server, wait_until


@pytest.fixture
def serve(tmp_path: Path, sessions_dir: Path) -> Iterator[Callable[..., Server]]:
    """Start servers on free loopback ports; stop them after the test, leaving no process."""
    started: list[Server] = []

    def start(*args: str) -> Server:
        server = start_server(
            sessions_dir, *args, stderr_path=tmp_path / f"serve{len(started)}.log"
        )
        started.append(server)
        return server

    yield start
    for server in started:
        if server.proc.poll() is None:
            assert server.stop() == 0
        wait_until(lambda s=server: not in_sessions(s.seen_sessions), 10, "no orphans")


@pytest.fixture
def client_key(tmp_path: Path) -> tuple[Path, Path]:
    """A key pair for the real ssh client, and an authorized_keys file listing it."""
    key = tmp_path / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=10
    )
    authorized = tmp_path / "authorized_keys"
    authorized.write_text(key.with_suffix(".pub").read_text())
    return key, authorized
