"""What a rule file says once, spread where it is used, before its rules are checked and built
(docs/rule-language.md, "Vocabularies", "Compact phrases" and "Apostrophes"):

- a vocabulary (``vocabularies: {seller: [we, i]}``) named in a phrase list (``$seller``), in a
  token's word list (``{LOWER: {IN: [$seller, us]}}``) or in a compact phrase;
- a compact phrase (a string among ``patterns``) as the token patterns it stands for, and a pattern
  set's token patterns as the fewest that match the same (poalint.rules.phrase_syntax.fewest);
- every word and phrase with an apostrophe in both forms, straight (') and typographic (’), so
  that a rule written with one matches a letter written with the other.

A token's word that spaCy splits into several tokens ("didn't" is "did" + "n't", "sign-off" is
"sign" + "-" + "off") can never match one token: it is refused, naming the tokens to write instead.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from poalint.analysis.features import WHERE_KEYS, Condition
from poalint.rules.phrase_syntax import PhraseError, expand, fewest, straight, tokens_of
from poalint.settings import error_at

#: How a phrase list or a token's word list names a vocabulary.
_REFERENCE = re.compile(r"\$[a-z][a-z0-9_-]*")
#: Token attributes whose values are words (those a vocabulary may stand for).
_WORD_ATTRS = ("ORTH", "TEXT", "NORM", "LOWER", "LEMMA")


def spread(data: dict, path: Path, text: str) -> dict:
    """The rule file's data with its vocabularies, compact phrases and apostrophes spread out
    (``data`` has been validated against the schema; the result is validated again)."""
    vocabularies = data.get("vocabularies", {})
    for name, words in vocabularies.items():
        for j, word in enumerate(words):
            if str(word).startswith("$"):
                raise error_at("a vocabulary lists words, not other vocabularies", path, text,
                               ("vocabularies", name, j))
    spreader = _Spreader(vocabularies, path, text)
    rules = [spreader.rule(spec, ("rules", i)) for i, spec in enumerate(data.get("rules", []))]
    result = {key: value for key, value in data.items() if key != "vocabularies"}
    if "rules" in data:
        result["rules"] = rules
    return result


class _Spreader:
    def __init__(self, vocabularies: dict[str, list[str]], path: Path, text: str):
        self.vocabularies = vocabularies
        self.path = path
        self.text = text

    def rule(self, spec: dict, at: tuple) -> dict:
        spec = self.pattern_set(spec, at)
        for key in ("exceptions", "fallback"):
            if isinstance(spec.get(key), dict):
                spec = {**spec, key: self.pattern_set(spec[key], at + (key,))}
        if isinstance(spec.get("suggestions"), list):
            spec = {**spec, "suggestions": [
                {**variant, "when": self.pattern_set(variant["when"], at + ("suggestions", i, "when"))}
                if isinstance(variant, dict) and isinstance(variant.get("when"), dict) else variant
                for i, variant in enumerate(spec["suggestions"])]}
        if isinstance(spec.get("by_profile"), dict):
            spec = {**spec, "by_profile": {profile: self.rule(settings, at + ("by_profile", profile))
                                           for profile, settings in spec["by_profile"].items()}}
        # The sentence tests of the content and adequacy kinds (poalint.rules.kinds.content).
        if isinstance(spec.get("sentences"), list):
            spec = {**spec, "sentences": self.sentence_tests(spec["sentences"], at + ("sentences",))}
        if isinstance(spec.get("lacks"), list):
            spec = {**spec, "lacks": [
                {**lack, **{key: self.sentence_tests(lack[key], at + ("lacks", i, key))
                            for key in ("none", "some") if isinstance(lack.get(key), list)}}
                if isinstance(lack, dict) else lack for i, lack in enumerate(spec["lacks"])]}
        return spec

    def sentence_tests(self, tests: list, at: tuple) -> list:
        """Each test is a pattern set, with an ``unless`` pattern set of its own."""
        spread = []
        for i, test in enumerate(tests):
            if isinstance(test, dict):
                test = self.pattern_set(test, at + (i,))
                if isinstance(test.get("unless"), dict):
                    test["unless"] = self.pattern_set(test["unless"], at + (i, "unless"))
            spread.append(test)
        return spread

    def pattern_set(self, spec: dict, at: tuple) -> dict:
        spec = dict(spec)
        if isinstance(spec.get("phrases"), list):
            phrases = []
            for j, phrase in enumerate(spec["phrases"]):
                phrases.extend(self.words(phrase, at + ("phrases", j), in_token=False))
            spec["phrases"] = list(dict.fromkeys(phrases))
        if isinstance(spec.get("patterns"), list):
            # The token patterns by their `when` (None: none), in the order each first appears.
            by_condition: dict[str, tuple[dict | None, list]] = {}
            for j, pattern in enumerate(spec["patterns"]):
                where = at + ("patterns", j)
                when = self.when(pattern["when"], where + ("when",)) if isinstance(pattern, dict) else None
                tokens = self.token_patterns(pattern["pattern"] if isinstance(pattern, dict) else pattern,
                                             where + ("pattern",) if isinstance(pattern, dict) else where)
                by_condition.setdefault(json.dumps(when, sort_keys=True), (when, []))[1].extend(tokens)
            spec["patterns"] = [tokens if when is None else {"pattern": tokens, "when": when}
                                for when, patterns in by_condition.values() for tokens in fewest(patterns)]
        return spec

    def token_patterns(self, pattern, at: tuple) -> list:
        """The token patterns one entry of ``patterns`` stands for (a compact phrase may be several)."""
        if not isinstance(pattern, str):
            return [self.pattern(pattern, at)]
        try:
            return [self.pattern(tokens, at) for tokens in expand(pattern, self.vocabularies)]
        except PhraseError as exc:
            raise error_at(f"compact phrase {pattern!r}: {exc}", self.path, self.text, at) from None

    def when(self, spec, at: tuple) -> dict:
        """A pattern's own ``when``: sentence features only, since a pattern's matches are found
        once per block text, wherever the block sits (docs/rule-language.md#when)."""
        try:
            condition = Condition.parse(spec)
        except ValueError as exc:
            raise error_at(str(exc), self.path, self.text, at) from None
        if condition.uses_where():
            raise error_at(f"a pattern's when may test only the sentence's features, not {', '.join(WHERE_KEYS)}",
                           self.path, self.text, at)
        return spec

    def pattern(self, tokens: list, at: tuple) -> list:
        return [self.token(token, at + (k,)) if isinstance(token, dict) else token for k, token in enumerate(tokens)]

    def token(self, token: dict, at: tuple) -> dict:
        token = dict(token)
        for attribute in _WORD_ATTRS:
            value = token.get(attribute)
            where = at + (attribute,)
            if isinstance(value, str):
                words = self.words(value, where, in_token=True)
                token[attribute] = words[0] if len(words) == 1 else {"IN": words}
            elif isinstance(value, dict):
                token[attribute] = {
                    operator: [word for k, item in enumerate(items) for word in
                               self.words(item, where + (operator, k), in_token=True)]
                    if operator in ("IN", "NOT_IN") and isinstance(items, list) else items
                    for operator, items in value.items()}
        return token

    def words(self, item, at: tuple, in_token: bool) -> list:
        """The words (or phrases) one entry stands for: a vocabulary's, or its own, each in both
        apostrophe forms."""
        if not isinstance(item, str):
            return [item]
        if _REFERENCE.fullmatch(item):
            name = item[1:]
            if name not in self.vocabularies:
                known = ", ".join(sorted(self.vocabularies)) or "none"
                raise error_at(f"unknown vocabulary {item!r} (this file declares: {known})", self.path, self.text, at)
            entries = self.vocabularies[name]
        else:
            entries = [item]
        result = []
        for entry in entries:
            tokens = [token for word in entry.split() for token in tokens_of(word)]
            if in_token and len(tokens) > 1:
                raise error_at(f"{entry!r} is {len(tokens)} tokens to spaCy ({' + '.join(map(repr, tokens))}), "
                               "so one token never matches it: write them as separate tokens, or use a compact "
                               "phrase", self.path, self.text, at)
            plain = straight(entry)
            result.extend([plain, plain.replace("'", "\u2019")] if "'" in plain else [plain])
        return list(dict.fromkeys(result))
