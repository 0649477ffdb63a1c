"""A RuleSet: the rules of every pack in play, configured, with the section roles and profiles."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from poalint.config import Config
from poalint.errors import PoalintError, unknown_rule_id
from poalint.rules.kinds.base import Rule
from poalint.regex import MAX_REGEX_LENGTH, RegexError, compile_regex
from poalint.rules.matching.patterns import MAX_RULES_PER_RUN
from poalint.rules.loader import RuleFile, build_rule, line_of, load_rule_file
from poalint.rules.packs import builtin_rules_dir, rule_files
from poalint.rules.reasons import LetterReasons, Markers, Reason, letter_reasons, opening, quoted
from poalint.reporting.findings import PSEUDO_RULES
from poalint.reporting.score import ScoreWeights
from poalint.reading.sections import OPENING, OTHER, SectionRoles

#: The profiles a letter can have: poa and escalation letters answer for a fault; a request (a
#: reimbursement claim, a request to a rights owner) admits none by design.
PROFILES = ("poa", "escalation", "request")
#: Where a profile asked for comes from, in order of precedence (Linter.lint's ``profiles``).
ASKED_BY = ("set by --profile", "front matter", "configuration")
#: The most of a marker's match a reason quotes.
_QUOTED = 60


class LetterProfile(NamedTuple):
    """A letter's profile, and why: "set by --profile", "front matter", "configuration" or
    "detected: …" with the marker's reason and the words that matched."""

    name: str
    reason: str


@dataclass(frozen=True)
class Marker:
    """Patterns (one RE2 program where it fits) and what a match shows about a letter, as a verb
    phrase ("claims a reimbursement"): reports print "detected: " and it."""

    patterns: tuple[re.Pattern, ...]
    reason: str

    def found(self, text: str) -> str | None:
        """The reason with the words that matched, or None."""
        for pattern in self.patterns:
            match = pattern.search(text)
            if match:
                words = quoted(" ".join(match.group(0).split()).strip("#*_> "), _QUOTED)
                return f"{self.reason} (“{words}”)" if self.reason else f"says “{words}”"
        return None


@dataclass(frozen=True)
class Detection:
    """How one profile is detected (rules/roles.yaml `profiles:`): a ``detect`` marker within the
    letter's first ``within`` words, and no ``unless`` marker anywhere in it."""

    detect: tuple[Marker, ...] = ()
    unless: tuple[Marker, ...] = ()
    within: int = 150

    @classmethod
    def parse(cls, spec: dict) -> "Detection":
        def markers(key: str) -> tuple[Marker, ...]:
            # A plain expression (the older form) is a marker without a reason of its own.
            return tuple(Marker(_any_of([m], ignore_case=True), "") if isinstance(m, str)
                         else Marker(_any_of(m["patterns"], ignore_case=True), m["reason"])
                         for m in spec.get(key, ()))
        return cls(markers("detect"), markers("unless"), spec.get("within_words", 150))


