"""Profiles: which letters are escalations or requests, and why, shown in every report.

A letter is an escalation only on real evidence (addressed to a senior team, asking for a senior
or second review, or saying earlier plans were rejected); a letter that admits no fault by design
(a reimbursement claim, a request to a rights owner) is a request, judged without the POA's
section rules; when unsure, a letter stays a POA.
"""
from __future__ import annotations

import json

import pytest
import yaml

from conftest import CORPUS, findings_json
from poalint.config import Config
from poalint.rules.ruleset import load_ruleset

GOOD_POA = """\
# Plan of Action: Order Defect Rate, Harbourline Home Goods

Dear Seller Performance Team,

Thank you for reviewing our account. Our order defect rate reached 2.4% between 1 March and 30 April 2025 \
because 31 buyers received chipped ceramic mugs and our customer service team did not escalate these \
complaints to the warehouse lead. We accept that this was our failure, and this plan explains the cause, \
what we have fixed and how we keep it fixed.

## Root Cause

This happened because we packed the mugs in single-wall cartons without dividers after we changed packaging \
suppliers on 24 February 2025, and we did not test the new cartons. Our customer service team answered each \
complaint with a refund but never reported the breakage pattern, so nobody on our side saw that 31 of the \
1,280 orders shipped in that period arrived damaged.

## Corrective Actions

- On 2 May 2025 we refunded or replaced all 31 affected orders, including orders 113-4829173-5520164 and \
113-9920417-2281135.
- On 3 May 2025 we removed ASIN B0D7KQ2MNX from sale until the new cartons arrived.
- On 6 May 2025 our warehouse lead, Priya Nair, repacked the remaining 410 units in double-wall cartons \
with moulded dividers.

## Preventive Measures

- Every packaging change now needs a drop test of ten sample parcels, signed off by Priya Nair before the \
first shipment.
- Our customer service lead, Tom Reyes, reviews every damage complaint each Monday and reports any product \
with three or more in a week to the warehouse lead.
- We check the order defect rate in Seller Central every Friday and act on any rise above 0.5%.

Sincerely,
Daniel Osei, Owner, Harbourline Home Goods
"""

SENIOR_REVIEW = """\
To: Executive Seller Relations
Subject: Harbourline Home Goods, order defect rate deactivation

Dear Executive Seller Relations team,

We ask that a senior member of your team look at our case with fresh eyes. Our order defect rate rose \
because we shipped mugs in cartons we had never tested, and we have changed that.
"""

EARLIER_PLAN_REJECTED = """\
Dear Seller Performance,

Our earlier plan of action, sent on 9 May 2025, was declined, and we understand why: it listed refunds but \
never explained how the mugs came to break. This letter explains the cause first.
"""

REIMBURSEMENT = """\
Subject: Reimbursement request, shipment FBA17QXZ4K2M

Hello Seller Support,

We are requesting reimbursement for 14 units of ASIN B0D7KQ2MNX that the fulfilment centre received on \
12 June 2025 and that have not appeared in our inventory since. The inventory ledger for shipment \
FBA17QXZ4K2M shows 200 units sent and 186 received; the carrier's proof of delivery and our packing list \
are attached. We are desperate for this money and we beg you to pay it today.

Kind regards,
Daniel Osei, Harbourline Home Goods
"""

RETRACTION = """\
Dear Rights Owner,

We sell Kestrel Outdoor lanterns bought from your authorised distributor, Northgate Supply, under invoice \
NS-20931 of 4 March 2025. Your team filed complaint 1593826471 against ASIN B0C9TR4LPX, and we kindly ask \
you to retract your complaint: the invoice and the distributor's letter are attached. We are desperate to \
sell again before the summer.

Best regards,
Daniel Osei, Harbourline Home Goods
"""

#: A wording rule for every letter: it omits `profile:`, which means `any`.
WORDING_PACK = """\
rules:
  - id: test-pleading
    kind: existence
    severity: warning
    message: "Pleading: {match}"
    description: Flags pleading (test rule).
    phrases: ["desperate"]
"""

SECTION_RULES = {"missing-root-cause", "missing-corrective-actions", "missing-preventive-measures"}


def check_json(run, path, *extra) -> dict:
    return json.loads(run("check", "--no-cache", "--format", "json", "--exit-zero", *extra, path).output)["files"][0]


def test_escalate_in_its_ordinary_sense_leaves_a_poa_and_its_score(run, letter):
    path = letter(GOOD_POA)
    detected = check_json(run, path)
    assert detected["profile"] == "poa"
    assert detected["score"] == check_json(run, path, "--profile", "poa")["score"]
    assert not any(f["rule"].startswith("missing-senior") for f in detected["findings"])


@pytest.mark.parametrize("text, why", [
    (SENIOR_REVIEW, "addresses or asks for a senior reviewer"),
    (EARLIER_PLAN_REJECTED, "says an earlier plan or appeal was rejected"),
])
def test_escalations_are_detected_and_say_why(run, letter, text, why):
    result = check_json(run, letter(text))
    assert result["profile"] == "escalation"
    assert result["profile_reason"].startswith(f"detected: {why}")


def test_asking_for_a_senior_review_is_evidence_enough():
    ruleset = load_ruleset(Config())
    choice = ruleset.letter_profile("Dear team,\n\nPlease have a Senior Investigator review our revised plan.\n")
    assert choice.name == "escalation" and "Senior Investigator" in choice.reason


