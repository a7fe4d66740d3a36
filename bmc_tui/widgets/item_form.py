"""A form for one item, built from a list of field specs, editing the session as you type.

Screens declare their fields once (text, choices, yes/no, dates, numbers, links); the form
fills itself for whichever item is highlighted and writes each change through the editor.
Setting values when the highlight moves never counts as an edit (messages are prevented).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select, Static
from textual.widgets._select import NoSelection, SelectOverlay

from ..editing import EditError, parse_amount, read_day
from ..model import LINK_SCHEMA, Item
from ..money import plain_amount
from ..text import for_display, one_line
from .field_input import FieldInput

if TYPE_CHECKING:
    from ..app import BmcApp

MAX_INPUT = 10_000


@dataclass(frozen=True)
class FieldSpec:
    """One field of an item form.

    `kind`: text, choice, tristate, bool, date, number, links; `amount` (money typed as
    people type it, checked by the editor, its message shown under the field); `unticked`
    (a checkbox whose tick stores False and whose empty box stores nothing: "does not pay").
    """

    name: str
    label: str
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""


_TRISTATE = (("Yes", "yes"), ("No", "no"))


def _to_tristate(value: bool | None) -> str | NoSelection:
    if value is None:
        return Select.NULL
    return "yes" if value else "no"


def _input_text(spec: FieldSpec, value: Any) -> str:
    """What a one-line field shows for a stored value: an amount as people write it, any
    other text cleaned of what a terminal would act on (the file keeps it as it is)."""
    if value is None:
        return ""
    if spec.kind == "amount":
        # Without thousands separators: "1,650" with a digit added read "1,6500", which is
        # no amount; the lists and totals show them grouped.
        return plain_amount(value)
    return for_display(str(value), keep_newlines=False)


def _ticked(spec: FieldSpec, value: Any) -> bool:
    # "unticked": a box ticked for False (a segment that does not pay; absent means it pays).
    return value is False if spec.kind == "unticked" else bool(value)


class ChoiceSelect(Select[str]):
    """A Select whose Enter is named in the Footer: Textual's own hides it, and a newcomer
    looking at "(not chosen) ▼" should not have to guess that Enter opens the choices."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "show_overlay", "Choose")]

    def on_mount(self) -> None:
        # In a short form the pop-up list was cut to three rows with a scrollbar, hiding
        # choices: ask for room for all of them (the overlay may cover the Footer).
        overlay = self.query_one(SelectOverlay)
        overlay.styles.min_height = min(len(self._options) + 2, 12)


