"""JSON: the stable contract documented in docs/json-output.md."""
from __future__ import annotations

from poalint.reporting.formats import summary
from poalint.reporting.formats.encoding import json_text


def _finding(finding, result) -> dict:
    """A finding's fields; for a .docx letter also the Word paragraph it starts in."""
    data = finding.to_dict()
    paragraph = result.paragraph_position(finding.start)
    if paragraph:
        data["paragraph"] = paragraph[0]
    return data


def document(results, context) -> dict:
    return {
        "version": context.version,
        "files": [
            {
                "path": r.path,
                "profile": r.profile,
                "profile_reason": r.profile_reason,
                "reason": r.reasons[0] if r.reasons else None,
                "reasons": list(r.reasons),
                "reason_source": r.reason_source,
                "score": r.score,
                "metrics": r.metrics,
                "findings": [_finding(f, r) for f in r.findings],
                **({"error": r.error, "skipped": r.skipped} if r.error else {}),
            }
            for r in results
        ],
        "summary": summary(results),
    }


def render(results, context) -> str:
    return json_text(document(results, context))
