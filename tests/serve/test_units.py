"""The server's small parts, without a network."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bmc_tui.cli import build_parser, main
from bmc_tui.model import Item
from bmc_tui.room import Room, read_room, write_room
from bmc_tui.serve.config import ConfigError, ServeConfig, config_from_args
from bmc_tui.serve.hostkey import fingerprint, load_or_create_host_key
from bmc_tui.serve.limits import ConnectionRate, TokenBucket
from bmc_tui.serve.roster import Roster
from bmc_tui.serve.status import Connection, read_status, status_path, write_status
from bmc_tui.serve.terminal import child_environment, clamp_size, safe_term
from bmc_tui.store import Store


def _config(sessions_dir: Path, *args: str) -> ServeConfig:
    return config_from_args(build_parser().parse_args(["serve", *args]), sessions_dir)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((80, 24), (80, 24)),
        ((0, 0), (80, 24)),
        ((1, 1), (20, 5)),
        ((10**9, 4_294_967_295), (500, 200)),
    ],
)
def test_window_sizes_are_clamped(size: tuple[int, int], expected: tuple[int, int]) -> None:
    assert clamp_size(*size) == expected


def test_terminal_types_outside_the_list_fall_back() -> None:
    assert safe_term("xterm-256color") == "xterm-256color"
    assert safe_term("xterm\x1b]0;x\x07") == "xterm-256color"
    assert safe_term("../../etc/passwd") == "xterm-256color"
    assert safe_term(None) == "xterm-256color"


def test_the_child_environment_is_minimal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "nope")
    env = child_environment(
        path="/usr/bin",
        home=tmp_path,
        sessions_dir=tmp_path / "s",
        term="tmux-256color",
        client_env={"COLORTERM": "truecolor", "LD_PRELOAD": "/evil.so", "LANG": "xx"},
    )
    assert env == {
        "PATH": "/usr/bin",
        "HOME": str(tmp_path),
        "TERM": "tmux-256color",
        "LANG": "C.UTF-8",
        "BMC_TUI_SESSIONS": str(tmp_path / "s"),
        "COLORTERM": "truecolor",
    }
    bland = child_environment(
        path="/bin", home=tmp_path, sessions_dir=tmp_path, term=None, client_env={"COLORTERM": "x"}
    )
    assert "COLORTERM" not in bland


def test_token_bucket_caps_a_burst() -> None:
    bucket = TokenBucket(rate=10, burst=100)
    assert bucket.take(60) == 60
    assert bucket.take(60) <= 41
    assert bucket.take(1000) <= 2


def test_connection_rate_per_address() -> None:
    rate = ConnectionRate(limit=3, window=60)
    assert [rate.allow("10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert rate.allow("10.0.0.2")


def test_open_is_refused_off_loopback(sessions_dir: Path) -> None:
    with pytest.raises(ConfigError, match="only allowed on loopback"):
        _config(sessions_dir, "--open", "--host", "0.0.0.0")
    assert _config(sessions_dir, "--open", "--host", "::1").open


def test_some_authentication_is_required(sessions_dir: Path) -> None:
    with pytest.raises(ConfigError, match="need a way in"):
        _config(sessions_dir)
    with pytest.raises(ConfigError, match="must differ"):
        _config(sessions_dir, "--passcode", "same", "--facilitator-passcode", "same")


def test_the_cli_says_why_it_will_not_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--open", "--host", "0.0.0.0"]) == 2
    assert "only allowed on loopback" in capsys.readouterr().err


def test_passcodes_from_files_and_a_made_facilitator_code(
    sessions_dir: Path, tmp_path: Path
) -> None:
    code = tmp_path / "code"
    code.write_text("  tulip-42 \n")
    config = _config(sessions_dir, "--passcode-file", str(code))
    assert config.passcode == "tulip-42"
    assert config.facilitator_passcode_generated
    assert len(config.facilitator_passcode) >= 12
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(ConfigError, match="empty"):
        _config(sessions_dir, "--passcode-file", str(empty))


def test_host_key_is_made_once_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / ".ssh_host_ed25519_key"
    first = load_or_create_host_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.algorithm == b"ssh-ed25519"
    os.chmod(path, 0o644)
    again = load_or_create_host_key(path)
    assert fingerprint(again) == fingerprint(first)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_status_round_trip_and_staleness(sessions_dir: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    write_status(sessions_dir, [Connection("ana", now, now)])
    status = read_status(sessions_dir)
    assert set(status.connected()) == {"ana"}
    assert status.connected(now + timedelta(minutes=5)) == {}
    status_path(sessions_dir).write_text("not toml [")
    assert read_status(sessions_dir).connected() == {}


def test_roster_joins_files_and_connections(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    for name in ("Ana", "Bob\x1b]0;x\x07"):
        handle = store.create(name)
        if name == "Ana":
            handle.session.canvas.customer_segments.append(Item("cs-1", "Commuters"))
            store.save(handle)
        store.close(handle)
    (sessions_dir / "broken.toml").write_text("format = 1")
    now = datetime.now(UTC)
    write_status(sessions_dir, [Connection("ana", now, now)])
    rows = {row.session_id: row for row in Roster(sessions_dir).rows()}
    assert set(rows) == {"ana", "bob-0-x", "broken"}
    assert rows["ana"].connected and not rows["bob-0-x"].connected
    assert rows["ana"].progress["canvas"] == (1, 9)
    assert "\x1b" not in rows["bob-0-x"].title and "\x07" not in rows["bob-0-x"].title
    assert rows["broken"].problem


def test_announcements_lose_their_escapes(sessions_dir: Path) -> None:
    write_room(sessions_dir, Room(announcement="Break\x1b]0;pwn\x07 at\n11\x1b[2J"))
    assert read_room(sessions_dir).announcement == "Break at 11"


def test_an_unreadable_host_key_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "host_key"
    bad.write_text("not a key\n")
    os.chmod(bad, 0o600)
    assert main(["serve", "--open", "--port", "0", "--host-key", str(bad)]) == 2
    assert "cannot use the host key" in capsys.readouterr().err
