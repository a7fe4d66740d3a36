"""F1: every key of the dashboard where F1 was pressed, read from the bindings themselves,
so a key added to a screen's or the app's BINDINGS is listed without touching this."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from ....widgets.footer import KeysFooter
from .dialog import Dialog


def keys_of(screen: Screen[object]) -> list[tuple[str, str]]:
    """(key, what it does): the screen's own bindings as they apply now, then the app's."""
    app = screen.app
    found: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(key: str, binding: Binding) -> None:
        if binding.description and key not in seen:
            seen.add(key)
            found.append((app.get_key_display(binding), binding.description))

    for key, active in screen.active_bindings.items():
        if active.node is screen:
            add(key, active.binding)
    # The app's from its class: a dialog does not list them among its active ones.
    for binding in Binding.make_bindings(type(app).BINDINGS):
        add(binding.key, binding)
    return found


class KeysScreen(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="close-keys"),
    ]

    def __init__(self, title: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.keys = keys

    def compose(self) -> ComposeResult:
        table = Text()
        width = max((len(key) for key, _ in self.keys), default=4) + 2
        for key, what in self.keys:
            table.append(key.ljust(width), style="bold")
            table.append(what + "\n")
        with VerticalScroll(classes="dialog", id="keys"):
            yield Label(Text(f"Keys: {self.title_text}", style="bold"))
            yield Static(table, id="keys-list")
        yield KeysFooter()

    def action_close(self) -> None:
        self.finish(None)
