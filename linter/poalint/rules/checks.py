"""Every check of a rule file that needs no spaCy: YAML, the schema, the limits, the regexes.

What passes is the file's data with its vocabularies and compact phrases spread out
(poalint.rules.vocabularies): what the pack cache keeps and the loader builds rules from.
"""
from __future__ import annotations

from pathlib import Path

from poalint.errors import PoalintError
from poalint.regex import RegexError, compile_regex
from poalint.rules.kinds import KINDS
from poalint.rules.matching.patterns import MAX_PATTERNS_PER_RULE, MAX_RULES_PER_RUN, TRAINED_ATTRS, trained_attributes
from poalint.rules.vocabularies import spread
from poalint.settings import error_at, parse_yaml, validate


def checked_data(path: Path, text: str) -> dict:
    """A rule file's data, checked, with its vocabularies and compact phrases spread out."""
    data = parse_yaml(text, path)
    if not isinstance(data, dict):
        raise PoalintError("a rule file must be a mapping with a `rules:` list", path=str(path), line=1)
    validate(data, text, path, "rules")
    if len(data.get("rules", [])) > MAX_RULES_PER_RUN:
        raise error_at(f"{len(data['rules']):,} rules, over the limit of {MAX_RULES_PER_RUN:,} per run",
                       path, text, ("rules",))
    for i, entry in enumerate(data.get("section_roles", [])):
        for j, alias in enumerate(entry.get("aliases", ())):
            _check_regex(alias, path, text, ("section_roles", i, "aliases", j))
    for profile, detection in data.get("profiles", {}).items():
        for key in ("detect", "unless"):
            for j, marker in enumerate(detection.get(key, ())):
                at = ("profiles", profile, key, j)
                patterns = [(marker, at)] if isinstance(marker, str) else \
                    [(pattern, at + ("patterns", k)) for k, pattern in enumerate(marker["patterns"])]
                for pattern, where in patterns:
                    _check_regex(pattern, path, text, where)
    for key in ("names", "signs"):
        for j, expression in enumerate(data.get("reason", {}).get(key, ())):
            _check_regex(expression, path, text, ("reason", key, j))
    for i, spec in enumerate(data.get("rules", [])):  # each against its kind, before spreading it
        validate(spec, text, path, "rules", _definition(spec), prefix=("rules", i))
    data = spread(data, path, text)
    for i, spec in enumerate(data.get("rules", [])):
        check_rule(spec, path, text, ("rules", i))
    return data


def _definition(spec: dict) -> str:
    return spec["kind"] if spec.get("kind") in KINDS else "rule"


def check_rule(spec: dict, path: Path, text: str, at: tuple = ()) -> None:
    """Validate one rule's mapping against its kind's schema and the limits, with each profile's settings."""
    validate(spec, text, path, "rules", _definition(spec), prefix=at)
    for where, pattern_set in _pattern_sets(spec):
        for key in ("phrases", "patterns", "regex"):
            count = len(pattern_set.get(key, ()))
            if count > MAX_PATTERNS_PER_RULE:
                raise error_at(f"{count:,} entries, over the limit of {MAX_PATTERNS_PER_RULE:,} per rule",
                               path, text, at + where + (key,))
        for i, expression in enumerate(pattern_set.get("regex", ())):
            _check_regex(expression, path, text, at + where + ("regex", i))
        needs = {TRAINED_ATTRS[a] for a in trained_attributes(pattern_set.get("patterns", ()))}
        if needs and where == ("fallback",):
            raise error_at("the fallback runs on the default pipeline: it cannot use POS, TAG, DEP, MORPH "
                           "or ENT_TYPE", path, text, at + where + ("patterns",))
        if needs - set(spec.get("requires", ())):
            raise error_at(f"patterns use attributes only a trained pipeline sets; declare requires: "
                           f"[{', '.join(sorted(needs))}] and a lexical fallback", path, text,
                           at + where + ("patterns",))
    for profile, variant in variants(spec):
        try:
            check_rule(variant, path, text, at)
        except PoalintError as exc:
            raise error_at(f"{exc.detail} (with these settings)", path, text, at + ("by_profile", profile)) from None


def variants(spec: dict):
    """(profile, the rule's mapping with that profile's settings) for each of its `by_profile`."""
    for profile, settings in spec.get("by_profile", {}).items():
        yield profile, {k: v for k, v in spec.items() if k != "by_profile"} | settings


def _check_regex(expression: str, path: Path, text: str, at_key: tuple) -> None:
    try:
        compile_regex(expression)
    except RegexError as exc:
        shown = expression if len(expression) <= 200 else expression[:200] + "…"
        raise error_at(f"invalid regular expression {shown!r}: {exc}", path, text, at_key) from None


def _pattern_sets(spec: dict):
    yield (), spec
    for key in ("exceptions", "fallback"):
        if isinstance(spec.get(key), dict):
            yield (key,), spec[key]
    for i, variant in enumerate(spec.get("suggestions", ())):
        if isinstance(variant.get("when"), dict):
            yield ("suggestions", i, "when"), variant["when"]
