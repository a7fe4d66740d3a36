"""The core stays Textual-free: `check` and `list` must start fast and run without a UI stack."""

from __future__ import annotations

import json
import subprocess
import sys

CORE = ("model", "codec", "store", "text", "rules", "report", "cli")


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
