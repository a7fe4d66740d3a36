"""`python -m tests.serve.run_server serve ...`: the real server, optionally with the stand-in."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from bmc_tui.cli import build_parser
from bmc_tui.serve.cli import serve, setup_logging
from bmc_tui.serve.config import config_from_args
from bmc_tui.store import resolve_sessions_dir


def standin(path: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).with_name("standin_app.py")), str(path)]


def main() -> int:
    args = build_parser().parse_args(sys.argv[1:])
    config = config_from_args(args, resolve_sessions_dir(getattr(args, "sessions_dir", None)))
    setup_logging()
    use_standin = os.environ.get("BMC_TUI_TEST_STANDIN") == "1"
    return asyncio.run(serve(config, standin if use_standin else None))


if __name__ == "__main__":
    sys.exit(main())
