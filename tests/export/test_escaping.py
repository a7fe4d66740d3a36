"""Hostile participant text is inert in every format: no markup, no script, no escapes."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from bmc_tui.export import render
from bmc_tui.export.diff import Paint, diff_json, diff_sessions, format_text
from bmc_tui.export.jsonexport import dumps
from bmc_tui.model import Item, Session

from .conftest import BIG, PAYLOAD, hostile_session

RAW_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "section", "div", "span",
    "h1", "h2", "h3", "h4", "p", "ul", "li", "strong", "em", "br",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRS = {"lang", "charset", "http-equiv", "content", "name", "class"}


class TagAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def audit(page: str) -> TagAudit:
    parser = TagAudit()
    parser.feed(page)
    parser.close()
    return parser


def assert_no_controls(text: str) -> None:
    assert "\x1b" not in text
    found = RAW_CONTROLS.search(text)
    assert found is None, f"raw control {found.group()!r} at {found.start()}"


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    session = hostile_session()
    return {fmt: render(session, fmt) for fmt in ("md", "html", "json")}


def test_html_has_only_our_markup(outputs: dict[str, str]) -> None:
    page = outputs["html"]
    result = audit(page)
    assert {tag for tag, _ in result.tags} <= ALLOWED_TAGS
    for tag, attrs in result.tags:
        for name, value in attrs:
            assert name in ALLOWED_ATTRS, (tag, name)
            assert "javascript" not in (value or "").lower()
    assert len(result.styles) == 1, "participant text must not open or close a <style>"
    assert re.search(r"<\s*script", page, re.I) is None
    assert re.search(r"<\s*img", page, re.I) is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_loads_nothing(outputs: dict[str, str]) -> None:
    # Hostile text may *read* "src=" (escaped, as text): only real attributes matter here.
    result = audit(outputs["html"])
    urls = [value for _, attrs in result.tags for _, value in attrs if value and "//" in value]
    assert urls == []
    css = result.styles[0]
    assert "url(" not in css and "@import" not in css
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\''
        in outputs["html"]
    )


def test_markdown_renders_no_links_images_or_html(outputs: dict[str, str]) -> None:
    md = MarkdownIt("gfm-like", {"linkify": True}).enable("table")
    md.linkify.set({"fuzzy_link": False})  # like GitHub: scheme:// and www. only
    rendered = md.render(outputs["md"])
    for forbidden in ("<a ", "<img", "<script", "<style", "<code", "<del", "<b>", "<hr"):
        assert forbidden not in rendered, forbidden
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "[x](http://evil)" in rendered


def test_markdown_tables_keep_their_columns(outputs: dict[str, str]) -> None:
    md = MarkdownIt("gfm-like").enable("table")
    tokens = md.parse(outputs["md"])
    widths: list[int] = []
    cells = 0
    for token in tokens:
        if token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            widths.append(cells)
    plan_rows = [w for w in widths if w == 10]
    assert len(plan_rows) == 2  # the header and the one plan item
    assert set(widths) <= {2, 10}
    for line in outputs["md"].splitlines():
        if line.startswith("|"):
            unescaped = re.findall(r"(?<!\\)\|", line.replace("\\\\", ""))
            assert len(unescaped) in (3, 11), line[:120]


def test_no_raw_controls_anywhere(outputs: dict[str, str]) -> None:
    for text in outputs.values():
        assert_no_controls(text)


def test_json_keeps_the_text_exactly(outputs: dict[str, str]) -> None:
    doc = json.loads(outputs["json"])
    assert doc["title"] == PAYLOAD
    assert doc["social"]["answers"]["check.big"] == BIG
    assert "\\u001b" in outputs["json"] and "\\u009b" in outputs["json"]


def test_big_answer_is_in_the_report_once_whole(outputs: dict[str, str]) -> None:
    assert outputs["md"].count(BIG) >= 1
    assert outputs["html"].count(BIG) >= 1


def test_diff_output_is_inert() -> None:
    old = Session(id="a", title="Old")
    new = hostile_session()
    new.canvas.channels.append(Item(id="\x1b[2J", text=PAYLOAD))
    result = diff_sessions(old, new)
    text = format_text(result, PAYLOAD, "\x1b]0;x\x07b.toml", Paint(False))
    assert_no_controls(text)
    assert_no_controls(format_text(result, "a", "b", Paint(True)).replace("\x1b[", ""))
    assert_no_controls(dumps(diff_json(result, "a", "b")))


@pytest.mark.parametrize(
    "text",
    [
        "Crumb & Co",
        "Bread for the night shift (nights)",
        "0.5% on card payments",
        "snake_case and file_name.txt",
        "About $5 a loaf",
        "~200 loaves",
        "Cakes! Pies? Tarts: yes; 3 - 2 = 1 # not a heading",
        "Bread > cake, and 2 + 2",
        "C:\\bakery",
        "a | b in a sentence",
    ],
)
def test_markdown_leaves_plain_prose_alone(text: str) -> None:
    """Only what Markdown would misread is escaped: prose reads as typed in `git diff`."""
    session = Session(id="crumb", title=text)
    session.canvas.customer_segments.append(Item(id="cs-1", text=text))
    md = render(session, "md")
    assert f"# {text}\n" in md
    assert f"- {text}\n" in md


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("*really* fresh", "\\*really\\* fresh"),
        ("_fresh_ bread", "\\_fresh\\_ bread"),
        ("~~old~~ new", "\\~\\~old\\~\\~ new"),
        ("$5 or $6", "\\$5 or \\$6"),
        ("Tom &amp; Co", "Tom \\&amp; Co"),
        ("[x](http://evil)", "\\[x\\](http\\://evil)"),
        ("1. first", "1\\. first"),
        ("# heading", "\\# heading"),
        ("> quote", "\\> quote"),
        ("|---|---|", "\\|---|---|"),
        ("back\\*slash", "back\\\\\\*slash"),
    ],
)
def test_markdown_escapes_what_it_would_misread(text: str, escaped: str) -> None:
    session = Session(id="crumb", title="T")
    session.canvas.customer_segments.append(Item(id="cs-1", text=text))
    assert f"- {escaped}\n" in render(session, "md")
