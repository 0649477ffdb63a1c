"""Spans that cover words, not the punctuation around them; suggestions whose example fits the letter."""
from __future__ import annotations

import textwrap

import pytest

from conftest import findings_json

PACK = """\
rules:
  - id: test-trailing
    kind: existence
    severity: warning
    message: "Vague: {match}"
    description: A test rule whose matches take the punctuation after a word.
    regex: ['\\bsoon[,.;:!?]*', '\\betc\\.', '\\bU\\.S\\.', '!{2,}']
    patterns:
      - - {LOWER: shortly}
        - {IS_PUNCT: true}
  - id: test-leading
    kind: existence
    severity: warning
    message: "Hedge: {match}"
    description: A test rule whose matches start on punctuation and spaces.
    regex: ['[,;] +hopefully']
  - id: test-quoted
    kind: existence
    severity: warning
    message: "Quoted: {match}"
    description: A test rule that matches quotation marks with the words.
    include_quoted: true
    regex: ['“?not our fault”?,?', '\\b\\w+s’ fault', '\\(see [^)]*\\)?']
"""


@pytest.fixture
def pack(tmp_path):
    def write(text: str = PACK):
        path = tmp_path / "house.yaml"
        path.write_text(textwrap.dedent(text), "utf-8")
        return path
    return write


def spans(run, pack_path, path, *rules):
    result = run("check", "--rules", pack_path, "--select", ",".join(rules), "--format", "json", path)
    return [(f["text"], f["message"]) for f in findings_json(result)]


# Spans ------------------------------------------------------------------------------------------

def test_a_span_ends_at_its_last_word_not_at_a_comma_or_full_stop(run, letter, pack):
    path = letter("We will ship soon, and refund soon. Then we wait shortly; and act soon!!\n")
    assert spans(run, pack(), path, "test-trailing") == [
        ("soon", "Vague: soon"), ("soon", "Vague: soon"), ("shortly", "Vague: shortly"), ("soon", "Vague: soon")]


def test_a_span_does_not_start_on_punctuation_or_space(run, letter, pack):
    path = letter("We checked the stock;  hopefully it holds.\n")
    found = findings_json(run("check", "--rules", pack(), "--select", "test-leading", "--format", "json", path))
    assert [(f["text"], f["column"], f["end_column"]) for f in found] == [("hopefully", 24, 33)]


def test_punctuation_that_is_the_match_or_part_of_a_word_stays(run, letter, pack):
    # An abbreviation keeps its full stop when it has another inside; a match of punctuation alone
    # is the point of the rule and is kept whole.
    path = letter("We sell in the U.S. and we are sorry!!! Boxes, labels etc. arrive.\n")
    assert [text for text, _ in spans(run, pack(), path, "test-trailing")] == ["U.S.", "!!!", "etc"]


def test_quotation_marks_stay_around_a_whole_quoted_phrase_and_go_when_unpaired(run, letter, pack):
    path = letter("They wrote “not our fault”, twice. It was not our fault” he said. "
                  "It was the sellers’ fault (see the log) and not our fault.\n")
    assert [text for text, _ in spans(run, pack(), path, "test-quoted")] == [
        "“not our fault”", "not our fault", "sellers’ fault", "(see the log)", "not our fault"]


def test_built_in_rules_underline_the_words_only(run, letter):
    path = letter("We will replace the stock soon, and we will refund every buyer soon.\n")
    found = findings_json(run("check", "--select", "vague-wording", "--format", "json", path))
    assert [(f["text"], f["message"]) for f in found] == [
        ("soon", "Vague or non-committal wording: “soon”."),
        ("soon", "Vague or non-committal wording: “soon”.")]
    assert found[0]["end_column"] == len("We will replace the stock soon") + 1


def test_a_long_sentence_is_underlined_up_to_its_last_word(run, letter):
    sentence = " ".join(["word"] * 60) + "."
    path = letter(sentence + "\n")
    found = findings_json(run("check", "--select", "long-sentence", "--format", "json", path))
    assert [f["text"] for f in found] == [sentence[:-1]]


# Suggestion variants ----------------------------------------------------------------------------

VARIANTS_PACK = """\
rules:
  - id: test-blame
    kind: existence
    severity: warning
    message: "Blame: {match}"
    description: A test rule with suggestions by the party blamed.
    suggestion: "Own it ({match})."
    suggestions:
      - when: [carrier, courier]
        text: "Own the carrier choice ({match})."
      - when: {regex: ['\\bUPS\\b']}
        text: "Own the UPS handover."
      - when: [supplier]
        text: "Own the supplier check."
    regex: ['\\bnot our fault\\b', 'caused by (the|our) \\w+']
  - id: test-about
    kind: required
    severity: warning
    message: "No highlight."
    description: A test rule with suggestions by what the letter is about.
    suggestion: "Highlight your strongest measure."
    suggestions:
      - when: {phrases: [trademark, trademarks, copyright]}
        text: "Highlight the rights owner's retraction."
      - when: [inauthentic]
        text: "Highlight the supplier invoices."
    phrases: [we would like to highlight]
"""


