"""Which patterns can possibly match a block, answered by one RE2 Set search per block.

spaCy's Matcher reads tokens as Python objects and tests IN and REGEX predicates in Python, so
it is slow, and most patterns match nowhere in a given letter. Each block's tokens are written
once as one string, a record per token (its lower-case form, its lemma and two flags), and every
token pattern is rewritten as a regular expression over such records. One RE2 Set search then
names the patterns that may match, and only those reach spaCy's Matcher, which alone decides what
matches. A rule's regular expressions are searched for in the block's text the same way, so only
those that match are run to find where.

The rewriting over-approximates: a predicate it cannot express (REGEX, NOT_IN, LIKE_NUM, …)
accepts any token, "!" accepts any one token. So a pattern spaCy would match is always named; a
named pattern that spaCy then does not match costs time, never a finding.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Callable, Iterator

import re2

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from poalint.document import Block

# A token's record: START lower FIELD lemma FIELD sentence-start flag, alphabetic flag END.
_START, _FIELD, _END = "\x1c", "\x1d", "\x1e"
_ANY_FIELD = f"[^{_FIELD}]*"
#: Flags as written in a record, and the predicates that read them exactly as spaCy's Matcher does.
_FLAGS = {"IS_SENT_START": (0, "S"), "SENT_START": (0, "S"), "IS_ALPHA": (1, "A")}
_NO_FLAG = "-"
_RANGE = re.compile(r"\{(\d*)(,?)(\d*)\}")
_RECORDS, _ROWS = "poalint_token_records", "poalint_token_rows"
#: Expressions per RE2 Set, and the memory each Set may use (RE2's own default is 8 MiB).
_PER_SET = 50
_SET_MEMORY = 8 << 20


def _literal(word: str) -> str:
    if word.isalnum():
        return word
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
        element = _token_expression({} if op == "!" else token)
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


class _Filter:
    """Names the expressions of one list that may match a block.

    Filters made inside ``filtered_together`` share one RE2 Set per kind of subject, searched
    once per block for all of them (or, with the prefilter off there, name every expression);
    one made outside has a Set of its own."""

    bytewise = False

    def __init__(self, expressions: Callable[[], list[str | None]], size: int):
        #: What ``candidates`` returns when it cannot narrow anything down.
        self.everything = frozenset(range(size))
        #: Expressions RE2's Set cannot take: always run.
        self.always: set[int] = set()
        banks = _BANKS.get()
        self._bank = _Bank(type(self)) if banks is None else banks.get(type(self))
        if self._bank is not None:
            self._bank.join(self, expressions())
            if banks is None:
                self._bank.compile()

    @staticmethod
    def subject(block: "Block", doc: "Doc") -> bytes | str | None:
        """The text the expressions are searched in (None: it cannot be, run them all)."""
        raise NotImplementedError

    def candidates(self, block: "Block", doc: "Doc") -> set[int] | frozenset[int]:
        found = None if self._bank is None else self._bank.search(block, doc)
        if found is None:
            return self.everything
        return found.get(self, self.always)


class TokenFilter(_Filter):
    """Names the spaCy token patterns of one list that may match a block's Doc."""

    #: The records and expressions are handed to RE2 as UTF-8 bytes read as Latin-1: matching is
    #: the same (literal words match byte for byte, and a delimiter byte never occurs inside a
    #: multi-byte character), while "any character but a delimiter" is one byte range instead of
    #: the many that UTF-8 needs, which keeps the Sets' programs smaller.
    bytewise = True

    def __init__(self, patterns: list[list]):
        super().__init__(lambda: [pattern_expression(pattern) for pattern in patterns], len(patterns))

    @staticmethod
    def subject(block: "Block", doc: "Doc") -> bytes | None:
        return token_records(doc)


class TextFilter(_Filter):
    """Names the regular expressions (as compiled by RE2, with their options' defaults) of one
    list that occur in a block's text."""

    def __init__(self, expressions: list[str]):
        super().__init__(lambda: expressions, len(expressions))

    @staticmethod
    def subject(block: "Block", doc: "Doc") -> str:
        return block.text


class _Bank:
    """RE2 Sets for the expressions of several filters, and each Set index's filter and expression.

    The expressions are spread over Sets of at most _PER_SET: the automaton of one Set for all of
    them grows with the product of its patterns' partial matches and needs far more memory (and
    time to build its states) than several smaller ones."""

    def __init__(self, kind: type[_Filter]):
        self.subject = kind.subject
        self.bytewise = kind.bytewise
        self._options = re2.Options()
        if kind.bytewise:
            self._options.encoding = re2.Options.Encoding.LATIN1
        self._options.log_errors = False
        self._options.max_mem = _SET_MEMORY
        self._sets: list[re2.Set] = []
        #: For each Set, the filter and expression of each of its indices (None: the sentinel).
        self._owners: list[list[tuple[_Filter, int] | None]] = []
        self._broken = False
        self._key = ("poalint_prefilter", id(self))

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
                self._sets[-1].Add(expression.encode("utf-8") if self.bytewise else expression)
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

    def search(self, block: "Block", doc: "Doc") -> dict[_Filter, set[int]] | None:
        """For each filter, its expressions that may match (those always run included), found
        once per block; None: any expression may."""
        if self._key in doc.user_data:
            return doc.user_data[self._key]
        text = self.subject(block, doc)
        result: dict[_Filter, set[int]] | None = None if text is None or self._broken else {}
        for one, owners in zip(self._sets, self._owners):
            if result is None:
                break
            found = one.Match(text)
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
        doc.user_data[self._key] = result
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


def token_rows(doc: "Doc") -> list[list[int]]:
    """Each token's lower-case form and lemma (string-store ids), whether it starts a sentence
    (1) and whether it is alphabetic, read once per Doc as arrays: each spaCy Token read from
    Python is an object made anew."""
    rows = doc.user_data.get(_ROWS)
    if rows is None:
        rows = doc.user_data[_ROWS] = doc.to_array(["LOWER", "LEMMA", "SENT_START", "IS_ALPHA"]).tolist()
    return rows


def token_records(doc: "Doc") -> bytes | None:
    """A block's tokens as records, UTF-8, built once per Doc; None when a token holds a
    delimiter character (the block is then not filtered)."""
    records = doc.user_data.get(_RECORDS, False)
    if records is False:
        strings = doc.vocab.strings
        rows = token_rows(doc)
        text = "".join(f"{_START}{strings[lower]}{_FIELD}{strings[lemma]}{_FIELD}"
                       f"{'S' if sent_start == 1 else _NO_FLAG}{'A' if alpha else _NO_FLAG}{_END}"
                       for lower, lemma, sent_start, alpha in rows)
        # A delimiter inside a word or lemma would misalign the records.
        well_formed = text.count(_START) == text.count(_END) == len(rows) and text.count(_FIELD) == 2 * len(rows)
        records = text.encode("utf-8") if well_formed else None
        doc.user_data[_RECORDS] = records
    return records
