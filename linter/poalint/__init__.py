"""poalint: a linter for Amazon seller appeal letters (Plans of Action and escalations)."""

__version__ = "0.1.0"
