"""`bmc-tui export` and `bmc-tui diff`, through `main()` and through the installed binary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bmc_tui.cli import main

from .conftest import DATA


@pytest.fixture
def stored(sessions_dir: Path) -> Path:
    path = sessions_dir / "harbor-coffee.toml"
    shutil.copy(DATA / "harbor.toml", path)
    return path


def test_export_md_to_stdout_by_id(stored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "harbor-coffee"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("# Harbor Coffee\n")
    assert "The Business Model Canvas is by Strategyzer AG" in out.out
    assert out.err == ""


def test_export_json_by_path(stored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(stored), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["id"] == "harbor-coffee"
    assert doc["created"] == "2026-11-23T09:00:00+00:00"
    assert doc["strategy"]["dates"][0]["date"] == "2027-01-11"
    assert {"rule", "severity", "message", "refs", "why"} == set(doc["findings"][0])


def test_export_html_default_path(
    stored: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["export", "harbor-coffee", "--format", "html"]) == 0
    page = (work / "harbor-coffee.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == "bmc-tui: wrote harbor-coffee.html\n"
    assert main(["export", "harbor-coffee", "--format", "html"]) == 0
    assert "replacing the previous export" in capsys.readouterr().err
    assert [p.name for p in work.iterdir()] == ["harbor-coffee.html"]  # no temp files left


def test_export_to_file(stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    assert main(["export", "harbor-coffee", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("# Harbor Coffee")
    assert capsys.readouterr().err == f"bmc-tui: wrote {target}\n"


def test_export_html_to_stdout(stored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "harbor-coffee", "--format", "html", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no-such.toml: no such file"),
        (b"format = 'x'\n", "format"),
        (b"\xff\xfe", "not UTF-8"),
        (b"= broken", "invalid TOML"),
    ],
)
def test_export_unreadable_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, expected: str
) -> None:
    path = tmp_path / "no-such.toml"
    if content is not None:
        path.write_bytes(content)
    assert main(["export", str(path)]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    lines = out.err.splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and expected in lines[0], out.err
    assert "Traceback" not in out.err


def test_export_unwritable_output(
    stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for target in (tmp_path / "missing" / "x.md", tmp_path):
        assert main(["export", "harbor-coffee", "-o", str(target)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(target) in err


def test_diff_cli(stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    after = tmp_path / "after.toml"
    after.write_text(
        stored.read_text(encoding="utf-8").replace('problem = "promotion"', 'problem = "model"'),
        encoding="utf-8",
    )
    assert main(["diff", "harbor-coffee", str(after)]) == 0
    text = capsys.readouterr().out
    assert "~ problem: “promotion” → “model”" in text
    assert "\x1b" not in text  # capsys is not a terminal
    assert main(["diff", "harbor-coffee", str(after), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["old"]["file"] == "harbor-coffee" and doc["changed"] is True
    assert main(["diff", "harbor-coffee", "harbor-coffee"]) == 0
    assert "No changes." in capsys.readouterr().out
    assert main(["diff", "harbor-coffee", str(tmp_path / "gone.toml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "gone.toml" in err


def test_diff_of_a_long_text_changed_at_its_end_shows_the_change(
    stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Both sides were cut at the same place and read the same: "“People ask about … on
    # the…” → “People ask about … on the…”".
    long = "People ask about the weather on the ferry every morning and what to wear on deck"
    before, after = tmp_path / "before.toml", tmp_path / "after.toml"
    text = stored.read_text(encoding="utf-8")
    assert 'vision = "The harbour\'s living room."' in text
    for path, end in ((before, ".2"), (after, "")):
        changed = text.replace("The harbour's living room.", long + end)
        path.write_text(changed, encoding="utf-8")
    assert main(["diff", str(before), str(after)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "vision" in x)
    old, new = line.split(": ", 1)[1].split(" → ")
    assert old != new and old.endswith("deck.2”") and new.endswith("deck”"), line


def _binary() -> str:
    found = shutil.which("bmc-tui", path=str(Path(sys.executable).parent)) or shutil.which(
        "bmc-tui"
    )
    if found is None:
        pytest.skip("the bmc-tui script is not installed")
    return found


def test_real_binary(stored: Path, tmp_path: Path) -> None:
    env = {**os.environ, "BMC_TUI_SESSIONS": str(stored.parent), "NO_COLOR": "1"}
    run = subprocess.run(
        [_binary(), "export", "harbor-coffee", "--format", "html"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "harbor-coffee.html").is_file()
    assert run.stderr.strip() == "bmc-tui: wrote harbor-coffee.html"
    run = subprocess.run(
        [_binary(), "diff", "harbor-coffee", str(tmp_path / "nope.toml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "nope.toml" in run.stderr
    assert "Traceback" not in run.stderr


def test_export_does_not_import_textual(tmp_path: Path, stored: Path) -> None:
    code = (
        "import sys; from bmc_tui.cli import main; "
        f"main(['export', {str(stored)!r}, '--format', 'html', "
        f"'-o', {str(tmp_path / 'x.html')!r}]);"
        "main(['diff', 'harbor-coffee', 'harbor-coffee']);"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "assert not bad, bad"
    )
    env = {**os.environ, "BMC_TUI_SESSIONS": str(stored.parent)}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_an_unknown_id_names_the_folder_searched_and_how_to_choose_another(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BMC_TUI_SESSIONS", raising=False)
    for argv in (["export", "crumb-co"], ["diff", "crumb-co", "crumb-co"], ["open", "crumb-co"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert "“crumb-co”" in err and str(tmp_path / "sessions") in err
        assert "--sessions-dir" in err and "BMC_TUI_SESSIONS" in err
