"""Issue 18 hardening of a `check` run: one bad letter never stops the run, and the cache cannot be forged.

Letters that once exhausted memory are run in a subprocess under a 1 GB address-space limit, so
that the old behaviour ends in a MemoryError (or the timeout) instead of taking the machine.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import capped_poalint
from poalint.run.cache import PACKS
from poalint.rules.kinds import KINDS

GOOD = "Dear team,\n\nWe will try to refund order 123 as soon as possible.\n"
MEMORY_LIMIT = 1 << 30

#: Nine levels of nine aliases: 9**9 (387 million) strings once expanded, in 600 bytes of YAML.
LAUGHS = "\n".join(
    ["lol0: &l0 lol"] + [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)])


def _indent(text: str, by: str) -> str:
    return "\n".join(by + line for line in text.splitlines())


def poalint(cwd, *args, env=None, timeout=120):
    return capped_poalint(args, cwd, memory=MEMORY_LIMIT, env=env, timeout=timeout)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


# Row 1: YAML aliases -------------------------------------------------------------------------------
def test_a_billion_laughs_in_front_matter_is_one_line_and_the_other_letters_are_reported(tmp_path):
    bomb = ("---\nlaughs:\n" + _indent(LAUGHS, "  ") + "\npoalint:\n  rules:\n    vague-wording:\n"
            "      severity: *l8\n---\n" + GOOD)
    (tmp_path / "bomb.md").write_text(bomb, "utf-8")
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    result = poalint(tmp_path, "check", "--no-cache", "bomb.md", "good.md", timeout=60)
    assert result.returncode == 2
    [line] = error_lines(result.stderr)
    assert line.startswith("poalint: error: bomb.md:") and "alias" in line and "internal error" not in line
    assert "good.md:3:1: warning vague-wording" in result.stdout


def test_aliases_are_refused_in_front_matter_even_when_small(tmp_path):
    (tmp_path / "a.md").write_text("---\nx: &a warning\npoalint:\n  rules:\n    vague-wording: {severity: *a}\n"
                                   "---\n" + GOOD, "utf-8")
    result = poalint(tmp_path, "check", "--no-cache", "a.md")
    assert result.returncode == 2
    assert error_lines(result.stderr) == ["poalint: error: a.md:5: invalid YAML in the front matter: "
                                          "YAML aliases (*name) are not allowed here"]


def test_a_control_character_in_front_matter_is_one_line_with_its_line(tmp_path):
    # Found by fuzz/fuzz_readers.py: PyYAML's reader error is two lines and has no mark.
    (tmp_path / "a.md").write_text("---\npoalint:\n  ignore: [x\x01]\n---\n" + GOOD, "utf-8")
    result = poalint(tmp_path, "check", "--no-cache", "a.md")
    assert result.returncode == 2
    assert error_lines(result.stderr) == ["poalint: error: a.md:3: invalid YAML in the front matter: "
                                          "unacceptable character #x0001: control characters are not allowed"]


def test_a_billion_laughs_in_a_configuration_file_is_one_line(tmp_path):
    (tmp_path / ".poalint.yaml").write_text(LAUGHS + "\nrules:\n  vague-wording:\n    severity: *l8\n", "utf-8")
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    result = poalint(tmp_path, "check", "--no-cache", "good.md", timeout=60)
    assert result.returncode == 2
    [line] = error_lines(result.stderr)
    assert line.startswith("poalint: error: ") and ".poalint.yaml:" in line
    assert "aliases expand to more than" in line and "internal error" not in line


def test_a_billion_laughs_in_a_rule_file_is_one_line(tmp_path):
    (tmp_path / "bomb.yaml").write_text(LAUGHS + "\nrules: *l8\n", "utf-8")
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    result = poalint(tmp_path, "check", "--no-cache", "--rules", "bomb.yaml", "good.md", timeout=60)
    assert result.returncode == 2
    [line] = error_lines(result.stderr)
    assert line.startswith("poalint: error: bomb.yaml:") and "aliases expand to more than" in line


def test_the_shipped_rules_still_use_their_aliases(run, tmp_path):
    """wording.yaml names a token pattern once (&participle) and reuses it: a small expansion."""
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    assert "vague-wording" in run("check", "--no-cache", "good.md").stdout


# Row 2: message templates ------------------------------------------------------------------------
@pytest.mark.parametrize("template", ["{match:>50000000}", "{match:>1900000000}", "{match:.100000000}",
                                      "{match:{match}}", "{match!x}"])
def test_a_huge_or_nested_format_in_front_matter_is_one_line(tmp_path, template):
    (tmp_path / "wide.md").write_text(f"---\npoalint:\n  rules:\n    vague-wording:\n      message: \"{template}\"\n"
                                      f"---\n" + GOOD, "utf-8")
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    result = poalint(tmp_path, "check", "--no-cache", "wide.md", "good.md", timeout=60)
    assert result.returncode == 2
    [line] = error_lines(result.stderr)
    assert line.startswith("poalint: error: wide.md:2: rule vague-wording: message: "), line
    assert "internal error" not in line
    assert len(result.stdout) < 5000 and "good.md:3:1: warning vague-wording" in result.stdout


def test_a_huge_format_width_in_a_rule_file_names_file_line_and_key(tmp_path):
    rules = ("rules:\n  - id: wide-message\n    kind: existence\n    severity: warning\n"
             "    description: A test rule.\n    message: \"{match:>1900000000}\"\n    phrases: [refund]\n")
    (tmp_path / "wide.yaml").write_text(rules, "utf-8")
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    result = poalint(tmp_path, "check", "--no-cache", "--rules", "wide.yaml", "good.md", timeout=60)
    assert result.returncode == 2
    assert error_lines(result.stderr) == [
        "poalint: error: wide.yaml:2: rule wide-message: message: the format {match:>1900000000} is too wide "
        "(widths and precisions up to 200)"]


def test_small_format_specs_still_work(run, tmp_path):
    """The shipped length rules print `{value:.0f}`."""
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    assert re.search(r"The letter has only \d+ words \(under 120\)", run("check", "--no-cache", "good.md").stdout)


# Any unexpected error in one letter ------------------------------------------------------------
def _explode_on(monkeypatch, name: str):
    existence = KINDS["existence"]
    original = existence.check

    def check(self, letter):
        if Path(letter.document.path).name == name:
            raise RuntimeError("kaboom")
        return original(self, letter)
    monkeypatch.setattr(existence, "check", check)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_internal_error_in_one_letter_names_it_and_the_run_goes_on(run, tmp_path, monkeypatch, jobs):
    for i in range(9):
        (tmp_path / f"letter{i}.md").write_text(GOOD, "utf-8")
    _explode_on(monkeypatch, "letter4.md")
    result = run("check", "--no-cache", "--jobs", jobs, "--format", "json", ".")
    assert result.exit_code == 2
    assert error_lines(result.stderr) == [
        "poalint: error: letter4.md: internal error: RuntimeError: kaboom (set POALINT_DEBUG=1 for details)"]
    files = json.loads(result.stdout)["files"]
    assert [f["path"] for f in files] == [f"letter{i}.md" for i in range(9)]
    assert all(any(g["rule"] == "vague-wording" for g in f["findings"]) for f in files if f["path"] != "letter4.md")


def test_poalint_debug_still_raises(run, tmp_path, monkeypatch):
    (tmp_path / "letter4.md").write_text(GOOD, "utf-8")
    _explode_on(monkeypatch, "letter4.md")
    monkeypatch.setenv("POALINT_DEBUG", "1")
    with pytest.raises(RuntimeError, match="kaboom"):
        run("check", "--no-cache", "letter4.md")


# Row 15: a cache problem only costs time ----------------------------------------------------------
def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.glob("*/*.json") if p.parent.name != PACKS)


def test_a_cache_dir_that_is_a_device_only_costs_time(tmp_path):
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    reference = poalint(tmp_path, "check", "--no-cache", "good.md")
    result = poalint(tmp_path, "check", "good.md", env={"POALINT_CACHE_DIR": "/dev/null"})
    assert (result.returncode, result.stdout, result.stderr) == (1, reference.stdout, "")


def test_a_cache_entry_that_is_a_folder_only_costs_time(tmp_path):
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    first = poalint(tmp_path, "check", "good.md")
    entries = _entries(tmp_path / ".poalint_cache")
    assert entries
    for entry in entries:
        entry.unlink()
        entry.mkdir()
    again = poalint(tmp_path, "check", "good.md")
    assert (again.returncode, again.stdout, again.stderr) == (1, first.stdout, "")


# Row 20: entries are validated by type -------------------------------------------------------------
def _rewrite_entries(cache: Path, change) -> None:
    """Change every entry's data as a buggy or older poalint might have written it, and seal it
    again with this user's key, so that only the type checks can refuse it."""
    from poalint import sealing as cache_module

    key = cache_module.secret_key()
    for entry in _entries(cache):
        data = json.loads(cache_module.unsealed(entry.read_bytes(), key, entry.stem))
        change(data)
        entry.write_bytes(cache_module.sealed(json.dumps(data).encode(), key, entry.stem))


