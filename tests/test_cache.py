"""The result cache: unchanged letters are not linted again, and spaCy is never imported for them."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import KINDS_PACK
from poalint.run.cache import PACKS

LETTER = "Dear team,\n\nWe will try to refund order {{order_id}} as soon as possible.\n"
# The command group itself, not main(): main() ends the process with os._exit, before a spy could look.
SPY = ("import sys\nfrom poalint.cli import cli\n"
       "try:\n    cli(sys.argv[1:], prog_name='poalint')\nexcept SystemExit as exc:\n    code = exc.code\n"
       "print('SPACY_IMPORTED' if 'spacy' in sys.modules else 'SPACY_NOT_IMPORTED', file=sys.stderr)\n"
       "sys.exit(code)\n")


def poalint(tmp_path, *args, env=None):
    return subprocess.run([sys.executable, "-c", SPY, *map(str, args)], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_second_run_hits_the_cache_without_importing_spacy(tmp_path):
    (tmp_path / "a.md").write_text(LETTER, "utf-8")
    first = poalint(tmp_path, "check", "--format", "json", "a.md")
    second = poalint(tmp_path, "check", "--format", "json", "a.md")
    assert "SPACY_IMPORTED" in first.stderr.splitlines()
    assert "SPACY_NOT_IMPORTED" in second.stderr.splitlines()
    assert first.returncode == second.returncode == 1
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert (tmp_path / ".poalint_cache" / ".gitignore").read_text("utf-8").strip().endswith("*")


def test_text_output_is_identical_from_the_cache(tmp_path):
    (tmp_path / "a.md").write_text(LETTER, "utf-8")
    assert poalint(tmp_path, "check", "a.md").stdout == poalint(tmp_path, "check", "a.md").stdout


def test_a_changed_letter_rule_or_option_is_linted_again(tmp_path):
    (tmp_path / "a.md").write_text(LETTER, "utf-8")
    poalint(tmp_path, "check", "a.md")
    (tmp_path / "a.md").write_text(LETTER + "\nWe refunded it.\n", "utf-8")
    assert "SPACY_IMPORTED" in poalint(tmp_path, "check", "a.md").stderr
    assert "SPACY_IMPORTED" in poalint(tmp_path, "check", "--select", "unfilled-placeholder", "a.md").stderr
    rules = tmp_path / "house.yaml"
    rules.write_text(KINDS_PACK.read_text("utf-8"), "utf-8")
    assert "SPACY_IMPORTED" in poalint(tmp_path, "check", "--rules", rules, "a.md").stderr
    rules.write_text(KINDS_PACK.read_text("utf-8").replace("Hedge: {match}", "Hedge — {match}"), "utf-8")
    result = poalint(tmp_path, "check", "--rules", rules, "a.md")
    assert "SPACY_IMPORTED" in result.stderr and "Hedge — " in result.stdout


def test_a_retrained_wording_model_lints_again(tmp_path):
    (tmp_path / "a.md").write_text(LETTER, "utf-8")
    poalint(tmp_path, "check", "a.md")
    retrained = SPY.replace("from poalint.cli import cli\n", "from poalint.cli import cli\nimport poalint.run.session as session\n"
                            "session.model_fingerprint = lambda: 'another model'\n")
    result = subprocess.run([sys.executable, "-c", retrained, "check", "a.md"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert "SPACY_IMPORTED" in result.stderr.splitlines()
    assert "SPACY_NOT_IMPORTED" in poalint(tmp_path, "check", "a.md").stderr.splitlines()


def test_no_cache_and_cache_dir(tmp_path):
    (tmp_path / "a.md").write_text(LETTER, "utf-8")
    poalint(tmp_path, "check", "--no-cache", "a.md")
    assert not (tmp_path / ".poalint_cache").exists()
    elsewhere = tmp_path / "cache-here"
    poalint(tmp_path, "check", "a.md", env={"POALINT_CACHE_DIR": str(elsewhere)})
    assert (elsewhere / ".gitignore").is_file() and not (tmp_path / ".poalint_cache").exists()


def test_a_corrupt_entry_is_discarded(tmp_path):
    (tmp_path / "a.md").write_text(LETTER, "utf-8")
    expected = poalint(tmp_path, "check", "--format", "json", "a.md").stdout
    entries = [p for p in (tmp_path / ".poalint_cache").rglob("*.json") if PACKS not in p.parts]
    assert len(entries) == 1
    entries[0].write_text('{"format": 1, "profile": "poa", "findings": [{"rule": ', "utf-8")
    again = poalint(tmp_path, "check", "--format", "json", "a.md")
    assert "SPACY_IMPORTED" in again.stderr and again.stdout == expected
