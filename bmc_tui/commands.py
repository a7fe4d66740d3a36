"""Commands for the palette (Ctrl+P), declared once: steps, overview, check, export, timebox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from .model import STEP_TITLES, STEPS

if TYPE_CHECKING:
    from .app import BmcApp


def workshop_commands(app: BmcApp) -> Iterator[SystemCommand]:
    if app.editor is None:
        return
    for n, step in enumerate(STEPS, start=2):
        yield SystemCommand(
            f"Go to: {STEP_TITLES[step]}",
            f"Step {n - 1} of the workshop (F{n})",
            partial(app.goto_step, step),
        )
    yield SystemCommand(
        "Canvas overview", "All nine blocks at a glance (Ctrl+O)", app.action_overview
    )
    yield SystemCommand(
        "Run the check", "Show every misalignment (the summary)", partial(app.goto_step, "summary")
    )
    for fmt, label in (
        ("md", "Markdown report"),
        ("html", "HTML page (print to PDF)"),
        ("json", "JSON"),
    ):
        yield SystemCommand(
            f"Export: {label}",
            "The command that copies it to your computer"
            if app.config.take_home
            else "Written next to the session file",
            partial(export_session, app, fmt),
        )
    if app.can_edit:
        yield SystemCommand(
            "Currency of the amounts",
            "Shown next to the monthly revenue and costs (e.g. EUR)",
            partial(ask_currency, app),
        )
    for minutes in (5, 10, 15, 20, 30):
        yield SystemCommand(
            f"Timebox this step: {minutes} minutes",
            "A countdown in the top bar",
            partial(set_timebox, app, minutes),
        )
    yield SystemCommand("Timebox: off", "Stop the countdown", partial(set_timebox, app, 0))
    yield SystemCommand(
        "High-contrast theme",
        "For projectors and bright rooms",
        partial(setattr, app, "theme", "bmc-high-contrast"),
    )
    if not app.config.participant:
        yield SystemCommand(
            "Back to the list of sessions", "Close this session", app.action_start_screen
        )
    if app.handle is not None and app.team is None:
        yield SystemCommand(
            "Save a copy", "Save the session as it is now under a new name", app.save_copy
        )
    link = app.team_link
    if link is not None:
        for team in link.teams:
            if team["id"] != link.team:
                yield SystemCommand(
                    f"Join team {team.get('name', team['id'])}",
                    "Build the team's canvas together (your own session stays as it is)",
                    partial(app.join_team, str(team["id"])),
                )
        if link.team is not None:
            yield SystemCommand(
                f"Leave team {link.team_name(link.team)}",
                "Back to your own session (the team's canvas stays with the team)",
                partial(app.join_team, None),
            )


def ask_currency(app: BmcApp) -> None:
    """The session's currency: only a label for the amounts, never a conversion."""
    from .screens.title_prompt import TitlePromptScreen

    editor = app.editor
    if editor is None:
        return

    def chosen(value: str | None) -> None:
        if value is None or app.editor is not editor or not app.can_edit:
            return
        editor.set_session_field("currency", value or None)
        app.edited()
        app.notify(f"Amounts are shown in {value}." if value else "No currency shown.")

    app.push_screen(
        TitlePromptScreen(
            "Currency of the monthly amounts",
            editor.session.currency or "",
            "Shown next to every amount and total; empty shows none. Enter to set, Esc to cancel.",
            placeholder="e.g. EUR",
            allow_empty=True,
            max_length=12,
        ),
        chosen,
    )


def set_timebox(app: BmcApp, minutes: int) -> None:
    """A countdown for the step on screen only (`--timebox` gives every step its own): it
    neither starts again on the next step nor follows the person to another session."""
    if minutes:
        ends = datetime.now(UTC) + timedelta(minutes=minutes)
        app.step_timebox = (app.current_step, ends)
        app.notify(f"Timebox: {minutes} minutes, until {ends.astimezone():%H:%M}.")
    else:
        app.step_timebox = None
        app.config.timebox = None  # "off" stops --timebox too
    app.revision = app.revision  # the step bar redraws on its next tick


def take_home_command(ssh: str, session_id: str, fmt: str) -> str:
    """The command a participant runs on their own computer to fetch their session."""
    return f"{ssh} export --format {fmt} > {session_id}.{fmt}"


def export_session(app: BmcApp, fmt: str) -> None:
    if app.handle is None:
        return
    if app.config.take_home:
        # Under `serve` a file written here would land on the server, out of reach: the
        # participant fetches the export over ssh instead, from their own computer.
        command = take_home_command(app.config.take_home, app.handle.session.id, fmt)
        app.copy_to_clipboard(command)
        from .screens.take_home import TakeHomeScreen

        app.push_screen(TakeHomeScreen(command))
        return
    try:
        from .export import write_export
    except ImportError:
        app.notify("Exports are not available in this build.", severity="error")
        return
    path = app.handle.path.with_suffix(f".{fmt}")
    from .store import StoreError

    try:
        written = write_export(app.handle.session, fmt, path)
    except StoreError as error:  # write_export's ExportError names the file already
        app.notify(str(error), title="Not exported", severity="error")
        return
    except OSError as error:
        app.notify(f"{path}: {error.strerror or error}", title="Not exported", severity="error")
        return
    app.notify(f"Written to {written}", title="Exported")
