"""Output formats: one module each, all with ``render(results, context) -> str``."""
from __future__ import annotations

from dataclasses import dataclass

from poalint.findings import Severity

FORMATS = ("text", "json")


@dataclass(frozen=True)
class ReportContext:
    version: str
    color: bool = False
    quiet: bool = False
    sources: dict | None = None  # path → original text, for showing source lines


def summary(results) -> dict:
    counts = {s.label: 0 for s in sorted(Severity, reverse=True)}
    for result in results:
        for finding in result.findings:
            counts[finding.severity.label] += 1
    checked = sum(1 for r in results if r.error is None)
    return {**counts, "files": checked, "errors_reading": len(results) - checked}


def renderer(name: str):
    if name == "json":
        from poalint.reporters.json import render
    else:
        from poalint.reporters.text import render
    return render
