"""The one interface every rule kind implements, and the fields every rule shares."""
from __future__ import annotations

import re
import string
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, ClassVar, Iterable

from poalint.errors import PoalintError
from poalint.findings import Finding, Severity
from poalint.letter import Scope

if TYPE_CHECKING:
    from poalint.letter import Letter
    from poalint.nlp import Pipeline


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
        self.scope = Scope.parse(spec.get("scope"))
        self.profile: str = spec.get("profile", "poa")
        self.requires: frozenset[str] = frozenset(spec.get("requires", ()))
        self.include_quoted: bool = spec.get("include_quoted", False)
        self.examples: dict = spec.get("examples", {})
        #: The same rule with another profile's settings (``by_profile``), built by the loader.
        self.variants: dict[str, "Rule"] = {}
        for key in ("message", "suggestion"):
            self._check_fields(key)

    def error(self, message: str, key: str | None = None) -> PoalintError:
        return PoalintError(message, path=self.origin.path, line=self.origin.line,
                            key=f"rule {self.id}" + (f": {key}" if key else ""))

    def _check_fields(self, key: str) -> None:
        template = self.spec.get(key)
        if not template:
            return
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        except ValueError as exc:
            raise self.error(f"bad template ({exc})", key) from None
        unknown = names - self.fields
        if unknown:
            allowed = ", ".join(f"{{{f}}}" for f in sorted(self.fields)) or "none"
            raise self.error(f"unknown placeholder {{{sorted(unknown)[0]}}} (allowed: {allowed})", key)

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

    def for_profile(self, profile: str) -> "Rule":
        return self.variants.get(profile, self)

    def compile(self, pipeline: "Pipeline") -> None:
        """Build matchers once per run, for this pipeline. Kinds that match nothing skip this."""

    @abstractmethod
    def check(self, letter: "Letter") -> Iterable[Finding]:
        """The findings this rule makes on one letter."""