def suggestions(run, pack_path, path, rule):
    result = run("check", "--rules", pack_path, "--select", rule, "--format", "json", path)
    return [(f["text"], f["suggestion"]) for f in findings_json(result)]


def test_a_variant_is_chosen_by_the_match_before_its_sentence(run, letter, pack):
    path = letter("The supplier was late, and the delay was caused by the carrier. It was not our fault.\n\n"
                  "Our courier lost it, which was not our fault. The parcel was caused by our UPS pickup.\n\n"
                  "This was caused by our supplier. Everything else is not our fault.\n")
    assert suggestions(run, pack(VARIANTS_PACK), path, "test-blame") == [
        # "carrier" is in the match, although "supplier" comes first in its sentence
        ("caused by the carrier", "Own the carrier choice (caused by the carrier)."),
        ("not our fault", "Own it (not our fault)."),
        # no party in the match: the sentence names the courier
        ("not our fault", "Own the carrier choice (not our fault)."),
        ("caused by our UPS", "Own the UPS handover."),
        ("caused by our supplier", "Own the supplier check."),
        ("not our fault", "Own it (not our fault)."),
    ]


def test_a_variant_for_a_missing_thing_is_chosen_by_what_the_letter_says(run, letter, pack):
    rules = pack(VARIANTS_PACK)
    about_trademarks = letter("Our listing used a brand's trademark in its title.\n", "a.md")
    about_authenticity = letter("Buyers said our goods were inauthentic.\n", "b.md")
    about_neither = letter("Our late shipment rate rose to 9 percent.\n", "c.md")
    assert suggestions(run, rules, about_trademarks, "test-about") == [(None, "Highlight the rights owner's retraction.")]
    assert suggestions(run, rules, about_authenticity, "test-about") == [(None, "Highlight the supplier invoices.")]
    assert suggestions(run, rules, about_neither, "test-about") == [(None, "Highlight your strongest measure.")]


def test_explain_shows_the_variants(run, pack):
    result = run("explain", "test-blame", "--rules", pack(VARIANTS_PACK))
    assert result.exit_code == 0, result.output
    assert "Suggestion: Own it ({match})." in result.output
    assert "carrier, courier: Own the carrier choice ({match})." in result.output
    assert "Own the supplier check." in result.output


@pytest.mark.parametrize("change, line, expected", [
    (("        text: \"Own the supplier check.\"\n", "        text: \"Own the supplier check.\"\n        colour: red\n"),
     15, "rules.0.suggestions.2.colour: unknown key"),
    (("        text: \"Own the supplier check.\"\n", ""), 13, "rules.0.suggestions.2: 'text' is required"),
    (("when: [supplier]", "when: {words: [supplier]}"), 13, "rules.0.suggestions.2.when.words: unknown key"),
    (("'\\bUPS\\b'", "'(?=UPS)'"), 11, "rules.0.suggestions.1.when.regex.0: invalid regular expression"),
    (("Own the supplier check.", "Own the {party} check."), 2, "unknown placeholder {party}"),
])
def test_a_broken_variant_is_one_line_naming_file_line_and_key(run, tmp_path, letter, pack, change, line, expected):
    assert change[0] in VARIANTS_PACK
    rules = pack(VARIANTS_PACK.replace(*change))
    result = run("check", "--rules", rules, letter("It was not our fault.\n"))
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0, result.output
    assert f"{rules}:{line}" in result.output and expected in result.output, result.output


# The built-in rules' variants -------------------------------------------------------------------

def test_blame_shifting_suggests_an_example_for_the_party_blamed(run, letter):
    path = letter("The late deliveries were caused by our courier.\n\n"
                  "The scratched bottles were caused by the factory that fills them.\n\n"
                  "The problem was created by one customer who kept ordering the wrong size.\n\n"
                  "Our reviews dropped because another seller is attacking us, which is beyond our control.\n\n"
                  "The duplicates were made mostly by our former agency.\n\n"
                  "Amazon's own warehouse lost half of our stock.\n\n"
                  "These refunds were not our fault.\n")
    found = findings_json(run("check", "--select", "blame-shifting", "--format", "json", path))
    openings = [f["suggestion"].split(":")[0] for f in found]
    assert openings == ["Own the handover to the carrier", "Own the sourcing", "Do not judge the buyer",
                        "Leave competitors out", "The people and tools you use are yours to check",
                        "Do not say Amazon or its systems got it wrong",
                        "Take ownership of the part you control"]
    assert "carrier" not in found[-1]["suggestion"]


@pytest.mark.parametrize("topic, expected", [
    ("A rights owner said our titles used their trademark.", "rights owner's written retraction"),
    ("Buyers said our bottles were counterfeit.", "authorised distributor"),
    ("Our late shipment rate reached 6% in April.", "second packer"),
    ("Our account was deactivated in April.", "signed checklist"),
])
def test_escalation_suggestions_fit_what_the_letter_is_about(run, letter, topic, expected):
    path = letter(f"Dear Executive Seller Relations,\n\n{topic} We have revised our plan and attach it.\n")
    result = run("check", "--profile", "escalation", "--select", "missing-key-measures-highlight",
                 "--format", "json", path)
    [finding] = findings_json(result)
    assert expected in finding["suggestion"]
