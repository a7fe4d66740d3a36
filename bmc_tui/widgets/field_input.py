"""An Input for forms whose size is fixed by CSS, so typing never lays out the whole screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class FieldInput(Input):
    """Input grows its virtual width with its text on every key; Textual declares
    `virtual_size` with `layout=True`, so each key re-laid-out and re-rendered the whole
    screen (most of a keystroke's cost on a large canvas). A form field's box is fixed by
    CSS, and scrolling reads `virtual_size` directly, so a repaint is all it needs.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
