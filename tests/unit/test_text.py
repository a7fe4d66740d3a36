"""Text helpers of the core (bmc_tui/text.py)."""

from __future__ import annotations

import pytest

from bmc_tui.text import cursor_after_change


@pytest.mark.parametrize(
    ("old", "new", "cursor", "expected"),
    [
        ("Families", "Big Families", 8, 12),  # words typed before the cursor: it moves on
        ("Families", "Big Families", 0, 0),  # at the start, before them: it stays
        ("Families", "Families nearby", 3, 3),  # typed after the cursor: it stays
        ("Families", "Fami", 8, 4),  # the end cut off under it: to the new end
        ("abcdef", "abZZf", 3, 4),  # inside what was replaced: after the new text
        ("Ana text", "Ana text", 4, 4),  # no change
        ("", "new", 0, 0),
    ],
)
def test_the_cursor_follows_a_teammates_change(
    old: str, new: str, cursor: int, expected: int
) -> None:
    assert cursor_after_change(old, new, cursor) == expected
