"""The compact phrase syntax of token patterns (docs/rule-language.md, "Compact phrases"):

    we (will|shall) [try to] ensure      ->  4 token patterns
    $seller ~apologise [deeply]          ->  1 token pattern

A word matches a token's lower-case form; ``~`` before a word, a choice or a vocabulary matches
the lemma instead; ``*`` is any word and ``#`` any number. ``(a|b c)`` is one of its
alternatives; ``[a b]`` may be left out (all of it, or none); ``$name`` is any word of the rule
file's vocabulary ``name``. Words are split into tokens as spaCy's English tokenizer splits them
("didn't" is "did" + "n't", "sign-off" is "sign" + "-" + "off"), so what a person writes matches
what a letter says.
"""
from __future__ import annotations

import itertools
import re

#: Patterns one compact phrase may expand to: optional groups and alternatives multiply.
MAX_EXPANSIONS = 64

_TOKEN = re.compile(r"\s*(?:(?P<mark>[()\[\]|])|(?P<tilde>~)|\$(?P<vocab>[a-z][a-z0-9_-]*)|(?P<word>[^\s()\[\]|~$]+)|(?P<bad>\S))")

#: Contractions spaCy's English tokenizer keeps whole-word exceptions for.
_IRREGULAR = {"can't": ["ca", "n't"], "won't": ["wo", "n't"], "shan't": ["sha", "n't"], "ain't": ["ai", "n't"],
              "cannot": ["can", "not"]}
_CLITIC = re.compile(r"(?i)^(?P<stem>[^\W\d_]+)(?P<clitic>n't|'(?:s|re|ve|ll|d|m))$")
#: A hyphen spaCy's English tokenizer splits off: after a letter or digit, before a letter ("sign-off", "e-mail").
_INFIX_HYPHEN = re.compile(r"(?<=[^\W_])(-)(?=[^\W\d_])")


#: Words that stand for any token of a kind: `*` any word, `#` any number.
_WILDCARDS = {"*": {"IS_ALPHA": True}, "#": {"LIKE_NUM": True}}


class PhraseError(ValueError):
    """A compact phrase that does not parse, or that expands to too many patterns."""


def straight(word: str) -> str:
    """The word with its typographic apostrophes (’) written as straight ones (')."""
    return word.replace("\u2019", "'")


def tokens_of(word: str) -> list[str]:
    """``word`` as spaCy's English tokenizer splits a contraction or a hyphenated word: "didn't" is
    "did" + "n't", "can't" is "ca" + "n't", "we're" is "we" + "'re" (apostrophes straightened),
    "sign-off" is "sign" + "-" + "off"."""
    word = straight(word)
    parts = _INFIX_HYPHEN.split(word)
    if len(parts) > 1:
        return [*parts[:-1], *tokens_of(parts[-1])]
    if word.lower() in _IRREGULAR:
        stem, clitic = _IRREGULAR[word.lower()]
        return [word[:len(stem)], clitic if word[len(stem):].islower() else word[len(stem):]]
    found = _CLITIC.match(word)
    return [found["stem"], found["clitic"]] if found else [word]


def expand(phrase: str, vocabularies: dict[str, list[str]]) -> list[list[dict]]:
    """The spaCy token patterns a compact phrase stands for."""
    parser = _Parser(phrase, vocabularies)
    alternatives = parser.sequence()
    if parser.peek() is not None:
        raise PhraseError(f"unexpected {parser.peek()!r} at character {parser.position + 1}")
    if any(all(token.get("OP") == "?" for token in pattern) for pattern in alternatives):
        raise PhraseError("the phrase has no word that must be there")
    return alternatives


