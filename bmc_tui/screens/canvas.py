"""Step 2: the nine blocks of the Business Model Canvas, and the links between them."""

from __future__ import annotations

from typing import ClassVar, Final

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ..guide import AMOUNT_HINT, AMOUNT_LABELS, BLOCK_GUIDE, PAYS_HINT, PAYS_LABEL
from ..model import AMOUNT_KINDS, BLOCK_TITLES, BLOCKS, LINK_SCHEMA, Item
from ..money import totals_rows
from ..widgets.item_form import FieldSpec, ItemForm
from ..widgets.item_list import ItemList, item_label
from ..widgets.nav_list import NavList
from ..widgets.shown import watch_shown
from .base import StepScreen
from .ripple import RippleScreen, ripple_items


def block_fields(block: str) -> tuple[FieldSpec, ...]:
    guide = BLOCK_GUIDE[block]
    links = tuple(
        FieldSpec(name, guide.link_prompts.get(name, name.replace("_", " ").capitalize()), "links")
        for name in LINK_SCHEMA[block]
    )
    extra: tuple[FieldSpec, ...] = ()
    if block in AMOUNT_KINDS:
        extra = (FieldSpec("monthly", AMOUNT_LABELS[block], "amount", hint=AMOUNT_HINT),)
    elif block == "customer_segments":
        extra = (FieldSpec("pays", PAYS_LABEL, "unticked", hint=PAYS_HINT),)
    # "e.g.": an example in an empty field must not read as a value already filled in.
    return (FieldSpec("text", "Text", "text", hint=f"e.g. {guide.example}"), *extra, *links)


MORE_IN_HELP: Final = Text("F1: what belongs in this block, with an example", style="dim italic")


