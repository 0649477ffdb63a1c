"""Which token patterns can possibly match a block, answered by one RE2 pass over its tokens.

spaCy's Matcher reads tokens as Python objects and tests IN and REGEX predicates in Python, so
it is slow, and most patterns match nowhere in a given letter. Each block's tokens are written
once as one string, a record per token (its lower-case form, its lemma and two flags), and every
pattern is rewritten as a regular expression over such records. One RE2 Set search then names the
patterns that may match, and only those reach spaCy's Matcher, which alone decides what matches.

The rewriting over-approximates: a predicate it cannot express (REGEX, NOT_IN, LIKE_NUM, …)
accepts any token, "!" accepts any one token. So a pattern spaCy would match is always named; a
named pattern that spaCy then does not match costs time, never a finding.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import re2

if TYPE_CHECKING:
    from spacy.tokens import Doc

# A token's record: START lower FIELD lemma FIELD sentence-start flag, alphabetic flag END.
_START, _FIELD, _END = "\x1c", "\x1d", "\x1e"
_ANY_FIELD = f"[^{_FIELD}]*"
_ANY_TOKEN = f"{_START}[^{_END}]*{_END}"
#: Flags as written in a record, and the predicates that read them exactly as spaCy's Matcher does.
_FLAGS = {"IS_SENT_START": (0, "S"), "SENT_START": (0, "S"), "IS_ALPHA": (1, "A")}
_NO_FLAG = "-"
_RANGE = re.compile(r"\{(\d*)(,?)(\d*)\}")
_RECORDS = "poalint_token_records"
#: A record start followed by the start of the text: matches nothing.
_NEVER = _START + "\\A"


def _literal(word: str) -> str:
    return "".join("\\" + ch if ch.isascii() and not ch.isalnum() else ch for ch in word)


def _words(value, lower: bool) -> frozenset[str] | None:
    """The values a token attribute may take under ``value``, or None if that cannot be said."""
    if isinstance(value, str):
        words = [value]
    elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(w, str) for w in value["IN"]):
        words = value["IN"]
    else:
        return None
    return frozenset(w.lower() if lower else w for w in words)


def _token_expression(token: dict) -> str:
    """A regular expression matching the record of every token ``token`` (one pattern element,
    without its OP) matches, and perhaps more."""
    # lower == text.lower() for every token, so ORTH and TEXT values constrain the lower form.
    lower = lemma = None
    for attr in ("LOWER", "ORTH", "TEXT"):
        words = _words(token.get(attr), lower=attr != "LOWER")
        if words is not None:
            lower = words if lower is None else lower & words
    lemma = _words(token.get("LEMMA"), lower=False)
    flags = [f"[S{_NO_FLAG}]", f"[A{_NO_FLAG}]"]
    for attr, (position, flag) in _FLAGS.items():
        if isinstance(token.get(attr), bool):
            flags[position] = flag if token[attr] else _NO_FLAG
    fields = []
    for words in (lower, lemma):
        if words is None or any(_START in w or _FIELD in w or _END in w for w in words):
            fields.append(_ANY_FIELD)
        else:
            fields.append("(?:" + "|".join(sorted(_literal(w) for w in words)) + ")")
    return f"{_START}{fields[0]}{_FIELD}{fields[1]}{_FIELD}{flags[0]}{flags[1]}{_END}"


def pattern_expression(pattern: list) -> str | None:
    """A regular expression over token records for a whole spaCy token pattern; None when an
    operator is not understood (the pattern is then always run)."""
    parts = []
    for token in pattern:
        op = token.get("OP")
        element = _ANY_TOKEN if op == "!" else _token_expression(token)
        if op in (None, "1", "!"):
            parts.append(element)
        elif op in ("?", "*", "+"):
            parts.append(f"(?:{element}){op}")
        else:
            repeat = _RANGE.fullmatch(op) if isinstance(op, str) else None
            if repeat is None:
                return None
            least, comma, most = repeat.groups()
            parts.append(f"(?:{element}){{{least or 0}{comma}{most}}}")
    return "".join(parts)


class TokenFilter:
    """An RE2 Set of token patterns; ``candidates`` names those that may match a block's Doc."""

    def __init__(self, patterns: list[list]):
        options = re2.Options()
        options.log_errors = False
        options.max_mem = 64 << 20
        self._set = re2.Set.SearchSet(options)
        # RE2's Set gives no match at all when its automaton runs out of memory; an empty
        # expression, which matches every text, tells that apart from "no pattern matches".
        self._set.Add("")
        self._always: set[int] = set()
        for index, pattern in enumerate(patterns):
            expression = pattern_expression(pattern)
            try:
                if expression is None:
                    raise re2.error("not expressible")
                self._set.Add(expression)
            except re2.error:  # e.g. a repeat count over RE2's limit of 1,000
                self._always.add(index)
                self._set.Add(_NEVER)  # keeps Set indices = pattern indices + 1
        self._everything = set(range(len(patterns)))
        try:
            self._set.Compile()
        except re2.error:  # over the memory limit: every pattern is run
            self._set = None

    def candidates(self, doc: "Doc") -> set[int]:
        records = token_records(doc)
        if records is None or self._set is None:
            return self._everything
        found = self._set.Match(records)
        if not found:
            return self._everything
        return {index - 1 for index in found if index} | self._always


def token_records(doc: "Doc") -> bytes | None:
    """A block's tokens as records, UTF-8, built once per Doc; None when a token holds a
    delimiter character (the block is then not filtered)."""
    records = doc.user_data.get(_RECORDS, False)
    if records is False:
        strings = doc.vocab.strings
        rows = doc.to_array(["LOWER", "LEMMA", "SENT_START", "IS_ALPHA"]).tolist()
        text = "".join(f"{_START}{strings[lower]}{_FIELD}{strings[lemma]}{_FIELD}"
                       f"{'S' if sent_start == 1 else _NO_FLAG}{'A' if alpha else _NO_FLAG}{_END}"
                       for lower, lemma, sent_start, alpha in rows)
        # A delimiter inside a word or lemma would misalign the records.
        well_formed = text.count(_START) == text.count(_END) == len(rows) and text.count(_FIELD) == 2 * len(rows)
        records = text.encode("utf-8") if well_formed else None
        doc.user_data[_RECORDS] = records
    return records
