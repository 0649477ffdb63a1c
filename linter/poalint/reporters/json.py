"""JSON: the stable contract documented in docs/json-output.md."""
from __future__ import annotations

import json

from poalint.reporters import summary


def render(results, context) -> str:
    payload = {
        "version": context.version,
        "files": [
            {
                "path": r.path,
                "profile": r.profile,
                "metrics": r.metrics,
                "findings": [f.to_dict() for f in r.findings],
                **({"error": r.error} if r.error else {}),
            }
            for r in results
        ],
        "summary": summary(results),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
