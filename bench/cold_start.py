"""Cold start in a real terminal, and the start-up of `bmc-tui check`.

A tmux server is started once; each run opens a new window running the command and polls
the pane until the texts of a fully drawn first screen are there. The tmux server's own
start is thus outside every measurement, and both apps pay the same polling cost.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from .bare_app import READY_TEXT
from .common import (
    PYTHON,
    ROOT,
    Row,
    bmc_tui_binary,
    clean_env,
    interleaved,
    interleaved_row,
    run_timed,
    temp_dir,
)

POLL = 0.005
START_TIMEOUT = 30.0


class TmuxServer:
    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        tmux = shutil.which("tmux")
        if tmux is None:
            raise RuntimeError("tmux is not installed")
        self.tmux = tmux
        self.socket = str(folder / "tmux.sock")
        config = folder / "tmux.conf"
        config.write_text("set -g status off\nset -g remain-on-exit off\n", "utf-8")
        self.env = env
        self._run(
            "-f",
            str(config),
            "new-session",
            "-d",
            "-s",
            "bench",
            "-x",
            "100",
            "-y",
            "30",
            "sleep 3600",
        )

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-S", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=10,
            env=self.env,
            check=True,
        )
        return result.stdout

    def time_to_screen(self, command: Sequence[str], texts: Sequence[str], cwd: Path) -> float:
        """Seconds from launching `command` in a new window until every text is on screen."""
        shell = "exec " + " ".join(_quote(part) for part in command)
        start = time.perf_counter()
        pane = self._run(
            "new-window", "-d", "-P", "-F", "#{pane_id}", "-c", str(cwd), "-t", "bench", shell
        ).strip()
        try:
            deadline = start + START_TIMEOUT
            while time.perf_counter() < deadline:
                screen = subprocess.run(
                    [self.tmux, "-S", self.socket, "capture-pane", "-p", "-t", pane],
                    capture_output=True,
                    text=True,
                    timeout=10,
                    check=False,
                ).stdout
                if all(text in screen for text in texts):
                    return time.perf_counter() - start
                time.sleep(POLL)
            raise RuntimeError(f"{command[0]}: {texts} never appeared:\n{screen}")
        finally:
            subprocess.run(
                [self.tmux, "-S", self.socket, "kill-pane", "-t", pane],
                capture_output=True,
                timeout=10,
                check=False,
            )

    def close(self) -> None:
        subprocess.run(
            [self.tmux, "-S", self.socket, "kill-server"],
            capture_output=True,
            timeout=10,
            check=False,
        )


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)


def top_imports(argv: Sequence[str], env: dict[str, str], count: int = 8) -> tuple[list[str], bool]:
    """The slowest top-level imports of a command (cumulative µs), and whether Textual is one."""
    result = subprocess.run(
        argv,
        env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    rows: list[tuple[int, str]] = []
    modules: list[str] = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        if not cumulative.strip().isdigit():
            continue  # the header line
        modules.append(name.strip())
        if not name.startswith("  "):  # a top-level import (what the program itself asked for)
            rows.append((int(cumulative), name.strip()))
    rows.sort(reverse=True)
    textual = any(m == "textual" or m.startswith(("textual.", "rich")) for m in modules)
    return [f"{name} {us / 1000:.1f}ms" for us, name in rows[:count]], textual


def run(quick: bool = False) -> list[Row]:
    rows: list[Row] = []
    binary = bmc_tui_binary()
    env = clean_env(TERM="xterm-256color")
    with temp_dir("cold") as folder:
        sessions = folder / "sessions"
        subprocess.run(
            [
                binary,
                "new",
                "Harbor Coffee",
                "--example",
                "platform",
                "--no-open",
                "--sessions-dir",
                str(sessions),
            ],
            check=True,
            capture_output=True,
            env=env,
            timeout=60,
        )
        session_file = sessions / "harbor-coffee.toml"
        settings_home = folder / "home"
        settings_home.mkdir()
        env["HOME"] = str(settings_home)
        env["XDG_CONFIG_HOME"] = str(settings_home / ".config")

        # 1. The TUI's first screen, against the bare Textual app, in the same tmux server.
        server = TmuxServer(folder, env)
        try:
            rounds = 5 if quick else 15
            samples = interleaved(
                {
                    "bmc-tui": lambda: server.time_to_screen(
                        [binary, "--sessions-dir", str(sessions)],
                        ["Harbor Coffee", "From example"],
                        folder,
                    ),
                    "bare": lambda: server.time_to_screen(
                        [PYTHON, str(ROOT / "bench" / "bare_app.py")],
                        ["bare-bench", READY_TEXT],
                        folder,
                    ),
                },
                rounds,
            )
        finally:
            server.close()
        rows.append(
            interleaved_row(
                "cold start",
                "bmc-tui (start screen, 1 session) vs bare Textual app, tmux",
                samples,
                "bmc-tui",
                "bare",
                1.5,
                baseline_name="bare",
                data={k: [round(v, 4) for v in s] for k, s in samples.items()},
            )
        )

        # 2. `check` on one file against `python -c pass` and an imports-only script.
        rounds = 10 if quick else 30
        samples = interleaved(
            {
                "check": lambda: run_timed([binary, "check", str(session_file)], env=env),
                "pass": lambda: run_timed([PYTHON, "-c", "pass"], env=env),
                "imports": lambda: run_timed(
                    [PYTHON, str(ROOT / "bench" / "imports_only.py")], env=env
                ),
            },
            rounds,
        )
        data = {k: [round(v, 4) for v in s] for k, s in samples.items()}
        rows.append(
            interleaved_row(
                "cold start",
                "bmc-tui check (1 file) vs imports-only script",
                samples,
                "check",
                "imports",
                1.5,
                baseline_name="imports-only",
                data=data,
            )
        )
        rows.append(
            interleaved_row(
                "cold start",
                "bmc-tui check (1 file) vs python -c pass",
                samples,
                "check",
                "pass",
                None,
                baseline_name="-c pass",
            )
        )
        top, textual = top_imports([binary, "check", str(session_file)], env)
        rows.append(
            Row(
                "cold start",
                "-X importtime: top imports of bmc-tui check",
                "; ".join(top),
                "",
                None,
                "no Textual/Rich",
                not textual,
                {"top": top, "textual": textual},
            )
        )
    os.environ.pop("PYTHONPROFILEIMPORTTIME", None)
    return rows
