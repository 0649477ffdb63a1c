"""Rule files a person can keep (issue 20.4): vocabularies named once, a compact phrase syntax with
optional words, apostrophes in one form, contractions and hyphenated words split as spaCy splits
them, and no built-in rule file over about 300 lines."""
from __future__ import annotations

import textwrap

import pytest

from conftest import ROOT, findings_json
from poalint.rules.phrase_syntax import PhraseError, expand, tokens_of

RULE_FILE = """\
vocabularies:
  seller: [we, i]
  hedges: [hopefully, with luck]
rules:
  - id: my-rule
    kind: existence
    severity: warning
    message: "Found: {{match}}"
    description: A test rule.
{body}
"""


def matches(run, tmp_path, body: str, text: str) -> list[str]:
    rules = tmp_path / "house.yaml"
    rules.write_text(RULE_FILE.format(body=textwrap.indent(textwrap.dedent(body), "    ")), "utf-8")
    letter = tmp_path / "letter.md"
    letter.write_text(text, "utf-8")
    result = run("check", "--rules", rules, "--select", "my-rule", "--format", "json", "--exit-zero", letter)
    assert result.exit_code == 0, result.output
    return [text[f["start"]:f["end"]] for f in findings_json(result)]


def error_of(run, tmp_path, body: str) -> str:
    rules = tmp_path / "house.yaml"
    rules.write_text(RULE_FILE.format(body=textwrap.indent(textwrap.dedent(body), "    ")), "utf-8")
    (tmp_path / "letter.md").write_text("We will check.\n", "utf-8")
    result = run("check", "--rules", rules, tmp_path / "letter.md")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


# Vocabularies ---------------------------------------------------------------------------------
def test_a_vocabulary_is_used_by_name_in_phrases_token_lists_and_compact_phrases(run, tmp_path):
    body = """\
    phrases: [$hedges]
    patterns:
      - [{LOWER: {IN: [$seller]}}, {LOWER: may}]
      - "$seller (guess|suppose)"
    """
    found = matches(run, tmp_path, body, "Hopefully it works. I may call. We suppose so. With luck, fine.\n")
    assert found == ["Hopefully", "I may", "We suppose", "With luck"]


def test_an_unknown_vocabulary_names_file_line_and_key(run, tmp_path):
    line = error_of(run, tmp_path, """\
    patterns:
      - [{LOWER: {IN: [$sellers]}}, {LOWER: may}]
    """)
    assert line.endswith("house.yaml:11: rules.0.patterns.0.0.LOWER.IN.0: unknown vocabulary '$sellers' "
                         "(this file declares: hedges, seller)")


def test_an_unknown_vocabulary_in_a_compact_phrase_names_the_phrase(run, tmp_path):
    line = error_of(run, tmp_path, 'patterns: ["$buyer will"]\n')
    assert line.endswith("house.yaml:10: rules.0.patterns.0: compact phrase '$buyer will': unknown vocabulary $buyer")


# The compact phrase syntax ---------------------------------------------------------------------
def test_optional_words_and_alternatives_match_every_form_they_stand_for(run, tmp_path):
    body = 'patterns: ["$seller (will|shall) [try to] ensure"]\n'
    text = "We will ensure it. I shall try to ensure it. We will try ensure it. They will ensure it.\n"
    assert matches(run, tmp_path, body, text) == ["We will ensure", "I shall try to ensure"]


def test_lemmas_wildcards_and_numbers(run, tmp_path):
    body = 'patterns: ["~refund [*] # (units|buyers)"]\n'
    text = "We refunded all 40 buyers. We refund 3 units. We refund the buyers.\n"
    assert matches(run, tmp_path, body, text) == ["refunded all 40 buyers", "refund 3 units"]


def test_the_phrase_syntax_expands_to_token_patterns():
    assert expand("we (will|shall) [try to] ensure", {}) == [
        [{"LOWER": "we"}, {"LOWER": {"IN": ["will", "shall"]}}, {"LOWER": "ensure"}],
        [{"LOWER": "we"}, {"LOWER": {"IN": ["will", "shall"]}}, {"LOWER": "try"}, {"LOWER": "to"}, {"LOWER": "ensure"}]]
    assert expand("We [really] (can't|cannot)", {}) == [
        [{"LOWER": "we"}, {"LOWER": "really", "OP": "?"}, {"LOWER": "ca"}, {"LOWER": "n't"}],
        [{"LOWER": "we"}, {"LOWER": "really", "OP": "?"}, {"LOWER": "can"}, {"LOWER": "not"}]]


def test_a_choice_of_lemmas_or_of_vocabularies_keeps_what_each_alternative_says(run, tmp_path):
    """"(~sell|~ship)" matches by lemma like "~(sell|ship)", and a vocabulary may be one
    alternative of a choice ("($seller|they)")."""
    assert expand("(~sell|~ship) goods", {}) == expand("~(sell|ship) goods", {})
    assert expand("(sell|~ship)", {}) == [[{"LOWER": "sell"}], [{"LEMMA": "ship"}]]
    body = 'patterns: ["($seller|they) (~sell|~ship) goods"]\n'
    text = "We sold goods. They shipped goods. He ships goods.\n"
    assert matches(run, tmp_path, body, text) == ["We sold goods", "They shipped goods"]


