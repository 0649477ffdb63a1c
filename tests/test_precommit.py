"""The pre-commit hook, run by the real pre-commit in a temporary git repository that takes this
repository (at its committed HEAD) as its hook source."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BAD = "Dear team,\n\nWe refunded order {{order_id}} on 3 May 2024.\n"
GOOD = ("Dear Seller Performance Team,\n\nThis happened because our packer skipped the invoice check. "
        "We refunded order 113-7715240-0982361 on 3 May 2024.\n")


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def letters_repo(tmp_path_factory):
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("this checkout has no commits for pre-commit to install from")
    repo = tmp_path_factory.mktemp("letters")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "agent@example.com")
    git(repo, "config", "user.name", "Agency")
    (repo / ".pre-commit-config.yaml").write_text(textwrap.dedent(f"""\
        repos:
          - repo: {ROOT}
            rev: {head.stdout.strip()}
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
