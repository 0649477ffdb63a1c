"""A pattern set's token patterns are merged into the fewest that match the same text
(poalint.rules.phrase_syntax.fewest): a speed-up that must never change a match. Compared here
with spaCy's Matcher given the patterns as written, on random patterns and texts."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poalint.analysis.pipeline import Pipeline
from poalint.rules.phrase_syntax import expand, fewest


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load(None)


def matches(pipeline: Pipeline, patterns: list[list[dict]], text: str) -> set[tuple[int, int]]:
    from spacy.matcher import Matcher

    matcher = Matcher(pipeline.nlp.vocab)
    for i, pattern in enumerate(patterns):
        matcher.add(str(i), [pattern])
    return {(start, end) for _, start, end in matcher(pipeline.nlp(text))}


def test_alternatives_that_differ_in_one_word_become_one_pattern():
    patterns = expand("(the carrier|the courier) (did not|didn't) deliver", {})
    assert len(patterns) == 4
    assert fewest(patterns) == [[{"LOWER": "the"}, {"LOWER": {"IN": ["carrier", "courier"]}}, {"LOWER": "did"},
                                 {"LOWER": {"IN": ["not", "n't"]}}, {"LOWER": "deliver"}]]


def test_a_pattern_and_the_same_with_one_more_token_become_one_with_it_optional():
    assert fewest([[{"LOWER": "we"}, {"LOWER": "checked"}], [{"LOWER": "we"}, {"LOWER": "never"}, {"LOWER": "checked"}]]) \
        == [[{"LOWER": "we"}, {"LOWER": "never", "OP": "?"}, {"LOWER": "checked"}]]


def test_what_would_change_the_matches_is_not_merged():
    # "a*" or "b*" is not "(a|b)*", and two words that differ in two places are not four.
    repeated = [[{"LOWER": "a", "OP": "*"}, {"LOWER": "x"}], [{"LOWER": "b", "OP": "*"}, {"LOWER": "x"}]]
    assert fewest(repeated) == repeated
    crossed = [[{"LOWER": "seller"}, {"LOWER": "support"}], [{"LOWER": "your"}, {"LOWER": "team"}]]
    assert fewest(crossed) == crossed
    # Nor words of a lemma with words of a lower-case form.
    mixed = [[{"LOWER": "ships"}], [{"LEMMA": "send"}]]
    assert fewest(mixed) == mixed


_WORDS = ["we", "did", "not", "check", "the", "orders", "late"]
_TOKEN = st.one_of(st.builds(lambda w: {"LOWER": w}, st.sampled_from(_WORDS)),
                   st.builds(lambda w: {"LEMMA": w}, st.sampled_from(["check", "order", "do"])),
                   st.builds(lambda ws: {"LOWER": {"IN": ws}}, st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3)))
_OP = st.sampled_from([None] * 5 + ["?", "*", "+", "!"])
_PATTERN = st.lists(st.builds(lambda token, op: token if op is None else {**token, "OP": op}, _TOKEN, _OP),
                    min_size=1, max_size=4).filter(lambda p: any(t.get("OP") in (None, "+") for t in p))




@st.composite
def _family(draw) -> list[list[dict]]:
    """Patterns alike enough to merge: one, and copies of it with a token changed or dropped."""
    base = draw(_PATTERN)
    family = [base]
    for _ in range(draw(st.integers(0, 6))):
        pattern = list(draw(st.sampled_from(family)))
        at = draw(st.integers(0, len(pattern) - 1))
        if draw(st.booleans()) and len(pattern) > 1:
            del pattern[at]
        else:
            pattern[at] = draw(st.builds(lambda token, op: token if op is None else {**token, "OP": op}, _TOKEN, _OP))
        if any(t.get("OP") in (None, "+") for t in pattern):
            family.append(pattern)
    return family


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(patterns=st.one_of(st.lists(_PATTERN, min_size=1, max_size=8), _family()),
       words=st.lists(st.sampled_from(_WORDS + ["checked", "ordered", "a"]), min_size=1, max_size=25))
def test_merged_patterns_match_exactly_what_the_patterns_match(pipeline, patterns, words):
    text = " ".join(words)
    assert matches(pipeline, fewest(patterns), text) == matches(pipeline, patterns, text)
