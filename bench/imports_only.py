"""The floor for `bmc-tui check`: an interpreter that only imports what any such CLI needs."""

import argparse  # noqa: F401
import dataclasses  # noqa: F401
import json  # noqa: F401
import tomllib  # noqa: F401
