"""The prefilter (poalint.kinds.prefilter) lets only the patterns that may match a block reach
spaCy's Matcher, and only the regular expressions that occur in it be run: a speed-up that must
never lose a match. Compared here with the prefilter switched off, on every built-in rule and on
random patterns, phrases and expressions; and the whitespace-free tokenising it relies on,
compared with the plain way of dropping spaCy's whitespace tokens."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import poalint.kinds.prefilter as prefilter
from poalint.document import Block
from poalint.kinds.matching import PatternSet
from poalint.nlp import Pipeline, _without_whitespace, source_span
from test_matching_prefilter import all_findings
from test_matching_windows import _PATTERN, _TEXT, _WORDS


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load(None)


def _switched_off(monkeypatch) -> None:
    """Every bank answers "any expression may match"."""
    monkeypatch.setattr(prefilter._Bank, "search", lambda self, block, doc: None)


def test_prefilter_changes_no_finding_of_any_built_in_rule(monkeypatch):
    with_prefilter = all_findings()
    assert sum(len(findings) for findings in with_prefilter.values()) > 100  # the texts do hold findings
    _switched_off(monkeypatch)
    assert all_findings() == with_prefilter


def _spans(pipeline: Pipeline, specs: list[dict], text: str) -> list[list[tuple[int, int]]]:
    """Each spec's spans in ``text``, the pattern sets compiled together as the engine does."""
    pattern_sets = [PatternSet(spec, f"test{i}") for i, spec in enumerate(specs)]
    with prefilter.filtered_together():
        for pattern_set in pattern_sets:
            pattern_set.compile(pipeline)
    block = Block("paragraph", 0, text)
    doc = next(pipeline.nlp.pipe([_without_whitespace(pipeline.nlp, text)]))
    return [pattern_set.spans(block, doc) for pattern_set in pattern_sets]


_PHRASES = st.lists(st.builds(" ".join, st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3)),
                    min_size=1, max_size=3)
_REGEXES = st.lists(st.sampled_from([r"\bwe\b", r"(?i)CHECK\w*", r"fault\s*[.!]", r"\d+", r"^the", r"late$",
                                     r"x?", r"[Oo]rders?"]), min_size=1, max_size=3)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(patterns=st.lists(_PATTERN, min_size=1, max_size=3), phrases=_PHRASES, regexes=_REGEXES,
       lemma=st.booleans(), words=_TEXT)
@example(patterns=[[{"LOWER": "we"}]], phrases=["checked"], regexes=[r"x?"], lemma=False,
         words="we checked the box".split())
def test_prefilter_loses_no_match(pipeline, monkeypatch, patterns, phrases, regexes, lemma, words):
    specs = [{"patterns": patterns}, {"phrases": phrases, "lemma": lemma}, {"regex": regexes},
             {"patterns": patterns[:1], "phrases": phrases[:1], "regex": regexes[:1]}]
    text = " ".join(words)
    try:
        filtered = _spans(pipeline, specs, text)
    except ValueError:  # a pattern spaCy refuses (e.g. one of zero-width tokens only)
        assume(False)
    with monkeypatch.context() as patch:
        _switched_off(patch)
        assert _spans(pipeline, specs, text) == filtered


def test_a_predicate_it_cannot_express_accepts_any_token():
    any_token = prefilter.pattern_expression([{"LOWER": {"REGEX": "^we"}, "LIKE_NUM": True}])
    assert any_token == prefilter.pattern_expression([{}])
    assert prefilter.pattern_expression([{"LOWER": {"NOT_IN": ["we"]}}]) == any_token
    assert prefilter.pattern_expression([{"LOWER": "we", "OP": "!"}]) == any_token
    assert prefilter.pattern_expression([{"LOWER": "we", "OP": "{x}"}]) is None  # not understood: always run


def test_text_and_orth_values_constrain_the_lower_case_form():
    both = prefilter.pattern_expression([{"LOWER": {"IN": ["we", "us"]}, "ORTH": "We"}])
    assert both == prefilter.pattern_expression([{"LOWER": "we"}])


def test_patterns_it_cannot_search_for_are_always_run(pipeline):
    pattern_set = PatternSet({"patterns": [[{"LOWER": "we", "OP": "{1001}"}], [{"LOWER": "fault"}]]}, "test")
    pattern_set.compile(pipeline)  # RE2 refuses a repeat over 1,000; spaCy does not
    doc = pipeline.nlp("nothing here")
    assert pattern_set._filter.candidates(None, doc) == {0}


def test_a_delimiter_in_the_text_switches_the_filter_off_for_that_block(pipeline):
    pattern_set = PatternSet({"patterns": [[{"LOWER": "we"}], [{"LOWER": "fault"}]]}, "test")
    pattern_set.compile(pipeline)
    assert pattern_set._filter.candidates(None, pipeline.nlp("we did")) == {0}
    strange = pipeline.nlp("we\x1d did")
    assert prefilter.token_records(strange) is None
    assert pattern_set._filter.candidates(None, strange) == {0, 1}


def _reference_tokens(pipeline: Pipeline, text: str) -> list[tuple[str, int, int]]:
    """Tokenise as spaCy does, then drop its whitespace tokens."""
    return [(t.text, t.idx, t.idx + len(t.text)) for t in pipeline.nlp.make_doc(text) if not t.is_space]


_WHITESPACE = [" ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u2028", "\u3000", "\x1c", " \n  "]
_PIECES = ["we", "didn't", "U.S.", "(see", "it)", "**not**", "e-mail", "3.5%", ":)", "'s", "…", "#12", "é"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from(_WHITESPACE)), max_size=30))
@example(["  ", "we", "\n\n", "didn't", " "])
def test_whitespace_runs_become_one_space_without_changing_a_token(pipeline, pieces):
    text = "".join(pieces)
    doc = _without_whitespace(pipeline.nlp, text)
    block = Block("paragraph", 0, text)
    found = [(token.text, *source_span(block, doc, token.i, token.i + 1)) for token in doc]
    assert found == _reference_tokens(pipeline, text)
    assert all(text[start:end] == word for word, start, end in found)
