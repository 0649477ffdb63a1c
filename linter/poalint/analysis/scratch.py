"""What rules derive from a block's Doc only on the way to its matches (token rows, which words
occur and where), kept for one letter.

It is the letter's, not the block's (poalint.analysis.blocks): it lives in a ``letter_scope`` and
goes when the scope closes, since a kept block keeps its matches and such data would be dead weight.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, NamedTuple

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass
class Scratch:
    """What rules derive from one block's Doc on the way to its matches, for one letter."""

    #: Each token's lower-case form and lemma (string-store ids), whether it starts a sentence
    #: (1) and whether it is alphabetic, read once as arrays (see ``token_rows``).
    token_rows: list[list[int]] | None = None
    #: The lower-case forms and the lemmas (string-store ids) that occur (see ``token_words``).
    words: tuple[frozenset[int], frozenset[int]] | None = None
    #: Where each lower-case form and lemma occurs, and where sentences start (see ``token_places``).
    places: "TokenPlaces | None" = None


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


def token_words(doc: "Doc") -> tuple[frozenset[int], frozenset[int]]:
    """The lower-case forms and the lemmas (string-store ids) that occur in ``doc``."""
    derived = scratch(doc)
    if derived.words is None:
        rows = token_rows(doc)
        derived.words = frozenset(row[0] for row in rows), frozenset(row[1] for row in rows)
    return derived.words


class TokenPlaces(NamedTuple):
    """The token indices of each lower-case form and lemma (string-store ids) of a Doc, and of
    its sentence starts."""

    lower: dict[int, list[int]]
    lemma: dict[int, list[int]]
    sentence_starts: list[int]


def token_places(doc: "Doc") -> TokenPlaces:
    derived = scratch(doc)
    if derived.places is None:
        lower: dict[int, list[int]] = {}
        lemma: dict[int, list[int]] = {}
        starts = []
        for i, (lower_id, lemma_id, sent_start, _) in enumerate(token_rows(doc)):
            lower.setdefault(lower_id, []).append(i)
            lemma.setdefault(lemma_id, []).append(i)
            if sent_start == 1:
                starts.append(i)
        derived.places = TokenPlaces(lower, lemma, starts)
    return derived.places
