"""The sessions folder: listing, reading, creating and safely saving session files.

Saving is atomic (temp file in the same folder, fsync, ``os.replace``, fsync of the
folder) and keeps the version it replaces as ``<id>.toml.bak``. Two safeguards keep two
writers off one file: an advisory ``flock`` held while a session is open for writing (the
kernel drops it when the process dies, so a crashed app never leaves a stale lock), and a
check on save that the file on disk is still the one this process last read or wrote.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .codec import (
    NewerVersionError,
    SessionFormatError,
    dump_document,
    dump_toml,
    is_valid_session_id,
    parse_toml,
    session_to_dict,
)
from .model import Session, utc_now
from .sessionfile import (
    ENV_SESSIONS,
    ConflictError,
    StoreError,
    _reason,
    format_error,
    new_file_mode,
    read_file,
)
from .sessionfile import (
    load_session as load_session,
)
from .sessionfile import (
    resolve_sessions_dir as resolve_sessions_dir,
)
from .text import visible

try:  # POSIX only; elsewhere sessions are not locked, the on-save check still applies.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

# `.<id>.toml.<random>.tmp`, as made by `_write_bytes`; `.<id>.toml.bak.tmp` too.
_TEMP_RE = re.compile(r"\.(.+\.toml)\.(?:[A-Za-z0-9_]+|bak)\.tmp")
# A save takes milliseconds: a temp file this old was left by a killed process.
STALE_TEMP_SECONDS = 60.0

# hashlib, tempfile and unicodedata are imported where they are used: `check` and `list`
# never need them, and together they were a third of the CLI's own import time
# (tempfile alone pulls in shutil, random, bz2 and lzma). See docs/performance.md.


def slugify(title: str) -> str:
    """A session id made from a title: ascii, lowercase, dashes; never empty."""
    import unicodedata

    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    slug = slug[:64].rstrip("-")
    return slug or "session"


@dataclass(frozen=True)
class Listing:
    """One `*.toml` file of the folder: its session, or why it could not be read."""

    path: Path
    session: Session | None = None
    error: str | None = None
    mtime: float = 0.0


@dataclass(frozen=True)
class _DiskState:
    """What the file looked like when this process last read or wrote it."""

    digest: str


@dataclass
class Handle:
    """An open session: where it lives, and whether (and why not) this process may write it."""

    path: Path
    session: Session
    read_only: str | None = None
    real_path: Path | None = None
    """Where the file really is, when `path` is (or goes through) a symbolic link."""
    _disk: _DiskState | None = field(default=None, repr=False)
    _lock_fd: int | None = field(default=None, repr=False)

    @property
    def writable(self) -> bool:
        return self.read_only is None

    @property
    def file(self) -> Path:
        """The file that is locked, compared and replaced: the link's target, for a link."""
        return self.real_path or self.path


