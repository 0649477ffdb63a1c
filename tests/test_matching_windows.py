"""Token patterns of bounded length are run only on the tokens around a word they require, and
patterns whose only telling token starts a sentence only around sentence starts: speed-ups that
must never change a match. Compared here with spaCy's Matcher on the whole block, and with the
windows switched off on the texts of test_matching_anchors."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import poalint.rules.matching.patterns as matching
import poalint.rules.matching.token_shape as token_shape
from poalint.analysis.pipeline import Pipeline
from test_matching_anchors import all_findings, texts


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load(None)


def test_windows_change_no_finding(monkeypatch):
    with_windows = all_findings()
    monkeypatch.setattr(matching, "longest_match", lambda pattern: None)
    assert all_findings() == with_windows


def test_longest_match_counts_every_operator():
    word = {"LOWER": "we"}
    assert matching.longest_match([word, {**word, "OP": "?"}, {**word, "OP": "!"}, {**word, "OP": "1"}]) == 4
    assert matching.longest_match([{**word, "OP": "{3}"}, {**word, "OP": "{1,2}"}, {**word, "OP": "{,4}"}]) == 9
    for unbounded in ("*", "+", "{2,}"):
        assert matching.longest_match([word, {**word, "OP": unbounded}]) is None


def test_windows_reach_both_ways_and_merge_when_they_touch():
    assert matching.windows([5], 3, 20) == [(3, 8)]
    assert matching.windows([0, 19], 3, 20) == [(0, 3), (17, 20)]
    assert matching.windows([2, 6, 12], 3, 20) == [(0, 9), (10, 15)]


def test_a_sentence_start_anchors_only_a_pattern_without_words():
    starts = [{"IS_SENT_START": True, "LOWER": {"REGEX": "^re"}}, {"IS_ALPHA": True, "OP": "?"}]
    assert matching.anchor(starts) == frozenset({token_shape.SENTENCE_START})
    assert matching.anchor([{"IS_SENT_START": True, "OP": "?"}, {"IS_ALPHA": True}]) is None
    assert matching.anchor([{"IS_SENT_START": True}, {"LOWER": "we"}]) == frozenset({("lower", "we")})


#: Words for patterns to require; the texts are mostly filler, so that they occur far apart.
_WORDS = ["we", "We", "checked", "check", "orders", "not", "fault", ".", "!", ","]
_FILLER = ["the", "a", "some", "box", "ran", "late", "today"]
_TEXT = st.lists(st.sampled_from(_WORDS + _FILLER * 2), min_size=5, max_size=60)
_TOKEN = st.one_of(
    st.builds(lambda word: {"LOWER": word}, st.sampled_from(_WORDS)),
    st.builds(lambda words: {"LOWER": {"IN": words}}, st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3)),
    st.builds(lambda word: {"LEMMA": word}, st.sampled_from(["check", "order", "we"])),
    st.builds(lambda start: {"IS_SENT_START": start}, st.booleans()),
    st.just({"IS_ALPHA": True}),
    st.just({"IS_PUNCT": True}),
)
_OP = st.sampled_from([None] * 6 + ["?", "!", "{2}", "{1,2}", "{,2}", "*", "+", "{2,}"])
_PATTERN = st.lists(st.builds(lambda token, op: token if op is None else {**token, "OP": op}, _TOKEN, _OP),
                    min_size=1, max_size=5)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(patterns=st.lists(_PATTERN, min_size=1, max_size=3), words=_TEXT)
# Each operator at the edge of a match, where a window too short would cut it.
@example(patterns=[[{"LOWER": "we"}, {"LOWER": "not", "OP": "!"}]], words="the box we ran late today".split())
@example(patterns=[[{"IS_ALPHA": True, "OP": "!"}, {"LOWER": "fault"}]], words="the box , fault late".split())
@example(patterns=[[{"LOWER": "checked"}, {"IS_ALPHA": True, "OP": "{1,2}"}]], words="a box checked the box".split())
@example(patterns=[[{"IS_ALPHA": True, "OP": "{,2}"}, {"LOWER": "fault"}]], words="a box the box fault".split())
@example(patterns=[[{"IS_ALPHA": True, "OP": "{2}"}, {"LOWER": "fault"}]], words="a box the box fault".split())
@example(patterns=[[{"LOWER": "not", "OP": "?"}, {"LOWER": "fault"}]], words="a not fault".split())
@example(patterns=[[{"IS_SENT_START": True}, {"IS_ALPHA": True, "OP": "?"}]], words="a box . We checked ! late".split())
def test_windows_find_what_the_whole_block_holds(pipeline, patterns, words):
    from spacy.matcher import Matcher

    pattern_set = matching.PatternSet({"patterns": patterns}, "test")
    try:
        pattern_set.compile(pipeline)
    except ValueError:  # a pattern spaCy refuses (e.g. one of zero-width tokens only)
        assume(False)
    whole = Matcher(pipeline.nlp.vocab)
    for i, pattern in enumerate(patterns):
        whole.add(str(i), [pattern])
    doc = pipeline.nlp(" ".join(words))
    assert set(pattern_set._token_matches(doc)) == {(start, end) for _, start, end in whole(doc)}


def test_lemmas_are_those_of_spacys_lookup_lemmatizer_for_lower_case_forms(pipeline):
    import spacy

    reference = spacy.blank("en")
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.initialize()
    table = reference.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    for _, text in texts():
        doc = pipeline.nlp(text)
        assert [t.lemma_ for t in doc] == [table.get(t.lower_, t.lower_) for t in doc]


def _count_runs(pattern_set, calls: list) -> None:
    """Make each group of ``pattern_set`` note every Doc (or window) its Matcher is run on."""
    for group in pattern_set._groups:
        def counted(build=group.matcher):
            matcher = build()
            return lambda doc: calls.append(doc) or matcher(doc)
        group.matcher = counted


def test_a_group_is_not_run_where_a_word_it_needs_is_missing(pipeline):
    unbounded = [{"LOWER": "fault"}, {"IS_ALPHA": True, "OP": "*"}]  # no window: the whole block
    pattern_set = matching.PatternSet({"patterns": [unbounded]}, "test")
    pattern_set.compile(pipeline)
    calls = []
    _count_runs(pattern_set, calls)
    assert pattern_set._token_matches(pipeline.nlp("the box ran late today")) == []
    assert calls == []
    assert pattern_set._token_matches(pipeline.nlp("not our fault at all")) == [(2, 3), (2, 4), (2, 5)]
    assert len(calls) == 1


def test_a_group_is_not_run_where_a_word_other_than_its_anchor_is_missing(pipeline):
    pattern_set = matching.PatternSet({"patterns": [[{"LOWER": "courier"}, {"LOWER": "lost"}]]}, "test")
    pattern_set.compile(pipeline)
    calls = []
    _count_runs(pattern_set, calls)
    assert pattern_set._token_matches(pipeline.nlp("the courier came late and we lost nothing")) == []
    assert len(calls) == 1  # both words occur, though not side by side: the Matcher decides
    assert pattern_set._token_matches(pipeline.nlp("the courier came late")) == []
    assert len(calls) == 1  # "lost" is missing: not run at all


def test_compiling_again_runs_each_group_once(pipeline):
    """Two Linters over one rule set compile its rules twice; the second must not add a copy of
    every group to the first (each block would run them all twice, then three times, …)."""
    pattern_set = matching.PatternSet({"patterns": [[{"LOWER": "fault"}], [{"LEMMA": "blame"}]]}, "test")
    pattern_set.compile(pipeline)
    pattern_set.compile(pipeline)
    calls = []
    _count_runs(pattern_set, calls)
    doc = pipeline.nlp("not our fault, do not blame us")
    assert pattern_set._token_matches(doc) == [(2, 3), (6, 7)]
    assert len(calls) == 2
