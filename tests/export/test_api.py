"""The Python API the TUI calls: `render` and `write_export`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bmc_tui.export import ExportError, render, write_export
from bmc_tui.model import Session
from bmc_tui.store import StoreError


def test_render_every_format(harbor: Session) -> None:
    assert render(harbor, "md").startswith("# Harbor Coffee")
    assert render(harbor, "html").startswith("<!DOCTYPE html>")
    assert json.loads(render(harbor, "json"))["title"] == "Harbor Coffee"
    with pytest.raises(ValueError, match="unknown export format"):
        render(harbor, "pdf")


def test_canvas_only_page(harbor: Session) -> None:
    page = render(harbor, "html", canvas_only=True)
    assert 'class="canvas"' in page and "Strategyzer AG" in page
    assert "<main" not in page


def test_write_export_is_atomic(harbor: Session, tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    target.write_text("previous", encoding="utf-8")
    assert write_export(harbor, "html", target) == target
    assert target.read_text(encoding="utf-8") == render(harbor, "html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html", "sessions"]


def test_write_export_errors_are_one_line(harbor: Session, tmp_path: Path) -> None:
    with pytest.raises(ExportError) as caught:
        write_export(harbor, "md", tmp_path / "nope" / "x.md")
    assert isinstance(caught.value, StoreError)
    assert "nope/x.md" in str(caught.value) and "\n" not in str(caught.value)


def test_markdown_report_sections(harbor: Session) -> None:
    md = render(harbor, "md")
    for heading in (
        "## Social business model",
        "## Business Model Canvas",
        "### Key Partnerships",
        "## Core practices",
        "## Strategy",
        "## Plan",
        "## Marketing fitness",
        "## Findings",
        "### Errors",
    ):
        assert f"\n{heading}\n" in md, heading
    assert "*Why:* " in md
    # Links are shown by the names of the items they link.
    assert "Your usual order, ready as the ferry docks — *For:* Commuters on the 7:40 ferry" in md
    assert "*Supplies:* kr-beans (missing)" in md
