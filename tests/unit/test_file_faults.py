"""Files that are not readable sessions never stop the rest, and say so in one line.

Each bad file sits beside a good session and goes through `list`, `check`, `export` and
`diff` (the real binary, bounded by a timeout: a FIFO used to hang them all), the serve
dashboard's roster and the store.
"""

from __future__ import annotations

import concurrent.futures
import errno
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bmc_tui.codec import dump_toml, parse_toml
from bmc_tui.examples import load_example
from bmc_tui.serve.roster import Roster
from bmc_tui.store import STALE_TEMP_SECONDS, Store, StoreError

TIMEOUT = 60


def _binary() -> str:
    return str(Path(sys.executable).with_name("bmc-tui"))


def _good(folder: Path) -> Path:
    session = load_example("subscription")
    session.id = "good"
    path = folder / "good.toml"
    path.write_text(dump_toml(session), "utf-8")
    return path


def _huge_decimal(path: Path) -> None:
    text = dump_toml(load_example("platform")).replace('id = "platform"', 'id = "bad"')
    path.write_text(text + f"\nhuge = {'9' * 5000}\n", "utf-8")


def _huge_hex(path: Path) -> None:
    text = dump_toml(load_example("platform")).replace('id = "platform"', 'id = "bad"')
    path.write_text(text.replace("\n[social]", f"\nbudget_cents = 0x{'f' * 5000}\n[social]", 1))


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dangling(path: Path) -> None:
    path.symlink_to(path.with_name("gone-elsewhere.toml"))


BAD: dict[str, tuple[Callable[[Path], None], str]] = {
    "huge-decimal-integer": (_huge_decimal, "integer"),
    "huge-hex-integer": (_huge_hex, "integer"),
    "fifo": (_fifo, "named pipe"),
    "dangling-symlink": (_dangling, "symbolic link to"),
}


def _run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_binary(), *argv], capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd
    )


def _one_line_about(stderr: str, name: str, words: str) -> None:
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if name in line]
    assert len(lines) == 1, stderr
    assert words in lines[0]
    assert "[Errno" not in lines[0]


