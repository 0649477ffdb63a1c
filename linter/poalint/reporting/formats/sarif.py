"""SARIF 2.1.0: one run, for GitHub code scanning and other SARIF viewers."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from poalint.reporting.findings import Severity
from poalint.reporting.formats.encoding import json_text

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HOME = "https://github.com/poalint/poalint"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _artifact(path: str) -> dict:
    # A SARIF uri must be a URI reference: absolute paths become file: URIs, and relative ones are
    # percent-encoded (a space, or a colon that would read as a scheme) and resolved against %SRCROOT%.
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path.replace("\\", "/"), safe="/"), "uriBaseId": "%SRCROOT%"}


def _rule(rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(rule.description.split())},
        "helpUri": f"{HOME}/blob/main/docs/rules.md#{rule.id}",
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"kind": rule.kind, "pack": rule.origin.pack, "profile": rule.profile},
    }


def _result(file, finding, index: dict) -> dict:
    path = file.path
    region = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "charOffset": finding.start,
        "charLength": finding.end - finding.start,
    }
    if finding.text is not None:
        region["snippet"] = {"text": finding.text}
    message = finding.message + (f" Fix: {finding.suggestion}" if finding.suggestion else "")
    result = {"ruleId": finding.rule}
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    result.update({
        "level": _LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(path), "region": region}}],
    })
    paragraph = file.paragraph_position(finding.start)
    if paragraph:  # a .docx letter: where the finding is in Word's terms
        result["properties"] = {"paragraph": paragraph[0], "paragraphColumn": paragraph[1]}
    return result


def document(results, context) -> dict:
    rules = sorted(context.rules, key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(rules)}
    unread = [r for r in results if r.error]
    invocation = {"executionSuccessful": not unread}
    if unread:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": r.error},
             "locations": [{"physicalLocation": {"artifactLocation": _artifact(r.path)}}]}
            for r in unread
        ]
    run = {
        "tool": {"driver": {"name": "poalint", "version": context.version, "informationUri": HOME,
                            "rules": [_rule(rule) for rule in rules]}},
        "invocations": [invocation],
        # poalint's columns and offsets count code points, not SARIF's default UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "results": [_result(r, f, index) for r in results for f in r.findings],
        # The readiness score of each letter linted (docs/score.md), keyed by its path as given.
        "properties": {"scores": {r.path: r.score for r in results if r.error is None and r.score is not None},
                       # Each letter's profile and why (docs/json-output.md, `profile_reason`).
                       "profiles": {r.path: {"profile": r.profile, "reason": r.profile_reason}
                                    for r in results if r.error is None},
                       # The suspension reasons each letter was linted for, and why (`reasons`, `reason_source`).
                       "reasons": {r.path: {"reasons": list(r.reasons), "source": r.reason_source}
                                   for r in results if r.error is None}},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(results, context) -> str:
    return json_text(document(results, context))