def _set_row_field(index, value):
    def change(entry):
        for row in entry["findings"]:
            row[index] = value
    return change


@pytest.mark.parametrize("change", [
    _set_row_field(2, "3"), _set_row_field(8, 5), _set_row_field(9, ["a"]), _set_row_field(12, "yes"),
    _set_row_field(7, "fatal"), lambda e: e.update(metrics={"words": "many"}), lambda e: e.update(metrics=[1]),
    lambda e: e.update(score="high"), lambda e: e.update(profile=7), lambda e: e.update(paragraph_spans=[["a", 1]]),
    lambda e: e["findings"].append([1, 2]),
], ids=["line", "message", "suggestion", "fix_safe", "severity", "metric", "metrics", "score", "profile", "spans",
        "short-row"])
def test_a_cache_entry_with_wrong_field_types_is_recomputed(tmp_path, change, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    first = poalint(tmp_path, "check", "--format", "html", "-o", "first.html", "good.md")
    _rewrite_entries(tmp_path / ".poalint_cache", change)
    for output_format in ("html", "junit"):
        again = poalint(tmp_path, "check", "--format", output_format, "good.md")
        assert again.returncode == first.returncode == 1 and again.stderr == ""
    assert "vague-wording" in again.stdout


# Row 5: entries are bound to a key the letter's author cannot choose --------------------------------
BAD = GOOD
CLEAN = ("Dear Seller Performance team,\n\nWe refunded order 123 on 4 March.\n")


def test_an_entry_copied_or_committed_into_the_cache_is_not_trusted(tmp_path):
    """The attacker lints a clean letter with their own key, and commits its entry under the path
    of the bad letter's entry (the path depends only on public inputs)."""
    attacker = {"XDG_CACHE_HOME": str(tmp_path / "attacker")}
    victim = {"XDG_CACHE_HOME": str(tmp_path / "victim")}
    letter = tmp_path / "a.md"
    letter.write_text(CLEAN, "utf-8")
    poalint(tmp_path, "check", "--select", "vague-wording", "a.md", env=attacker)
    [clean_entry] = _entries(tmp_path / ".poalint_cache")
    letter.write_text(BAD, "utf-8")
    assert poalint(tmp_path, "check", "--select", "vague-wording", "a.md", env=attacker).returncode == 0
    [bad_entry] = [e for e in _entries(tmp_path / ".poalint_cache") if e != clean_entry]
    shutil.copyfile(clean_entry, bad_entry)
    for who in (victim, attacker):
        result = poalint(tmp_path, "check", "--select", "vague-wording", "a.md", env=who)
        assert "a.md:3:1: warning vague-wording" in result.stdout


def test_the_key_lives_outside_the_project_and_only_its_owner_can_read_it(tmp_path):
    home_cache = tmp_path / "home-cache"
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "a.md").write_text(GOOD, "utf-8")
    poalint(tmp_path / "project", "check", "a.md", env={"XDG_CACHE_HOME": str(home_cache)})
    keys = [p for p in home_cache.rglob("*") if p.is_file()]
    assert len(keys) == 1 and keys[0].stat().st_mode & 0o777 == 0o600
    project_files = {p.name for p in (tmp_path / "project").rglob("*") if p.is_file()}
    assert keys[0].name not in project_files


