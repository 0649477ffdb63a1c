"""Doc reuse has one owner (poalint.analysis.blocks): each distinct block text is analysed once
into a typed record that later letters share, and what rules derive for one letter lives in a
scope that the engine closes itself."""
from __future__ import annotations

import gc
import weakref

import pytest

from poalint.analysis import scratch as letter_scratch
from poalint.analysis.blocks import BlockAnalysis, Sentence
from poalint.analysis.scratch import scratch, token_rows
from poalint.analysis.pipeline import Pipeline
from poalint.config import Config
from poalint.reading import read_text
from poalint.rules.engine import Linter
from poalint.rules.matching.patterns import Matching
from poalint.rules.ruleset import load_ruleset

#: Wrapped over two lines: the block text is not the text the tokenizer is given.
SHARED = "The delays were not our fault; the carrier\nlost the parcels and we will try to do better."


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(Config())


def _letters(ruleset):
    first = read_text(f"{SHARED}\n", "first.md", ruleset.roles)
    second = read_text(f"# Root cause\n\nWe checked every order.\n\n{SHARED}\n", "second.md", ruleset.roles)
    return first, second


def test_a_paragraph_recurring_in_two_letters_is_analysed_and_matched_once(monkeypatch, ruleset):
    pipeline = Pipeline.load(None)
    linter = Linter(ruleset, pipeline)
    tokenised, matched = [], []
    make_doc = pipeline.nlp.make_doc
    monkeypatch.setattr(pipeline.nlp, "make_doc", lambda text: tokenised.append(text) or make_doc(text))
    block_spans = Matching._block_spans
    monkeypatch.setattr(Matching, "_block_spans",
                        lambda self, text, analysis: matched.append(text) or block_spans(self, text, analysis))
    first, second = _letters(ruleset)

    linter.lint(first)
    matched_in_first = matched.count(SHARED)
    matched.clear()
    result = linter.lint(second)

    assert tokenised.count(" ".join(SHARED.split())) == 1
    assert "We checked every order." in tokenised
    assert matched_in_first > 0 and SHARED not in matched  # its matches came with its analysis
    assert "We checked every order." in matched
    assert any(f.text and f.start >= second.source.index(SHARED) for f in result.findings)


def test_the_record_holds_what_the_rules_need_and_the_doc_holds_nothing_else(ruleset):
    pipeline = Pipeline.load(None)
    first, second = _letters(ruleset)
    result = Linter(ruleset, pipeline).lint(second)
    ((block, analysis),) = [(b, a) for b, a in pipeline.analyse(second) if b.text == SHARED]

    assert isinstance(analysis, BlockAnalysis) and analysis.doc.user_data == {}
    # Token offsets are into the block's own text, line break and all.
    assert [SHARED[slice(*analysis.text_span(t.i, t.i + 1))] for t in analysis.doc] == [t.text for t in analysis.doc]
    assert analysis.sentences == [Sentence(0, len(analysis.doc), 18)]
    assert analysis.words() == 18
    # The matches rules keep in it are the spans of the findings in that block.
    kept = {(block.start + start, block.start + end) for spans in analysis.matches.values() for start, end in spans}
    in_block = {(f.start, f.end) for f in result.findings if f.text and block.start <= f.start < block.end}
    assert in_block and in_block <= kept


def test_the_letter_scratch_is_released_after_a_letter_without_any_call(monkeypatch, ruleset):
    made: list[weakref.ref] = []

    class Tracked(letter_scratch.Scratch):
        def __init__(self):
            super().__init__()
            made.append(weakref.ref(self))

    monkeypatch.setattr(letter_scratch, "Scratch", Tracked)
    pipeline = Pipeline.load(None)
    first, _ = _letters(ruleset)
    Linter(ruleset, pipeline).lint(first)
    gc.collect()
    assert made and not any(ref() for ref in made)  # rules used the scratch; none outlived the letter


def test_the_scratch_is_kept_within_a_letter_and_dropped_on_leaving_even_on_error(ruleset):
    pipeline = Pipeline.load(None)
    first, _ = _letters(ruleset)
    with pytest.raises(RuntimeError):
        with pipeline.analysed(first) as analysed:
            doc = analysed[0][1].doc
            rows = token_rows(doc)
            assert token_rows(doc) is rows and scratch(doc) is scratch(doc)
            raise RuntimeError
    assert scratch(doc).token_rows is None and scratch(doc) is not scratch(doc)
