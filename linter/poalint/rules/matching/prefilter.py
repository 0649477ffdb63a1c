"""Which patterns can possibly match a block, answered by one RE2 Set search per block.

spaCy's Matcher reads tokens as Python objects and tests IN and REGEX predicates in Python, so
it is slow, and most patterns match nowhere in a given letter. Each block's tokens are written
once as a byte string, a fixed-size record per token (codes for its lower-case form and lemma,
and two flags), and every token pattern is rewritten as a regular expression over such records.
One RE2 Set search then names the patterns that may match, and only those reach spaCy's Matcher,
which alone decides what matches. A rule's regular expressions are searched for in the block's
text the same way, so only those that match are run to find where.

The rewriting over-approximates: a predicate it cannot express (REGEX, NOT_IN, LIKE_NUM, …)
accepts any token, "!" accepts any one token. So a pattern spaCy would match is always named; a
named pattern that spaCy then does not match costs time, never a finding.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Iterator

import re2

from poalint.analysis.blocks import scratch, token_rows
from poalint.rules.matching.token_shape import REPEAT

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Flags as a record's last byte holds them (bit 1: starts a sentence, bit 0: alphabetic), and
#: the predicates that read them exactly as spaCy's Matcher does.
_FLAG_BITS = {"IS_SENT_START": 2, "SENT_START": 2, "IS_ALPHA": 1}
_FLAG_BYTES = [bytes([flags]) for flags in range(4)]
#: Expressions per RE2 Set, and the memory each Set may use (RE2's own default is 8 MiB).
_PER_SET = 50
_SET_MEMORY = 8 << 20
#: Two bytes of seven bits code a word, so a vocabulary holds at most this many (code 0: any
#: other word); the words of a pattern beyond it read as any word.
_CODES = 1 << 14


def _words(value, lower: bool) -> frozenset[str] | None:
    """The values a token attribute may take under ``value``, or None if that cannot be said."""
    if isinstance(value, str):
        words = [value]
    elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(w, str) for w in value["IN"]):
        words = value["IN"]
    else:
        return None
    return frozenset(w.lower() if lower else w for w in words)


def _bytes_class(low: int, high: int) -> str:
    return f"[\\x{low:02x}-\\x{high:02x}]"


#: Matches no byte: a token no word or flag can satisfy (``LOWER: we`` with ``ORTH: Us``).
_NOTHING = "[^\\x00-\\xff]"


class _Vocabulary:
    """Two-byte codes for the words one field of the patterns names, by string-store id.

    A lower-case form's first byte has its high bit set and every other byte of a record has it
    clear, so a record's start is never mistaken: an expression can only match whole records."""

    def __init__(self, first_byte_flag: int):
        self._flag = first_byte_flag
        self.codes: dict[int, bytes] = {}
        self.other = bytes([first_byte_flag, 0])
        self.any = _bytes_class(first_byte_flag, first_byte_flag | 0x7F) + _bytes_class(0, 0x7F)

    def code(self, word: str) -> bytes | None:
        """The word's code, given now if it has none; None once the codes are all given."""
        # Imported here: this module is loaded with the rule kinds, which `rules` and `explain`
        # import without ever loading spaCy.
        from spacy.strings import get_string_id

        key = get_string_id(word)
        if key not in self.codes:
            number = len(self.codes) + 1
            if number >= _CODES:
                return None
            self.codes[key] = bytes([self._flag | number >> 7, number & 0x7F])
        return self.codes[key]

    def expression(self, words: frozenset[str] | None) -> str:
        codes = [] if words is None else [self.code(word) for word in words]
        if words is None or None in codes:
            return self.any
        if not codes:
            return _NOTHING
        return "(?:" + "|".join(sorted("".join(f"\\x{byte:02x}" for byte in code) for code in codes)) + ")"


