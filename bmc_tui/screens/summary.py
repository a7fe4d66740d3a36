"""Step 7: every finding, most serious first, with why it matters and where to fix it."""

from __future__ import annotations

from typing import ClassVar, Final

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from ..model import BLOCK_TITLES, KIND_STEP, STEP_TITLES, Session
from ..money import totals_rows
from ..progress import WORK_STEPS, step_progress
from ..rules import Finding
from ..store import StoreError
from ..text import one_line
from ..widgets.canvas_view import CanvasView
from ..widgets.findings_list import SEVERITY_MARKS, FindingsList
from ..widgets.shown import watch_shown
from .base import StepScreen
from .overview import flagged_ids

BAR_WIDTH: Final = 10
# Wording the guide does not have: labels of this screen's panels.
PROGRESS_TITLE: Final = "Progress"
WHY_TITLE: Final = "Why it matters"
NO_FINDING: Final = "Highlight a finding to see why it matters and where to fix it."
SEVERITY_NAMES: Final = {"error": "Error", "warning": "Warning", "info": "Not done yet"}


def progress_text(session: Session) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    for n, (step, (done, total)) in enumerate(
        (step, step_progress(session)[step]) for step in WORK_STEPS
    ):
        if n:
            text.append("\n")
        filled = round(BAR_WIDTH * done / total) if total else 0
        complete = total > 0 and done >= total
        text.append(f"{STEP_TITLES[step]:<15}", style="bold" if complete else "")
        text.append("█" * filled, style="green" if complete else "cyan")
        text.append("░" * (BAR_WIDTH - filled), style="dim")
        text.append(f" {done}/{total}", style="green" if complete else "dim")
    # The monthly totals under the bars, aligned with them, once some amount is given.
    for label, amount in totals_rows(session):
        text.append(f"\n{label:<15}")
        text.append(amount, style="bold")
    return text


def fix_target(session: Session, finding: Finding) -> str | None:
    """Where the cursor goes: the finding's target, else the item it is about, if any."""
    if finding.target is not None:
        return finding.target
    # Some rules (plan.dates-invalid) name their item only in refs.
    if finding.refs:
        found = session.find(finding.refs[0])
        if found is not None and KIND_STEP.get(found[0]) == finding.step:
            return finding.refs[0]
    return None


def target_name(session: Session, finding: Finding) -> str:
    """Where Enter lands, in words: the item's text when the target is an item."""
    target = fix_target(session, finding)
    if target is None:
        return ""
    found = session.find(target)
    if found is not None:
        return one_line(found[1].label, 50) or one_line(target, 50)
    return BLOCK_TITLES.get(target, one_line(target.replace("_", " "), 50))


def why_text(session: Session, finding: Finding | None) -> Text:
    if finding is None:
        return Text(NO_FINDING, style="dim italic")
    mark, style = SEVERITY_MARKS[finding.severity]
    text = Text()
    text.append(f"{mark} {SEVERITY_NAMES[finding.severity]}", style=style)
    text.append(f"  {finding.rule}\n", style="dim")
    text.append(one_line(finding.message, None))
    if finding.why:
        text.append("\n\n")
        text.append(finding.why, style="italic")
    text.append("\nEnter: fix it in ", style="dim")
    text.append(STEP_TITLES.get(finding.step, finding.step), style="bold")
    where = target_name(session, finding)
    if where:
        text.append(f" → {where}", style="dim")
    return text


class SummaryScreen(StepScreen):
    STEP = "summary"
    CSS_PATH = "summary.tcss"
    # Under 34 lines the canvas gives its room to the findings unless asked for (c).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    # Wide terminals give the "why" more room, so it reads in a few long lines.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "toggle_canvas", "Canvas", tooltip="Show or hide the canvas overview"),
        Binding("x", "export('md')", "Markdown", tooltip="Export: write a Markdown report"),
        Binding("h", "export('html')", "HTML", tooltip="Export: write an HTML page (print to PDF)"),
    ]

    def __init__(self, target: str | None = None) -> None:
        super().__init__(target)
        self.canvas_choice: bool | None = None

    def compose_body(self) -> ComposeResult:
        yield CanvasView(id="summary-canvas")
        with Horizontal(id="summary-body"):
            yield FindingsList(id="findings")
            with Vertical(id="summary-side"):
                progress = Static(id="progress")
                progress.border_title = PROGRESS_TITLE
                yield progress
                why = Static(id="why")
                why.border_title = WHY_TITLE
                yield why

    def on_mount(self) -> None:
        super().on_mount()
        self._findings_changed()
        self.query_one(FindingsList).focus()
        watch_shown(self, self.app, "findings", self._findings_changed, init=False)
        watch_shown(self, self.app, "revision", self._revision_changed, init=False)

    # -- live content ------------------------------------------------------------------

    def _findings_changed(self, _: object = None) -> None:
        self.query_one(FindingsList).show(self.bmc.findings)
        self._revision_changed()

    def _revision_changed(self, _: object = None) -> None:
        if self.bmc.editor is None:
            return
        self.query_one("#progress", Static).update(progress_text(self.session))
        self.query_one(CanvasView).show(self.session, flagged_ids(self.bmc))
        self._show_why(self.query_one(FindingsList).current)

    def _show_why(self, finding: Finding | None) -> None:
        if self.bmc.editor is not None:
            self.query_one("#why", Static).update(why_text(self.session, finding))

    def on_findings_list_highlighted(self, event: FindingsList.Highlighted) -> None:
        self._show_why(event.finding)

    def on_findings_list_chosen(self, event: FindingsList.Chosen) -> None:
        finding = event.finding
        self.bmc.goto_step(finding.step, fix_target(self.session, finding))

    # -- actions -----------------------------------------------------------------------

    def action_toggle_canvas(self) -> None:
        shown = self.canvas_choice
        if shown is None:
            shown = not self.has_class("-short")
        self.canvas_choice = not shown
        self.set_class(self.canvas_choice, "-canvas-on")
        self.set_class(not self.canvas_choice, "-canvas-off")
        # On a short terminal the canvas takes the findings' place: nothing hidden keeps focus.
        if self.has_class("-short") and self.canvas_choice:
            self.set_focus(None)
        else:
            self.query_one(FindingsList).focus()

    def action_export(self, fmt: str) -> None:
        from ..commands import export_session

        try:
            export_session(self.bmc, fmt)
        except StoreError as error:
            self.notify(str(error), title="Not exported", severity="error")
