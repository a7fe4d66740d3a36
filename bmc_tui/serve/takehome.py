"""`ssh NAME@HOST export --format html > copy.html`: the one command the server runs.

The command arrives as one string that no shell ever sees. It is read here, strictly: a
short string of plain characters, split on spaces, then a fixed grammar,

    export [NAME] [--format md|html|json]          (a participant: NAME is optional)
    export NAME|--room [--format md|html|json]     (the facilitator)

and anything else is refused with one line saying what was wrong and what would work.
Which sessions a name may fetch is `access.access_for`'s decision, not this module's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from ..model import ID_PATTERN
from ..text import one_line, visible

FORMATS: Final = ("md", "html", "json")
MAX_COMMAND: Final = 200
# Characters a shell would act on. No shell runs here, but a command carrying one was
# written for a shell (`export; id`, `export > x`, `$(...)`): refusing it says so clearly.
SHELL_CHARACTERS: Final = frozenset(";|&$`<>()\\'\"*?!{}[]#~\n\r")
_NAME = re.compile(ID_PATTERN)
_PLAIN = re.compile(r"[ -~]*")  # printable ASCII: the whole grammar is written in it


class BadCommand(ValueError):
    """Why an exec request is refused, in one line for the person who typed it."""


@dataclass(frozen=True)
class ExportRequest:
    fmt: str = "md"
    session: str | None = None  # None: the caller's own session (or the room, with room)
    room: bool = False


def usage(facilitator: bool) -> str:
    if facilitator:
        return "export NAME --format html > NAME.html, or export --room --format html > room.html"
    return "export --format html > copy.html (or md, json)"


def parse_command(command: str, *, facilitator: bool) -> ExportRequest:
    """The export a command asks for, or BadCommand with the reason in one line."""
    use = usage(facilitator)
    if len(command) > MAX_COMMAND:
        raise BadCommand(f"The command is too long. The one command here is: {use}")
    if not _PLAIN.fullmatch(command):
        raise BadCommand(f"Only plain letters, digits and - are understood here. Use: {use}")
    shell = next((ch for ch in command if ch in SHELL_CHARACTERS), None)
    if shell is not None:
        shown = visible(shell)
        raise BadCommand(f'No shell runs here, so "{shown}" is refused. The one command is: {use}')
    words = command.replace("\t", " ").split()
    if not words or words[0] != "export":
        raise BadCommand(
            "This server only runs the workshop (connect without a command) and one command: " + use
        )
    fmt: str | None = None
    name: str | None = None
    room = False
    rest = iter(words[1:])
    for word in rest:
        if word == "--format" or word.startswith("--format="):
            if fmt is not None:
                raise BadCommand(f"--format is given twice. Use: {use}")
            value = word.partition("=")[2] if "=" in word else next(rest, "")
            if value not in FORMATS:
                shown = f' "{one_line(value, 20)}"' if value else ""
                raise BadCommand(f"--format{shown}: choose md, html or json. Use: {use}")
            fmt = value
        elif word == "--room":
            if not facilitator:
                raise BadCommand("--room (the room report) is for the facilitator.")
            room = True
        elif word.startswith("-"):
            raise BadCommand(f'Unknown option "{one_line(word, 30)}". Use: {use}')
        elif not _NAME.fullmatch(word):
            raise BadCommand(f'"{one_line(word, 30)}" is not a session name. Use: {use}')
        elif name is not None:
            raise BadCommand(f"One session at a time. Use: {use}")
        else:
            name = word
    if room and name is not None:
        raise BadCommand(f"A session name or --room, not both. Use: {use}")
    if facilitator and not room and name is None:
        raise BadCommand(f"Which session? Use: {use}")
    return ExportRequest(fmt or "md", name, room)


def ssh_command(port: int, user: str, host: str) -> str:
    """`ssh -p PORT NAME@HOST`: how a person reaches this server (for the hints shown).

    `user` is the name's slug (plain letters, digits and -), so the command can be typed
    as shown in any shell.
    """
    where = f"{user}@{host}"
    return f"ssh {where}" if port == 22 else f"ssh -p {port} {where}"
