"""`python -m bmc_tui`: the same as the `bmc-tui` command."""

import sys

from .cli import main

sys.exit(main())
