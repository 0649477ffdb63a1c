"""The composite GitHub Action (action.yml): its shape, its defences against script injection, and
the `poalint check` commands its run steps build, which are run for real through the CLI.

The commands are extracted from the run scripts and expanded by bash itself: each script runs with
`poalint` (and `python`) replaced by a shell function that records its arguments, with the step's
`env:` filled from sample inputs. The recorded arguments are then run in-process by the `run`
fixture. No network, no pip, no GitHub."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
STEPS = ACTION["runs"]["steps"]
RUN_STEPS = [step for step in STEPS if "run" in step]
DEFAULTS = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BAD = "Dear team,\n\nWe refunded order {{order_id}} on 3 May 2024.\n"          # an error
HEDGED = ("Dear Seller Performance Team,\n\nThis happened because our packer skipped the invoice check. "
          "We refunded order 113-7715240-0982361 on 3 May 2024. We will try to check every invoice.\n")  # a warning
SELECT = "--select unfilled-placeholder,vague-wording"  # two fast rules keep every run short


def step(name_part: str) -> dict:
    (found,) = [s for s in STEPS if name_part in s.get("name", "")]
    return found


def step_env(step: dict, inputs: dict, runner_temp: str) -> dict:
    """The step's env with ${{ inputs.X }} (and the other expressions) replaced by sample values."""
    values = {**DEFAULTS, **inputs}
    env = {}
    for key, value in step.get("env", {}).items():
        value = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(value))
        value = value.replace("${{ github.action_path }}", str(ROOT)).replace("${{ runner.temp }}", runner_temp)
        env[key] = value
    return env


def shell_commands(step: dict, inputs: dict, tmp_path, extra_env=None) -> tuple[int, list[list[str]], str]:
    """Run a step's script with `poalint` and `python` recorded instead of run; returns the script's
    exit code, the argument lists given to `poalint check`, and what it wrote to $GITHUB_OUTPUT.
    The cache folder `poalint` would use is recorded in argv.log.cache_dir."""
    log, out = tmp_path / "argv.log", tmp_path / "github_output"
    log.write_bytes(b""), out.write_text("", "utf-8")
    shims = ('poalint() { printf "%s\\0" "$@" >> "$ARGV_LOG"; printf "\\n" >> "$ARGV_LOG"; '
             'printf "%s" "${POALINT_CACHE_DIR-}" > "$ARGV_LOG.cache_dir"; return "${FAKE_EXIT:-0}"; }\n'
             'python() { printf "python %s\\n" "$*" >> "$ARGV_LOG.python"; }\n')
    runner_temp = str(tmp_path.parent / f"{tmp_path.name}-runner-temp")  # outside the workspace, as on a runner
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "ARGV_LOG": str(log), "GITHUB_OUTPUT": str(out),
           "RUNNER_OS": "Linux", "RUNNER_TEMP": runner_temp, **step_env(step, inputs, runner_temp),
           **(extra_env or {})}
    # GitHub runs `shell: bash` as `bash --noprofile --norc -eo pipefail {0}`.
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", shims + step["run"]],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)
    commands = [[a for a in chunk.split("\0") if a] for chunk in log.read_text("utf-8").split("\0\n") if chunk.strip("\n")]
    return result.returncode, [c for c in commands if c[:1] == ["check"]], out.read_text("utf-8")


# ---------------------------------------------------------------------------------------------
# Shape


def test_it_is_a_composite_action_named_poalint_with_an_exit_code_output():
    assert ACTION["name"] == "poalint"
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) >= {"paths", "fail-on", "args", "diff-base", "sarif-file", "version"}
    assert DEFAULTS["paths"] == "." and DEFAULTS["fail-on"] == "error" and DEFAULTS["sarif-file"] == "poalint.sarif"
    assert re.fullmatch(r"\$\{\{\s*steps\.annotate\.outputs\.exit-code\s*\}\}", ACTION["outputs"]["exit-code"]["value"])
    assert any(s.get("id") == "annotate" for s in STEPS)


def test_every_input_used_is_declared():
    used = set(re.findall(r"inputs\.([\w-]+)", json.dumps(ACTION["runs"])))
    assert used and used <= set(ACTION["inputs"])
    assert set(ACTION["inputs"]) <= used, "a declared input that no step uses"


def test_no_run_script_interpolates_an_expression():
    for s in RUN_STEPS:
        assert "${{ inputs." not in s["run"] and "${{" not in s["run"], s["name"]
        assert s["shell"] == "bash", s["name"]


def test_python_setup_and_pip_cache():
    setup = step("Set up Python")
    assert setup["uses"] == "actions/setup-python@v5" and setup["with"]["python-version"] == "3.11"
    cache = step("Cache pip")
    assert cache["uses"].startswith("actions/cache@") and "pip-cache.outputs.dir" in cache["with"]["path"]


