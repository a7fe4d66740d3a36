"""Step 3: core practices. List the candidates, sort out the real practices, keep three."""

from __future__ import annotations

from typing import ClassVar, Final

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from ..guide import PRACTICE_GUIDE
from ..model import PRACTICE_KINDS, Item, Practice
from ..rules import Finding
from ..text import one_line
from ..widgets.item_form import FieldSpec, ItemForm
from ..widgets.item_list import LINK_PREFIX, ItemList, item_label
from ..widgets.shown import watch_shown
from .base import StepScreen

KEEP: Final = 3
# The links after the kind on an item's second line, before the list is laid out (then:
# the room the line has left). A reminder: the form has them all.
LINKS_CHARS: Final = 48
LINKS_ARROW: Final = "  → "

# Wording the guide does not have (short tags that fit a list line).
KEPT_LABEL: Final = "Keep as one of the three"
KIND_LABEL: Final = "Kind"
NO_KIND: Final = "kind not set"
KEPT_TAG: Final = "✓ kept"
# The list holds every candidate, tasks and campaigns too: it is not a list of practices.
CANDIDATES_TITLE: Final = "Candidates: practices, tasks, campaigns"
# Why a kept practice is flagged, one short phrase per rule.
RULE_TAGS: Final = {
    "practices.not-a-practice": "not a core practice",
    "practices.fails-test": "fails the test",
    "practices.untested": "test not answered",
    "practices.no-value-link": "strengthens no value proposition",
    "practices.checklist-task": "a checklist task for the plan",
}
KIND_STYLES: Final = {"practice": "green", "routine": "yellow", "campaign": "magenta"}

PRACTICE_FIELDS: Final = (
    FieldSpec("text", "Text", "text", hint=PRACTICE_GUIDE.kind_hints["practice"]),
    FieldSpec(
        "kind",
        KIND_LABEL,
        "choice",
        choices=tuple((kind, PRACTICE_GUIDE.kind_labels[kind]) for kind in PRACTICE_KINDS),
    ),
    *(
        FieldSpec(test.id, test.question, "tristate", hint=test.hint)
        for test in (*PRACTICE_GUIDE.tests, PRACTICE_GUIDE.checklist)
    ),
    FieldSpec("value_propositions", PRACTICE_GUIDE.link_prompt, "links"),
    FieldSpec("kept", KEPT_LABEL, "bool"),
)


def kind_tag(kind: str | None) -> Text:
    if kind is None:
        return Text(NO_KIND, style="dim italic")
    return Text(PRACTICE_GUIDE.kind_labels[kind], style=KIND_STYLES.get(kind, ""))


