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
    # Chose to work on their own in a workshop with teams (the first-screen choice, or
    # leaving a team): not asked again each time they connect.
    on_my_own: bool = False


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Settings()
    theme = doc.get("theme")
    return Settings(
        theme=theme if isinstance(theme, str) else None, on_my_own=doc.get("on_my_own") is True
    )


def save_settings(settings: Settings, path: Path | None = None) -> None:
    import tomli_w

    path = path or settings_path()
    doc: dict[str, object] = {"theme": settings.theme} if settings.theme else {}
    if settings.on_my_own:
        doc["on_my_own"] = True
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(tomli_w.dumps(doc), "utf-8")
        os.replace(tmp, path)


# -- the place within a step, per session ------------------------------------------------

MAX_PLACES = 200


def places_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state"
    )
    return Path(base) / "bmc-tui" / "places.toml"


@dataclass(frozen=True)
class Place:
    """Where in a session its user was last: the step, and the section or item in it."""

    step: str
    target: str | None = None


def _read_places(path: Path) -> dict[str, dict[str, object]]:
    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    places = doc.get("places")
    if not isinstance(places, dict):
        return {}
    return {k: v for k, v in places.items() if isinstance(v, dict)}


def load_place(session_file: Path, path: Path | None = None) -> Place | None:
    entry = _read_places(path or places_path()).get(str(Path(session_file).resolve()))
    if entry is None or not isinstance(entry.get("step"), str):
        return None
    target = entry.get("target")
    return Place(str(entry["step"]), target if isinstance(target, str) else None)


def save_place(session_file: Path, place: Place, path: Path | None = None) -> None:
    """Remember the place (a preference too: failures are ignored)."""
    import tomli_w

    path = path or places_path()
    places = _read_places(path)
    key = str(Path(session_file).resolve())
    places.pop(key, None)
    entry: dict[str, object] = {"step": place.step}
    if place.target:
        entry["target"] = place.target
    places[key] = entry
    while len(places) > MAX_PLACES:  # the oldest first: a dict keeps insertion order
        places.pop(next(iter(places)))
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(tomli_w.dumps({"places": places}), "utf-8")
        os.replace(tmp, path)
