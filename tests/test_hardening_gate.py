"""The CI gate cannot be fooled from inside a pull request (issue 18, rows 6 to 8; issue 19.2):
`--diff-base` keeps the findings of a changed Word letter, verifies its revision, treats a git
failure as an error, and no file name can print a workflow command into a GitHub job's log."""
from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import unquote

import docx
import pytest
import yaml

from conftest import ROOT, findings_json

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

WEAK = ["Dear team,", "We refunded order {{order_id}} and wrote to [BUYER NAME].", "We will try to do better."]
SELECT = ["--select", "unfilled-placeholder,too-short,vague-wording"]


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def write_docx(path, paragraphs):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "a@example.com")
    git(tmp_path, "config", "user.name", "A")
    return tmp_path


def commit_all(repo):
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")


def found(run, *args):
    return sorted((f["rule"], f["line"], str(f["text"]))
                  for f in findings_json(run("check", "--no-cache", *SELECT, "--format", "json", *args)))


# ---------------------------------------------------------------------------------------------
# --diff-base and a letter git cannot diff as text


@needs_git
def test_a_changed_docx_keeps_every_finding_under_diff_base(run, repo):
    write_docx(repo / "appeal.docx", WEAK)
    write_docx(repo / "same.docx", WEAK)
    commit_all(repo)
    write_docx(repo / "appeal.docx", [*WEAK, "We refunded the buyer on 3 May 2024."])
    everything = found(run, "appeal.docx")
    assert {rule for rule, _, _ in everything} == {"unfilled-placeholder", "too-short", "vague-wording"}
    assert found(run, "--diff-base", "HEAD", "appeal.docx") == everything
    assert found(run, "--diff-base", "HEAD", "same.docx") == []  # unchanged: nothing to blame


@needs_git
def test_a_changed_text_letter_git_calls_binary_keeps_every_finding(run, repo):
    letter = "\n\n".join(WEAK) + "\n"
    (repo / "utf16.txt").write_bytes(letter.encode("utf-16"))  # NUL bytes: git's diff says "Binary files differ"
    commit_all(repo)
    (repo / "utf16.txt").write_bytes((letter + "\nWe closed ASIN B0XXXXXXXX.\n").encode("utf-16"))
    everything = found(run, "utf16.txt")
    assert everything and found(run, "--diff-base", "HEAD", "utf16.txt") == everything


@needs_git
def test_a_docx_exit_code_follows_its_findings_under_diff_base(run, repo):
    write_docx(repo / "appeal.docx", WEAK[:1])
    commit_all(repo)
    write_docx(repo / "appeal.docx", WEAK)
    result = run("check", "--no-cache", *SELECT, "--diff-base", "HEAD", "appeal.docx")
    assert result.exit_code == 1, result.output  # the placeholder errors gate the pull request


@needs_git
def test_a_changed_windows_1252_letter_keeps_the_findings_on_its_changed_lines(run, repo):
    (repo / "cp1252.txt").write_bytes("Dear team,\n\nWe refunded the café order {{order_id}}.\n".encode("cp1252"))
    commit_all(repo)
    (repo / "cp1252.txt").write_bytes("Dear team,\n\nWe refunded the café order {{order_id}}.\n\n"
                                      "Our café wrote to [BUYER NAME].\n".encode("cp1252"))
    result = run("check", "--no-cache", *SELECT, "--format", "json", "--diff-base", "HEAD", "cp1252.txt")
    assert result.exit_code == 1, result.output
    assert [(f["line"], f["text"]) for f in findings_json(result) if f["text"]] == [(5, "[BUYER NAME]")]


# ---------------------------------------------------------------------------------------------
# --diff-base's revision


@needs_git
@pytest.mark.parametrize("revision", ["--output=written.txt", "-p", "--no-index"])
def test_a_revision_that_looks_like_an_option_is_refused(run, repo, revision):
    (repo / "a.md").write_text("Dear team,\n\nWe refunded order 113-7715240-0982361.\n", "utf-8")
    commit_all(repo)
    (repo / "a.md").write_text("Dear team,\n\nWe refunded order {{order_id}}.\n", "utf-8")
    result = run("check", "--no-cache", *SELECT, f"--diff-base={revision}", "a.md")
    assert result.exit_code == 2, result.output
    assert not (repo / "written.txt").exists()
    (line,) = result.stderr.splitlines()
    assert line == f"poalint: error: --diff-base {revision}: not a commit in this repository"


@needs_git
@pytest.mark.parametrize("revision", ["no-such-rev", "HEAD~3", "HEAD:a.md"])
def test_a_revision_that_is_not_a_commit_is_one_line_and_exit_2(run, repo, revision):
    (repo / "a.md").write_text("Dear team,\n\nWe refunded order {{order_id}}.\n", "utf-8")
    commit_all(repo)
    (repo / "new.md").write_text("We refunded [SELLER NAME].\n", "utf-8")  # untracked: checked before git diff
    result = run("check", "--no-cache", *SELECT, "--diff-base", revision, "new.md", "a.md")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"poalint: error: --diff-base {revision}: not a commit in this repository"]


