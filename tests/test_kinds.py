"""Each rule kind, on real text, through the CLI with a small test pack."""
from __future__ import annotations

from conftest import KINDS_PACK, findings_json


def check(run, path, *rules, extra=()):
    return run("check", "--rules", KINDS_PACK, "--select", ",".join(rules), "--format", "json", *extra, path)


def test_existence_phrase_lemma_pattern_and_regex(run, letter):
    path = letter("We tried to call. We will try to ship as soon as possible. Hopefully it works.\n")
    found = findings_json(check(run, path, "test-existence"))
    # The LEMMA pattern matches "tried" as well as "try".
    assert [f["text"] for f in found] == ["We tried to", "We will try to", "as soon as possible", "Hopefully"]
    assert all(f["severity"] == "warning" and f["message"].startswith("Hedge: ") for f in found)


def test_existence_exception_cancels_the_month(run, letter):
    path = letter("We may ship late. On 3 May 2024 we shipped. In May 2024 we hired.\n")
    found = findings_json(check(run, path, "test-month"))
    assert [(f["line"], f["column"], f["text"]) for f in found] == [(1, 4, "may")]


def test_existence_skips_quotations_and_blockquotes(run, letter):
    path = letter('> Ship them as soon as possible.\n\nThe notice said "act as soon as possible". '
                  'We will act as soon as possible.\n')
    found = findings_json(check(run, path, "test-existence"))
    assert [(f["line"], f["text"]) for f in found] == [(3, "as soon as possible")]
    assert found[0]["column"] == len('The notice said "act as soon as possible". We will act ') + 1


def test_substitution_offers_the_replacement(run, letter):
    path = letter("In order to help, we utilise a checklist.\n")
    found = findings_json(check(run, path, "test-substitution"))
    assert [(f["text"], f["message"]) for f in found] == [
        ("In order to", "Write “To” instead of “In order to”."),
        ("utilise", "Write “use” instead of “utilise”."),
    ]
    assert found[1]["suggestion"] == "Write “use”."


def test_required_counts_only_its_sections_and_anchors_at_the_heading(run, letter):
    path = letter("# Plan\n\nWe refunded nobody yet.\n\n## Corrective Actions\n\nWe will refund every buyer.\n")
    found = findings_json(check(run, path, "test-required"))
    assert len(found) == 1
    assert (found[0]["line"], found[0]["column"], found[0]["text"]) == (5, 1, None)
    assert found[0]["message"] == "No past action in the corrective sections (0 of 1)."


def test_required_ignores_headings(run, letter):
    path = letter("## Corrective Actions we refunded\n\nNothing yet.\n")
    assert len(findings_json(check(run, path, "test-required"))) == 1


def test_required_falls_back_to_the_letter_without_such_a_section(run, letter):
    assert findings_json(check(run, letter("We refunded every buyer.\n"), "test-required")) == []
    assert len(findings_json(check(run, letter("We will refund.\n"), "test-required"))) == 1


def test_required_sentence_scope_needs_matches_in_one_sentence(run, letter):
    apart = letter("It happened because of the weather. Our team is great.\n")
    together = letter("It happened because our team skipped the check.\n", "b.md")
    assert len(findings_json(check(run, apart, "test-required-sentence"))) == 1
    assert findings_json(check(run, together, "test-required-sentence")) == []


def test_metric_picks_the_most_severe_threshold(run, letter):
    words = " ".join(["word"] * 45)
    found = findings_json(check(run, letter(words + "\n"), "test-metric"))
    assert [(f["severity"], f["message"]) for f in found] == [("error", "45 words (max 40).")]
    found = findings_json(check(run, letter(" ".join(["word"] * 25) + "\n"), "test-metric"))
    assert [f["severity"] for f in found] == ["warning"]
    found = findings_json(check(run, letter("Two words\n"), "test-metric"))
    assert [(f["severity"], f["message"]) for f in found] == [("info", "2 words (min 3).")]


def test_metric_reports_its_value_in_json_metrics(run, letter):
    import json

    result = check(run, letter("We refunded the buyer. We wrote to her.\n"), "test-metric")
    metrics = json.loads(result.output)["files"][0]["metrics"]
    assert metrics == {"words": 8, "sentences": 2, "paragraphs": 1}


def test_sentence_length_marks_the_sentence(run, letter):
    text = "We refunded every buyer. We refunded every buyer who wrote to us in May and June about parcels.\n"
    found = findings_json(check(run, letter(text), "test-sentence-length"))
    assert len(found) == 1
    # up to its last word: the full stop is not underlined (tests/test_spans_and_variants.py)
    assert found[0]["text"] == "We refunded every buyer who wrote to us in May and June about parcels"
    assert found[0]["message"] == "14 words in one sentence (limit 10)."


def test_sections_missing_thin_and_out_of_order(run, letter):
    text = ("## Preventive Measures\n\nOur buyer checks every invoice each week.\n\n"
            "## Root Cause\n\nOur supplier was not authorised.\n\n## Corrective Actions\n\nWe refunded.\n")
    found = findings_json(check(run, letter(text), "test-sections"))
    messages = sorted(f["message"] for f in found)
    assert messages == [
        "The corrective section comes after the preventive section.",
        "The corrective section holds only 2 words (at least 5 expected).",
        "The root-cause section comes after the preventive section.",
    ]


def test_an_empty_section_holds_no_words(run, letter):
    text = "## Root Cause\n\n## Corrective Actions\n\nWe refunded all nine buyers on 3 May.\n"
    found = findings_json(check(run, letter(text), "test-sections"))
    assert "The root-cause section holds no words (at least 5 expected)." in [f["message"] for f in found]


def test_sections_ignores_unheaded_prose(run, letter):
    assert findings_json(check(run, letter("We refunded all buyers and changed supplier.\n"), "test-sections")) == []


def test_by_profile_settings_apply_to_that_profile_only(run, letter):
    text = "Please review our plan, Senior Investigator.\n\n## Root Cause\n\nOur buyer skipped checks.\n"
    escalation = findings_json(check(run, letter(text), "test-length-by-profile", extra=["--profile", "escalation"]))
    assert [f["message"] for f in escalation] == ["6 words (max 4)."]
    assert findings_json(check(run, letter(text), "test-length-by-profile", extra=["--profile", "poa"])) == []


def test_exceptions_reach_the_whole_sentence(run, letter):
    hedged = letter("It happened because our buyer skipped the check, we think.\n")
    owned = letter("It happened because our buyer skipped the check. We think the new rule works.\n", "b.md")
    assert len(findings_json(check(run, hedged, "test-exceptions-reach"))) == 1
    assert findings_json(check(run, owned, "test-exceptions-reach")) == []


def test_exceptions_reach_their_own_clause(run, letter):
    conceded = letter("We accept the photo was old, but the bag is genuine.\n")
    accepted = letter("We accept that the bag is genuine and the photo was old.\n", "b.md")
    assert [f["text"] for f in findings_json(check(run, conceded, "test-exceptions-reach-clause"))] == ["is genuine"]
    assert findings_json(check(run, accepted, "test-exceptions-reach-clause")) == []
