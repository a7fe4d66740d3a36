"""Fields that apply their own key bindings in the order the keys came.

Textual types a printable key in the focused field as soon as the field reads it, but runs
the field's *bindings* (Backspace, Ctrl+K, the arrows…) only once the key has bubbled up
to the app. Keys that arrive together — a fast typist, a laggy link, an app that waited
for the CPU on a busy server — were then applied out of order: "abc", Backspace, "d"
became "abc" (the "d" typed first, then deleted), and Ctrl+A Ctrl+K "2026-12-31" an
empty date. `own_binding` runs the field's own binding as the field reads the key, so
every key acts in turn. The keys stay declared in BINDINGS (footer, palette and F1 list
them as before).

Undo and redo are the app's, but asked for by a message the field sends up behind its own
changes (`HistoryRequested`): run at once, Ctrl+Z undid an older change while the keys
typed just before it were still on their way to the session, which then saved them again.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

# For the fields' BINDINGS: Ctrl+Z and Ctrl+Y through `HistoryRequested`.
HISTORY_BINDINGS = [
    Binding("ctrl+z", "history('undo')", "Undo", tooltip="Undo the last change to the session"),
    Binding("ctrl+y", "history('redo')", "Redo", show=False),
]


class HistoryRequested(Message):
    """Undo (or redo) the session's last change, once the field's own changes are in.

    Posted to the field itself, it travels up behind the Changed messages of the keys read
    before it, so every form they pass handles those first; the app runs it at the top.
    """

    def __init__(self, which: str) -> None:
        self.which = which  # "undo" or "redo"
        super().__init__()


def request_history(widget: Widget, which: str) -> None:
    """A field's `action_history`: ask the app for undo or redo, in turn."""
    if which in ("undo", "redo"):
        widget.post_message(HistoryRequested(which))


async def own_binding(widget: Widget, event: events.Key) -> bool:
    """Run `widget`'s own binding for a key it reads (True: done, the key goes no further)."""
    if event.is_printable:
        return False  # typed by the field itself, at once
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if binding.priority:
            continue  # the app ran those before it handed the key on
        if await widget.app.run_action(binding.action, widget):
            event.stop()
            event.prevent_default()
            return True
    return False
