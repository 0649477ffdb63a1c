"""The word lists of the sentence analysis (rules/features.yaml), read once per process, and how
a sentence's words are looked up in them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from poalint.errors import PoalintError
from poalint.settings import builtin_rules_dir, error_at, load_yaml, validate

FEATURES_FILE = "features.yaml"
#: The lists the analysis reads; a missing one is an error naming the file.
NAMES = ("seller-pronouns", "seller-roles", "seller-names", "third-parties", "amazon", "amazon-actions",
         "failure-words", "intact-states", "negations", "causal", "hedges", "evaluative", "emotional",
         "frequency", "documents", "number-words", "past-forms", "happen-verbs", "triggers", "planned",
         "conditions", "closing-formulas", "remedy-verbs", "sending-verbs", "routine-verbs", "record-verbs", "check-nouns", "nobody", "by-hand", "limiting", "lacked", "not-routine",
         "amazon-action-categories", "time-shifts")
#: Splits an entry as spaCy splits its words: "co-founder" is three tokens, "'ll" one.
_TOKEN = re.compile(r"n't|'[a-z]+|\w+|[^\w\s]")


def plain(word: str) -> str:
    """A word as the lists write it: lower case, straight apostrophe."""
    return word.lower().replace("\u2019", "'")


@dataclass(frozen=True)
class WordList:
    """Phrases (tuples of words), by their first word."""

    by_first: dict[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def of(cls, entries: Sequence[str]) -> "WordList":
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for entry in entries:
            words = tuple(_TOKEN.findall(plain(entry)))
            if words:
                by_first.setdefault(words[0], []).append(words)
        # Longest first, so that a span covers "due to" rather than stopping at "due".
        return cls({first: tuple(sorted(set(found), key=len, reverse=True)) for first, found in by_first.items()})

    def at(self, words: Sequence[str], i: int) -> int:
        """How many words of the list's longest phrase starting at ``words[i]``, or 0."""
        for phrase in self.by_first.get(words[i], ()):
            if tuple(words[i:i + len(phrase)]) == phrase:
                return len(phrase)
        return 0

    def spans(self, words: Sequence[str], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Every (start, end) word span of a phrase of the list in ``words[start:end]``."""
        end = len(words) if end is None else end
        found = []
        for i in range(start, end):
            length = self.at(words, i) if words[i] in self.by_first else 0
            if length and i + length <= end:
                found.append((i, i + length))
        return found

    def first(self, words: Sequence[str], start: int = 0, end: int | None = None) -> int | None:
        spans = self.spans(words, start, end)
        return spans[0][0] if spans else None

    def found_in(self, words: Sequence[str]) -> bool:
        # Most words start no phrase of the list: a dictionary test rules them out first.
        return any(self.at(words, i) for i, word in enumerate(words) if word in self.by_first)


@lru_cache(maxsize=None)
def lexicon(path: Path | None = None) -> dict[str, WordList]:
    """The word lists of ``path`` (by default the built-in rules/features.yaml), once per process."""
    path = path or builtin_rules_dir() / FEATURES_FILE
    data, text = load_yaml(path, "feature vocabulary file")
    validate(data, text, path, "rules")  # a rule file that holds vocabularies only
    vocabularies = (data or {}).get("vocabularies", {})
    missing = [name for name in NAMES if name not in vocabularies]
    if missing:
        raise PoalintError(f"the feature vocabularies lack {', '.join(missing)}", path=str(path), key="vocabularies")
    for name, entries in vocabularies.items():
        for j, entry in enumerate(entries):
            if not _TOKEN.search(plain(entry)):
                raise error_at("an entry holds no word", path, text, ("vocabularies", name, j))
    return {name: WordList.of(entries) for name, entries in vocabularies.items()}
