"""Where a match lies in a block's text: the longest of overlapping matches, and a match
narrowed to the words it covers (no clause marks, spaces or unpaired quotation marks at its edges)."""
from __future__ import annotations

import re


def longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep the longest of overlapping spans (earlier first on ties), in text order."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= k_start or start >= k_end for k_start, k_end in kept):
            kept.append((start, end))
    return sorted(kept)


def overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


#: Marks that end or join clauses: a span neither starts nor ends on one (nor on a space).
_CLAUSE_MARKS = frozenset(",.;:!?…-–—")
#: Opening and closing quotation marks and brackets: kept at a span's edge only with their partner.
_PARTNERS = {"“": "”", "‘": "’", "«": "»", "(": ")", "[": "]", '"': '"', "'": "'"}
_OPENING = frozenset(_PARTNERS)
_CLOSING = {closing: opening for opening, closing in _PARTNERS.items()}
#: The end of an abbreviation with a full stop inside ("e.g", "U.S"), before its last full stop.
_ABBREVIATION = re.compile(r"[^\W\d_]\.[^\W\d_]+$")


def word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` narrowed to run from its first word to its last: "soon," becomes "soon".

    A quotation mark or bracket stays when its partner is in the span (“not our fault” is a
    quoted phrase) and goes when it is not; an apostrophe after "s" ends a word ("sellers’").
    A full stop stays after an abbreviation that holds another ("U.S."). A match made only of
    punctuation ("!!!") is what the rule looks for, and is kept whole."""
    first, last = start, end
    while first < last:
        ch = text[first]
        if ch.isspace() or ch in _CLAUSE_MARKS or ch in _CLOSING and ch not in _OPENING \
                or ch in _OPENING and _PARTNERS[ch] not in text[first + 1:last]:
            first += 1
        else:
            break
    while first < last:
        ch, before = text[last - 1], text[first:last - 1]
        if ch == "." and _ABBREVIATION.search(before) or ch in "’'" and before.endswith(("s", "S")):
            break
        if ch.isspace() or ch in _CLAUSE_MARKS or ch in _OPENING and ch not in _CLOSING \
                or ch in _CLOSING and _CLOSING[ch] not in before:
            last -= 1
        else:
            break
    return (first, last) if first < last else (start, end)
