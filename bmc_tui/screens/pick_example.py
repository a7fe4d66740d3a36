"""Choosing one of the shipped example sessions to start from."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ..model import Session
from ..text import one_line


class PickExampleScreen(ModalScreen[str | None]):
    """Returns the example's name, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, examples: list[tuple[str, Session]]) -> None:
        super().__init__(classes="modal")
        self.examples = examples

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Start from an example", classes="dialog-title")
            options = []
            for name, session in self.examples:
                prompt = Text(one_line(session.title, 60), style="bold")
                segments = ", ".join(
                    one_line(s.text, 30) for s in session.canvas.customer_segments[:3]
                )
                prompt.append(f"\n{name}: {segments}", style="dim")
                options.append(Option(prompt, id=name))
            yield OptionList(*options, id="examples")
            yield Label("Enter picks it; you get your own copy to change.", classes="field-hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
