"""One definition of each thing: which rules a profile runs, the pseudo-rules, the checklist, and
no import circle between the engine and the rule set."""
from __future__ import annotations

import ast
import json
import re
import xml.etree.ElementTree as ET

from conftest import ROOT
from poalint.config import Config
from poalint.reporting import findings
from poalint.rules.kinds.base import Rule
from poalint.rules.ruleset import PROFILES, load_ruleset

POA_LETTER = ROOT / "examples" / "weak-poa.txt"
ESCALATION_LETTER = ROOT / "examples" / "escalation.md"


def junit_cases(run, path) -> set[str]:
    report = ET.fromstring(run("check", "--format", "junit", "--exit-zero", "--no-cache", path).output)
    return {case.get("name") for case in report.iter("testcase")}


def checklist_status(run, path, *extra) -> dict[str, str]:
    page = run("check", "--format", "html", "--exit-zero", "--no-cache", *extra, path).output
    return dict(re.findall(r'<li class="check-\w+" data-rule="([^"]+)" data-status="(\w+)"', page))


def letter_profile(run, path) -> str:
    return json.loads(run("check", "--format", "json", "--exit-zero", "--no-cache", path).output)["files"][0]["profile"]


def test_applies_to_decides_for_the_ruleset_junit_and_html(run, monkeypatch):
    ruleset = load_ruleset(Config())
    for profile in PROFILES:
        assert {r.id for r in ruleset.active(profile)} == {r.id for r in ruleset.rules if r.applies_to(profile)}
    assert letter_profile(run, ESCALATION_LETTER) == "escalation"
    report = json.loads(run("check", "--format", "json", "--exit-zero", "--no-cache",
                            ESCALATION_LETTER).output)["files"][0]
    found = {f["rule"] for f in report["findings"]}
    reasons = tuple(report["reasons"])
    assert junit_cases(run, ESCALATION_LETTER) == {r.id for r in ruleset.active("escalation", reasons)} | found
    assert checklist_status(run, POA_LETTER)["missing-senior-review-request"] == "skipped"
    # Change the one definition, and every place that asks follows it: here, poa rules would run
    # on POA letters only.
    monkeypatch.setattr(Rule, "applies_to", lambda rule, profile, reasons=(): rule.profile == profile)
    escalation_only = {r.id for r in ruleset.rules if r.profile == "escalation"}
    assert {r.id for r in ruleset.active("escalation")} == escalation_only
    assert junit_cases(run, ESCALATION_LETTER) == escalation_only | (found & escalation_only)
    status = checklist_status(run, ESCALATION_LETTER)
    assert status["missing-root-cause"] == "skipped" and status["missing-senior-review-request"] == "present"


def test_one_function_decides_a_letters_profile(run, tmp_path):
    ruleset = load_ruleset(Config())
    opening = ESCALATION_LETTER.read_text("utf-8")
    # The --profile option, then the letter's front matter, then the configuration; auto detects.
    assert ruleset.letter_profile(opening, None, None, "auto").name == "escalation"
    assert ruleset.letter_profile(opening, None, "poa", "escalation").name == "poa"
    assert ruleset.letter_profile(opening, "poa", "escalation", "escalation").name == "poa"
    assert ruleset.letter_profile("Dear team, we are sorry.", None, None, "auto").name == "poa"
    assert ruleset.letter_profile("Dear team, we are sorry.").name == "poa"
    # The run asks the same function: front matter beats the configuration, --profile beats both.
    (tmp_path / ".poalint.yaml").write_text("profile: poa\n", "utf-8")
    letter = tmp_path / "front.md"
    letter.write_text("---\npoalint:\n  profile: escalation\n---\nDear team, we are sorry.\n", "utf-8")
    assert letter_profile(run, letter) == "escalation"
    payload = json.loads(run("check", "--format", "json", "--exit-zero", "--no-cache", "--profile", "poa", letter).output)
    assert payload["files"][0]["profile"] == "poa"


def test_pseudo_rules_are_registered_and_weighed_by_the_score(run, tmp_path):
    assert {rule.id for rule in findings.PSEUDO_RULES.values()} == {"encoding", "invalid-suppression", "unused-suppression"}
    letter = tmp_path / "letter.md"
    letter.write_text("<!-- poalint-disable-next-line vague-wording -- not needed -->\n"
                      "Dear team, our packer skipped the check on order 123-4567890-1234567.\n", "utf-8")

    def result(*config):
        return json.loads(run("check", "--format", "json", "--exit-zero", "--no-cache", *config, letter).output)["files"][0]

    before = result()
    (unused,) = [f for f in before["findings"] if f["rule"] == "unused-suppression"]
    assert unused["severity"] == findings.PSEUDO_RULES["unused-suppression"].severity.label
    weighed = tmp_path / "weighed.yaml"
    weighed.write_text("score:\n  per_rule:\n    unused-suppression: 10\n", "utf-8")
    after = result("--config", weighed)
    assert after["findings"] == before["findings"]
    assert after["score"] == before["score"] - 9  # 10 points instead of an info's 1


def test_checklist_items_come_from_the_rule_yaml(run, tmp_path):
    house = tmp_path / "house.yaml"
    house.write_text("""rules:
  - id: refund-policy
    kind: required
    severity: warning
    message: "The letter never states the refund policy."
    description: A house rule (test).
    phrases: ["refund policy"]
    checklist: {label: "Refund policy stated (house rule)"}
""", "utf-8")
    page = run("check", "--format", "html", "--exit-zero", "--no-cache", "--rules", house, POA_LETTER).output
    assert re.search(r'data-rule="refund-policy" data-status="missing">.*?Refund policy stated \(house rule\)', page)
    # the built-in items, from YAML too (the weak letter has a root-cause heading with content, and
    # weak-root-cause reports it: weak, not missing)
    assert checklist_status(run, POA_LETTER)["missing-root-cause"] == "weak"
    bad = house.read_text("utf-8").replace('{label: "Refund policy stated (house rule)"}',
                                           "{label: Refunds, section: no-such-role}")
    house.write_text(bad, "utf-8")
    result = run("check", "--no-cache", "--rules", house, POA_LETTER)
    assert result.exit_code == 2 and "unknown section role 'no-such-role'" in result.output


def _poalint_imports(module: str) -> set[str]:
    """Every poalint module that ``module`` imports, at the top or inside a function."""
    path = ROOT / "linter" / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = path.with_suffix("") / "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("poalint"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("poalint"))
    return found


def test_the_rule_set_does_not_import_the_engine():
    reached, todo = set(), ["poalint.rules.ruleset"]
    while todo:
        module = todo.pop()
        if module not in reached:
            reached.add(module)
            todo.extend(_poalint_imports(module))
    assert "poalint.rules.engine" not in reached
