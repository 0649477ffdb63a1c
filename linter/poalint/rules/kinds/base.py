"""The one interface every rule kind implements, and the fields every rule shares."""
from __future__ import annotations

import re
import string
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, ClassVar, Iterable, NamedTuple

from poalint.errors import PoalintError
from poalint.reporting.findings import Finding, Severity
from poalint.rules.matching.patterns import PatternSet
from poalint.analysis.letter import Scope

if TYPE_CHECKING:
    from poalint.analysis.blocks import BlockAnalysis
    from poalint.reading.document import Block
    from poalint.analysis.letter import Letter
    from poalint.analysis.pipeline import Pipeline


#: The widest field (or the longest precision) a message or suggestion may format.
MAX_FORMAT_WIDTH = 200
_ALIGNMENTS = ("<", ">", "=", "^")
#: The letter profiles a `poa` rule runs on: the letters that answer for a fault.
_RUNS_ON = {"poa": ("poa", "escalation")}

_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)\.\s+(?=[A-Z])")


@dataclass(frozen=True)
class Origin:
    """Where a rule was declared, for error messages and `poalint explain`.

    The line is found only when asked for: mapping YAML nodes to lines costs start-up time.
    """

    path: str
    pack: str
    find_line: Callable[[], int | None] = field(default=lambda: None, compare=False, repr=False)

    @property
    def line(self) -> int:
        return self.find_line() or 1


class ChecklistItem(NamedTuple):
    """A rule's line in the HTML report's required-content checklist (``checklist:``): what the
    rule finds missing, the section role whose heading shows where it is when present, and the
    rules whose findings mean that it is there but weak."""

    label: str
    section: str | None = None
    weak: tuple[str, ...] = ()


class SuggestionVariant(NamedTuple):
    """One of a rule's ``suggestions``: a suggestion for findings where its ``when`` matches, in
    letters about one of its ``reasons`` (when it names any)."""

    when: PatternSet | None
    text: str
    reasons: frozenset[str] = frozenset()

    def fits(self, letter: "Letter") -> bool:
        return not self.reasons or bool(self.reasons & set(letter.reasons))

    def spans(self, text: str, analysis: "BlockAnalysis") -> list[tuple[int, int]]:
        """Where its ``when`` matches in a block (a variant without one matches the whole block)."""
        return [(0, len(text))] if self.when is None else self.when.spans(text, analysis)


def _reasons(value) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value or ())


def _when(value) -> dict:
    """A variant's ``when`` as a pattern set: a list is shorthand for its phrases."""
    return {"phrases": value} if isinstance(value, list) else value


