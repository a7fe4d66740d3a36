"""Step 5: the plan, the when and the how, tied to the strategy's goals and programs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from types import MappingProxyType
from typing import ClassVar, Final

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from ..guide import FOCUS_LABELS, PLAN_FIELDS, PURPOSE_LABELS
from ..model import LINK_SCHEMA, PURPOSES, PlanItem, Session
from ..rules import Finding
from ..rules.plan import EXPECTED_PURPOSES
from ..text import one_line
from ..widgets.item_form import FieldSpec, ItemForm
from ..widgets.item_list import ItemList
from ..widgets.shown import watch_shown
from .base import StepScreen

# Short words for the table's status column (not in guide.py: they only make sense in a
# table cell next to the full finding on the summary screen).
STATUS_WORDS: Final = MappingProxyType(
    {
        "link.dangling": "broken link",
        "link.duplicate-id": "same id",
        "plan.dates-invalid": "bad dates",
        "plan.random-act": "random act",
        "plan.no-owner": "no owner",
        "plan.no-dates": "no dates",
        "plan.no-kpi": "no KPI",
        "plan.outside-period": "off period",
        "plan.off-strategy-segment": "off focus",
    }
)
# Plural, as every other list's frame is ("Goals", "Customer Segments"); the item's own
# name ("Plan item") stays for the places that mean one item.
LIST_TITLE: Final = "Plan items"
ALIGNED: Final = "aligned"
NO_PERIOD: Final = "not set yet (Strategy, F5)"
NO_FOCUS: Final = "not chosen yet"
# (heading, width): sized so the table fits 120 columns; each row takes two lines.
TABLE_COLUMNS: Final = (
    ("", 12),
    ("Title", 22),
    ("Purpose", 11),
    ("Dates", 15),
    ("Owner", 11),
    ("KPI → target", 16),
    ("Serves goals", 16),
)
ROW_LINES: Final = 2


def _field(name: str, kind: str = "text", *, label: str | None = None) -> FieldSpec:
    guide = PLAN_FIELDS[name]
    choices = tuple((p, PURPOSE_LABELS[p]) for p in PURPOSES) if kind == "choice" else ()
    return FieldSpec(
        "text" if name == "title" else name,
        label or guide.label,
        kind,
        choices=choices,
        hint=guide.hint,
    )


# Dates show their format in the label; the guide's hint becomes the placeholder.
PLAN_FORM: Final = (
    _field("title"),
    _field("purpose", "choice"),
    _field("start", "date", label=f"{PLAN_FIELDS['start'].label} (YYYY-MM-DD)"),
    _field("end", "date", label=f"{PLAN_FIELDS['end'].label} (YYYY-MM-DD)"),
    _field("owner"),
    _field("budget", "amount"),
    _field("kpi"),
    _field("target"),
    *(_field(name, "links") for name in LINK_SCHEMA["plan"]),
)


def day(value: date | None, today: date | None = None, *, year: bool | None = None) -> str:
    """ "6 Feb", with the year when it is not this year's ("6 Feb 2027"); "?" for none."""
    if value is None:
        return "?"
    if year is None:
        year = value.year != (today or date.today()).year
    return f"{value.day} {value:%b}" + (f" {value.year}" if year else "")


def span(start: date | None, end: date | None, today: date | None = None) -> str:
    """One format for every period on the screen: "6 Feb → 24 Apr", the year shown once
    at the end when it is not this year's ("6 Feb → 24 Apr 2027"), and on both sides when
    the period crosses a year."""
    if start is None and end is None:
        return ""
    today = today or date.today()
    if start is not None and end is not None and start.year == end.year:
        return f"{day(start, year=False)} → {day(end, today)}"
    return f"{day(start, today)} → {day(end, today)}"


def dates_cell(text: str, width: int) -> Text:
    """A period in a table cell: broken after the arrow rather than cut when it is long."""
    if len(text) > width - 2 and " → " in text:
        text = text.replace(" → ", " →\n", 1)
    return Text(text, no_wrap=True, overflow="ellipsis")