@needs_git
def test_a_git_that_does_not_answer_is_an_error_not_an_empty_diff(run, repo, monkeypatch):
    (repo / "a.md").write_text("Dear team,\n\nWe refunded order {{order_id}}.\n", "utf-8")
    commit_all(repo)
    (repo / "a.md").write_text("Dear team,\n\nWe refunded order {{order_id}} today.\n", "utf-8")
    import poalint.run.diff

    real_run = subprocess.run

    def hanging_diff(argv, **kwargs):
        if argv[:2] == ["git", "diff"]:
            raise subprocess.TimeoutExpired(argv, kwargs.get("timeout"))
        return real_run(argv, **kwargs)
    monkeypatch.setattr(poalint.run.diff.subprocess, "run", hanging_diff)
    result = run("check", "--no-cache", *SELECT, "--diff-base", "HEAD", "a.md")
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line == "poalint: error: --diff-base: git diff did not answer within 60 s"


# ---------------------------------------------------------------------------------------------
# File names in a GitHub job's log

HOSTILE = "weak\n::add-mask::hunter2\n::stop-commands::pause\n::error file=fake.md,line=1::forged.md"
UNREADABLE = "skipped\n::add-mask::hunter3\n::warning file=fake.md::forged.md"
_ANNOTATION = re.compile(r"::(error|warning|notice) ((?:\w+=[^,:]*,?)*)::")


def annotated_file(line: str) -> str | None:
    """The `file` property of a workflow command, decoded as the runner decodes it."""
    match = _ANNOTATION.match(line)
    if not match:
        return None
    properties = dict(item.split("=", 1) for item in match[2].split(",") if item)
    return unquote(properties.get("file", ""))


def test_no_file_name_prints_a_workflow_command(run, tmp_path):
    # The weakest letter, so that the summary line names it too.
    (tmp_path / f"{HOSTILE}.md").write_text("Dear {{name}},\n\nWe refunded order {{order_id}} to [BUYER].\n", "utf-8")
    (tmp_path / f"{UNREADABLE}.md").write_bytes(b"Dear team,\x00\x00 binary\n")  # skipped, with a warning
    (tmp_path / "plain.md").write_text("Dear team,\n\nWe refunded order [ORDER ID].\n", "utf-8")
    result = run("check", "--no-cache", *SELECT, "--format", "github", "--fail-under", "90", ".")
    assert result.exit_code == 1, result.output  # plain.md's placeholder
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert commands, result.output
    shown = {annotated_file(line) for line in commands}
    # Every command is an annotation of a letter that exists, its name shown escaped on one line.
    assert shown == {"plain.md", f"{HOSTILE}.md".replace("\n", r"\n"), f"{UNREADABLE}.md".replace("\n", r"\n")}, commands
    assert any("lowest score" in line and "::add-mask::hunter2" in line for line in lines)  # shown, escaped
    errors = [line for line in result.stderr.splitlines() if line.startswith("poalint: ")]
    assert errors and len(errors) == len(result.stderr.splitlines())  # one line per problem
    assert any("skipped\\n::add-mask::hunter3" in line for line in errors)


def test_an_error_line_shows_the_file_name_escaped(run, tmp_path):
    name = "bad\x1b[2J\n::add-mask::x.md"
    (tmp_path / name).write_text("---\npoalint: [unclosed\n---\nDear team,\n", "utf-8")
    result = run("check", "--no-cache", *SELECT, name)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("poalint: error: bad\\x1b[2J\\n::add-mask::x.md:") and "\x1b" not in line


def test_the_github_annotation_of_a_plain_name_is_unchanged(run, tmp_path):
    (tmp_path / "é letter.md").write_text("Dear team,\n\nWe refunded order [ORDER ID].\n", "utf-8")
    result = run("check", "--no-cache", *SELECT, "--format", "github", "é letter.md")
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations and {annotated_file(line) for line in annotations} == {"é letter.md"}


# ---------------------------------------------------------------------------------------------
# The CI recipes' result cache


def ci_recipes():
    """The YAML blocks of docs/ci.md that run `poalint check` in a CI job: (title, job) pairs."""
    text = (ROOT / "docs" / "ci.md").read_text("utf-8")
    for block in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL):
        document = yaml.safe_load(block)
        if not isinstance(document, dict) or "poalint check" not in block:
            continue
        jobs = document.get("jobs") or {name: job for name, job in document.items() if isinstance(job, dict)}
        yield from ((f"{name}: {block.splitlines()[0]}", job) for name, job in jobs.items())


def test_no_ci_recipe_reads_a_cache_the_checked_out_tree_or_a_branch_can_write():
    recipes = list(ci_recipes())
    assert {kind for title, job in recipes for kind in (("github",) if "steps" in job else ("gitlab",))} == \
        {"github", "gitlab"}
    for title, job in recipes:
        if "steps" in job:  # GitHub Actions
            assert not any(str(s.get("uses", "")).startswith("actions/cache") for s in job["steps"]), title
            for s in job["steps"]:
                if "poalint check" in s.get("run", ""):
                    cache_dir = s.get("env", {}).get("POALINT_CACHE_DIR", "")
                    assert "--no-cache" in s["run"] or cache_dir.startswith("${{ runner.temp }}"), (title, s)
        else:  # GitLab CI: a `cache:` is shared by the branches' pipelines
            assert "cache" not in job, title
            script = job["script"]
            first = next(i for i, line in enumerate(script) if "poalint check" in line)
            fresh = 'export POALINT_CACHE_DIR="$(mktemp -d)"'
            assert fresh in script[:first] or all("--no-cache" in line for line in script if "poalint check" in line), title
            assert "POALINT_CACHE_DIR" not in job.get("variables", {}), title
