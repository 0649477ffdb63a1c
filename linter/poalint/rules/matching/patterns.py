"""The three ways a rule matches text (phrases, token patterns, regex), shared by every kind.

A PatternSet is compiled once per run for the pipeline in use; ``spans`` returns the longest
non-overlapping matches in one block, as offsets into its text. A Matching (a rule's patterns and
exceptions) keeps those that no exception cancels in the block's Doc, and returns them as offsets
into the file.

spaCy's Matcher costs time for every token it reads, so token patterns are run on as little text
as can hold their matches: only on blocks that hold a word of each token they require, and, for
patterns of bounded length, only on the tokens around a word (or a sentence start) each requires.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from poalint.analysis.scratch import token_places, token_words
from poalint.analysis.features import Condition, sentence_features
from poalint.regex import compile_regex
from poalint.rules.matching.spans import longest_first, overlaps, word_span
from poalint.rules.matching.token_shape import (Anchors, anchor, check_repeats, check_tokens, longest_match, required_words,
                                                windows)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from poalint.analysis.blocks import BlockAnalysis
    from poalint.reading.document import Block
    from poalint.analysis.pipeline import Pipeline

#: Token attributes that only a trained pipeline sets: a pattern using them needs `requires`.
TRAINED_ATTRS = {"POS": "tagger", "TAG": "tagger", "MORPH": "tagger", "DEP": "parser", "ENT_TYPE": "ner"}


def token_pattern(pattern) -> list:
    """The token pattern of one entry of ``patterns`` as spread (a list, or {pattern, when})."""
    return pattern["pattern"] if isinstance(pattern, dict) else pattern


def trained_attributes(patterns: list) -> set[str]:
    return {key for pattern in patterns for token in token_pattern(pattern) for key in token if key in TRAINED_ATTRS}


#: Limits on what a rule file may ask (docs/rule-language.md, "Limits").
MAX_PATTERNS_PER_RULE = 2_000
MAX_RULES_PER_RUN = 10_000


class PatternSet:
    def __init__(self, spec: dict, name: str):
        self.name = name
        self.phrases: list[str] = list(spec.get("phrases", ()))
        self.lemma: bool = spec.get("lemma", False)
        entries = list(spec.get("patterns", ()))
        self.patterns: list = [token_pattern(entry) for entry in entries]
        #: Each pattern's own ``when`` (None: none), by its index in ``patterns``.
        self.conditions: list[Condition | None] = [Condition.parse(entry["when"]) if isinstance(entry, dict) else None
                                                   for entry in entries]
        self.regexes = [compile_regex(r) for r in spec.get("regex", ())]
        self._forget_compiled()

    def _forget_compiled(self) -> None:
        """What ``compile`` builds for one pipeline, empty: compiling again (another Linter, another
        pipeline) starts from nothing rather than adding a second copy of every group."""
        self._phrase_matcher = None
        #: Token patterns grouped by the words a match needs.
        self._groups: list[_Group] = []
        #: The groups that need each lower-case form, lemma or a sentence start, and those that
        #: need none.
        self._groups_by_lower: dict[int, list[int]] = {}
        self._groups_by_lemma: dict[int, list[int]] = {}
        self._groups_at_sentence_starts: list[int] = []
        self._unanchored: list[int] = []
        #: The Matcher key of each pattern that has its own ``when``, and that condition.
        self._conditioned: dict[int, Condition] = {}

    def __bool__(self) -> bool:
        return bool(self.phrases or self.patterns or self.regexes)

    def compile(self, pipeline: "Pipeline") -> None:
        from spacy.matcher import PhraseMatcher

        self._forget_compiled()
        nlp = pipeline.nlp
        if self.phrases:
            attr = "LEMMA" if self.lemma else "LOWER"
            self._phrase_matcher = PhraseMatcher(nlp.vocab, attr=attr)
            phrase_docs = [(nlp if self.lemma else nlp.make_doc)(p) for p in self.phrases]
            self._phrase_matcher.add(self.name, phrase_docs)
        if self.patterns:
            check_tokens(self.patterns)
            groups: dict = {}
            for i, pattern in enumerate(self.patterns):
                check_repeats(pattern, i)
                groups.setdefault(anchor(pattern), []).append((i, pattern))
            for anchors, members in groups.items():
                for i, _ in members:
                    if self.conditions[i] is not None:
                        self._conditioned[nlp.vocab.strings.add(f"{self.name}:{i}")] = self.conditions[i]
                lengths = [longest_match(pattern) for _, pattern in members]
                anchored = None if anchors is None else Anchors.of(anchors, nlp.vocab.strings)
                group = len(self._groups)
                if anchored is None:
                    self._unanchored.append(group)
                else:
                    for lower in anchored.lower:
                        self._groups_by_lower.setdefault(lower, []).append(group)
                    for lemma in anchored.lemma:
                        self._groups_by_lemma.setdefault(lemma, []).append(group)
                    if anchored.sentence_start:
                        self._groups_at_sentence_starts.append(group)
                self._groups.append(_Group(None if None in lengths else max(lengths), anchored, nlp.vocab,
                                           [(f"{self.name}:{i}", pattern) for i, pattern in members]))

    def spans(self, text: str, analysis: "BlockAnalysis") -> list[tuple[int, int]]:
        """Every match in a block, given its text and its analysis, as offsets into its text."""
        found: list[tuple[int, int]] = []
        doc = analysis.doc
        if self._phrase_matcher is not None:
            found.extend(analysis.text_span(start, end) for _, start, end in self._phrase_matcher(doc))
        if self._groups:
            found.extend(analysis.text_span(start, end) for start, end in self._token_matches(doc, analysis))
        if self.regexes:
            # The re2 module encodes a str to UTF-8 and maps offsets back on every call; an
            # ASCII text's bytes have the same offsets, so it is handed over encoded once.
            subject = text.encode("ascii") if text.isascii() else text
            for regex in self.regexes:
                found.extend((m.start(), m.end()) for m in regex.finditer(subject) if m.end() > m.start())
        return longest_first(found)

    def _token_matches(self, doc: "Doc", analysis: "BlockAnalysis | None" = None) -> list[tuple[int, int]]:
        """(start, end) token indices of every match of the token patterns in ``doc``; the
        block's ``analysis`` is read only for a pattern with a ``when``.

        spaCy evaluates IN/REGEX predicates in Python for every token and pattern, so a group
        runs only if the block holds a word of each token one of its patterns requires; and a
        match of at most ``reach`` tokens that holds an occurrence of the group's anchor word lies
        within ``reach - 1`` tokens of it, so the tokens further away need not be read."""
        words = token_words(doc)
        lowers, lemmas = words
        groups = set(self._unanchored)
        for present, by_word in ((lowers, self._groups_by_lower), (lemmas, self._groups_by_lemma)):
            for word in present & by_word.keys():
                groups.update(by_word[word])
        if len(doc):  # a block's first token starts a sentence
            groups.update(self._groups_at_sentence_starts)
        found: list[tuple[int, int]] = []
        for group in sorted(groups):
            reach, anchors = self._groups[group].reach, self._groups[group].anchors
            if not self._groups[group].may_match(words):
                continue  # a word every match of some pattern needs is not in the block
            at = None if anchors is None else anchors.positions(token_places(doc))
            matcher = self._groups[group].matcher()
            to_read = [(0, len(doc))] if at is None or reach is None else windows(at, reach, len(doc))
            for window_start, window_end in to_read:
                window = doc if window_end - window_start == len(doc) else doc[window_start:window_end]
                found.extend((window_start + start, window_start + end) for key, start, end in matcher(window)
                             if key not in self._conditioned
                             or self._holds(self._conditioned[key], analysis, window_start + start))
        return found

    @staticmethod
    def _holds(condition: "Condition", analysis: "BlockAnalysis", token: int) -> bool:
        """Whether the sentence holding ``token`` has the features a pattern's ``when`` asks."""
        index = next(i for i, sentence in enumerate(analysis.sentences) if token < sentence.end)
        return condition.holds(sentence_features(analysis)[index], None)


