"""Loading rule files: their checked data (poalint.rules.checks, or the pack cache) built into rules."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from poalint.errors import PoalintError
from poalint.rules import pack_cache
from poalint.rules.checks import check_rule, checked_data, variants
from poalint.rules.kinds import KINDS
from poalint.rules.kinds.base import Origin, Rule
from poalint.settings import error_at, line_of, read_text


@dataclass
class RuleFile:
    path: Path
    pack: str
    rules: list[Rule] = field(default_factory=list)
    section_roles: list[dict] = field(default_factory=list)
    #: The file's `profiles:` detection, by profile (poalint.rules.ruleset.Detection).
    profiles: dict = field(default_factory=dict)
    score: dict | None = None  # the file's `score:` weights (poalint.reporting.score)
    #: The file's `reason:` (poalint.rules.reasons.Reason), which its rules are for; None for most files.
    reason: dict | None = None


def build_rule(spec: dict, origin: Origin) -> Rule:
    """Validate one rule's mapping (e.g. with a configuration's settings applied) and construct it."""
    text = Path(origin.path).read_text("utf-8")
    check_rule(spec, Path(origin.path), text)
    return construct_rule(spec, origin, text)


def construct_rule(spec: dict, origin: Origin, text: str, at: tuple = ()) -> Rule:
    """The rule of a validated mapping, with a variant for each profile's settings."""
    try:
        rule = KINDS[spec["kind"]](spec, origin)
    except PoalintError as exc:
        raise PoalintError(exc.detail, path=origin.path, line=line_of(text, at), key=exc.key) from None
    for profile, variant in variants(spec):
        try:
            rule.variants[profile] = construct_rule(variant, origin, text, at)
        except PoalintError as exc:
            raise error_at(f"{exc.detail} (with these settings)", Path(origin.path), text,
                           at + ("by_profile", profile)) from None
    return rule


def _rule_line(text: str, index: int, rule_id) -> int | None:
    """The line of rule ``index``: found by its `- id:` line when that is unique (composing the
    YAML into nodes costs a tenth of a second for a large pack)."""
    if isinstance(rule_id, str):
        found = list(re.finditer(rf"(?m)^[ \t]*- id:[ \t]*[\"']?{re.escape(rule_id)}[\"']?[ \t]*(?:#.*)?$", text))
        if len(found) == 1:
            return text.count("\n", 0, found[0].start()) + 1
    return line_of(text, ("rules", index))


def load_rule_file(path: Path, pack: str, cache: Path | None = None) -> RuleFile:
    """A rule file's rules; ``cache`` is a folder of already validated rule files (poalint.rules.pack_cache)."""
    text = read_text(path, "rule file")
    data = pack_cache.shipped(text)
    if data is None and cache:
        data = pack_cache.lookup(cache, text)
    if data is None:
        data = checked_data(path, text)
        if cache:
            pack_cache.store(cache, text, data)
    result = RuleFile(path, pack, section_roles=data.get("section_roles", []),
                      profiles=data.get("profiles", {}), score=data.get("score"), reason=data.get("reason"))
    for i, spec in enumerate(data.get("rules", [])):
        origin = Origin(str(path), pack, partial(_rule_line, text, i, spec.get("id")))
        if result.reason and "reason" not in spec:  # a reason's pack: its rules are for that reason
            spec = {**spec, "reason": result.reason["id"]}
        result.rules.append(construct_rule(spec, origin, text, ("rules", i)))
    return result