class TokenRecords:
    """How a bank writes a block's tokens, five bytes each: the lower-case form's code, the
    lemma's code, the flags; and how it rewrites token patterns to match them."""

    def __init__(self):
        self.lower = _Vocabulary(0x80)
        self.lemma = _Vocabulary(0x00)

    def token_expression(self, token: dict) -> str:
        """A regular expression matching the record of every token ``token`` (one pattern element,
        without its OP) matches, and perhaps more."""
        # lower == text.lower() for every token, so ORTH and TEXT values constrain the lower form.
        lower = None
        for attr in ("LOWER", "ORTH", "TEXT"):
            words = _words(token.get(attr), lower=attr != "LOWER")
            if words is not None:
                lower = words if lower is None else lower & words
        flags = range(4)
        for attr, bit in _FLAG_BITS.items():
            if isinstance(token.get(attr), bool):
                flags = [f for f in flags if bool(f & bit) == token[attr]]
        flag_class = "[" + "".join(f"\\x{f:02x}" for f in flags) + "]" if flags else _NOTHING
        return (self.lower.expression(lower) + self.lemma.expression(_words(token.get("LEMMA"), lower=False))
                + flag_class)

    def pattern_expression(self, pattern: list) -> str | None:
        """A regular expression over token records for a whole spaCy token pattern; None when an
        operator is not understood (the pattern is then always run)."""
        parts = []
        for token in pattern:
            op = token.get("OP")
            element = self.token_expression({} if op == "!" else token)
            if op in (None, "1", "!"):
                parts.append(element)
            elif op in ("?", "*", "+"):
                parts.append(f"(?:{element}){op}")
            else:
                repeat = REPEAT.fullmatch(op) if isinstance(op, str) else None
                if repeat is None:
                    return None
                least, comma, most = repeat.groups()
                parts.append(f"(?:{element}){{{least or 0}{comma}{most}}}")
        return "".join(parts)

    def records(self, doc: "Doc") -> bytes:
        lower, lemma = self.lower.codes, self.lemma.codes
        other_lower, other_lemma = self.lower.other, self.lemma.other
        return b"".join(lower.get(lower_id, other_lower) + lemma.get(lemma_id, other_lemma)
                        + _FLAG_BYTES[(2 if sent_start == 1 else 0) | alpha]
                        for lower_id, lemma_id, sent_start, alpha in token_rows(doc))


class _Filter:
    """Names the expressions of one list that may match a block.

    Filters made inside ``filtered_together`` share one RE2 Set per kind of subject, searched
    once per block for all of them (or, with the prefilter off there, name every expression);
    one made outside has a Set of its own."""

    #: Whether the subject is bytes, each read by RE2 as one Latin-1 character.
    bytewise = False

    def __init__(self, items: list):
        #: What ``candidates`` returns when it cannot narrow anything down.
        self.everything = frozenset(range(len(items)))
        #: Expressions RE2's Set cannot take: always run.
        self.always: set[int] = set()
        banks = _BANKS.get()
        self._bank = _Bank(type(self)) if banks is None else banks.get(type(self))
        if self._bank is not None:
            self._bank.join(self, self.expressions(self._bank.records, items))
            if banks is None:
                self._bank.compile()

    @staticmethod
    def expressions(records: "TokenRecords", items: list) -> list[str | None]:
        """The regular expression of each item (None: it has none, and is always run)."""
        raise NotImplementedError

    @staticmethod
    def subject(records: "TokenRecords", text: str, doc: "Doc") -> bytes | str:
        """The text the expressions are searched in."""
        raise NotImplementedError

    def candidates(self, text: str, doc: "Doc") -> set[int] | frozenset[int]:
        """The items that may match a block, given its text and Doc."""
        found = None if self._bank is None else self._bank.search(text, doc)
        if found is None:
            return self.everything
        return found.get(self, self.always)


class TokenFilter(_Filter):
    """Names the spaCy token patterns of one list that may match a block's Doc."""

    bytewise = True

    @staticmethod
    def expressions(records: TokenRecords, patterns: list[list]) -> list[str | None]:
        return [records.pattern_expression(pattern) for pattern in patterns]

    @staticmethod
    def subject(records: TokenRecords, text: str, doc: "Doc") -> bytes:
        return records.records(doc)


