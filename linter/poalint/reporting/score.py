"""The readiness score: 0–100 per letter, from its findings and the weights declared in YAML.

The weights come from the ``score:`` key of rule files (the built-in ``rules/score.yaml``, then any
extra pack that declares one) and finally from ``score:`` in the configuration; each later source
overrides the keys it names (``per_severity`` and ``per_rule`` entry by entry). See docs/score.md.

    score = clamp(start − Σ over rules of min(Σ weight of the rule's findings, cap of the rule))

A finding weighs ``per_rule[rule]`` when the rule is listed there (a number, or
``{weight: N, max: M}`` to give the rule its own cap), otherwise ``per_severity`` of the finding's
own severity. A rule's cap is its own ``max`` or ``max_per_rule``, but never less than one
finding's weight, so a single missing root cause always costs its full weight while forty vague
phrases cost no more than the cap.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Used only when no rule file declares ``score:`` (the built-in rules/score.yaml always does).
DEFAULTS = {"start": 100, "per_severity": {"error": 15, "warning": 4, "info": 1}, "per_rule": {},
            "max_per_rule": 20}


@dataclass(frozen=True)
class ScoreWeights:
    start: float = DEFAULTS["start"]
    per_severity: dict = field(default_factory=lambda: dict(DEFAULTS["per_severity"]))
    per_rule: dict = field(default_factory=dict)
    max_per_rule: float = DEFAULTS["max_per_rule"]

    @classmethod
    def from_mappings(cls, *mappings: dict | None) -> "ScoreWeights":
        """The weights of several ``score:`` mappings, each overriding the ones before it."""
        merged = {"start": DEFAULTS["start"], "per_severity": dict(DEFAULTS["per_severity"]), "per_rule": {},
                  "max_per_rule": DEFAULTS["max_per_rule"]}
        for mapping in mappings:
            for key, value in (mapping or {}).items():
                merged[key] = {**merged[key], **value} if isinstance(value, dict) else value
        return cls(merged["start"], merged["per_severity"], merged["per_rule"], merged["max_per_rule"])

    def weight(self, finding) -> float:
        if finding.rule in self.per_rule:
            setting = self.per_rule[finding.rule]
            if not isinstance(setting, dict):
                return float(setting)
            if "weight" in setting:
                return float(setting["weight"])
        return float(self.per_severity.get(finding.severity.label, 0))

    def cap(self, rule: str) -> float:
        setting = self.per_rule.get(rule)
        return float(setting["max"] if isinstance(setting, dict) and "max" in setting else self.max_per_rule)

    def deductions(self, findings) -> dict[str, float]:
        """Points each rule takes off, after its cap; rules that cost nothing are left out."""
        weights: dict[str, list[float]] = {}
        for finding in findings:
            weights.setdefault(finding.rule, []).append(self.weight(finding))
        out = {}
        for rule, found in weights.items():
            cost = min(sum(found), max(self.cap(rule), max(found)))
            if cost > 0:
                out[rule] = cost
        return out

    def score(self, findings) -> int:
        value = self.start - sum(self.deductions(findings).values())
        return int(max(0, min(100, math.floor(value + 0.5))))  # half up, not to even