def test_a_key_others_can_write_is_not_trusted(tmp_path):
    home_cache = tmp_path / "home-cache"
    (tmp_path / "a.md").write_text(GOOD, "utf-8")
    env = {"XDG_CACHE_HOME": str(home_cache)}
    poalint(tmp_path, "check", "a.md", env=env)
    [key] = [p for p in home_cache.rglob("*") if p.is_file()]
    key.chmod(0o666)
    shutil.rmtree(tmp_path / ".poalint_cache")
    result = poalint(tmp_path, "check", "a.md", env=env)
    assert result.returncode == 1 and result.stderr == ""
    assert not _entries(tmp_path / ".poalint_cache")  # neither read nor written with that key


# Row 16 and row 15 as a user without root's powers ---------------------------------------------------
NOBODY = 65534
#: As root, the child imports everything a check needs (while the interpreter's own files, perhaps
#: under /root, are readable), then becomes `nobody` and runs the real command line.
AS_NOBODY = """
import os, sys, tempfile
from click.testing import CliRunner
from poalint.cli import cli, main
with tempfile.TemporaryDirectory() as fresh:  # a fresh cache: the letter is linted, spaCy loaded
    CliRunner().invoke(cli, ["check", "--format", "json", sys.argv[1]],
                       env={"POALINT_CACHE_DIR": fresh + "/c", "XDG_CACHE_HOME": fresh + "/k"})
if os.geteuid() == 0:
    os.setgroups([]); os.setgid(%d); os.setuid(%d)
sys.argv = ["poalint", *sys.argv[2:]]
main()
""" % (NOBODY, NOBODY)


