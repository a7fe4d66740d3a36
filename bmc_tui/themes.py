"""Extra themes: a high-contrast one for projectors, bright rooms and tired eyes."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="bmc-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ff00ff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    success="#00ff00",
    warning="#ffaa00",
    error="#ff4040",
    dark=True,
    variables={
        "block-cursor-text-style": "bold reverse",
        "footer-key-foreground": "#ffff00",
        "input-selection-background": "#ffff00 40%",
    },
)


def register_themes(app: App[Any]) -> None:
    app.register_theme(HIGH_CONTRAST)
