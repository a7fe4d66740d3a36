"""The HTML page in a real browser: the canvas prints on one landscape page, nothing loads.

Runs headless Chromium (Debian: `apt-get install chromium`). Skipped where Chromium is
missing, except in CI (the CI variable is set), where a missing browser is a failure.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bmc_tui.examples import load_example
from bmc_tui.export.html import render_html
from bmc_tui.model import Session

from .conftest import hostile_session

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-pdf-header-footer",
)


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is required in CI: apt-get install -y chromium")
    pytest.skip("Chromium is not installed (apt-get install -y chromium)")


@pytest.fixture
def browser() -> str:
    return _browser()


def print_pdf(browser: str, page: str, tmp_path: Path, name: str) -> bytes:
    html_file = tmp_path / f"{name}.html"
    html_file.write_text(page, encoding="utf-8")
    pdf = tmp_path / f"{name}.pdf"
    subprocess.run(
        [
            browser,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            html_file.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=90,
    )
    return pdf.read_bytes()


def pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in points, from its MediaBox."""
    count = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes, "no MediaBox in the PDF"
    sizes = [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]
    return sizes[:1] * count if len(sizes) < count else sizes[:count]


@pytest.mark.parametrize(
    "session", [load_example("platform"), load_example("subscription"), hostile_session()],
    ids=["platform", "subscription", "hostile"],
)  # fmt: skip
def test_canvas_prints_on_one_landscape_page(
    browser: str, session: Session, tmp_path: Path
) -> None:
    page = render_html(session, canvas_only=True)
    sizes = pages(print_pdf(browser, page, tmp_path, "canvas"))
    assert len(sizes) == 1, f"the canvas took {len(sizes)} pages"
    width, height = sizes[0]
    assert width > height, f"not landscape: {width} x {height} pt"


def test_full_report_starts_with_the_canvas_page(browser: str, tmp_path: Path) -> None:
    session = load_example("platform")
    full = pages(print_pdf(browser, render_html(session), tmp_path, "full"))
    assert len(full) > 1
    assert all(w > h for w, h in full)


class _Hits(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (_Hits,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_browser_makes_no_request(
    browser: str, tmp_path: Path, listener: tuple[str, list[str]]
) -> None:
    base, hits = listener
    # A control page proves the browser would fetch from the listener if a page asked it to.
    control = f'<!DOCTYPE html><img src="{base}/control.gif">'
    print_pdf(browser, control, tmp_path, "control")
    assert hits == ["/control.gif"]
    hits.clear()

    session = hostile_session()
    bait = (
        f'<img src="{base}/img"> "><img src={base}/attr> <link rel=stylesheet href={base}/css>'
        f" </style><style>@import url({base}/import);</style> <iframe src={base}/frame>"
    )
    session.title = bait
    session.canvas.customer_segments[0].text = bait
    session.social.answers["check.strengths"] = bait
    print_pdf(browser, render_html(session), tmp_path, "bait")
    assert hits == []