class _Group:
    """Token patterns that need the same words: the most tokens a match can span (None: no
    limit), those words (None: no word), and a spaCy Matcher for them, built the first time a
    block may hold a match. Most groups are never needed in a run of a few letters, and building
    a Matcher costs more than checking its patterns (which ``PatternSet.compile`` does for all)."""

    def __init__(self, reach: int | None, anchors: Anchors | None, vocab, members: list[tuple[str, list]]):
        self.reach = reach
        self.anchors = anchors
        self._vocab = vocab
        self._members = members
        self._matcher = None
        #: For each pattern, the words of each token it requires, as string-store ids of lower-case
        #: forms and of lemmas: a block that lacks one of a pattern's cannot hold its match.
        self._needs = list({tuple(Anchors.of(words, vocab.strings)[:2] for words in required_words(pattern))
                            for _, pattern in members})

    def may_match(self, words: tuple[frozenset[int], frozenset[int]]) -> bool:
        """Whether a block with these lower-case forms and lemmas (``token_words``) holds every
        word one of the patterns requires."""
        lowers, lemmas = words
        return any(all(not lower.isdisjoint(lowers) or not lemma.isdisjoint(lemmas) for lower, lemma in need)
                   for need in self._needs)

    def matcher(self):
        if self._matcher is None:
            from spacy.matcher import Matcher

            self._matcher = Matcher(self._vocab, validate=False)  # checked by check_tokens
            for key, pattern in self._members:
                self._matcher.add(key, [pattern])
            self._members = []
        return self._matcher


