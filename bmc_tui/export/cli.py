"""`bmc-tui export` and `bmc-tui diff`.

Errors are StoreError (or its subclass ExportError): `bmc_tui.cli.main` prints them as
one line naming the file and exits 2. Both commands only read sessions, so a file written
by a newer bmc-tui is read as far as this version understands it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from ..store import Store, StoreError, load_session
from . import render, write_text

EXIT_OK = 0


def wants_colour(stream: TextIO) -> bool:
    """Colour only for a terminal, and never with NO_COLOR set or TERM=dumb."""
    isatty = getattr(stream, "isatty", None)
    return (
        bool(isatty and isatty())
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM") != "dumb"
    )


def run_export(args: argparse.Namespace, sessions_dir: Path) -> int:
    room: str | None = getattr(args, "room", None)
    if (room is None) == (args.session is None):
        raise StoreError(
            "export: name one session, or give --room DIR for the room report (not both)"
        )
    if room is not None:
        from ..store import slugify
        from .room import read_room_report, render_room

        report = read_room_report(Path(room))
        text = render_room(report, args.format)
        default = f"{slugify(report.folder)}-room.html"
        for entry in report.unreadable:
            print(
                f"bmc-tui: {entry.file}: unreadable, listed as such: {entry.error}", file=sys.stderr
            )
    else:
        path = Store(sessions_dir).locate_existing(args.session)
        session = load_session(path, allow_newer=True)
        text = render(session, args.format)
        default = f"{session.id}.html"
    output: str | None = args.output
    if output == "-" or (output is None and args.format != "html"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    target = Path(output) if output else Path(default)
    replaced = output is None and target.exists()
    write_text(target, text)
    note = " (replacing the previous export)" if replaced else ""
    print(f"bmc-tui: wrote {target}{note}", file=sys.stderr)
    return EXIT_OK


def run_diff(args: argparse.Namespace, sessions_dir: Path) -> int:
    from .diff import Paint, diff_json, diff_sessions, format_text

    store = Store(sessions_dir)
    old = load_session(store.locate_existing(args.old), allow_newer=True)
    new = load_session(store.locate_existing(args.new), allow_newer=True)
    result = diff_sessions(old, new)
    if args.format == "json":
        from .jsonexport import dumps

        sys.stdout.write(dumps(diff_json(result, args.old, args.new)))
    else:
        sys.stdout.write(format_text(result, args.old, args.new, Paint(wants_colour(sys.stdout))))
    sys.stdout.flush()
    return EXIT_OK
