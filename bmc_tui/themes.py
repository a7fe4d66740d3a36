"""Extra themes: a high-contrast one for projectors, bright rooms and tired eyes."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.color import Color, ColorParseError
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
        # Fields at rest: a plain grey frame on the black background (focused: yellow).
        "border-blurred": "#c0c0c0",
        "border": "#ffff00",
    },
)


def register_themes(app: App[Any]) -> None:
    app.register_theme(HIGH_CONTRAST)


# How far a field's resting border must stand out from the background (0-1 brightness).
MIN_FIELD_CONTRAST = 0.2


def visible_fields(variables: dict[str, str]) -> dict[str, str]:
    """Theme variables with a field border that can be seen.

    Input, Select and TextArea draw their resting border in $border-blurred, which many
    themes (and a black-on-black high-contrast one) make all but the background's colour:
    the fields could not be found. Where it is too faint, it becomes the foreground mixed
    into the background. ANSI themes are left alone (the terminal picks their colours).
    """
    try:
        background = Color.parse(variables["background"])
        foreground = Color.parse(variables["foreground"])
        border = Color.parse(variables["border-blurred"])
    except (KeyError, ColorParseError):
        return variables
    if background.ansi is not None or foreground.ansi is not None:
        # The terminal's own palette: black or white may be its background; grey is not.
        return {**variables, "border-blurred": "ansi_bright_black"}
    if abs(border.brightness - background.brightness) >= MIN_FIELD_CONTRAST:
        return variables
    for step in range(4, 9):
        mix = background.blend(foreground, step / 10)
        if abs(mix.brightness - background.brightness) >= MIN_FIELD_CONTRAST:
            break
    return {**variables, "border-blurred": mix.hex}
