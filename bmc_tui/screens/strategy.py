"""Step 4: the strategy, the why and the what for a period.

A lot goes into it, so the screen is a section list on the left (keys 1-9) switching the
pane on the right: the period and focus, one list + form per strategy list, the budget.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Final

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ..editing import MAX_TEXT_CHARS, NOT_A_DATE, EditError, read_day
from ..guide import (
    FOCUS_LABELS,
    SMART_INTRO,
    SMART_NO_PERIOD,
    SMART_PARTS,
    SMART_PERIOD,
    STRATEGY_FIELDS,
)
from ..model import BLOCK_TITLES, FOCUSES, KIND_TITLES, STRATEGY_LISTS, Goal, Item, KeyDate
from ..text import for_display, one_line
from ..widgets.field_input import FieldInput
from ..widgets.item_form import ChoiceSelect, FieldSpec, ItemForm
from ..widgets.item_list import ItemList, item_label
from ..widgets.nav_list import NavList
from ..widgets.shown import watch_shown
from ..widgets.text_field import TextField
from .base import StepScreen

if TYPE_CHECKING:
    from ..collab import Change, Key

# Sections in the order of the workshop: the period first, the budget last (it follows
# from everything else). The short titles fit the section list at 80 columns.
SECTIONS: Final = (
    "period",
    "goals",
    "markets",
    "programs",
    "messages",
    "dates",
    "pinches",
    "policies",
    "budget",
)
SECTION_TITLES: Final = {
    "period": "Period & focus",
    "goals": "Goals",
    "markets": "Markets",
    "programs": "Programs",
    "messages": "Messages",
    "dates": "Key dates",
    "pinches": "Pinches",
    "policies": "Policies",
    "budget": "Budget",
}
SCALARS: Final = ("start", "end", "focus", "vision", "transformation", "budget", "buyers")
PERIOD_RULES: Final = ("strategy.period-invalid", "strategy.no-period")

# Wording the guide does not have.
PERIOD_HEADING: Final = "The period and the focus"
DATE_FORMAT: Final = "YYYY-MM-DD"
METRIC_LABEL: Final = "Metric"
METRIC_HINT: Final = "What you will count to know it worked"
TARGET_LABEL: Final = "Target"
TARGET_HINT: Final = "The value that counts as success, and by when"
DATE_LABEL: Final = "Date"
NOT_CHOSEN: Final = "(not chosen)"


def list_fields(kind: str) -> tuple[FieldSpec, ...]:
    text = FieldSpec("text", KIND_TITLES[kind], "text")
    extra: dict[str, tuple[FieldSpec, ...]] = {
        "goals": (
            FieldSpec("metric", METRIC_LABEL, "text", hint=METRIC_HINT),
            FieldSpec("target", TARGET_LABEL, "text", hint=TARGET_HINT),
        ),
        "markets": (FieldSpec("segments", BLOCK_TITLES["customer_segments"], "links"),),
        "programs": (FieldSpec("goals", STRATEGY_FIELDS["goals"].label, "links"),),
        "dates": (FieldSpec("date", DATE_LABEL, "date", hint=DATE_FORMAT),),
    }
    return (text, *extra.get(kind, ()))


def _why_not_a_day(text: str) -> str:
    """What is wrong with a day typed (a field marked invalid)."""
    try:
        read_day(text)
    except EditError as error:
        return str(error)
    return NOT_A_DATE  # empty, or a day since: nothing better to say


class SectionNav(NavList):
    WHERE = "in a section's list (2-8)"
    # OptionList's own Enter, named so the Footer says how to get into a section.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", tooltip="Go into this section"),
    ]


class StrategyList(ItemList):
    """An ItemList that also shows a key date's day and a goal's metric and target."""

    def prompt_for(self, item: Item, flagged: dict[str, str]) -> Text:
        prompt = super().prompt_for(item, flagged)
        if isinstance(item, KeyDate):
            prompt.append(f"\n  {item.date.isoformat()}", style="cyan")
        elif isinstance(item, Goal):
            measure = " · ".join(
                one_line(value, 30) for value in (item.metric, item.target) if value
            )
            if measure:
                prompt.append(f"\n  {measure}", style="dim")
        return prompt


class KeyDateForm(ItemForm):
    """A key date always has a day: clearing the field marks it instead of erasing the date."""

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "field-date" and not event.value.strip():
            if isinstance(event.input, FieldInput):
                event.input.took(event.value)
            event.input.add_class("-invalid")
            spec = next(f for f in self.fields if f.name == "date")
            self.field_error(spec, f"{DATE_LABEL}: a key date needs its day ({DATE_FORMAT}).")
            event.stop()
            event.prevent_default()  # ItemForm's handler would try to store "no date"


def smart_text(end: date | None) -> Text:
    """What makes a goal SMART, with this strategy's end date as the time bound."""
    text = Text(SMART_INTRO, style="bold")
    for letter, meaning in SMART_PARTS:
        text.append("\n• ")
        text.append(letter, style="bold")
        text.append(f": {meaning}")
    text.append("\n")
    text.append(SMART_PERIOD.format(end=end.isoformat()) if end else SMART_NO_PERIOD, style="dim")
    return text


