"""The engine: Document → spaCy Docs → compiled rules → Findings, for one letter at a time."""
from __future__ import annotations


from poalint.reading.document import Document
from poalint.reporting.findings import PSEUDO_RULES, FileResult, Finding
from poalint.rules.kinds.base import Rule
from poalint.rules.kinds.metric import COUNTS
from poalint.analysis.letter import Letter
from poalint.analysis.pipeline import Pipeline
from poalint.rules.ruleset import RuleSet
from poalint.rules import suppressing


#: The pseudo-rule of the reader's notes about a letter (e.g. its encoding).
_NOTE = PSEUDO_RULES["encoding"]


def note_findings(document: Document) -> list[Finding]:
    """The reader's notes, as info findings at line 1; no rule setting turns them off."""
    end = len(document.line_text(1))
    return [Finding(0, end, 1, 1, 1, end + 1, _NOTE.id, _NOTE.severity, note)
            for note in dict.fromkeys(document.notes)]


class Linter:
    """Compiles the rule set once for a pipeline, then lints any number of letters."""

    def __init__(self, ruleset: RuleSet, pipeline: Pipeline, require_suppression_reason: bool = False):
        self.ruleset = ruleset
        self.pipeline = pipeline
        self.require_suppression_reason = require_suppression_reason
        for rule in ruleset.rules:
            for compiled in (rule, *rule.variants.values()):
                compiled.compile(pipeline)

    def lint(self, document: Document, *profiles: str | None, only: list[Rule] | None = None,
             adjust=None, reasons: tuple[tuple[str, ...] | None, ...] = ()) -> FileResult:
        """Lint one letter with the rules active for its profile and suspension reasons (or ``only``
        these); ``adjust`` may change that list for this letter (its front-matter options).
        ``profiles``: the profiles asked for, first the one that wins (RuleSet.letter_profile);
        ``reasons``: the reasons asked for, likewise (RuleSet.letter_reasons)."""
        profile, profile_reason = self.ruleset.letter_profile(document.source, *profiles)
        about = self.ruleset.letter_reasons(document.source, *reasons)
        rules = self.ruleset.active(profile, about.ids) if only is None else [r.for_profile(profile) for r in only]
        if adjust is not None:
            rules = adjust(rules)
        findings: set[Finding] = set()
        with self.pipeline.analysed(document) as analysed:
            letter = Letter(document, analysed, reasons=about.ids)
            letter.metrics.update({name: count(analysed) for name, count in COUNTS.items()})
            for rule in rules:
                findings.update(f for f in rule.check(letter)
                                if f.text is None or not document.in_variable(f.start, f.end))
        findings = suppressing.apply(findings, letter, self.ruleset.known_ids, {r.id for r in rules},
                                      self.require_suppression_reason)
        findings.update(note_findings(document))
        weights = self.ruleset.score
        return FileResult(document.path, profile, dict(letter.metrics), tuple(sorted(findings)),
                          paragraph_spans=tuple(document.paragraph_spans), score=weights.score(findings),
                          score_start=weights.start, deductions=tuple(weights.deductions(findings).items()),
                          headings=tuple((s.role, s.heading.start) for s in document.sections
                                         if s.heading is not None), profile_reason=profile_reason,
                          reasons=about.ids, reason_source=about.source)
