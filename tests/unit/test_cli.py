"""`bmc-tui check`, `list`, `new` and the command line itself, in-process and as the real binary."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bmc_tui import __version__
from bmc_tui.cli import build_parser, main
from bmc_tui.codec import dump_toml
from bmc_tui.model import Session
from bmc_tui.report import run_check

from .builders import aligned, item, plan_item

# Raw control characters a terminal would act on (newline aside): C0, DEL, C1.
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
HOSTILE = "\x1b]0;owned\x07\x1b[2J\x9b31mred\x1b[0m\rover\x00\x7f\x08end"


def _write(path: Path, session: Session) -> Path:
    path.write_text(dump_toml(session), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _check_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[Any]]:
    code, out, err = _run(capsys, "check", "--format", "json", *argv)
    assert err == ""
    return code, json.loads(out)


def _info_only(path: Path) -> Path:
    s = aligned()
    s.id = path.stem
    s.strategy.budget = None
    return _write(path, s)


def _with_warning(path: Path) -> Path:
    s = aligned()
    s.id = path.stem
    s.plan[0].owner = None
    return _write(path, s)


def _with_error(path: Path) -> Path:
    s = aligned()
    s.id = path.stem
    s.plan[0].links["goals"] = ["g-gone"]
    return _write(path, s)


# -- check --format json ---------------------------------------------------------------


def test_check_json_structure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = aligned()
    s.id = "harbor"
    s.plan.append(plan_item("a-9", owner=None, goals=["nope"], programs=[]))
    s.strategy.budget = ""
    s.fitness.market_driven = False
    path = _write(tmp_path / "harbor.toml", s)
    given = os.path.relpath(path)
    code, doc = _check_json(capsys, given)
    assert code == 1
    assert isinstance(doc, list) and len(doc) == 1
    (entry,) = doc
    assert set(entry) == {"file", "id", "findings"}
    assert entry["file"] == given
    assert entry["id"] == "harbor"
    for finding in entry["findings"]:
        assert set(finding) == {"rule", "severity", "message", "refs"}
        assert isinstance(finding["message"], str) and finding["message"]
        assert all(isinstance(ref, str) for ref in finding["refs"])
    got = [(f["severity"], f["rule"], f["refs"]) for f in entry["findings"]]
    assert got == [
        ("error", "link.dangling", ["a-9", "nope"]),
        ("warning", "fitness.gap", ["market_driven"]),
        ("warning", "plan.no-owner", ["a-9"]),
        ("warning", "plan.random-act", ["a-9"]),
        ("info", "strategy.no-budget", []),
    ]


def test_check_json_keeps_argument_order_and_paths_as_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "b.toml", Session(id="b", title="B"))
    _write(tmp_path / "a.toml", Session(id="a", title="A"))
    (tmp_path / "sub").mkdir()
    code, doc = _check_json(capsys, "b.toml", "./a.toml", "sub/../b.toml", str(tmp_path / "a.toml"))
    assert code == 0
    assert [e["file"] for e in doc] == [
        "b.toml",
        "./a.toml",
        "sub/../b.toml",
        str(tmp_path / "a.toml"),
    ]
    assert [e["id"] for e in doc] == ["b", "a", "b", "a"]


def test_check_json_for_an_aligned_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "s.toml", aligned())
    code, doc = _check_json(capsys, str(path))
    assert code == 0
    assert doc == [{"file": str(path), "id": "s", "findings": []}]


def test_check_does_not_compare_id_with_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "other-name.toml", aligned())
    code, doc = _check_json(capsys, str(path))
    assert code == 0 and doc[0]["id"] == "s"


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        (b'format = "bmc-tui.session"\nversion = 1\nid = "x"\ntitle = \n', "line 4"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "UTF-8"),
        (b'format = "bmc-tui.session"\nversion = 2\nid = "x"\ntitle = "t"\n', "version"),
        (b'format = "bmc-tui.session"\nversion = 1\nid = "X"\ntitle = "t"\n', "id"),
        (
            b'format = "bmc-tui.session"\nversion = 1\nid = "x"\ntitle = "t"\ncanvas = "x"\n',
            "canvas",
        ),
    ],
)
@pytest.mark.parametrize("fail_on", ["error", "never"])
def test_unreadable_file_is_an_error_entry_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    expect: str,
    fail_on: str,
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    good = _write(tmp_path / "good.toml", aligned())
    code, doc = _check_json(capsys, "--fail-on", fail_on, str(good), str(bad), str(good))
    assert code == 2
    assert [e["file"] for e in doc] == [str(good), str(bad), str(good)]
    assert set(doc[1]) == {"file", "error"}
    assert expect in doc[1]["error"]
    assert "\n" not in doc[1]["error"]
    assert doc[0]["findings"] == [] and doc[2]["findings"] == []


def test_missing_file_and_folder_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = _check_json(capsys, str(tmp_path / "nope.toml"), str(tmp_path))
    assert code == 2
    assert [set(e) for e in doc] == [{"file", "error"}, {"file", "error"}]


@pytest.mark.parametrize(
    ("make", "fail_on", "expected"),
    [
        (_info_only, "error", 0),
        (_info_only, "warning", 0),
        (_info_only, "info", 1),
        (_info_only, "never", 0),
        (_with_warning, "error", 0),
        (_with_warning, "warning", 1),
        (_with_warning, "info", 1),
        (_with_warning, "never", 0),
        (_with_error, "error", 1),
        (_with_error, "never", 0),
    ],
)
def test_exit_status_follows_fail_on(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Any,
    fail_on: str,
    expected: int,
) -> None:
    path = make(tmp_path / "s.toml")
    for fmt in ("json", "text"):
        code, _, _ = _run(capsys, "check", "--format", fmt, "--fail-on", fail_on, str(path))
        assert code == expected


def test_default_fail_on_is_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "check", str(_with_warning(tmp_path / "w.toml")))[0] == 0
    assert _run(capsys, "check", str(_with_error(tmp_path / "e.toml")))[0] == 1


# -- text output -----------------------------------------------------------------------


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_output_is_readable_and_uncoloured_when_piped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _with_error(tmp_path / "s.toml")
    code, out, err = _run(capsys, "check", str(path))
    assert code == 1
    assert "\x1b" not in out and err == ""
    assert str(path) in out
    assert "link.dangling" in out and "Errors" in out


def test_colour_only_on_a_terminal_and_never_with_no_color(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _with_error(tmp_path / "s.toml")
    terminal = _FakeTerminal()
    run_check([str(path)], "text", "error", out=terminal)
    assert "\x1b[" in terminal.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    terminal = _FakeTerminal()
    run_check([str(path)], "text", "error", out=terminal)
    assert "\x1b" not in terminal.getvalue()


def _hostile_session() -> Session:
    s = aligned()
    s.title = f"Harbor {HOSTILE} Coffee"
    s.facilitator = HOSTILE
    s.social.answers = {"why": HOSTILE, f"k{HOSTILE}": "x"}
    s.canvas.customer_segments[0].text = f"Commuters {HOSTILE}"
    s.canvas.key_partnerships.append(item(f"kp-{HOSTILE}", f"Partner {HOSTILE}"))
    s.plan.append(plan_item(f"a-{HOSTILE}", owner=None, goals=[f"g-{HOSTILE}"], programs=[]))
    s.plan[-1].text = HOSTILE
    return s


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_control_characters_never_reach_the_output_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    path = _write(tmp_path / "hostile.toml", _hostile_session())
    code, out, err = _run(capsys, "check", "--format", fmt, str(path))
    assert code == 1
    assert not RAW_CONTROL.search(out), repr(out)
    assert not RAW_CONTROL.search(err)
    if fmt == "json":
        # Escaped in JSON, the refs are still exactly the ids for tools to compare.
        refs = [f["refs"] for f in json.loads(out)[0]["findings"]]
        assert [f"a-{HOSTILE}", f"g-{HOSTILE}"] in refs
    else:
        assert "Harbor" in out and "owned" not in out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_control_characters_in_a_file_name_and_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    bad = tmp_path / f"bad{HOSTILE.replace(chr(0), '')}.toml"
    bad.write_bytes(
        f'format = "bmc-tui.session"\nversion = 1\nid = "x"\ntitle = "t"\n'
        f'step = "{HOSTILE.replace(chr(0), "").replace(chr(13), "")}"\n'.encode().replace(
            b"\x1b", b"\\u001b"
        )
    )
    code, out, err = _run(capsys, "check", "--format", fmt, str(bad))
    assert code == 2
    assert not RAW_CONTROL.search(out), repr(out)
    if fmt == "json":
        assert json.loads(out)[0]["file"] == str(bad)


def test_unreadable_file_in_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"title = = 1\n")
    code, out, _ = _run(capsys, "check", "--fail-on", "never", str(bad))
    assert code == 2
    assert str(bad) in out and "line 1" in out


# -- list ------------------------------------------------------------------------------


def test_list_reports_a_corrupt_file_and_lists_the_others(
    sessions_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(sessions_dir / "a.toml", Session(id="a", title="Alpha"))
    _write(sessions_dir / "c.toml", Session(id="c", title=f"Gamma {HOSTILE}"))
    (sessions_dir / "b.toml").write_bytes(b"\xff\xfe\x00garbage")
    code, out, err = _run(capsys, "list")
    assert code == 2
    assert "Alpha" in out and "Gamma" in out and "b.toml" not in out
    assert err.count("\n") == 1 and "b.toml" in err
    assert not RAW_CONTROL.search(out) and not RAW_CONTROL.search(err)

    code, out, err = _run(capsys, "list", "--format", "json")
    assert code == 2
    rows = json.loads(out)
    assert [r.get("id") for r in rows] == ["a", None, "c"]
    assert set(rows[1]) == {"file", "error"}
    assert not RAW_CONTROL.search(out)


def test_list_keeps_its_columns_under_a_title_with_emoji(
    sessions_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An emoji takes two columns on a terminal: the STEP column was one off on its row.
    from bmc_tui.text import cells

    _write(sessions_dir / "a.toml", Session(id="a", title="Pedal Pantry 🚲"))
    _write(sessions_dir / "b.toml", Session(id="b", title="Plain title here"))
    code, out, _ = _run(capsys, "list")
    assert code == 0
    header, *rows = out.splitlines()
    column = cells(header[: header.index("STEP")])
    assert len(rows) == 2
    for row in rows:
        # The third column's start: fields are apart by two spaces or more.
        at = [m.start() for m in re.finditer(r"\S+(?: \S+)*", row)][2]
        assert cells(row[:at]) == column, (header, row)


def test_list_says_a_newer_file_is_read_only(
    sessions_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It was an ordinary row ("future  Future  -  -  0  0") while `check` cannot read it.
    _write(sessions_dir / "a.toml", Session(id="a", title="Alpha"))
    (sessions_dir / "future.toml").write_text(
        'format = "bmc-tui.session"\nversion = 99\nid = "future"\ntitle = "Future"\n', "utf-8"
    )
    code, out, err = _run(capsys, "list")
    assert code == 0 and err == ""
    header, *rows = out.splitlines()
    assert header.split()[-1] == "NOTE"
    [future] = [r for r in rows if r.startswith("future ")]
    assert future.split()[4:6] == ["-", "-"]  # no findings counted on what it cannot read
    assert future.endswith("written by a newer bmc-tui (version 99): opens read-only")
    [alpha] = [r for r in rows if r.startswith("a ")]
    assert "newer" not in alpha

    code, out, _ = _run(capsys, "list", "--format", "json")
    rows_json = {r["id"]: r for r in json.loads(out)}
    assert "newer bmc-tui" in rows_json["future"]["note"]
    assert rows_json["future"]["errors"] is None
    assert "note" not in rows_json["a"] and rows_json["a"]["errors"] == 0


def test_list_an_empty_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "list")
    assert code == 0 and "No sessions" in out and err == ""
    code, out, _ = _run(capsys, "list", "--format", "json")
    assert code == 0 and json.loads(out) == []


def test_list_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "list", "--sessions-dir", str(tmp_path / "missing"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "missing" in err


# -- new -------------------------------------------------------------------------------


def test_new_prints_a_path_in_the_sessions_folder_that_passes_check(
    sessions_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "new", "Harbor Coffee", "--no-open")
    assert code == 0 and err == ""
    path = Path(out.strip())
    assert path.parent.resolve() == sessions_dir.resolve()
    assert path.name == "harbor-coffee.toml"
    code, doc = _check_json(capsys, str(path))
    assert code == 0 and doc[0]["id"] == "harbor-coffee"
    # Not a terminal: it only creates the file, even without --no-open.
    code, out, _ = _run(capsys, "new", "Harbor Coffee")
    assert code == 0 and Path(out.strip()).name == "harbor-coffee-2.toml"


def test_new_with_sessions_dir_option_wins_over_the_environment(
    tmp_path: Path, sessions_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    code, out, _ = _run(
        capsys, "new", "X", "--id", "x", "--no-open", "--sessions-dir", str(elsewhere)
    )
    assert code == 0
    assert Path(out.strip()) == elsewhere / "x.toml"
    assert not (sessions_dir / "x.toml").exists()
    code, out, _ = _run(capsys, "list", "--sessions-dir", str(elsewhere), "--format", "json")
    assert [r["id"] for r in json.loads(out)] == ["x"]


@pytest.mark.parametrize(
    "argv",
    [
        ["new", "   ", "--no-open"],
        ["new", "X", "--id", "../evil", "--no-open"],
        ["new", "X", "--id", "Bad"],
    ],
)
def test_new_refuses_bad_titles_and_ids(
    sessions_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("bmc-tui")
    assert list(sessions_dir.iterdir()) == []
    assert not (sessions_dir.parent / "evil.toml").exists()


def test_new_refuses_an_existing_id(sessions_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "new", "X", "--id", "x", "--no-open")[0] == 0
    before = (sessions_dir / "x.toml").read_bytes()
    code, _, err = _run(capsys, "new", "Y", "--id", "x", "--no-open")
    assert code == 2 and err.count("\n") == 1
    assert (sessions_dir / "x.toml").read_bytes() == before


# -- the command line ------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--version")
    assert code == 0 and out.strip() == f"bmc-tui {__version__}"


def _subcommands() -> list[str]:
    parser = build_parser()
    for action in parser._actions:
        choices = getattr(action, "choices", None)
        if isinstance(choices, dict):
            return list(choices)
    raise AssertionError("no subcommands")


def test_every_subcommand_is_known() -> None:
    assert {"check", "list", "new"} <= set(_subcommands())


@pytest.mark.parametrize("command", [[], *[[c] for c in _subcommands()]])
def test_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, err = _run(capsys, *command, "--help")
    assert code == 0 and err == ""
    assert out.startswith("usage: bmc-tui")


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["check"],
        ["check", "--format", "xml", "x.toml"],
        ["check", "--fail-on", "sometimes", "x.toml"],
        ["list", "--format", "yaml"],
        ["new"],
        ["--timebox", "soon"],
        ["--no-such-option"],
        ["check", "x.toml", "--bogus"],
    ],
)
def test_bad_command_line_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "error" in err


# -- the real binary -------------------------------------------------------------------


def _binary() -> str:
    found = shutil.which("bmc-tui", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the bmc-tui console script is not installed next to this Python")
    return found


def _env(sessions_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "BMC_TUI_SESSIONS")}
    env.update(BMC_TUI_SESSIONS=str(sessions_dir), **extra)
    return env


def _real(
    sessions_dir: Path, *argv: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(
        [_binary(), *argv],
        env=env or _env(sessions_dir),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    return result


def test_binary_new_then_check(sessions_dir: Path) -> None:
    made = _real(sessions_dir, "new", "Harbor Coffee")
    assert made.returncode == 0 and made.stderr == b""
    path = Path(made.stdout.decode().strip())
    assert path.parent.resolve() == sessions_dir.resolve()
    checked = _real(sessions_dir, "check", "--format", "json", str(path))
    assert checked.returncode == 0
    assert json.loads(checked.stdout)[0]["id"] == "harbor-coffee"
    listed = _real(sessions_dir, "list")
    assert listed.returncode == 0 and b"harbor-coffee" in listed.stdout


def test_binary_text_has_no_colour_when_piped_or_no_color(
    sessions_dir: Path, tmp_path: Path
) -> None:
    path = _with_error(tmp_path / "s.toml")
    for env in (_env(sessions_dir), _env(sessions_dir, NO_COLOR="1")):
        result = _real(sessions_dir, "check", str(path), env=env)
        assert result.returncode == 1
        assert b"\x1b" not in result.stdout


def test_binary_never_prints_a_traceback(sessions_dir: Path, tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text(
        'format = "bmc-tui.session"\nversion = 1\nid = "a"\ntitle = "t"\nx = ' + "[" * 5000
    )
    binary = tmp_path / "binary.toml"
    binary.write_bytes(bytes(range(256)) * 4)
    empty = tmp_path / "empty.toml"
    empty.write_bytes(b"")
    odd_name = os.fsencode(tmp_path) + b"/odd-\xff\x1b[31m.toml"
    Path(os.fsdecode(odd_name)).write_bytes(b"")
    hostile = _write(tmp_path / "hostile.toml", _hostile_session())
    files = [str(deep), str(binary), str(empty), str(tmp_path), str(tmp_path / "nope.toml"),
             os.fsdecode(odd_name), str(hostile)]  # fmt: skip
    for fmt in ("text", "json"):
        result = _real(sessions_dir, "check", "--format", fmt, "--fail-on", "never", *files)
        assert result.returncode == 2
        assert not RAW_CONTROL.search(result.stdout.decode("utf-8", errors="replace"))
        if fmt == "json":
            doc = json.loads(result.stdout)
            assert [("error" in e) for e in doc] == [True] * 6 + [False]


def test_binary_bad_command_line(sessions_dir: Path) -> None:
    result = _real(sessions_dir, "check", "--format", "xml")
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.count(b"\n") == 1


def test_binary_list_with_a_corrupt_file(sessions_dir: Path) -> None:
    _write(sessions_dir / "a.toml", Session(id="a", title="Alpha"))
    (sessions_dir / "b.toml").write_text("id = = 1")
    result = _real(sessions_dir, "list")
    assert result.returncode == 2
    assert b"Alpha" in result.stdout
    assert b"b.toml" in result.stderr and result.stderr.count(b"\n") == 1


def test_python_dash_m(sessions_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bmc_tui", "--version"],
        env=_env(sessions_dir),
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"bmc-tui {__version__}"
