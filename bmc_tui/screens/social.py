"""Step 1: the social business model — is promotion the problem, or the model?

A list of sections on the left (the opening question, the four checks, the five principles)
and the chosen section on the right, so each part fits an 80×24 terminal on its own.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar, Final

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import (
    ContentSwitcher,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from ..editing import MAX_TEXT_CHARS
from ..guide import PRINCIPLES, SOCIAL_CHECKS, SOCIAL_DIAGNOSTIC, Prompt
from ..rules import Finding
from ..text import for_display, one_line
from ..widgets.rating import Rating
from ..widgets.shown import watch_shown
from ..widgets.text_field import TextField
from .base import StepScreen

if TYPE_CHECKING:
    from ..collab import Change, Key

# Not in guide.py: the names of the two sections before the principles, and the rating label.
DIAGNOSTIC_TITLE: Final = "Opening question"
CHECKS_TITLE: Final = "Four checks"
RATING_LABEL: Final = "Rate the current model, 1 to 5"
PROMOTION_RULE: Final = "social.promotion-first"
WEAK_RULE: Final = "social.weak-principle"
SECTIONS: Final = ("diagnostic", "checks", *(p.key for p in PRINCIPLES))
SECTION_TITLES: Final = MappingProxyType(
    {"diagnostic": DIAGNOSTIC_TITLE, "checks": CHECKS_TITLE, **{p.key: p.title for p in PRINCIPLES}}
)


class SectionList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        # OptionList's own Enter, named so the Footer says how to get into a section.
        Binding("enter", "select", "Answer", tooltip="Go to this section's questions"),
        Binding("j", "cursor_down", "Next section", show=False),
        Binding("k", "cursor_up", "Previous section", show=False),
    ]


class AnswerArea(TextField):
    """A free-text answer, stored under the guide's prompt id."""

    def __init__(self, prompt: Prompt, text: str) -> None:
        super().__init__(text, id="answer-" + prompt.id.replace(".", "-"))
        self.prompt_id = prompt.id


def rating_dots(rating: int) -> str:
    """A 1-5 rating as five dots ("●●●○○"), so it reads as a rating at a glance."""
    return "●" * rating + "○" * (5 - rating)


def section_of(target: str | None) -> tuple[str, str | None]:
    """The section a jump target lives in, and the id of the field to focus there.

    Besides the findings' targets (a rating key, "problem") and the prompt ids, "@section"
    shows a section with the cursor left on the section list.
    """
    if target is not None and target.startswith("@") and target[1:] in SECTIONS:
        return target[1:], None
    if target == "problem":
        return "diagnostic", "#problem"
    for prompt in SOCIAL_CHECKS:
        if prompt.id == target:
            return "checks", "#answer-" + prompt.id.replace(".", "-")
    for principle in PRINCIPLES:
        if principle.key == target:
            return principle.key, f"#rating-{principle.key}"
        for prompt in principle.questions:
            if prompt.id == target:
                return principle.key, "#answer-" + prompt.id.replace(".", "-")
    return "diagnostic", None


