"""Who a session belongs to: `.serve/names.toml` maps each session id to the exact name
that first logged in to it.

Names are turned into session ids (`ana`, `Ana`, `ANA` and `ana%` are all `ana`), so
without this record one typo would open, or take over, a colleague's session. With it, a
name is only let into the session it made; another spelling is refused, naming the clash.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from pathlib import Path

from .status import STATUS_DIR

NAMES_FILE = "names.toml"


def names_path(sessions_dir: Path) -> Path:
    return Path(sessions_dir) / STATUS_DIR / NAMES_FILE


def read_names(sessions_dir: Path) -> dict[str, str]:
    try:
        doc = tomllib.loads(names_path(sessions_dir).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    names = doc.get("names")
    if not isinstance(names, dict):
        return {}
    return {k: v for k, v in names.items() if isinstance(k, str) and isinstance(v, str)}


def write_names(sessions_dir: Path, names: dict[str, str]) -> None:
    """Atomically; raises OSError when it cannot."""
    import tomli_w

    path = names_path(sessions_dir)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".names.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(
                tomli_w.dumps({"version": 1, "names": dict(sorted(names.items()))}).encode()
            )
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
