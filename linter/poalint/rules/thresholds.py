"""``min``/``max`` limits: a number (the rule's severity) or a mapping severity → number."""
from __future__ import annotations

from poalint.reporting.findings import Severity


def parse_limits(value, default: Severity) -> list[tuple[float, Severity]]:
    if value is None:
        return []
    if isinstance(value, dict):
        return sorted(((limit, Severity.parse(sev)) for sev, limit in value.items()), key=lambda p: p[1])
    return [(value, default)]


def breach(value: float, maximums, minimums) -> tuple[float, Severity, str] | None:
    """The most severe limit that ``value`` crosses: (limit, severity, "max"|"min"), or None."""
    crossed = [(limit, sev, "max") for limit, sev in maximums if value > limit]
    crossed += [(limit, sev, "min") for limit, sev in minimums if value < limit]
    return max(crossed, key=lambda c: c[1]) if crossed else None
