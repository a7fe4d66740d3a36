"""bmc-tui: a terminal workshop for business models, strategy and plan."""

__version__ = "0.1.0"
