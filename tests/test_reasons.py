"""Suspension reasons (docs/reasons.md): which case a letter answers is detected from its words,
or set by `--reason` or the front matter; that reason's rules run, its suggestions are chosen, and
every output format says which reason was used and why."""
from __future__ import annotations

import json
import time
import re
from xml.etree import ElementTree

import pytest

from conftest import ROOT, findings_json
from poalint.rules.reference import reasons_markdown

# A POA about inauthentic-item complaints that offers no invoices or authorisation letter.
INAUTHENTIC = """\
Dear Seller Performance,

Our account was deactivated on 3 March 2025 after two buyers complained that the Trekline
water bottles (ASIN B07XQ4LM2P) they received were inauthentic.

## Root cause

We bought 300 of these bottles from a reseller we met at a trade fair and never checked that
the reseller was authorised by the brand. Our buying process had no step for that.

## Corrective actions

On 5 March we removed the 41 remaining units from sale and refunded both buyers in full.

## Preventive measures

From 10 March our purchasing manager, Dana Holt, approves a new supplier only after the brand
confirms in writing that the supplier is authorised.

Sincerely,
Marek Ostrowski
"""

WITH_INVOICES = INAUTHENTIC.replace(
    "refunded both buyers in full.",
    "refunded both buyers in full. Attached are invoices 5512 and 5530 from Harlow Outdoor Supply, "
    "the brand's authorised distributor, and its letter of authorisation, covering the 300 units.")

# A late-shipment POA whose "root cause" only apologises: no cause is named.
LATE_SHIPMENT = """\
Dear Seller Performance team,

Our selling privileges were removed on 12 January 2025 because our late shipment rate reached
7.2%, above the 4% target.

We are very sorry for the inconvenience to our buyers. We value our customers and take our
account seriously.

On 14 January we raised the handling time on our 35 heavy ASINs from one day to three and moved
the carrier collection from 2 pm to 5 pm. Our dispatch lead, Ravi Menon, now checks the late
shipment rate each morning and adds a packing shift the same day if the 7-day rate passes 2%.

Kind regards,
Oskar Lind
"""

# A letter that names no case at all: a general apology and a promise.
NO_REASON = """\
Dear Amazon team,

We are writing about the deactivation of our account on 2 February 2025. We understand that our
performance fell short of what buyers expect. We have reviewed our processes and made changes so
that this does not happen again, and we will follow every policy from now on.

Thank you,
Lena Berg
"""


def check_json(run, path, *options):
    result = run("check", "--format", "json", "--exit-zero", *options, path)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["files"][0], findings_json(result)


def test_detected_reason_runs_its_rules_and_is_reported(run, letter):
    report, findings = check_json(run, letter(INAUTHENTIC))
    assert report["reason"] == "inauthentic"
    assert report["reasons"] == ["inauthentic"]
    assert report["reason_source"].startswith("detected: names it in its opening")
    assert "missing-supply-chain-evidence" in {f["rule"] for f in findings}


def test_reason_rule_is_quiet_when_the_letter_gives_what_it_asks_for(run, letter):
    report, findings = check_json(run, letter(WITH_INVOICES))
    assert report["reason"] == "inauthentic"
    assert "missing-supply-chain-evidence" not in {f["rule"] for f in findings}


def test_no_reason_is_guessed_from_a_letter_that_names_none(run, letter):
    report, findings = check_json(run, letter(NO_REASON))
    assert report["reason"] is None and report["reasons"] == []
    reason_rules = {rule for rules in _reason_rules(run).values() for rule in rules}
    assert not reason_rules & {f["rule"] for f in findings}


# A template for any case: its instructions list cases only as examples.
TEMPLATE = """\
Dear Seller Performance,

Our account [SELLER ID] was deactivated on [DATE] because of [name the reason from the notice,
e.g. an order defect rate over 1%, counterfeit complaints or a trademark complaint].

Why it happened: [the step that failed (for example: no supplier invoices were checked)].

Sincerely,
[NAME]
"""


def test_cases_given_as_examples_in_a_templates_instructions_are_not_its_reason(run, letter):
    report, _ = check_json(run, letter(TEMPLATE))
    assert report["reasons"] == []
    filled = TEMPLATE.replace("[name the reason from the notice,\ne.g. an order defect rate over 1%, counterfeit "
                              "complaints or a trademark complaint]", "counterfeit complaints")
    assert check_json(run, letter(filled))[0]["reasons"] == ["inauthentic"]


def test_reason_set_on_the_command_line_wins(run, letter):
    report, findings = check_json(run, letter(NO_REASON), "--reason", "late-shipment")
    assert report["reasons"] == ["late-shipment"]
    assert report["reason_source"] == "set by --reason"
    assert {"missing-late-shipment-target", "missing-dispatch-fix"} <= {f["rule"] for f in findings}


