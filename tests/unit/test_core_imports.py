"""The core stays Textual-free: `check` and `list` must start fast and run without a UI stack."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CORE = (
    "model",
    "codec",
    "store",
    "text",
    "rules",
    "report",
    "cli",
    "room",
    "votes",
    "filewatch",
    "editing",
    "collab",
)


def test_core_imports_no_textual_and_no_rich() -> None:
    script = (
        "import json, sys\n"
        + "".join(f"import bmc_tui.{name}\n" for name in CORE)
        + "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'rich'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(result.stdout) == []


def test_check_and_list_run_without_textual(tmp_path: object) -> None:
    script = (
        "import sys\n"
        "from bmc_tui.cli import main\n"
        "main(['check', '--format', 'json', '/nonexistent.toml'])\n"
        "main(['list', '--sessions-dir', sys.argv[1]])\n"
        "assert not any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules), 'ui loaded'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_check_loads_only_what_it_needs(tmp_path: object) -> None:
    # Start-up budget (bench/cold_start.py): these pull in bz2, lzma, random and friends,
    # and `check` has no use for them; it reads files and never opens, locks or writes one.
    script = (
        "import sys\n"
        "from bmc_tui.cli import main\n"
        "main(['check', sys.argv[1]])\n"
        "heavy = {'shutil', 'tempfile', 'hashlib', 'random', 'lzma', 'bz2', 'fcntl',\n"
        "         'bmc_tui.store'} & set(sys.modules)\n"
        "assert not heavy, sorted(heavy)\n"
    )
    example = Path(__file__).parents[2] / "bmc_tui" / "examples" / "platform.toml"
    result = subprocess.run(
        [sys.executable, "-c", script, str(example)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_help_wraps_to_the_terminal_width() -> None:
    def help_lines(columns: int) -> list[str]:
        result = subprocess.run(
            [sys.executable, "-m", "bmc_tui", "--help"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            env={**os.environ, "COLUMNS": str(columns)},
        )
        return result.stdout.splitlines()

    narrow, wide = help_lines(50), help_lines(200)
    assert any("workshop" in line for line in narrow)
    # argparse never splits one option's usage group; every other line fits.
    assert all(len(line) <= 50 for line in narrow if not line.lstrip().startswith("["))
    assert len(narrow) > len(wide)
