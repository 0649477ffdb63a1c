"""The prefilter (poalint.rules.matching.prefilter) lets only the patterns that may match a block reach
spaCy's Matcher, and only the regular expressions that occur in it be run: a speed-up that must
never lose a match. Compared here with the prefilter switched off, on every built-in rule and on
random patterns, phrases and expressions; and the whitespace-free tokenising it relies on,
compared with the plain way of dropping spaCy's whitespace tokens."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import poalint.rules.matching.prefilter as prefilter
from poalint.reading.document import Block
from poalint.rules.matching.patterns import PatternSet
from poalint.analysis.blocks import BlockAnalysis
from poalint.analysis.pipeline import Pipeline
from poalint.run.check import PREFILTER_MIN_LETTERS, CheckOptions, CheckRun
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


def test_a_linter_built_without_the_prefilter_finds_the_same():
    assert all_findings(prefilter=False) == all_findings()


@pytest.mark.parametrize(("letters", "prefiltered"), [(1, False), (PREFILTER_MIN_LETTERS, True)])
def test_the_prefilter_is_built_only_for_runs_of_many_letters(tmp_path, letters, prefiltered):
    for i in range(letters):
        (tmp_path / f"letter-{i}.md").write_text("We are sorry. Our carrier lost the parcels.\n", "utf-8")
    run = CheckRun(CheckOptions(use_cache=False), report_error=lambda line: None)
    run.lint_all(run.jobs([str(tmp_path)]))
    assert len(run.results) == letters and all(result.findings for result in run.results)
    (linter,) = run.session._linters.values()
    pattern_sets = [rule.matching.primary for rule in linter.ruleset.rules if hasattr(rule, "matching")]
    assert all((pattern_set._filter._bank is not None) == prefiltered
               for pattern_set in pattern_sets if pattern_set._filter is not None)


def _spans(pipeline: Pipeline, specs: list[dict], text: str) -> list[list[tuple[int, int]]]:
    """Each spec's spans in ``text``, the pattern sets compiled together as the engine does."""
    pattern_sets = [PatternSet(spec, f"test{i}") for i, spec in enumerate(specs)]
    with prefilter.filtered_together():
        for pattern_set in pattern_sets:
            pattern_set.compile(pipeline)
    analysis = _analysed(pipeline, text)
    return [pattern_set.spans(text, analysis) for pattern_set in pattern_sets]


def _analysed(pipeline: Pipeline, text: str) -> BlockAnalysis:
    analysis = BlockAnalysis.tokenised(pipeline.nlp, text)
    analysis.doc = next(pipeline.nlp.pipe([analysis.doc]))
    return analysis


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
    expression = prefilter.TokenRecords().pattern_expression
    any_token = expression([{"LOWER": {"REGEX": "^we"}, "LIKE_NUM": True}])
    assert any_token == expression([{}])
    assert expression([{"LOWER": {"NOT_IN": ["we"]}}]) == any_token
    assert expression([{"LOWER": "we", "OP": "!"}]) == any_token
    assert expression([{"LOWER": "we", "OP": "{x}"}]) is None  # not understood: always run


def test_text_and_orth_values_constrain_the_lower_case_form():
    expression = prefilter.TokenRecords().pattern_expression
    both = expression([{"LOWER": {"IN": ["we", "us"]}, "ORTH": "We"}])
    assert both == expression([{"LOWER": "we"}])


def test_a_token_nothing_satisfies_is_searched_for_and_never_found(pipeline):
    impossible = [[{"LOWER": "we", "ORTH": "Us"}], [{"IS_SENT_START": True, "SENT_START": False}]]
    pattern_set = PatternSet({"patterns": impossible}, "test")
    pattern_set.compile(pipeline)
    assert pattern_set._filter.always == set()  # RE2 took both expressions
    assert pattern_set._filter.candidates(None, pipeline.nlp("Us we did. We did.")) == set()
    assert pattern_set.spans("Us we did. We did.", _analysed(pipeline, "Us we did. We did.")) == []