class BlockList(NavList):
    """The nine blocks; Enter goes to the chosen block's items."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Items", tooltip="Go to this block's items"),
    ]


class CanvasScreen(StepScreen):
    STEP = "canvas"
    SHOWS = ("canvas", "currency")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the app runs them before it hands on the next key (see action_block);
        # in a text field a digit is text (check_action).
        *[
            Binding(str(n), f"block('{block}')", BLOCK_TITLES[block], show=False, priority=True)
            for n, block in enumerate(BLOCKS, start=1)
        ],
        Binding("tab", "app.focus_next", "Next pane", show=False),
    ]

    def __init__(self, target: str | None = None) -> None:
        super().__init__(target)
        self.block = BLOCKS[0]
        self.select_item: str | None = None
        self._shown_counts: tuple[int, ...] = ()
        self._totals: list[tuple[str, str]] | None = None
        self._rippled: str | None = None
        if target in BLOCKS:
            self.block = target
        elif target is not None:
            for block in BLOCKS:
                if any(item.id == target for item in self._block_items(block)):
                    self.block, self.select_item = block, target

    def resume_target(self) -> str | None:
        """The highlighted item, else the block: where to land when the step reopens."""
        return self.query_one("#items", ItemList).current_id or self.block

    def _block_items(self, block: str) -> list[Item]:
        editor = self.bmc.editor
        return list(editor.session.canvas.block(block)) if editor else []

    def compose_body(self) -> ComposeResult:
        # Wide: the items and the form side by side under the guide. Narrow (80 columns):
        # the form under the items, so the text being typed gets the whole width.
        with Horizontal(id="canvas-body"):
            with Vertical(id="canvas-left"):
                yield BlockList(id="blocks")
                yield Static(id="canvas-totals", classes="canvas-totals")
            with Vertical(id="canvas-middle"):
                yield Static(id="block-prompt")
                # 80 columns: these two are hidden for the items' sake; F1 shows them (and
                # the text field's placeholder the example, "e.g. …").
                yield Static(id="block-guide")
                yield Static(id="block-example")
                yield Static(MORE_IN_HELP, id="block-more")
                with Horizontal(id="canvas-work"):
                    yield ItemList(self.block, id="items")
                    yield Vertical(ItemForm(self.block, block_fields(self.block)), id="form-pane")

    def on_mount(self) -> None:
        super().on_mount()
        blocks = self.query_one("#blocks", OptionList)
        blocks.border_title = "Blocks 1-9"
        self._fill_blocks()
        blocks.highlighted = BLOCKS.index(self.block)
        self._show_guide()
        items = self.query_one(ItemList)
        items.reload(select=self.select_item)
        # At once, not deferred: a deferred focus would land after keys already handled
        # (a form opened by `a` typed as the screen appears would lose the cursor to it).
        self.set_focus(items)
        watch_shown(self, self.app, "revision", self._fill_blocks, init=False)
        self._show_totals()
        watch_shown(self, self.app, "revision", self._show_totals, init=False)

    def _show_totals(self, _: object = None) -> None:
        # Revenue and costs side by side, only once some amount is given.
        rows = totals_rows(self.session)
        if rows == self._totals:
            return
        self._totals = rows
        text = Text()
        for n, (label, amount) in enumerate(rows):
            text.append(("\n" if n else "") + f"{label:<14}")
            text.append(amount, style="bold")
        totals = self.query_one("#canvas-totals", Static)
        totals.update(text)
        totals.display = bool(rows)

    def _fill_blocks(self, _: object = None) -> None:
        # Runs on every change (every keystroke): only redraw when a count changed.
        block_counts = tuple(len(self._block_items(block)) for block in BLOCKS)
        if block_counts == self._shown_counts:
            return
        self._shown_counts = block_counts
        blocks = self.query_one("#blocks", OptionList)
        keep = blocks.highlighted
        blocks.clear_options()
        for n, block in enumerate(BLOCKS, start=1):
            count = len(self._block_items(block))
            label = Text(f"{n} ", style="dim")
            label.append(BLOCK_TITLES[block])
            # One space before the count: "4 Customer Relationships 4" fits 30 columns.
            label.append(f" {count}" if count else " ·", style="green" if count else "dim")
            blocks.add_option(Option(label, id=block))
        blocks.highlighted = keep

    def _show_guide(self) -> None:
        guide = BLOCK_GUIDE[self.block]
        self.query_one("#block-prompt", Static).update(Text(guide.prompt, style="bold"))
        self.query_one("#block-guide", Static).update(Text(guide.belongs))
        example = Text(f"Example: {guide.example}", style="dim italic")
        self.query_one("#block-example", Static).update(example)

    def help_extra(self) -> str:
        """F1 shows the chosen block's guidance in full (the panel may be cut at 80×24)."""
        guide = BLOCK_GUIDE[self.block]
        return (
            f"## {BLOCK_TITLES[self.block]}\n\n**{guide.prompt}**\n\n{guide.belongs}\n\n"
            f"*Example:* {guide.example}"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "block":
            return not isinstance(self.app.focused, Input | TextArea)
        return super().check_action(action, parameters)

    async def action_block(self, block: str) -> None:
        # Switched here, not when the list's Highlighted message comes round: a key typed
        # right after the digit ("6a" with key rollover, a fast typist) is handled once
        # this is done, so it adds to the block chosen and its text goes to that block.
        blocks = self.query_one("#blocks", OptionList)
        with blocks.prevent(OptionList.OptionHighlighted):
            blocks.highlighted = BLOCKS.index(block)
        await self._switch_block(block)
        self.set_focus(self.query_one(ItemList))  # at once: a deferred focus would come
        # after the next key, and take the cursor back from the form it opened

    async def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id != "blocks" or event.option.id is None:
            return
        await self._switch_block(event.option.id)

    async def _switch_block(self, block: str) -> None:
        if block == self.block:
            return
        self.block = block
        self._show_guide()
        pane = self.query_one("#form-pane", Vertical)
        for form in pane.query(ItemForm):
            form.retired = True
        await pane.remove_children()
        await pane.mount(ItemForm(block, block_fields(block)))
        self.query_one(ItemList).set_kind(block)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "blocks":
            self.query_one(ItemList).focus()

    def field_submitted(self, field: Input) -> None:
        # Enter in the text field: done with this item, back to the list for the next one.
        self.set_focus(self.query_one(ItemList))

    # -- ripple: a changed or deleted segment names what is linked to it ------------------

    def on_item_form_edited(self, event: ItemForm.Edited) -> None:
        super().on_item_form_edited(event)
        if event.form.kind == "customer_segments":
            self._rippled = event.item_id

    def on_descendant_focus(self, event: object) -> None:
        # Back on the list after changing a segment (Enter, Esc, Tab): time to look around.
        if isinstance(getattr(event, "widget", None), ItemList) and self._rippled:
            item_id, self._rippled = self._rippled, None
            refs = [(r.kind, r.item_id) for r in self.editor.links_to(item_id)]
            found = self.session.find(item_id)
            if refs and found is not None:
                name = item_label(found[1], 40)
                self._show_ripple(f"You changed the segment “{name}”", refs)

    def on_item_list_deleted(self, event: ItemList.Deleted) -> None:
        if event.item_list.kind == "customer_segments" and event.linked:
            self._show_ripple(f"You deleted the segment “{event.label}”", event.linked)

    def _show_ripple(self, title: str, refs: list[tuple[str, str]]) -> None:
        rows = ripple_items(self.session, refs)
        if not rows:
            return

        def chosen(where: tuple[str, str] | None) -> None:
            if where is not None:
                self.bmc.goto_step(*where)

        self.app.push_screen(RippleScreen(title, rows), chosen)
