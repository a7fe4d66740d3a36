"""The session as one self-contained HTML page: the canvas picture, then the report.

The page loads nothing: no script, no external stylesheet, font or image, and a
Content-Security-Policy that forbids them anyway. Participant text is HTML-escaped
(quotes too) after control characters are removed, and is never put in an attribute,
a URL or a style, so no answer can add markup, run script or fetch anything.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from ..model import AMOUNT_KINDS, BLOCK_TITLES, Session
from ..money import format_amount, monthly_total
from ..rules import Finding, evaluate
from ..text import one_line, strip_controls
from . import _common as c
from . import _doc
from ._css import stylesheet
from ._doc import Block, Bullets, Heading, Inline, Note, Para, Table

CSP: Final = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
# How much of an item's text the canvas picture shows; the report below has all of it.
CANVAS_TEXT_LIMIT: Final = 280
CANVAS_LINK_LIMIT: Final = 40
NOWRAP_LIMIT: Final = 16


def esc(text: str) -> str:
    return html.escape(strip_controls(text), quote=True)


def _spans(spans: Inline) -> str:
    parts = []
    for style, text in spans:
        if style == "br":
            parts.append("<br>")
        elif style == "b":
            parts.append(f"<strong>{esc(text)}</strong>")
        elif style == "i":
            parts.append(f"<em>{esc(text)}</em>")
        else:
            parts.append(esc(text))
    return "".join(parts)


def _cell(tag: str, text: str) -> str:
    # A short word (a date, an amount, a purpose) must not be broken to narrow its column;
    # anything else may break anywhere, so one very long word cannot widen the page.
    short = len(text) <= NOWRAP_LIMIT and not any(ch.isspace() for ch in text)
    return f'<{tag} class="nw">{esc(text)}</{tag}>' if short else f"<{tag}>{esc(text)}</{tag}>"


def _table(table: Table) -> str:
    head = "".join(_cell("th", h) for h in table.head)
    rows = "".join(
        "<tr>" + "".join(_cell("td", cell) for cell in row) + "</tr>" for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _block(block: Block, list_class: str = "") -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{esc(block.text)}</h{block.level}>"
    if isinstance(block, Para):
        if block.multiline:
            lead = _spans(block.spans[:-1])
            text = esc(block.spans[-1][1].strip())
            return f'<p class="keep">{lead + " " if lead else ""}{text}</p>'
        return f"<p>{_spans(block.spans)}</p>"
    if isinstance(block, Bullets):
        attr = f' class="{list_class}"' if list_class else ""
        items = "".join(f"<li>{_spans(item)}</li>" for item in block.items)
        return f"<ul{attr}>{items}</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Note):
        return f'<p class="note">{esc(block.text)}</p>'
    raise TypeError(block)


def _canvas_block(session: Session, names: c.Names, block: str) -> str:
    items = session.canvas.block(block)
    lines = []
    for item in items:
        links = "".join(
            f'<span class="to">{esc(label)}: {esc(", ".join(v.name for v in views))}</span>'
            for label, views in names.links(block, item, CANVAS_LINK_LIMIT)
        )
        facts = "".join(
            f'<span class="to">{esc(label.capitalize())}: {esc(value)}</span>'
            for label, value in c.item_facts(session, item)
        )
        text = esc(one_line(item.text, CANVAS_TEXT_LIMIT) or item.id)
        lines.append(f"<li>{text}{facts}{links}</li>")
    body = f"<ul>{''.join(lines)}</ul>" if lines else '<p class="empty">—</p>'
    title = BLOCK_TITLES[block]
    total = monthly_total(items) if block in AMOUNT_KINDS else None
    if total is not None:
        # Costs and revenue sit side by side along the bottom: so do their totals.
        title += f" · {format_amount(total, session.currency)} a month"
    return f'<section class="block b-{block}"><h3>{esc(title)}</h3>{body}</section>'


def canvas_section(session: Session, caption: str | None = None) -> str:
    """The nine blocks in the classic layout, with the canvas's attribution line.

    The line beside the heading says whose canvas it is: the title and the date, or
    `caption` (the room report puts the findings and the progress there too).
    """
    names = c.Names(session)
    if caption is None:
        when = c.day(session.updated.date()) if session.updated else ""
        caption = " · ".join(filter(None, (one_line(session.title, 80), when)))
    blocks = "\n".join(_canvas_block(session, names, block) for block in c.CANVAS_GRID)
    return (
        '<section class="canvas-page">\n'
        f'<div class="canvas-head"><h2>The Business Model Canvas</h2><span>{esc(caption)}'
        "</span></div>\n"
        f'<div class="canvas">\n{blocks}\n</div>\n'
        f'<p class="attribution">{esc(c.ATTRIBUTION)}</p>\n'
        "</section>"
    )


def _report(session: Session, findings: Sequence[Finding]) -> Iterator[str]:
    yield '<main class="report">'
    head = _doc.head_blocks(session)
    for block in head:
        yield _block(block, "facts")
    for block in _doc.body_blocks(session, findings):
        yield _block(block)
    yield "</main>"


def render_html(
    session: Session, findings: Sequence[Finding] | None = None, *, canvas_only: bool = False
) -> str:
    """The page. With `canvas_only`, just the canvas picture (one printed page)."""
    if findings is None and not canvas_only:
        findings = evaluate(session)
    parts = [canvas_section(session)]
    if not canvas_only:
        parts += _report(session, findings or [])
    return page(f"{one_line(session.title, 120)} — Business model", parts)


def page(title: str, body: Iterable[str], body_class: str = "", extra_css: str = "") -> str:
    """A whole self-contained document around `body` (already escaped HTML parts)."""
    attr = f' class="{body_class}"' if body_class else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{stylesheet()}{extra_css}</style>",
        "</head>",
        f"<body{attr}>",
        *body,
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
