"""The wording rules of issue 21: disputes-notice, complains-about-amazon, generic-promise, and
emotional-language's pressure about money, employees and family.

Each test lints a letter written for it (never a corpus sentence) with the built-in rules and the
default pipeline, and checks the findings a reader would see: the rule, the words underlined,
the suggestion's example and the readiness score.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from poalint.analysis.pipeline import Pipeline
from poalint.config import Config
from poalint.reading import read_text
from poalint.rules.engine import Linter
from poalint.rules.ruleset import load_ruleset

NEW_RULES = ("disputes-notice", "complains-about-amazon", "generic-promise", "emotional-language")

#: A complete plan (root cause, actions taken, preventive controls with owners and dates).
PLAN = """\
# Plan of Action for Harbour Lane Goods

## Root cause

On 2 May 2025 our account was deactivated after nine buyers reported that our steel water bottles
arrived dented. Our packer, Tomas Reyes, packed the bottles in padded envelopes because we had
run out of boxes, and I never looked at his packing that week. The dents came from our packing.

## Corrective actions

On 4 May we refunded all nine buyers and removed the 120 bottles packed that week from sale.
On 5 May we bought 2,000 double-wall boxes and repacked every bottle in stock.

## Preventive measures

Every Monday our warehouse lead, Ana Silva, counts the boxes and orders more when fewer than 300
remain. Each packer follows a written packing sheet, and Ana checks five parcels every day
before collection.
"""
ANGRY = ("Honestly we do not understand this decision. Our products are 100% original. "
         "We are losing thousands of dollars every day and we have employees to pay.")


@lru_cache(maxsize=1)
def linter():
    ruleset = load_ruleset(Config())
    return ruleset, Linter(ruleset, Pipeline.load(None))


def lint(text: str):
    ruleset, engine = linter()
    findings = engine.lint(read_text(text, "letter.md", ruleset.roles), "poa").findings
    return findings, ruleset.score.score(findings)


def found(text: str, rule: str) -> list[str]:
    return [f.text for f in lint(text)[0] if f.rule == rule]


def test_the_issue_letter_is_flagged_where_it_argues_and_pleads():
    plain, plain_score = lint(PLAN)
    assert not [f for f in plain if f.rule in NEW_RULES]
    letter = PLAN.replace("## Root cause\n", f"## Root cause\n\n{ANGRY}\n")
    findings, score = lint(letter)
    spans = {(f.rule, f.text) for f in findings if f.rule in NEW_RULES}
    assert spans == {
        ("disputes-notice", "do not understand this decision"),
        ("disputes-notice", "products are 100% original"),
        ("emotional-language", "losing thousands of dollars every day"),
        ("emotional-language", "employees to pay"),
    }
    assert score < plain_score


@pytest.mark.parametrize(("rule", "sentence", "hint"), [
    # the suggestion's example fits what the sentence does
    ("disputes-notice", "Our goods are completely genuine, we buy from the brand.", "Show authenticity"),
    ("disputes-notice", "There were only 3 returns out of 4,000 orders last month.", "complaints against your order count"),
    ("disputes-notice", "The rights owner's mark has lapsed, so there is no infringement.", "legal argument"),
    ("disputes-notice", "This deactivation is a big mistake.", "Do not call the decision wrong"),
    ("complains-about-amazon", "All we get from Seller Support is one canned reply after another.", "contacts with Support"),
    ("complains-about-amazon", "Amazon is holding our funds since March.", "held funds"),
    ("complains-about-amazon", "Your enforcement is arbitrary and biased against small shops.", "unfair"),
    ("generic-promise", "I promise this problem will never occur again.", "name the control"),
    ("generic-promise", "Our staff have now read all the Amazon selling policies.", "Name the policy"),
    ("generic-promise", "We made all the needed changes.", "List the steps"),
    ("generic-promise", "Customer satisfaction is our number one priority.", "Cut the slogan"),
])
def test_each_finding_gets_the_suggestion_that_fits_it(rule, sentence, hint):
    hits = [f for f in lint(sentence)[0] if f.rule == rule]
    assert hits, f"{rule} missed {sentence!r}"
    assert hint in hits[0].suggestion


@pytest.mark.parametrize(("rule", "sentence"), [
    # the seller accepting the finding or owning the cause is not a dispute
    ("disputes-notice", "We do not dispute the notice: 11 of our units were resold returns."),
    ("disputes-notice", "Our buyer never checked whether the goods from the new factory were authentic."),
    ("disputes-notice", "The distributor told us the products were genuine, and we did not ask for invoices."),
    # quoted notice text is Amazon's words, not the seller's
    ("disputes-notice", 'Your notice of 2 May said: "the complaint is valid and the listing is removed".'),
    # the seller's own replies and controls are not complaints about Amazon
    ("complains-about-amazon", "Our agents sent every buyer the same template answer, which was our mistake."),
    ("complains-about-amazon", "An automatic email tells our manager when the defect rate passes 1%."),
    # Amazon named in the seller's own act ("our Amazon listings"): the seller did not check, not Amazon
    ("complains-about-amazon", "I pasted the maker's wording into our Amazon listings in June without checking it first."),
    # a dated, counted fact is not an empty promise
    ("generic-promise", "On 6 May we repacked all 340 units in stock in new boxes."),
    ("generic-promise", "Our shift lead keeps the spare label printer locked at all times."),
    # a fact about the business is not a plea
    ("emotional-language", "We lost 40 parcels in the March floods and refunded each buyer."),
    ("emotional-language", "We have four employees who pack orders in our warehouse in Porto."),
    # a blessing in the sign-off is a courtesy, not a plea
    ("emotional-language", "Thank you for reading our plan. God bless you."),
    # an apology that calls its own mistake small still owns it
    ("disputes-notice", "We apologise for a small mistake in the invoice we sent you."),
    # a party cleared, a counterfactual that owns the step, a test purchase planned
    ("blame-shifting", "It was not their fault: our own label file held the wrong barcodes."),
    ("blame-shifting", "Had we compared the lot with the listing, none of this would have happened."),
    ("disputes-notice", "We will send the brand owner two units for a test purchase on 4 June."),
    # a price above the usual one is the finding, not an excuse of volume
    ("excuse-as-root-cause", "The prices on the two kettles were higher than normal for eleven hours."),
])
def test_owned_and_factual_sentences_stay_clean(rule, sentence):
    assert not found(sentence, rule)


@pytest.mark.parametrize("sentence", [
    # the finding called alleged, whatever the misdeed
    "This plan answers the alleged fraud on our coupon listings.",
    # the misdeed made small
    "Two weeks without sales for a minor oversight like this.",
])
def test_the_finding_called_alleged_or_small_is_disputed(sentence):
    assert found(sentence, "disputes-notice")


@pytest.mark.parametrize(("rule", "sentence", "words"), [
    # legal counter-arguments: no test buy made, a right too new to count
    ("disputes-notice", "The brand owner has not made a single test purchase of our stock.", "test purchase"),
    ("disputes-notice", "Their design mark was only registered last spring.", "only registered"),
    # the fault placed on others by a pronoun or a possessive
    ("blame-shifting", "If a lid was loose, the responsibility lies with him, not with our packers.", "lies with him"),
    ("blame-shifting", "The wrong barcodes were printed at the factory and it was their mistake.", "their mistake"),
    # what others did not tell, as the condition of the whole problem
    ("blame-shifting", "Had the recall been communicated to us in March, we would never have shipped these kettles.",
     "communicated to us"),
    ("blame-shifting", "If our forwarder had informed us of the customs hold, the orders would have shipped on time.",
     "had informed us"),
    # demand beyond the plan as the reason
    ("excuse-as-root-cause", "Our December orders were far higher than we had planned for.", "orders were far higher than"),
])
def test_counter_arguments_and_blame_by_pronoun_or_omission_are_flagged(rule, sentence, words):
    assert any(words in text for text in found(sentence, rule))


@pytest.mark.parametrize(("rule", "sentence", "words"), [
    # the finding contested after a concession, by a counterfactual, by a rhetorical question or by "no way"
    ("disputes-notice", "We accept that two photos were out of date, but the charger itself is fully compliant, so the "
     "removal is misplaced.", "is fully compliant"),
    ("disputes-notice", "Had anyone opened our lab report, the decision would surely have been different.",
     "decision would surely have been different"),
    ("disputes-notice", "The shop acknowledges the buyer's frustration but maintains that the jar carried a date in 2027.",
     "but maintains that"),
    ("disputes-notice", "The parcel the buyer photographed carried a label we never use, so the complaint could not "
     "have concerned our parcel.", "could not have concerned our"),
    ("disputes-notice", "I am tired of being accused of selling copies when every bag came from the maker's own outlet.",
     "tired of being accused"),
    ("disputes-notice", "We know how important safety is, but the kettles were tested twice and there is no way they "
     "could have leaked.", "no way they could have"),
    ("disputes-notice", "Are we really to believe that one blurred photo proves that 300 lamps were refurbished?",
     "Are we really to believe"),
    # a hard time, a custom, a confusion, fate or helplessness as the reason
    ("excuse-as-root-cause", "Our founder lost his father in March, and it was during this difficult period that the "
     "coupon was approved.", "during this difficult period"),
    ("excuse-as-root-cause", "Our staff work shorter days in the fasting month, and it is not something we can change.",
     "not something we can change"),
    ("excuse-as-root-cause", "We thought \"renewed\" and \"refurbished\" meant the same, and the whole problem came from "
     "that confusion.", "from that confusion"),
    ("excuse-as-root-cause", "I ran the shop alone after my day job, so errors in the labels were bound to slip through "
     "sooner or later.", "bound to slip"),
    ("excuse-as-root-cause", "It is really a cultural difference: in my country it is polite to thank a reviewer with a "
     "small gift.", "cultural difference"),
    ("excuse-as-root-cause", "After a hard quarter of port congestion, the company found itself unable to ship 80 orders "
     "on time.", "found itself unable to"),
    # reliance on another party, a lapse that "lies with them", a counterfactual, a helper acting alone, a vendor's bug
    ("blame-shifting", "Our client relied on a marketing agency that added the word \"organic\" to 12 titles.",
     "relied on a marketing agency"),
    ("blame-shifting", "The shop relied on the safety sheet supplied by the importer, which was out of date.",
     "supplied by the importer"),
    ("blame-shifting", "The inspector we hired signed off the cartons, so the lapse in labelling lies with them.",
     "lies with them"),
    ("blame-shifting", "Had the customs broker not held our pallets for nine days, no order would have been late.",
     "Had the customs broker not"),
    ("blame-shifting", "The marketing agency, acting outside its brief, offered free samples for five-star reviews.",
     "acting outside its brief"),
    ("blame-shifting", "My cousin helped with the account and put the lamps in the wrong category; I did not know he was "
     "doing this.", "not know he was doing"),
    ("blame-shifting", "The 40 oversold units were the direct result of a bug in StockBridge's connector, which took a "
     "week to fix.", "result of a bug in StockBridge"),
    # effort on a condition, a target with no figure
    ("vague-wording", "We check large orders by hand, and small ones too if we have the time.", "if we have the time"),
    ("vague-wording", "We are working hard to bring our cancellation rate down to an acceptable level.",
     "an acceptable level"),
])
def test_contested_findings_hard_times_reliance_and_open_targets_are_flagged(rule, sentence, words):
    assert any(words in text for text in found(sentence, rule))


@pytest.mark.parametrize(("rule", "sentence"), [
    # reliance owned: the check it replaced is named
    ("blame-shifting", "We relied on the prep centre to grade returns but never audited their grading."),
    ("blame-shifting", "Relying on the importer's safety sheet without checking it against the label rules was our "
     "choice."),
    # the finding accepted
    ("disputes-notice", "The shop does not dispute that the insert was sent, and it accepts the finding."),
])
def test_reliance_owned_and_a_finding_accepted_stay_clean(rule, sentence):
    assert not found(sentence, rule)
