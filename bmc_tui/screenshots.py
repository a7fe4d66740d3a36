"""Screenshots of the shipped platform example, for the README and the snapshot tests.

    python -m bmc_tui.screenshots [--out docs] [--size 120x40]

writes `canvas.svg` (the canvas overview, Ctrl+O) and `summary.svg` (the summary step).
Everything on screen comes from the example file, so the pictures only change when the
example or the UI does: no clock, no timebox, no blinking cursor, no animation.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Final

from textual.pilot import Pilot
from textual.widgets import Input

from .app import AppConfig, BmcApp
from .examples import load_example
from .store import Store

EXAMPLE: Final = "platform"
# name -> (the step the session opens at, keys pressed before the picture is taken)
SHOTS: Final = MappingProxyType(
    {
        "canvas": ("canvas", ("ctrl+o",)),
        "summary": ("summary", ()),
    }
)
DEFAULT_SIZE: Final = (120, 40)


def example_session(folder: Path, step: str, example: str = EXAMPLE) -> Path:
    """A copy of a shipped example in `folder`, under its own title, opening at `step`."""
    session = load_example(example)
    session.step = step
    store = Store(folder)
    handle = store.create(session.title, template=session)
    store.close(handle)
    return handle.path


def example_app(folder: Path, step: str, example: str = EXAMPLE) -> BmcApp:
    """The app on a fresh copy of the example, set up to draw the same picture every time."""
    path = example_session(folder, step, example)
    app = BmcApp(
        AppConfig(
            sessions_dir=folder,
            session_path=path,
            settings_file=folder / "settings.toml",
        )
    )
    app.animation_level = "none"
    return app


async def steady(pilot: Pilot[None]) -> None:
    """Stop what moves by itself (a blinking cursor) before a picture is taken."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def shoot(name: str, out: Path, size: tuple[int, int] = DEFAULT_SIZE) -> Path:
    step, keys = SHOTS[name]
    with tempfile.TemporaryDirectory() as tmp:
        app = example_app(Path(tmp), step)
        async with app.run_test(size=size) as pilot:
            await steady(pilot)
            await pilot.press(*keys)
            await steady(pilot)
            await pilot.wait_for_scheduled_animations()
            written = app.save_screenshot(f"{name}.svg", path=str(out))
    return Path(written)


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    try:
        return int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 120x40") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bmc_tui.screenshots",
        description="Write SVG screenshots of the platform example (canvas and summary).",
    )
    parser.add_argument("--out", type=Path, default=Path("docs"), help="folder (default: docs)")
    parser.add_argument("--size", type=_size, default=DEFAULT_SIZE, help="WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in SHOTS:
        print(asyncio.run(shoot(name, args.out, args.size)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
