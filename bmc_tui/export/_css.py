"""The HTML export's one stylesheet, inlined in the page (the page loads nothing).

Print: the canvas fills page 1 of a landscape A4 or Letter sheet (the smaller of each
side: 279 × 210 mm, less the margins). Its rows are fixed fractions of that height and
every block clips what does not fit, so a long answer shortens a block instead of
pushing the canvas onto a second page; the full texts follow in the report.
"""

from __future__ import annotations

from typing import Final

from ._common import CANVAS_GRID


def _grid_rules() -> str:
    return "\n".join(
        f".b-{block} {{ grid-column: {col} / span {cols}; grid-row: {row} / span {rows}; }}"
        for block, (col, cols, row, rows) in CANVAS_GRID.items()
    )


_BASE: Final = """
:root { color-scheme: light; --ink: #1d2433; --muted: #5b6475; --line: #c9cfdb;
  --paper: #ffffff; --tint: #f4f6fa; --accent: #2f5d9e; }
* { box-sizing: border-box; }
html { background: var(--paper); color: var(--ink); }
body { margin: 0 auto; max-width: 75rem; padding: 1.5rem;
  font: 15px/1.45 "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
h1, h2, h3, h4 { line-height: 1.2; margin: 1.4em 0 .5em; }
h1 { font-size: 1.8rem; margin-top: 0; }
h2 { font-size: 1.35rem; border-bottom: 1px solid var(--line); padding-bottom: .2em; }
h3 { font-size: 1.1rem; }
h4 { font-size: 1rem; color: var(--muted); }
p, li, td, th { overflow-wrap: anywhere; }
.keep { white-space: pre-line; }
.note { color: var(--muted); font-style: italic; }
.facts { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .2rem 1.5rem; }
table { border-collapse: collapse; width: calc(100% - 2px); margin: .5rem 0 1rem;
  font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
  vertical-align: top; }
th { background: var(--tint); }
.nw { white-space: nowrap; }
.canvas-page { margin: 1rem 0 2rem; display: flex; flex-direction: column; }
.canvas-head { display: flex; justify-content: space-between; align-items: baseline;
  gap: 1rem; }
.canvas-head h2 { border: 0; margin: 0 0 .4rem; }
.canvas-head span { color: var(--muted); }
.canvas { display: grid; grid-template-columns: repeat(10, minmax(0, 1fr));
  grid-template-rows: minmax(11rem, auto) minmax(11rem, auto) minmax(8rem, auto);
  border: 2px solid var(--ink); }
.block { border: 1px solid var(--line); padding: .4rem .5rem; min-width: 0; min-height: 0;
  overflow: hidden; }
.block h3 { margin: 0 0 .3rem; font-size: .78rem; text-transform: uppercase;
  letter-spacing: .04em; color: var(--accent); }
.block ul { margin: 0; padding-left: 1rem; font-size: .85rem; }
.block li { margin: 0 0 .25rem; overflow-wrap: anywhere; }
.block .to { display: block; color: var(--muted); font-size: .92em; }
.block .empty { color: var(--muted); font-style: italic; font-size: .85rem; margin: 0; }
.attribution { color: var(--muted); font-size: .75rem; margin: .3rem 0 0; }
"""

_PRINT: Final = """
@page { size: landscape; margin: 8mm; }
@media print {
  html, body { background: #fff; }
  body { max-width: none; padding: 0; font-size: 9pt; }
  .canvas-page { height: 190mm; margin: 0; overflow: hidden;
    break-after: page; page-break-after: always; }
  .canvas-head h2 { font-size: 13pt; }
  .canvas { flex: 1 1 auto; min-height: 0;
    grid-template-rows: minmax(0, 1fr) minmax(0, 1fr) minmax(0, .72fr); }
  .block ul { font-size: 7.5pt; }
  .block li { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 5;
    overflow: hidden; }
  .block .to { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .block h3 { font-size: 7.5pt; }
  .attribution { font-size: 6.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  .report > h1:first-child { margin-top: 0; }
}
"""


def stylesheet() -> str:
    return _BASE + _grid_rules() + "\n" + _PRINT
