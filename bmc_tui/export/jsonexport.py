"""The session as JSON: the TOML document's structure, plus the findings.

Shape: exactly the keys and nesting of the session file (``session_to_dict``: the spec's
keys in spec order, unknown keys kept), dates and date-times as ISO 8601 strings, and one
more top-level key, ``"findings"``: ``[{"rule", "severity", "message", "refs", "why"}]``
in the order of ``bmc-tui check``.

Text is kept exactly as written (this is data for tools, not a report), yet no control
character is ever written raw: JSON escapes C0 controls itself, and DEL and the C1
controls are written as ``\\u00XX`` too, so printing the file cannot drive a terminal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ..codec import session_to_dict
from ..model import Session
from ..rules import Finding, evaluate
from ._common import plain

# JSON leaves these raw when ensure_ascii is off; they can only occur inside strings.
_RAW_CONTROLS = re.compile("[\x7f-\x9f\u2028\u2029]")


def dumps(value: Any) -> str:
    """JSON that keeps non-ASCII text readable but never carries a raw control character."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def finding_json(finding: Finding) -> dict[str, Any]:
    return {**finding.as_json(), "why": finding.why}


def session_json(session: Session, findings: Sequence[Finding] | None = None) -> dict[str, Any]:
    if findings is None:
        findings = evaluate(session)
    doc: dict[str, Any] = plain(session_to_dict(session))
    doc["findings"] = [finding_json(f) for f in findings]
    return doc


def render_json(session: Session, findings: Sequence[Finding] | None = None) -> str:
    return dumps(session_json(session, findings))
