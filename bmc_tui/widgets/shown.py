"""Live updates for widgets on step screens that the app keeps while another step is shown.

The app keeps each step's screen once built (see `BmcApp.goto_step`), so that coming back
to a step, or a summon moving the whole room, switches screens instead of composing one.
A kept screen is off the screen stack: nothing of it is on the terminal, so the app's
changes (every keystroke changes `revision`) must not redraw it. Its watchers are put
aside instead and run once, with the values of the moment, when the screen is shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.dom import DOMNode, NoScreen


class Deferring(Protocol):
    """A screen that can hold watcher calls while it is off the stack."""

    def defer_update(self, callback: Callable[[Any], object], obj: DOMNode, name: str) -> bool:
        """Hold `callback` for when the screen is shown; False if it is shown now."""
        ...


def is_shown(node: DOMNode) -> bool:
    """Whether node is on a screen of the stack (shown, or under a dialog)."""
    try:
        return node.screen in node.app.screen_stack
    except NoScreen:
        return False


def watch_shown(
    node: DOMNode,
    obj: DOMNode,
    name: str,
    callback: Callable[[Any], object],
    *,
    init: bool = True,
) -> None:
    """`node.watch(obj, name, callback)`, but held while node's screen is a kept one.

    `callback` takes the new value (and may ignore it).
    """

    def changed(value: Any) -> None:
        try:
            screen = node.screen
        except NoScreen:  # a node being removed: nothing to show it on
            return
        defer = getattr(screen, "defer_update", None)
        if defer is not None and defer(callback, obj, name):
            return
        callback(value)

    node.watch(obj, name, changed, init=False)
    if init:
        callback(getattr(obj, name))
