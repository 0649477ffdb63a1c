"""Measure the built-in rules against the labelled corpus (../shared/corpus by default).

    python benchmarks/corpus_quality.py [CORPUS_DIR]

Prints, per document-level judgement, how many letters agree with the labels, and for each
wording family its recall (labelled phrases hit by a finding of that family) and precision
(findings that fall on a labelled phrase), plus any finding on a tricky negative.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from poalint.config import Config
from poalint.rules.engine import Linter
from poalint.analysis.pipeline import Pipeline
from poalint.reading import read_file
from poalint.rules.ruleset import load_ruleset

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

#: label field → (rule whose *absence* of findings means the label is true)
JUDGEMENTS = {
    "has_root_cause": "missing-root-cause",
    "has_immediate_actions": "missing-corrective-actions",
    "has_preventive_measures": "missing-preventive-measures",
    "requests_senior_review": "missing-senior-review-request",
    "has_placeholders": "unfilled-placeholder",
}
#: families of wording rules → the label lists their findings should land on
FAMILIES = {
    "vague-wording": ("vague-wording", ["vague_phrases"]),
    "passive-evasion": ("passive-evasion", ["passive_evasions"]),
    "blame-emotion-threat": (("blame-shifting", "emotional-language", "threatening-language"), ["blame_or_emotional"]),
    "placeholders": ("unfilled-placeholder", ["placeholders"]),
}


@dataclass
class Report:
    letters: int = 0
    agreement: dict = field(default_factory=dict)  # field → [agreeing letters, disagreements]
    families: dict = field(default_factory=dict)   # family → dict(hit, labelled, on_label, findings, misses, stray)
    tricky: list = field(default_factory=list)


def spans_of(text: str, phrase: str) -> list[tuple[int, int]]:
    out, i = [], text.find(phrase)
    while i != -1:
        out.append((i, i + len(phrase)))
        i = text.find(phrase, i + 1)
    return out


def overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(corpus: Path) -> Report:
    labels = yaml.safe_load((corpus / "labels.yaml").read_text("utf-8"))
    ruleset = load_ruleset(Config())
    linter = Linter(ruleset, Pipeline.load(None))
    report = Report(letters=len(labels))
    # Rules that flag phrases (not sentences or whole letters) must stay off the tricky negatives.
    phrase_rules = {r.id for r in ruleset.rules if r.kind in ("existence", "substitution")}
    for name in [*JUDGEMENTS, "profile (auto-detected)"]:
        report.agreement[name] = [0, []]
    for family in FAMILIES:
        report.families[family] = {"hit": 0, "labelled": 0, "on_label": 0, "findings": 0, "misses": [], "stray": []}
    for name, label in sorted(labels.items()):
        document = read_file(corpus / "letters" / name, ruleset.roles)
        # Templates are POAs with holes; the escalation label decides the escalation profile.
        profile = "escalation" if label["kind"] == "escalation" else "poa"
        result = linter.lint(document, profile)
        fired = {f.rule for f in result.findings}
        detected = ruleset.detect_profile(document.source)
        if detected == profile:
            report.agreement["profile (auto-detected)"][0] += 1
        else:
            report.agreement["profile (auto-detected)"][1].append(name)
        for field_name, rule in JUDGEMENTS.items():
            if field_name == "requests_senior_review" and profile != "escalation":
                predicted = label[field_name]  # the rule does not run on first POAs
            elif field_name == "has_placeholders":
                predicted = rule in fired
            else:
                predicted = rule not in fired
            if predicted == label[field_name]:
                report.agreement[field_name][0] += 1
            else:
                report.agreement[field_name][1].append(name)
        text = document.source
        for family, (rules, fields) in FAMILIES.items():
            rules = (rules,) if isinstance(rules, str) else rules
            stats = report.families[family]
            phrases = [phrase for f in fields for phrase in label[f]]
            occurrences = [span for phrase in phrases for span in spans_of(text, phrase)]
            findings = [f for f in result.findings if f.rule in rules]
            stats["labelled"] += len(phrases)
            stats["findings"] += len(findings)
            for phrase in phrases:
                if any(overlaps(span, (f.start, f.end)) for span in spans_of(text, phrase) for f in findings):
                    stats["hit"] += 1
                else:
                    stats["misses"].append(f"{name}: {phrase!r}")
            for f in findings:
                if any(overlaps((f.start, f.end), span) for span in occurrences):
                    stats["on_label"] += 1
                else:
                    stats["stray"].append(f"{name}:{f.line} {f.rule} {f.text!r}")
        for phrase in label.get("tricky_negatives", []):
            for span in spans_of(text, phrase):
                for f in result.findings:
                    if f.rule in phrase_rules and overlaps(span, (f.start, f.end)):
                        report.tricky.append(f"{name}: {f.rule} on tricky negative {phrase!r}")
    return report


def ratio(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f} %)" if b else "n/a"


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "-v"]
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    report = evaluate(corpus)
    print("| judgement | letters agreeing with the labels | disagreements |\n|---|---|---|")
    for name, (agree, wrong) in report.agreement.items():
        print(f"| {name} | {agree}/{report.letters} | {', '.join(wrong) or '-'} |")
    print("\n| family | recall (labelled phrases hit) | precision (findings on a label) |\n|---|---|---|")
    for family, s in report.families.items():
        print(f"| {family} | {ratio(s['hit'], s['labelled'])} | {ratio(s['on_label'], s['findings'])} |")
    print(f"\nFindings on tricky negatives: {len(report.tricky)}")
    for line in report.tricky:
        print("  " + line)
    if "-v" in sys.argv[1:]:
        for family, s in report.families.items():
            for miss in s["misses"]:
                print(f"MISS  {family}: {miss}")
            for stray in s["stray"]:
                print(f"STRAY {family}: {stray}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