class LinksField(Static, can_focus=True):
    """Shows what an item links to; Enter or a click asks to choose the links."""

    BINDINGS = [("enter,space", "choose", "Choose links")]

    class Choose(Message):
        def __init__(self, field: LinksField) -> None:
            self.field = field
            super().__init__()

    def __init__(self, link_field: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.link_field = link_field

    def action_choose(self) -> None:
        self.post_message(self.Choose(self))

    def on_click(self) -> None:
        self.action_choose()


class AmountTrail:
    """What one amount field stored while a person typed in it (since it was entered).

    Each key is read as typed, so on the way to "7x" the field stored 7, and on the way to
    a 23-digit number, every amount up to the largest there is. When the text stops being
    an amount, the amount goes back to what it was before that text was begun: the value
    of the latest text stored that the bad one does not merely extend, else the value the
    field had when it was entered. ("250" typed and then "-" before it: 250 stays; "7x": the amount
    from before the 7.)
    """

    LONGEST = 32
    """Texts remembered: enough for a field of 40 characters typed and corrected."""

    def __init__(self, text: str, value: Any) -> None:
        self.start = value
        self.now = value  # what the session holds from this field (or had when entered)
        self._steps: list[tuple[str, Any]] = [] if text == "" else [(text, value)]

    def stored(self, text: str, value: Any) -> None:
        """The field's `text` was read as `value`, and stored."""
        # Texts typed on the way to this one say nothing a later text would not: dropped.
        self._steps = [s for s in self._steps if not text.startswith(s[0])][-self.LONGEST :]
        self._steps.append((text, value))
        self.now = value

    def before(self, bad: str) -> Any:
        """The amount from before `bad` was begun."""
        # The texts on the way to it were never amounts the person kept: forgotten, so a
        # later bad text does not go back to one of them ("1.234" of "1.234.56").
        self._steps = [s for s in self._steps if not bad.startswith(s[0])]
        return self._steps[-1][1] if self._steps else self.start


class ItemForm(VerticalScroll, can_focus=False):
    """Edits the fields of one item of `kind`.

    The scroller itself takes no focus: Tab goes from the list straight to the first field
    (focusing a field scrolls it into view).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: Tab moves the focus before the next key is handed out, so what is typed
        # right after it (type-ahead, a paste, a slow SSH link) lands in the next field.
        # Without it the Tab bubbles up to the screen first, and a key already waiting
        # goes to the field that is being left.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    class Edited(Message):
        """A field of the item was changed by the user."""

        def __init__(self, form: ItemForm, item_id: str, field: str) -> None:
            self.form = form
            self.item_id = item_id
            self.field = field
            super().__init__()

    class LinkRequested(Message):
        def __init__(self, form: ItemForm, item_id: str, link_field: str) -> None:
            self.form = form
            self.item_id = item_id
            self.link_field = link_field
            super().__init__()

    def __init__(self, kind: str, fields: tuple[FieldSpec, ...], *, id: str | None = None) -> None:
        super().__init__(id=id, classes="item-form")
        self.kind = kind
        self.fields = fields
        self.item_id: str | None = None
        # Set just before the form is taken away (the canvas switching blocks): while its
        # fields are being removed, a message still queued for it must not find it (the
        # screen's `forms` leaves it out).
        self.retired = False
        # Per amount field, since the person entered it (see AmountTrail).
        self._trails: dict[str, AmountTrail] = {}

    @property
    def bmc(self) -> BmcApp:
        return cast("BmcApp", self.app)

    def compose(self) -> ComposeResult:
        for spec in self.fields:
            widget_id = f"field-{spec.name}"
            if spec.kind in ("bool", "unticked"):
                yield Checkbox(spec.label, id=widget_id)
                if spec.hint:
                    yield Label(spec.hint, classes="field-hint")
                continue
            yield Label(spec.label, classes="field-label")
            if spec.kind == "text":
                yield FieldInput(id=widget_id, placeholder=spec.hint, max_length=MAX_INPUT)
            elif spec.kind == "number":
                yield FieldInput(id=widget_id, placeholder=spec.hint, type="number")
            elif spec.kind == "amount":
                yield FieldInput(id=widget_id, placeholder=spec.hint, max_length=40)
                yield Label("", id=f"{widget_id}-error", classes="field-error")
            elif spec.kind == "date":
                yield FieldInput(
                    id=widget_id,
                    placeholder=spec.hint or "YYYY-MM-DD",
                    max_length=10,
                    restrict=r"[0-9-]*",
                )
                yield Label("", id=f"{widget_id}-error", classes="field-error")
            elif spec.kind == "choice":
                yield ChoiceSelect(
                    [(label, value) for value, label in spec.choices],
                    id=widget_id,
                    prompt="(not chosen)",
                )
            elif spec.kind == "tristate":
                yield ChoiceSelect(_TRISTATE, id=widget_id, prompt="(not answered)")
            elif spec.kind == "links":
                yield LinksField(spec.name, id=widget_id)
            if spec.hint and spec.kind not in ("text", "date", "number", "amount"):
                yield Label(spec.hint, classes="field-hint")

    # -- filling -------------------------------------------------------------------------

    def _item(self) -> Item | None:
        editor = self.bmc.editor
        if editor is None or self.item_id is None:
            return None
        found = editor.session.find(self.item_id)
        return found[1] if found else None

    def show(self, item_id: str | None) -> None:
        """Fill the form for an item (None: nothing to edit, the form is disabled)."""
        if item_id is not None and item_id == self.item_id and self._item() is not None:
            # The same item again (a list reloaded around it): only what changed, so a
            # field being typed in keeps its cursor.
            self.disabled = not self.bmc.can_edit
            for spec in self.fields:
                self.refresh_field(spec.name)
            return
        self.item_id = item_id
        item = self._item()
        self.disabled = item is None or not self.bmc.can_edit
        for spec in self.fields:
            self._fill(spec, item, fresh=True)

    def refresh_field(self, name: str) -> bool:
        """Show one field's value again (a teammate changed it), keeping the cursor.
        False: the person's own typing there is kept over it (see `FieldInput.show_remote`)."""
        item = self._item()
        spec = next((f for f in self.fields if f.name == name), None)
        if item is not None and spec is not None:
            return self._fill(spec, item, fresh=False)
        return True

    def _fill(self, spec: FieldSpec, item: Item | None, *, fresh: bool) -> bool:
        """Show a field's stored value: `fresh` for another item (the field starts over),
        else the same item again, where what is being typed keeps its cursor (False: the
        person's typing was kept instead)."""
        widget = self.query_one(f"#field-{spec.name}")
        value = self._value_of(item, spec) if item is not None else None
        if isinstance(widget, FieldInput):
            shown = _input_text(spec, value)
            if fresh:
                widget.show_value(shown, keep_cursor=False)
                if spec.kind in ("amount", "date"):
                    self.field_error(spec, "")
                if spec.kind == "amount":
                    self._trails[spec.name] = AmountTrail(shown, value)
                widget.remove_class("-invalid")
            elif widget.has_class("-invalid"):
                # A date, number or amount half typed (not yet a value) stays the person's,
                # with its message, until they change it or leave the item: shown over, a
                # date typed wrong was gone without a word once the list was redrawn.
                return False
            else:
                if not widget.show_remote(shown):
                    return False
                if spec.kind == "amount":
                    self._trails[spec.name] = AmountTrail(shown, value)
                return True
        elif isinstance(widget, Select):
            wanted = _to_tristate(value) if spec.kind == "tristate" else value
            with widget.prevent(Select.Changed):
                widget.value = Select.NULL if wanted is None else wanted
        elif isinstance(widget, Checkbox):
            with widget.prevent(Checkbox.Changed):
                widget.value = _ticked(spec, value)
        elif isinstance(widget, LinksField):
            widget.update(self._links_text(item, spec.name))
        return True

    def on_descendant_focus(self, event: object) -> None:
        widget = getattr(event, "widget", None)
        spec = self._spec(getattr(widget, "id", None))
        if spec is not None and self.item_id is not None:
            self.bmc.team_editing((self.kind, self.item_id, spec.name))
        if spec is not None and spec.kind == "amount" and isinstance(widget, Input):
            item = self._item()
            if item is not None and not widget.has_class("-invalid"):
                # Entered again: what it holds now is where a bad text would go back to.
                self._trails[spec.name] = AmountTrail(widget.value, getattr(item, spec.name))

    def on_descendant_blur(self, event: object) -> None:
        self.bmc.team_editing(None)

    def refresh_links(self) -> None:
        item = self._item()
        for spec in self.fields:
            if spec.kind == "links":
                self.query_one(f"#field-{spec.name}", LinksField).update(
                    self._links_text(item, spec.name)
                )

    def _value_of(self, item: Item, spec: FieldSpec) -> Any:
        if spec.kind == "links":
            return item.linked(spec.name)
        return getattr(item, spec.name)

    def _links_text(self, item: Item | None, link_field: str) -> Text:
        editor = self.bmc.editor
        if item is None or editor is None:
            return Text("")
        names = []
        for target in item.linked(link_field):
            found = editor.session.find(target)
            names.append(
                one_line(found[1].label, None) if found else f"{one_line(target, 40)} (missing)"
            )
        if not names:
            return Text("nothing linked yet — press Enter here to choose", style="dim italic")
        # In full, wrapped to the field's width: the list's line is the short reminder, the
        # form is where an item's links are read (a cut at 40 hid them with room to spare).
        return Text("\n".join(f"• {name}" for name in names))

    def focus_field(self, name: str = "text", *, at_once: bool = False) -> None:
        field = self.query_one(f"#field-{name}")
        if at_once:
            self.screen.set_focus(field)  # before the next key is handed on, not after
        else:
            field.focus()

    # -- writing -------------------------------------------------------------------------

    def _spec(self, widget_id: str | None) -> FieldSpec | None:
        for spec in self.fields:
            if widget_id == f"field-{spec.name}":
                return spec
        return None

    def _write(self, spec: FieldSpec, value: Any) -> None:
        editor = self.bmc.editor
        if editor is None or self.item_id is None or not self.bmc.can_edit:
            return
        if spec.name == "text":
            editor.set_text(self.kind, self.item_id, value)
        else:
            editor.set_field(self.kind, self.item_id, spec.name, value)
        self.bmc.edited()
        self.post_message(self.Edited(self, self.item_id, spec.name))

    def on_input_changed(self, event: Input.Changed) -> None:
        spec = self._spec(event.input.id)
        if spec is None:
            return
        event.stop()
        text = event.value
        if isinstance(event.input, FieldInput):
            event.input.took(text)
        if spec.kind == "text":
            self._write(spec, text)
            return
        if spec.kind == "amount":
            self._write_amount(spec, event.input, text)
            return
        if spec.kind == "date":
            self._write_date(spec, event.input, text)
            return
        valid = True
        value: Any = None
        if text.strip():
            try:
                value = _number(text)
            except ValueError:
                valid = False
        event.input.set_class(not valid, "-invalid")
        if valid:
            self._write(spec, value)

    def _write_date(self, spec: FieldSpec, field: Input, text: str) -> None:
        """A day is saved once the text is one; until then the field says what is wrong."""
        try:
            day = read_day(text)
        except EditError as error:
            field.add_class("-invalid")
            # The label without its "(YYYY-MM-DD)": the message says the format itself.
            self.field_error(spec, f"{spec.label.split(' (')[0]}: {error}")
            return
        field.remove_class("-invalid")
        self.field_error(spec, "")
        self._write(spec, day)

    def on_select_changed(self, event: Select.Changed) -> None:
        spec = self._spec(event.select.id)
        if spec is None:
            return
        event.stop()
        chosen = None if event.value is Select.NULL else event.value
        if spec.kind == "tristate":
            self._write(spec, None if chosen is None else chosen == "yes")
        else:
            self._write(spec, chosen)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        spec = self._spec(event.checkbox.id)
        if spec is not None:
            event.stop()
            if spec.kind == "unticked":
                # Unticking removes the key again rather than writing `true`.
                self._write(spec, False if event.value else None)
            else:
                self._write(spec, event.value)

    def field_error(self, spec: FieldSpec, message: str) -> None:
        """Say under a date or amount field why what it holds is not saved ("": nothing)."""
        label = self.query_one(f"#field-{spec.name}-error", Label)
        label.update(message)
        label.display = bool(message)

    def _write_amount(self, spec: FieldSpec, field: Input, text: str) -> None:
        """The editor reads the amount; what it refuses stays in the field, with why."""
        editor = self.bmc.editor
        if editor is None or self.item_id is None or not self.bmc.can_edit:
            return
        trail = self._trails.setdefault(spec.name, AmountTrail("", None))
        try:
            # Read here, not by the field: an Input of type "number" dropped what it did not
            # take ("€300,50" became 30050, a budget a hundred times too big, unsaid).
            value = parse_amount(text)
            editor.set_field(self.kind, self.item_id, spec.name, value)
        except EditError as error:
            field.add_class("-invalid")
            self.field_error(spec, f"{error} — the amount stays as it was.")
            self._amount_back(spec, trail, text)
            return
        item = self._item()
        trail.stored(text, getattr(item, spec.name) if item is not None else None)
        field.remove_class("-invalid")
        self.field_error(spec, "")
        self.bmc.edited()
        self.post_message(self.Edited(self, self.item_id, spec.name))

    def _amount_back(self, spec: FieldSpec, trail: AmountTrail, bad: str) -> None:
        """Put back the amount from before the bad text was begun: the keys on the way to
        it were stored as they came ("7" of "7x"), yet the message says it stays as it was."""
        editor = self.bmc.editor
        item = self._item()
        if editor is None or item is None or self.item_id is None:
            return
        current = getattr(item, spec.name)
        wanted = trail.before(bad)
        if current != trail.now or current == wanted:
            return  # not this field's to change back (a teammate's since), or as it was
        editor.set_field(self.kind, self.item_id, spec.name, wanted)
        trail.now = wanted
        self.bmc.edited()
        self.post_message(self.Edited(self, self.item_id, spec.name))

    def on_links_field_choose(self, event: LinksField.Choose) -> None:
        event.stop()
        if self.item_id is not None and event.field.link_field in LINK_SCHEMA[self.kind]:
            self.post_message(self.LinkRequested(self, self.item_id, event.field.link_field))


def _number(text: str) -> float | int:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value