class _Parser:
    def __init__(self, phrase: str, vocabularies: dict[str, list[str]]):
        self.vocabularies = vocabularies
        self.items: list[tuple[str, str, int]] = []
        for found in _TOKEN.finditer(phrase.rstrip()):
            kind = found.lastgroup
            if kind == "bad":
                raise PhraseError(f"unexpected {found['bad']!r} at character {found.start('bad') + 1}")
            self.items.append((kind, found[kind], found.start(kind)))
        self.at = 0

    @property
    def position(self) -> int:
        return self.items[self.at][2]

    def peek(self) -> str | None:
        return self.items[self.at][1] if self.at < len(self.items) else None

    def take(self) -> tuple[str, str, int]:
        item = self.items[self.at]
        self.at += 1
        return item

    def sequence(self) -> list[list[dict]]:
        """The token lists of the items up to a closing mark, each one way of matching them."""
        result: list[list[dict]] = [[]]
        while self.peek() not in (None, ")", "]", "|"):
            result = [head + tail for head, tail in itertools.product(result, self.item())]
            if len(result) > MAX_EXPANSIONS:
                raise PhraseError(f"expands to more than {MAX_EXPANSIONS} token patterns; use a vocabulary "
                                  "or split the phrase")
        return result

    def item(self) -> list[list[dict]]:
        kind, value, start = self.take()
        if value == "[":
            inner = self._closed("]", start)
            if len(inner) == 1 and len(inner[0]) == 1 and "OP" not in inner[0][0]:
                return [[{**inner[0][0], "OP": "?"}]]  # one optional token: one pattern, not two
            return [[]] + inner
        attribute = "LOWER"
        if kind == "tilde":
            attribute = "LEMMA"
            if self.peek() is None or self.items[self.at][0] == "mark" and self.peek() != "(":
                raise PhraseError(f"`~` at character {start + 1} must come before a word, a choice or a vocabulary")
            kind, value, start = self.take()
        if value == "(":
            alternatives = []
            while True:
                alternatives.extend(self.sequence())
                closing = self.take() if self.peek() is not None else None
                if closing is None or closing[1] not in ("|", ")"):
                    raise PhraseError(f"the `(` at character {start + 1} is not closed")
                if closing[1] == ")":
                    break
            if not all(alternatives):
                raise PhraseError(f"the choice at character {start + 1} has an empty alternative; "
                                  "write [optional words] instead")
            return _as_one_token(alternatives, attribute)
        if kind == "vocab":
            if value not in self.vocabularies:
                raise PhraseError(f"unknown vocabulary ${value}")
            return _as_one_token([[{"LOWER": word} for word in tokens_of(entry)] for entry in self.vocabularies[value]],
                                 attribute)
        if kind == "mark":
            raise PhraseError(f"unexpected {value!r} at character {start + 1}")
        if value in _WILDCARDS:
            if attribute == "LEMMA":
                raise PhraseError(f"`~{value}` at character {start}: a wildcard has no lemma")
            return [[dict(_WILDCARDS[value])]]
        return [[{attribute: token.lower() if attribute == "LOWER" else token} for token in tokens_of(value)]]

    def _closed(self, closing: str, start: int) -> list[list[dict]]:
        inner = self.sequence()
        if self.peek() != closing:
            raise PhraseError(f"the {'[' if closing == ']' else '('!r} at character {start + 1} is not closed")
        self.take()
        if not any(inner):
            raise PhraseError(f"empty brackets at character {start + 1}")
        return inner


def _one_token(tokens: list[dict]) -> bool:
    """Whether an alternative is one token that tests one attribute (a word, a word list or a wildcard)."""
    return len(tokens) == 1 and len(tokens[0]) == 1


def _as_one_token(alternatives: list[list[dict]], attribute: str) -> list[list[dict]]:
    """Alternatives of one plain word each as one token that may be any of them; the others (words of
    several tokens, "sign-off" or "no one") as they are, so that one such word in a vocabulary adds
    one pattern, not one for each of its words."""
    single = [tokens for tokens in alternatives if _one_token(tokens)]
    keys = {key for tokens in single for key in tokens[0]}
    if len(single) > 1 and len(keys) == 1 and keys <= {"LOWER", "LEMMA"}:
        # One attribute for all: a word by lemma inside ("(~sell|~ship)") stays a lemma. An
        # alternative may itself be a set of words already ("($roles|staff)": {"IN": [...]}).
        one = "LEMMA" if attribute == "LEMMA" else next(iter(keys))
        words = list(dict.fromkeys(word for tokens in single for value in tokens[0].values()
                                   for word in (value["IN"] if isinstance(value, dict) else [value])))
        alternatives = [[{one: words[0] if len(words) == 1 else {"IN": words}}]] + \
            [tokens for tokens in alternatives if not _one_token(tokens)]
    if attribute == "LEMMA":
        return [[{"LEMMA": token.get("LEMMA", token.get("LOWER"))} for token in tokens] for tokens in alternatives]
    return alternatives