def test_reason_set_in_the_front_matter(run, letter):
    path = letter("---\npoalint:\n  reason: [pricing, late-shipment]\n---\n" + NO_REASON)
    report, findings = check_json(run, path)
    assert report["reasons"] == ["pricing", "late-shipment"]
    assert report["reason_source"].startswith("front matter")
    assert {"missing-price-ceiling", "missing-late-shipment-target"} <= {f["rule"] for f in findings}


def test_unknown_reason_on_the_command_line_is_a_one_line_error(run, letter):
    result = run("check", "--reason", "late-shipping", letter(NO_REASON))
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "late-shipping" in message and "late-shipment" in message


def test_unknown_reason_in_the_front_matter_names_file_line_and_key(run, letter):
    path = letter("---\ntitle: Appeal\npoalint:\n  reason: late-shipping\n---\n" + NO_REASON)
    result = run("check", path)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert f"{path}:4: poalint.reason: unknown reason 'late-shipping'" in message
    assert "did you mean 'late-shipment'" in message


def test_every_format_says_which_reason_was_used(run, letter):
    path = letter(INAUTHENTIC)
    text = run("check", "--exit-zero", path).output
    assert re.search(r"; reason: inauthentic \(detected: .+\)", text), text

    sarif = json.loads(run("check", "--exit-zero", "--format", "sarif", path).output)
    reasons = sarif["runs"][0]["properties"]["reasons"]
    assert [entry["reasons"] for entry in reasons.values()] == [["inauthentic"]]

    junit = ElementTree.fromstring(run("check", "--exit-zero", "--format", "junit", path).output)
    properties = {p.get("name"): p.get("value") for p in junit.iter("property")}
    assert properties["reasons"] == "inauthentic"
    assert properties["reason_source"].startswith("detected")

    html = run("check", "--exit-zero", "--format", "html", path).output
    assert "Reason: inauthentic" in html


def test_suggestion_fits_the_reason(run, letter):
    _, findings = check_json(run, letter(LATE_SHIPMENT))
    root_cause = [f for f in findings if f["rule"] == "missing-root-cause"]
    assert root_cause, [f["rule"] for f in findings]
    assert "handling time" in root_cause[0]["suggestion"]

    _, findings = check_json(run, letter(LATE_SHIPMENT), "--reason", "inauthentic")
    root_cause = [f for f in findings if f["rule"] == "missing-root-cause"]
    assert "wholesaler" in root_cause[0]["suggestion"]


#: Reasons of letters that answer for no fault of the seller's: the section rules' examples of a
#: cause, a fix and a control do not apply to them.
NO_FAULT = {"identity-verification", "fba-reimbursement"}


@pytest.mark.parametrize("rule_id", ["missing-root-cause", "weak-root-cause", "missing-corrective-actions",
                                     "weak-corrective-actions", "missing-preventive-measures",
                                     "weak-preventive-measures"])
def test_every_fault_reason_has_its_own_example_in_the_section_rules(rule_id):
    from test_builtin_rules import RULESET

    covered = {reason for variant in RULESET.by_id(rule_id).suggestions for reason in variant.reasons}
    assert set(RULESET.reasons) - NO_FAULT <= covered


def test_an_expired_products_letter_gets_a_fix_about_expiry_dates(run, letter):
    text = ("Dear Seller Performance,\n\nOur account was deactivated on 2 March 2025 after buyers received "
            "expired vitamins (ASIN B08KX2LM4Q). We are very sorry for this.\n\nWe will be more careful.\n\n"
            "Regards,\nNina Park\n")
    _, findings = check_json(run, letter(text), "--reason", "expired-products")
    fixes = {f["rule"]: f["suggestion"] for f in findings}
    assert "expiry date" in fixes["missing-root-cause"]
    assert "expiring" in fixes["missing-corrective-actions"]


PALLET_REASON = """\
reason:
  id: pallet-labels
  name: "Pallet labelling"
  asks: How each pallet is now labelled.
  names: ['\\bpallet labels?\\b']
  examples:
    {role}: >-
      Name the labelling step that failed, e.g. "our packing list had no line for the pallet label,
      so pallets left with a carton label only."
"""

PALLET_LETTER = ("Dear Seller Performance,\n\nOur account was deactivated on 2 March 2025 over pallet labels "
                 "that did not meet the inbound rules. We are very sorry.\n\nWe will be more careful with pallet labels.\n\n"
                 "Regards,\nNina Park\n")


@pytest.mark.parametrize("configured", [False, True])
def test_a_reasons_own_file_gives_the_section_rules_their_example(run, letter, tmp_path, configured):
    """A reason file's `examples` reach the built-in section rules, also when settings rebuild the rule."""
    pack = tmp_path / "pallets.yaml"
    pack.write_text(PALLET_REASON.format(role="root-cause"), "utf-8")
    options = ["--rules", pack]
    if configured:
        config = tmp_path / "poalint.yaml"
        config.write_text("rules:\n  missing-root-cause: {severity: warning}\n", "utf-8")
        options += ["--config", config]
    report, findings = check_json(run, letter(PALLET_LETTER), *options)
    assert report["reasons"] == ["pallet-labels"]
    root_cause = next(f for f in findings if f["rule"] == "missing-root-cause")
    assert root_cause["suggestion"].startswith("Name the labelling step that failed")
    assert root_cause["severity"] == ("warning" if configured else "error")
    corrective = next(f for f in findings if f["rule"] == "missing-corrective-actions")
    assert corrective["suggestion"].startswith("Add the steps you have already completed")  # no example for that role


