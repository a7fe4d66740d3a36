"""Exports of a session (Markdown report, HTML page, JSON) and the comparison of two sessions.

No Textual here: the TUI calls :func:`render` and :func:`write_export`, the command line
calls :mod:`bmc_tui.export.cli`. Each format's module is imported only when it is used.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Final

from ..model import Session
from ..sessionfile import new_file_mode
from ..store import StoreError

FORMATS: Final = ("md", "html", "json")
SUFFIXES: Final = MappingProxyType({"md": ".md", "html": ".html", "json": ".json"})


class ExportError(StoreError):
    """A one-line, user-facing error that names the file concerned (the CLI prints it)."""


def render(session: Session, fmt: str, *, canvas_only: bool = False) -> str:
    """The session as text in `fmt` ("md", "html" or "json"); `canvas_only` is for html."""
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(session)
    if fmt == "html":
        from .html import render_html

        return render_html(session, canvas_only=canvas_only)
    if fmt == "json":
        from .jsonexport import render_json

        return render_json(session)
    raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")


def write_text(path: Path, text: str) -> Path:
    """Write atomically: a reader sees the old file or the new one, never half of one."""
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path}: is a folder, not a file")
    folder = path.parent
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, new_file_mode())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as error:
        raise ExportError(f"{path}: cannot write: {error.strerror or error}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


def write_export(session: Session, fmt: str, path: Path | str) -> Path:
    """Render the session in `fmt` and write it atomically to `path`; returns the path.

    Raises ExportError (one line, naming the file) when it cannot be written.
    """
    return write_text(Path(path), render(session, fmt))


__all__ = ["FORMATS", "SUFFIXES", "ExportError", "render", "write_export", "write_text"]