class Matching:
    """What a matching rule looks for: its patterns (or its fallback on a pipeline that lacks what
    it requires) and the exceptions that cancel a match."""

    def __init__(self, rule, phrases: list[str] | None = None):
        spec = rule.spec if phrases is None else {**rule.spec, "phrases": phrases}
        self.rule = rule
        self.primary = PatternSet(spec, rule.id)
        self.fallback = PatternSet(spec.get("fallback", {}), rule.id + ":fallback")
        self.exceptions = PatternSet(spec.get("exceptions", {}), rule.id + ":exceptions")
        self._exception_patterns = self.exceptions.patterns
        self._exception_conditions = self.exceptions.conditions
        #: "match": an exception cancels the matches it overlaps; "sentence": every match in its
        #: sentence; "clause": every match in its clause (BlockAnalysis.clauses), so that "we accept
        #: the listing was wrong, but the product is genuine" still argues after its concession.
        self.exceptions_reach: str = spec.get("exceptions_reach", "match")
        #: (label, least probability): whole sentences the wording model gives that label also match.
        classifier = spec.get("classifier")
        self.classifier = None if classifier is None else (classifier["label"], classifier["min_probability"])
        self.active = self.primary

    def compile(self, pipeline: "Pipeline") -> None:
        sharp = self.rule.requires <= pipeline.capabilities
        self.active = self.primary if sharp or not self.fallback else self.fallback
        # Exceptions written with tags cannot apply where there are none.
        kept = [i for i, p in enumerate(self._exception_patterns) if sharp or not trained_attributes([p])]
        self.exceptions.patterns = [self._exception_patterns[i] for i in kept]
        self.exceptions.conditions = [self._exception_conditions[i] for i in kept]
        if self.classifier is not None and self.classifier[0] not in (labels := _wording().wording_model().labels):
            raise self.rule.error(f"label {self.classifier[0]!r} is not one of the wording model's: "
                                  f"{', '.join(labels)}", "classifier")
        key = "patterns" if self.active is self.primary else "fallback"
        for pattern_set, where in ((self.active, key), (self.exceptions, "exceptions")):
            try:
                pattern_set.compile(pipeline)
            except ValueError as exc:
                raise self.rule.error(str(exc), where) from None
        #: Which of a block analysis's kept matches are this compilation's (never another's).
        self._matches_key = object()

    def spans(self, block: "Block", analysis: "BlockAnalysis", letter) -> list[tuple[int, int]]:
        """The matches in a block that no exception cancels, as file offsets. Found once per
        analysis, which a block of the same text in a later letter may share
        (poalint.analysis.blocks.RecentBlocks)."""
        in_block = analysis.matches.get(self._matches_key)
        if in_block is None:
            in_block = analysis.matches[self._matches_key] = self._block_spans(block.text, analysis)
        found = [(block.start + start, block.start + end) for start, end in in_block]
        if found and not self.rule.include_quoted:
            found = [s for s in found if not letter.document.in_quotation(*s)]
        return found

    def _block_spans(self, text: str, analysis: "BlockAnalysis") -> list[tuple[int, int]]:
        found = self.active.spans(text, analysis)
        if self.classifier is not None:
            found = sorted(found + self._classified(analysis, found))
        if found and self.exceptions:
            cancelled = self.exceptions.spans(text, analysis)
            if cancelled and self.exceptions_reach != "match":
                # the sentences an exception matched in, and for "clause" only those split into clauses
                hit = [s for s in analysis.sentences if overlaps(analysis.text_span(s.start, s.end), cancelled)]
                parts = [p for s in hit for p in analysis.clauses(s)] if self.exceptions_reach == "clause" else hit
                cancelled = [span for p in parts if overlaps(span := analysis.text_span(p.start, p.end), cancelled)]
            found = [s for s in found if not overlaps(s, cancelled)]
        return [word_span(text, start, end) for start, end in found]

    def _classified(self, analysis: "BlockAnalysis", found: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The sentences the wording model gives the rule's label, surely enough, that hold no
        match of the patterns (one finding a sentence), as offsets into the block's text."""
        label, least = self.classifier
        wording = _wording()
        found_here = []
        for sentence, (said, probability) in zip(analysis.sentences, wording.sentence_labels(analysis)):
            if said == label and probability >= least and wording.full_sentence(analysis, sentence):
                span = analysis.text_span(sentence.start, sentence.end)
                if not overlaps(span, found):
                    found_here.append(span)
        return found_here


def _wording():
    # Imported when a rule with `classifier:` is first compiled, not with the rules: the model's
    # numpy costs `poalint rules` and `poalint explain` about 70 ms of their 0.25 s (measured).
    from poalint.analysis import wording_model
    return wording_model
