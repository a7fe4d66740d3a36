"""The workshop's words: complete for every step, block, principle and choice, and original.

The "no copied sentences" checks compare every guide text and every text of the shipped
examples with the seed texts in ``/work/shared/seeds``: the method carries over, the
sentences must not.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import tomllib
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from bmc_tui import guide
from bmc_tui.examples import EXAMPLES, load_example
from bmc_tui.model import (
    BLOCKS,
    FITNESS_KEYS,
    FOCUSES,
    LINK_SCHEMA,
    PRACTICE_KINDS,
    PRINCIPLES,
    PROBLEMS,
    PURPOSES,
    STEPS,
)

SEEDS = Path("/work/shared/seeds")
RUN = 8  # words: a shared run this long is a copied phrase, not a shared idea

STRATEGY_KEYS = (
    "start",
    "end",
    "vision",
    "transformation",
    "focus",
    "budget",
    "buyers",  # format 1.1
    "goals",
    "markets",
    "programs",
    "messages",
    "pinches",
    "policies",
    "dates",
)
PLAN_KEYS = (
    "title",
    "purpose",
    "start",
    "end",
    "owner",
    "budget",
    "kpi",
    "target",
    "goals",
    "programs",
    "segments",
)


# -- helpers -------------------------------------------------------------------------


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a guide value: dataclass fields, tuples, mappings (values)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _strings(item)


GUIDE_VALUES = {
    "STEP_HELP": guide.STEP_HELP,
    "SOCIAL_DIAGNOSTIC": guide.SOCIAL_DIAGNOSTIC,
    "SOCIAL_CHECKS": guide.SOCIAL_CHECKS,
    "PRINCIPLES": guide.PRINCIPLES,
    "BLOCK_GUIDE": guide.BLOCK_GUIDE,
    "PRACTICE_GUIDE": guide.PRACTICE_GUIDE,
    "STRATEGY_FIELDS": guide.STRATEGY_FIELDS,
    "PLAN_FIELDS": guide.PLAN_FIELDS,
    "FOCUS_LABELS": guide.FOCUS_LABELS,
    "PURPOSE_LABELS": guide.PURPOSE_LABELS,
    "FITNESS_QUESTIONS": guide.FITNESS_QUESTIONS,
}


def _all_guide_strings() -> list[str]:
    return [text for value in GUIDE_VALUES.values() for text in _strings(value)]


def _words(text: str) -> list[str]:
    # Curly and straight apostrophes are dropped so "it’s" and "it's" compare equal;
    # everything else that is not a letter or digit separates words.
    text = text.lower().replace("’", "").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def _runs(text: str, size: int = RUN) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.fixture(scope="module")
def seed_runs() -> set[tuple[str, ...]]:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is missing: no seed texts to compare with")
    runs: set[tuple[str, ...]] = set()
    for path in sorted(SEEDS.iterdir()):
        if path.is_file():
            runs |= _runs(path.read_text(encoding="utf-8", errors="replace"))
    assert runs, "the seed folder holds no text"
    return runs


def _copied(texts: list[str], seed_runs: set[tuple[str, ...]]) -> list[tuple[str, str]]:
    found = []
    for text in texts:
        for run in sorted(_runs(text) & seed_runs):
            found.append((" ".join(run), text[:80]))
    return found


def _example_texts(name: str) -> list[str]:
    raw = resources.files("bmc_tui.examples").joinpath(f"{name}.toml").read_text("utf-8")

    def walk(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    texts = list(walk(tomllib.loads(raw)))
    # Comments are read by people opening the file, so they count as text too.
    texts.extend(line.split("#", 1)[1] for line in raw.splitlines() if "#" in line)
    return texts


# -- coverage ------------------------------------------------------------------------


def test_step_help_covers_every_step() -> None:
    assert tuple(guide.STEP_HELP) == STEPS
    for step, help_ in guide.STEP_HELP.items():
        assert help_.title and help_.purpose and help_.help, step
        # One or two sentences at the top of the screen; a few paragraphs behind F1.
        assert help_.purpose.count(". ") <= 1, step
        assert help_.help.count("\n\n") >= 2, step


def test_help_does_not_describe_keys() -> None:
    # Key bindings belong to the screens' footers, not to the method's help.
    for help_ in guide.STEP_HELP.values():
        assert not re.search(r"\b(ctrl|f\d+|press|enter key|tab key)\b", help_.help, re.I)


def test_social_diagnostic_covers_every_problem() -> None:
    diagnostic = guide.SOCIAL_DIAGNOSTIC
    assert tuple(c.key for c in diagnostic.choices) == PROBLEMS
    assert "promotion" in diagnostic.question.lower()
    assert "model" in diagnostic.question.lower()
    for key in PROBLEMS:
        assert diagnostic.choice(key).key == key
    with pytest.raises(KeyError):
        diagnostic.choice("nope")


def test_social_help_quotes_the_answers_as_the_screen_shows_them() -> None:
    # The help said '"unsure" is a fine answer' (the file's value) of "Not sure yet".
    help_ = guide.STEP_HELP["social"].help
    quoted = re.findall(r'"([^"]+)" is a fine answer', help_)
    assert quoted == [guide.SOCIAL_DIAGNOSTIC.choice("unsure").label]


def test_social_checks_are_the_four_checks() -> None:
    assert len(guide.SOCIAL_CHECKS) == 4
    topics = " ".join(p.question.lower() for p in guide.SOCIAL_CHECKS)
    for word in ("strengths", "valued clients", "whole customer", "conversation"):
        assert word in topics


def test_principles_follow_the_model() -> None:
    assert tuple(p.key for p in guide.PRINCIPLES) == PRINCIPLES
    for principle in guide.PRINCIPLES:
        assert len(principle.questions) == 2, principle.key
        for prompt in principle.questions:
            assert prompt.id.startswith(f"{principle.key}."), prompt.id
        assert "1" in principle.rating_hint and "5" in principle.rating_hint


def test_prompt_ids_are_unique_and_cover_social() -> None:
    ids = [p.id for p in guide.SOCIAL_PROMPTS]
    assert len(ids) == len(set(ids))
    expected = [p.id for p in guide.SOCIAL_CHECKS] + [
        q.id for principle in guide.PRINCIPLES for q in principle.questions
    ]
    assert ids == expected
    practice_ids = [p.id for p in guide.PRACTICE_GUIDE.tests]
    fitness_ids = [p.id for p in guide.FITNESS_QUESTIONS]
    everything = ids + practice_ids + fitness_ids
    assert len(everything) == len(set(everything))
    for prompt_id in ids:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", prompt_id), prompt_id


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_answer_every_social_prompt(name: str) -> None:
    answers = load_example(name).social.answers
    assert set(answers) == {p.id for p in guide.SOCIAL_PROMPTS}


def test_block_guide_covers_blocks_and_links() -> None:
    assert tuple(guide.BLOCK_GUIDE) == BLOCKS
    for block, entry in guide.BLOCK_GUIDE.items():
        assert set(entry.link_prompts) == set(LINK_SCHEMA[block]), block
        assert entry.prompt.endswith("?"), block
        for question in entry.link_prompts.values():
            assert question.endswith("?"), block


def test_block_examples_come_from_the_example_sessions() -> None:
    sessions = [load_example(name) for name in EXAMPLES]
    for block, entry in guide.BLOCK_GUIDE.items():
        texts = [item.text for s in sessions for item in s.canvas.block(block)]
        assert any(entry.example in text for text in texts), block


def test_practice_guide() -> None:
    practice = guide.PRACTICE_GUIDE
    assert tuple(practice.kind_labels) == PRACTICE_KINDS
    assert tuple(practice.kind_hints) == PRACTICE_KINDS
    # The two questions of the test, named like the practice fields they fill.
    assert [p.id for p in practice.tests] == ["improves", "long_term_value"]
    assert "three" in practice.keep_three.lower()


def test_strategy_and_plan_fields() -> None:
    assert tuple(guide.STRATEGY_FIELDS) == STRATEGY_KEYS
    assert tuple(guide.PLAN_FIELDS) == PLAN_KEYS
    assert tuple(guide.FOCUS_LABELS) == FOCUSES
    assert tuple(guide.PURPOSE_LABELS) == PURPOSES
    plan_links = set(LINK_SCHEMA["plan"])
    assert plan_links <= set(guide.PLAN_FIELDS)


def test_fitness_questions() -> None:
    assert tuple(p.id for p in guide.FITNESS_QUESTIONS) == FITNESS_KEYS
    for prompt in guide.FITNESS_QUESTIONS:
        assert prompt.question.endswith("?")


def test_no_empty_strings() -> None:
    texts = _all_guide_strings()
    assert len(texts) > 100
    for text in texts:
        assert text.strip(), "an empty guide text"
        assert text == text.strip(), text[:40]


def test_guide_is_immutable() -> None:
    for name, value in GUIDE_VALUES.items():
        assert isinstance(value, tuple | MappingProxyType) or dataclasses.is_dataclass(value), name
    with pytest.raises(dataclasses.FrozenInstanceError):
        guide.PRINCIPLES[0].title = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        guide.BLOCK_GUIDE["channels"].link_prompts["segments"] = "x"  # type: ignore[index]


def test_guide_does_not_import_textual() -> None:
    tree = ast.parse(Path(guide.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(module.split(".")[0] == "textual" for module in imported)


# -- originality ---------------------------------------------------------------------


def test_runs_helper_normalises() -> None:
    a = "It’s  the ONE, the only; thing we do: every day, all day long"
    b = "its the one the only thing we do every day all day long"
    assert _runs(a) == _runs(b)
    assert _runs("too short to matter") == set()


def test_guide_copies_no_sentence_from_the_seeds(seed_runs: set[tuple[str, ...]]) -> None:
    assert _copied(_all_guide_strings(), seed_runs) == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_copy_no_sentence_from_the_seeds(
    name: str, seed_runs: set[tuple[str, ...]]
) -> None:
    texts = _example_texts(name)
    assert len(texts) > 100
    assert _copied(texts, seed_runs) == []


def test_the_canvas_help_puts_the_machine_on_the_left_as_the_overview_draws_it() -> None:
    from bmc_tui.widgets.canvas_view import LAYOUT

    help_text = guide.STEP_HELP["canvas"].help
    assert "The left side is the machine behind the promise" in help_text
    assert "right side is the machine" not in help_text
    # The overview's first columns are the partners and activities: the left side.
    assert LAYOUT[:2] == ("key_partnerships", "key_activities")


def test_one_cadence_for_the_three_practices() -> None:
    from bmc_tui.rules import rule_by_id

    assert "every day" in guide.PRACTICE_GUIDE.keep_three
    assert "every day" in rule_by_id("practices.not-three").why
    assert "every week" not in guide.PRACTICE_GUIDE.keep_three


def test_focus_names_an_aim_for_the_period_not_a_plan_purpose() -> None:
    purposes = {label.lower() for label in guide.PURPOSE_LABELS.values()}
    for label in guide.FOCUS_LABELS.values():
        assert label.lower() not in purposes
        assert not label.lower().startswith(("build awareness", "launch a product"))
    assert "not what one activity does" in guide.STRATEGY_FIELDS["focus"].hint


def test_the_fuller_practice_explanations_are_reachable() -> None:
    more = guide.STEP_MORE["practices"]
    assert guide.PRACTICE_GUIDE.intro in more and guide.PRACTICE_GUIDE.practice in more
    assert guide.PRACTICE_GUIDE.checklist.question.endswith("?")
