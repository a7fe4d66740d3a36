"""Alignment rules: `evaluate(session)` returns every finding of `alignment-rules.md`."""

from .base import SEVERITIES, Finding, Rule
from .engine import RULES, counts, evaluate, rule_by_id

__all__ = ["RULES", "SEVERITIES", "Finding", "Rule", "counts", "evaluate", "rule_by_id"]
