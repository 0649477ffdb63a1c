"""A sentence's likely wording fault, from a linear model of its words and word pieces.

Phrase patterns find the wording they were written for and little else: the next seller words a
denial or a complaint differently (docs/quality.md). The model reads cues that generalise past a
phrase: each word, each pair and run of three words, each three- to five-letter piece of a word, so
that "unfairly", "unfair" and a misspelt "unfaire" share evidence, and each word's class (a
carrier, a hedge, a negation), so that "the courier failed" teaches "the forwarder failed". Rules
name one of its labels under `classifier:` (docs/rule-language.md#classifier); the model file is
data, trained from labelled sentences by tools/train_wording_model.py, which uses ``cues`` below
so that training and linting read a sentence alike.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
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


#: Distinct words whose cues are kept in memory: a letter uses a few hundred, and a batch of letters
#: that share no wording would otherwise hold megabytes of them.
KEPT = 32768


@lru_cache(maxsize=KEPT)
def word_cues(word: str) -> frozenset[str]:
    """A word's own cues: the word ("w …") and its pieces of three to five letters, padded with a
    space ("c …"). Kept per word: letters repeat their words, and most time goes here."""
    padded = f" {word} "
    return frozenset(["w " + word] + ["c " + padded[i:i + size] for size in (3, 4, 5)
                                      for i in range(len(padded) - size + 1)])


def units(words: list[str]) -> list[tuple[str, ...]]:
    """What the model reads a sentence by: each word, each pair of words and each run of three."""
    return [(word,) for word in words] + list(zip(words, words[1:])) + list(zip(words, words[1:], words[2:]))


def unit_cues(unit: tuple[str, ...], word_class: dict[str, str]) -> frozenset[str]:
    """A unit's cues. A word: its own cues and its class ("u @third-parties"). A pair: itself
    ("b …"), and itself with either word replaced by its class ("k @third-parties failed"), so that
    what the model learnt of "the courier failed" holds for "the forwarder failed". A run of three:
    itself ("t …")."""
    if len(unit) == 1:
        word_kind = word_class.get(unit[0])
        return word_cues(unit[0]) | {f"u @{word_kind}"} if word_kind else word_cues(unit[0])
    if len(unit) == 3:
        return frozenset(["t " + " ".join(unit)])
    first, second = unit
    found = [f"b {first} {second}"]
    if first in word_class:
        found.append(f"k @{word_class[first]} {second}")
    if second in word_class:
        found.append(f"k {first} @{word_class[second]}")
    return frozenset(found)


def cues(text: str, word_class: dict[str, str]) -> dict[str, float]:
    """The sentence's cues, each weighted 1/sqrt(number of cues) so that long and short sentences
    weigh alike. ``word_class`` maps a word to the vocabulary it belongs to (the model's own)."""
    found = set().union(*(unit_cues(unit, word_class) for unit in units(words_of(text))))
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
    # A word → its class (a vocabulary of rules/features.yaml when the model was trained). Stored
    # in the model, so that a user who extends a vocabulary does not change what the model reads.
    word_class: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        # Kept (like word_cues) because letters repeat their words and runs of words.
        object.__setattr__(self, "_known", {})

    @classmethod
    def read(cls, path: Path) -> "WordingModel":
        try:
            with numpy.load(path, allow_pickle=False) as data:
                labels, bias, keys, weights = tuple(data["labels"].tolist()), data["bias"], data["keys"], data["weights"]
                # A model may have no classes (tests' tiny models); the built-in one has.
                classed = "class_words" in data.files
                word_class = dict(zip(data["class_words"].tolist(), data["class_names"].tolist())) if classed else {}
        except (OSError, ValueError, KeyError) as exc:
            raise PoalintError(f"{path}: not a wording model ({exc})") from None
        if weights.shape != (len(keys), len(labels)) or bias.shape != (len(labels),):
            raise PoalintError(f"{path}: not a wording model (its arrays disagree in size)")
        if keys.dtype != numpy.uint64 or (len(keys) > 1 and not (keys[1:] > keys[:-1]).all()):
            raise PoalintError(f"{path}: not a wording model (its keys are not sorted 64-bit keys)")
        # Stored as 16-bit floats (half the file, the same labels at two decimals of probability);
        # worked out in 32 bits.
        return cls(labels, bias, keys, weights.astype(numpy.float32), word_class)

    def lookup(self, cues: list[str]) -> "numpy.ndarray":
        """Each cue's row, or -1 for a cue the model does not know."""
        wanted = numpy.fromiter(map(cue_key, cues), dtype=numpy.uint64, count=len(cues))
        if not len(self.keys):
            return numpy.full(len(cues), -1)
        at = numpy.minimum(numpy.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return numpy.where(self.keys[at] == wanted, at, -1)

    def classify(self, text: str) -> tuple[str, float]:
        """The most likely label of a sentence and its probability: the same as weighing
        ``cues(text, self.word_class)``, worked out unit by unit."""
        read = units(words_of(text))
        kept = self._known  # a word → its cues, and the rows of those the model knows
        if len(kept) > KEPT:
            kept.clear()  # cheaper than an LRU's bookkeeping, and rare
        # Only single words are kept: pairs and runs of three seldom recur outside a recurring
        # paragraph, whose findings are reused whole, and keeping them cost megabytes.
        known = {unit: kept[unit] for unit in read if unit in kept}
        new = [unit for unit in dict.fromkeys(read) if unit not in known]
        if new:
            own = [unit_cues(unit, self.word_class) for unit in new]
            found = self.lookup([cue for cues in own for cue in cues]).tolist()  # one look-up
            at = 0
            for unit, cues in zip(new, own):
                known[unit] = (cues, frozenset(row for row in found[at:at + len(cues)] if row >= 0))
                if len(unit) == 1:
                    kept[unit] = known[unit]
                at += len(cues)
        rows = set().union(*(known[unit][1] for unit in read))
        scores = self.bias
        if rows:
            weight = 1 / math.sqrt(len(set().union(*(known[unit][0] for unit in read))))
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
