"""`python -m bmc_tui.serve.dashboard --sessions-dir DIR`: what `serve` runs for the facilitator."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bmc-tui-dashboard")
    parser.add_argument("--sessions-dir", required=True, metavar="DIR")
    parser.add_argument("--take-home", metavar="SSH", help="ssh -p PORT facilitator@HOST")
    args = parser.parse_args(argv)
    from .app import DashboardApp

    DashboardApp(Path(args.sessions_dir), take_home=args.take_home).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
