"""Example sessions shipped with bmc-tui, usable as templates (`bmc-tui new T --example NAME`)."""

from __future__ import annotations

from importlib import resources

from ..codec import parse_toml
from ..model import Session

EXAMPLES = ("platform", "subscription")


def load_example(name: str) -> Session:
    if name not in EXAMPLES:
        raise KeyError(name)
    data = resources.files(__package__).joinpath(f"{name}.toml").read_bytes()
    return parse_toml(data)


def list_examples() -> list[tuple[str, Session]]:
    return [(name, load_example(name)) for name in EXAMPLES]
