"""The bar at the top of every step: where you are, how far each step is, the live counts."""

from __future__ import annotations

from datetime import UTC, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.widgets import Static

from ..model import STEP_TITLES, STEPS
from ..progress import step_progress
from ..rules import counts
from ..text import one_line
from .shown import is_shown, watch_shown

SHORT_TITLES = MappingProxyType(
    {
        "social": "Social",
        "canvas": "Canvas",
        "practices": "Practices",
        "strategy": "Strategy",
        "plan": "Plan",
        "fitness": "Fitness",
        "summary": "Summary",
    }
)


if TYPE_CHECKING:
    from textual.timer import Timer

    from ..app import BmcApp


class StepBar(Static):
    """Steps with their F-key and progress, findings counts, and the timebox countdown."""

    DEFAULT_CSS = """
    StepBar { height: 2; background: $panel; padding: 0 1; }
    """

    @property
    def bmc(self) -> BmcApp:
        return cast("BmcApp", self.app)

    _shown: Text | None = None
    _ticks: Timer | None = None

    def on_mount(self) -> None:
        watch_shown(self, self.app, "findings", self._changed, init=False)
        watch_shown(self, self.app, "revision", self._changed, init=False)
        watch_shown(self, self.app, "room", self._changed, init=False)
        self._ticks = self.set_interval(1.0, self._tick, pause=not is_shown(self))
        self._show(self.render_bar())

    def _changed(self, _: object = None) -> None:
        self._show(self.render_bar())

    def ticking(self, on: bool) -> None:
        """The countdown's clock: stopped while the bar's screen is kept off the stack (an
        idle room of fifty would otherwise wake each app once a second per kept step)."""
        if self._ticks is None:  # not mounted yet: it starts as its screen is
            return
        if on:
            self._ticks.resume()
            self._changed()
        else:
            self._ticks.pause()

    def _tick(self) -> None:
        # A kept screen's bar is not on the terminal: it catches up when shown.
        if self.bmc.timebox_ends() is not None and is_shown(self):
            self._show(self.render_bar())

    def _show(self, bar: Text) -> None:
        # `revision` changes on every keystroke, but the bar rarely does: redraw only when
        # it did. And never ask for a layout: the bar's height is fixed (2) by its CSS, and
        # a layout pass re-renders the whole screen (it was most of a keystroke's cost on
        # a large canvas; see docs/performance.md).
        if bar == self._shown:
            return
        self._shown = bar
        self.update(bar, layout=False)

    def render_bar(self) -> Text:
        app = self.bmc
        if app.editor is None:
            return Text("")
        session = app.editor.session
        current = session.step
        progress = step_progress(session)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(one_line(session.title, 40), style="bold")
        if app.read_only_reason:
            line.append("  read-only", style="bold reverse")
        c = counts(app.findings)
        line.append("   ")
        line.append(f"✗ {c['error']}", style="bold red" if c["error"] else "dim")
        line.append("  ")
        line.append(f"! {c['warning']}", style="bold yellow" if c["warning"] else "dim")
        line.append("  ")
        line.append(f"· {c['info']} to do", style="dim")
        ends = app.timebox_ends()
        if ends is not None:
            left = int((ends - datetime.now(UTC)).total_seconds())
            line.append("   ⏱ ")
            if left > 0:
                line.append(f"{left // 60:02d}:{left % 60:02d}", style="bold")
            else:
                line.append("time is up", style="bold reverse")
        steps = self._steps_line(progress, current, compact=False)
        # Before its first layout the bar has no size yet: the terminal's width stands in,
        # or a new step screen at 80 columns opens with the long names cut off.
        width = self.size.width or self.app.size.width
        if width and steps.cell_len > width - 2:
            # 80 columns cannot hold every step with counts: short names and a glyph each.
            steps = self._steps_line(progress, current, compact=True)
        return Text("\n").join([line, steps])

    @staticmethod
    def _steps_line(
        progress: dict[str, tuple[int, int]], current: str | None, *, compact: bool
    ) -> Text:
        steps = Text(no_wrap=True, overflow="ellipsis")
        for n, step in enumerate(STEPS, start=2):
            done, total = progress.get(step, (0, 0))
            if compact:
                mark = ("✓" if done >= total else ("◐" if done else "○")) if total else ""
            else:
                mark = "✓" if total and done >= total else (f"{done}/{total}" if total else "")
            style = "bold reverse" if step == current else ("green" if mark == "✓" else "")
            steps.append(f"F{n}" if compact else f"F{n} ", style="dim")
            steps.append(SHORT_TITLES[step] if compact else STEP_TITLES[step], style=style)
            if mark:
                steps.append(
                    mark if compact else f" {mark}", style="green" if mark == "✓" else "dim"
                )
            steps.append(" " if compact else "  ")
        return steps

    def on_resize(self) -> None:
        self._show(self.render_bar())
