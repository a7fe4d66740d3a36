"""A 1-to-5 self-rating that can also be "not rated": one focusable line, keys first.

The widget only shows a value and reports what the person chose (`Rating.Changed`); the
screen writes it through the editor. Setting `value` from code posts nothing, so filling the
widget from the session never counts as an edit.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

SCALE = (1, 2, 3, 4, 5)
# Each number is drawn as " n " plus a space, so a click's column tells which was hit.
CELL = 4
NOT_RATED = "not rated"


class Rating(Widget, can_focus=True):
    """Keys: 1-5 rate, 0 / x / Delete clear, Left / Right step. A click on a number rates;
    a click on the number already chosen clears it."""

    DEFAULT_CSS = """
    Rating {
        height: 1;
        width: auto;
        min-width: 32;
        padding: 0 1;
        background: $boost;
    }
    Rating:focus {
        background: $accent 30%;
    }
    Rating:disabled {
        opacity: 70%;
    }
    Rating > .rating--option { color: $text-muted; }
    Rating > .rating--chosen { color: $text; background: $accent; text-style: bold; }
    Rating > .rating--weak { color: $text; background: $warning 70%; text-style: bold; }
    Rating > .rating--status { color: $text-muted; text-style: italic; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "rating--option",
        "rating--chosen",
        "rating--weak",
        "rating--status",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        # One Footer entry stands for all five numbers.
        Binding("1", "rate(1)", "Rate", key_display="1-5"),
        *[Binding(str(n), f"rate({n})", f"Rate {n}", show=False) for n in SCALE[1:]],
        Binding("0", "rate(0)", "Not rated"),
        Binding("x,delete,backspace", "rate(0)", "Not rated", show=False),
        Binding("left", "step(-1)", "Lower", show=False),
        Binding("right", "step(1)", "Higher", show=False),
    ]

    value: reactive[int | None] = reactive(None, init=False)

    class Changed(Message):
        """The person chose a rating (None: not rated)."""

        def __init__(self, rating: Rating, value: int | None) -> None:
            self.rating = rating
            self.value = value
            super().__init__()

        @property
        def control(self) -> Rating:
            return self.rating

    def __init__(
        self,
        value: int | None = None,
        *,
        weak_below: int = 3,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(Rating.value, value)
        self.weak_below = weak_below
        self.tooltip = "1-5 to rate, 0 to clear, ←/→ to step"

    def render(self) -> Text:
        option = self.get_component_rich_style("rating--option")
        chosen = self.get_component_rich_style(
            "rating--weak"
            if self.value is not None and self.value < self.weak_below
            else "rating--chosen"
        )
        status = self.get_component_rich_style("rating--status")
        text = Text(no_wrap=True, overflow="ellipsis")
        for n in SCALE:
            text.append(f" {n} ", style=chosen if n == self.value else option)
            text.append(" ")
        text.append(
            f"  {self.value} of 5" if self.value is not None else f"  {NOT_RATED}", style=status
        )
        return text

    def _choose(self, value: int | None) -> None:
        if value == self.value:
            return
        self.value = value
        self.post_message(self.Changed(self, value))

    def action_rate(self, n: int) -> None:
        self._choose(n if n in SCALE else None)

    def action_step(self, delta: int) -> None:
        if self.value is None:
            self._choose(SCALE[0] if delta > 0 else SCALE[-1])
        else:
            self._choose(max(SCALE[0], min(SCALE[-1], self.value + delta)))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self.disabled:
            return
        index, within = divmod(offset.x, CELL)
        if index < len(SCALE) and within < CELL - 1:
            n = SCALE[index]
            self._choose(None if n == self.value else n)
