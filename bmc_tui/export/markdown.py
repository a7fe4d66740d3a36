"""The session as a Markdown report (GitHub-flavoured), safe for any participant text.

Escaping: only what Markdown would misread where the text stands, so the file reads well
as plain text and in `git diff` ("Crumb & Co (nights)" stays as it is). Always escaped:
"`", "*", "[", "]", "<" (code, emphasis, links, images, raw HTML). Escaped where they would
act: "_" at a word's edge (emphasis; "snake_case" is safe), "&" that spells an entity, "~"
and "$" when there are two (strikethrough, math), "|" in table cells, "\\" before
punctuation, the ":" of "scheme://" and the "." of "www." that GitHub turns into links,
and, at the start of a line, what starts a block (headings, quotes, lists, setext lines).
Control characters and terminal escapes are removed first, and table cells are folded
onto one line, so a table keeps its columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Session
from ..rules import Finding, evaluate
from ..text import strip_controls
from . import _doc
from ._doc import Block, Bullets, Heading, Inline, Note, Para, Table

_ALWAYS = re.compile(r"[`*\[\]<]")
# "_" opens or closes emphasis only at a word's edge: not between two letters or digits.
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)")
_AUTOLINK = re.compile(r"(?i):(?=//)|\bwww\.")
_LIST_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_LINE_START = ("-", "+", "=", "#", ">")
# A line like "|---|" or ":--|" under a line with pipes would turn both into a table.
_ROW_START = re.compile(r"^(?:\||:(?=[ :|-]*-))")
_SPACES = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")


def _escape_chars(text: str, *, at_start: bool = True, cell: bool = False) -> str:
    text = _BACKSLASH.sub(r"\\\\", text)
    text = _ALWAYS.sub(lambda m: "\\" + m.group(), text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub(r"\\&", text)
    for pair in ("~", "$"):
        if text.count(pair) > 1:
            text = text.replace(pair, "\\" + pair)
    if cell:
        text = text.replace("|", "\\|")
    # GitHub turns bare "scheme://…" and "www.…" into links; an escape breaks the pattern.
    text = _AUTOLINK.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], text)
    if not at_start:
        return text
    if text[:1] in _LINE_START or _ROW_START.match(text):
        return "\\" + text
    return _LIST_NUMBER.sub(r"\1\\\2", text)


def inline(text: str, *, at_start: bool = True, cell: bool = False) -> str:
    """Participant text for one line of Markdown (a list item, a heading, a table cell).

    `at_start`: the text begins a line (a list item's or heading's text counts), so what
    starts a block is escaped too; `cell`: it stands in a table cell.
    """
    folded = _SPACES.sub(" ", strip_controls(text, keep_newlines=False)).strip()
    return _escape_chars(folded, at_start=at_start, cell=cell)


def multiline(text: str) -> str:
    """Participant text that keeps its line breaks and paragraphs."""
    paragraphs = re.split(r"\n\s*\n", strip_controls(text).replace("\r\n", "\n").strip())
    out = []
    for paragraph in paragraphs:
        lines = [inline(line) for line in paragraph.split("\n") if line.strip()]
        out.append("\\\n".join(lines))
    return "\n\n".join(p for p in out if p)


def _spans(spans: Inline, indent: str = "", *, at_start: bool = True) -> str:
    parts = []
    for style, text in spans:
        if style == "br":
            parts.append("\\\n" + indent)
            at_start = True
            continue
        # Emphasis markers must hug the text, so surrounding spaces go outside them.
        body = inline(text, at_start=at_start and not style)
        at_start = at_start and not body
        if style and body:
            mark = "**" if style == "b" else "*"
            body = f"{mark}{body}{mark}"
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() and body else ""
        parts.append(f"{lead}{body}{trail}")
    return "".join(parts)


def _table(table: Table) -> str:
    rows = [table.head, *table.rows]
    lines = [
        "| " + " | ".join(inline(cell, cell=True) or " " for cell in row) + " |" for row in rows
    ]
    lines.insert(1, "|" + "---|" * len(table.head))
    return "\n".join(lines)


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {inline(block.text)}"
    if isinstance(block, Para):
        if block.multiline:
            lead = _spans(block.spans[:-1])
            body = multiline(block.spans[-1][1])  # after the lead: its lines start lines
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
