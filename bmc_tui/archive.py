"""Archiving a session: moved to `archive/` beside the sessions, never deleted, restorable.

A move is a hard link under the new name, then the old name removed: the link fails if
the new name is taken, so neither archiving nor restoring can ever replace a file. The
session's backup (`<id>.toml.bak`) travels with it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Final

from .sessionfile import StoreError, _reason
from .store import Listing, Store

ARCHIVE_DIR: Final = "archive"


def archive_folder(sessions_dir: Path) -> Path:
    return Path(sessions_dir) / ARCHIVE_DIR


def _move(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileExistsError:
        raise StoreError(f"{target}: already exists; nothing was moved") from None
    except OSError as error:
        if not source.exists():
            raise StoreError(f"{source}: no such session") from None
        raise StoreError(f"{source}: cannot move: {_reason(error)}") from None
    os.unlink(source)
    backup, kept = source.with_name(source.name + ".bak"), target.with_name(target.name + ".bak")
    with contextlib.suppress(OSError):
        os.replace(backup, kept)


def archive_session(sessions_dir: Path, session_id: str) -> Path:
    """Move a session into the archive; its path there. StoreError (one line) if not."""
    source = Store(sessions_dir).path_for(session_id)
    folder = archive_folder(sessions_dir)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        raise StoreError(f"{folder}: cannot create the archive: {_reason(error)}") from None
    target = folder / source.name
    n = 1
    while target.exists():  # archived before under this name: keep both
        n += 1
        target = folder / f"{source.stem}.{n}.toml"
    _move(source, target)
    return target


def archived(sessions_dir: Path) -> list[Listing]:
    """The archived sessions (unreadable ones too, with why), by file name."""
    folder = archive_folder(sessions_dir)
    if not folder.is_dir():
        return []
    return Store(folder).list()


def restore_session(sessions_dir: Path, archived_file: Path) -> Path:
    """Move an archived file back among the sessions, as `<id>.toml` of the id it holds."""
    path = archive_folder(sessions_dir) / Path(archived_file).name
    listing = next((x for x in archived(sessions_dir) if x.path == path), None)
    if listing is None:
        raise StoreError(f"{path}: not in the archive")
    session_id = listing.session.id if listing.session is not None else path.stem.split(".")[0]
    target = Store(sessions_dir).path_for(session_id)
    if target.exists():
        raise StoreError(
            f"a session called {session_id} is in the room now; archive that one first"
        )
    _move(path, target)
    return target
