"""Pastes cut to fit the field they land in, with one line saying how much was kept.

Textual's Input drops a whole paste that would pass its `max_length`, and every stored text
keeps at most `MAX_TEXT_CHARS`: a long paste would vanish without a word, or be cut later
without saying so. The app fits each paste to the room left in the focused field first.

A paste is cleaned first, too: a field shows its text as the terminal draws it, so escape
sequences, control characters, bidirectional overrides and zero-width characters in a
paste (a page copied from a terminal, a hostile snippet) would act on the screen, and the
session would keep a text that looked different from what was on it.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.widget import Widget
from textual.widgets import Input, TextArea

from ..editing import MAX_TEXT_CHARS
from ..text import for_display


def paste_room(widget: Widget | None) -> int | None:
    """How many characters a paste may add to the focused field (None: no field)."""
    if isinstance(widget, Input):
        cap = widget.max_length or MAX_TEXT_CHARS
        start, end = sorted(widget.selection)
        return max(0, cap - len(widget.value) + (end - start))
    if isinstance(widget, TextArea):
        return max(0, MAX_TEXT_CHARS - len(widget.text) + len(widget.selected_text))
    return None


def fit_paste(event: events.Paste, widget: Widget | None) -> tuple[events.Paste, str | None]:
    """The paste to deliver (cleaned), and the notice to show when it had to be cut."""
    # Terminals paste line ends as CR, which the cleaning would take for a control character.
    text = for_display(event.text.replace("\r\n", "\n").replace("\r", "\n"))
    left_out: str | None = None
    if isinstance(widget, Input) and text:
        # An Input takes one line, and a tab in it would be drawn as nothing.
        lines = [line for line in text.splitlines() if line.strip()]
        text = lines[0].replace("\t", " ") if lines else ""
        if len(lines) > 1:
            left_out = (
                f"The paste had {len(lines):,} lines; this field takes one, so only the "
                "first was kept."
            )
    room = paste_room(widget)
    if room is None or len(text) <= room:
        return (event if text == event.text else events.Paste(text)), left_out
    kept = text[:room]
    notice = (
        f"The paste was {len(event.text):,} characters; this field keeps "
        f"{len(kept):,} of them and the rest was left out."
    )
    return events.Paste(kept), notice


def paste_for(app: App[Any], event: events.Paste) -> events.Paste:
    """`event` fitted to the app's focused field; a cut or a dropped line is said."""
    fitted, notice = fit_paste(event, app.focused)
    if notice:
        app.notify(notice, title="Paste cut", severity="warning", timeout=8)
    return fitted