def served_goals(session: Session, item: PlanItem) -> list[str]:
    """The goals an item works toward: linked directly or through its programs."""
    ids = list(item.linked("goals"))
    programs = {p.id: p for p in session.strategy.programs}
    for program_id in item.linked("programs"):
        program = programs.get(program_id)
        if program is not None:
            ids.extend(g for g in program.linked("goals") if g not in ids)
    goals = {g.id: g for g in session.strategy.goals}
    return [one_line(goals[g].label, 40) or g for g in ids if g in goals]


def item_status(item: PlanItem, findings: Sequence[Finding]) -> tuple[str, str]:
    """(severity or "", what is wrong) for one plan item: its most telling finding."""
    about = [f for f in findings if f.severity != "info" and f.refs[:1] == (item.id,)]
    if not about:
        return "", ALIGNED
    worst = min(about, key=Finding.sort_key)
    # Short of an error, a random act is what the plan step is about: name it first.
    if worst.severity != "error":
        worst = next((f for f in about if f.rule == "plan.random-act"), worst)
    if worst.rule == "plan.no-dates" and (item.start is None) != (item.end is None):
        # One date is set: "no dates" would contradict the Dates cell beside it.
        return worst.severity, "no start" if item.start is None else "no end"
    return worst.severity, STATUS_WORDS.get(worst.rule, worst.rule.split(".")[-1])


def cell(text: str, width: int) -> Text:
    """A table cell cut to what its lines can hold (wrapping loses a few characters)."""
    return Text(one_line(text, ROW_LINES * width - 6), overflow="ellipsis")


