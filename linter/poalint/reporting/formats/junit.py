"""JUnit XML: a test suite per letter and a test case per active rule, for CI test-report views."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

# XML 1.0 cannot carry most control characters, even escaped; a letter's text may contain them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _suite(parent, result, rules) -> tuple[int, int, int]:
    """Adds the file's suite; returns its (tests, failures, errors)."""
    suite = ET.SubElement(parent, "testsuite", name=_clean(result.path))
    if result.error:
        case = ET.SubElement(suite, "testcase", classname=_clean(result.path), name="read")
        ET.SubElement(case, "error", type="unreadable", message=_clean(result.error))
        counts = (1, 0, 1)
    else:
        properties = ET.SubElement(suite, "properties")
        for name, value in (("profile", result.profile), ("profile_reason", result.profile_reason),
                            ("reasons", ",".join(result.reasons)), ("reason_source", result.reason_source)):
            if value:
                ET.SubElement(properties, "property", name=name, value=_clean(value))
        active = {r.id for r in rules if r.applies_to(result.profile, result.reasons)}
        by_rule: dict[str, list] = {rule_id: [] for rule_id in active}
        for f in result.findings:
            by_rule.setdefault(f.rule, []).append(f)
        for rule_id, found in sorted(by_rule.items()):
            case = ET.SubElement(suite, "testcase", classname=_clean(result.path), name=rule_id)
            if found:
                failure = ET.SubElement(case, "failure", type=max(f.severity for f in found).label,
                                        message=_clean(found[0].message))
                failure.text = _clean("\n".join(f"{f.line}:{f.column}: {f.severity.label} {f.message}"
                                                for f in found))
        counts = (len(by_rule), sum(1 for found in by_rule.values() if found), 0)
    suite.set("tests", str(counts[0]))
    suite.set("failures", str(counts[1]))
    suite.set("errors", str(counts[2]))
    return counts


def render(results, context) -> str:
    root = ET.Element("testsuites", name="poalint")
    totals = [0, 0, 0]
    for result in results:
        totals = [a + b for a, b in zip(totals, _suite(root, result, context.rules))]
    for key, value in zip(("tests", "failures", "errors"), totals):
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
