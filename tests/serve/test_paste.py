"""A huge paste through the real ssh client: cut to fit, and the terminal stays usable."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from bmc_tui.serve.limits import PASTE_END, PASTE_START, PasteAwareCut

from .helpers import READY, Server, Tmux, tmux, wait_until
from .test_openssh import _participant

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


def _segments(sessions_dir: Path) -> list[str]:
    path = sessions_dir / "ana.toml"
    if not path.exists():
        return []
    doc = tomllib.loads(path.read_text("utf-8"))
    items = doc.get("canvas", {}).get("customer_segments", [])
    return [item.get("text", "") for item in items]


def _new_segment(mux: Tmux) -> None:
    mux.keys("ana", "a")
    mux.wait_for("ana", "(no text yet)")
    wait_until(lambda: "a Add" not in mux.screen("ana"), 15, "the text field's focus")


def test_a_200_kb_paste_is_cut_and_keys_keep_working(
    serve: Callable[..., Server], client_key: tuple[Path, Path], sessions_dir: Path, tmp_path: Path
) -> None:
    key, authorized = client_key
    server = serve("--authorized-keys", str(authorized))
    pasted = "".join(f"w{n} " for n in range(32000))
    assert len(pasted) > 200_000
    paste_file = tmp_path / "paste.txt"
    paste_file.write_text(pasted)
    with tmux(tmp_path) as mux:
        mux.start("ana", _participant(server.port, "ana", key))
        mux.wait_for("ana", READY)
        mux.keys("ana", "F3")
        mux.wait_for("ana", "Who do you create value for?")
        _new_segment(mux)
        mux.paste("ana", paste_file)
        mux.wait_for("ana", "Paste cut", timeout=30)
        wait_until(lambda: len(_segments(sessions_dir)) == 1 and _segments(sessions_dir)[0], 20)
        mux.keys("ana", "Enter")
        # Function keys are keys again, not text: F2 goes to the first step and F3 back.
        mux.keys("ana", "F2")
        mux.wait_for("ana", "Opening question")
        mux.keys("ana", "F3")
        mux.wait_for("ana", "Who do you create value for?")
        _new_segment(mux)
        mux.keys("ana", "typed after", literal=True)
        wait_until(lambda: "typed after" in _segments(sessions_dir), 20, "the typed segment")
    first, second = _segments(sessions_dir)
    assert 1000 < len(first) <= 10_000
    assert pasted.startswith(first)
    assert second == "typed after"
    assert "~" not in first and "[" not in first and "O" not in first


def _through(cut: PasteAwareCut, chunks: list[bytes], budget: int) -> bytes:
    left = budget

    def allow(wanted: int) -> int:
        nonlocal left
        granted = min(wanted, left)
        left -= granted
        return granted

    passed = b"".join(cut.cut(chunk, allow)[0] for chunk in chunks)
    return passed + cut.release(allow)[0]


def test_the_cut_never_drops_a_paste_marker_even_split_over_reads() -> None:
    data = b"ab" + PASTE_START + b"x" * 1000 + PASTE_END + b"\x1bOQ"
    for size in (1, 2, 3, 5, 7, 64, 4096):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        out = _through(PasteAwareCut(), chunks, 10)
        assert out == b"ab" + PASTE_START + b"x" * 8 + PASTE_END, size


def test_the_cut_passes_everything_under_the_cap() -> None:
    data = b"hello" + PASTE_START + b"\x1bOQ inside" + PASTE_END + b"\x1b[2"
    for size in (1, 2, 3, 5, 7, 64, 4096):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert _through(PasteAwareCut(), chunks, 10_000) == data, size
