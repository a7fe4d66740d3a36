"""Findings grouped by severity (errors first), then by the step that fixes them.

Reusable: it shows whatever findings it is given (`show(findings)`) and says which one is
highlighted or chosen; what "go and fix it" means is up to the screen that holds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Final

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..model import STEP_TITLES, STEPS
from ..rules import SEVERITIES, Finding
from ..text import one_line

# Headings follow the summary's help text ("Errors", "Warnings", "Not done yet").
SEVERITY_HEADINGS: Final = {"error": "Errors", "warning": "Warnings", "info": "Not done yet"}
SEVERITY_MARKS: Final = {
    "error": ("✗", "bold red"),
    "warning": ("!", "bold yellow"),
    "info": ("·", "dim"),
}
NOTHING: Final = "Nothing to fix: every part of the session lines up."


def finding_key(finding: Finding) -> str:
    """A stable option id for a finding, so the highlight survives a refresh."""
    return "\x1f".join((finding.rule, finding.severity, *finding.refs))


def grouped(findings: Sequence[Finding]) -> list[tuple[str, str, list[Finding]]]:
    """(severity, step, findings) groups: errors first, then in workshop order of the steps."""
    order = {step: n for n, step in enumerate(STEPS)}
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        groups.setdefault((finding.severity, finding.step), []).append(finding)
    keys = sorted(groups, key=lambda k: (SEVERITIES.index(k[0]), order.get(k[1], len(order))))
    return [(severity, step, groups[(severity, step)]) for severity, step in keys]


class FindingsList(OptionList):
    """One line (or more, wrapped) per finding under severity and step headings."""

    # OptionList's own Enter, given a name so the Footer says what it does here.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Fix it", tooltip="Go to the place that fixes this finding"),
    ]

    class Highlighted(Message):
        """The highlighted finding changed (None: there is none)."""

        def __init__(self, findings_list: FindingsList, finding: Finding | None) -> None:
            self.findings_list = findings_list
            self.finding = finding
            super().__init__()

    class Chosen(Message):
        """Enter (or a click) on a finding: the user wants to go and fix it."""

        def __init__(self, findings_list: FindingsList, finding: Finding) -> None:
            self.findings_list = findings_list
            self.finding = finding
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._by_key: dict[str, Finding] = {}
        self.border_title = "Findings"

    @property
    def current(self) -> Finding | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        return self._by_key.get(option_id) if option_id else None

    def show(self, findings: Sequence[Finding]) -> None:
        """Replace what is listed, keeping the highlight on the same finding when it remains."""
        current = self.current
        keep = finding_key(current) if current else None
        index = self.highlighted
        self._by_key = {}
        self.clear_options()
        options: list[Option] = []
        for severity, step, group in grouped(findings):
            mark, style = SEVERITY_MARKS[severity]
            heading = Text(no_wrap=True, overflow="ellipsis")
            heading.append(f"{SEVERITY_HEADINGS[severity]}", style=f"{style} underline")
            heading.append(f" · {STEP_TITLES.get(step, step)}", style="bold")
            heading.append(f"  {len(group)}", style="dim")
            options.append(Option(heading, disabled=True))
            for finding in group:
                key = finding_key(finding)
                self._by_key[key] = finding
                # A grid, so a long message wraps under itself, not under the mark.
                prompt = Table.grid(padding=(0, 1), expand=True)
                prompt.add_column(width=2, justify="right")
                prompt.add_column(ratio=1)
                prompt.add_row(Text(mark, style=style), Text(one_line(finding.message, None)))
                options.append(Option(prompt, id=key))
        if not options:
            options.append(Option(Text(NOTHING, style="green"), disabled=True))
        self.add_options(options)
        self.border_subtitle = f"{len(self._by_key)}" if self._by_key else ""
        ids = [o.id for o in options]
        if keep is not None and keep in ids:
            self.highlighted = ids.index(keep)
        elif self._by_key:
            # The finding was fixed: stay near where it was, on the next finding.
            start = min(index or 0, len(options) - 1)
            later = [n for n in range(start, len(options)) if ids[n]]
            earlier = [n for n in range(len(options)) if ids[n]]
            self.highlighted = (later or earlier)[0]
        else:
            self.highlighted = None
            self.post_message(self.Highlighted(self, None))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.post_message(self.Highlighted(self, self.current))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is not self:
            return
        event.stop()
        finding = self._by_key.get(event.option.id or "")
        if finding is not None:
            self.post_message(self.Chosen(self, finding))
