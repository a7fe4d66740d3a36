"""Snapshots of the platform example, small and large: the canvas overview, the summary,
and the step screens whose layout changes at 80 columns (canvas, strategy lists).

Regenerate after a deliberate change with `pytest tests/snapshots --snapshot-update`, then
look at the SVGs in `__snapshots__/` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bmc_tui.screenshots import example_app, steady

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("size", SIZES)
def test_canvas_overview(snap_compare: SnapCompare, sessions_dir: Path, size: str) -> None:
    app = example_app(sessions_dir, "canvas")
    assert snap_compare(app, press=["ctrl+o"], terminal_size=SIZES[size], run_before=steady)


@pytest.mark.parametrize("size", SIZES)
def test_summary(snap_compare: SnapCompare, sessions_dir: Path, size: str) -> None:
    app = example_app(sessions_dir, "summary")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=steady)


@pytest.mark.parametrize("size", SIZES)
def test_canvas_step(snap_compare: SnapCompare, sessions_dir: Path, size: str) -> None:
    # Key Activities: a block with two link fields, its form under the list at 80 columns.
    app = example_app(sessions_dir, "canvas")
    assert snap_compare(app, press=["6"], terminal_size=SIZES[size], run_before=steady)


def test_strategy_goals_at_80x24(snap_compare: SnapCompare, sessions_dir: Path) -> None:
    app = example_app(sessions_dir, "strategy")
    assert snap_compare(app, press=["2"], terminal_size=SIZES["80x24"], run_before=steady)
