"""The keys F1 lists: the workshop's own, grouped by where they work, no widget internals.

Textual's widgets bind many keys of their own (cursor moves, scrolling, copy); listed
first, as they were, they buried the few that matter. Here only keys declared by bmc-tui's
own classes are listed: where the cursor is, then this step, then everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

# Readable names for the keys Textual spells its own way.
KEY_NAMES: Final = {
    "ctrl": "Ctrl",
    "shift": "Shift",
    "alt": "Alt",
    "enter": "Enter",
    "escape": "Esc",
    "space": "Space",
    "delete": "Delete",
    "backspace": "Backspace",
    "tab": "Tab",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}
HERE: Final = "Where the cursor is"
STEP: Final = "On this step"
EVERYWHERE: Final = "Everywhere"

Row = tuple[str, str, str]  # (group, keys, what they do)


def key_name(key: str) -> str:
    """ "ctrl+z" → "Ctrl+Z", "f1" → "F1", "shift+up" → "Shift+↑"; a letter stays as typed."""
    parts = key.split("+")
    names = [
        KEY_NAMES.get(p, p if len(p) == 1 else p.upper() if p[1:].isdigit() else p.title())
        for p in parts
    ]
    if len(names) > 1 and len(names[-1]) == 1:
        names[-1] = names[-1].upper()
    return "+".join(names)


def own_bindings(node: DOMNode) -> list[Binding]:
    """The bindings declared by bmc-tui's classes in the node's class hierarchy."""
    found: list[Binding] = []
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("bmc_tui"):
            continue
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            if binding.description:
                found.append(binding)
    return found


def _runs(keys: list[str]) -> str:
    """ "1-9" for a run of digits or F-keys, else the keys joined."""
    if len(keys) > 2:
        for prefix in ("", "F"):
            numbers = [k[len(prefix) :] for k in keys if k.startswith(prefix)]
            if len(numbers) == len(keys) and all(n.isdigit() for n in numbers):
                return f"{keys[0]}-{keys[-1]}"
    return " / ".join(keys)


def keys_here(app: App[Any]) -> list[Row]:
    """The rows of F1's key table for the current screen and focus."""
    screen = app.screen
    active = screen.active_bindings
    groups: dict[str, dict[str, tuple[list[str], list[str]]]] = {HERE: {}, STEP: {}, EVERYWHERE: {}}
    own_app_keys = {b.key for b in own_bindings(app)}
    # The app's own keys first; Textual's (Quit) after them.
    ordered = sorted(active.items(), key=lambda kv: kv[1].node is app and kv[0] not in own_app_keys)
    for key, (node, binding, enabled, tooltip) in ordered:
        if not enabled or not binding.description:
            continue
        if node is app:
            group = EVERYWHERE
        elif node is screen:
            group = STEP
        else:
            group = HERE
        if node is not app and not any(
            b.action == binding.action and b.key == key for b in own_bindings(node)
        ):
            continue  # a widget's internals (cursor moves, scrolling, copy)
        # Digits and F-keys that jump somewhere are one row: "1-9 jump to: …".
        action = binding.action.split("(")[0]
        keys, names = groups[group].setdefault(action, ([], []))
        keys.append(key_name(key))
        description = binding.description
        if key == app.COMMAND_PALETTE_BINDING:
            description = "Command palette: jump anywhere, check, export, theme"
        elif tooltip and group == EVERYWHERE:
            description = f"{description}: {tooltip[:1].lower()}{tooltip[1:]}"
        if description not in names:
            names.append(description)
    rows: list[Row] = []
    for group, actions in groups.items():
        for keys, names in actions.values():
            if len(names) > 2:
                what = "Go to: " + ", ".join(f"{k} {n}" for k, n in zip(keys, names, strict=False))
            else:
                what = " / ".join(names)
            rows.append((group, _runs(keys), what))
    if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING not in active:
        rows.append((EVERYWHERE, key_name(app.COMMAND_PALETTE_BINDING), "Command palette"))
    return rows
