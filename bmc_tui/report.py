"""`bmc-tui check` and `bmc-tui list`: findings and sessions for people (text) and tools (JSON).

Every piece of participant text printed here goes through `one_line`, so an answer holding
escape sequences can never reach the reader's terminal raw.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .model import VERSION
from .rules import SEVERITIES, Finding, counts, evaluate
from .sessionfile import StoreError, load_session
from .text import cells, one_line

FAIL_LEVELS = {"error": 0, "warning": 1, "info": 2, "never": -1}
_HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Not done yet"}
_MARKS = {"error": "✗", "warning": "!", "info": "·"}
_COLOURS = {"error": "31", "warning": "33", "info": "36", "dim": "2", "bold": "1"}


class Painter:
    """ANSI colour only on a terminal, and never when NO_COLOR is set."""

    def __init__(self, stream: TextIO) -> None:
        self.enabled = (
            stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        )

    def __call__(self, text: str, style: str) -> str:
        if not self.enabled:
            return text
        return f"\x1b[{_COLOURS[style]}m{text}\x1b[0m"


_RAW_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def write_json(document: Any, out: TextIO) -> None:
    """JSON with non-ASCII text kept readable, but no raw control character at all.

    `json` escapes C0 controls only; DEL and the C1 controls (0x9b is a one-byte CSI to
    some terminals) would reach the reader raw, so they are escaped too. Both forms are
    the same JSON string, so ids in `refs` stay exact.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False)
    out.write(_RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(c: dict[str, int]) -> str:
    errors, warnings = plural(c["error"], "error"), plural(c["warning"], "warning")
    return f"{errors}, {warnings}, {c['info']} not done yet"


def format_findings_text(
    label: str, title: str, findings: Sequence[Finding], paint: Painter
) -> str:
    lines = [f"{paint(one_line(label, None), 'bold')}  {one_line(title, 60)}"]
    c = counts(findings)
    if not findings:
        lines.append("  aligned: no findings")
        return "\n".join(lines)
    lines.append(f"  {summary_line(c)}")
    width = max(len(f.rule) for f in findings)
    for severity in SEVERITIES:
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        lines.append(f"  {paint(_HEADINGS[severity], severity)}")
        for f in group:
            mark = paint(_MARKS[severity], severity)
            lines.append(
                f"    {mark} {paint(f.rule.ljust(width), 'dim')}  {one_line(f.message, 200)}"
            )
    return "\n".join(lines)


def run_check(files: Sequence[str], fmt: str, fail_on: str, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    paint = Painter(out)
    results: list[dict[str, Any]] = []
    unreadable = False
    worst = len(SEVERITIES)
    blocks: list[str] = []
    for name in files:
        try:
            session = load_session(Path(name))
        except StoreError as error:
            unreadable = True
            message = one_line(str(error), None)
            results.append({"file": name, "error": message})
            heading = paint(one_line(name, None), "bold")
            blocks.append(f"{heading}\n  {paint('cannot read:', 'error')} {message}")
            continue
        findings = evaluate(session)
        for f in findings:
            worst = min(worst, SEVERITIES.index(f.severity))
        results.append(
            {"file": name, "id": session.id, "findings": [f.as_json() for f in findings]}
        )
        blocks.append(format_findings_text(name, session.title, findings, paint))
    if fmt == "json":
        write_json(results, out)
    else:
        out.write("\n\n".join(blocks) + "\n")
    if unreadable:
        return 2
    level = FAIL_LEVELS[fail_on]
    return 1 if level >= 0 and worst <= level else 0


def run_list(sessions_dir: Path, fmt: str, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    from .store import Store  # `check` never needs the store: see sessionfile.py

    listings = Store(sessions_dir).list()
    rows: list[dict[str, Any]] = []
    for entry in listings:
        if entry.session is None:
            rows.append({"file": str(entry.path), "error": one_line(entry.error or "", None)})
            continue
        s = entry.session
        row: dict[str, Any] = {
            "file": str(entry.path),
            "id": s.id,
            "title": s.title,
            "step": s.step,
            "updated": s.updated.isoformat() if s.updated else None,
        }
        if s.version > VERSION:
            # Listed, since the workshop opens it read-only; but read only as far as this
            # version understands it, so no findings are counted (`check` refuses it).
            row.update(dict.fromkeys(("errors", "warnings", "info")))
            row["note"] = f"written by a newer bmc-tui (version {s.version}): opens read-only"
        else:
            c = counts(evaluate(s))
            row.update(errors=c["error"], warnings=c["warning"], info=c["info"])
        rows.append(row)
    if fmt == "json":
        write_json(rows, out)
    else:
        _print_table(rows, out)
    bad = [r for r in rows if "error" in r]
    for row in bad:
        print(f"bmc-tui: {row['error']}", file=sys.stderr)
    return 2 if bad else 0


def _print_table(rows: list[dict[str, Any]], out: TextIO) -> None:
    good = [r for r in rows if "error" not in r]
    if not good:
        out.write('No sessions yet. Create one with: bmc-tui new "Your business"\n')
        return
    noted = any("note" in r for r in good)
    table = [("ID", "TITLE", "STEP", "UPDATED", "ERR", "WARN") + (("NOTE",) if noted else ())]
    for r in good:
        updated = (r["updated"] or "")[:16].replace("T", " ")
        table.append(
            (
                r["id"],
                one_line(r["title"], 40),
                r["step"] or "-",
                updated or "-",
                "-" if r["errors"] is None else str(r["errors"]),
                "-" if r["warnings"] is None else str(r["warnings"]),
            )
            + ((r.get("note", ""),) if noted else ())
        )
    # By the columns the terminal draws, not characters: an emoji in a title takes two.
    widths = [max(cells(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        padded = (cell + " " * (widths[i] - cells(cell)) for i, cell in enumerate(row))
        out.write("  ".join(padded).rstrip() + "\n")
