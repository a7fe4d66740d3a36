"""The session as a Markdown report (GitHub-flavoured), safe for any participant text.

Escaping: every character that could start Markdown syntax (emphasis, code, links,
images, raw HTML, entities, strikethrough, math, table pipes) is backslash-escaped
wherever it is, and so are the ":" of "scheme://" and the "." of "www." that GitHub
would turn into links; characters that only matter at the start of a line (headings, quotes, lists,
setext underlines) are escaped there. Control characters and terminal escapes are
removed first, and table cells are folded onto one line, so a table keeps its columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Session
from ..rules import Finding, evaluate
from ..text import strip_controls
from . import _doc
from ._doc import Block, Bullets, Heading, Inline, Note, Para, Table

_SPECIAL = re.compile(r"[\\`*_\[\]()<>#!|~&{}$]")
_AUTOLINK = re.compile(r"(?i):(?=//)|\bwww\.")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")
_SPACES = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")


def _escape_chars(text: str) -> str:
    text = _SPECIAL.sub(lambda m: "\\" + m.group(), text)
    # GitHub turns bare "scheme://…" and "www.…" into links; an escape breaks the pattern.
    text = _AUTOLINK.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], text)
    if text[:1] in ("-", "+", "="):
        return "\\" + text
    return _LIST_NUMBER.sub(r"\1\\\2", text)


def inline(text: str) -> str:
    """Participant text for one line of Markdown (a list item, a heading, a table cell)."""
    folded = _SPACES.sub(" ", strip_controls(text, keep_newlines=False)).strip()
    return _escape_chars(folded)


def multiline(text: str) -> str:
    """Participant text that keeps its line breaks and paragraphs."""
    paragraphs = re.split(r"\n\s*\n", strip_controls(text).replace("\r\n", "\n").strip())
    out = []
    for paragraph in paragraphs:
        lines = [inline(line) for line in paragraph.split("\n") if line.strip()]
        out.append("\\\n".join(lines))
    return "\n\n".join(p for p in out if p)


def _spans(spans: Inline, indent: str = "") -> str:
    parts = []
    for style, text in spans:
        if style == "br":
            parts.append("\\\n" + indent)
            continue
        # Emphasis markers must hug the text, so surrounding spaces go outside them.
        body = inline(text)
        if style and body:
            mark = "**" if style == "b" else "*"
            body = f"{mark}{body}{mark}"
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() and body else ""
        parts.append(f"{lead}{body}{trail}")
    return "".join(parts)


def _table(table: Table) -> str:
    rows = [table.head, *table.rows]
    lines = ["| " + " | ".join(inline(cell) or " " for cell in row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(table.head))
    return "\n".join(lines)


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {inline(block.text)}"
    if isinstance(block, Para):
        if block.multiline:
            lead = _spans(block.spans[:-1])
            body = multiline(block.spans[-1][1])
            return f"{lead} {body}".strip()
        return _spans(block.spans)
    if isinstance(block, Bullets):
        return "\n".join(f"- {_spans(item, '  ')}" for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Note):
        return f"*{inline(block.text)}*"
    raise TypeError(block)


def render_markdown(session: Session, findings: Sequence[Finding] | None = None) -> str:
    """A complete report: title, people, social model, canvas, practices, strategy, plan,
    fitness and findings."""
    if findings is None:
        findings = evaluate(session)
    blocks = [*_doc.head_blocks(session), *_doc.body_blocks(session, findings)]
    return "\n\n".join(filter(None, (_block(b) for b in blocks))) + "\n"
