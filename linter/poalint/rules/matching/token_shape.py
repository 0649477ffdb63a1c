"""What a token pattern's shape tells before it runs (poalint.rules.matching.patterns): the words
a match must contain (its anchor), the most tokens a match can span, the windows of a block
those bound, whether its repeats are safe to give spaCy's Matcher, and whether spaCy accepts it."""
from __future__ import annotations

import re
from typing import NamedTuple


_REQUIRED_OPS = {None, "1", "+"}


# Words too common to tell blocks apart; a pattern is anchored on a rarer required token if it has one.
_COMMON = frozenset({"we", "i", "our", "my", "us", "me", "it", "this", "that", "the", "a", "an", "to", "of",
                     "and", "be", "is", "was", "were", "are", "been", "have", "has", "had", "will", "not", "in",
                     "on", "for", "with", "by", "you", "your", "they", "their", "he", "she", "as", "at", "do"})


def anchor(pattern: list) -> frozenset | None:
    """Words of which a match of ``pattern`` must contain one, as ("lower", word) or ("lemma",
    word), exactly as the token must have them: those of its most telling required token. Failing
    such a token, a required token that must start a sentence anchors the pattern on sentence
    starts (SENTENCE_START). None when no token pins its words or its place down."""
    candidates = required_words(pattern)
    if not candidates:
        starts_sentence = any(token.get(attr) is True for token in pattern if token.get("OP") in _REQUIRED_OPS
                              for attr in ("IS_SENT_START", "SENT_START"))
        return frozenset({SENTENCE_START}) if starts_sentence else None
    return min(candidates, key=lambda c: (sum(word in _COMMON for _, word in c), len(c)))


def required_words(pattern: list) -> list[frozenset]:
    """For each token a match must have that names its words, those words, as ("lower", word) or
    ("lemma", word): a match holds one word of each."""
    found = []
    for token in pattern:
        if token.get("OP") not in _REQUIRED_OPS:
            continue
        for attr, kind in (("LOWER", "lower"), ("ORTH", "lower"), ("TEXT", "lower"), ("LEMMA", "lemma")):
            value = token.get(attr)
            if isinstance(value, dict) and set(value) == {"IN"}:
                words = {str(word) for word in value["IN"]}
            elif isinstance(value, str):
                words = {value}
            else:
                continue
            if attr in ("ORTH", "TEXT"):  # the lower-case form of a token is its text in lower case
                words = {word.lower() for word in words}
            found.append(frozenset((kind, word) for word in words))
            break
    return found


#: The "word" of _anchor that every token starting a sentence has.
SENTENCE_START = ("sentence", "start")


class Anchors(NamedTuple):
    """A group's anchor words (see _anchor) as string-store ids of lower-case forms and lemmas,
    and whether a sentence start anchors it."""

    lower: frozenset[int]
    lemma: frozenset[int]
    sentence_start: bool

    @classmethod
    def of(cls, anchors: frozenset, strings) -> "Anchors":
        # Shared by every token that names the same words, as a vocabulary's tokens do: the
        # built-in rules ask for 12,600 and name 3,900 distinct word sets (4 MiB less at peak).
        # A string-store id is a hash of the string, the same in every store and pipeline.
        known = _ANCHORS.get(anchors)
        if known is None:
            known = _ANCHORS[anchors] = cls(frozenset(strings[word] for kind, word in anchors if kind == "lower"),
                                            frozenset(strings[word] for kind, word in anchors if kind == "lemma"),
                                            SENTENCE_START in anchors)
        return known

    def positions(self, places) -> list[int]:
        """Where in a block (its analysis.scratch.token_places) an anchor word or, if it counts, a
        sentence start is, in order."""
        found = [i for word in self.lower for i in places.lower.get(word, ())]
        found += [i for word in self.lemma for i in places.lemma.get(word, ())]
        if self.sentence_start:
            found += places.sentence_starts
        return sorted(set(found))


#: Anchors.of's copies, by the words they hold.
_ANCHORS: dict[frozenset, Anchors] = {}


#: A repeat operator "{n}", "{n,}", "{,m}" or "{n,m}": (least, comma, most).
REPEAT = re.compile(r"\{(\d*)(,?)(\d*)\}")


