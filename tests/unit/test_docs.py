"""docs/rules.md and docs/session-format.md are the project's reference: keep them true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bmc_tui.codec import SessionFormatError, parse_toml
from bmc_tui.model import BLOCKS, LINK_SCHEMA
from bmc_tui.rules import RULES, evaluate

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _documented_rules() -> dict[str, str]:
    text = (DOCS / "rules.md").read_text("utf-8")
    rows = re.findall(r"^\| `([a-z]+\.[a-z-]+)` \| (error|warning|info) \|", text, re.M)
    ids = [rule for rule, _ in rows]
    assert len(ids) == len(set(ids)), "a rule is documented twice"
    return dict(rows)


def test_every_rule_of_the_engine_is_in_docs_rules_md_and_the_reverse() -> None:
    documented = _documented_rules()
    engine = {rule.id: rule.severity for rule in RULES}
    assert set(engine) - set(documented) == set(), "rules missing from docs/rules.md"
    assert set(documented) - set(engine) == set(), "docs/rules.md lists rules the engine lacks"
    assert documented == engine, "a severity differs"


def test_every_documented_rule_says_when_it_fires_and_why() -> None:
    text = (DOCS / "rules.md").read_text("utf-8")
    for line in text.splitlines():
        if re.match(r"^\| `[a-z]+\.[a-z-]+` \|", line):
            cells = [c.strip() for c in line.strip("|").split("|")]
            assert len(cells) == 4 and all(cells), line


def _format_doc() -> str:
    return (DOCS / "session-format.md").read_text("utf-8")


def test_the_session_format_page_names_every_block_and_link() -> None:
    text = _format_doc()
    for block in BLOCKS:
        assert f"`{block}`" in text, block
    for kind, links in LINK_SCHEMA.items():
        for link in links:
            assert f"`{link}`" in text, (kind, link)
    for key in ("currency", "pays", "monthly", "checklist", "buyers", "propositions"):
        assert f"`{key}`" in text and "*1.1*" in text, key


def test_the_example_on_the_session_format_page_reads_and_uses_the_1_1_keys() -> None:
    example = _format_doc().split("```toml\n", 1)[1].split("```", 1)[0]
    session = parse_toml(example.encode())
    assert session.currency == "EUR"
    assert session.canvas.revenue_streams[0].monthly == 9500
    rules = {f.rule for f in evaluate(session)}
    assert "practices.checklist-task" not in rules  # not kept: only a candidate


def test_the_error_quoted_on_the_session_format_page_is_the_real_one() -> None:
    quoted = re.search(r"`(canvas\.revenue_streams\[0\]\.monthly: [^`]+)`", _format_doc())
    assert quoted is not None
    body = (
        'format = "bmc-tui.session"\nversion = 1\nid = "s"\ntitle = "t"\n'
        '[[canvas.revenue_streams]]\nid = "rs"\ntext = "x"\nmonthly = -5\n'
    )
    with pytest.raises(SessionFormatError) as error:
        parse_toml(body.encode())
    assert str(error.value) == quoted.group(1)


@pytest.mark.parametrize("path", ["README.md", "sessions/README.md"])
def test_readmes_point_at_the_projects_own_docs(path: str) -> None:
    text = (ROOT / path).read_text("utf-8")
    assert "shared/" not in text
    assert "session-format.md" in text


def test_nothing_shipped_points_outside_the_project() -> None:
    places = [ROOT / "README.md", ROOT / "sessions" / "README.md"]
    places += sorted(DOCS.glob("*.md")) + sorted((ROOT / "bmc_tui").rglob("*.py"))
    offenders = [str(p.relative_to(ROOT)) for p in places if "shared/" in p.read_text("utf-8")]
    assert offenders == []
