"""The sessions folder: atomic saves, backups, locks, conflicts, and every way a disk says no."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bmc_tui import sessionfile
from bmc_tui.codec import dump_toml, is_valid_session_id, parse_toml
from bmc_tui.model import Session
from bmc_tui.sessionfile import ENV_SESSIONS
from bmc_tui.store import (
    ConflictError,
    Store,
    StoreError,
    load_session,
    resolve_sessions_dir,
    slugify,
)


def _one_line_naming(error: StoreError, path: Path) -> str:
    message = str(error)
    assert "\n" not in message
    assert str(path) in message
    return message


def _write_session(path: Path, session: Session) -> bytes:
    data = dump_toml(session).encode()
    path.write_bytes(data)
    return data


def _leftovers(folder: Path) -> list[str]:
    """Files a save may leave behind other than sessions, backups and lock files."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if not p.name.endswith((".toml", ".toml.bak")) and not p.name.endswith(".lock")
    )


# -- creating and saving ---------------------------------------------------------------


def test_create_writes_a_readable_file(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    handle = store.create("Harbor Coffee")
    try:
        assert handle.path == sessions_dir / "harbor-coffee.toml"
        assert handle.writable
        session = load_session(handle.path)
        assert session.id == "harbor-coffee" and session.title == "Harbor Coffee"
        assert session.created is not None and session.created.utcoffset() is not None
    finally:
        store.close(handle)


def test_create_makes_a_missing_folder(tmp_path: Path) -> None:
    store = Store(tmp_path / "not" / "yet")
    handle = store.create("x")
    store.close(handle)
    assert handle.path.is_file()


def test_create_refuses_an_existing_id(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    store.close(store.create("A", "a"))
    before = (sessions_dir / "a.toml").read_bytes()
    with pytest.raises(StoreError) as caught:
        store.create("Another", "a")
    _one_line_naming(caught.value, sessions_dir / "a.toml")
    assert (sessions_dir / "a.toml").read_bytes() == before


def test_save_is_atomic_and_keeps_a_backup(
    sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(sessions_dir)
    handle = store.create("Harbor", "harbor")
    first = handle.path.read_bytes()

    temp_dirs: list[str | None] = []
    real_mkstemp = tempfile.mkstemp

    def spying_mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        temp_dirs.append(str(kwargs.get("dir")))
        return real_mkstemp(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", spying_mkstemp)
    handle.session.title = "Harbor Coffee"
    store.save(handle)
    second = handle.path.read_bytes()
    assert temp_dirs == [str(sessions_dir)]
    assert parse_toml(second).title == "Harbor Coffee"
    assert (sessions_dir / "harbor.toml.bak").read_bytes() == first
    assert _leftovers(sessions_dir) == []

    handle.session.title = "Harbor Coffee Co"
    store.save(handle)
    assert (sessions_dir / "harbor.toml.bak").read_bytes() == second
    assert _leftovers(sessions_dir) == []
    store.close(handle)


def test_save_updates_updated_unless_told_not_to(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    handle = store.create("x", "x")
    handle.session.updated = None
    store.save(handle, touch=False)
    assert load_session(handle.path).updated is None
    store.save(handle)
    assert load_session(handle.path).updated is not None
    store.close(handle)


def test_full_disk_leaves_the_file_untouched(
    sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(sessions_dir)
    handle = store.create("Harbor", "harbor")
    before = handle.path.read_bytes()
    names_before = sorted(p.name for p in sessions_dir.iterdir())

    def full_disk(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full_disk)
    handle.session.title = "changed"
    with pytest.raises(StoreError) as caught:
        store.save(handle)
    monkeypatch.undo()
    message = _one_line_naming(caught.value, handle.path)
    assert "full" in message or "space" in message.lower()
    assert handle.path.read_bytes() == before
    assert sorted(p.name for p in sessions_dir.iterdir()) == names_before
    # Once there is room again, the same handle saves.
    store.save(handle)
    assert load_session(handle.path).title == "changed"
    store.close(handle)


def test_full_disk_with_a_bare_errno(sessions_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(sessions_dir)
    handle = store.create("Harbor", "harbor")
    before = handle.path.read_bytes()

    def full_disk(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC)

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(StoreError) as caught:
        store.save(handle)
    monkeypatch.undo()
    assert "full" in _one_line_naming(caught.value, handle.path)
    assert handle.path.read_bytes() == before
    assert _leftovers(sessions_dir) == []
    store.close(handle)


def test_failing_fsync_leaves_the_file_untouched(
    sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(sessions_dir)
    handle = store.create("Harbor", "harbor")
    before = handle.path.read_bytes()

    def failing(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(StoreError) as caught:
        store.save(handle)
    monkeypatch.undo()
    _one_line_naming(caught.value, handle.path)
    assert handle.path.read_bytes() == before
    assert _leftovers(sessions_dir) == []
    store.close(handle)


def test_read_only_folder(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    handle = store.create("Harbor", "harbor")
    before = handle.path.read_bytes()
    sessions_dir.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(sessions_dir, os.W_OK):
            pytest.skip("chmod does not stop this user (root) from writing")
        with pytest.raises(StoreError) as caught:
            store.save(handle)
        _one_line_naming(caught.value, handle.path)
        assert handle.path.read_bytes() == before
    finally:
        sessions_dir.chmod(stat.S_IRWXU)
        store.close(handle)


def test_read_only_folder_simulated(sessions_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(sessions_dir)
    handle = store.create("Harbor", "harbor")
    before = handle.path.read_bytes()

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(sessions_dir))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(StoreError) as caught:
        store.save(handle)
    monkeypatch.undo()
    assert "denied" in _one_line_naming(caught.value, handle.path).lower()
    assert handle.path.read_bytes() == before
    store.close(handle)


def test_read_only_folder_simulated_on_create(
    sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(StoreError) as caught:
        Store(sessions_dir).create("Harbor", "harbor")
    _one_line_naming(caught.value, sessions_dir / "harbor.toml")
    assert list(sessions_dir.iterdir()) == []


def test_folder_removed_while_open(tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    store = Store(folder)
    handle = store.create("x", "x")
    store.close(handle)
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    with pytest.raises(StoreError) as caught:
        store.save(handle)
    _one_line_naming(caught.value, handle.path)
    assert not folder.exists()


def test_missing_folder_is_one_line_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    with pytest.raises(StoreError) as caught:
        Store(missing).list()
    _one_line_naming(caught.value, missing)
    with pytest.raises(StoreError) as caught:
        Store(missing).open(missing / "x.toml")
    _one_line_naming(caught.value, missing / "x.toml")


def test_a_file_as_the_folder(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(StoreError) as caught:
        Store(not_a_folder).list()
    _one_line_naming(caught.value, not_a_folder)
    with pytest.raises(StoreError) as caught:
        Store(not_a_folder).create("x")
    _one_line_naming(caught.value, not_a_folder)


# -- two writers -----------------------------------------------------------------------


def test_second_handle_is_read_only_with_a_reason(sessions_dir: Path) -> None:
    first_store, second_store = Store(sessions_dir), Store(sessions_dir)
    first = first_store.create("Harbor", "harbor")
    second = second_store.open(first.path)
    try:
        assert first.writable
        assert not second.writable
        assert second.read_only and "harbor.toml" in second.read_only
        before = first.path.read_bytes()
        with pytest.raises(StoreError):
            second_store.save(second)
        assert first.path.read_bytes() == before
    finally:
        first_store.close(first)
        second_store.close(second)
    # Once the first writer closes, the file can be opened for writing again.
    third = second_store.open(first.path)
    assert third.writable
    second_store.close(third)


def test_open_read_only_on_request(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    handle = store.create("x", "x")
    store.close(handle)
    viewer = store.open(handle.path, write=False)
    assert not viewer.writable
    # A viewer takes no lock: a writer may still open the file.
    writer = store.open(handle.path)
    assert writer.writable
    store.close(writer)


@pytest.mark.parametrize(("same_size", "keep_mtime"), [(True, True), (True, False), (False, False)])
def test_outside_edit_between_open_and_save_is_a_conflict(
    sessions_dir: Path, same_size: bool, keep_mtime: bool
) -> None:
    store = Store(sessions_dir)
    path = sessions_dir / "harbor.toml"
    _write_session(path, Session(id="harbor", title="Harbor"))
    handle = store.open(path)
    original = path.read_bytes()
    before = path.stat()
    # Another program rewrites the file in place; with a coarse clock (or `touch -r`, or a
    # sync tool keeping times) size, inode and mtime all stay what they were.
    edited = original.replace(b'"Harbor"', b'"Hurbor"' if same_size else b'"Harbor Co"')
    assert edited != original
    with path.open("r+b") as f:
        f.write(edited)
        f.truncate()
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    handle.session.title = "Mine"
    with pytest.raises(ConflictError) as caught:
        store.save(handle)
    _one_line_naming(caught.value, path)
    assert path.read_bytes() == edited
    store.close(handle)


def test_outside_replace_and_delete_are_conflicts(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    handle = store.create("Harbor", "harbor")
    other = sessions_dir / "other.toml"
    _write_session(other, Session(id="harbor", title="Replaced"))
    os.replace(other, handle.path)
    replaced = handle.path.read_bytes()
    with pytest.raises(ConflictError):
        store.save(handle)
    assert handle.path.read_bytes() == replaced
    handle.path.unlink()
    with pytest.raises(ConflictError):
        store.save(handle)
    assert not handle.path.exists()
    store.close(handle)


def test_touching_without_changing_is_no_conflict(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    handle = store.create("Harbor", "harbor")
    os.utime(handle.path, ns=(1, 1))
    store.save(handle)
    store.close(handle)


def test_saves_by_the_same_handle_are_no_conflict(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    handle = store.create("Harbor", "harbor")
    for n in range(3):
        handle.session.title = f"Harbor {n}"
        store.save(handle)
    assert load_session(handle.path).title == "Harbor 2"
    store.close(handle)


# -- newer versions --------------------------------------------------------------------


def test_newer_version_opens_read_only_and_is_never_saved(sessions_dir: Path) -> None:
    path = sessions_dir / "future.toml"
    data = (
        b'format = "bmc-tui.session"\nversion = 2\nid = "future"\ntitle = "From the future"\n'
        b'hologram = "on"\n'
    )
    path.write_bytes(data)
    store = Store(sessions_dir)
    handle = store.open(path)
    assert not handle.writable
    assert handle.read_only and "newer" in handle.read_only
    assert handle.session.title == "From the future"
    with pytest.raises(StoreError) as caught:
        store.save(handle)
    _one_line_naming(caught.value, path)
    assert path.read_bytes() == data
    assert not (sessions_dir / "future.toml.bak").exists()
    store.close(handle)


def test_unreadable_file_does_not_open(sessions_dir: Path) -> None:
    path = sessions_dir / "bad.toml"
    path.write_bytes(b'format = "bmc-tui.session"\nversion = 1\nid = "Bad"\ntitle = "t"\n')
    with pytest.raises(StoreError) as caught:
        Store(sessions_dir).open(path)
    assert "id" in _one_line_naming(caught.value, path)


def test_invalid_toml_error_names_file_and_line(sessions_dir: Path) -> None:
    path = sessions_dir / "bad.toml"
    path.write_bytes(b'format = "bmc-tui.session"\nversion = 1\nid = \n')
    with pytest.raises(StoreError) as caught:
        load_session(path)
    assert "line 3" in _one_line_naming(caught.value, path)


def test_oversized_and_endless_files_are_refused(
    sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sessionfile, "MAX_FILE_BYTES", 100)
    big = sessions_dir / "big.toml"
    big.write_bytes(b"#" * 101)
    with pytest.raises(StoreError) as caught:
        load_session(big)
    assert "large" in _one_line_naming(caught.value, big)
    # A character device reports size 0 but never ends.
    zero = Path("/dev/zero")
    if zero.exists():
        with pytest.raises(StoreError) as caught:
            load_session(zero)
        _one_line_naming(caught.value, zero)


def test_a_folder_is_not_a_session(sessions_dir: Path) -> None:
    with pytest.raises(StoreError) as caught:
        load_session(sessions_dir)
    _one_line_naming(caught.value, sessions_dir)


# -- names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_id",
    ["", "a/b", "../x", "..", ".", "/etc/passwd", "Upper", "a.toml", "-x", "a" * 65, "a\x00"],
)
def test_path_for_refuses_ids_that_are_not_ids(bad_id: str) -> None:
    with pytest.raises(StoreError) as caught:
        Store(Path("/nowhere")).path_for(bad_id)
    assert "\n" not in str(caught.value) and "\x00" not in str(caught.value)


def test_path_for_stays_in_the_folder(sessions_dir: Path) -> None:
    assert Store(sessions_dir).path_for("a-b-1") == sessions_dir / "a-b-1.toml"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Harbor Coffee", "harbor-coffee"),
        ("  Crème Brûlée & Co.  ", "creme-brulee-co"),
        ("!!!---???", "session"),
        ("", "session"),
        ("東京カフェ", "session"),
        ("Straße 42", "strae-42"),
        ("a" * 200, "a" * 64),
        ("x" * 63 + " y", "x" * 63),
        ("\x1b[31mred\x1b[0m", "31mred-0m"),
    ],
)
def test_slugify_examples(title: str, expected: str) -> None:
    assert slugify(title) == expected
    assert is_valid_session_id(slugify(title))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_slugify_always_gives_a_valid_id(title: str) -> None:
    assert is_valid_session_id(slugify(title))


def test_unique_id_avoids_existing_files(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    assert store.unique_id("Harbor") == "harbor"
    (sessions_dir / "harbor.toml").write_text("")
    (sessions_dir / "harbor-2.toml").write_text("")
    assert store.unique_id("Harbor") == "harbor-3"
    long = "b" * 64
    (sessions_dir / f"{long}.toml").write_text("")
    candidate = store.unique_id("B" * 100)
    assert candidate == "b" * 62 + "-2"
    assert is_valid_session_id(candidate)


def test_create_without_an_id_never_overwrites(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    handles = [store.create("Same title") for _ in range(3)]
    assert [h.path.name for h in handles] == [
        "same-title.toml",
        "same-title-2.toml",
        "same-title-3.toml",
    ]
    for handle in handles:
        store.close(handle)


def test_resolve_sessions_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_SESSIONS, str(tmp_path / "env"))
    assert resolve_sessions_dir(tmp_path / "opt") == tmp_path / "opt"
    assert resolve_sessions_dir(None) == tmp_path / "env"
    monkeypatch.delenv(ENV_SESSIONS)
    assert resolve_sessions_dir(None) == Path("sessions")


# -- listing ---------------------------------------------------------------------------


def test_listing_reports_a_corrupt_file_and_lists_the_others(sessions_dir: Path) -> None:
    _write_session(sessions_dir / "a.toml", Session(id="a", title="A"))
    _write_session(sessions_dir / "c.toml", Session(id="c", title="C"))
    (sessions_dir / "b.toml").write_bytes(b"\x00\xff binary")
    (sessions_dir / "notes.txt").write_text("not a session")
    (sessions_dir / "a.toml.bak").write_text("old")
    (sessions_dir / ".a.toml.lock").write_text("")
    listings = Store(sessions_dir).list()
    assert [entry.path.name for entry in listings] == ["a.toml", "b.toml", "c.toml"]
    good = [e for e in listings if e.session is not None]
    assert [e.session.title for e in good if e.session] == ["A", "C"]
    (bad,) = [e for e in listings if e.session is None]
    assert bad.error and "b.toml" in bad.error and "\n" not in bad.error


def test_listing_shows_newer_versions(sessions_dir: Path) -> None:
    (sessions_dir / "f.toml").write_bytes(
        b'format = "bmc-tui.session"\nversion = 3\nid = "f"\ntitle = "F"\n'
    )
    (entry,) = Store(sessions_dir).list()
    assert entry.session is not None and entry.session.version == 3


def test_listing_an_empty_folder(sessions_dir: Path) -> None:
    assert Store(sessions_dir).list() == []