class Store:
    """One sessions folder. Holds no global state: many stores may exist side by side."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- naming ----------------------------------------------------------------------

    def path_for(self, session_id: str) -> Path:
        """The file of a session id; refuses any id that could name a path elsewhere."""
        if not is_valid_session_id(session_id):
            raise StoreError(
                f'"{visible(session_id)}" is not a session id (lowercase letters, digits and "-", '
                "at most 64 characters)"
            )
        return self.root / f"{session_id}.toml"

    def unique_id(self, title: str) -> str:
        base = slugify(title)
        candidate, n = base, 1
        while (self.root / f"{candidate}.toml").exists():
            n += 1
            suffix = f"-{n}"
            candidate = base[: 64 - len(suffix)].rstrip("-") + suffix
        return candidate

    def locate(self, ref: str) -> Path:
        """A session given as an id in this folder, or as a path to a file."""
        if is_valid_session_id(ref) and not Path(ref).exists():
            return self.path_for(ref)
        path = Path(ref)
        if path.suffix != ".toml" and is_valid_session_id(ref):
            return self.path_for(ref)
        return path

    def locate_existing(self, ref: str) -> Path:
        """`locate`, but a session given by id that is not there is a StoreError naming the
        folder searched and how to search another (an id run from the wrong folder)."""
        path = self.locate(ref)
        if is_valid_session_id(ref) and path == self.path_for(ref) and not path.exists():
            raise StoreError(
                f"no session “{ref}” in the sessions folder {self.root.resolve()} "
                f"(choose another with --sessions-dir DIR or {ENV_SESSIONS}=DIR)"
            )
        return path

    # -- listing ---------------------------------------------------------------------

    def list(self) -> list[Listing]:
        """Every `*.toml` of the folder, readable or not: one bad file never hides the rest."""
        if not self.root.exists():
            raise StoreError(f"{self.root}: no such sessions folder")
        if not self.root.is_dir():
            raise StoreError(f"{self.root}: not a folder")
        try:
            # scandir, not glob: glob treats an unreadable folder as an empty one.
            with os.scandir(self.root) as entries:
                names = [e.name for e in entries]
        except OSError as error:
            raise StoreError(
                f"{self.root}: cannot list the sessions folder: {_reason(error)}"
            ) from None
        self._remove_stale_temp_files(names)
        paths = sorted(
            self.root / name
            for name in names
            if name.endswith(".toml") and not name.startswith(".")
        )
        listings = []
        for path in paths:
            try:
                data, st = read_file(path)
                session = parse_toml(data, allow_newer=True)
            except StoreError as error:
                listings.append(Listing(path, error=str(error)))
            except SessionFormatError as error:
                listings.append(Listing(path, error=format_error(path, error)))
            else:
                listings.append(Listing(path, session, mtime=st.st_mtime))
        return listings

    def _remove_stale_temp_files(self, names: Iterable[str]) -> None:
        """Remove temp files left by a save that was killed half-way (each a full copy).

        A temp file belongs to a live save only for the moment between its creation and
        the rename; one older than STALE_TEMP_SECONDS, whose session no live bmc-tui holds
        open (its lock is free), is left over from a killed process.
        """
        import time

        now = time.time()
        for name in names:
            match = _TEMP_RE.fullmatch(name)
            if match is None:
                continue
            temp = self.root / name
            try:
                st = os.lstat(temp)
                if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < STALE_TEMP_SECONDS:
                    continue
                if self._locked_elsewhere(self.root / match.group(1)):
                    continue
                os.unlink(temp)
            except OSError:
                continue

    def _remove_own_temp_files(self, path: Path) -> None:
        """With the session's lock held, no other bmc-tui is saving it: its temp files are stale."""
        prefix = f".{path.name}."
        try:
            with os.scandir(path.parent) as entries:
                names = [e.name for e in entries if e.name.startswith(prefix)]
        except OSError:
            return
        for name in names:
            if _TEMP_RE.fullmatch(name):
                with contextlib.suppress(OSError):
                    os.unlink(path.parent / name)

    def _locked_elsewhere(self, path: Path) -> bool:
        """Whether another process holds this session's lock (it may be writing)."""
        if fcntl is None:
            return False
        try:
            fd = os.open(_lock_path(path), os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return False  # no lock file: nobody has it open for writing
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)  # closing drops the lock taken just now
        return False

    # -- opening ---------------------------------------------------------------------

    def open(self, path: Path, *, write: bool = True) -> Handle:
        """Open a session; for writing, take its lock or fall back to read-only with a reason."""
        import hashlib

        data, _ = read_file(path)
        try:
            session = parse_toml(data)
            newer = None
        except NewerVersionError as error:
            try:
                session = parse_toml(data, allow_newer=True)
            except SessionFormatError as inner:
                raise StoreError(format_error(path, inner)) from None
            newer = f"{path.name} was written by a newer bmc-tui ({error.detail.split(' was')[0]})"
        except SessionFormatError as error:
            raise StoreError(format_error(path, error)) from None
        # A session file that is a symbolic link is written through to its target (the
        # link stays a link), and locked on the target's real path: opening the target
        # directly, or through another link, is then "open in another bmc-tui".
        real = Path(os.path.realpath(path))
        handle = Handle(
            path,
            session,
            real_path=real if real != path.absolute() else None,
            _disk=_DiskState(hashlib.sha256(data).hexdigest()),
        )
        if newer:
            handle.read_only = newer + "; it is shown read-only"
        elif write:
            handle.read_only = self._lock(handle)
            if handle.read_only is None:
                self._remove_own_temp_files(handle.file)
        else:
            handle.read_only = "opened read-only"
        return handle

    def create(
        self, title: str, session_id: str | None = None, template: Session | None = None
    ) -> Handle:
        """Make a new session file (from a template session, if given) and open it."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"{self.root}: cannot create the sessions folder: {_reason(error)}"
            ) from None
        try:
            session_id = session_id or self.unique_id(title)
            path = self.path_for(session_id)
            exists = path.exists()
        except OSError as error:  # an unreadable folder: exists() cannot tell
            raise StoreError(
                f"{self.root}: cannot use the sessions folder: {_reason(error)}"
            ) from None
        if exists:
            raise StoreError(f"{path}: a session with this id already exists")
        if template is not None:
            import copy

            session = copy.deepcopy(template)
            now = utc_now()
            session.id, session.title, session.created, session.updated = (
                session_id,
                title,
                now,
                now,
            )
            session.step = session.step or "social"
        else:
            session = Session.new(session_id, title)
        handle = Handle(path, session)
        self._write(handle, exclusive=True)
        handle.read_only = self._lock(handle)
        return handle

    def _lock(self, handle: Handle) -> str | None:
        if fcntl is None:
            return None
        try:
            fd = os.open(_lock_path(handle.file), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            return f"cannot lock {handle.path.name} ({_reason(error)}); it is shown read-only"
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return f"{handle.path.name} is open in another bmc-tui; it is shown read-only"
        handle._lock_fd = fd
        return None

    def close(self, handle: Handle) -> None:
        if handle._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.close(handle._lock_fd)  # closing the descriptor drops the flock
            handle._lock_fd = None

    # -- saving ----------------------------------------------------------------------

    def changed_on_disk(self, handle: Handle) -> bool:
        """Whether another writer replaced the file since this handle last read or wrote it."""
        import hashlib

        if handle._disk is None:
            return handle.file.exists()
        # Always compare content: an in-place edit of the same size can keep size, inode and
        # mtime (coarse clocks, `touch -r`, sync tools), so the stat alone proves nothing.
        try:
            data, _ = read_file(handle.file)
        except StoreError:
            return True
        return hashlib.sha256(data).hexdigest() != handle._disk.digest

    def save(self, handle: Handle, *, touch: bool = True) -> None:
        """Write the session atomically; refuse when read-only or changed by someone else."""
        self.write_prepared(handle, self.prepare_save(handle, touch=touch))

    def prepare_save(self, handle: Handle, *, touch: bool = True) -> dict[str, Any]:
        """The first half of `save`: the checks, and the session as a plain TOML document.

        It reads the session, so it runs where the session is edited (the app's event
        loop); the document it returns shares nothing the editor mutates, so
        `write_prepared` can turn it into text and write it in a worker thread, and typing
        never waits on the TOML writer or a disk's fsync.
        """
        if handle.read_only:
            raise StoreError(f"{handle.path}: not saved: {handle.read_only}")
        if self.changed_on_disk(handle):
            raise ConflictError(
                f"{handle.path}: not saved: the file was changed by another program since it "
                "was opened; reopen it to see those changes"
            )
        if touch:
            handle.session.updated = utc_now()
        return session_to_dict(handle.session)

    def write_prepared(self, handle: Handle, document: dict[str, Any]) -> None:
        """The second half of `save`: TOML text, temp file, fsync, backup, atomic replace."""
        self._write_bytes(handle, dump_document(document).encode("utf-8"))

    def _write(self, handle: Handle, *, exclusive: bool = False) -> None:
        self._write_bytes(handle, dump_toml(handle.session).encode("utf-8"), exclusive=exclusive)

    def _write_bytes(self, handle: Handle, data: bytes, *, exclusive: bool = False) -> None:
        import hashlib
        import tempfile

        path = handle.file
        folder = path.parent
        tmp_name: str | None = None
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
            try:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.chmod(tmp_name, new_file_mode())
            if exclusive:
                # A new session must never replace a file that appeared meanwhile.
                os.link(tmp_name, path)
                os.unlink(tmp_name)
            else:
                self._keep_backup(path)
                os.replace(tmp_name, path)
            tmp_name = None
            _fsync_dir(folder)
        except FileExistsError:
            raise StoreError(f"{path}: a session with this id already exists") from None
        except OSError as error:
            hint = " (the disk is full)" if error.errno == errno.ENOSPC else ""
            raise StoreError(f"{path}: could not save: {_reason(error)}{hint}") from None
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
        handle._disk = _DiskState(hashlib.sha256(data).hexdigest())

    @staticmethod
    def _keep_backup(path: Path) -> None:
        """Keep the version about to be replaced as `<name>.bak` (a hard link: no copy)."""
        if not path.exists():
            return
        backup = path.with_name(path.name + ".bak")
        staging = path.with_name(f".{path.name}.bak.tmp")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staging)
        try:
            os.link(path, staging)
        except OSError:
            # No hard links on this file system: fall back to a copy.
            staging.write_bytes(path.read_bytes())
        os.replace(staging, backup)


def _lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
