"""Step 6: the marketing fitness test, four yes/no questions on how the team works."""

from __future__ import annotations

from typing import ClassVar, Final

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from ..guide import FITNESS_QUESTIONS
from ..model import FITNESS_KEYS, STEPS
from ..rules import Finding
from ..text import one_line
from ..widgets.shown import watch_shown
from ..widgets.yes_no import YesNo
from .base import StepScreen

# Not in guide.py: what a "no" means here, and where it goes next.
NO_MEANS: Final = (
    "A “no” is an honest answer, not a failure: it names a topic for the next conversation. "
    "Every “no” is listed in the summary (F{summary}) as a fitness gap; “not answered” "
    "stays open until you decide."
).format(summary=STEPS.index("summary") + 2)
GAP_RULE: Final = "fitness.gap"


class FitnessScreen(StepScreen):
    STEP = "fitness"
    SHOWS = ("fitness",)
    CSS_PATH = "fitness.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the scrolling body would otherwise take Up/Down for itself.
        Binding("down,j", "app.focus_next", "Next question", show=False, priority=True),
        Binding("up,k", "app.focus_previous", "Previous question", show=False, priority=True),
    ]

    def compose_body(self) -> ComposeResult:
        fitness = self.session.fitness
        body = VerticalScroll(id="fitness-body")
        body.can_focus = False  # Tab goes from question to question, not to the scroller.
        with body:
            yield Static(Content(NO_MEANS), id="fitness-note")
            for n, prompt in enumerate(FITNESS_QUESTIONS, start=1):
                with Vertical(classes="fitness-question", id=f"question-{prompt.id}"):
                    yield Label(Content(f"{n}. {prompt.question}"), classes="question-title")
                    yield Label(Content(prompt.hint), classes="question-hint")
                    yield YesNo(fitness.answer(prompt.id), id=f"answer-{prompt.id}")
                    yield Static(classes="question-finding", id=f"finding-{prompt.id}")

    def on_mount(self) -> None:
        super().on_mount()
        editable = self.bmc.can_edit
        for widget in self.query(YesNo):
            widget.disabled = not editable
        watch_shown(self, self.app, "findings", self._show_findings)
        watch_shown(self, self.app, "revision", self._fill, init=False)
        key = self.target if self.target in FITNESS_KEYS else None
        if key is None:
            unanswered = (k for k in FITNESS_KEYS if self.session.fitness.answer(k) is None)
            key = next(unanswered, FITNESS_KEYS[0])
        if editable:
            self.query_one(f"#answer-{key}", YesNo).focus()
        else:
            self.query_one(f"#question-{key}").scroll_visible(animate=False)

    def _fill(self, _: object = None) -> None:
        for key in FITNESS_KEYS:
            self.query_one(f"#answer-{key}", YesNo).value = self.session.fitness.answer(key)

    def _show_findings(self, findings: list[Finding]) -> None:
        gaps = {f.target: f for f in findings if f.rule == GAP_RULE}
        for key in FITNESS_KEYS:
            note = self.query_one(f"#finding-{key}", Static)
            finding = gaps.get(key)
            note.update(
                Text(f"! {one_line(finding.message, None)} (listed in the summary)")
                if finding
                else ""
            )
            note.set_class(finding is not None, "-shown")

    def on_yes_no_changed(self, event: YesNo.Changed) -> None:
        event.stop()
        widget_id = event.yes_no.id or ""
        key = widget_id.removeprefix("answer-")
        if key not in FITNESS_KEYS or not self.bmc.can_edit:
            return
        before = self.editor.revision
        self.editor.set_fitness(key, event.value)
        if self.editor.revision != before:
            self.bmc.edited()

    def resume_target(self) -> str | None:
        focused = self.focused
        return (
            focused.id.removeprefix("answer-")
            if isinstance(focused, YesNo) and focused.id
            else None
        )

    def action_focus_main(self) -> None:
        if not isinstance(self.focused, YesNo):
            answers = self.query(YesNo)
            if answers:
                answers.first().focus()