@pytest.fixture
def shared_folder():
    """A folder a non-root user can read (pytest's own tmp folder is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="poalint-nobody-"))
    folder.chmod(0o755)
    (folder / ".poalint.yaml").write_text("{}\n", "utf-8")  # no configuration from above
    (folder / "warm").mkdir()
    (folder / "warm" / "w.md").write_text(GOOD, "utf-8")
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def as_nobody(folder: Path, *args, env=None):
    return subprocess.run([sys.executable, "-c", AS_NOBODY, str(folder / "warm" / "w.md"), *map(str, args)],
                          cwd=folder, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "XDG_CACHE_HOME": str(folder / "home-cache"), **(env or {})})


def test_an_unreadable_letter_as_a_real_user_is_one_line(shared_folder):
    names = [f"letter{i}.md" for i in range(4)]
    for name in names:
        (shared_folder / name).write_text(GOOD, "utf-8")
        (shared_folder / name).chmod(0o644)
    (shared_folder / "letter2.md").chmod(0)
    result = as_nobody(shared_folder, "check", "--no-cache", *names)
    assert result.returncode == 2, result.stderr
    assert error_lines(result.stderr) == ["poalint: error: letter2.md: permission denied"]
    for name in names:
        assert (f"{name}:3:1: warning vague-wording" in result.stdout) == (name != "letter2.md")


def test_a_corrupt_entry_in_a_cache_the_user_cannot_write_only_costs_time(shared_folder):
    (shared_folder / "good.md").write_text(GOOD, "utf-8")
    cache, keys = shared_folder / "cache", shared_folder / "keys"
    for folder in (cache, keys):
        folder.mkdir()
        if os.geteuid() == 0:
            os.chown(folder, NOBODY, NOBODY)
    env = {"POALINT_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(keys)}
    first = as_nobody(shared_folder, "check", "good.md", env=env)
    assert first.returncode == 1 and _entries(cache), first.stderr
    for entry in _entries(cache):
        entry.write_bytes(b"{not json")
    for folder in (cache, *cache.iterdir()):
        if folder.is_dir():
            if os.geteuid() == 0:
                os.chown(folder, 0, 0)
            folder.chmod(0o555)
    again = as_nobody(shared_folder, "check", "good.md", env=env)
    assert (again.returncode, again.stdout, again.stderr) == (1, first.stdout, "")


def test_a_validated_rule_file_committed_into_the_cache_is_not_trusted(tmp_path):
    """The cache's `packs/` folder holds rule files as validated data, keyed by their public text:
    an entry that empties the house rules must not be believed."""
    (tmp_path / "house.yaml").write_text(
        "rules:\n  - id: house-refund\n    kind: existence\n    severity: error\n    description: A house rule.\n"
        "    message: \"Say how: {match}\"\n    phrases: [refund]\n", "utf-8")
    (tmp_path / "a.md").write_text(GOOD, "utf-8")
    args = ("check", "--select", "house-refund", "--rules", "house.yaml", "a.md")
    env = {"XDG_CACHE_HOME": str(tmp_path / "home-cache")}
    assert "house-refund" in poalint(tmp_path, *args, env=env).stdout
    for entry in _entries(tmp_path / ".poalint_cache"):
        entry.unlink()  # the letter's result: linted again
    [pack] = [p for p in (tmp_path / ".poalint_cache" / PACKS).glob("*.json") if b"house-refund" in p.read_bytes()]
    forged = json.loads(pack.read_bytes())["data"]
    forged["rules"][0]["phrases"] = ["nothing the letter says"]
    pack.write_text(json.dumps({"data": forged}), "utf-8")
    assert "a.md:3:" in poalint(tmp_path, *args, env=env).stdout