@pytest.mark.parametrize("text, why", [
    (REIMBURSEMENT, "claims a reimbursement"),
    (RETRACTION, "asks a rights owner to retract a complaint"),
])
def test_requests_skip_the_poa_sections_but_not_wording(run, letter, tmp_path, text, why):
    pack = tmp_path / "wording.yaml"
    pack.write_text(WORDING_PACK, "utf-8")
    result = check_json(run, letter(text), "--rules", pack)
    assert result["profile"] == "request"
    assert result["profile_reason"].startswith(f"detected: {why}")
    rules = {f["rule"] for f in result["findings"]}
    assert not rules & SECTION_RULES
    assert "test-pleading" in rules
    # The same letter judged as a POA misses every section.
    assert SECTION_RULES <= {f["rule"] for f in check_json(run, letter(text), "--profile", "poa")["findings"]}


def test_a_poa_that_mentions_a_reimbursement_stays_a_poa(run, letter):
    text = GOOD_POA.replace("Thank you for reviewing our account.",
                            "We are requesting reimbursement for nothing; we are writing about our account.")
    result = check_json(run, letter(text))
    assert result["profile"] == "poa"
    assert result["profile_reason"].startswith("detected: answers for a fault")


def test_the_profile_can_be_set_to_request(run, letter, tmp_path):
    path = letter("Dear team,\n\nPlease look at shipment FBA17QXZ4K2M again.\n")
    result = check_json(run, path, "--profile", "request")
    assert result["profile"] == "request" and result["profile_reason"] == "set by --profile"
    assert not {f["rule"] for f in result["findings"]} & SECTION_RULES
    fronted = letter("---\npoalint:\n  profile: request\n---\nDear team,\n\nPlease look at it again.\n", "f.md")
    assert (check_json(run, fronted)["profile"], check_json(run, fronted)["profile_reason"]) == ("request", "front matter")
    (tmp_path / "configured").mkdir()
    (tmp_path / "configured" / ".poalint.yaml").write_text("profile: request\n", "utf-8")
    configured = letter("Dear team,\n\nPlease look at shipment FBA17QXZ4K2M again.\n", "configured/c.md")
    assert (check_json(run, configured)["profile"], check_json(run, configured)["profile_reason"]) == \
        ("request", "configuration")


def test_the_text_report_names_the_profile_and_why(run, letter):
    text = run("check", "--no-cache", "--exit-zero", letter(SENIOR_REVIEW)).output
    assert "profile: escalation (detected: addresses or asks for a senior reviewer" in text
    many = run("check", "--no-cache", "--exit-zero", "--profile", "poa", letter(GOOD_POA, "a.md"),
               letter(REIMBURSEMENT, "b.md")).output
    assert many.count("profile: poa (set by --profile)") == 2


def test_sarif_and_html_carry_the_profile_and_why(run, letter):
    path = letter(REIMBURSEMENT)
    sarif = json.loads(run("check", "--no-cache", "--exit-zero", "--format", "sarif", path).output)
    profile = sarif["runs"][0]["properties"]["profiles"][str(path)]
    assert profile["profile"] == "request" and profile["reason"].startswith("detected: claims a reimbursement")
    page = run("check", "--no-cache", "--exit-zero", "--format", "html", path).output
    assert "Profile: request (detected: claims a reimbursement" in page


@pytest.mark.parametrize("where", ["front matter", "configuration"])
def test_an_unknown_profile_is_a_one_line_error(run, letter, tmp_path, where):
    if where == "front matter":
        path = letter("---\npoalint:\n  profile: requests\n---\nHi there.\n")
    else:
        path = letter("Hi there.\n")
        (tmp_path / ".poalint.yaml").write_text("profile: requests\n", "utf-8")
    result = run("check", "--no-cache", path)
    assert result.exit_code == 2
    assert "'requests' is not one of: auto, poa, escalation, request" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_request_profile_runs_only_its_own_and_every_letter_rules(run, letter, tmp_path):
    pack = tmp_path / "profiles.yaml"
    pack.write_text(WORDING_PACK + "".join(
        f"  - id: test-{profile}\n    kind: existence\n    severity: info\n    profile: {profile}\n"
        f"    message: \"{profile}: {{match}}\"\n    description: A {profile} rule (test rule).\n"
        f"    phrases: [\"desperate\"]\n" for profile in ("poa", "escalation", "request", "any")), "utf-8")
    active = {profile: {f["rule"] for f in findings_json(run("check", "--no-cache", "--format", "json",
                                                             "--exit-zero", "--profile", profile, "--rules", pack,
                                                             "--select", "test-pleading,test-poa,test-escalation,"
                                                             "test-request,test-any", letter(REIMBURSEMENT)))}
              for profile in ("poa", "escalation", "request")}
    assert active == {"poa": {"test-pleading", "test-poa", "test-any"},
                      "escalation": {"test-pleading", "test-poa", "test-escalation", "test-any"},
                      "request": {"test-pleading", "test-request", "test-any"}}


def _labelled_letters():
    for labels, folder in ((CORPUS / "labels.yaml", CORPUS / "letters"),
                           (CORPUS / "more" / "labels.yaml", CORPUS / "more" / "letters")):
        for name, label in yaml.safe_load(labels.read_text("utf-8")).items():
            if isinstance(label, dict):
                yield folder / name, label["kind"]
    for name, label in yaml.safe_load((CORPUS / "published" / "labels.yaml").read_text("utf-8"))["letters"].items():
        yield CORPUS / "published" / f"{name}.txt", label["kind"]


@pytest.mark.skipif(not (CORPUS / "labels.yaml").is_file(), reason=f"the labelled corpus is not at {CORPUS}")
def test_no_letter_that_answers_for_a_fault_is_taken_for_a_request():
    ruleset = load_ruleset(Config())
    taken = [path.name for path, kind in _labelled_letters()
             if kind in ("poa", "appeal", "escalation") and ruleset.detect_profile(path.read_text("utf-8")).name == "request"]
    assert taken == []
