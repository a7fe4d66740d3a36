"""F1: what the current step is for, how to do it well, and every key that works here."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from ..model import STEP_TITLES
from ..widgets.footer import KeysFooter

GENERAL_HELP = """\
# bmc-tui

A workshop in your terminal: from the social business model to the canvas, your core
practices, the marketing strategy and the plan, then a summary of everything that does not
line up yet.

Everything you type is saved to the session file as you go. Move between steps with the
F-keys shown at the top (F2 … F8) or **Ctrl+N** for the next step; **Ctrl+P** opens the
command palette (jump anywhere, run the check, export, switch theme).
"""


def _keys_markdown(keys: list[tuple[str, str, str]]) -> str:
    """The keys by group (where the cursor is, this step, everywhere), in that order."""
    if not keys:
        return ""
    parts = ["\n\n## Keys here\n"]
    group = None
    for where, key, description in keys:
        if where != group:
            group = where
            parts.append(f"\n**{where}**\n\n| key | does |\n|---|---|")
        parts.append(f"| `{key}` | {description} |")
    parts.append("\nArrows, Page Up/Down, Home and End move as usual in every list and field.\n")
    return "\n".join(parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "Close help"),
    ]

    def __init__(
        self, step: str | None, keys: list[tuple[str, str, str]] | None = None, *, extra: str = ""
    ) -> None:
        super().__init__(classes="modal")
        self.step = step
        self.keys = keys or []
        self.extra = extra

    def help_markdown(self) -> str:
        from ..guide import STEP_HELP, STEP_MORE

        if self.step is None or self.step not in STEP_HELP:
            return GENERAL_HELP + _keys_markdown(self.keys)
        guide = STEP_HELP[self.step]
        title = STEP_TITLES.get(self.step, guide.title)
        more = STEP_MORE.get(self.step, "")
        extra = "".join(f"\n\n{part}" for part in (more, self.extra) if part)
        return f"# {title}\n\n*{guide.purpose}*\n\n{guide.help}{extra}" + _keys_markdown(self.keys)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help-dialog"):
            yield Markdown(self.help_markdown(), id="help-text")
        yield KeysFooter()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
