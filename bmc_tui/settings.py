"""Per-user preferences (the chosen theme), kept apart from session files.

Stored in `$XDG_CONFIG_HOME/bmc-tui/settings.toml` (or `~/.config/...`). Preferences are a
nicety: an unreadable or unwritable file is ignored, never an error for the user.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path


def settings_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "bmc-tui" / "settings.toml"


@dataclass(frozen=True)
class Settings:
    theme: str | None = None


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Settings()
    theme = doc.get("theme")
    return Settings(theme=theme if isinstance(theme, str) else None)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    import tomli_w

    path = path or settings_path()
    doc = {"theme": settings.theme} if settings.theme else {}
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(tomli_w.dumps(doc), "utf-8")
        os.replace(tmp, path)
