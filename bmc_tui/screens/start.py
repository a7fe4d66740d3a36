"""The start screen: the sessions in the folder, and new / duplicate / from an example."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static

from ..model import STEP_TITLES
from ..rules import counts, evaluate
from ..store import Listing, StoreError
from ..text import one_line, one_line_middle
from ..widgets.footer import KeysFooter

if TYPE_CHECKING:
    from ..app import BmcApp


# "Core practices" is the longest step name; the fixed columns, cell padding and margins.
STEP_WIDTH = 14
FIXED_COLUMNS = STEP_WIDTH + 16 + 2 + 2 + 6 * 2 + 6


class StartScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the table's own Enter would hide this one from F1 and the footer.
        Binding("enter", "open", "Open", priority=True),
        Binding("n", "new", "New"),
        Binding("c", "duplicate", "Duplicate"),
        Binding("x", "example", "From example"),
        Binding("r", "reload", "Refresh"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="start")
        self.listings: list[Listing] = []
        self._widths: tuple[int, int] = (0, 0)

    @property
    def bmc(self) -> BmcApp:
        return cast("BmcApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="start-body"):
            yield Label("bmc-tui — business model workshop", id="start-title")
            yield Static(id="start-folder")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            # The highlighted session in full: the table cuts long titles and ids at 80 columns.
            yield Static(id="start-detail")
            yield Static(id="start-errors")
            yield Static(
                "n: new session · x: start from an example · Enter: open · c: duplicate",
                id="start-hint",
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self._widths != self._column_widths():
            self.action_reload()

    def _column_widths(self) -> tuple[int, int]:
        """(title, id) widths that fit the screen: the other columns keep their size."""
        spare = self.size.width - FIXED_COLUMNS
        title = max(12, min(40, spare * 3 // 5))
        return title, max(8, min(40, spare - title))

    def action_reload(self) -> None:
        table = self.query_one(DataTable)
        keep = self._selected()
        table.clear(columns=True)
        self._widths = title_width, id_width = self._column_widths()
        table.add_column("Title", width=title_width)
        table.add_column("Step", width=STEP_WIDTH)
        table.add_column("Last edit", width=16)
        table.add_column("✗", width=2)
        table.add_column("!", width=2)
        table.add_column("Id", width=id_width)
        folder = self.bmc.config.sessions_dir
        self.query_one("#start-folder", Static).update(
            Text(f"Sessions folder: {folder}", style="dim")
        )
        folder_error: str | None = None
        try:
            self.listings = self.bmc.store.list() if folder.exists() else []
        except StoreError as error:
            self.listings = []
            folder_error = str(error)
            self.notify(folder_error, severity="error")
        errors = []
        good = [entry for entry in self.listings if entry.session is not None]
        good.sort(key=lambda entry: entry.mtime, reverse=True)
        for entry in good:
            session = entry.session
            assert session is not None
            c = counts(evaluate(session))
            updated = session.updated.strftime("%Y-%m-%d %H:%M") if session.updated else "-"
            table.add_row(
                Text(one_line(session.title, title_width)),
                STEP_TITLES.get(session.step or "", "-"),
                updated,
                Text(str(c["error"]), style="bold red" if c["error"] else "dim"),
                Text(str(c["warning"]), style="yellow" if c["warning"] else "dim"),
                Text(one_line_middle(session.id, id_width), style="dim"),
                key=str(entry.path),
            )
        if keep is not None and any(str(keep.path) == str(e.path) for e in good):
            table.move_cursor(row=[str(e.path) for e in good].index(str(keep.path)))
        self._show_detail()
        for entry in self.listings:
            if entry.session is None:
                errors.append(one_line(entry.error or str(entry.path), 160))
        notice = Text()
        if folder_error is not None:
            notice.append(one_line(folder_error, 200), style="bold red")
        elif errors:
            notice.append("Cannot be opened (the others are fine):\n", style="bold red")
            notice.append("\n".join(f"• {e}" for e in errors))
        elif not good:
            notice.append("No sessions yet. Press n to start one, or x to start from an example.")
        self.query_one("#start-errors", Static).update(notice)

    def _selected(self) -> Listing | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        for entry in self.listings:
            if str(entry.path) == key:
                return entry
        return None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    def _show_detail(self) -> None:
        entry = self._selected()
        detail = Text()
        if entry is not None and entry.session is not None:
            detail.append(one_line(entry.session.title, None), style="bold")
            detail.append(f"  · id {entry.session.id}", style="dim")
        self.query_one("#start-detail", Static).update(detail)

    def action_open(self) -> None:
        entry = self._selected()
        if entry is not None:
            self.bmc.open_session(entry.path)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    @work
    async def action_new(self) -> None:
        from .title_prompt import TitlePromptScreen

        title = await self.app.push_screen_wait(TitlePromptScreen("New session"))
        if title:
            self._create(title)

    @work
    async def action_duplicate(self) -> None:
        from .title_prompt import TitlePromptScreen

        entry = self._selected()
        if entry is None or entry.session is None:
            return
        title = await self.app.push_screen_wait(
            TitlePromptScreen("Duplicate as", f"{entry.session.title} (copy)")
        )
        if title:
            self._create(title, template=entry.session)

    @work
    async def action_example(self) -> None:
        from ..examples import list_examples
        from .pick_example import PickExampleScreen

        examples = list_examples()
        name = await self.app.push_screen_wait(PickExampleScreen(examples))
        if name is None:
            return
        from .title_prompt import TitlePromptScreen

        template = dict(examples)[name]
        title = await self.app.push_screen_wait(
            TitlePromptScreen("Title for your copy of the example", template.title)
        )
        if title:
            self._create(title, template=template)

    def _create(self, title: str, template: object = None) -> None:
        from ..model import Session

        try:
            handle = self.bmc.store.create(
                title, template=template if isinstance(template, Session) else None
            )
        except StoreError as error:
            self.notify(str(error), title="Not created", severity="error")
            return
        self.bmc.store.close(handle)
        self.bmc.open_session(handle.path)