class Rule(ABC):
    """A compiled rule. Subclasses read their own keys from the validated YAML mapping."""

    kind: ClassVar[str]
    #: Names a message or suggestion may interpolate, e.g. ``{match}``.
    fields: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, spec: dict, origin: Origin):
        self.spec = spec
        self.origin = origin
        self.id: str = spec["id"]
        self.severity = Severity.parse(spec["severity"])
        self.message: str = spec["message"]
        self.description: str = spec["description"]
        self.suggestion: str | None = spec.get("suggestion")
        self.suggestions = [SuggestionVariant(PatternSet(_when(variant["when"]), f"{self.id}:suggestions:{i}")
                                              if "when" in variant else None,
                                              variant["text"], _reasons(variant.get("reason")))
                            for i, variant in enumerate(spec.get("suggestions", ()))]
        self.scope = Scope.parse(spec.get("scope"))
        self.profile: str = spec.get("profile", "any")
        #: The suspension reason the rule is for (it runs only on letters about it), or None: every letter.
        self.reason: str | None = spec.get("reason")
        self.checklist = ChecklistItem(**{**spec["checklist"], "weak": tuple(spec["checklist"].get("weak", ()))}) \
            if "checklist" in spec else None
        self.requires: frozenset[str] = frozenset(spec.get("requires", ()))
        self.include_quoted: bool = spec.get("include_quoted", False)
        self.examples: dict = spec.get("examples", {})
        #: The same rule with another profile's settings (``by_profile``), built by the loader.
        self.variants: dict[str, "Rule"] = {}
        #: (reason id, example) for each reason whose file gives one for the rule's role, with
        #: `reason_examples: true`; the rule set adds them (add_reason_examples).
        self.reason_examples: tuple[tuple[str, str], ...] = ()
        for key in ("message", "suggestion"):
            self.check_template(key)
        for i, variant in enumerate(self.suggestions):
            self.check_template(f"suggestions.{i}.text", variant.text)

    def error(self, message: str, key: str | None = None) -> PoalintError:
        return PoalintError(message, path=self.origin.path, line=self.origin.line,
                            key=f"rule {self.id}" + (f": {key}" if key else ""))

    def check_template(self, key: str, template: str | None = None) -> None:
        template = self.spec.get(key) if template is None else template
        if not template:
            return
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(template)
                      if name is not None]
        except ValueError as exc:
            raise self.error(f"bad template ({exc})", key) from None
        for name, spec, conversion in fields:
            self._check_format(name, spec, conversion, key)
        unknown = {name for name, _, _ in fields} - self.fields
        if unknown:
            allowed = ", ".join(f"{{{f}}}" for f in sorted(self.fields)) or "none"
            raise self.error(f"unknown placeholder {{{sorted(unknown)[0]}}} (allowed: {allowed})", key)

    def _check_format(self, name: str, spec: str, conversion: str | None, key: str) -> None:
        """A field's format stays small: a message is one line of a report, and a width such as
        ``{match:>1900000000}`` would print gigabytes (or exhaust memory building them)."""
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if conversion not in (None, "r", "s", "a"):
            raise self.error(f"the format {shown} has an unknown conversion (use !r, !s or !a)", key)
        if "{" in spec or "}" in spec:
            raise self.error(f"the format {shown} takes a field from the values; a message's formats are fixed", key)
        # The fill character may be a digit; after it (and the alignment) come only flags, width,
        # grouping, precision and type, so every number left is a width or a precision.
        numbers = spec[2:] if spec[1:2] in _ALIGNMENTS else spec[1:] if spec[:1] in _ALIGNMENTS else spec
        widths = (digits.lstrip("0") or "0" for digits in re.findall(r"\d+", numbers))
        if any(len(width) > 3 or int(width) > MAX_FORMAT_WIDTH for width in widths):  # int() of 5,000 digits raises
            raise self.error(f"the format {shown} is too wide (widths and precisions up to {MAX_FORMAT_WIDTH})", key)

    def render(self, template: str | None, **values) -> str | None:
        try:
            return template.format(**values) if template else template
        except (ValueError, TypeError) as exc:  # a format spec that does not suit the value, e.g. {match:.0f}
            raise self.error(f"cannot format the message: {exc}", "message") from None

    @property
    def summary(self) -> str:
        """The description's first sentence."""
        first = _SENTENCE_END.split(" ".join(self.description.split()), maxsplit=1)[0]
        return first.rstrip(".") + "."

    def applies_to(self, profile: str, reasons: tuple[str, ...] = ()) -> bool:
        """Whether the rule runs on letters of ``profile`` about ``reasons``. The one place that
        says so: `any` rules (a rule file that names no profile) run on every letter; `poa` rules
        on the letters that answer for a fault, POAs and escalations; `escalation` and `request`
        rules on their own profile's letters only; a suspension reason's rules only on letters
        about it."""
        if self.reason is not None and self.reason not in reasons:
            return False
        return self.profile == "any" or profile in _RUNS_ON.get(self.profile, (self.profile,))

    def add_reason_examples(self, examples: tuple[tuple[str, str], ...]) -> None:
        """Each reason's example, after the rule's own variants, in this rule and in its
        profiles' variants that keep `reason_examples`."""
        if not self.spec.get("reason_examples"):
            return
        self.reason_examples = examples
        self.suggestions = [*self.suggestions, *(SuggestionVariant(None, text, frozenset({reason}))
                                                 for reason, text in examples)]
        for variant in self.variants.values():
            variant.add_reason_examples(examples)

    def for_profile(self, profile: str) -> "Rule":
        return self.variants.get(profile, self)

    def compile(self, pipeline: "Pipeline") -> None:
        """Build matchers once per run, for this pipeline: here, those of the suggestion variants;
        kinds that match text extend this."""
        for i, variant in enumerate(self.suggestions):
            if variant.when is None:
                continue
            try:
                variant.when.compile(pipeline)
            except ValueError as exc:
                raise self.error(str(exc), f"suggestions.{i}.when") from None

    def suggestion_for(self, letter: "Letter", block: "Block | None" = None, analysis: "BlockAnalysis | None" = None,
                       start: int = 0, end: int = 0) -> str | None:
        """The suggestion (a template) for one finding: of the variants for the letter's reasons,
        the first whose ``when`` matches in the match [start, end) of ``block``, else the first
        that matches in the sentence that holds it; for a finding about the letter or a part of it
        (no ``block``), the first that matches anywhere in the letter; else the rule's ``suggestion``."""
        variants = [variant for variant in self.suggestions if variant.fits(letter)]
        if not variants:
            return self.suggestion
        if block is None:
            blocks = letter.blocks(Scope(), quoted=True)
            for variant in variants:
                if any(variant.spans(b.text, a) for b, a in blocks):
                    return variant.text
            return self.suggestion
        start, end = start - block.start, end - block.start
        found = [variant.spans(block.text, analysis) for variant in variants]
        sentence = next(((lo, hi) for lo, hi in (analysis.text_span(s.start, s.end) for s in analysis.sentences)
                         if lo <= start < hi), (start, end))
        for lo, hi in ((start, end), sentence):
            for variant, spans in zip(variants, found):
                if any(lo <= s and e <= hi for s, e in spans):
                    return variant.text
        return self.suggestion

    @abstractmethod
    def check(self, letter: "Letter") -> Iterable[Finding]:
        """The findings this rule makes on one letter."""
