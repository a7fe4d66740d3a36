"""`python -m bmc_tui.serve.dashboard --sessions-dir DIR`: what `serve` runs for the facilitator."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bmc-tui-dashboard")
    parser.add_argument("--sessions-dir", required=True, metavar="DIR")
    parser.add_argument("--take-home", metavar="SSH", help="ssh -p PORT facilitator@HOST")
    # The server's team hub, to form teams (the launch's secret is in the environment).
    parser.add_argument("--hub", metavar="SOCKET")
    args = parser.parse_args(argv)

    from .app import DashboardApp

    secret = os.environ.pop("BMC_TUI_TEAM_SECRET", None)
    hub = Path(args.hub) if args.hub and secret else None
    DashboardApp(Path(args.sessions_dir), hub, secret, take_home=args.take_home).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
