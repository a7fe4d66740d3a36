"""A yes / no answer that can also be "not answered", which is not the same as no.

One focusable line; the widget reports what the person chose (`YesNo.Changed`) and the
screen writes it through the editor. Setting `value` from code posts nothing.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

# (value, label) in the order shown; a click's column picks one of these.
CHOICES: tuple[tuple[bool | None, str], ...] = (
    (True, "Yes"),
    (False, "No"),
    (None, "Not answered"),
)
GAP = 2


class YesNo(Widget, can_focus=True):
    """Keys: y yes, n no, u not answered, Left / Right step through the three."""

    DEFAULT_CSS = """
    YesNo {
        height: 1;
        width: auto;
        min-width: 36;
        padding: 0 1;
        background: $boost;
    }
    YesNo:focus {
        background: $accent 30%;
    }
    YesNo:disabled {
        opacity: 70%;
    }
    YesNo > .yes-no--option { color: $text-muted; }
    YesNo > .yes-no--yes { color: $text; background: $success 70%; text-style: bold; }
    YesNo > .yes-no--no { color: $text; background: $warning 70%; text-style: bold; }
    YesNo > .yes-no--unanswered { color: $text; background: $panel; text-style: bold italic; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "yes-no--option",
        "yes-no--yes",
        "yes-no--no",
        "yes-no--unanswered",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('yes')", "Yes"),
        Binding("n", "answer('no')", "No"),
        Binding("u", "answer('unanswered')", "Not answered"),
        Binding("left", "step(-1)", "Previous answer", show=False),
        Binding("right", "step(1)", "Next answer", show=False),
    ]

    value: reactive[bool | None] = reactive(None, init=False)

    class Changed(Message):
        """The person answered (None: not answered)."""

        def __init__(self, yes_no: YesNo, value: bool | None) -> None:
            self.yes_no = yes_no
            self.value = value
            super().__init__()

        @property
        def control(self) -> YesNo:
            return self.yes_no

    def __init__(
        self, value: bool | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(YesNo.value, value)
        self.tooltip = "y yes, n no, u not answered"

    def _chosen_style_name(self) -> str:
        if self.value is None:
            return "yes-no--unanswered"
        return "yes-no--yes" if self.value else "yes-no--no"

    def render(self) -> Text:
        option = self.get_component_rich_style("yes-no--option")
        chosen = self.get_component_rich_style(self._chosen_style_name())
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, (value, label) in enumerate(CHOICES):
            if index:
                text.append(" " * GAP)
            picked = value is self.value
            mark = "●" if picked else "○"
            text.append(f" {mark} {label} ", style=chosen if picked else option)
        return text

    def _choose(self, value: bool | None) -> None:
        if value is self.value:
            return
        self.value = value
        self.post_message(self.Changed(self, value))

    def action_answer(self, answer: str) -> None:
        self._choose({"yes": True, "no": False}.get(answer))

    def action_step(self, delta: int) -> None:
        values = [value for value, _ in CHOICES]
        index = values.index(self.value)
        self._choose(values[(index + delta) % len(values)])

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self.disabled:
            return
        start = 0
        for value, label in CHOICES:
            width = len(label) + 4
            if start <= offset.x < start + width:
                self._choose(value)
                return
            start += width + GAP
