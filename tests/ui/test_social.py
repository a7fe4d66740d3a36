"""The social step: answers, the diagnostic, ratings and their findings — on screen and on disk."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import ContentSwitcher, RadioSet, Static

from bmc_tui.codec import parse_toml
from bmc_tui.editing import MAX_TEXT_CHARS
from bmc_tui.rules import counts
from bmc_tui.screens.social import AnswerArea, SectionList, SocialScreen
from bmc_tui.widgets.rating import Rating
from bmc_tui.widgets.step_bar import StepBar

from .conftest import make_app, make_session, saved, wait_for, wait_saved

CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def warning_count(app: object) -> int:
    bar = app.screen.query_one(StepBar)  # type: ignore[attr-defined]
    found = re.search(r"! (\d+)", bar.render_bar().plain)
    assert found is not None
    return int(found.group(1))


def note_text(app: object, selector: str) -> str:
    note = app.screen.query_one(selector, Static)  # type: ignore[attr-defined]
    return str(note.render()) if note.has_class("-shown") else ""


async def test_typed_answers_are_saved_under_their_prompt_ids(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, SocialScreen)
        assert isinstance(app.focused, SectionList)
        await pilot.press("j", "enter")
        assert isinstance(app.focused, AnswerArea)
        assert app.focused.prompt_id == "check.strengths"
        await pilot.press(*"Teaching", "tab", *"Online, k")
        assert isinstance(app.focused, AnswerArea)
        assert app.focused.prompt_id == "check.valued_clients"
        typed = {"check.strengths": "Teaching", "check.valued_clients": "Online, k"}
        # Waits for every key: a save made between two keys (a slow machine) is no answer.
        session = await wait_saved(pilot, path, lambda s: s.social.answers == typed)
        prompt = str(app.screen.query_one(SectionList).get_option_at_index(1).prompt)
    assert session.social.answers == typed
    assert "2/4" in prompt
    raw = path.read_text("utf-8")
    assert "[social.answers]" in raw
    assert '"check.strengths" = "Teaching"' in raw


async def test_principle_answers_and_escape_keep_the_text(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j")
        assert app.screen.query_one(ContentSwitcher).current == "section-conversation"
        await pilot.press("enter", *"Repairs", "escape")
        assert isinstance(app.focused, SectionList)
        session = await wait_saved(pilot, path, lambda s: s.social.answers)
    assert session.social.answers == {"conversation.strengths": "Repairs"}


async def test_problem_and_a_weak_rating_raise_the_live_findings(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        before = warning_count(app)
        await pilot.press("enter")  # into the diagnostic's choices
        assert isinstance(app.focused, RadioSet)
        await pilot.press("enter")  # the first choice: promotion
        await wait_saved(pilot, path, lambda s: s.social.problem == "promotion")
        assert "suits us" in str(app.screen.query_one("#problem-text", Static).render())
        assert note_text(app, "#promotion-note") == ""

        await pilot.press("escape", "j", "j", "j", "j", "enter", "tab", "tab")
        assert isinstance(app.focused, Rating)
        assert app.focused.id == "rating-function_first"
        await pilot.press("2")
        session = await wait_saved(pilot, path, lambda s: s.social.ratings)
        await wait_for(
            pilot,
            lambda: (
                {"social.weak-principle", "social.promotion-first"}
                <= {f.rule for f in app.findings}
            ),
            what="the social findings",
        )
        assert warning_count(app) == before + 2 == counts(app.findings)["warning"]
        assert "2 of 5" in note_text(app, "#weak-function_first")
        promotion = note_text(app, "#promotion-note")
        assert "look at the model" in promotion
        assert "more promotion rarely helps" in promotion  # the finding's why
        label = str(app.screen.query_one(SectionList).get_option_at_index(4).prompt)
        # A rating reads as dots, unlike the checks' progress ("0/4").
        assert "●●○○○" in label and "/5" not in label
        checks = str(app.screen.query_one(SectionList).get_option_at_index(1).prompt)
        assert "/4" in checks and "●" not in checks and "○" not in checks

        # Changing the answer to "the model" clears the promotion note at once.
        await pilot.press("escape", "k", "k", "k", "k", "enter", "down", "enter")
        await wait_saved(pilot, path, lambda s: s.social.problem == "model")
        await wait_for(pilot, lambda: note_text(app, "#promotion-note") == "", what="the note")
    assert session.social.ratings == {"function_first": 2}
    assert saved(path).social.problem == "model"


async def test_clearing_a_rating_removes_its_key(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social", example="platform")
    assert "customer_guided" in saved(path).social.ratings
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.goto_step("social", "customer_guided")
        await wait_for(pilot, lambda: isinstance(app.focused, Rating))
        await pilot.press("0")
        session = await wait_saved(pilot, path, lambda s: "customer_guided" not in s.social.ratings)
        rating = app.screen.query_one("#rating-customer_guided", Rating)
        assert rating.value is None
        assert "not rated" in str(rating.render())
    assert "customer_guided" not in parse_toml(path.read_bytes()).social.ratings
    assert session.social.ratings  # the other ratings stay


async def test_rating_keys_and_clicks(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.goto_step("social", "conversation")
        await wait_for(pilot, lambda: isinstance(app.focused, Rating))
        await pilot.press("right", "right", "right")
        await wait_saved(pilot, path, lambda s: s.social.ratings.get("conversation") == 3)
        # A click on "5" (padding 1 + four cells of 4 columns before it).
        await pilot.click("#rating-conversation", offset=(1 + 4 * 4 + 1, 0))
        await wait_saved(pilot, path, lambda s: s.social.ratings.get("conversation") == 5)


async def test_undo_reverts_the_last_change_and_keeps_the_place(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.goto_step("social", "mastery_and_ease")
        await wait_for(pilot, lambda: isinstance(app.focused, Rating))
        await pilot.press("4")
        await wait_saved(pilot, path, lambda s: s.social.ratings.get("mastery_and_ease") == 4)
        await pilot.press("1")
        await wait_saved(pilot, path, lambda s: s.social.ratings.get("mastery_and_ease") == 1)
        await pilot.press("ctrl+z")
        await wait_saved(pilot, path, lambda s: s.social.ratings.get("mastery_and_ease") == 4)
        await wait_for(
            pilot,
            lambda: isinstance(app.focused, Rating) and app.focused.id == "rating-mastery_and_ease",
            what="the cursor back on the rating",
        )
        assert app.focused.value == 4  # type: ignore[union-attr]
        # The notice names the principle as the screen does, not by the file's key.
        notices = [str(n.message) for n in app._notifications]
        assert "Undone: Rate “Mastery and ease”" in notices, notices
        await pilot.press("ctrl+z")
        await wait_saved(pilot, path, lambda s: not s.social.ratings)


async def test_jump_targets_focus_the_right_field(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="summary", example="platform")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.goto_step("social", "customer_guided")
        await wait_for(pilot, lambda: isinstance(app.screen, SocialScreen))
        await wait_for(pilot, lambda: isinstance(app.focused, Rating))
        assert app.focused.id == "rating-customer_guided"  # type: ignore[union-attr]
        assert app.screen.query_one(ContentSwitcher).current == "section-customer_guided"
        assert app.screen.query_one(SectionList).highlighted == 6

        app.goto_step("social", "problem")
        await wait_for(pilot, lambda: isinstance(app.focused, RadioSet))

        app.goto_step("social", "check.valued_clients")
        await wait_for(pilot, lambda: isinstance(app.focused, AnswerArea))
        assert app.focused.prompt_id == "check.valued_clients"  # type: ignore[union-attr]
        assert app.focused.text == saved(path).social.answers["check.valued_clients"]  # type: ignore[union-attr]


async def test_read_only_nothing_editable_and_file_untouched(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social", example="platform")
    before = path.read_bytes()
    app = make_app(sessions_dir, path, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, SocialScreen)
        screen = app.screen
        assert screen.query(AnswerArea) and all(w.disabled for w in screen.query(AnswerArea))
        assert all(w.disabled for w in screen.query(Rating))
        assert screen.query_one(RadioSet).disabled
        await pilot.press("j", "j", "enter", "x", "tab", "2", "0", "ctrl+z")
        app.goto_step("social", "function_first")
        await pilot.press("1", "escape", "enter", "y")
        await pilot.pause()
        assert not isinstance(app.focused, AnswerArea | Rating | RadioSet)
        app.flush()
    assert path.read_bytes() == before


async def test_hostile_text_is_shown_safely_and_saved_clean(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.goto_step("social", "check.strengths")
        await wait_for(pilot, lambda: isinstance(app.focused, AnswerArea))
        area = app.screen.query_one("#answer-check-strengths", AnswerArea)
        area.insert("[bold]x[/] \x1b[31mred\x1b[0m [/oops] \x07bell")
        session = await wait_saved(pilot, path, lambda s: s.social.answers)
        answer = session.social.answers["check.strengths"]
        assert answer == "[bold]x[/] red [/oops] bell"
        await wait_for(pilot, lambda: area.text == answer, what="the area to show what is kept")

        other = app.screen.query_one("#answer-check-valued_clients", AnswerArea)
        other.focus()
        await pilot.pause()
        other.insert("z" * 20_000)
        session = await wait_saved(
            pilot, path, lambda s: len(s.social.answers.get("check.valued_clients", "")) > 0
        )
        await wait_for(pilot, lambda: len(other.text) == MAX_TEXT_CHARS, what="the cut")
    assert len(session.social.answers["check.valued_clients"]) == MAX_TEXT_CHARS
    raw = path.read_text("utf-8")
    assert "\x1b" not in raw
    assert not any(CONTROLS.search(v) for v in session.social.answers.values())