class PracticeList(ItemList):
    """The candidates, each showing its kind and whether it is kept; `k` keeps or drops it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "toggle_kept", "Keep", tooltip="Keep or drop this practice (keep three)"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("practices", id=id)
        self.border_title = CANDIDATES_TITLE

    def prompt_for(self, item: Item, flagged: dict[str, str]) -> Text:
        prompt = self.marked_label(item, flagged)
        prompt.append("\n  ")
        practice = item if isinstance(item, Practice) else None
        prompt.append_text(kind_tag(practice.kind if practice else None))
        if practice is not None and practice.kept:
            prompt.append(f"  {KEPT_TAG}", style="bold green")
        # What the second line has left for the links once the kind and tag are on it.
        used = len(prompt.plain) - prompt.plain.rindex("\n") - 1 + len(LINKS_ARROW)
        room = self._link_room + len(LINK_PREFIX) - used if self._link_room else LINKS_CHARS
        links = one_line(self.link_summary(item, room), max(room, 12))
        if links:
            prompt.append(f"{LINKS_ARROW}{links}", style="dim")
        return prompt

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_kept":
            return self.bmc.can_edit and self.current_id is not None
        return super().check_action(action, parameters)

    def action_toggle_kept(self) -> None:
        editor = self.bmc.editor
        item_id = self.current_id
        if editor is None or item_id is None or not self.bmc.can_edit:
            return
        practice = editor.item("practices", item_id)
        assert isinstance(practice, Practice)
        editor.set_field("practices", item_id, "kept", not practice.kept)
        self.bmc.edited()
        kept = sum(1 for p in editor.session.practices if isinstance(p, Practice) and p.kept)
        if practice.kept and kept > KEEP:
            # Allowed (people weigh a fourth before dropping one), but said at once.
            self.app.notify(
                f"{kept} kept: the method keeps {KEEP}. Press k on one to drop it.", timeout=6
            )
        self.refresh_item(item_id)
        # The form shows the kept box too: the screen refreshes forms on Changed.
        self.post_message(self.Changed(self))


class PracticesScreen(StepScreen):
    STEP = "practices"
    SHOWS = ("practices", "canvas")
    CSS_PATH = "practices.tcss"
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (110, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next pane", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(self._why_short(), id="why-short", classes="why")
        yield Static(self._why_long(), id="why-long", classes="why")
        with Horizontal(id="practices-body"):
            with Vertical(id="practices-left"):
                yield PracticeList(id="practices")
                yield Static(id="kept-status")
            yield Vertical(ItemForm("practices", PRACTICE_FIELDS), id="practice-form-pane")

    @staticmethod
    def _why_short() -> Text:
        text = Text()
        for n, kind in enumerate(("routine", "campaign")):
            if n:
                text.append("\n")
            text.append(f"{PRACTICE_GUIDE.kind_labels[kind]}: ", style=f"bold {KIND_STYLES[kind]}")
            text.append(PRACTICE_GUIDE.kind_hints[kind])
        return text

    @staticmethod
    def _why_long() -> Text:
        text = Text()
        text.append(PRACTICE_GUIDE.routine, style="")
        text.append("\n")
        text.append(PRACTICE_GUIDE.campaign, style="")
        text.append("\n")
        text.append(PRACTICE_GUIDE.model_or_plan, style="")
        text.append("\n")
        text.append(PRACTICE_GUIDE.keep_three, style="bold")
        text.append("  F1: what makes a core practice.", style="dim")
        return text

    def on_mount(self) -> None:
        items = self.query_one(PracticeList)
        select = self.target if self.target and self._is_practice(self.target) else None
        items.reload(select=select)
        items.focus()
        self._show_status()
        watch_shown(self, self.app, "revision", self._show_status, init=False)
        watch_shown(self, self.app, "findings", self._show_status, init=False)

    def resume_target(self) -> str | None:
        """After undo the screen is rebuilt: land on the same candidate if it still exists."""
        item_id = self.query_one(PracticeList).current_id
        return item_id if item_id is not None and self._is_practice(item_id) else None

    def _is_practice(self, item_id: str) -> bool:
        return any(p.id == item_id for p in self.session.practices)

    # -- the live "Kept: n of 3" ---------------------------------------------------------

    def _show_status(self, _: object = None) -> None:
        if self.bmc.editor is None:
            return
        kept = [p for p in self.session.practices if p.kept]
        status = self.query_one("#kept-status", Static)
        text = Text()
        good = len(kept) == KEEP
        text.append(f"Kept: {len(kept)} of {KEEP}", style="bold green" if good else "bold yellow")
        problems = self._problems(self.bmc.findings)
        for practice in kept:
            tags = problems.get(practice.id)
            if not tags:
                continue
            worst = "warning" if any(sev == "warning" for sev, _ in tags) else "info"
            text.append("\n")
            text.append("! " if worst == "warning" else "· ", style="bold yellow")
            text.append(item_label(practice, 40))
            text.append(f": {', '.join(tag for _, tag in tags)}", style="dim")
        status.update(text)
        status.set_class(good and not problems, "-good")

    @staticmethod
    def _problems(findings: list[Finding]) -> dict[str, list[tuple[str, str]]]:
        problems: dict[str, list[tuple[str, str]]] = {}
        for finding in findings:
            tag = RULE_TAGS.get(finding.rule)
            if tag and finding.refs:
                problems.setdefault(finding.refs[0], []).append((finding.severity, tag))
        return problems

    # -- list ↔ form -----------------------------------------------------------------------

    def field_submitted(self, field: Input) -> None:
        # Enter in the text: done with this candidate, back to the list for the next one.
        self.set_focus(self.query_one(PracticeList))
