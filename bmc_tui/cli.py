"""The `bmc-tui` command line.

Start-up matters here: `check` and `list` run in scripts and CI, so this module imports
only the standard library at the top; the core is imported per command, and Textual only
by the commands that open the TUI.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_COMMANDS = frozenset({"check", "list", "new", "examples", "open", "export", "diff", "serve"})


def _terminal_columns() -> int:
    """What `shutil.get_terminal_size` would say, without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    # argparse's own formatter imports shutil (and with it bz2, lzma and zlib: ~2.5 ms,
    # a tenth of `check`'s own start-up) only to read the terminal's width.
    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_columns() - 2)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        # One line, exit 2: a wrong command line is an error like an unreadable file.
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _duration(text: str) -> int:
    """'90s', '10m', '1h' or plain minutes, as seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    text = text.strip().lower()
    try:
        if text and text[-1] in units:
            value = float(text[:-1]) * units[text[-1]]
        else:
            value = float(text) * 60
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (try 10m or 90s)") from None
    if not 0 < value <= 24 * 3600:
        raise argparse.ArgumentTypeError(f"duration out of range: {text!r}")
    return int(value)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `only`, just that one command's subparser.

    `main` passes `only` when the first argument names a command, so `check` and `list`
    do not pay for building eight subparsers they never use (argparse calls gettext for
    every parser and argument: a few ms of every scripted run). The parse is the same:
    the other commands could not have matched anyway.
    """

    def wanted(command: str) -> bool:
        return only is None or only == command

    common = _Parser(add_help=False)
    common.add_argument(
        "--sessions-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the sessions folder (default: $BMC_TUI_SESSIONS, else ./sessions)",
    )
    tui = _Parser(add_help=False)
    tui.add_argument(
        "--timebox",
        metavar="DURATION",
        type=_duration,
        default=argparse.SUPPRESS,
        help="a countdown per step, e.g. 10m",
    )
    tui.add_argument(
        "--theme",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="a Textual theme name (remembered in the sessions folder)",
    )

    parser = _Parser(
        prog="bmc-tui",
        description="A terminal workshop for the social business model, the Business Model "
        "Canvas, core practices, marketing strategy and plan. With no command, opens the "
        "workshop on the sessions folder.",
        parents=[common, tui],
    )
    parser.add_argument("--version", action="version", version=f"bmc-tui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    if wanted("check"):
        check = sub.add_parser(
            "check",
            parents=[common],
            help="report the misalignments of session files",
            description="Report every finding of the alignment rules for each file.",
        )
        check.add_argument("files", nargs="+", metavar="FILE")
        check.add_argument("--format", choices=("text", "json"), default="text")
        check.add_argument(
            "--fail-on",
            choices=("error", "warning", "info", "never"),
            default="error",
            help="exit 1 when a finding reaches this severity (default: error)",
        )

    if wanted("list"):
        listing = sub.add_parser(
            "list",
            parents=[common],
            help="list the sessions in the folder",
            description="List the sessions of the sessions folder.",
        )
        listing.add_argument("--format", choices=("text", "json"), default="text")

    if wanted("new"):
        new = sub.add_parser(
            "new",
            parents=[common, tui],
            help="create a session",
            description="Create a session file and print its path. On a terminal, "
            "it then opens the workshop on it (unless --no-open).",
        )
        new.add_argument("title", metavar="TITLE")
        new.add_argument("--id", metavar="ID", help="the session id (default: made from the title)")
        new.add_argument(
            "--example",
            metavar="NAME",
            help="start from a shipped example (see `bmc-tui examples`)",
        )
        new.add_argument("--no-open", action="store_true", help="only create the file")

    if wanted("examples"):
        sub.add_parser(
            "examples",
            help="list the shipped example sessions",
            description="List the example sessions shipped with bmc-tui.",
        )

    if wanted("open"):
        opener = sub.add_parser(
            "open",
            parents=[common, tui],
            help="open a session in the workshop",
            description="Open a session (an id in the folder, or a path).",
        )
        opener.add_argument("session", metavar="ID|PATH")
        opener.add_argument("--read-only", action="store_true", help="never write the file")
        # Used by `bmc-tui serve` for each participant: one session, no way to reach the others.
        opener.add_argument("--participant", action="store_true", help=argparse.SUPPRESS)
        # And how that participant fetches a copy of it (`ssh -p PORT NAME@HOST`).
        opener.add_argument("--take-home", metavar="SSH", help=argparse.SUPPRESS)
        # Used by `bmc-tui serve` for a team member: the team hub's socket (the launch's
        # secret comes in BMC_TUI_TEAM_SECRET, never on a command line others can read).
        opener.add_argument("--team", metavar="SOCKET", help=argparse.SUPPRESS)

    if wanted("export"):
        export = sub.add_parser(
            "export",
            parents=[common],
            help="export a session as md, html or json",
            description="Export a session (an id in the folder, or a path), or with --room "
            "the room report of a whole workshop folder.",
        )
        export.add_argument("session", metavar="SESSION", nargs="?")
        export.add_argument(
            "--room",
            metavar="DIR",
            help="the room report: every session of the folder side by side",
        )
        export.add_argument("--format", choices=("md", "html", "json"), default="md")
        export.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="where to write (default: stdout for md/json, <id>.html or "
            "<folder>-room.html for html)",
        )

    if wanted("diff"):
        diff = sub.add_parser(
            "diff",
            parents=[common],
            help="what changed between two sessions",
            description="Compare two sessions (ids or paths): items, links, findings.",
        )
        diff.add_argument("old", metavar="A")
        diff.add_argument("new", metavar="B")
        diff.add_argument("--format", choices=("text", "json"), default="text")

    if wanted("serve"):
        serve = sub.add_parser(
            "serve",
            parents=[common],
            help="run a workshop over SSH",
            description="Serve the workshop over SSH: one session per participant.",
        )
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=2222)
        codes = serve.add_mutually_exclusive_group()
        codes.add_argument("--passcode", metavar="CODE")
        codes.add_argument("--passcode-file", metavar="FILE")
        fcodes = serve.add_mutually_exclusive_group()
        fcodes.add_argument("--facilitator-passcode", metavar="CODE")
        fcodes.add_argument("--facilitator-passcode-file", metavar="FILE")
        serve.add_argument("--authorized-keys", metavar="FILE")
        serve.add_argument(
            "--open",
            action="store_true",
            help="no authentication (refused on any host but loopback)",
        )
        serve.add_argument("--max-participants", type=int, default=60, metavar="N")
        serve.add_argument("--idle-timeout", type=_duration, default=30 * 60, metavar="DURATION")
        serve.add_argument(
            "--host-key",
            metavar="FILE",
            help="the server's host key (default: <sessions-dir>/.ssh_host_ed25519_key)",
        )
        serve.add_argument(
            "--timebox",
            metavar="DURATION",
            type=_duration,
            default=None,
            help="a countdown per step for every participant",
        )
        serve.add_argument(
            "--roster",
            metavar="FILE",
            help="teams (and expected people) as TOML: people = [...], [[teams]] name, members",
        )
    return parser


