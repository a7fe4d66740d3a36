"""KeysFooter: the keys a screen offers, rebuilt only when they change."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from bmc_tui.widgets.footer import KeysFooter

from .conftest import wait_for


class FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f5", "undo", "Undo")]

    def __init__(self) -> None:
        super().__init__()
        self.can_undo = False
        self.recomposes = 0

    def compose(self) -> ComposeResult:
        yield Input()
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo" and not self.can_undo:
            return None  # shown, dimmed
        return True

    def action_undo(self) -> None:
        """Nothing to undo here: the binding is what the test looks at."""


def undo_key(app: FooterApp) -> FooterKey | None:
    keys = [k for k in app.query(FooterKey) if k.action == "undo"]
    return keys[0] if keys else None


async def test_rebuilt_only_when_the_keys_change() -> None:
    app = FooterApp()
    async with app.run_test(size=(80, 10)) as pilot:
        footer = app.query_one(KeysFooter)
        original = footer.recompose

        async def counted() -> None:
            app.recomposes += 1
            await original()

        footer.recompose = counted  # type: ignore[method-assign]
        await wait_for(pilot, lambda: undo_key(app) is not None)
        key = undo_key(app)
        assert key is not None and key.has_class("-disabled")
        app.recomposes = 0

        for _ in range(5):  # nothing the Footer shows changes
            app.refresh_bindings()
        await pilot.pause()
        assert app.recomposes == 0
        assert undo_key(app) is key

        app.can_undo = True
        for _ in range(5):  # one change, published five times: one rebuild
            app.refresh_bindings()
        await wait_for(
            pilot, lambda: (k := undo_key(app)) is not None and not k.has_class("-disabled")
        )
        assert app.recomposes == 1
