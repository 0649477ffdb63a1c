"""A sentence's likely wording fault, from a linear model of its words and word pieces.

Phrase patterns find the wording they were written for and little else: the next seller words a
denial or a complaint differently (docs/quality.md). The model reads cues that generalise past a
phrase: each word, each pair of words and each three- to five-letter piece of a word, so that
"unfairly", "unfair" and a misspelt "unfaire" share evidence. Rules name one of its labels under
`classifier:` (docs/rule-language.md#classifier); the model file is data, trained from labelled
sentences by tools/train_wording_model.py, which uses ``cues`` below so that training and linting
read a sentence alike.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy

from poalint.analysis.lexicon import plain
from poalint.errors import PoalintError
from poalint.settings import WORDING_MODEL_FILE, builtin_rules_dir

if TYPE_CHECKING:
    from poalint.analysis.blocks import BlockAnalysis, Sentence

#: The label of a sentence with no wording fault.
CLEAN = "clean"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_DIGIT = re.compile(r"[0-9]")


def words_of(text: str) -> list[str]:
    """The words the model reads: lower case, straight apostrophes, every digit 0 (an order ID is
    a shape, not a value)."""
    return _WORD.findall(_DIGIT.sub("0", plain(text)))


#: Distinct words (and pairs of words) whose cues are kept in memory: a letter uses a few
#: thousand, and a batch of letters that share no wording would otherwise hold megabytes of them.
KEPT = 32768


@lru_cache(maxsize=KEPT)
def word_cues(word: str) -> frozenset[str]:
    """A word's own cues: the word ("w …") and its pieces of three to five letters, padded with a
    space ("c …"). Kept per word: letters repeat their words, and most time goes here."""
    padded = f" {word} "
    return frozenset(["w " + word] + ["c " + padded[i:i + size] for size in (3, 4, 5)
                                      for i in range(len(padded) - size + 1)])


def word_pairs(words: list[str]) -> list[str]:
    return [f"b {first} {second}" for first, second in zip(words, words[1:])]


def cues(text: str) -> dict[str, float]:
    """The sentence's cues, each weighted 1/sqrt(number of cues) so that long and short sentences
    weigh alike: its words' own cues and each pair of words ("b …")."""
    words = words_of(text)
    found = set().union(*map(word_cues, words)).union(word_pairs(words)) if words else set()
    if not found:
        return {}
    weight = 1 / math.sqrt(len(found))
    return dict.fromkeys(found, weight)


def cue_key(cue: str) -> int:
    """A cue's 64-bit key in the model file: a sorted array of keys costs a quarter of the memory
    of a dictionary of the cue strings, and the same in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(cue.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass(frozen=True)
class WordingModel:
    """A multinomial logistic model: one weight per label for each cue it knows."""

    labels: tuple[str, ...]
    bias: "numpy.ndarray"
    keys: "numpy.ndarray"  # the known cues' keys (cue_key), sorted, as uint64
    weights: "numpy.ndarray"  # one row per key, one column per label

    def __post_init__(self):
        # Kept (like word_cues) because letters repeat their words and pairs of words.
        object.__setattr__(self, "_rows_of", {})

    @classmethod
    def read(cls, path: Path) -> "WordingModel":
        try:
            with numpy.load(path, allow_pickle=False) as data:
                labels, bias, keys, weights = tuple(data["labels"].tolist()), data["bias"], data["keys"], data["weights"]
        except (OSError, ValueError, KeyError) as exc:
            raise PoalintError(f"{path}: not a wording model ({exc})") from None
        if weights.shape != (len(keys), len(labels)) or bias.shape != (len(labels),):
            raise PoalintError(f"{path}: not a wording model (its arrays disagree in size)")
        if keys.dtype != numpy.uint64 or (len(keys) > 1 and not (keys[1:] > keys[:-1]).all()):
            raise PoalintError(f"{path}: not a wording model (its keys are not sorted 64-bit keys)")
        # Stored as 16-bit floats (half the file, the same labels at two decimals of probability);
        # worked out in 32 bits.
        return cls(labels, bias, keys, weights.astype(numpy.float32))

    def lookup(self, cues: list[str]) -> "numpy.ndarray":
        """Each cue's row, or -1 for a cue the model does not know."""
        wanted = numpy.fromiter(map(cue_key, cues), dtype=numpy.uint64, count=len(cues))
        if not len(self.keys):
            return numpy.full(len(cues), -1)
        at = numpy.minimum(numpy.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return numpy.where(self.keys[at] == wanted, at, -1)

    def classify(self, text: str) -> tuple[str, float]:
        """The most likely label of a sentence and its probability: the same as weighing
        ``cues(text)``, worked out word by word."""
        words = words_of(text)
        pairs = word_pairs(words)
        rows_of = self._rows_of  # a word, or a pair of words ("b …"), → the rows of its known cues
        if len(rows_of) > KEPT:
            rows_of.clear()  # cheaper than an LRU's bookkeeping, and rare
        new_words = [word for word in dict.fromkeys(words) if word not in rows_of]
        new_pairs = [pair for pair in dict.fromkeys(pairs) if pair not in rows_of]
        if new_words or new_pairs:
            own = [word_cues(word) for word in new_words]
            found = self.lookup([cue for cues in own for cue in cues] + new_pairs).tolist()  # one look-up
            at = 0
            for word, cues in zip(new_words, own):
                rows_of[word] = frozenset(row for row in found[at:at + len(cues)] if row >= 0)
                at += len(cues)
            for pair, row in zip(new_pairs, found[at:]):
                rows_of[pair] = frozenset((row,) if row >= 0 else ())
        rows = set().union(*map(rows_of.__getitem__, words), *map(rows_of.__getitem__, pairs))
        scores = self.bias
        if rows:
            weight = 1 / math.sqrt(len(set().union(*map(word_cues, words))) + len(set(pairs)))
            # in row order: the rows come from sets of strings, whose order changes with the process's
            # hash seed, and a float sum in another order can differ in its last digit
            scores = scores + self.weights[sorted(rows)].sum(axis=0) * weight
        exps = numpy.exp(scores - scores.max())
        best = int(scores.argmax())
        return self.labels[best], float(exps[best] / exps.sum())


@lru_cache(maxsize=1)
def wording_model() -> WordingModel:
    """The built-in model, read once per process, and only when a rule asks for it."""
    return WordingModel.read(builtin_rules_dir() / WORDING_MODEL_FILE)


#: The model was trained on sentences: it reads only what is one (not a heading, a salutation, a
#: form line or a fragment), with at least this many words and a closing full stop, question or
#: exclamation mark.
LEAST_WORDS = 6


def full_sentence(analysis: "BlockAnalysis", sentence: "Sentence") -> bool:
    # The closing mark may be followed by one quotation mark or bracket: ... "never again."
    last = analysis.doc[sentence.end - 1].text
    return sentence.words >= LEAST_WORDS and (last in (".", "!", "?") or
                                             sentence.end >= 2 and analysis.doc[sentence.end - 2].text in (".", "!", "?"))


def sentence_labels(analysis: "BlockAnalysis") -> list[tuple[str, float]]:
    """The model's label and its probability for each of ``analysis.sentences``, worked out once
    per block text."""
    if analysis.wording is None:
        model, doc = wording_model(), analysis.doc
        analysis.wording = [model.classify(doc[s.start:s.end].text) if full_sentence(analysis, s) else (CLEAN, 1.0)
                            for s in analysis.sentences]
    return analysis.wording
