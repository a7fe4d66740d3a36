"""The exports of the shipped examples, compared with reviewed files in golden/.

After an intended change, regenerate with `BMC_UPDATE_GOLDEN=1 pytest tests/export`
and review the change with `git diff tests/export/golden`.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from bmc_tui.examples import EXAMPLES, load_example
from bmc_tui.export import SUFFIXES, render

GOLDEN = Path(__file__).parent / "golden"
MAX_DIFF_LINES = 80


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_export_matches_golden(name: str, fmt: str) -> None:
    actual = render(load_example(name), fmt)
    path = GOLDEN / f"{name}{SUFFIXES[fmt]}"
    if os.environ.get("BMC_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"{path} is missing: run BMC_UPDATE_GOLDEN=1 pytest tests/export")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = list(
            difflib.unified_diff(
                expected.splitlines(),
                actual.splitlines(),
                f"golden/{path.name}",
                "rendered now",
                lineterm="",
            )
        )
        shown = "\n".join(diff[:MAX_DIFF_LINES])
        more = (
            f"\n… {len(diff) - MAX_DIFF_LINES} more diff lines"
            if len(diff) > MAX_DIFF_LINES
            else ""
        )
        pytest.fail(
            f"{path.name} differs from the golden file "
            f"(BMC_UPDATE_GOLDEN=1 regenerates it after review):\n{shown}{more}",
            pytrace=False,
        )