def test_patterns_it_cannot_search_for_are_always_run(pipeline):
    pattern_set = PatternSet({"patterns": [[{"LOWER": "we", "OP": "{1001}"}], [{"LOWER": "fault"}]]}, "test")
    pattern_set.compile(pipeline)  # RE2 refuses a repeat over 1,000; spaCy does not
    doc = pipeline.nlp("nothing here")
    assert pattern_set._filter.candidates(None, doc) == {0}


@pytest.mark.parametrize("word", ["\x80x", "\xff", "é\x00", "\\x1c", "naïve", "a|b"])
def test_any_character_in_a_word_is_filtered_as_that_word(pipeline, word):
    """Records hold codes, not the words: no character in a word can be taken for record syntax."""
    pattern_set = PatternSet({"patterns": [[{"LOWER": word}], [{"LOWER": "fault"}]]}, "test")
    pattern_set.compile(pipeline)
    assert pattern_set._filter.candidates(None, pipeline.nlp(f"{word} did")) == {0}
    assert pattern_set._filter.candidates(None, pipeline.nlp("it was our fault")) == {1}


def test_words_beyond_the_vocabulary_read_as_any_word(pipeline, monkeypatch):
    monkeypatch.setattr(prefilter, "_CODES", 3)  # room for two words
    pattern_set = PatternSet({"patterns": [[{"LOWER": "we"}], [{"LOWER": "our"}], [{"LOWER": "fault"}]]}, "test")
    pattern_set.compile(pipeline)
    assert pattern_set._filter.candidates(None, pipeline.nlp("nothing here")) == {2}
    assert pattern_set._filter.candidates(None, pipeline.nlp("we did")) == {0, 2}


def _reference_tokens(pipeline: Pipeline, text: str) -> list[tuple[str, int, int]]:
    """Tokenise as spaCy does, then drop its whitespace tokens."""
    return [(t.text, t.idx, t.idx + len(t.text)) for t in pipeline.nlp.make_doc(text) if not t.is_space]


def _tokens(pipeline: Pipeline, text: str) -> list[tuple[str, int, int]]:
    analysis = BlockAnalysis.tokenised(pipeline.nlp, text)
    block = Block("paragraph", 0, text)
    return [(token.text, *analysis.source_span(block, token.i, token.i + 1)) for token in analysis.doc]


_WHITESPACE = [" ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u2028", "\u3000", "\x1c", " \n  "]
_PIECES = ["we", "didn't", "U.S.", "(see", "it)", "**not**", "e-mail", "3.5%", "'s", "…", "#12", "é", "p.m."]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from(_WHITESPACE)), max_size=30))
@example(["  ", "we", "\n\n", "didn't", " "])
def test_tokens_are_spacys_without_its_whitespace_tokens(pipeline, pieces):
    text = "".join(pieces)
    found = _tokens(pipeline, text)
    assert found == _reference_tokens(pipeline, text)
    assert all(text[start:end] == word for word, start, end in found)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(_PIECES + [":)", ":-(", "<3", "it)"]), min_size=1, max_size=12),
       gaps=st.lists(st.sampled_from(_WHITESPACE), min_size=12, max_size=12))
@example(words=["it)", ":)", "we"], gaps=["\n", " "] + [" "] * 10)
def test_the_whitespace_between_words_never_changes_the_tokens(pipeline, words, gaps):
    """A line break or masked markup between two words tokenises as one space does. (spaCy's own
    tokenizer does not quite: it merges a special case such as ":)" after "it)" when a whitespace
    token stands between them, not after a single space; so "it)\n:)" and "it) :)" would differ.)"""
    text = "".join(word + gap for word, gap in zip(words, gaps))
    found = _tokens(pipeline, text)
    assert [word for word, _, _ in found] == [t.text for t in pipeline.nlp.make_doc(" ".join(words))]
    assert all(text[start:end] == word for word, start, end in found)
