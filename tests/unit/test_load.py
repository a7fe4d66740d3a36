"""Whether a core is free now, from /proc/loadavg's count of tasks ready to run."""

from __future__ import annotations

import os
from pathlib import Path

from bmc_tui.load import core_to_spare


def loadavg(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "loadavg"
    path.write_text(text)
    return path


def test_only_the_caller_running_leaves_a_core(tmp_path: Path) -> None:
    assert core_to_spare(loadavg(tmp_path, "0.10 0.20 0.30 1/180 4242\n"))


def test_as_many_others_ready_as_cores_leaves_none(tmp_path: Path) -> None:
    cores = os.cpu_count() or 1
    busy = loadavg(tmp_path, f"3.00 2.00 1.00 {cores + 1}/180 4242\n")
    assert not core_to_spare(busy)
    one_less = loadavg(tmp_path, f"3.00 2.00 1.00 {cores}/180 4242\n")
    assert core_to_spare(one_less)


def test_unreadable_or_odd_means_go_ahead(tmp_path: Path) -> None:
    assert core_to_spare(tmp_path / "missing")
    assert core_to_spare(loadavg(tmp_path, "garbage\n"))
    assert core_to_spare(loadavg(tmp_path, "1 2 3 x/y 4\n"))
