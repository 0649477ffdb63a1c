"""What is worked out once per distinct block text, and the one place that keeps it for reuse.

Letters kept together share paragraphs: an agency's templates and its letters copy the same
commitments, signatures and headings. All that is worked out from a block depends on its text
alone, so a ``BlockAnalysis`` (the Doc, where its tokens are in the text, its sentences and
words, the matches each rule keeps) is made once per text and handed again to every later block
of that text (``RecentBlocks``): a paragraph seen again is neither tokenised nor matched again.

What rules derive only on the way to their matches (token rows, prefilter results) is the
letter's, not the block's: it lives in a ``letter_scope`` and goes when the scope closes, since a
kept block keeps its matches and such data would be dead weight.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import TYPE_CHECKING, Iterator, NamedTuple

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from poalint.reading.document import Block

_NOT_SPACE = re.compile(r"\S+")
_WORD = re.compile(r"[^\W_]")
#: Whether a token text holds a letter or digit, by its string-store id.
_HAS_WORD_CHARACTER: dict[int, bool] = {}


class Sentence(NamedTuple):
    """One sentence of a block's Doc: its tokens ``start`` to ``end`` and how many are words."""

    start: int
    end: int
    words: int


@dataclass(eq=False)
class BlockAnalysis:
    """A block text after NLP, with what rules work out from it, once per distinct text."""

    doc: "Doc"
    #: Where each token of ``doc`` starts and ends, as offsets into the block's text.
    starts: list[int]
    ends: list[int]
    #: The matches each rule's Matching keeps in this text (offsets into it), by the Matching's
    #: key: a block of the same text in a later letter gets them without matching again.
    matches: dict[object, list[tuple[int, int]]] = field(default_factory=dict)

    @classmethod
    def tokenised(cls, nlp: "Language", text: str) -> "BlockAnalysis":
        """Tokens of ``text`` with no whitespace tokens, remembering where each token is; the
        pipeline's components are still to run on the Doc.

        Masked markup and line breaks leave runs of spaces; without them "**not** our fault" and
        a phrase wrapped over two lines read as the plain phrase to every matcher and to the
        sentencizer. spaCy's tokenizer splits at whitespace (str.isspace, as \\s) and makes a token
        of every run but a single space, so each run becomes one space before tokenising: the words
        are tokenised exactly as when written with single spaces. (That is also what dropping
        spaCy's whitespace tokens gives, but for one quirk: spaCy merges a special case such as
        ":)" after "it)" only when a whitespace token stands between them.)
        """
        words = text.split()  # at runs of str.isspace characters, as \s+ in a str pattern
        joined = " ".join(words)
        doc = nlp.make_doc(joined)
        starts, lengths = doc.to_array(["IDX", "LENGTH"]).T.tolist()
        if joined != text:
            # A token lies within one word, which moved left by the whitespace removed before it.
            joined_starts = list(accumulate((len(word) + 1 for word in words[:-1]), initial=0))
            shifts = [match.start() - joined_start
                      for match, joined_start in zip(_NOT_SPACE.finditer(text), joined_starts)]
            starts = [start + shifts[bisect_right(joined_starts, start) - 1] for start in starts]
        return cls(doc, starts, [start + length for start, length in zip(starts, lengths)])

    def text_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets into the block's text of tokens ``start`` to ``end`` (exclusive)."""
        return self.starts[start], self.ends[end - 1]

    def source_span(self, block: "Block", start: int, end: int) -> tuple[int, int]:
        """File offsets of tokens ``start`` to ``end`` (exclusive) of ``block``, of this text."""
        in_text_start, in_text_end = self.text_span(start, end)
        return block.start + in_text_start, block.start + in_text_end

    @cached_property
    def word_flags(self) -> list[bool]:
        """Whether each token is a word (neither space nor punctuation, and holding a letter or
        digit): several rules count words. Read as arrays, since each spaCy Token read from
        Python is an object made anew."""
        strings, known = self.doc.vocab.strings, _HAS_WORD_CHARACTER
        flags = []
        for orth, space, punct in self.doc.to_array(["ORTH", "IS_SPACE", "IS_PUNCT"]).tolist():
            has = known.get(orth)
            if has is None:
                has = known[orth] = bool(_WORD.search(strings[orth]))
            flags.append(has and not space and not punct)
        return flags

    def words(self, start: int = 0, end: int | None = None) -> int:
        """The words among tokens ``start`` to ``end``."""
        return sum(self.word_flags[start:end])

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Every sentence: several rules and metrics read them, and spaCy makes each sentence
        Span anew."""
        return [Sentence(sent.start, sent.end, self.words(sent.start, sent.end)) for sent in self.doc.sents]


class RecentBlocks:
    """The analyses of the block texts analysed last, up to a total length of text."""

    def __init__(self, max_characters: int):
        self.max_characters = max_characters
        self._kept: OrderedDict[str, BlockAnalysis] = OrderedDict()  # least recently used first
        self._characters = 0

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, text: str) -> bool:
        return text in self._kept

    def get(self, text: str) -> BlockAnalysis:
        self._kept.move_to_end(text)
        return self._kept[text]

    def add(self, text: str, analysis: BlockAnalysis) -> None:
        self._kept[text] = analysis
        self._characters += len(text)
        while self._characters > self.max_characters:
            oldest, _ = self._kept.popitem(last=False)
            self._characters -= len(oldest)


@dataclass
class Scratch:
    """What rules derive from one block's Doc on the way to its matches, for one letter."""

    #: Each token's lower-case form and lemma (string-store ids), whether it starts a sentence
    #: (1) and whether it is alphabetic, read once as arrays (see ``token_rows``).
    token_rows: list[list[int]] | None = None
    #: What each prefilter bank found in the block, by bank.
    prefiltered: dict[object, object] = field(default_factory=dict)


_LETTER_SCRATCH: ContextVar[dict["Doc", Scratch] | None] = ContextVar("poalint_letter_scratch", default=None)


@contextmanager
def letter_scope() -> Iterator[None]:
    """While one letter is linted: ``scratch`` keeps what rules derive from each Doc, and drops
    it all on leaving."""
    token = _LETTER_SCRATCH.set({})
    try:
        yield
    finally:
        _LETTER_SCRATCH.reset(token)


def scratch(doc: "Doc") -> Scratch:
    """The letter's scratch for ``doc``; outside a ``letter_scope``, a new one each call (nothing
    is kept)."""
    kept = _LETTER_SCRATCH.get()
    if kept is None:
        return Scratch()
    found = kept.get(doc)
    if found is None:
        found = kept[doc] = Scratch()
    return found


def token_rows(doc: "Doc") -> list[list[int]]:
    """Each token's lower-case form and lemma (string-store ids), whether it starts a sentence
    (1) and whether it is alphabetic, read once per Doc and letter as arrays: each spaCy Token
    read from Python is an object made anew."""
    derived = scratch(doc)
    if derived.token_rows is None:
        derived.token_rows = doc.to_array(["LOWER", "LEMMA", "SENT_START", "IS_ALPHA"]).tolist()
    return derived.token_rows
