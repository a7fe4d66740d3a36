"""The server's host key: made once, kept private, reused so clients can pin it."""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh


def load_or_create_host_key(path: Path) -> asyncssh.SSHKey:
    if path.exists():
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            # Someone widened it: tighten rather than serve with a readable private key.
            os.chmod(path, 0o600)
        return asyncssh.read_private_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = asyncssh.generate_private_key("ssh-ed25519")
    data = key.export_private_key()
    # O_EXCL with 0600 from the first byte: the key is never briefly readable by others.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return key


def fingerprint(key: asyncssh.SSHKey) -> str:
    return key.get_fingerprint("sha256")