#: Operators under which a token's word list may grow by another's: "(a)?" or "(b)?" is "(a|b)?",
#: but "a*" or "b*" is not "(a|b)*".
_UNREPEATED = (None, "1", "?")


def fewest(patterns: list[list[dict]]) -> list[list[dict]]:
    """Token patterns that match exactly what ``patterns`` match, fewer where they can be.

    Compact phrases multiply: "(seller support|your team) [has] (ignored|closed) our case" is
    eight patterns, and spaCy's Matcher costs time for each when it is built. Two patterns that
    differ only in one token's words become one token with both words; two that differ only in a
    token one of them lacks become one with that token optional. Each step keeps the set of texts
    matched exactly as it was, so a match found before is found after, and nothing more."""
    current = [list(pattern) for pattern in patterns]
    while True:
        count = len(current)
        current = _optional_where_one_lacks(_words_joined(current))
        if len(current) == count:
            return current


def _key(tokens) -> tuple:
    return tuple(repr(sorted(token.items())) for token in tokens)


def _word_list(token: dict) -> tuple[tuple, list] | None:
    """((attribute, operator), words) for a token that is only a word list; None for any other."""
    attributes = [key for key in token if key != "OP"]
    if len(attributes) != 1 or attributes[0] not in ("LOWER", "LEMMA") or token.get("OP") not in _UNREPEATED:
        return None
    value = token[attributes[0]]
    words = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) and list(value) == ["IN"] else None
    return None if words is None else ((attributes[0], token.get("OP")), list(words))


def _words_joined(patterns: list[list[dict]]) -> list[list[dict]]:
    longest = max(map(len, patterns), default=0)
    for position in range(longest):
        kept: list[list[dict]] = []
        alike: dict[tuple, int] = {}  # the rest of the pattern and the token's kind -> its place in kept
        for pattern in patterns:
            word_list = _word_list(pattern[position]) if position < len(pattern) else None
            if word_list is None:
                kept.append(pattern)
                continue
            (attribute, operator), words = word_list
            rest = (len(pattern), attribute, operator, _key(pattern[:position]), _key(pattern[position + 1:]))
            if rest not in alike:
                alike[rest] = len(kept)
                kept.append(pattern)
                continue
            other = kept[alike[rest]]
            joined = list(dict.fromkeys(_word_list(other[position])[1] + words))
            token = {attribute: joined[0] if len(joined) == 1 else {"IN": joined}}
            if operator is not None:
                token["OP"] = operator
            kept[alike[rest]] = other[:position] + [token] + other[position + 1:]
        patterns = kept
    return patterns


def _optional_where_one_lacks(patterns: list[list[dict]]) -> list[list[dict]]:
    where = {_key(pattern): i for i, pattern in enumerate(patterns)}
    gone: set[int] = set()
    result = list(patterns)
    for i, pattern in enumerate(patterns):
        if i in gone:
            continue
        for position, token in enumerate(pattern):
            if token.get("OP") not in (None, "1") or len(pattern) == 1:
                continue
            shorter = where.get(_key(pattern[:position] + pattern[position + 1:]))
            if shorter is not None and shorter != i and shorter not in gone:
                gone.add(shorter)
                result[i] = pattern[:position] + [{**token, "OP": "?"}] + pattern[position + 1:]
                del where[_key(pattern)]  # it matches more now: no longer the shorter one of another
                break
    return [pattern for i, pattern in enumerate(result) if i not in gone]
