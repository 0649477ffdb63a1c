"""Validated rule files are cached by their text (poalint.rules.pack_cache): a later run skips YAML parsing
and schema validation, and the cache never changes which rules load or which errors are reported."""
from __future__ import annotations

import json

import pytest

import poalint.rules.checks as checks
import poalint.rules.loader as loader
from conftest import KINDS_PACK
from poalint.rules import pack_cache
from poalint.run.cache import CACHE_DIR_NAME, PACKS
from poalint.config import Config
from poalint.errors import PoalintError
from poalint.rules.ruleset import load_ruleset


def described(ruleset) -> list:
    return [(r.id, r.kind, r.severity, r.spec, r.origin.path, r.origin.line,
             {p: v.spec for p, v in r.variants.items()}) for r in ruleset.rules]


def test_a_cached_load_builds_the_same_rules_without_parsing(tmp_path, monkeypatch):
    cache = tmp_path / PACKS
    first = described(load_ruleset(Config(), (KINDS_PACK,), cache=cache))
    assert len(list(cache.glob("*.json"))) == 1  # the extra pack: the built-in files ship their data
    assert first == described(load_ruleset(Config(), (KINDS_PACK,)))

    def refuse(*args, **kwargs):
        raise AssertionError("parsed although the pack cache holds this text")
    monkeypatch.setattr(checks, "parse_yaml", refuse)
    monkeypatch.setattr(checks, "validate", refuse)
    assert described(load_ruleset(Config(), (KINDS_PACK,), cache=cache)) == first


def test_an_edited_rule_file_is_checked_again(tmp_path):
    cache = tmp_path / PACKS
    pack = tmp_path / "house.yaml"
    pack.write_text(KINDS_PACK.read_text("utf-8"), "utf-8")
    load_ruleset(Config(), (pack,), cache=cache)
    pack.write_text(KINDS_PACK.read_text("utf-8").replace("severity: warning", "severity: loud", 1), "utf-8")
    with pytest.raises(PoalintError) as raised:
        load_ruleset(Config(), (pack,), cache=cache)
    assert raised.value.path == str(pack) and raised.value.line and "severity" in raised.value.key


@pytest.mark.parametrize("damage", [b"", b"{", b"[]", b'{"data": 1}', b"\xff\xfe"])
def test_a_damaged_entry_is_never_trusted(tmp_path, damage):
    cache = tmp_path / PACKS
    expected = described(load_ruleset(Config(), (KINDS_PACK,), cache=cache))
    for entry in cache.glob("*.json"):
        entry.write_bytes(damage)
    assert described(load_ruleset(Config(), (KINDS_PACK,), cache=cache)) == expected
    assert all(isinstance(json.loads(entry.read_bytes())["data"], dict) for entry in cache.glob("*.json"))


def test_data_json_cannot_hold_is_not_cached(tmp_path):
    cache = tmp_path / PACKS
    cache.mkdir()
    pack_cache.store(cache, "when: 2024-01-01", {"when": __import__("datetime").date(2024, 1, 1)})
    pack_cache.store(cache, "pair", {"pair": (1, 2)})
    assert not list(cache.iterdir())
    assert pack_cache.lookup(cache, "pair") is None


def test_check_fills_the_cache_beside_the_results_and_no_cache_leaves_it_alone(run, letter, tmp_path):
    letter("We will try to refund the order.\n")
    run("check", "--no-cache", "--rules", KINDS_PACK, "letter.md")
    assert not (tmp_path / CACHE_DIR_NAME).exists()
    run("check", "--rules", KINDS_PACK, "letter.md")
    assert len(list((tmp_path / CACHE_DIR_NAME / PACKS).glob("*.json"))) == 1


def test_rules_uses_an_existing_cache_folder_but_never_creates_one(run, tmp_path):
    assert run("rules", "--rules", KINDS_PACK).exit_code == 0
    assert not (tmp_path / CACHE_DIR_NAME).exists()
    (tmp_path / CACHE_DIR_NAME).mkdir()
    assert run("explain", "--rules", KINDS_PACK, "vague-wording").exit_code == 0
    assert len(list((tmp_path / CACHE_DIR_NAME / PACKS).glob("*.json"))) == 1


def test_built_in_files_load_from_their_shipped_data_without_parsing(monkeypatch):
    expected = described(load_ruleset(Config()))

    def refuse(*args, **kwargs):
        raise AssertionError("a built-in file was parsed although its validated data ships with it")
    monkeypatch.setattr(checks, "parse_yaml", refuse)
    monkeypatch.setattr(checks, "validate", refuse)
    assert described(load_ruleset(Config())) == expected


def test_an_edited_built_in_text_is_checked_like_any_other(tmp_path):
    from poalint.rules.packs import builtin_rules_dir

    original = (builtin_rules_dir() / "poa" / "wording" / "1-vague-wording.yaml").read_text("utf-8")
    assert pack_cache.shipped(original) is not None
    edited = tmp_path / "vague-wording.yaml"
    edited.write_text(original.replace("severity: warning", "severity: loud", 1), "utf-8")
    assert pack_cache.shipped(edited.read_text("utf-8")) is None
    with pytest.raises(PoalintError) as raised:
        loader.load_rule_file(edited, "house")
    assert raised.value.path == str(edited) and "severity" in raised.value.key
