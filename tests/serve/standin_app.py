"""A stand-in for `bmc-tui open PATH --participant` while the app is being written.

It behaves like the app where the server can tell: holds the session's lock, saves on
every key, reports its window size, leaves on SIGHUP.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import sys
import termios
import tty
from pathlib import Path

from bmc_tui.store import Store


def main() -> None:
    path = Path(sys.argv[1])
    store = Store(path.parent)
    handle = store.open(path)
    answers = handle.session.social.answers
    tty.setraw(0)

    def say(text: str) -> None:
        os.write(1, text.encode())

    def size(*_: object) -> None:
        rows, cols = struct.unpack("HHHH", fcntl.ioctl(0, termios.TIOCGWINSZ, b"\0" * 8))[:2]
        say(f"\r\nsize={cols}x{rows}\r\n")

    signal.signal(signal.SIGWINCH, size)
    signal.signal(signal.SIGHUP, lambda *_: os._exit(0))
    say(f"\x1b[2J\x1b[HWorkshop: {handle.session.title} [{handle.read_only or 'writable'}]\r\n")
    say(f"answer={answers.get('standin', '')}\r\n")
    while True:
        data = os.read(0, 4096)
        if not data or b"\x11" in data:
            break
        text = data.decode("utf-8", "replace")
        answers["standin"] = answers.get("standin", "") + text
        if handle.writable:
            store.save(handle)
        say(text)


if __name__ == "__main__":
    main()