def longest_match(pattern: list) -> int | None:
    """The most tokens a match of ``pattern`` can span; None when an operator ("*", "+", "{n,}")
    repeats a token without limit. "!" reads one token, which must not match."""
    longest = 0
    for token in pattern:
        op = token.get("OP")
        if op in (None, "1", "!", "?"):
            longest += 1
            continue
        repeat = REPEAT.fullmatch(op) if isinstance(op, str) else None
        if repeat is None:
            return None
        least, comma, most = repeat.groups()
        if comma and not most:
            return None
        longest += int(most or least)
    return longest


#: The most optional tokens one "{n,m}" may add (m - n). spaCy expands a range into that many
#: optional tokens and follows every way of skipping them, so a wide range of loose tokens
#: ("{0,30}") makes one sentence take minutes and gigabytes; "*" does the same job in linear time.
MAX_OPTIONAL_REPEATS = 16


def check_repeats(pattern: list, index: int) -> None:
    for token in pattern:
        op = token.get("OP")
        repeat = REPEAT.fullmatch(op) if isinstance(op, str) else None
        if repeat is None or not repeat.group(3):
            continue
        least, comma, most = repeat.groups()
        if int(most) - int(least or 0) > MAX_OPTIONAL_REPEATS:
            raise ValueError(f'patterns[{index}]: OP "{op}" allows more than {MAX_OPTIONAL_REPEATS} optional '
                             'tokens, which makes spaCy\'s matcher try every way of skipping them; use "*" '
                             f"or a range of at most {MAX_OPTIONAL_REPEATS}")


def windows(positions: list[int], reach: int, length: int) -> list[tuple[int, int]]:
    """(start, end) of the tokens within ``reach - 1`` tokens of the sorted ``positions`` in a Doc
    of ``length`` tokens, ranges that touch merged into one."""
    merged: list[tuple[int, int]] = []
    for i in positions:
        start, end = max(i - reach + 1, 0), min(i + reach, length)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def check_tokens(patterns: list[list]) -> None:
    """Raise ValueError naming the first pattern spaCy's Matcher would refuse. A token plainly
    valid (words, flags, a simple operator) is not asked about; spaCy's own check runs once over
    all the other tokens of the set (a call per pattern cost more than the rest of compiling),
    and its messages, which name a token by its place in that list, are mapped back."""
    from spacy.schemas import validate_token_pattern

    places = [(index, position) for index, pattern in enumerate(patterns)
              for position, token in enumerate(pattern) if not _plainly_valid(token)]
    errors = validate_token_pattern([patterns[index][position] for index, position in places]) if places else []
    if errors:
        found = _PLACE.match(errors[0])
        index, position = places[int(found[1])] if found else (0, 0)
        if found:  # this token's objections, named by its place in its own pattern
            errors = [f"[pattern -> {position}{error[found.end():]}" for error in errors
                      if _PLACE.match(error) and _PLACE.match(error)[1] == found[1]]
        raise ValueError(f"patterns[{index}] is not a valid spaCy token pattern: {' '.join(' '.join(errors).split())[:300]}")
    for index, position in places:  # spaCy compiles a REGEX predicate when it adds the pattern
        for value in patterns[index][position].values():
            if isinstance(value, dict) and isinstance(value.get("REGEX"), str):
                try:
                    re.compile(value["REGEX"])
                except re.error as exc:
                    raise ValueError(f"patterns[{index}] is not a valid spaCy token pattern: "
                                     f"REGEX {value['REGEX']!r}: {exc}") from None


#: Token attributes whose value is a word or a word list, and those whose value is a flag.
_WORD_ATTRS = frozenset({"ORTH", "TEXT", "NORM", "LOWER", "LEMMA"})
_FLAG_ATTRS = frozenset({"IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT",
                         "IS_SPACE", "IS_STOP", "IS_SENT_START", "SENT_START", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL"})


def _plainly_valid(token) -> bool:
    """Whether spaCy surely accepts ``token``: words, word lists, flags and a simple operator."""
    if not isinstance(token, dict):
        return False
    for key, value in token.items():
        if key in _WORD_ATTRS:
            words = [value] if isinstance(value, str) else value.get("IN", value.get("NOT_IN")) \
                if isinstance(value, dict) and len(value) == 1 else None
            if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
                return False
        elif not (key in _FLAG_ATTRS and isinstance(value, bool) or key == "OP" and value in ("?", "*", "+", "!")):
            return False
    return True


#: How spaCy's check names a token: "[pattern -> 12".
_PLACE = re.compile(r"\[pattern -> (\d+)")
