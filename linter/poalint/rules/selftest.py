"""`poalint test-rules`: every rule's embedded fail/pass examples, run like a test suite."""
from __future__ import annotations

from dataclasses import dataclass

from poalint.rules.engine import Linter
from poalint.rules.kinds.base import Rule
from poalint.reading import read_text


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    verdict: str  # "fail" or "pass": what the example expects
    index: int
    ok: bool
    detail: str


def example_source(example) -> tuple[str, str, str | None]:
    """(text, file name deciding the format, profile) of one example."""
    if isinstance(example, str):
        return example, "example.md", None
    text = "\n\n".join([example["text"]] * example.get("repeat", 1))
    name = "example.txt" if example.get("format") == "text" else "example.md"
    return text, name, example.get("profile")


def run_examples(linter: Linter, rules: list[Rule]) -> list[ExampleResult]:
    results = []
    for rule in rules:
        examples = rule.examples
        for verdict in ("fail", "pass"):
            if not examples.get(verdict):
                results.append(ExampleResult(rule.id, verdict, 0, False, f"has no {verdict} example"))
            for i, example in enumerate(examples.get(verdict, [])):
                text, name, profile = example_source(example)
                document = read_text(text, name, linter.ruleset.roles)
                result = linter.lint(document, profile or rule.profile, only=[rule])
                found = [f for f in result.findings if f.rule == rule.id]
                if verdict == "fail":
                    ok, detail = bool(found), "expected a finding, got none"
                else:
                    ok = not found
                    detail = "expected no finding, got: " + "; ".join(
                        f"{f.line}:{f.column} {f.text or f.message}" for f in found)
                results.append(ExampleResult(rule.id, verdict, i + 1, ok, "" if ok else detail))
    return results
