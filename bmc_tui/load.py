"""Whether the machine has a core to spare right now: work that can wait, waits for one.

A participant's app builds its other steps ahead once its user pauses (screens/keeper.py):
about a second of CPU each. Fifty of them pausing together on a server of two cores would
take those cores from everyone typing, so an app builds only while fewer tasks are ready
to run than there are cores. `/proc/loadavg` counts the tasks running or ready at this
instant (the caller among them); where it cannot be read, the answer is yes.
"""

from __future__ import annotations

import os
from pathlib import Path

LOADAVG = Path("/proc/loadavg")


def core_to_spare(loadavg: Path = LOADAVG) -> bool:
    try:
        running = int(loadavg.read_text("ascii").split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return True
    return running - 1 < (os.cpu_count() or 1)