class TextFilter(_Filter):
    """Names the regular expressions (as compiled by RE2, with their options' defaults) of one
    list that occur in a block's text."""

    @staticmethod
    def expressions(records: TokenRecords, expressions: list[str]) -> list[str]:
        return expressions

    @staticmethod
    def subject(records: TokenRecords, text: str, doc: "Doc") -> str:
        return text


class _Bank:
    """RE2 Sets for the expressions of several filters, and each Set index's filter and expression.

    The expressions are spread over Sets of at most _PER_SET: the automaton of one Set for all of
    them grows with the product of its patterns' partial matches and needs far more memory (and
    time to build its states) than several smaller ones."""

    def __init__(self, kind: type[_Filter]):
        self.subject = kind.subject
        self.bytewise = kind.bytewise
        #: The token records' vocabulary grows as token filters join.
        self.records = TokenRecords()
        self._options = re2.Options()
        if kind.bytewise:
            self._options.encoding = re2.Options.Encoding.LATIN1
        self._options.log_errors = False
        self._options.max_mem = _SET_MEMORY
        self._sets: list[re2.Set] = []
        #: For each Set, the filter and expression of each of its indices (None: the sentinel).
        self._owners: list[list[tuple[_Filter, int] | None]] = []
        self._broken = False
        #: Which of a letter's prefilter results (analysis.blocks.Scratch) are this bank's.
        self._key = object()

    def join(self, member: _Filter, expressions: list[str | None]) -> None:
        for index, expression in enumerate(expressions):
            if not self._sets or len(self._owners[-1]) > _PER_SET:
                self._sets.append(re2.Set.SearchSet(self._options))
                # A Set gives no match at all when its automaton runs out of memory; an empty
                # expression, which matches every text, tells that apart from "none matches".
                self._sets[-1].Add("")
                self._owners.append([None])
            try:
                if expression is None:
                    raise re2.error("not expressible")
                self._sets[-1].Add(expression.encode("ascii") if self.bytewise else expression)
            except re2.error:  # e.g. a repeat count over RE2's limit of 1,000
                member.always.add(index)
                continue
            self._owners[-1].append((member, index))

    def compile(self) -> None:
        try:
            for one in self._sets:
                one.Compile()
        except re2.error:  # over the memory limit: every expression is run
            self._broken = True

    def search(self, text: str, doc: "Doc") -> dict[_Filter, set[int]] | None:
        """For each filter, its expressions that may match (those always run included), found
        once per block; None: any expression may."""
        derived = scratch(doc).prefiltered
        if self._key in derived:
            return derived[self._key]
        subject = self.subject(self.records, text, doc)
        result: dict[_Filter, set[int]] | None = None if self._broken else {}
        for one, owners in zip(self._sets, self._owners):
            if result is None:
                break
            found = one.Match(subject)
            if not found:
                result = None
                break
            for number in found:
                owner = owners[number]
                if owner is not None:
                    member, index = owner
                    if member not in result:
                        result[member] = set(member.always)
                    result[member].add(index)
        derived[self._key] = result
        return result


_BANKS: ContextVar[dict[type, _Bank] | None] = ContextVar("poalint_prefilter_banks", default=None)


@contextmanager
def filtered_together(enabled: bool = True) -> Iterator[None]:
    """Filters made within share one RE2 Set per kind, compiled on leaving: a block is then
    searched once for the patterns of every rule compiled here, not once per rule. Building the
    Sets takes longer than a letter or two take to lint without them: with ``enabled`` false,
    filters made within build nothing and name every pattern."""
    banks = {kind: _Bank(kind) for kind in (TokenFilter, TextFilter)} if enabled else {}
    token = _BANKS.set(banks)
    try:
        yield
    finally:
        _BANKS.reset(token)
    for bank in banks.values():
        bank.compile()