class SocialScreen(StepScreen):
    STEP = "social"
    SHOWS = ("social",)
    CSS_PATH = "social.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(str(n), f"section('{key}')", SECTION_TITLES[key], show=False)
            for n, key in enumerate(SECTIONS, start=1)
        ],
    ]

    def __init__(self, target: str | None = None) -> None:
        super().__init__(target)
        self.section, self.focus_id = section_of(target)

    # -- building --------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="social-body"):
            yield SectionList(id="sections")
            with ContentSwitcher(id="social-pane", initial=f"section-{self.section}"):
                yield self._section("diagnostic", self._diagnostic())
                yield self._section("checks", self._checks())
                for principle in PRINCIPLES:
                    yield self._section(principle.key, self._principle(principle.key))

    def _section(self, key: str, children: list[Widget]) -> VerticalScroll:
        section = VerticalScroll(*children, id=f"section-{key}", classes="section")
        section.can_focus = False  # Tab goes from field to field, not to the scroller.
        return section

    def _answer(self, prompt: Prompt) -> list[Widget]:
        text = self.session.social.answers.get(prompt.id, "")
        return [
            Label(Content(prompt.question), classes="question"),
            Label(Content(prompt.hint), classes="hint"),
            AnswerArea(prompt, text),
        ]

    def _diagnostic(self) -> list[Widget]:
        problem = self.session.social.problem
        buttons = [
            RadioButton(Content(c.label), value=c.key == problem, id=f"problem-{c.key}")
            for c in SOCIAL_DIAGNOSTIC.choices
        ]
        return [
            Label(Content(DIAGNOSTIC_TITLE), classes="section-title"),
            Label(Content(SOCIAL_DIAGNOSTIC.question), classes="question"),
            Label(Content(SOCIAL_DIAGNOSTIC.hint), classes="hint"),
            RadioSet(*buttons, id="problem"),
            Static(id="problem-text"),
            Static(id="promotion-note", classes="note"),
        ]

    def _checks(self) -> list[Widget]:
        widgets: list[Widget] = [Label(Content(CHECKS_TITLE), classes="section-title")]
        for prompt in SOCIAL_CHECKS:
            widgets.extend(self._answer(prompt))
        return widgets

    def _principle(self, key: str) -> list[Widget]:
        principle = next(p for p in PRINCIPLES if p.key == key)
        widgets: list[Widget] = [
            Label(Content(principle.title), classes="section-title"),
            Static(Content(principle.summary), classes="summary"),
        ]
        for prompt in principle.questions:
            widgets.extend(self._answer(prompt))
        widgets += [
            Label(Content(RATING_LABEL), classes="question"),
            Label(Content(principle.rating_hint), classes="hint"),
            Rating(self.session.social.ratings.get(key), id=f"rating-{key}"),
            Static(id=f"weak-{key}", classes="note"),
        ]
        return widgets

    def on_mount(self) -> None:
        super().on_mount()
        editable = self.bmc.can_edit
        for rating in self.query(Rating):
            rating.disabled = not editable
        sections = self.query_one(SectionList)
        sections.border_title = f"Sections 1-{len(SECTIONS)}"
        for key in SECTIONS:
            sections.add_option(Option(self._section_label(key), id=key))
        sections.highlighted = SECTIONS.index(self.section)
        self._show_problem_text()
        watch_shown(self, self.app, "findings", self._show_findings)
        watch_shown(self, self.app, "revision", self._refresh_sections, init=False)
        field = self.query_one(self.focus_id) if self.focus_id else None
        if field is not None and editable:
            field.focus()
        else:
            sections.focus()
            if field is not None:
                self.call_after_refresh(field.scroll_visible, animate=False)

    # -- showing ---------------------------------------------------------------------

    def _section_label(self, key: str) -> Text:
        social = self.session.social
        findings = self.bmc.findings
        label = Text()
        label.append(f"{SECTIONS.index(key) + 1} ", style="dim")
        if key == "diagnostic":
            label.append(DIAGNOSTIC_TITLE)
            if social.problem is not None:
                label.append("  ✓", style="green")
            if any(f.rule == PROMOTION_RULE for f in findings):
                label.append("  !", style="bold yellow")
        elif key == "checks":
            done = sum(1 for p in SOCIAL_CHECKS if social.answers.get(p.id, "").strip())
            label.append(CHECKS_TITLE)
            label.append(f"  {done}/{len(SOCIAL_CHECKS)}", style="green" if done else "dim")
        else:
            principle = next(p for p in PRINCIPLES if p.key == key)
            label.append(principle.title)
            rating = social.ratings.get(key)
            if rating is None:
                label.append("  ·", style="dim")
            else:
                weak = any(f.rule == WEAK_RULE and f.target == key for f in findings)
                # Dots, not "3/5": the checks' progress ("4/4") must not read like a rating.
                label.append(f"  {rating_dots(rating)}", style="bold yellow" if weak else "green")
        return label

    def _refresh_sections(self, _: object = None) -> None:
        sections = self.query_one(SectionList)
        for key in SECTIONS:
            sections.replace_option_prompt(key, self._section_label(key))

    def _show_problem_text(self) -> None:
        problem = self.session.social.problem
        text = SOCIAL_DIAGNOSTIC.choice(problem).text if problem else ""
        self.query_one("#problem-text", Static).update(Content(text))

    def _show_findings(self, findings: list[Finding]) -> None:
        promotion = next((f for f in findings if f.rule == PROMOTION_RULE), None)
        self._note("#promotion-note", promotion)
        for principle in PRINCIPLES:
            weak = next(
                (f for f in findings if f.rule == WEAK_RULE and f.target == principle.key), None
            )
            self._note(f"#weak-{principle.key}", weak)
        self._refresh_sections()

    def _note(self, selector: str, finding: Finding | None) -> None:
        note = self.query_one(selector, Static)
        if finding is None:
            note.update("")
        else:
            text = Text(f"! {one_line(finding.message, None)}", style="bold")
            if finding.why:
                text.append(f"\n{finding.why}", style="not bold")
            note.update(text)
        note.set_class(finding is not None, "-shown")

    # -- navigating ------------------------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if isinstance(event.option_list, SectionList) and event.option.id in SECTIONS:
            self._show_section(event.option.id)

    def _show_section(self, key: str) -> None:
        self.section = key
        self.query_one(ContentSwitcher).current = f"section-{key}"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, SectionList):
            section = self.query_one(f"#section-{self.section}")
            fields = [w for w in section.query("RadioSet, TextArea, Rating") if w.focusable]
            if fields:
                fields[0].focus()

    def resume_target(self) -> str | None:
        focused = self.focused
        if isinstance(focused, AnswerArea):
            return focused.prompt_id
        if isinstance(focused, Rating) and focused.id:
            return focused.id.removeprefix("rating-")
        if isinstance(focused, RadioSet):
            return "problem"
        return f"@{self.section}"

    def team_changed(self, change: Change) -> set[Key]:
        """A teammate's answers, ratings and diagnosis, shown where they are."""
        kept = super().team_changed(change)
        social = self.session.social
        for key in change.keys:
            if key[0] == "answer":
                for area in self.query(AnswerArea):
                    if area.prompt_id == key[1] and not area.show_remote(
                        social.answers.get(key[1], "")
                    ):
                        kept.add(key)
            elif key[0] == "rating":
                for rating in self.query(Rating):
                    if rating.id == f"rating-{key[1]}":
                        rating.value = social.ratings.get(key[1])  # posts nothing
            elif key[0] == "problem":
                for button in self.query(RadioButton):
                    wanted = button.id == f"problem-{social.problem}"
                    if button.value != wanted:
                        with button.prevent(RadioButton.Changed), self.prevent(RadioSet.Changed):
                            button.value = wanted
                self._show_problem_text()
        return kept

    def action_section(self, key: str) -> None:
        """A digit: show the section, with the cursor on it in the section list (never in an
        answer, where the next keys would become text)."""
        sections = self.query_one(SectionList)
        # All of it done here, before the next key: a Tab typed right after the digit was
        # handled before the list's Highlighted message switched the pane (so it went to
        # the first field of the section still shown, which then hid), and before the focus
        # `focus()` defers (which then took the cursor back to the list).
        self._show_section(key)
        with sections.prevent(OptionList.OptionHighlighted):
            sections.highlighted = SECTIONS.index(key)
        self.set_focus(sections)

    def action_focus_main(self) -> None:
        """Esc: back to the section list; whatever was typed is already in the session."""
        self.query_one(SectionList).focus()

    def on_descendant_blur(self, event: object) -> None:
        # Every field ends its own undo step when it loses focus, answers included.
        self.seal_on_blur()

    # -- editing ---------------------------------------------------------------------

    def _changed(self, before: int) -> None:
        if self.editor.revision != before:
            self.bmc.edited()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        key = (event.pressed.id or "").removeprefix("problem-")
        if not self.bmc.can_edit or key not in {c.key for c in SOCIAL_DIAGNOSTIC.choices}:
            return
        before = self.editor.revision
        self.editor.set_problem(key)
        self._changed(before)
        self._show_problem_text()

    def on_rating_changed(self, event: Rating.Changed) -> None:
        event.stop()
        key = (event.rating.id or "").removeprefix("rating-")
        if not self.bmc.can_edit or key not in SECTIONS[2:]:
            return
        before = self.editor.revision
        self.editor.set_rating(key, event.value)
        self._changed(before)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        if not isinstance(area, AnswerArea) or not self.bmc.can_edit:
            return
        event.stop()
        typed = area.text
        area.took(typed)
        kept = self.session.social.answers.get(area.prompt_id, "")
        if len(typed) > MAX_TEXT_CHARS and len(kept) >= MAX_TEXT_CHARS:
            # Full already: refuse what was typed rather than cut the answer's end off.
            row, column = area.cursor_location
            with area.prevent(TextArea.Changed):
                area.load_text(for_display(kept))
            area.move_cursor((row, max(column - (len(typed) - len(kept)), 0)))
            self.notify(
                f"Answers keep at most {MAX_TEXT_CHARS:,} characters; this one is full.",
                timeout=4,
            )
            return
        before = self.editor.revision
        self.editor.set_answer(area.prompt_id, typed)
        self._changed(before)
        stored = self.session.social.answers.get(area.prompt_id, "")
        if stored != typed:
            # Show what is kept, so the screen never shows text the file does not have.
            with area.prevent(TextArea.Changed):
                area.load_text(for_display(stored))
            area.move_cursor(area.document.end)
            self.notify(
                f"Answers keep at most {MAX_TEXT_CHARS:,} characters; the rest was cut."
                if len(typed) > MAX_TEXT_CHARS
                else "Control characters and escape sequences were removed.",
                timeout=4,
            )
