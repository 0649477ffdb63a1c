"""The pre-commit hook, run by the real pre-commit in a temporary git repository that takes this
repository, as it is on disk, as its hook source."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap

import docx
import pytest
import yaml

from conftest import ROOT
from poalint.reading import EXTENSIONS

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BAD = "Dear team,\n\nWe refunded order {{order_id}} on 3 May 2024.\n"
GOOD = ("Dear Seller Performance Team,\n\nThis happened because our packer skipped the invoice check. "
        "We refunded order 113-7715240-0982361 on 3 May 2024.\n")


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


def hook_source(tmp_path_factory):
    """A clone of this repository with its files as they are on disk (tracked and new, with their
    uncommitted edits) committed on top, as `pre-commit try-repo` does: the hook under test is
    the one in the working tree, not the one at HEAD. Returns the clone and its commit."""
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("this checkout has no commits for pre-commit to install from")
    source = tmp_path_factory.mktemp("hook-source")
    git(source, "clone", "-q", str(ROOT), ".")
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout
    for name in filter(None, listed.split("\0")):
        on_disk, copy = ROOT / name, source / name
        if on_disk.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(on_disk, copy)
        else:
            copy.unlink(missing_ok=True)  # deleted in the working tree
    git(source, "add", "-A")
    git(source, "-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-q", "--allow-empty",
        "--no-verify", "-m", "working tree")
    return source, git(source, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def letters_repo(tmp_path_factory):
    source, rev = hook_source(tmp_path_factory)
    repo = tmp_path_factory.mktemp("letters")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "agent@example.com")
    git(repo, "config", "user.name", "Agency")
    (repo / ".pre-commit-config.yaml").write_text(textwrap.dedent(f"""\
        repos:
          - repo: {source}
            rev: {rev}
            hooks:
              - id: poalint
                args: [--fail-on, warning, --select, "unfilled-placeholder,no-specific-facts"]
    """), "utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, check=True,
                   capture_output=True)
    git(repo, "add", ".pre-commit-config.yaml")
    return repo, env


def commit(repo, env, name, text):
    if isinstance(text, list):  # the paragraphs of a Word letter
        document = docx.Document()
        for paragraph in text:
            document.add_paragraph(paragraph)
        document.save(repo / name)
    else:
        (repo / name).write_text(text, "utf-8")
    git(repo, "add", name)
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", name], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)


def test_a_bad_letter_fails_with_its_findings_shown(letters_repo):
    repo, env = letters_repo
    result = commit(repo, env, "bad.md", BAD)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "poalint" in result.stdout and "Failed" in result.stdout
    assert "bad.md:3:19: error unfilled-placeholder" in result.stdout


def test_a_good_letter_passes(letters_repo):
    repo, env = letters_repo
    result = commit(repo, env, "good.txt", GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_the_hook_does_not_touch_other_files(letters_repo):
    repo, env = letters_repo
    result = commit(repo, env, "notes.py", "print('{{order_id}}')\n")
    assert result.returncode == 0 and "(no files to check)" in result.stdout


@pytest.mark.parametrize("name", ["weak.docx", "Escalation.DOCX", "weak.text", "weak.markdown"])
def test_word_letters_and_every_letter_suffix_are_checked_not_skipped(letters_repo, name):
    repo, env = letters_repo
    text = ["Dear team,", "We refunded order {{order_id}} on 3 May 2024."]
    result = commit(repo, env, name, text if name.lower().endswith(".docx") else "\n\n".join(text) + "\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "(no files to check)" not in result.stdout and "Failed" in result.stdout
    assert f"{name}:" in result.stdout and "error unfilled-placeholder" in result.stdout


def test_the_hook_selects_exactly_the_suffixes_poalint_reads():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    pattern = re.compile(hook["files"])
    for suffix in EXTENSIONS:
        assert pattern.search(f"letters/a{suffix}") and pattern.search(f"letters/a{suffix.upper()}"), suffix
    for other in ("notes.py", "a.md.bak", "report.html", "a.docx~", "a.doc"):
        assert not pattern.search(other), other
    assert "types_or" not in hook and hook.get("types", ["file"]) == ["file"]
