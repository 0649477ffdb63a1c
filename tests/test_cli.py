"""The CLI: output formats, exit codes, configuration, commands; in-process and as a real process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from itertools import cycle, islice
from pathlib import Path

import pytest

from conftest import KINDS_PACK, ROOT, findings_json
from poalint import __version__

PLACEHOLDER_LETTER = "Dear team,\n\nWe refunded order {{order_id}} on 3 May 2024.\n"
CLEAN_LETTER = "Dear team,\n\nWe refunded order 113-7715240-0982361 on 3 May 2024.\n"


def test_text_output_shows_location_source_line_fix_and_summary(run, letter):
    result = run("check", "--select", "unfilled-placeholder", letter(PLACEHOLDER_LETTER))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith("letter.md:3:19: error unfilled-placeholder Unfilled template placeholder: “{{order_id}}”.")
    assert lines[1] == "    3 | We refunded order {{order_id}} on 3 May 2024."
    assert lines[2] == "      |                   ^^^^^^^^^^^^"
    assert lines[3].startswith("      = fix: Replace it with the real value")
    assert lines[-1] == "poalint: 1 error, 0 warnings, 0 infos in 1 file checked; score 85/100"
    assert "\x1b[" not in result.stdout  # not a TTY: no colour


def test_summary_line_even_when_clean(run, letter):
    path = letter(CLEAN_LETTER)
    result = run("check", "--select", "unfilled-placeholder", path)
    assert result.exit_code == 0
    # Issue 21: the letter's profile and suspension reason, and why, come before the summary.
    assert result.stdout == (f"{path}: profile: poa (detected: nothing in its opening marks an escalation or a request); "
                             "reason: none (detected: no reason is named clearly enough)\n"
                             "poalint: 0 errors, 0 warnings, 0 infos in 1 file checked; score 100/100\n")


def test_quiet_keeps_only_finding_lines_and_each_fix_once(run, letter):
    result = run("check", "-q", "--select", "unfilled-placeholder", letter(PLACEHOLDER_LETTER))
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and lines[1].startswith("      = fix: Replace it with the real value")


def test_json_contract(run, letter):
    path = letter(PLACEHOLDER_LETTER)
    result = run("check", "--select", "unfilled-placeholder", "--format", "json", path)
    payload = json.loads(result.stdout)
    assert payload["version"] == __version__
    assert set(payload["summary"]) >= {"error", "warning", "info", "files"}
    (file,) = payload["files"]
    assert file["path"] == str(path) and file["profile"] == "poa"
    assert {"words", "sentences", "paragraphs"} <= set(file["metrics"])
    (finding,) = file["findings"]
    assert finding == {
        "rule": "unfilled-placeholder", "severity": "error",
        "message": "Unfilled template placeholder: “{{order_id}}”.",
        "suggestion": finding["suggestion"],
        "line": 3, "column": 19, "end_line": 3, "end_column": 31,
        "start": PLACEHOLDER_LETTER.index("{{"), "end": PLACEHOLDER_LETTER.index("}}") + 2,
        "text": "{{order_id}}",
        "fix": None,
    }


@pytest.mark.parametrize("fail_on, exit_zero, expected", [
    (None, False, 0), ("error", False, 0), ("warning", False, 1), ("info", False, 1), ("info", True, 0),
])
def test_fail_on_thresholds(run, letter, fail_on, exit_zero, expected):
    path = letter("We will try to ship.\n")  # one warning from the test pack
    args = ["check", "--rules", KINDS_PACK, "--select", "test-existence", path]
    if fail_on:
        args[1:1] = ["--fail-on", fail_on]
    if exit_zero:
        args.insert(1, "--exit-zero")
    assert run(*args).exit_code == expected


def test_stdin_with_filename(run):
    result = run("check", "--select", "unfilled-placeholder", "--stdin-filename", "draft.txt", "-",
                 input="We refunded XXX buyers.\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("draft.txt:1:13: error unfilled-placeholder")


def test_select_and_ignore_accept_lists(run, letter):
    path = letter("We will try to ship as soon as possible. We utilise a checklist.\n")
    found = findings_json(run("check", "--rules", KINDS_PACK, "--select", "test-existence,test-substitution",
                              "--ignore", "test-substitution", "--format", "json", path))
    assert {f["rule"] for f in found} == {"test-existence"}


def test_directories_are_searched_by_extension(run, tmp_path):
    (tmp_path / "letters" / "sub").mkdir(parents=True)
    (tmp_path / "letters" / "a.md").write_text(PLACEHOLDER_LETTER, "utf-8")
    (tmp_path / "letters" / "sub" / "b.txt").write_text(PLACEHOLDER_LETTER, "utf-8")
    (tmp_path / "letters" / "notes.docx.bak").write_text(PLACEHOLDER_LETTER, "utf-8")
    (tmp_path / "letters" / ".hidden").mkdir()
    (tmp_path / "letters" / ".hidden" / "c.md").write_text(PLACEHOLDER_LETTER, "utf-8")
    payload = json.loads(run("check", "--select", "unfilled-placeholder", "--format", "json", "letters").stdout)
    assert sorted(Path(f["path"]).as_posix() for f in payload["files"]) == ["letters/a.md", "letters/sub/b.txt"]


def test_config_discovered_by_walking_up(run, tmp_path):
    (tmp_path / ".poalint.yaml").write_text(textwrap.dedent("""\
        fail_on: warning
        ignore: [unfilled-placeholder]
        exclude: ["drafts/**"]
        rule_paths: [house]
        rules:
          test-metric: {max: {error: 5}}
          test-sections: {off: true}
    """), "utf-8")
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "kinds.yaml").write_text(KINDS_PACK.read_text("utf-8"), "utf-8")
    (tmp_path / "letters" / "drafts").mkdir(parents=True)
    (tmp_path / "letters" / "one.md").write_text(PLACEHOLDER_LETTER, "utf-8")
    (tmp_path / "letters" / "drafts" / "two.md").write_text(PLACEHOLDER_LETTER, "utf-8")
    result = run("check", "--format", "json", "letters")
    payload = json.loads(result.stdout)
    assert [Path(f["path"]).name for f in payload["files"]] == ["one.md"]
    rules = {f["rule"]: f for f in payload["files"][0]["findings"]}
    assert "unfilled-placeholder" not in rules and "test-sections" not in rules
    assert rules["test-metric"]["severity"] == "error" and rules["test-metric"]["message"].endswith("(max 5).")
    assert result.exit_code == 1


def test_config_from_pyproject(run, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.poalint]\nselect = ["unfilled-placeholder"]\nfail_on = "info"\n')
    (tmp_path / "a.md").write_text(PLACEHOLDER_LETTER, "utf-8")
    result = run("check", "--format", "json", "a.md")
    assert {f["rule"] for f in findings_json(result)} == {"unfilled-placeholder"}
    (tmp_path / "pyproject.toml").write_text('[tool.poalint]\ncolour = "red"\n')
    from poalint.config import discover
    discover.cache_clear()
    result = run("check", "a.md")
    assert result.exit_code == 2 and "pyproject.toml: tool.poalint.colour: unknown key" in result.stderr


def test_explicit_config_option(run, tmp_path, letter):
    config = tmp_path / "strict.yaml"
    config.write_text("select: [unfilled-placeholder]\n", "utf-8")
    result = run("check", "--config", config, "--format", "json", letter(PLACEHOLDER_LETTER))
    assert {f["rule"] for f in findings_json(result)} == {"unfilled-placeholder"}


def test_profile_auto_detects_escalations(run, letter):
    escalation = letter("# Escalation: request for Senior Investigator review\n\nWe refunded all 12 buyers.\n", "e.md")
    poa = letter("# Plan of Action\n\nWe refunded all 12 buyers.\n", "p.md")
    payload = json.loads(run("check", "--format", "json", escalation, poa).stdout)
    assert [f["profile"] for f in payload["files"]] == ["escalation", "poa"]
    payload = json.loads(run("check", "--profile", "poa", "--format", "json", escalation).stdout)
    assert payload["files"][0]["profile"] == "poa"


def test_rules_lists_every_rule(run):
    result = run("rules")
    assert result.exit_code == 0
    line = next(l for l in result.stdout.splitlines() if l.startswith("unfilled-placeholder"))
    assert "existence" in line and "error" in line


def test_rules_markdown_reference(run):
    result = run("rules", "--format", "markdown")
    assert result.stdout.startswith("# Rule reference")
    assert "## unfilled-placeholder" in result.stdout


def test_explain(run):
    result = run("explain", "unfilled-placeholder")
    assert result.exit_code == 0
    assert result.stdout.startswith("unfilled-placeholder  (existence, error")
    assert "Flagged:" in result.stdout and "Not flagged:" in result.stdout
    assert "--ignore unfilled-placeholder" in result.stdout


def test_schema_commands_print_json_schema(run):
    rules_schema = json.loads(run("schema").stdout)
    assert rules_schema["title"] == "poalint rule file"
    config_schema = json.loads(run("schema", "--config").stdout)
    assert "fail_on" in config_schema["properties"]


def test_test_rules_passes_the_test_pack_and_fails_a_bad_example(run, tmp_path):
    result = run("test-rules", KINDS_PACK)
    assert result.exit_code == 0, result.stdout
    assert "0 failed" in result.stdout.splitlines()[-1]
    bad = tmp_path / "bad.yaml"
    bad.write_text(textwrap.dedent("""\
        rules:
          - id: wrong-examples
            kind: existence
            severity: info
            message: "{match}"
            description: Examples that contradict the rule.
            phrases: [hopefully]
            examples:
              fail: ["We shipped it."]
          - id: no-examples
            kind: existence
            severity: info
            message: "{match}"
            description: No examples.
            phrases: [maybe]
    """), "utf-8")
    result = run("test-rules", bad)
    assert result.exit_code == 1
    out = result.stdout
    assert "FAIL wrong-examples: fail example 1: expected a finding, got none" in out
    assert "FAIL wrong-examples: pass examples: has no pass example" in out
    assert "FAIL no-examples: fail examples: has no fail example" in out


def test_version(run):
    assert run("--version").stdout.strip() == f"poalint, version {__version__}"


def test_usage_error_exits_2(run):
    result = run("check", "--format", "yaml", "x.md")
    assert result.exit_code == 2


def _subprocess(*args, cwd, env=None, input=None):
    return subprocess.run([sys.executable, "-m", "poalint", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, input=input, timeout=120)


def test_real_process_python_m(tmp_path):
    (tmp_path / "a.md").write_text(PLACEHOLDER_LETTER, "utf-8")
    proc = _subprocess("check", "--select", "unfilled-placeholder", "a.md", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("a.md:3:19: error unfilled-placeholder")
    assert proc.stderr == ""
    proc = _subprocess("check", "missing.md", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.strip() == "poalint: error: missing.md: no such file"


def test_no_traceback_on_internal_errors(tmp_path):
    proc = _subprocess("check", "--config", tmp_path, "x.md", cwd=tmp_path)  # a directory as config
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, code", [(["check", "--select", "unfilled-placeholder", "a.md"], 1),
                                         (["check", "--exit-zero", "a.md"], 0),
                                         (["check", "missing.md"], 2), (["--version"], 0), (["nonsense"], 2)])
def test_the_process_exits_with_the_commands_code_and_all_its_output(tmp_path, args, code):
    """main() ends the process with os._exit (no teardown of spaCy's objects): nothing written may be lost."""
    (tmp_path / "a.md").write_text(PLACEHOLDER_LETTER, "utf-8")
    proc = _subprocess(*args, cwd=tmp_path)
    assert proc.returncode == code
    assert proc.stdout.endswith("\n") or not proc.stdout
    if args[0] == "check" and code < 2:
        assert proc.stdout.rstrip().splitlines()[-1].startswith("poalint: ")


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path):
    """`poalint check … | head`: more output than a pipe holds, and the reader gone after 20 bytes."""
    weak = (ROOT / "examples" / "weak-poa.txt").read_text("utf-8")
    for i in range(60):
        (tmp_path / f"letter-{i:02}.txt").write_text(weak, "utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "poalint", "check", "--no-cache", "."], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(20)
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert err == b"" and proc.returncode == 1


@pytest.mark.parametrize("command", [["--version"], ["rules"], ["explain", "unfilled-placeholder"], ["schema"]])
def test_light_commands_never_import_spacy(tmp_path, command):
    code = ("import sys\nfrom poalint.cli import cli\n"
            "try:\n    cli(%r, prog_name='poalint')\nexcept SystemExit:\n    pass\n"
            "assert 'spacy' not in sys.modules, 'spacy imported'\n"
            "assert 'textstat' not in sys.modules, 'textstat imported'\n"
            "assert 'orjson' not in sys.modules, 'orjson imported'\n") % (command,)
    in_fresh_python(code, tmp_path)


def in_fresh_python(code: str, cwd) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter, so that what is imported is its own doing; it must succeed."""
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_check_imports_spacy_without_its_command_line_package(tmp_path):
    """spaCy's __init__ imports its command-line package (typer, requests and 360 modules more, a
    quarter of a cold start) only to re-export spacy.info: `check` leaves it out, and both still
    work afterwards."""
    (tmp_path / "letter.md").write_text("Dear team,\n\nWe refunded order {{order_id}}.\n", "utf-8")
    code = ("import sys\nfrom poalint.cli import cli\n"
            "try:\n    cli(['check', '--no-cache', 'letter.md'], prog_name='poalint')\nexcept SystemExit as done:\n"
            "    assert done.code == 1, done.code\n"
            "assert 'spacy' in sys.modules\n"
            "assert not {'spacy.cli', 'spacy.cli.info', 'typer', 'requests'} & set(sys.modules), 'CLI imported'\n"
            "import spacy\nimport spacy.cli\n"
            "assert callable(spacy.cli.app) and spacy.info(silent=True)['spacy_version'] == spacy.__version__\n")
    assert "unfilled-placeholder" in in_fresh_python(code, tmp_path).stdout


def test_spacy_is_imported_whole_when_the_stand_ins_fall_short(tmp_path):
    """A spaCy release that imports more of its command-line package than poalint's stand-ins
    hold is imported whole, and lints as before."""
    code = ("import sys, types\nfrom poalint.analysis import pipeline as nlp\n"
            "nlp._without_spacy_cli = lambda: {'spacy.cli': types.ModuleType('spacy.cli'),\n"
            "                                  'spacy.cli.info': types.ModuleType('spacy.cli.info')}\n"
            "pipeline = nlp.Pipeline.load(None)\n"
            "assert [t.lemma_ for t in pipeline.nlp('We refunded the buyers.')][1:4] == ['refund', 'the', 'buyer']\n"
            "import spacy.cli\nassert callable(spacy.cli.app) and 'typer' in sys.modules\n")
    in_fresh_python(code, tmp_path)


def _run_on_a_tty(args, cwd, env):
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "poalint", *args], cwd=cwd, stdout=follower,
                          stderr=subprocess.PIPE, env=env, timeout=120)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.returncode, b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize("env_extra, flag, coloured", [({}, [], True), ({"NO_COLOR": "1"}, [], False),
                                                        ({}, ["--no-color"], False)])
def test_colour_only_on_a_tty_and_never_with_no_color(tmp_path, env_extra, flag, coloured):
    (tmp_path / "a.md").write_text(PLACEHOLDER_LETTER, "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | env_extra
    code, out = _run_on_a_tty(["check", *flag, "--select", "unfilled-placeholder", "a.md"], tmp_path, env)
    assert code == 1 and "unfilled-placeholder" in out
    assert ("\x1b[" in out) == coloured


def test_output_file_is_written_atomically_with_normal_permissions(run, letter, tmp_path):
    path = letter(PLACEHOLDER_LETTER)
    report = tmp_path / "report.json"
    result = run("check", "--select", "unfilled-placeholder", "--format", "json", "--output", report, path)
    assert result.exit_code == 1
    assert result.stdout == "poalint: 1 error, 0 warnings, 0 infos in 1 file checked; score 85/100\n"
    assert json.loads(report.read_text("utf-8"))["summary"]["error"] == 1
    umask = os.umask(0)
    os.umask(umask)
    assert report.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_statistics_counts_per_rule(run, letter):
    path = letter("We will try to ship as soon as possible. We will try to call.\n")
    result = run("check", "--rules", KINDS_PACK, "--select", "test-existence", "--statistics", path)
    assert result.stdout.splitlines() == ["    3  warning  test-existence",
                                          "poalint: 0 errors, 3 warnings, 0 infos in 1 file checked; score 88/100"]


def test_parallel_jobs_give_the_same_report(run, tmp_path):
    import shutil as _shutil

    from conftest import CORPUS

    source = CORPUS / "letters" if (CORPUS / "letters").is_dir() else ROOT / "examples"
    letters = tmp_path / "letters"
    letters.mkdir()
    # Eight letters, with the two below enough for 2 workers (MIN_LETTERS_PER_WORKER), even from
    # the four examples of a clone without the corpus.
    for i, path in enumerate(islice(cycle(sorted(source.iterdir())), 8)):
        _shutil.copy(path, letters / f"{i}-{path.name}")
    # Forked workers read and lint the letters, including one that cannot be read and one whose
    # front matter changes its rules.
    (letters / "empty.md").write_text("\n", "utf-8")
    own_rules = "---\npoalint:\n  ignore: [missing-root-cause]\n---\nWe will try to fix it.\n"
    (letters / "own-rules.md").write_text(own_rules, "utf-8")
    one = run("check", "--no-cache", "-j", "1", "--format", "json", letters)
    two = run("check", "--no-cache", "-j", "2", "--format", "json", letters)
    assert one.exit_code == two.exit_code == 2 and one.stdout == two.stdout and one.stderr == two.stderr
    files = {Path(f["path"]).name: f for f in json.loads(two.stdout)["files"]}
    assert len(files) == 10 and "empty letter" in files["empty.md"]["error"]
    assert "missing-root-cause" not in {f["rule"] for f in files["own-rules.md"]["findings"]}
