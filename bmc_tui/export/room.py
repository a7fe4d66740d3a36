"""The room report: every session of a workshop folder on one page, side by side.

What it says is built once, as the report's document tree (`_doc`), and drawn by the
single-session exporters' own renderers: the Markdown report's blocks, the HTML page's
blocks and canvas picture (one printed landscape page per session), the JSON export's
session document. A file that cannot be read as a session is listed as unreadable; the
others are reported all the same.

Votes come from the room file when it holds any (the dashboard's dot votes); a room file
without votes, or a bmc-tui without voting, gives a report without that section.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from ..model import BLOCK_TITLES, BLOCKS, STEP_TITLES, Session
from ..progress import WORK_STEPS, overall, step_progress
from ..report import plural
from ..room import read_room
from ..rules import Finding, counts, evaluate
from ..store import Store
from ..text import one_line
from ..votes import Vote
from . import _common as c
from ._doc import Block, Bullets, Heading, Inline, Note, Para, Table

# Column heads of the comparison table: short, so nine blocks fit a landscape page.
BLOCK_HEADS: Final = {
    "customer_segments": "Segments",
    "value_propositions": "Propositions",
    "channels": "Channels",
    "customer_relationships": "Relationships",
    "revenue_streams": "Revenue",
    "key_activities": "Activities",
    "key_resources": "Resources",
    "key_partnerships": "Partners",
    "cost_structure": "Costs",
}

# Added to the single-session page's stylesheet: the tables first, then each session's
# canvas on a printed page of its own (landscape, as the single-session page prints it).
ROOM_CSS: Final = """
.room-summary table { font-size: .82rem; }
@media print {
  .room .canvas-page { break-before: page; page-break-before: always; }
  .room-summary table { font-size: 7.5pt; }
}
"""


@dataclass(frozen=True)
class Entry:
    """One `*.toml` file of the folder: its session and findings, or why it is unreadable."""

    file: str
    session: Session | None = None
    error: str | None = None
    findings: tuple[Finding, ...] = ()
    progress: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)


@dataclass(frozen=True)
class VoteView:
    title: str
    rules: str
    closed: bool
    voters: int
    rows: tuple[tuple[str, str, int], ...]  # (item, session, dots), most dots first


@dataclass(frozen=True)
class RoomReport:
    folder: str
    made: datetime
    entries: tuple[Entry, ...]
    votes: tuple[VoteView, ...] = ()

    @property
    def readable(self) -> list[Entry]:
        return [e for e in self.entries if e.session is not None]

    @property
    def unreadable(self) -> list[Entry]:
        return [e for e in self.entries if e.session is None]


def _reason(path: Path, error: str) -> str:
    """The store's message without the file's path in front (the report names the file)."""
    for prefix in (f"{path}: ", f"{path}:"):
        if error.startswith(prefix):
            return error[len(prefix) :]
    return error


def _vote_view(vote: Vote) -> VoteView:
    # `read_room` has already checked every vote; the report takes only what it shows.
    return VoteView(
        title=one_line(vote.title, 120),
        rules=one_line(vote.rules, 120),
        closed=vote.result is not None,
        voters=vote.voters,
        rows=tuple(
            (one_line(item.text, 120), one_line(item.session_title, 40), dots)
            for item, dots in vote.ranked()
        ),
    )


def read_room_report(folder: Path, *, now: datetime | None = None) -> RoomReport:
    """Read every session of `folder` (StoreError if the folder itself cannot be listed)."""
    folder = Path(folder)
    entries = []
    for listing in Store(folder).list():
        session = listing.session
        if session is None:
            error = _reason(listing.path, listing.error or "cannot be read")
            entries.append(Entry(listing.path.name, error=one_line(error, 200)))
            continue
        entries.append(
            Entry(
                listing.path.name,
                session,
                findings=tuple(evaluate(session)),
                progress=step_progress(session),
            )
        )
    return RoomReport(
        folder=folder.resolve().name or str(folder),
        made=(now or datetime.now(UTC)).replace(microsecond=0),
        entries=tuple(entries),
        votes=tuple(_vote_view(vote) for vote in read_room(folder).votes),
    )


# -- what the report says (one tree for Markdown and HTML) ------------------------------


def _name(entry: Entry) -> str:
    session = entry.session
    assert session is not None
    return one_line(session.title, 60) or session.id


def findings_line(entry: Entry) -> str:
    n = entry.counts
    return (
        f"{plural(n['error'], 'error')} · {plural(n['warning'], 'warning')} · "
        f"{n['info']} not done yet"
    )


def done_share(entry: Entry) -> str:
    assert entry.session is not None
    return f"{round(overall(entry.session) * 100)}% done"


def caption(entry: Entry) -> str:
    """The line beside each session's canvas: whose it is, its findings and progress."""
    assert entry.session is not None
    return f"{_name(entry)} ({entry.session.id}) · {findings_line(entry)} · {done_share(entry)}"


def head_blocks(report: RoomReport) -> list[Block]:
    facts: list[Inline] = [
        (("b", "Folder:"), ("", f" {report.folder}")),
        (("b", "Sessions:"), ("", f" {len(report.readable)}")),
        (("b", "Made:"), ("", f" {c.day(report.made)}")),
    ]
    if report.unreadable:
        facts.append((("b", "Unreadable files:"), ("", f" {len(report.unreadable)}")))
    return [Heading(1, f"Room report: {report.folder}"), Bullets(tuple(facts))]


