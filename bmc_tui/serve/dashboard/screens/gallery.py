"""The gallery: every session's canvas, one after another, or several side by side where
the terminal is wide enough; live (a pane re-reads its file when the file changes)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from ....model import Session
from ....store import StoreError, load_session
from ....text import one_line
from ....widgets.canvas_view import CanvasView
from ....widgets.footer import KeysFooter

REFRESH_SECONDS = 1.0
# Columns one canvas needs to stay readable; wider terminals show more side by side.
PANE_WIDTH = 90
MAX_PANES = 3


class GalleryScreen(Screen[None]):
    BINDINGS = [
        Binding("n,right", "step(1)", "Next", id="next"),
        Binding("p,left", "step(-1)", "Previous", id="previous"),
        Binding("escape", "app.pop_screen", "Back to the room", id="back"),
    ]

    def __init__(self, sessions_dir: Path, start: str | None = None) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir
        self.ids: list[str] = []
        self.first = 0
        self.panes = 1
        self._start = start
        # Parsed sessions by id, with the file stamp they were read at.
        self._cache: dict[str, tuple[tuple[int, int, int], Session | str]] = {}
        self._shown: list[tuple[str, tuple[int, int, int]] | None] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="gallery-where")
        with Horizontal(id="gallery-row"):
            for n in range(MAX_PANES):
                with Vertical(classes="gallery-pane", id=f"pane-{n}"):
                    yield Static(classes="gallery-title")
                    yield CanvasView()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "gallery"
        self._list()
        if self._start in self.ids:
            self.first = self.ids.index(self._start)
        self._layout(self.size.width)
        self.set_interval(REFRESH_SECONDS, self.refresh_gallery)

    def on_resize(self) -> None:
        self._layout(self.size.width)

    def _layout(self, width: int) -> None:
        self.panes = max(1, min(MAX_PANES, width // PANE_WIDTH))
        for n, pane in enumerate(self.query(".gallery-pane")):
            pane.display = n < self.panes
        self._shown = []
        self.show()

    def _list(self) -> None:
        try:
            self.ids = sorted(
                p.stem for p in self.sessions_dir.glob("*.toml") if not p.name.startswith(".")
            )
        except OSError:
            self.ids = []

    def _load(self, session_id: str) -> tuple[tuple[int, int, int], Session | str] | None:
        path = self.sessions_dir / f"{session_id}.toml"
        try:
            st = path.stat()
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        cached = self._cache.get(session_id)
        if cached is not None and cached[0] == stamp:
            return cached
        try:
            loaded: Session | str = load_session(path, allow_newer=True)
        except StoreError as error:
            loaded = one_line(str(error), 120)
        self._cache[session_id] = (stamp, loaded)
        return self._cache[session_id]

    def show(self) -> None:
        """Draw the panes that changed (another session, or its file changed)."""
        where = self.query_one("#gallery-where", Static)
        # One-line widgets (CSS): a page redraws them in place, without a layout pass over
        # the whole screen (it was half of a page's cost).
        if not self.ids:
            where.update("No sessions yet.", layout=False)
            return
        self.first %= len(self.ids)
        count = min(self.panes, len(self.ids))
        where.update(
            f"{self.first + 1} of {len(self.ids)}"
            + (f" (and the next {count - 1})" if count > 1 else "")
            + " · n/→ next, p/← previous",
            layout=False,
        )
        panes = list(self.query(".gallery-pane"))
        shown: list[tuple[str, tuple[int, int, int]] | None] = []
        for n in range(self.panes):
            # Wraps around: the last session is followed by the first.
            index = (self.first + n) % len(self.ids)
            pane = panes[n]
            if n >= count:
                shown.append(None)
                pane.display = False
                continue
            pane.display = True
            session_id = self.ids[index]
            loaded = self._load(session_id)
            key = (session_id, loaded[0]) if loaded else None
            shown.append(key)
            if n < len(self._shown) and self._shown[n] == key:
                continue
            title = pane.query_one(".gallery-title", Static)
            canvas = pane.query_one(CanvasView)
            if loaded is None or isinstance(loaded[1], str):
                why = loaded[1] if loaded else "gone"
                title.update(
                    Text.assemble((session_id, "bold"), (f" · unreadable: {why}", "red")),
                    layout=False,
                )
                canvas.show(Session(id=session_id, title=session_id))
                continue
            session = loaded[1]
            title.update(
                Text.assemble(
                    (one_line(session.title, 40) or session_id, "bold"), f" ({session_id})"
                ),
                layout=False,
            )
            canvas.show(session)
        self._shown = shown

    def refresh_gallery(self) -> None:
        before = list(self.ids)
        self._list()
        if self.ids != before:
            self._shown = []
        self.show()

    def action_step(self, delta: int) -> None:
        if self.ids:
            self.first = (self.first + delta * self.panes) % len(self.ids)
            self.show()