def _open_tui(
    args: argparse.Namespace, sessions_dir: Path, session_path: Path | None, read_only: bool = False
) -> int:
    from .app import run_app

    team = getattr(args, "team", None)
    return run_app(
        sessions_dir=sessions_dir,
        session_path=session_path,
        read_only=read_only,
        participant=getattr(args, "participant", False),
        take_home=getattr(args, "take_home", None),
        timebox=getattr(args, "timebox", None),
        theme=getattr(args, "theme", None),
        team_socket=Path(team) if team else None,
        team_secret=os.environ.pop("BMC_TUI_TEAM_SECRET", None) if team else None,
        notice=os.environ.pop("BMC_TUI_NOTICE", None) if team else None,
    )


def _err(message: str) -> None:
    from .text import one_line

    print(f"bmc-tui: {one_line(message, None)}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv and argv[0] in _COMMANDS else None)
    args = parser.parse_args(argv)
    from .sessionfile import StoreError, resolve_sessions_dir

    sessions_dir = resolve_sessions_dir(getattr(args, "sessions_dir", None))
    try:
        if args.command == "check":
            from .report import run_check

            return run_check(args.files, args.format, args.fail_on)
        if args.command == "list":
            from .report import run_list

            return run_list(sessions_dir, args.format)
        if args.command == "examples":
            from .examples import list_examples

            for name, session in list_examples():
                print(f"{name:<14} {session.title}")
            return EXIT_OK
        if args.command == "new":
            return _new(args, sessions_dir)
        if args.command == "open":
            from .store import Store

            path = Store(sessions_dir).locate_existing(args.session)
            if not path.is_file():
                if os.path.lexists(path):
                    from .sessionfile import read_file

                    read_file(path)  # raises why: a FIFO, a folder, a link to nothing
                raise StoreError(f"{path}: no such session")
            return _open_tui(args, sessions_dir, path, read_only=args.read_only)
        if args.command is None:
            return _open_tui(args, sessions_dir, None)
        if args.command == "export":
            from .export.cli import run_export

            return run_export(args, sessions_dir)
        if args.command == "diff":
            from .export.cli import run_diff

            return run_diff(args, sessions_dir)
        if args.command == "serve":
            from .serve.cli import run_serve

            return run_serve(args, sessions_dir)
        parser.error(f"unknown command {args.command!r}")
    except StoreError as error:
        _err(str(error))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`bmc-tui list | head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _new(args: argparse.Namespace, sessions_dir: Path) -> int:
    from .store import Store, StoreError

    template = None
    if args.example:
        from .examples import load_example

        try:
            template = load_example(args.example)
        except KeyError:
            raise StoreError(f"no example called {args.example!r} (see bmc-tui examples)") from None
    if not args.title.strip():
        raise StoreError("a session needs a title")
    store = Store(sessions_dir)
    handle = store.create(args.title.strip(), args.id, template=template)
    store.close(handle)
    print(handle.path)
    interactive = sys.stdin.isatty() and sys.stdout.isatty() and not os.environ.get("CI")
    if args.no_open or not interactive:
        return EXIT_OK
    return _open_tui(args, sessions_dir, handle.path)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