class GoalForm(ItemForm):
    """The goal's fields, and under them what makes a goal SMART."""

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static(id="goal-smart", classes="field-hint smart")

    def show(self, item_id: str | None) -> None:
        super().show(item_id)
        editor = self.bmc.editor
        end = editor.session.strategy.end if editor is not None else None
        self.query_one("#goal-smart", Static).update(smart_text(end))


class StrategyScreen(StepScreen):
    STEP = "strategy"
    SHOWS = ("strategy", "canvas", "currency")
    CSS_PATH = "strategy.tcss"
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (110, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(str(n), f"section('{section}')", SECTION_TITLES[section], show=False)
            for n, section in enumerate(SECTIONS, start=1)
        ],
        Binding("tab", "app.focus_next", "Next pane", show=False),
    ]

    def __init__(self, target: str | None = None) -> None:
        super().__init__(target)
        self.section = "period"
        self.select_item: str | None = None
        self.focus_scalar: str | None = None
        if target in SECTIONS:
            self.section = target
            self.focus_scalar = "budget" if target == "budget" else None
        elif target in SCALARS:
            self.section = {"budget": "budget", "buyers": "markets"}.get(target, "period")
            self.focus_scalar = target
        elif target is not None and self.bmc.editor is not None:
            found = self.bmc.editor.session.find(target)
            if found is not None and found[0] in STRATEGY_LISTS:
                self.section, self.select_item = found[0], target

    # -- layout --------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="strategy-body"):
            yield SectionNav(id="sections")
            with ContentSwitcher(id="strategy-pane", initial=f"sec-{self.section}"):
                yield from self._compose_period()
                for kind in SECTIONS[1:-1]:
                    yield from self._compose_list(kind)
                yield from self._compose_budget()

    def _compose_period(self) -> ComposeResult:
        # Not focusable: Tab goes from the sections to the first field, not to a scroller
        # that showed no cursor (and took the digits typed next as section keys).
        with VerticalScroll(id="sec-period", classes="scalar-section") as section:
            section.can_focus = False
            yield Label(PERIOD_HEADING, classes="section-heading")
            with Horizontal(id="period-dates"):
                for name in ("start", "end"):
                    with Vertical():
                        yield Label(STRATEGY_FIELDS[name].label, classes="field-label")
                        yield FieldInput(
                            id=f"strategy-{name}",
                            placeholder=DATE_FORMAT,
                            tooltip=STRATEGY_FIELDS[name].hint,
                            max_length=10,
                            restrict=r"[0-9-]*",
                        )
            yield Static(id="period-notes")
            yield Label(STRATEGY_FIELDS["focus"].label, classes="field-label")
            yield ChoiceSelect(
                [(FOCUS_LABELS[focus], focus) for focus in FOCUSES],
                id="strategy-focus",
                prompt=NOT_CHOSEN,
            )
            yield Label(STRATEGY_FIELDS["focus"].hint, classes="field-hint")
            # Sentences: wrapping fields, so the whole answer shows while it is typed.
            for name in ("vision", "transformation"):
                yield Label(STRATEGY_FIELDS[name].label, classes="field-label")
                yield TextField(
                    id=f"strategy-{name}",
                    placeholder=STRATEGY_FIELDS[name].hint,
                    classes="sentence",
                )

    def _compose_list(self, kind: str) -> ComposeResult:
        with Vertical(id=f"sec-{kind}", classes="list-section"):
            if kind == "markets":
                # Buyer context first: the markets (and programs, messages) rest on it.
                buyers = STRATEGY_FIELDS["buyers"]
                yield Label(buyers.label, classes="field-label buyers-label")
                yield FieldInput(id="strategy-buyers", placeholder=buyers.hint)
            yield Label(STRATEGY_FIELDS[kind].hint, classes="section-hint")
            with Horizontal(classes="section-body"):
                item_list = StrategyList(kind, id=f"list-{kind}")
                item_list.border_title = STRATEGY_FIELDS[kind].label
                yield item_list
                form_class = {"dates": KeyDateForm, "goals": GoalForm}.get(kind, ItemForm)
                yield form_class(kind, list_fields(kind), id=f"form-{kind}")

    def _compose_budget(self) -> ComposeResult:
        field = STRATEGY_FIELDS["budget"]
        # Not focusable: Tab goes from the sections to the first field, not to a scroller
        # that showed no cursor (and took the digits typed next as section keys).
        with VerticalScroll(id="sec-budget", classes="scalar-section") as section:
            section.can_focus = False
            yield Label(field.label, classes="section-heading")
            yield Label(field.hint, classes="field-hint")
            yield TextField(id="strategy-budget", placeholder=field.hint)
            yield Static(id="budget-context")

    def on_mount(self) -> None:
        nav = self.query_one("#sections", OptionList)
        nav.border_title = "Sections 1-9"
        self._fill_sections()
        nav.highlighted = SECTIONS.index(self.section)
        self._fill_scalars()
        self._show_notes()
        if self.select_item is not None:
            self.query_one(f"#list-{self.section}", ItemList).reload(select=self.select_item)
        if self.target in (None, "period"):
            # The section list first, so that the number keys and arrows work at once.
            nav.focus()
        else:
            self._focus_section(self.focus_scalar)
        watch_shown(self, self.app, "revision", self._refresh, init=False)
        watch_shown(self, self.app, "findings", self._refresh, init=False)

    def team_changed(self, change: Change) -> set[Key]:
        """A teammate's period, vision, focus or budget, shown in place (lists: the base)."""
        kept = super().team_changed(change)
        strategy = self.session.strategy
        for key in change.keys:
            if key[0] != "strategy":
                continue
            name = key[1]
            value = getattr(strategy, name, None)
            if name in ("start", "end", "buyers"):
                field = self.query_one(f"#strategy-{name}", FieldInput)
                shown = for_display("" if value is None else str(value), keep_newlines=False)
                # A date half typed stays the person's.
                if field.has_class("-invalid") or not field.show_remote(shown):
                    kept.add(key)
            elif name in ("vision", "transformation", "budget"):
                if not self.query_one(f"#strategy-{name}", TextField).show_remote(value or ""):
                    kept.add(key)
            elif name == "focus":
                focus = self.query_one("#strategy-focus", Select)
                with focus.prevent(Select.Changed):
                    focus.value = value if value in FOCUSES else Select.NULL
        return kept

    def _fill_scalars(self) -> None:
        """Put the session's values into the period and budget fields (not an edit)."""
        strategy = self.session.strategy
        for name in ("start", "end", "buyers"):
            value = getattr(strategy, name)
            self.query_one(f"#strategy-{name}", FieldInput).show_value(
                "" if value is None else for_display(str(value), keep_newlines=False),
                keep_cursor=False,
            )
        for name in ("vision", "transformation"):
            area = self.query_one(f"#strategy-{name}", TextArea)
            with area.prevent(TextArea.Changed):
                area.load_text(getattr(strategy, name) or "")
        focus = self.query_one("#strategy-focus", Select)
        with focus.prevent(Select.Changed):
            focus.value = strategy.focus if strategy.focus in FOCUSES else Select.NULL
        budget = self.query_one("#strategy-budget", TextArea)
        with budget.prevent(TextArea.Changed):
            budget.load_text(for_display(strategy.budget or ""))

    # -- sections ------------------------------------------------------------------------

    def _flagged_sections(self) -> set[str]:
        kinds = {item.id: kind for kind in STRATEGY_LISTS for item in self.session.items_of(kind)}
        flagged = set()
        for finding in self.bmc.findings:
            if finding.severity == "info":
                continue
            if finding.rule in PERIOD_RULES:
                flagged.add("period")
            elif finding.refs and finding.refs[0] in kinds:
                flagged.add(kinds[finding.refs[0]])
        return flagged

    def _fill_sections(self) -> None:
        nav = self.query_one("#sections", OptionList)
        keep = nav.highlighted
        flagged = self._flagged_sections()
        nav.clear_options()
        for n, section in enumerate(SECTIONS, start=1):
            label = Text(f"{n} ", style="dim")
            label.append(SECTION_TITLES[section])
            if section in STRATEGY_LISTS:
                count = len(self.session.items_of(section))
                label.append(f"  {count}" if count else "  ·", style="green" if count else "dim")
            elif self._section_done(section):
                label.append("  ✓", style="green")
            if section in flagged:
                label.append(" !", style="bold yellow")
            nav.add_option(Option(label, id=section))
        nav.highlighted = keep

    def _section_done(self, section: str) -> bool:
        strategy = self.session.strategy
        if section == "budget":
            return bool(strategy.budget and strategy.budget.strip())
        return bool(strategy.start and strategy.end and strategy.focus)

    def action_section(self, section: str) -> None:
        """A digit: show the section and focus it — its list, or its line in the section
        list — never a field, where the next keys would become text."""
        self._show_section(section)
        # At once, not deferred as `focus()` is: a Tab typed right after the digit would
        # otherwise move on from where the focus was, and the focus come back after it.
        if section in STRATEGY_LISTS:
            self.set_focus(self.query_one(f"#list-{section}", ItemList))
        else:
            self.set_focus(self.query_one("#sections", OptionList))

    def _show_section(self, section: str) -> None:
        self.section = section
        self.query_one("#strategy-pane", ContentSwitcher).current = f"sec-{section}"
        nav = self.query_one("#sections", OptionList)
        if nav.highlighted != SECTIONS.index(section):
            nav.highlighted = SECTIONS.index(section)
        if section == "budget":
            self._show_budget_context()

    def _focus_section(self, scalar: str | None = None) -> None:
        """Put the cursor into the shown section: its list, or its first (or named) field."""
        if self.section in STRATEGY_LISTS:
            if scalar == "buyers" and self.bmc.can_edit:
                self.query_one("#strategy-buyers", Input).focus()
                return
            self.query_one(f"#list-{self.section}", ItemList).focus()
            return
        name = scalar or ("budget" if self.section == "budget" else "start")
        widget = self.query_one(f"#strategy-{name}")
        if not self.bmc.can_edit:
            self.query_one("#sections", OptionList).focus()
        else:
            widget.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option_id = event.option.id
        if (
            event.option_list.id == "sections"
            and isinstance(option_id, str)
            and option_id in SECTIONS
            and option_id != self.section
        ):
            self._show_section(option_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "sections":
            self._focus_section()

    def action_focus_main(self) -> None:
        """Esc: from a field to its section's list; from a list to the section list."""
        focused = self.focused
        if self.section in STRATEGY_LISTS and not isinstance(focused, ItemList):
            self.query_one(f"#list-{self.section}", ItemList).focus()
        else:
            self.query_one("#sections", OptionList).focus()

    def _refresh(self, _: object = None) -> None:
        if self.bmc.editor is None:
            return
        self._fill_sections()
        self._show_notes()
        if self.section == "budget":
            self._show_budget_context()

    # -- the period and the budget -------------------------------------------------------

    def _set(self, name: str, value: Any) -> None:
        if self.bmc.editor is None or not self.bmc.can_edit:
            return
        before = self.editor.revision
        self.editor.set_strategy_field(name, value)
        if self.editor.revision != before:
            self.bmc.edited()

    def on_input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("strategy-")
        if name not in SCALARS:
            return
        event.stop()
        if isinstance(event.input, FieldInput):
            event.input.took(event.value)
        if name in ("start", "end"):
            try:
                day = read_day(event.value)
            except EditError:
                event.input.add_class("-invalid")
                self._show_notes()
                return
            event.input.remove_class("-invalid")
            self._set(name, day)
            self._show_notes()
        else:
            self._set(name, event.value if event.value.strip() else None)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "strategy-focus":
            event.stop()
            self._set("focus", None if event.value is Select.NULL else event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        name = (event.text_area.id or "").removeprefix("strategy-")
        if name in ("budget", "vision", "transformation"):
            area = event.text_area
            text = area.text
            if isinstance(area, TextField):
                area.took(text)
            kept = getattr(self.session.strategy, name) or ""
            if len(text) > MAX_TEXT_CHARS and len(kept) >= MAX_TEXT_CHARS:
                # Full already: refuse what was typed rather than cut the field's end off.
                row, column = area.cursor_location
                with area.prevent(TextArea.Changed):
                    area.load_text(kept)
                area.move_cursor((row, max(column - (len(text) - len(kept)), 0)))
                self.notify(f"This field keeps at most {MAX_TEXT_CHARS:,} characters; it is full.")
                return
            self._set(name, text if text.strip() else None)

    def field_submitted(self, field: Input) -> None:
        form = next((a for a in field.ancestors if isinstance(a, ItemForm)), None)
        if form is not None:
            # Done with this item: back to its list for the next one.
            self.set_focus(self.query_one(f"#list-{form.kind}", ItemList))
        else:
            self.focus_next()

    def on_descendant_blur(self, event: object) -> None:
        # The base class seals Input and Select; the budget is typed into a TextArea.
        if isinstance(getattr(event, "widget", None), TextArea):
            self.seal_on_blur()

    def _show_notes(self) -> None:
        notes = Text()
        wrong: dict[str, list[str]] = {}  # what is wrong: the fields it is wrong in
        for name in ("start", "end"):
            field = self.query_one(f"#strategy-{name}", Input)
            if field.has_class("-invalid"):
                wrong.setdefault(_why_not_a_day(field.value), []).append(
                    STRATEGY_FIELDS[name].label
                )
        for why, labels in wrong.items():
            if notes:
                notes.append("\n")
            notes.append(f"{' / '.join(labels)}: {why}", style="bold red")
        for finding in self.bmc.findings:
            if finding.rule in PERIOD_RULES:
                if notes:
                    notes.append("\n")
                notes.append("! ", style="bold yellow")
                notes.append(one_line(finding.message, 200))
        if not notes:
            notes.append(STRATEGY_FIELDS["end"].hint, style="dim italic")
        self.query_one("#period-notes", Static).update(notes)

    def _show_budget_context(self) -> None:
        """What the budget should follow from: the goals with their targets, and the counts."""
        strategy = self.session.strategy
        text = Text()
        text.append(STRATEGY_FIELDS["goals"].label, style="bold")
        for goal in strategy.goals:
            text.append("\n• ")
            text.append(item_label(goal, 60))
            if goal.target and goal.target.strip():
                text.append(f" — {one_line(goal.target, 40)}", style="dim")
        counts = [
            f"{STRATEGY_FIELDS[kind].label}: {len(self.session.items_of(kind))}"
            for kind in ("markets", "programs", "pinches")
        ]
        text.append("\n" + " · ".join(counts), style="dim")
        self.query_one("#budget-context", Static).update(text)

    # -- lists ↔ forms -------------------------------------------------------------------

    def resume_target(self) -> str:
        """Where to land when the screen is rebuilt (after undo): this section and item."""
        if self.section in STRATEGY_LISTS:
            item_id = self.query_one(f"#list-{self.section}", ItemList).current_id
            if item_id is not None and self.session.find(item_id) is not None:
                return item_id
        return self.section
