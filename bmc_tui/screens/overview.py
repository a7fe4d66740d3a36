"""The whole canvas at a glance (Ctrl+O from any step); Enter on nothing, Esc closes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ..widgets.canvas_view import CanvasView
from ..widgets.footer import KeysFooter
from ..widgets.step_bar import StepBar

if TYPE_CHECKING:
    from ..app import BmcApp


def flagged_ids(app: BmcApp) -> set[str]:
    return {f.refs[0] for f in app.findings if f.severity in ("error", "warning") and f.refs}


class OverviewScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+o,q", "close", "Close"),
        Binding("e", "edit", "Edit canvas"),
    ]

    @property
    def bmc(self) -> BmcApp:
        return cast("BmcApp", self.app)

    def compose(self) -> ComposeResult:
        yield StepBar()
        yield CanvasView(id="canvas-view")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._redraw()
        # Another participant's room or a late findings refresh can change what is flagged.
        self.watch(self.app, "findings", self._redraw, init=False)

    def _redraw(self, _: object = None) -> None:
        if self.bmc.editor is not None:
            self.query_one(CanvasView).show(self.bmc.editor.session, flagged_ids(self.bmc))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_edit(self) -> None:
        self.dismiss(None)
        self.bmc.goto_step("canvas")