def comparison_blocks(report: RoomReport) -> Iterator[Block]:
    yield Heading(2, "The sessions side by side")
    if not report.readable:
        yield Note("No session could be read in this folder.")
        return
    yield Note("Items in each block of the canvas (— : empty), and the findings of the check.")
    head = ("Session", *(BLOCK_HEADS[b] for b in BLOCKS), "Errors", "Warnings")
    rows = []
    for entry in report.readable:
        session = entry.session
        assert session is not None
        filled = [str(len(session.canvas.block(b)) or "—") for b in BLOCKS]
        n = entry.counts
        rows.append((_name(entry), *filled, str(n["error"]), str(n["warning"])))
    yield Table(head, tuple(rows))
    yield Heading(2, "Progress per step")
    steps = ("Session", "On step", *(STEP_TITLES[s] for s in WORK_STEPS), "Done")
    progress_rows = []
    for entry in report.readable:
        session = entry.session
        assert session is not None
        cells = [f"{d}/{t}" for d, t in (entry.progress.get(s, (0, 0)) for s in WORK_STEPS)]
        on = STEP_TITLES.get(session.step or "", "—")
        progress_rows.append((_name(entry), on, *cells, done_share(entry).split()[0]))
    yield Table(steps, tuple(progress_rows))


def unreadable_blocks(report: RoomReport) -> Iterator[Block]:
    if not report.unreadable:
        return
    yield Heading(2, "Unreadable files")
    yield Note("These files are in the folder but could not be read as sessions.")
    yield Bullets(tuple((("b", e.file), ("", f" — {e.error}")) for e in report.unreadable))


def vote_blocks(votes: Sequence[VoteView]) -> Iterator[Block]:
    if not votes:
        return
    yield Heading(2, "Votes")
    for vote in votes:
        yield Heading(3, vote.title)
        if not vote.closed:
            yield Para((("", f"{vote.rules}. Still open: no result yet."),))
            continue
        yield Para((("", f"{vote.rules}. Voters: {vote.voters}."),))
        if vote.rows:
            rows = tuple((item, where, str(dots)) for item, where, dots in vote.rows)
            yield Table(("Item", "Session", "Dots"), rows)


def session_blocks(entry: Entry) -> Iterator[Block]:
    """One session in words (the Markdown report; the HTML page draws the canvas instead)."""
    session = entry.session
    assert session is not None
    yield Heading(2, f"{_name(entry)} ({session.id})")
    yield Para((("", f"{findings_line(entry)} · {done_share(entry)}"),))
    lines: list[Inline] = []
    for block in BLOCKS:
        items = session.canvas.block(block)
        shown = "; ".join(c.item_name(item, 120) for item in items) if items else "—"
        lines.append((("b", f"{BLOCK_TITLES[block]}:"), ("", f" {shown}")))
    yield Bullets(tuple(lines))


def render_room(report: RoomReport, fmt: str) -> str:
    if fmt == "md":
        return _markdown(report)
    if fmt == "html":
        return _html(report)
    if fmt == "json":
        return _json(report)
    raise ValueError(f"unknown export format {fmt!r}")


def _summary(report: RoomReport) -> list[Block]:
    return [
        *head_blocks(report),
        *comparison_blocks(report),
        *vote_blocks(report.votes),
        *unreadable_blocks(report),
    ]


def _markdown(report: RoomReport) -> str:
    from .markdown import _block

    blocks = _summary(report)
    if report.readable:
        blocks += [Heading(2, "Canvases"), Note(c.ATTRIBUTION)]
        for entry in report.readable:
            blocks += [*session_blocks(entry)]
    return "\n\n".join(filter(None, (_block(b) for b in blocks))) + "\n"


def _html(report: RoomReport) -> str:
    from .html import _block, canvas_section, page

    parts = ['<main class="report room-summary">']
    # The facts under the title read as one line, as on the single-session page.
    blocks = _summary(report)
    parts += [_block(b, "facts" if i == 1 else "") for i, b in enumerate(blocks)]
    parts.append("</main>")
    for entry in report.readable:
        assert entry.session is not None
        parts.append(canvas_section(entry.session, caption(entry)))
    return page(f"Room report: {report.folder}", parts, "room", ROOM_CSS)


def _json(report: RoomReport) -> str:
    from .jsonexport import dumps, session_json

    sessions = []
    for entry in report.readable:
        session = entry.session
        assert session is not None
        sessions.append(
            {
                "file": entry.file,
                "id": session.id,
                "title": session.title,
                "step": session.step,
                "progress": {s: list(entry.progress.get(s, (0, 0))) for s in WORK_STEPS},
                "filled": {b: len(session.canvas.block(b)) for b in BLOCKS},
                "counts": entry.counts,
                "session": session_json(session, entry.findings),
            }
        )
    doc = {
        "format": "bmc-tui.room-report",
        "version": 1,
        "folder": report.folder,
        "made": report.made.isoformat(),
        "sessions": sessions,
        "unreadable": [{"file": e.file, "error": e.error} for e in report.unreadable],
        "votes": [
            {
                "title": v.title,
                "rules": v.rules,
                "closed": v.closed,
                "voters": v.voters,
                "result": [{"item": i, "session": s, "dots": d} for i, s, d in v.rows],
            }
            for v in report.votes
        ],
    }
    return dumps(doc)