def kpi_cell(item: PlanItem, width: int) -> Text:
    """The KPI on the first line, its target on the second, so neither hides the other."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(one_line(item.kpi or "", width) or "(no KPI)", style="" if item.kpi else "dim")
    text.append("\n→ ", style="dim")
    text.append(one_line(item.target or "", width - 2) or "(no target)", style="")
    return text


def status_text(severity: str, words: str) -> Text:
    if severity == "error":
        return Text(f"✗ {words}", style="bold red")
    if severity == "warning":
        return Text(f"! {words}", style="bold yellow")
    return Text(f"✓ {words}", style="green")


class PlanScreen(StepScreen):
    STEP = "plan"
    SHOWS = ("plan", "strategy", "canvas", "currency")
    CSS_PATH = "plan.tcss"
    # `l` links goals, the link that keeps an item from being a random act.
    LINK_ON_L = "goals"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "toggle_table", "Table", tooltip="The whole plan as one table, or back"),
        Binding("p", "link('programs')", "Programs", show=False, tooltip="Link programs"),
        Binding("s", "link('segments')", "Segments", show=False, tooltip="Link segments"),
        Binding("tab", "app.focus_next", "Next pane", show=False),
    ]

    def __init__(self, target: str | None = None) -> None:
        super().__init__(target)
        self.table_shown = False
        self._context_text = Text()

    def compose_body(self) -> ComposeResult:
        yield Static(id="plan-context")
        with Horizontal(id="plan-body"):
            item_list = ItemList("plan", id="items")
            item_list.border_title = LIST_TITLE
            yield item_list
            yield Vertical(ItemForm("plan", PLAN_FORM), id="form-pane")
        table: DataTable[Text] = DataTable(id="plan-table", cursor_type="row", zebra_stripes=True)
        table.border_title = "The whole plan"
        yield table

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#plan-table", DataTable)
        for heading, width in TABLE_COLUMNS:
            table.add_column(heading, width=width)
        items = self.query_one(ItemList)
        items.reload(select=self.target)
        items.focus()
        self._show_context()
        self._fill_table()
        watch_shown(self, self.app, "findings", self._findings_changed, init=False)
        watch_shown(self, self.app, "revision", self._revision_changed, init=False)

    def resume_target(self) -> str | None:
        return self.query_one(ItemList).current_id

    # -- what the screen shows -------------------------------------------------------------

    def _show_context(self) -> None:
        strategy = self.session.strategy
        text = Text()
        text.append("Strategy period: ", style="dim")
        if strategy.start is None and strategy.end is None:
            text.append(NO_PERIOD, style="italic")
        else:
            text.append(span(strategy.start, strategy.end), style="bold")
        text.append("   Focus: ", style="dim")
        if strategy.focus is None:
            text.append(NO_FOCUS, style="italic")
        else:
            text.append(FOCUS_LABELS.get(strategy.focus, strategy.focus), style="bold")
            expected = EXPECTED_PURPOSES.get(strategy.focus, frozenset())
            if expected:
                wanted = ", ".join(PURPOSE_LABELS[p].lower() for p in PURPOSES if p in expected)
                text.append(f" (mostly {wanted})", style="dim")
        random_acts = self.random_acts()
        text.append("   Random acts: ", style="dim")
        text.append(str(random_acts), style="bold yellow" if random_acts else "bold green")
        # Called on every keystroke: only a real change may cost a layout pass.
        if text != self._context_text:
            self._context_text = text
            self.query_one("#plan-context", Static).update(text)

    def random_acts(self) -> int:
        return sum(1 for f in self.bmc.findings if f.rule == "plan.random-act")

    def _fill_table(self) -> None:
        table: DataTable[Text] = self.query_one("#plan-table", DataTable)
        keep = self._table_item()
        table.clear()
        findings = self.bmc.findings
        widths = dict(TABLE_COLUMNS)
        for item in self.session.plan:
            purpose = PURPOSE_LABELS.get(item.purpose, item.purpose) if item.purpose else ""
            table.add_row(
                status_text(*item_status(item, findings)),
                cell(item.label or "(no title yet)", widths["Title"]),
                cell(purpose, widths["Purpose"]),
                dates_cell(span(item.start, item.end), widths["Dates"]),
                cell(item.owner or "", widths["Owner"]),
                kpi_cell(item, widths["KPI → target"]),
                cell("; ".join(served_goals(self.session, item)), widths["Serves goals"]),
                key=item.id,
                height=ROW_LINES,
            )
        if keep is not None:
            self._table_select(keep)

    def _table_item(self) -> str | None:
        table: DataTable[Text] = self.query_one("#plan-table", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def _table_select(self, item_id: str) -> None:
        table: DataTable[Text] = self.query_one("#plan-table", DataTable)
        ids = [item.id for item in self.session.plan]
        if item_id in ids:
            table.move_cursor(row=ids.index(item_id), animate=False)

    def _findings_changed(self, _: object) -> None:
        self._show_context()
        if self.table_shown:
            self._fill_table()

    def _revision_changed(self, _: object) -> None:
        self._show_context()
        if self.table_shown:
            self._fill_table()

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "link":
            # Links are chosen for the item being edited, not from the table.
            if self.table_shown or not self.bmc.can_edit:
                return False
            # Also asked while the screen is taken down (the Footer reads every binding's
            # state): the list may be gone already.
            lists = self.query(ItemList)
            return bool(lists) and lists.first().current_id is not None
        return True

    def action_toggle_table(self) -> None:
        self.table_shown = not self.table_shown
        self.set_class(self.table_shown, "-table")
        items = self.query_one(ItemList)
        if self.table_shown:
            self._fill_table()
            if items.current_id is not None:
                self._table_select(items.current_id)
            self.query_one("#plan-table", DataTable).focus()
        else:
            items.focus()

    def action_link(self, link_field: str) -> None:
        item_id = self.query_one(ItemList).current_id
        if item_id is not None:
            self.choose_links("plan", item_id, link_field)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter on a row: edit that item.
        item_id = event.row_key.value
        self.action_toggle_table()
        self.query_one(ItemList).reload(select=item_id)

    def field_submitted(self, field: Input) -> None:
        # A plan item has many fields: Enter moves on to the next one (Esc: back to the list).
        self.focus_next()
