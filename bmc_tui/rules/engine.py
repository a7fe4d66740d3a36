"""The alignment engine: one pure function from a session to its findings."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Session
from . import canvas, data, fitness, plan, practices, social, strategy
from .base import Context, Finding, Rule

# Every rule, in the order of the spec. To add a rule: write its check in the module of its
# step and list it in that module's RULES.
RULES: tuple[Rule, ...] = (
    *data.RULES,
    *social.RULES,
    *canvas.RULES,
    *practices.RULES,
    *strategy.RULES,
    *plan.RULES,
    *fitness.RULES,
)


def rule_by_id(rule_id: str) -> Rule:
    for rule in RULES:
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)


def evaluate(session: Session, rules: Iterable[Rule] = RULES) -> list[Finding]:
    """Every finding for the session, once each, sorted: severity, then rule id, then refs."""
    ctx = Context(session)
    seen: dict[tuple[str, str, tuple[str, ...]], Finding] = {}
    for rule in rules:
        for hit in rule.check(ctx):
            finding = Finding(
                rule=rule.id,
                severity=rule.severity,
                message=hit.message,
                refs=hit.refs,
                step=hit.step or rule.step,
                target=hit.target,
                why=rule.why,
            )
            seen.setdefault(finding.key, finding)
    return sorted(seen.values(), key=Finding.sort_key)


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    result = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        result[finding.severity] += 1
    return result