@dataclass
class RuleSet:
    rules: list[Rule]
    roles: SectionRoles
    #: How --profile auto detects each profile but poa, the default (rules/roles.yaml `profiles:`).
    detections: dict[str, Detection] = field(default_factory=dict)
    #: Every rule id loaded, including rules that --select/--ignore or settings leave out.
    known_ids: frozenset[str] = frozenset()
    #: The readiness score's weights: the rule files' `score:` keys, then the configuration's.
    score: ScoreWeights = field(default_factory=ScoreWeights)
    #: The suspension reasons the packs declare, by id (poalint.rules.reasons).
    reasons: dict[str, Reason] = field(default_factory=dict)

    def active(self, profile: str, reasons: tuple[str, ...] = ()) -> list[Rule]:
        """The rules for a letter of ``profile`` about ``reasons``: a reason's rules only when the
        letter is about it."""
        return [r.for_profile(profile) for r in self.rules if r.applies_to(profile, reasons)]

    def letter_reasons(self, source: str, *asked: tuple[str, ...] | None) -> LetterReasons:
        """The suspension reasons a letter is linted for, and why (poalint.rules.reasons)."""
        return letter_reasons(self._reason_markers, source, *asked)

    @cached_property
    def _reason_markers(self) -> Markers:
        return Markers(self.reasons)

    def by_id(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise PoalintError(unknown_rule_id(rule_id, {r.id for r in self.rules}))

    def detect_profile(self, source: str) -> LetterProfile:
        """The profile a letter presents itself with, near its start (title, first paragraph):
        escalation, else request, else poa; and why."""
        overridden = []
        for name in PROFILES[1:]:
            detection = self.detections.get(name)
            if detection is None:
                continue
            start = opening(source, detection.within)
            found = next(filter(None, (marker.found(start) for marker in detection.detect)), None)
            if found is None:
                continue
            veto = next(filter(None, (marker.found(source) for marker in detection.unless)), None)
            if veto is None:
                return LetterProfile(name, f"detected: {found}")
            overridden.append(f"{veto}, though its opening {found}")
        if overridden:
            return LetterProfile("poa", f"detected: {overridden[0]}")
        return LetterProfile("poa", "detected: nothing in its opening marks an escalation or a request")

    def letter_profile(self, source: str, *asked: str | None) -> LetterProfile:
        """The profile a letter is linted with, and why: the first profile ``asked`` for (in order
        of precedence, ASKED_BY: the --profile option, the letter's front matter, the
        configuration), detected from the letter's opening when that is "auto" or none is asked for."""
        for where, profile in zip(ASKED_BY, asked):
            if profile:
                return self.detect_profile(source) if profile == "auto" else LetterProfile(profile, where)
        return self.detect_profile(source)


def _files_from(locations: list[Path], pack_of, cache: Path | None) -> list[RuleFile]:
    files = []
    for location in locations:
        for path in rule_files(location):
            files.append(load_rule_file(path, pack_of(location, path), cache))
    return files


def _builtin_pack(root: Path, path: Path) -> str:
    return path.relative_to(root).parts[0] if path.parent != root else "builtin"


def _user_pack(location: Path, path: Path) -> str:
    return location.name if location.is_dir() else path.stem


def assemble(files: list[RuleFile]) -> RuleSet:
    roles: dict[str, list[str]] = {}
    detections: dict[str, dict] = {}
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    reasons: dict[str, Reason] = {}
    for rule_file in files:
        if rule_file.reason:
            declared = rule_file.reason["id"]
            if declared in reasons:
                raise PoalintError(f"reason {declared!r} is already declared in {reasons[declared].path}",
                                   path=str(rule_file.path), line=line_of(rule_file.path.read_text("utf-8"), ("reason", "id")),
                                   key="reason.id")
            reasons[declared] = Reason.parse(rule_file.reason, str(rule_file.path))
        for entry in rule_file.section_roles:
            roles.setdefault(entry["role"], []).extend(entry["aliases"])
        detections.update(rule_file.profiles)  # a later file's detection of a profile replaces an earlier one's
        for rule in rule_file.rules:
            if rule.id in seen:
                first = seen[rule.id].origin
                raise PoalintError(f"duplicate rule id (first defined at {first.path}:{first.line})",
                                   path=rule.origin.path, line=rule.origin.line, key=f"rule {rule.id}: id")
            seen[rule.id] = rule
            rules.append(rule)
            if len(rules) > MAX_RULES_PER_RUN:
                raise PoalintError(f"more than {MAX_RULES_PER_RUN:,} rules in this run (the limit)",
                                   path=rule.origin.path, line=rule.origin.line, key=f"rule {rule.id}")
    known = set(roles) | {OPENING, OTHER}
    for rule in rules:
        for reason, key in ([(rule.reason, "reason")] if rule.reason else []) + \
                [(r, f"suggestions.{i}.reason") for i, v in enumerate(rule.suggestions) for r in sorted(v.reasons)]:
            if reason not in reasons:
                raise PoalintError(f"unknown reason {reason!r} (declared: {', '.join(sorted(reasons)) or 'none'})",
                                   path=rule.origin.path, line=rule.origin.line, key=f"rule {rule.id}: {key}")
        unknown = rule.scope.roles - known
        needed = set(rule.spec.get("required", ())) - known if rule.kind == "sections" else set()
        listed = {rule.checklist.section} - known if rule.checklist and rule.checklist.section else set()
        for role in sorted(unknown | needed | listed):
            raise PoalintError(f"unknown section role {role!r} (declared: {', '.join(sorted(roles))})",
                               path=rule.origin.path, line=rule.origin.line, key=f"rule {rule.id}")
    for reason in reasons.values():
        for role, _ in reason.examples:
            if role not in known:
                raise PoalintError(f"unknown section role {role!r} (declared: {', '.join(sorted(roles))})",
                                   path=reason.path, line=line_of(Path(reason.path).read_text("utf-8"),
                                                                  ("reason", "examples", role)),
                                   key=f"reason.examples.{role}")
    for rule in rules:
        if rule.spec.get("reason_examples"):
            _add_reason_examples(rule, reasons)
    try:
        # Each file's aliases and markers were checked where they are written (poalint.rules.loader).
        compiled_roles = SectionRoles(tuple((role, _any_of(aliases)) for role, aliases in roles.items()))
        compiled_detections = {name: Detection.parse(spec) for name, spec in detections.items()}
    except RegexError as exc:
        raise PoalintError(f"invalid regular expression in section_roles or profiles: {exc}") from None
    return RuleSet(rules, compiled_roles, compiled_detections, score=ScoreWeights.from_mappings(*(f.score for f in files)),
                   reasons=reasons)


def _add_reason_examples(rule: Rule, reasons: dict[str, Reason]) -> None:
    """The example each reason's file gives for the rule's role, as the rule's last variants; a
    bad placeholder in one is an error at the reason's file."""
    examples = tuple((reason.id, text) for reason in reasons.values() if (text := reason.example(rule.spec["role"])))
    for reason_id, text in examples:
        try:
            rule.check_template("suggestion", text)
        except PoalintError as exc:
            path = reasons[reason_id].path
            raise PoalintError(f"{exc.detail} (as rule {rule.id}'s suggestion)", path=path,
                               line=line_of(Path(path).read_text("utf-8"), ("reason", "examples", rule.spec["role"])),
                               key=f"reason.examples.{rule.spec['role']}") from None
    rule.add_reason_examples(examples)


def _any_of(expressions: list[str], ignore_case: bool = False) -> tuple:
    """Expressions as one RE2 program, where one fits: every heading and line is tried against
    each role's aliases, and every letter's opening against the profiles' markers, and one
    search instead of one per expression is most of what that costs."""
    if not expressions:
        return ()
    union = "|".join(f"(?:{expression})" for expression in expressions)
    if len(union) <= MAX_REGEX_LENGTH:
        return (compile_regex(union, ignore_case),)
    return tuple(compile_regex(expression, ignore_case) for expression in expressions)


def reconfigure(rule: Rule, settings: dict) -> Rule | None:
    """The rule with per-rule settings applied (`off`, `severity`, any key of its kind), or None
    when the settings turn it off. The settings are validated like a rule file."""
    if settings.get("off"):
        return None
    rebuilt = build_rule({**rule.spec, **{k: v for k, v in settings.items() if k != "off"}}, rule.origin)
    rebuilt.add_reason_examples(rule.reason_examples)
    return rebuilt


def _configure(rule: Rule, settings: dict, config: Config) -> Rule | None:
    try:
        return reconfigure(rule, settings)
    except PoalintError as exc:
        key = f"rules.{rule.id}"
        raise PoalintError(f"{exc.detail} (in the settings for this rule)", path=str(config.path),
                           line=line_of(_config_text(config), ("rules", rule.id)), key=key) from None


def _config_text(config: Config) -> str:
    return config.path.read_text("utf-8") if config.path and config.path.suffix in (".yaml", ".yml") else ""


def _check_ids(ids, ruleset: RuleSet, where: str, config: Config | None = None) -> None:
    known = {r.id for r in ruleset.rules}
    for rule_id in ids:
        if rule_id not in known:
            if config and config.path:
                raise PoalintError(unknown_rule_id(rule_id, known), path=str(config.path),
                                   line=line_of(_config_text(config), (where,) if where != "rules" else ("rules", rule_id)),
                                   key=f"{where}" + (f".{rule_id}" if where == "rules" else ""))
            raise PoalintError(unknown_rule_id(rule_id, known, where))


def _check_score_ids(files: list[RuleFile], ruleset: RuleSet, config: Config) -> None:
    """A weight for a rule that no pack defines is a typo, in a rule file or in the configuration."""
    known = {r.id for r in ruleset.rules} | set(PSEUDO_RULES)
    for rule_file in files:
        for rule_id in (rule_file.score or {}).get("per_rule", {}):
            if rule_id not in known:
                raise PoalintError(unknown_rule_id(rule_id, known), path=str(rule_file.path),
                                   line=line_of(rule_file.path.read_text("utf-8"), ("score", "per_rule", rule_id)),
                                   key=f"score.per_rule.{rule_id}")
    for rule_id in config.score.get("per_rule", {}):
        if rule_id not in known:
            raise PoalintError(unknown_rule_id(rule_id, known), path=str(config.path),
                               line=line_of(_config_text(config), ("score", "per_rule", rule_id)) if _config_text(config) else None,
                               key=f"score.per_rule.{rule_id}")


def load_ruleset(config: Config, extra: tuple[Path, ...] = (), select: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = (), builtin: bool = True, cache: Path | None = None) -> RuleSet:
    """The configured rules; ``cache`` is a folder of validated rule files (poalint.rules.pack_cache)."""
    files: list[RuleFile] = []
    if builtin:
        root = builtin_rules_dir()
        files += _files_from([root], lambda _, path: _builtin_pack(root, path), cache)
    files += _files_from([*config.rule_paths, *extra], _user_pack, cache)
    ruleset = assemble(files)
    _check_score_ids(files, ruleset, config)
    ruleset.score = ScoreWeights.from_mappings(*(f.score for f in files), config.score)
    ruleset.known_ids = frozenset(r.id for r in ruleset.rules)
    for where, ids in (("rules", config.rules), ("select", config.select), ("ignore", config.ignore)):
        _check_ids(ids, ruleset, where, config)
    _check_ids(select, ruleset, "--select")
    _check_ids(ignore, ruleset, "--ignore")
    configured = []
    for rule in ruleset.rules:
        rule = _configure(rule, config.rules[rule.id], config) if rule.id in config.rules else rule
        if rule is not None:
            configured.append(rule)
    chosen = set(select or config.select)
    dropped = set(ignore) | set(config.ignore)
    ruleset.rules = [r for r in configured if (not chosen or r.id in chosen) and r.id not in dropped]
    return ruleset