def test_sarif_is_uploaded_always_under_the_poalint_category():
    upload = step("Upload SARIF")
    assert upload["uses"] == "github/codeql-action/upload-sarif@v3"
    assert upload["if"] == "always()"
    assert upload["with"]["category"] == "poalint"
    assert "inputs.sarif-file" in upload["with"]["sarif_file"]


def test_the_job_fails_last_with_the_annotating_runs_exit_code():
    names = [s.get("name", "") for s in STEPS]
    assert names.index("Lint letters (annotations)") < names.index("Lint letters (SARIF)") < \
        names.index("Upload SARIF to code scanning") < names.index("Fail on findings") == len(names) - 1
    assert "steps.annotate.outputs.exit-code" in step("Fail on findings")["env"]["POALINT_EXIT_CODE"]


# ---------------------------------------------------------------------------------------------
# The scripts, expanded by bash


@needs_bash
@pytest.mark.parametrize("code", ["0", "1", "2", ""])
def test_fail_step_exits_with_the_recorded_code(tmp_path, code):
    s = step("Fail on findings")
    env = {"PATH": os.environ["PATH"], "POALINT_EXIT_CODE": code}
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s["run"]], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == int(code or 2)


@needs_bash
def test_annotating_script_records_the_exit_code_and_does_not_stop_the_job(tmp_path):
    status, commands, output = shell_commands(step("annotations"), {}, tmp_path, {"FAKE_EXIT": "1"})
    assert status == 0 and output == "exit-code=1\n"
    assert commands == [["check", "--format", "github", "--fail-on", "error", "--", "."]]


@needs_bash
def test_inputs_are_data_not_code(tmp_path):
    hostile = {"paths": "a.md; touch pwned $(touch pwned2) `touch pwned3` *",
               "args": "--ignore long-sentence $(touch pwned4)", "diff-base": "main; touch pwned5"}
    _, (command,), _ = shell_commands(step("annotations"), hostile, tmp_path)
    assert not list(tmp_path.glob("pwned*"))
    assert command == ["check", "--format", "github", "--fail-on", "error", "--diff-base", "main; touch pwned5",
                       "--ignore", "long-sentence", "$(touch", "pwned4)",
                       "--", "a.md;", "touch", "pwned", "$(touch", "pwned2)", "`touch", "pwned3`", "*"]


@needs_bash
@pytest.mark.parametrize("version, pip_target", [("", str(ROOT)), ("0.1.0", "poalint==0.1.0"), ("1.2.0rc1", "poalint==1.2.0rc1")])
def test_install_from_the_checkout_or_a_pypi_version(tmp_path, version, pip_target):
    status, _, _ = shell_commands(step("Install"), {"version": version}, tmp_path)
    assert status == 0
    assert (tmp_path / "argv.log.python").read_text("utf-8") == f"python -m pip install {pip_target}\n"


@needs_bash
@pytest.mark.parametrize("version", ["0.1.0 --index-url https://evil.example", "--pre", "https://evil.example/p.whl"])
def test_install_refuses_anything_but_a_version(tmp_path, version):
    status, _, _ = shell_commands(step("Install"), {"version": version}, tmp_path)
    assert status == 2 and not (tmp_path / "argv.log.python").exists()


# ---------------------------------------------------------------------------------------------
# The commands, run for real


def poalint_commands(tmp_path, inputs):
    """The argument lists of the annotating run and of the SARIF run, as bash expands them."""
    (annotate,) = shell_commands(step("annotations"), inputs, tmp_path)[1]
    (sarif,) = shell_commands(step("Lint letters (SARIF)"), inputs, tmp_path)[1]
    return annotate, sarif


