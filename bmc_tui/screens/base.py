"""What every step screen shares: the step bar, the banner, the purpose line and the Footer."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, Label, Select

from ..editing import EditError, UnknownName
from ..model import KIND_TITLES, KINDS, LINK_SCHEMA, Session
from ..widgets.banner import Banner
from ..widgets.footer import KeysFooter
from ..widgets.item_form import ItemForm
from ..widgets.item_list import ItemList, item_label
from ..widgets.step_bar import StepBar
from .compositor import LineScreen

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ..app import BmcApp
    from ..collab import Change, Key
    from ..editing import Editor


# What a step screen may show of a session: everything but where its user is and when it
# was saved. Screens that show less say so in SHOWS (a kept screen is shown again while
# those parts are unchanged).
SESSION_CONTENT: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(Session) if f.name not in ("step", "updated", "version")
)


class StepScreen(LineScreen):
    """A workshop step. Subclasses set STEP and implement `compose_body`.

    `target` is an item id (or block/rating/fitness key) to put the cursor on when the
    screen opens: that is how the summary's "go and fix it" lands in the right place.
    """

    STEP: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "focus_main", "Back to list", show=False),
    ]

    SHOWS: ClassVar[tuple[str, ...]] = SESSION_CONTENT
    """The session fields this screen's fields and lists show (the rest it reads through
    watchers of the app's `revision` and `findings`, which catch up when it is shown)."""

    def __init__(self, target: str | None = None) -> None:
        # Drawn row by row, as soon as a change is handled (see compositor.py).
        super().__init__(classes=f"step step-{self.STEP}")
        self.target = target
        self._shown_state: tuple[object, ...] | None = None
        self._held: dict[Callable[[Any], object], tuple[DOMNode, str]] = {}
        self._styled_for: tuple[object, ...] | None = None

    # -- kept between visits (see keeper.py) --------------------------------------------

    def _state(self) -> tuple[object, ...]:
        app = self.bmc
        editor = app.editor
        content = () if editor is None else tuple(getattr(editor.session, n) for n in self.SHOWS)
        # The editor itself, not its session's id: another file or a team's copy is another
        # editor. Read-only, a team bar and the terminal size are composed in too.
        return (editor, app.can_edit, app.team is not None, app.size, copy.deepcopy(content))

    def remember_shown(self) -> None:
        """What this screen shows now, to tell on the next visit whether it still does."""
        self._shown_state = self._state()

    def still_current(self) -> bool:
        """Whether this kept screen shows the session as it is (its watchers aside)."""
        return self._shown_state is not None and self._shown_state == self._state()

    def defer_update(self, callback: Callable[[Any], object], obj: DOMNode, name: str) -> bool:
        """Off the stack (kept, or built ahead), a watcher waits for the screen to be shown."""
        if self.is_attached and self in self.app.screen_stack:
            return False
        self._held[callback] = (obj, name)
        return True

    def _watch__pointer_shape(self, pointer_shape: str) -> None:
        # Textual tells the terminal every screen's pointer shape as the screen mounts, on
        # it or not: a step built ahead would write to an idle participant's terminal.
        if self.is_current:
            self.app._set_pointer_shape(pointer_shape)

    def styled_now(self) -> None:
        """This screen's styles are those of the app's theme now (built ahead: mounted)."""
        self._styled_for = self._style_key()

    def _style_key(self) -> tuple[object, ...]:
        app = self.app
        return (app.theme, frozenset(app.classes), app.app_focus, app.ansi_color)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Textual's own handler (a subclass first). Textual restyles every
        # node of a screen it switches to, in case the theme changed meanwhile: for the
        # social step's text areas that was most of coming back to it. A kept screen was
        # styled for the same theme, classes and focus: it is shown as it was.
        key = self._style_key()
        if key == self._styled_for:
            event.refresh_styles = False
        self._styled_for = key
        if self.bmc.editor is None:
            return  # passed through on the way back to the list of sessions: nothing to show
        held, self._held = self._held, {}
        for callback, (obj, name) in held.items():
            callback(getattr(obj, name))
        for bar in self.query(StepBar):
            bar.ticking(True)

    def on_screen_suspend(self) -> None:
        if self not in self.app.screen_stack:  # kept for later, not under a dialog
            for bar in self.query(StepBar):
                bar.ticking(False)

    @property
    def bmc(self) -> BmcApp:
        return cast("BmcApp", self.app)

    @property
    def editor(self) -> Editor:
        editor = self.bmc.editor
        assert editor is not None, "a step screen is only shown with a session open"
        return editor

    @property
    def session(self) -> Session:
        return self.editor.session

    def compose(self) -> ComposeResult:
        from ..guide import STEP_HELP

        yield StepBar(id="step-bar")
        yield Banner(id="banner")
        if self.bmc.team is not None:
            from ..widgets.team_bar import TeamBar

            yield TeamBar(id="team-bar")
        guide = STEP_HELP.get(self.STEP)
        if guide is not None:
            yield Label(Content(guide.purpose), id="purpose")
        yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        if not self.bmc.can_edit:
            # Read-only: everything can be looked at, nothing typed into.
            for widget in self.query("Input, Select, Checkbox, RadioSet, TextArea"):
                widget.disabled = True
        if self.bmc.config.participant:
            # Over SSH a blinking cursor is a screen update twice a second for every idle
            # participant: a steady cursor keeps a quiet room cheap for the server.
            for field in self.query("Input, TextArea"):
                field.cursor_blink = False  # type: ignore[attr-defined]

    def team_changed(self, change: Change) -> set[Key]:
        """Show teammates' changes in place: lists and form fields, never the whole screen.

        The field with the focus keeps its cursor, and keys typed there that the session
        has not taken yet stay (`FieldInput.typed_ahead`): nothing half-typed is lost.
        Returns the fields whose change was not shown for that reason.
        """
        kept: set[Key] = set()
        # Looked up once per change, by type: a CSS query matches each node's ancestry, a
        # cost paid on every member's screen for every teammate's key.
        lists = list(self.walk_children(ItemList))
        forms = self.forms()
        for item_list in lists:
            if item_list.kind in change.kinds:
                item_list.reload()
        for key in change.keys:
            if key[0] != "item":
                continue
            _, kind, item_id, name = key
            for item_list in lists:
                if item_list.kind == kind:
                    # Already gathered over TEAM_REFRESH: shown now, not after a typing pause.
                    item_list.refresh_item(item_id)
            for form in forms:
                if form.kind == kind and form.item_id == item_id and not form.refresh_field(name):
                    kept.add(key)
        if change.kinds:
            for form in forms:
                if form.item_id is not None and self.session.find(form.item_id) is None:
                    # Deleted by a teammate: nothing to edit here. The cursor, if it was in
                    # the form, goes to the list, not nowhere (keys typed next were lost).
                    was_here = self.focused is not None and form in self.focused.ancestors
                    form.show(form.item_id)
                    if was_here:
                        self._to_list(form.kind)
                else:
                    form.refresh_links()
        return kept

    def _to_list(self, kind: str) -> None:
        for item_list in self.walk_children(ItemList):
            if item_list.kind == kind:
                self.set_focus(item_list)
                return

    def help_extra(self) -> str:
        """Markdown F1 adds after the step's help (the canvas: the chosen block's guide)."""
        return ""

    def resume_target(self) -> str | None:
        """The target to reopen this step at after undo/redo rebuilds it (None: its start)."""
        return None

    def focus_item_field(self, item_id: str | None, field: str) -> None:
        """Put the cursor into one field of an item's form (undo shows what it restored)."""
        if item_id is None or self.bmc.editor is None or not self.bmc.can_edit:
            return
        found = self.session.find(item_id)
        form = self.form_for(found[0]) if found else None
        if form is None or form.item_id != item_id:
            return
        widgets = form.query(f"#field-{field}")
        if widgets and widgets.first().focusable:
            form.focus_field(field)

    def action_focus_main(self) -> None:
        """Esc leaves a field for the screen's main list; what was typed is already saved."""
        lists = self.query(ItemList)
        if lists:
            lists.first().focus()

    # -- shared behaviour of item lists and forms ------------------------------------------

    LINK_ON_L: ClassVar[str | None] = None
    """The link field `l` opens in this step's lists (None: ask when there are several)."""

    def form_for(self, kind: str) -> ItemForm | None:
        """The form that edits items of `kind` on this screen."""
        for form in self.forms():
            if form.kind == kind:
                return form
        return None

    def forms(self) -> list[ItemForm]:
        """The screen's item forms, less any being taken away (see `ItemForm.retired`).

        By type, not a CSS query: a query matches each node's ancestry, and this runs on
        every member's screen for every teammate's key (`team_changed`)."""
        return [form for form in self.walk_children(ItemForm) if not form.retired]

    def on_item_list_highlighted(self, event: ItemList.Highlighted) -> None:
        form = self.form_for(event.item_list.kind)
        if form is not None:
            # The list as it is now, not as the message says: keys handled before it came
            # round (a block switched, an item added) may have moved on already.
            form.show(event.item_list.current_id)

    def on_item_list_edit_requested(self, event: ItemList.EditRequested) -> None:
        self.edit_item(event.item_list.kind, event.item_id)

    def edit_item(self, kind: str, item_id: str) -> None:
        """The item's form, its text field taking the cursor at once (see ItemList._edit)."""
        form = self.form_for(kind)
        if form is not None:
            form.show(item_id)
            form.focus_field("text", at_once=True)

    def on_item_list_link_requested(self, event: ItemList.LinkRequested) -> None:
        self.choose_links(event.item_list.kind, event.item_id, self.LINK_ON_L)

    def on_item_list_changed(self, event: ItemList.Changed) -> None:
        for item_list in self.query(ItemList):
            if item_list is not event.item_list:
                item_list.reload()
        for form in self.forms():
            form.show(form.item_id)

    def on_item_form_edited(self, event: ItemForm.Edited) -> None:
        # Every key typed in a form: by type, not by a CSS query (see team_changed).
        for item_list in self.walk_children(ItemList):
            if item_list.kind == event.form.kind:
                item_list.refresh_item_soon(event.item_id)

    def on_item_form_link_requested(self, event: ItemForm.LinkRequested) -> None:
        self.choose_links(event.form.kind, event.item_id, event.link_field)

    def choose_links(self, kind: str, item_id: str, link_field: str | None = None) -> None:
        """Open the link picker for one link field (asking which, if the kind has several)."""
        fields = list(LINK_SCHEMA[kind])
        if not fields:
            return
        found = self.session.find(item_id)
        if found is None:
            return
        if link_field is None and len(fields) > 1:
            self._ask_link_field(kind, item_id, fields)
            return
        link_field = link_field or fields[0]
        from .link_picker import LinkPickerScreen

        # One order everywhere, the canvas's own, each kind under its heading: partners
        # listed resources first and costs activities first, and a tick landed wrong.
        allowed = sorted(LINK_SCHEMA[kind][link_field], key=KINDS.index)
        candidates = [
            (item.id, item_label(item, 60)) for k in allowed for item in self.session.items_of(k)
        ]
        headings = {}
        if len(allowed) > 1:
            for k in allowed:
                items = self.session.items_of(k)
                if items:
                    headings[items[0].id] = KIND_TITLES[k]
        title = f"{KIND_TITLES[kind]} “{item_label(found[1], 40)}”: {link_field.replace('_', ' ')}"

        def chosen(ids: list[str] | None) -> None:
            if ids is None or self.bmc.editor is None or not self.bmc.can_edit:
                return
            # The dialog may have stayed open while a teammate deleted the item, or one of
            # those ticked: link what is still there, and say what is not.
            if self.session.find(item_id) is None:
                self.notify(
                    f"“{item_label(found[1], 40)}” was deleted meanwhile: no links changed.",
                    severity="warning",
                )
                return
            there = [i for i in ids if (f := self.session.find(i)) and f[0] in allowed]
            try:
                self.editor.set_links(kind, item_id, link_field, there)
            except (EditError, UnknownName) as error:
                self.notify(f"Links not changed: {error}", severity="warning")
                return
            if len(there) < len(ids):
                gone = len(ids) - len(there)
                self.notify(
                    f"{gone} of the items ticked {'was' if gone == 1 else 'were'} deleted "
                    "meanwhile and not linked.",
                    severity="warning",
                )
            self.bmc.edited()
            for item_list in self.query(ItemList):
                item_list.reload()
            for form in self.forms():
                form.refresh_links()

        self.app.push_screen(
            LinkPickerScreen(title, candidates, found[1].linked(link_field), headings=headings),
            chosen,
        )

    def _ask_link_field(self, kind: str, item_id: str, fields: list[str]) -> None:
        """Which links to choose, named as the item's form names them."""
        from .link_picker import LinkFieldScreen

        labels = {
            spec.name: spec.label
            for form in self.forms()
            if form.kind == kind
            for spec in form.fields
        }
        found = self.session.find(item_id)
        name = item_label(found[1], 40) if found else item_id
        choices = [(f, labels.get(f, f.replace("_", " ").capitalize())) for f in fields]

        def chosen(link_field: str | None) -> None:
            if link_field is not None:
                self.choose_links(kind, item_id, link_field)

        self.app.push_screen(
            LinkFieldScreen(f"{KIND_TITLES[kind]} “{name}”: link to", choices), chosen
        )

    def seal_on_blur(self) -> None:
        """End an undo burst when focus leaves a field, so Ctrl+Z undoes one field at a time."""
        if self.bmc.editor is not None:
            self.editor.seal()

    def on_descendant_blur(self, event: object) -> None:
        widget = getattr(event, "widget", None)
        if isinstance(widget, Input | Select):
            self.seal_on_blur()
