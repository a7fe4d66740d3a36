"""The archived sessions: what was moved out of the room, and the key that brings it back."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ....archive import ARCHIVE_DIR, archived, restore_session
from ....store import StoreError
from ....text import one_line
from ....widgets.footer import KeysFooter
from ..format import ago


class ArchiveScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back to the room", id="back"),
        Binding("u", "restore", "Restore", id="restore"),
    ]

    def __init__(self, sessions_dir: Path) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="archive-note")
        yield DataTable(id="archive", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "archived sessions"
        table = self.query_one(DataTable)
        table.add_column("File", key="file", width=24)
        table.add_column("Session", key="title", width=30)
        table.add_column("Last change", key="updated", width=12)
        self.reload()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        listings = archived(self.sessions_dir)
        for listing in listings:
            session = listing.session
            title = Text(one_line(session.title, 30)) if session else Text("unreadable", "red")
            when = ago(session.updated) if session else "-"
            table.add_row(listing.path.name, title, when, key=listing.path.name)
        note = (
            f"In {ARCHIVE_DIR}/ beside the sessions. Enter or u puts the selected one back "
            "in the room."
            if listings
            else "Nothing is archived."
        )
        self.query_one("#archive-note", Static).update(note)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_restore()

    def action_restore(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None:
            return
        try:
            restored = restore_session(self.sessions_dir, Path(key))
        except StoreError as error:
            self.notify(one_line(str(error), 200), title="Not restored", severity="error")
            return
        self.notify(f"{restored.name} is back in the room.", title="Restored")
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
