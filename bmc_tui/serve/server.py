"""Starting and stopping the SSH listener around a `Workshop`."""

from __future__ import annotations

import asyncssh

from .gate import Gate
from .workshop import Workshop


async def start_server(workshop: Workshop, host_key: asyncssh.SSHKey) -> asyncssh.SSHAcceptor:
    config = workshop.config
    keys = None
    if config.authorized_keys:
        keys = asyncssh.read_authorized_keys(str(config.authorized_keys))
    acceptor = await asyncssh.create_server(
        lambda: Gate(workshop, keys),
        config.host,
        config.port,
        server_host_keys=[host_key],
        encoding=None,
        line_editor=False,
        allow_pty=True,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_scp=False,
        login_timeout=config.login_timeout,
        keepalive_interval=config.keepalive_interval,
        keepalive_count_max=config.keepalive_count_max,
    )
    workshop.port = acceptor.get_port()
    await workshop.start()
    return acceptor
