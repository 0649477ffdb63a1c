"""What a token pattern's shape tells before it runs (poalint.rules.matching.patterns): the words
a match must contain (its anchor), the most tokens a match can span, the windows of a block
those bound, and whether its repeats are safe to give spaCy's Matcher."""
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
    word), exactly as the token must have them: those of its most telling required token. Failing such a token, a required token that
    must start a sentence anchors the pattern on sentence starts (SENTENCE_START). None when no
    token pins its words or its place down."""
    candidates = []
    starts_sentence = False
    for token in pattern:
        if token.get("OP") not in _REQUIRED_OPS:
            continue
        starts_sentence = starts_sentence or any(token.get(attr) is True for attr in ("IS_SENT_START", "SENT_START"))
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
            candidates.append(frozenset((kind, word) for word in words))
            break
    if not candidates:
        return frozenset({SENTENCE_START}) if starts_sentence else None
    return min(candidates, key=lambda c: (sum(word in _COMMON for _, word in c), len(c)))


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
        return cls(frozenset(strings[word] for kind, word in anchors if kind == "lower"),
                   frozenset(strings[word] for kind, word in anchors if kind == "lemma"),
                   SENTENCE_START in anchors)

    def positions(self, rows: list[list[int]]) -> list[int]:
        """Where in a block (its token_rows) an anchor word or, if it counts, a sentence start is."""
        lower, lemma, sentence_start = self
        return [i for i, (lower_id, lemma_id, starts, _) in enumerate(rows)
                if lower_id in lower or lemma_id in lemma or sentence_start and starts == 1]


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
