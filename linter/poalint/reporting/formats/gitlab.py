"""GitLab Code Quality: the JSON list of issues that merge requests show as a widget."""
from __future__ import annotations

import hashlib
from collections import Counter

from poalint.reporting.findings import Severity
from poalint.reporting.formats.encoding import json_text

_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _issue(path: str, check: str, severity: str, description: str, key: str, seen: Counter, lines: tuple) -> dict:
    # GitLab matches issues across pipelines by fingerprint, so it leaves out line numbers (an edit
    # above a finding must not make it "new"); the count keeps repeats of one phrase apart.
    path = path.replace("\\", "/")
    n = seen[(check, key)]
    seen[(check, key)] += 1
    fingerprint = hashlib.sha256(f"{path}\0{check}\0{key}\0{n}".encode()).hexdigest()
    return {
        "description": description,
        "check_name": check,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": path, "lines": {"begin": lines[0], "end": lines[1]}},
        "categories": ["Style"],
        "type": "issue",
    }


def document(results, context) -> list:
    issues = []
    for result in results:
        seen: Counter = Counter()
        if result.error:
            # No place for "could not lint" in this format: an issue keeps it visible in the widget.
            issues.append(_issue(result.path, "poalint/unreadable-file", "major",
                                 f"Could not read the letter: {result.error}", result.error, seen, (1, 1)))
        for f in result.findings:
            key = f.text if f.text is not None else f.message
            issues.append(_issue(result.path, f.rule, _SEVERITIES[f.severity], f.message, key, seen,
                                 (f.line, f.end_line)))
    return issues


def render(results, context) -> str:
    return json_text(document(results, context))