@pytest.mark.parametrize("kind", list(BAD))
def test_a_bad_file_beside_a_good_one_through_every_command(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir(exist_ok=True)
    good = _good(folder)
    make, words = BAD[kind]
    bad = folder / "bad.toml"
    make(bad)

    listed = _run("list", "--sessions-dir", str(folder), cwd=tmp_path)
    assert listed.returncode == 2
    assert "good" in listed.stdout  # the others are still listed
    _one_line_about(listed.stderr, "bad.toml", words)

    checked = _run("check", str(good), str(bad), cwd=tmp_path)
    assert checked.returncode == 2  # "cannot read", not "findings"
    assert "good.toml" in checked.stdout
    assert "Traceback" not in checked.stderr + checked.stdout
    assert words in checked.stdout + checked.stderr

    exported = _run("export", str(bad), cwd=tmp_path)
    assert exported.returncode == 2
    _one_line_about(exported.stderr, "bad.toml", words)

    compared = _run("diff", str(good), str(bad), cwd=tmp_path)
    assert compared.returncode == 2
    _one_line_about(compared.stderr, "bad.toml", words)

    if kind in ("fifo", "dangling-symlink"):  # `open` refuses what is not a file up front
        opened = _run("open", str(bad), "--sessions-dir", str(folder), cwd=tmp_path)
        assert opened.returncode == 2
        _one_line_about(opened.stderr, "bad.toml", words)


@pytest.mark.parametrize("kind", list(BAD))
def test_the_dashboard_roster_lists_a_bad_file_as_unreadable(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir(exist_ok=True)
    _good(folder)
    make, words = BAD[kind]
    make(folder / "bad.toml")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        rows = pool.submit(Roster(folder).rows).result(timeout=TIMEOUT)
    by_id = {row.session_id: row for row in rows}
    assert by_id["good"].problem is None
    if kind != "dangling-symlink":  # the roster skips what it cannot even stat
        assert by_id["bad"].problem is not None
        assert words in by_id["bad"].problem


def test_a_file_starting_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir(exist_ok=True)
    path = _good(folder)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert parse_toml(path.read_bytes()).id == "good"
    checked = _run("check", str(path), cwd=tmp_path)
    assert checked.returncode in (0, 1), checked.stdout + checked.stderr
    listed = Store(folder).list()
    assert [entry.error for entry in listed] == [None]


def _stale(folder: Path, name: str, age: float) -> Path:
    temp = folder / name
    temp.write_text("a full copy of the session", "utf-8")
    then = time.time() - age
    os.utime(temp, (then, then))
    return temp


def test_stale_temp_files_are_removed_when_the_folder_is_listed(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir(exist_ok=True)
    _good(folder)
    old = _stale(folder, ".good.toml.ab12cd_e.tmp", STALE_TEMP_SECONDS + 60)
    fresh = _stale(folder, ".good.toml.zz99yy_x.tmp", 0)  # maybe a save in progress
    other = _stale(folder, "notes.tmp", STALE_TEMP_SECONDS + 60)  # not ours
    listed = Store(folder).list()
    assert [entry.path.name for entry in listed] == ["good.toml"]
    assert not old.exists()
    assert fresh.exists()
    assert other.exists()


def test_a_temp_file_of_a_session_open_elsewhere_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir(exist_ok=True)
    store = Store(folder)
    handle = store.open(_good(folder))  # holds the lock, like a running app
    try:
        temp = _stale(folder, ".good.toml.ab12cd_e.tmp", STALE_TEMP_SECONDS + 60)
        Store(folder).list()
        assert temp.exists()
    finally:
        store.close(handle)
    Store(folder).list()
    assert not temp.exists()


def test_opening_a_session_removes_its_own_temp_files(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir(exist_ok=True)
    path = _good(folder)
    temp = _stale(folder, ".good.toml.q1w2e3r4.tmp", 0)
    store = Store(folder)
    handle = store.open(path)
    try:
        assert handle.writable
        assert not temp.exists()
    finally:
        store.close(handle)


@pytest.fixture
def unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sessions folder this process may not read (as root, chmod alone cannot do it)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    _good(folder)
    folder.chmod(0)
    if os.geteuid() == 0:

        def denied(real: Callable[..., object], *, folder_too: bool) -> Callable[..., object]:
            def call(path: object, *args: object, **kwargs: object) -> object:
                text = str(os.fspath(path)) if isinstance(path, str | os.PathLike) else ""
                inside = text.startswith(str(folder) + os.sep)
                if inside or (folder_too and text == str(folder)):
                    raise PermissionError(errno.EACCES, "Permission denied", text)
                return real(path, *args, **kwargs)

            return call

        for name in ("scandir", "stat", "open", "lstat"):
            real = getattr(os, name)
            monkeypatch.setattr(os, name, denied(real, folder_too=name == "scandir"))
    yield folder
    folder.chmod(0o755)


def test_an_unreadable_folder_is_one_line_and_exit_2(
    unreadable: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bmc_tui.cli import main

    assert main(["list", "--sessions-dir", str(unreadable)]) == 2
    out, err = capsys.readouterr()
    assert "No sessions yet" not in out
    assert err.count("\n") == 1 and "Permission denied" in err and str(unreadable) in err

    assert main(["new", "Harbor", "--sessions-dir", str(unreadable), "--no-open"]) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "Permission denied" in err
    with pytest.raises(StoreError):
        Store(unreadable).list()


def test_a_symlinked_session_is_written_through_to_its_target(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    elsewhere = tmp_path / "shared"
    folder.mkdir(exist_ok=True)
    elsewhere.mkdir()
    target = _good(elsewhere)
    link = folder / "good.toml"
    link.symlink_to(target)
    store = Store(folder)
    handle = store.open(link)
    try:
        assert handle.writable
        handle.session.title = "Changed through the link"
        store.save(handle)
        store.save(handle)  # the second save also keeps a backup of the first
    finally:
        store.close(handle)
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert parse_toml(target.read_bytes()).title == "Changed through the link"
    assert (elsewhere / "good.toml.bak").exists()
    assert not (folder / "good.toml.bak").exists()


def test_a_symlinked_session_and_its_target_share_one_lock(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir(exist_ok=True)
    target = _good(folder)
    link = folder / "alias.toml"
    link.symlink_to(target.name)
    store = Store(folder)
    first = store.open(link)
    try:
        assert first.writable
        second = Store(folder).open(target)
        assert not second.writable
        assert "open in another bmc-tui" in (second.read_only or "")
    finally:
        store.close(first)
