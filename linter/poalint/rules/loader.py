"""Reading rule files: safe YAML, JSON Schema validation, and errors that name file, line and key."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path

import yaml

from poalint.rules import pack_cache
from poalint.errors import PoalintError
from poalint.rules.kinds import KINDS
from poalint.rules.kinds.base import Origin, Rule
from poalint.rules.matching.patterns import (MAX_PATTERNS_PER_RULE, MAX_RULES_PER_RUN, TRAINED_ATTRS, RegexError,
                                    compile_regex, trained_attributes)

_BOOL = "tag:yaml.org,2002:bool"


#: Values that YAML aliases may add to one document. A rule pack names a token pattern once and
#: reuses it (&participle in wording.yaml); nine aliases to nine aliases, nine levels deep, would
#: be 387 million values in 600 bytes ("billion laughs") for the schema check to walk.
MAX_ALIAS_VALUES = 100_000


class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML with YAML 1.2 booleans: `off`, `no`, `on` and `yes` stay strings, so a rule
    setting `off: true` or a phrase list `[no, maybe]` mean what they say; and aliases bounded."""

    def construct_document(self, node):
        _check_aliases(node)
        return super().construct_document(node)


def _check_aliases(root) -> None:
    """Refuse a document whose aliases would add more than MAX_ALIAS_VALUES values, or refer to
    themselves, counted on the composed nodes (an alias is the same node reached again) without
    expanding anything."""
    if not _reuses_a_node(root):  # most documents: no alias, and this walk is the cheaper one
        return
    sizes: dict[int, int] = {}  # node id -> values in the node once expanded
    ancestors: set[int] = set()
    added = 0
    stack = [(root, False)]
    while stack:
        node, finished = stack.pop()
        children = _children(node)
        if finished:
            ancestors.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
        elif id(node) in sizes:
            added += sizes[id(node)]
            if added > MAX_ALIAS_VALUES:
                raise yaml.constructor.ConstructorError(
                    None, None, f"YAML aliases expand to more than {MAX_ALIAS_VALUES:,} values", node.start_mark)
        elif id(node) in ancestors:
            raise yaml.constructor.ConstructorError(None, None, "a YAML alias refers to itself", node.start_mark)
        else:
            ancestors.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children)


def _reuses_a_node(root) -> bool:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        stack.extend(_children(node))
    return False


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


_SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SafeLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@lru_cache(maxsize=None)
def schema(name: str = "rules") -> dict:
    return json.loads(resources.files("poalint.schema").joinpath(f"{name}.schema.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def _validator(name: str, definition: str | None = None):
    """A validator for a whole file, or for one definition (e.g. one rule kind) of the schema.

    A rule file's own validation leaves its rules to their kinds' validators, so that each rule
    is checked once, against its kind only.
    """
    from jsonschema import Draft202012Validator

    full = schema(name)
    if definition:
        target = {"$ref": f"#/$defs/{definition}", "$defs": full["$defs"]}
    elif name == "rules":
        target = {**full, "properties": {**full["properties"], "rules": {"type": "array", "items": {"type": "object"}}}}
    else:
        target = full
    return Draft202012Validator(target)


def load_yaml(path: Path, what: str):
    """Parse a YAML file safely (no object construction); a syntax error names the file and line."""
    text = read_text(path, what)
    return parse_yaml(text, path), text


def read_text(path: Path, what: str) -> str:
    """A rule, configuration or vars file's text: a regular file, bounded in size, in UTF-8."""
    from poalint.reading import MAX_SETTINGS_BYTES, read_limited

    try:
        text = read_limited(path, MAX_SETTINGS_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise PoalintError(f"{what} not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PoalintError(f"cannot read {what}: {exc}", path=str(path)) from None
    # Universal newlines, as Path.read_text gives them (the pack cache hashes this text).
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, path: Path):
    try:
        return yaml.load(text, Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, text)
        raise PoalintError(f"invalid YAML: {problem}", path=str(path), line=line) from None


def yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[str, int | None]:
    """A YAML error as (one-line problem, 1-based line in ``text`` or None)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    line = mark.line + 1 if mark else None
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: no mark, a two-line str
        problem, line = str(exc).splitlines()[0], text.count("\n", 0, exc.position) + 1
    return " ".join(problem.split()), line


@lru_cache(maxsize=64)
def _compose(text: str):
    return yaml.compose(text, Loader=_SafeLoader)


def line_of(text: str, path: tuple) -> int | None:
    """The line of the YAML node at a JSON path such as ("rules", 3, "severity")."""
    node = _compose(text)
    line = node.start_mark.line + 1 if node else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == step), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line


_UNEXPECTED = re.compile(r"'([^']+)' (?:was|were) unexpected|\('([^']+)'")


def schema_error(error, text: str, path: Path, prefix: tuple = ()) -> PoalintError:
    """Turn the most relevant jsonschema error into 'file:line: key: problem'."""
    where = tuple(prefix) + tuple(error.absolute_path)
    message = error.message
    if error.validator == "additionalProperties":
        found = _UNEXPECTED.search(message)
        key = (found.group(1) or found.group(2)) if found else "?"
        where = where + (key,)
        message = "unknown key"
    elif error.validator == "enum":
        message = f"{error.instance!r} is not one of: {', '.join(map(str, error.validator_value))}"
    elif error.validator == "required":
        message = message.replace(" is a required property", " is required")
    elif error.validator == "anyOf" and all(set(v) == {"required"} for v in error.validator_value):
        message = "needs one of " + ", ".join(v["required"][0] for v in error.validator_value)
    key = ".".join(str(p) for p in where) or None
    return PoalintError(message, path=str(path), line=line_of(text, where), key=key)


def validate(data, text: str, path: Path, name: str, definition: str | None = None, prefix: tuple = ()) -> None:
    from jsonschema.exceptions import best_match

    error = best_match(_validator(name, definition).iter_errors(data))
    if error is not None:
        raise schema_error(error, text, path, prefix)


@dataclass
class RuleFile:
    path: Path
    pack: str
    rules: list[Rule] = field(default_factory=list)
    section_roles: list[dict] = field(default_factory=list)
    escalation: dict | None = None
    score: dict | None = None  # the file's `score:` weights (poalint.reporting.score)


def build_rule(spec: dict, origin: Origin) -> Rule:
    """Validate one rule's mapping (e.g. with a configuration's settings applied) and construct it."""
    text = Path(origin.path).read_text("utf-8")
    check_rule(spec, Path(origin.path), text)
    return construct_rule(spec, origin, text)


def check_rule(spec: dict, path: Path, text: str, at: tuple = ()) -> None:
    """Validate one rule's mapping against its kind's schema and the limits, with each profile's settings."""
    validate(spec, text, path, "rules", spec["kind"] if spec.get("kind") in KINDS else "rule", prefix=at)
    for where, pattern_set in _pattern_sets(spec):
        for key in ("phrases", "patterns", "regex"):
            count = len(pattern_set.get(key, ()))
            if count > MAX_PATTERNS_PER_RULE:
                raise _error_at(f"{count:,} entries, over the limit of {MAX_PATTERNS_PER_RULE:,} per rule",
                                path, text, at + where + (key,))
        for i, expression in enumerate(pattern_set.get("regex", ())):
            _check_regex(expression, path, text, at + where + ("regex", i))
        needs = {TRAINED_ATTRS[a] for a in trained_attributes(pattern_set.get("patterns", ()))}
        if needs and where == ("fallback",):
            raise _error_at("the fallback runs on the default pipeline: it cannot use POS, TAG, DEP, MORPH "
                            "or ENT_TYPE", path, text, at + where + ("patterns",))
        if needs - set(spec.get("requires", ())):
            raise _error_at(f"patterns use attributes only a trained pipeline sets; declare requires: "
                            f"[{', '.join(sorted(needs))}] and a lexical fallback", path, text,
                            at + where + ("patterns",))
    for profile, variant in _variants(spec):
        try:
            check_rule(variant, path, text, at)
        except PoalintError as exc:
            raise _error_at(f"{exc.detail} (with these settings)", path, text, at + ("by_profile", profile)) from None


def construct_rule(spec: dict, origin: Origin, text: str, at: tuple = ()) -> Rule:
    """The rule of a validated mapping, with a variant for each profile's settings."""
    try:
        rule = KINDS[spec["kind"]](spec, origin)
    except PoalintError as exc:
        raise PoalintError(exc.detail, path=origin.path, line=line_of(text, at), key=exc.key) from None
    for profile, variant in _variants(spec):
        try:
            rule.variants[profile] = construct_rule(variant, origin, text, at)
        except PoalintError as exc:
            raise _error_at(f"{exc.detail} (with these settings)", Path(origin.path), text,
                            at + ("by_profile", profile)) from None
    return rule


def _variants(spec: dict):
    for profile, settings in spec.get("by_profile", {}).items():
        yield profile, {k: v for k, v in spec.items() if k != "by_profile"} | settings


def _check_regex(expression: str, path: Path, text: str, at_key: tuple) -> None:
    try:
        compile_regex(expression)
    except RegexError as exc:
        shown = expression if len(expression) <= 200 else expression[:200] + "…"
        raise _error_at(f"invalid regular expression {shown!r}: {exc}", path, text, at_key) from None


def _rule_line(text: str, index: int, rule_id) -> int | None:
    """The line of rule ``index``: found by its `- id:` line when that is unique (composing the
    YAML into nodes costs a tenth of a second for a large pack)."""
    if isinstance(rule_id, str):
        found = list(re.finditer(rf"(?m)^[ \t]*- id:[ \t]*[\"']?{re.escape(rule_id)}[\"']?[ \t]*(?:#.*)?$", text))
        if len(found) == 1:
            return text.count("\n", 0, found[0].start()) + 1
    return line_of(text, ("rules", index))


def _error_at(message: str, path: Path, text: str, at_key: tuple) -> PoalintError:
    return PoalintError(message, path=str(path), line=line_of(text, at_key), key=".".join(map(str, at_key)))


def _pattern_sets(spec: dict):
    yield (), spec
    for key in ("exceptions", "fallback"):
        if isinstance(spec.get(key), dict):
            yield (key,), spec[key]
    for i, variant in enumerate(spec.get("suggestions", ())):
        if isinstance(variant.get("when"), dict):
            yield ("suggestions", i, "when"), variant["when"]


def load_rule_file(path: Path, pack: str, cache: Path | None = None) -> RuleFile:
    """A rule file's rules; ``cache`` is a folder of already validated rule files (poalint.rules.pack_cache)."""
    text = read_text(path, "rule file")
    data = pack_cache.shipped(text) or (pack_cache.lookup(cache, text) if cache else None)
    if data is None:
        data = checked_data(path, text)
        if cache:
            pack_cache.store(cache, text, data)
    result = RuleFile(path, pack, section_roles=data.get("section_roles", []),
                      escalation=data.get("profiles", {}).get("escalation"), score=data.get("score"))
    for i, spec in enumerate(data.get("rules", [])):
        origin = Origin(str(path), pack, partial(_rule_line, text, i, spec.get("id")))
        result.rules.append(construct_rule(spec, origin, text, ("rules", i)))
    return result


def checked_data(path: Path, text: str) -> dict:
    """A rule file's data, after every check that needs no spaCy: YAML, schema, limits, regexes."""
    data = parse_yaml(text, path)
    if not isinstance(data, dict):
        raise PoalintError("a rule file must be a mapping with a `rules:` list", path=str(path), line=1)
    validate(data, text, path, "rules")
    if len(data.get("rules", [])) > MAX_RULES_PER_RUN:
        raise _error_at(f"{len(data['rules']):,} rules, over the limit of {MAX_RULES_PER_RUN:,} per run",
                        path, text, ("rules",))
    for i, entry in enumerate(data.get("section_roles", [])):
        for j, alias in enumerate(entry.get("aliases", ())):
            _check_regex(alias, path, text, ("section_roles", i, "aliases", j))
    for j, marker in enumerate(data.get("profiles", {}).get("escalation", {}).get("detect", ())):
        _check_regex(marker, path, text, ("profiles", "escalation", "detect", j))
    for i, spec in enumerate(data.get("rules", [])):
        check_rule(spec, path, text, ("rules", i))
    return data