@needs_bash
def test_the_commands_are_valid_and_write_the_sarif_file(run, tmp_path):
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "bad.md").write_text(BAD, "utf-8")
    inputs = {"paths": "letters", "args": SELECT, "sarif-file": "reports.sarif"}
    annotate, sarif = poalint_commands(tmp_path, inputs)
    assert annotate[:3] == ["check", "--format", "github"] and "--exit-zero" not in annotate
    assert sarif[:6] == ["check", "--format", "sarif", "--output", "reports.sarif", "--exit-zero"]

    result = run(*annotate)
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("::error file=letters/bad.md,line=3,col=19,")
    assert "title=poalint (unfilled-placeholder)" in result.stdout

    result = run(*sarif)
    assert result.exit_code == 0, result.output
    assert result.stdout == "poalint: 1 error, 0 warnings, 0 infos in 1 file checked; score 85/100\n"
    report = json.loads((tmp_path / "reports.sarif").read_text("utf-8"))
    (finding,) = report["runs"][0]["results"]
    assert finding["ruleId"] == "unfilled-placeholder" and finding["level"] == "error"
    assert finding["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "letters/bad.md"


@needs_bash
@pytest.mark.parametrize("fail_on, expected", [("error", 0), ("warning", 1), ("info", 1)])
def test_fail_on_input_decides_the_exit_code(run, tmp_path, fail_on, expected):
    (tmp_path / "hedged.md").write_text(HEDGED, "utf-8")
    annotate, sarif = poalint_commands(tmp_path, {"fail-on": fail_on, "args": SELECT})
    assert run(*annotate).exit_code == expected
    assert run(*sarif).exit_code == 0 and (tmp_path / "poalint.sarif").is_file()


@needs_bash
@pytest.mark.parametrize("fail_under, expected", [("", 0), ("50", 0), ("99", 1)])
def test_fail_under_input_gates_on_the_score(run, tmp_path, fail_under, expected):
    (tmp_path / "hedged.md").write_text(HEDGED, "utf-8")  # one warning: a score in the nineties
    annotate, sarif = poalint_commands(tmp_path, {"fail-under": fail_under, "args": SELECT})
    assert ("--fail-under" in annotate) == bool(fail_under) and "--fail-under" not in sarif
    result = run(*annotate)
    assert result.exit_code == expected, result.output
    assert ("readiness score" in result.stderr) == bool(expected)


@needs_bash
def test_an_unreadable_letter_fails_even_the_sarif_run(run, tmp_path):
    annotate, sarif = poalint_commands(tmp_path, {"paths": "missing.md", "args": SELECT})
    assert run(*annotate).exit_code == 2
    assert run(*sarif).exit_code == 2  # --exit-zero does not hide errors; the script only warns


@needs_bash
@needs_git
def test_diff_base_input_limits_findings_to_changed_lines(run, tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    git("init", "-q")
    git("config", "user.email", "a@example.com")
    git("config", "user.name", "A")
    (tmp_path / "letter.md").write_text(BAD, "utf-8")
    git("add", "letter.md")
    git("commit", "-qm", "base")
    (tmp_path / "letter.md").write_text(BAD + "\nWe refunded XXX buyers.\n", "utf-8")
    annotate, sarif = poalint_commands(tmp_path, {"diff-base": "HEAD", "args": SELECT})
    assert annotate[5:7] == ["--diff-base", "HEAD"]
    result = run(*annotate)
    assert result.exit_code == 1
    assert [line.split(",")[1] for line in result.stdout.splitlines() if line.startswith("::")] == ["line=5"]
    assert run(*sarif).exit_code == 0
    (finding,) = json.loads((tmp_path / "poalint.sarif").read_text("utf-8"))["runs"][0]["results"]
    assert finding["locations"][0]["physicalLocation"]["region"]["startLine"] == 5


@needs_bash
def test_a_cache_committed_in_the_workspace_cannot_pass_the_gate(run, tmp_path, monkeypatch):
    """A pull request that commits a bad letter with a forged `.poalint_cache/` (the entry for that
    very letter, its findings removed) still fails: the action's runs never read the workspace's
    cache, only one under the runner's temp folder, which the checked-out tree cannot write."""
    (tmp_path / "bad.md").write_text(BAD, "utf-8")
    monkeypatch.delenv("POALINT_CACHE_DIR", raising=False)
    assert run("check", *SELECT.split(), "bad.md").exit_code == 1  # writes the entry the forger edits
    forged = [p for p in (tmp_path / ".poalint_cache").rglob("*.json") if "packs" not in p.parts]
    assert forged
    for entry in forged:
        data = json.loads(entry.read_bytes())
        entry.write_text(json.dumps({**data, "findings": [], "score": 100}), "utf-8")
    before = {p: p.read_bytes() for p in (tmp_path / ".poalint_cache").rglob("*") if p.is_file()}

    for name in ("annotations", "Lint letters (SARIF)"):
        _, (command,), _ = shell_commands(step(name), {"args": SELECT}, tmp_path)
        cache_dir = (tmp_path / "argv.log.cache_dir").read_text("utf-8")
        monkeypatch.setenv("POALINT_CACHE_DIR", cache_dir)
        result = run(*command)
        if name == "annotations":
            assert result.exit_code == 1, result.output
            assert result.stdout.startswith("::error file=bad.md,line=3,col=19,")
        assert "--no-cache" in command or (cache_dir and not Path(cache_dir).is_relative_to(tmp_path)), cache_dir
    sarif = json.loads((tmp_path / "poalint.sarif").read_text("utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["unfilled-placeholder"]
    assert {p: p.read_bytes() for p in (tmp_path / ".poalint_cache").rglob("*") if p.is_file()} == before