@pytest.mark.parametrize("phrase, problem", [
    ("we (will|shall", "the `(` at character 4 is not closed"),
    ("we will]", "unexpected ']' at character 8"),
    ("we [] will", "empty brackets at character 4"),
    ("(will|) do", "the choice at character 1 has an empty alternative; write [optional words] instead"),
    ("[we] [will]", "the phrase has no word that must be there"),
    ("~* know", "a wildcard has no lemma"),
    ("(a|b c) (c|d e) (f|g h) (i|j k) (l|m n) (o|p q) (r|s t) x", "expands to more than 64 token patterns"),
])
def test_a_phrase_that_does_not_parse_says_why(phrase, problem):
    with pytest.raises(PhraseError, match=problem.replace("(", r"\(").replace("[", r"\[")):
        expand(phrase, {})


def test_a_bad_compact_phrase_names_file_line_and_key(run, tmp_path):
    line = error_of(run, tmp_path, 'patterns: ["we (will|shall"]\n')
    assert line.endswith("house.yaml:10: rules.0.patterns.0: compact phrase 'we (will|shall': "
                         "the `(` at character 4 is not closed")


# Apostrophes and contractions ------------------------------------------------------------------
def test_one_pattern_matches_a_straight_and_a_curly_dont(run, tmp_path):
    text = "We don't know. We don\u2019t know.\n"
    for body in ('patterns: ["$seller don\'t know"]\n', "patterns: [\"$seller don\u2019t know\"]\n",
                 "phrases: [\"we don't know\"]\n",
                 "patterns: [[{LOWER: {IN: [$seller]}}, {LOWER: do}, {LOWER: \"n't\"}, {LOWER: know}]]\n"):
        assert matches(run, tmp_path, body, text) == ["We don't know", "We don\u2019t know"], body


def test_didnt_in_a_compact_phrase_matches_as_spacy_splits_it(run, tmp_path):
    text = "We didn't check. We didn\u2019t check. We did check.\n"
    assert matches(run, tmp_path, 'patterns: ["$seller didn\'t check"]\n', text) == [
        "We didn't check", "We didn\u2019t check"]


def test_a_contraction_as_one_token_is_refused_with_the_tokens_to_write(run, tmp_path):
    line = error_of(run, tmp_path, "patterns: [[{LOWER: {IN: [did, \"didn't\"]}}, {LOWER: check}]]\n")
    assert line.endswith("house.yaml:10: rules.0.patterns.0.0.LOWER.IN.1: \"didn't\" is 2 tokens to spaCy "
                         "('did' + \"n't\"), so one token never matches it: write them as separate tokens, "
                         "or use a compact phrase")


@pytest.mark.parametrize("word", ["didn't", "can't", "won't", "shan't", "ain't", "Didn't", "we're", "it's",
                                  "I'm", "we'll", "they've", "I'd", "cannot", "don\u2019t", "o'clock", "O'Brien",
                                  "ma'am", "sellers"])
def test_contractions_split_as_spacys_tokenizer_splits_them(word):
    import spacy

    assert tokens_of(word) == [token.text.replace("\u2019", "'") for token in spacy.blank("en")(word)]


@pytest.mark.parametrize("word", ["sign-off", "e-mail", "re-check", "bi-weekly", "follow-up's", "COVID-19", "3-pack",
                                  "x-ray", "B0-X", "well-known"])
def test_hyphenated_words_split_as_spacys_tokenizer_splits_them(word):
    import spacy

    assert tokens_of(word) == [token.text for token in spacy.blank("en")(word)]


def test_a_hyphenated_word_in_a_vocabulary_matches_in_a_compact_phrase_and_adds_one_pattern(run, tmp_path):
    body = """\
        patterns: ["(checklist|form|sign-off|template) (has|had) no line"]
    """
    text = "The sign-off had no line for it. Our checklist has no line either. The sign off has no line.\n"
    assert matches(run, tmp_path, body, text) == ["sign-off had no line", "checklist has no line"]
    assert len(expand("(checklist|form|sign-off|template) (has|had) no line", {})) == 2


def test_a_hyphenated_word_as_one_token_is_refused_with_the_tokens_to_write(run, tmp_path):
    line = error_of(run, tmp_path, "patterns: [[{LOWER: {IN: [check, re-check]}}, {LOWER: daily}]]\n")
    assert line.endswith("house.yaml:10: rules.0.patterns.0.0.LOWER.IN.1: 're-check' is 3 tokens to spaCy "
                         "('re' + '-' + 'check'), so one token never matches it: write them as separate tokens, "
                         "or use a compact phrase")


# Size ------------------------------------------------------------------------------------------
def test_no_built_in_rule_file_is_over_300_lines():
    files = sorted((ROOT / "rules").rglob("*.yaml"))
    assert files
    long = {str(path.relative_to(ROOT)): n for path in files if (n := len(path.read_text("utf-8").splitlines())) > 300}
    assert long == {}


@pytest.mark.parametrize("request_words", ["a higher-level review", "a second-level review", "a senior-level review"])
def test_a_hyphenated_request_for_a_senior_review_is_seen_by_the_built_in_rules(run, tmp_path, request_words):
    letter = tmp_path / "escalation.md"
    letter.write_text("Dear Executive Seller Relations,\n\nThis is our third appeal; our two earlier plans were "
                      f"rejected.\n\nWe respectfully request {request_words} of our case.\n", "utf-8")
    result = run("check", "--format", "json", "--exit-zero", letter)
    assert "missing-senior-review-request" not in {f["rule"] for f in findings_json(result)}