@pytest.mark.parametrize("role, example, expected", [
    ("storage", "Name the step.", "unknown section role 'storage'"),
    ("root-cause", "Name the step behind {match}.", "unknown placeholder {match}"),
])
def test_a_bad_example_in_a_reason_file_is_a_one_line_error(run, letter, tmp_path, role, example, expected):
    pack = tmp_path / "pallets.yaml"
    pack.write_text(PALLET_REASON.format(role=role).replace("Name the labelling step that failed", example), "utf-8")
    result = run("check", "--rules", pack, letter(PALLET_LETTER))
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(f"poalint: error: {pack}:7:") and f"reason.examples.{role}" in message
    assert expected in message


def _reason_rules(run) -> dict[str, list[str]]:
    """Each reason's rules, as `poalint rules --reasons` lists them."""
    lines = run("rules", "--reasons").output.splitlines()[1:]
    table = {}
    for line in lines:
        reason, *rest = line.split()
        table[reason] = [word.strip(",") for word in rest if re.fullmatch(r"missing-[a-z-]+,?", word)]
    return table


def test_rules_lists_the_reasons_and_their_rules(run):
    table = _reason_rules(run)
    assert len(table) == 18
    assert table["late-shipment"] == ["missing-late-shipment-target", "missing-dispatch-fix"]
    assert all(table.values())


def test_rules_for_one_reason(run):
    listed = run("rules", "--reason", "pricing").output
    assert "missing-price-ceiling" in listed
    assert "missing-odr-target" not in listed
    assert "missing-senior-review-request" in listed  # the general rules run for every reason


def test_explain_a_reason(run):
    result = run("explain", "inauthentic")
    assert result.exit_code == 0
    assert "Names (" in result.output and "Signs (" in result.output
    assert "missing-supply-chain-evidence" in result.output
    assert "--reason inauthentic" in result.output


def test_reason_reference_is_up_to_date():
    from test_builtin_rules import RULESET

    committed = (ROOT / "docs" / "reasons.md").read_text("utf-8")
    assert committed == reasons_markdown(RULESET.reasons, RULESET.rules), \
        "docs/reasons.md is stale: run `poalint rules --reasons --format markdown > docs/reasons.md`"


HOUSE_RULE = """\
rules:
  - id: missing-storage-plan
    kind: required
    severity: warning
    reason: {reason}
    message: "No storage plan."
    description: A test rule.
    suggestion: Say where the goods are stored.
    phrases: [storage plan]
"""


@pytest.mark.parametrize("pack, expected", [
    (HOUSE_RULE.format(reason="hazmat-storag"), "reason: unknown reason 'hazmat-storag'"),
    ("reason:\n  id: pricing\n  name: Again\n  asks: Twice.\n  names: ['\\bgouging\\b']\n",
     "reason 'pricing' is already declared"),
])
def test_bad_reason_in_a_user_pack_is_a_one_line_error(run, letter, tmp_path, pack, expected):
    rules = tmp_path / "house.yaml"
    rules.write_text(pack, "utf-8")
    result = run("check", "--rules", rules, letter(NO_REASON))
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(f"poalint: error: {rules}:") and expected in message


@pytest.mark.parametrize("text", [
    # a reimbursement request and an identity check are not suspensions for a product reason
    "Dear Seller Support,\n\nWe ask for a reimbursement for 14 units lost at the fulfilment centre "
    "in shipment FBA15XK2LM9Q, received on 4 April 2025. The shipment was checked in short.\n\n"
    "Thank you,\nAnna Kovac\n",
    "Dear Seller Performance,\n\nOur account is under review for identity verification. We have "
    "uploaded a utility bill from March 2025 showing the same business address as our account.\n\n"
    "Regards,\nTomas Riedel\n",
])
def test_no_confident_wrong_reason_on_requests(run, letter, text):
    report, _ = check_json(run, letter(text))
    assert not set(report["reasons"]) - {"fba-reimbursement", "identity-verification"}


def test_an_unclosed_bracket_full_of_example_cues_is_read_in_linear_time():
    """One pattern for 'a bracket holding an example cue' took 5 s on 40 KB and minutes on 1 MB."""
    from poalint.rules.reasons import own_words
    for source in ("[" + "e.g. counterfeit " * 60_000, "(" + "for example late shipments\n" * 40_000):
        started = time.monotonic()
        assert own_words(source) == source
        assert time.monotonic() - started < 5
