"""Making participant text safe to show: no raw control characters, no escape sequences.

Answers come from pastes, hand-edited files and SSH clients; any of them may carry ANSI
escapes or C0/C1 control characters that would rewrite another person's terminal.
"""

from __future__ import annotations

import re

# ESC-initiated sequences (CSI, OSC, and two-byte escapes) first, so their parameters go
# with them, then any remaining C0/C1 control character and DEL.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL / ST
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_NO_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters that draw nothing but change how the text around them reads: bidirectional
# embeddings, overrides and isolates (a "Trojan Source" title can read backwards), marks,
# and zero-width spaces/joiners (two names that look the same). Only stripped for display.
_INVISIBLE = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")
_SPACES = re.compile(r"\s+")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def strip_controls(text: str, *, keep_newlines: bool = True) -> str:
    """Remove escape sequences and control characters; keep tabs and (optionally) newlines."""
    text = _ESCAPES.sub("", text)
    if keep_newlines:
        return _CONTROLS.sub("", text)
    return _CONTROLS_NO_NEWLINE.sub(" ", text.replace("\t", " "))


def for_display(text: str, *, keep_newlines: bool = True) -> str:
    """Text as it may reach a terminal, whatever its source (a file, a paste, a peer).

    Escape sequences, C0/C1 controls, bidirectional overrides and zero-width characters
    are removed; tabs and (optionally) newlines stay. Only what is *shown* goes through
    this: the session keeps its text as the file has it until the user edits it.
    """
    return _INVISIBLE.sub("", strip_controls(text, keep_newlines=keep_newlines))


def one_line(text: str, limit: int | None = 60) -> str:
    """Text for a single line: cleaned for display, whitespace folded, cut at `limit` chars."""
    text = _SPACES.sub(" ", for_display(text, keep_newlines=False)).strip()
    if limit is not None and len(text) > limit:
        return text[: max(limit - 1, 1)].rstrip() + "…"
    return text


def one_line_middle(text: str, limit: int) -> str:
    """`one_line`, cut in the middle rather than at the end: ids that differ only at the end
    ("harbor-coffee", "harbor-coffee-copy") stay apart in a narrow column."""
    text = one_line(text, None)
    if len(text) <= limit:
        return text
    tail = (limit - 1) // 2
    if tail < 2:
        return one_line(text, limit)
    return text[: limit - 1 - tail] + "…" + text[-tail:]


def is_blank(value: str | None) -> bool:
    """The spec's "absent or blank": None, empty, or whitespace only."""
    return value is None or not value.strip()


def visible(text: str) -> str:
    """Control characters as `\\uXXXX`: for error messages that quote a bad value verbatim."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def cursor_after_change(old: str, new: str, cursor: int) -> int:
    """Where a cursor at `cursor` in `old` belongs once the text reads `new` (a teammate's
    change): text changed before it moves it along, text changed after it does not.

    The change is taken as one edit between the texts' common start and common end.
    """
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    if cursor <= start:
        return cursor
    if cursor >= len(old) - end:
        return cursor + len(new) - len(old)
    return len(new) - end  # inside what was replaced: after the new text


def cells(text: str) -> int:
    """The columns a terminal gives `text`: wide (W, F) characters such as most emoji and
    CJK take two, combining marks none (for aligned columns in the CLI's tables)."""
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width
