"""A whole small workshop, typed into the installed binary in a real 80×24 terminal.

Keys only, the way a newcomer guided by the screens would go: the start screen, every step
in order, every link the canvas defines made through the link picker, then Ctrl+Q. The
saved file must then be a complete, aligned session (`check --fail-on warning` passes).

Every key that moves the focus is followed by a wait for what shows where the focus went:
a Footer hint appearing or leaving, a dialog, or the terminal cursor moving to the next
text field. Typing straight after a focus change could otherwise land in the old widget.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bmc_tui.codec import parse_toml
from bmc_tui.guide import PRINCIPLES, SOCIAL_CHECKS, SOCIAL_DIAGNOSTIC
from bmc_tui.model import BLOCKS, Session

from .tmux import Terminal, bmc_tui_binary, terminal

SIZE = (80, 24)

# Footer hints that say where the focus is.
ADD = "a Add"  # an item list
ANSWER = "⏎ Answer"  # the social step's section list
# A drop-down or a choice dialog: "⏎ Choose", but not "⏎ Choose links" (the Footer is
# compact at 80 columns, one space between keys).
CHOOSE = re.compile(r"⏎ Choose (?!links)")
CHOOSE_LINKS = "⏎ Choose links"  # a links field of a form
PICKER = "space Tick"  # the link picker, its list focused
OPEN = "⏎ Open"  # the strategy step's section list
MENU = "esc Dismiss menu"  # a drop-down's open menu
RATE = "1-5 Rate"  # a rating
KEEP = "k Keep"  # the core practices list


def cursor(term: Terminal) -> tuple[int, int]:
    """Where the terminal cursor is: Textual puts it in the focused text field."""
    out = term._run("display-message", "-p", "-t", term.name, "#{cursor_x} #{cursor_y}")
    x, y = out.split()
    return int(x), int(y)


def choosing(term: Terminal) -> bool:
    return CHOOSE.search(term.screen()) is not None


def until(term: Terminal, what: str, ok: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ok():
            return
        time.sleep(0.03)
    raise AssertionError(f"{what} never happened; the screen:\n{term.screen()}")


def move_focus(term: Terminal, key: str = "Tab", typed: str = "") -> None:
    """Press a key that moves the focus to a text field; wait for the cursor to follow.

    Textual puts the terminal cursor in the focused text field. When something was just
    typed, wait until it shows: until then the cursor moves with the typing.
    """
    if typed:
        term.wait_for(typed[-8:])
    before = cursor(term)
    term.keys(key)
    until(term, f"the focus leaving {before} after {key}", lambda: cursor(term) != before)


def add(term: Terminal, text: str) -> None:
    """Add an item to the focused list: `a`, type its text, Enter back to the list."""
    term.keys("a")
    term.wait_gone(ADD)  # the text field has the focus
    term.type(text)
    term.keys("Enter")
    term.wait_for(ADD)


def pick(term: Terminal, *moves: str, title: str, shows: str) -> None:
    """In an open link picker: tick the highlighted item, move, tick…, then Esc (done);
    then the item shows what it links (`shows`)."""
    screen = term.wait_for(PICKER)
    assert title in screen, screen
    for move in moves:
        term.keys(move)
    term.keys("Escape")
    term.wait_gone(PICKER)
    term.wait_for(shows)


def choose(term: Terminal, downs: int) -> None:
    """On a drop-down: open it, go down `downs` times, take that choice."""
    term.keys("Enter")
    term.wait_for(MENU)
    for _ in range(downs):
        term.keys("Down")
    term.keys("Enter")
    term.wait_gone(MENU)


def social(term: Terminal) -> None:
    term.wait_for(ANSWER)  # a new session opens on the social model, on its sections
    term.keys("Enter")  # into the opening question: the three answers
    term.wait_gone(ANSWER)
    term.keys("Down", "Enter")  # "The model"
    term.wait_for(SOCIAL_DIAGNOSTIC.choice("model").text[:30])
    term.keys("Escape")
    term.wait_for(ANSWER)
    term.keys("Down")
    term.wait_for(SOCIAL_CHECKS[0].question[:30])
    before = cursor(term)
    term.keys("Enter")
    until(term, "the cursor in the first check", lambda: cursor(term) != before)
    term.type("We roast and talk coffee all day")
    move_focus(term, typed="talk coffee all day")
    term.type("They want it fast and friendly")
    term.wait_for("fast and friendly")
    term.keys("Escape")
    term.wait_for(ANSWER)
    for principle in PRINCIPLES:
        term.keys("Down")
        term.wait_for(principle.summary[:30])
        term.keys("Enter")
        term.wait_gone(ANSWER)
        term.keys("Tab", "Tab")  # past the two questions, to the rating
        term.wait_for(RATE)
        term.keys("4")
        term.wait_for("4 of 5")
        term.keys("Escape")
        term.wait_for(ANSWER)
    term.wait_for("Social✓")


def canvas(term: Terminal) -> None:
    term.keys("C-n")
    term.wait_for("Blocks 1-9")
    term.wait_for(ADD)
    add(term, "Ferry commuters")
    for key, text in (
        ("2", "Coffee at the dock"),
        ("3", "Cart at the gate"),
        ("4", "Regulars by name"),
        ("5", "Cup sales"),
    ):
        term.keys(key)
        term.wait_for("Nothing here yet")
        add(term, text)
        term.keys("l")
        if key in ("4", "5"):  # two link fields: the segments, then the channels/offers
            term.wait_for("link to")
            until(term, "a drop-down to choose from", lambda: choosing(term))
            term.keys("Enter")
        pick(term, "Space", title="segments", shows="→ Ferry commuters")
        if key in ("4", "5"):
            term.keys("l")
            term.wait_for("link to")
            until(term, "a drop-down to choose from", lambda: choosing(term))
            term.keys("Down", "Enter")
            # The relationship is kept through the cart; the cup sales charge for the coffee.
            title = "channels" if key == "4" else "propositions"
            pick(term, "Space", title=title, shows=ADD)
    term.keys("7")
    term.wait_for("Nothing here yet")
    add(term, "Roastery")
    term.keys("6")
    term.wait_for("Nothing here yet")
    add(term, "Roasting")
    term.keys("l")  # two link fields: the screen asks which
    term.wait_for("link to")
    until(term, "a choice", lambda: choosing(term))
    term.keys("Enter")
    pick(term, "Space", title="value propositions", shows="→ Coffee at the")
    term.keys("l")
    term.wait_for("link to")
    until(term, "a choice", lambda: choosing(term))
    term.keys("Down", "Enter")
    pick(term, "Space", title="resources", shows="→ Coffee at the dock, Roastery")
    term.keys("8")
    term.wait_for("Nothing here yet")
    add(term, "Bean importer")
    term.keys("l")
    # The canvas order, each kind under its heading: the activity first, then (Down skips
    # the "Key Resources" heading) the resource, which is the one ticked.
    pick(term, "Down", "Space", title="supplies", shows="→ Roastery")
    term.keys("9")
    term.wait_for("Nothing here yet")
    add(term, "Green beans")
    term.keys("l")
    # The activity and the resource, in the list under the cost as "→ Roasting, Roastery".
    pick(term, "Space", "Down", "Space", title="drivers", shows="→ Roasting,")
    term.wait_for("Canvas✓")


def practices(term: Terminal) -> None:
    term.keys("C-n")
    term.wait_for("Kept: 0 of 3")
    for n, text in enumerate(("Daily cupping", "Barista coaching", "Tasting notes"), start=1):
        term.wait_for(ADD)
        term.keys("a")
        term.wait_gone(ADD)
        term.type(text)
        term.keys("Tab")
        until(term, "a choice", lambda: choosing(term))  # the kind
        choose(term, 1)  # a core practice
        term.keys("Tab")  # a form's Tab moves the focus before the next key is read
        choose(term, 1)  # gets better over time: yes
        term.keys("Tab")
        choose(term, 1)  # builds long-term value: yes
        term.keys("Tab")
        choose(term, 2)  # could be done from a checklist: no
        term.keys("Tab")
        term.wait_for(CHOOSE_LINKS)
        term.keys("Enter")
        pick(term, "Space", title="value propositions", shows="• Coffee at the")
        term.wait_for(CHOOSE_LINKS)  # the focus is back on the links field
        term.keys("Escape")
        term.wait_for(KEEP)
        term.keys("k")
        term.wait_for(f"Kept: {n} of 3")


def strategy(term: Terminal) -> None:
    term.keys("C-n")
    term.wait_for(OPEN)
    before = cursor(term)
    term.keys("Enter")  # into the period: its start
    until(term, "the cursor in the start date", lambda: cursor(term) != before)
    term.type("2027-01-01")
    move_focus(term, typed="2027-01-01")
    term.type("2027-06-30")
    term.keys("Tab")
    until(term, "a choice", lambda: choosing(term))  # the focus
    choose(term, 1)  # Open a new market
    term.wait_for("Period & focus  ✓")
    term.keys("Escape")
    term.wait_for(OPEN)
    term.keys("2")
    term.wait_for(ADD)
    term.keys("a")
    term.wait_gone(ADD)
    term.type("Weekday coffee for commuters")
    move_focus(term, typed="commuters")
    term.type("app orders")
    move_focus(term, typed="app orders")
    term.type("400 a day")
    term.keys("Enter")
    term.wait_for(ADD)
    term.keys("3")
    term.wait_for("Nothing here yet")
    add(term, "Ferry commuters")
    term.keys("l")
    pick(term, "Space", title="segments", shows="→ Ferry commuters")
    term.keys("4")
    term.wait_for("Nothing here yet")
    add(term, "Gate sampling")
    term.keys("l")
    pick(term, "Space", title="goals", shows="→ Weekday coffee")
    term.keys("9")
    term.wait_for(OPEN)  # a digit shows the budget, with the cursor on its section line
    term.keys("Enter")
    term.wait_gone(OPEN)  # in the budget
    term.type("3000 EUR for the cart and samples")
    term.wait_for("Budget  ✓")


def plan(term: Terminal) -> None:
    term.keys("C-n")
    term.wait_for("Random acts")
    term.wait_for(ADD)
    term.keys("a")
    term.wait_gone(ADD)
    term.type("Tasting cart")
    term.keys("Enter")  # Enter moves on through the plan item's fields
    until(term, "a choice", lambda: choosing(term))  # the purpose
    choose(term, 1)  # awareness
    before = cursor(term)
    term.keys("Tab")
    until(term, "the choice gone", lambda: not choosing(term))
    until(term, "the cursor in the start date", lambda: cursor(term) != before)
    for text in ("2027-01-11", "2027-01-29", "Sam", "500", "app sign-ups"):
        term.type(text)
        move_focus(term, "Enter", typed=text)
    term.type("150")
    term.keys("Enter")
    term.wait_for(CHOOSE_LINKS)  # the goals
    term.keys("Enter")
    pick(term, "Space", title="goals", shows="• Weekday coffee")
    term.wait_for(CHOOSE_LINKS)
    term.keys("Tab", "Tab", "Enter")  # past the programs, to the segments
    pick(term, "Space", title="segments", shows="• Ferry commuters")
    term.wait_for("Random acts: 0")
    term.keys("Escape")
    term.wait_for(ADD)
    term.wait_for("Plan✓")


def fitness(term: Terminal) -> None:
    term.keys("C-n")
    term.wait_for("y Yes")
    for n in range(1, 5):
        term.keys("y")
        until(term, f"{n} yes answers", lambda n=n: term.screen().count("● Yes") == n)
        if n < 4:
            term.keys("Down")
    term.wait_for("Fitness✓")


def saved(path: Path) -> Session:
    return parse_toml(path.read_bytes())


def test_a_whole_session_typed_at_80x24_is_complete_and_aligned(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    binary = bmc_tui_binary()
    with terminal([binary, "--sessions-dir", str(sessions)], cwd=tmp_path, size=SIZE) as term:
        term.wait_for("No sessions yet")
        term.keys("n")
        term.wait_for("New session")
        term.type("Harbor Coffee")
        term.keys("Enter")
        social(term)
        canvas(term)
        practices(term)
        strategy(term)
        plan(term)
        fitness(term)
        term.keys("C-n")
        summary = term.wait_for("Findings")
        assert "! " not in summary.split("Findings", 1)[1].split("\n", 2)[1], summary
        term.keys("C-q")
        term.wait_exit()

    path = sessions / "harbor-coffee.toml"
    session = saved(path)
    assert session.title == "Harbor Coffee"
    assert session.step == "summary"

    social_model = session.social
    assert social_model.problem == "model"
    assert social_model.answers[SOCIAL_CHECKS[0].id] == "We roast and talk coffee all day"
    assert social_model.answers[SOCIAL_CHECKS[1].id] == "They want it fast and friendly"
    assert social_model.ratings == {p.key: 4 for p in PRINCIPLES}

    c = session.canvas
    blocks = {name: [item.text for item in getattr(c, name)] for name in BLOCKS}
    assert blocks == {
        "customer_segments": ["Ferry commuters"],
        "value_propositions": ["Coffee at the dock"],
        "channels": ["Cart at the gate"],
        "customer_relationships": ["Regulars by name"],
        "revenue_streams": ["Cup sales"],
        "key_activities": ["Roasting"],
        "key_resources": ["Roastery"],
        "key_partnerships": ["Bean importer"],
        "cost_structure": ["Green beans"],
    }
    segment = c.customer_segments[0].id
    value = c.value_propositions[0].id
    activity = c.key_activities[0].id
    resource = c.key_resources[0].id
    for block in (c.value_propositions, c.channels, c.customer_relationships, c.revenue_streams):
        assert block[0].linked("segments") == [segment]
    assert c.customer_relationships[0].linked("channels") == [c.channels[0].id]
    assert c.revenue_streams[0].linked("propositions") == [value]
    assert c.key_activities[0].linked("value_propositions") == [value]
    assert c.key_activities[0].linked("resources") == [resource]
    assert c.key_partnerships[0].linked("supplies") == [resource]
    assert sorted(c.cost_structure[0].linked("drivers")) == sorted([activity, resource])

    assert [p.text for p in session.practices] == [
        "Daily cupping",
        "Barista coaching",
        "Tasting notes",
    ]
    for practice in session.practices:
        assert practice.kind == "practice"
        assert practice.improves is True
        assert practice.long_term_value is True
        assert practice.checklist is False
        assert practice.kept is True
        assert practice.linked("value_propositions") == [value]

    strategy_ = session.strategy
    assert (strategy_.start, strategy_.end) == (date(2027, 1, 1), date(2027, 6, 30))
    assert strategy_.focus == "new-market"
    assert strategy_.budget == "3000 EUR for the cart and samples"
    [goal] = strategy_.goals
    assert (goal.text, goal.metric, goal.target) == (
        "Weekday coffee for commuters",
        "app orders",
        "400 a day",
    )
    [market] = strategy_.markets
    assert market.linked("segments") == [segment]
    [program] = strategy_.programs
    assert program.linked("goals") == [goal.id]

    [item] = session.plan
    assert item.text == "Tasting cart"
    assert item.purpose == "awareness"
    assert (item.start, item.end) == (date(2027, 1, 11), date(2027, 1, 29))
    assert (item.owner, item.budget, item.kpi, item.target) == ("Sam", 500, "app sign-ups", "150")
    assert item.linked("goals") == [goal.id]
    assert item.linked("segments") == [segment]

    fit = session.fitness
    assert (
        fit.scalable_process,
        fit.accountability,
        fit.market_driven,
        fit.efficient_execution,
    ) == (True, True, True, True)

    check = subprocess.run(
        [binary, "check", str(path), "--format", "json", "--fail-on", "warning"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    [report] = json.loads(check.stdout)
    left = [(f["severity"], f["rule"], f["refs"]) for f in report["findings"]]
    assert check.returncode == 0, (check.stderr, left)
    assert all(severity == "info" for severity, _, _ in left), left
