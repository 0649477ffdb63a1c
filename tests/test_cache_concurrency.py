"""Two `poalint check` processes sharing one cache directory never corrupt it: entries are
written atomically, and a corrupt entry is discarded and recomputed, never trusted."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from poalint.run.cache import _FORMAT, PACKS

ROUNDS = 3


def twenty_letters(folder: Path) -> list[Path]:
    sources = sorted(p for p in (CORPUS / "letters").iterdir() if p.suffix in (".md", ".txt")) \
        if (CORPUS / "letters").is_dir() else []
    sources = sources or sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".md", ".txt"))
    letters = []
    for i in range(20):
        source = sources[i % len(sources)]
        target = folder / f"letter-{i:02d}{source.suffix}"
        # Distinct bytes for every letter, so each has its own entry.
        target.write_text(source.read_text("utf-8") + f"\nReference {i}.\n", "utf-8")
        letters.append(target)
    return letters


def check(env: dict, letters, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "poalint", "check", "--format", "json", "--exit-zero",
                             "--jobs", "1", *extra, *map(str, letters)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert err == ""
    return json.loads(out)


def entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*.json") if PACKS not in p.relative_to(cache).parts)


@pytest.fixture
def env(tmp_path) -> dict:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("POALINT_")},
            "POALINT_CACHE_DIR": str(tmp_path / "cache")}


def test_two_processes_share_one_cache(tmp_path, env):
    (tmp_path / "letters").mkdir()
    letters = twenty_letters(tmp_path / "letters")
    cache = Path(env["POALINT_CACHE_DIR"])
    expected = finish(check(env, letters, "--no-cache"))
    assert not cache.exists()
    for round_ in range(ROUNDS):
        if round_ == 1:  # half the entries gone, a quarter corrupt: both processes recompute them at once
            for i, entry in enumerate(entries(cache)):
                if i % 2:
                    entry.unlink()
                elif i % 4 == 0:
                    entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
        first, second = check(env, letters), check(env, letters)
        assert finish(first) == expected
        assert finish(second) == expected
        found = entries(cache)
        assert len(found) == len(letters)
        for entry in found:
            data = json.loads(entry.read_text("utf-8"))  # every entry parses, whole
            assert data["format"] and isinstance(data["findings"], list)
        assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")], "no temporary files left behind"
    assert finish(check(env, letters)) == expected  # a third run, all from the cache


DAMAGE = [
    lambda data: data[: len(data) // 2],                                   # truncated mid-write
    lambda data: b"\x00\xff" + data,                                       # not UTF-8
    lambda data: b"[]",                                                    # JSON, not a mapping
    lambda data: json.dumps({**json.loads(data), "format": -1}).encode(),  # another version
    lambda data: data.replace(b'"findings": [', b'"findings": [{"start": "x"}, "row", [1, 2], ', 1),  # bad rows
    lambda data: b"",                                                      # empty
]


def test_a_corrupt_entry_is_discarded_never_trusted(tmp_path, env):
    """Each of six letters' entries damaged a different way: each is recomputed and rewritten."""
    letters = twenty_letters(tmp_path)[:len(DAMAGE)]
    cache = Path(env["POALINT_CACHE_DIR"])
    expected = finish(check(env, letters, "--no-cache"))
    assert finish(check(env, letters)) == expected
    found = entries(cache)
    assert len(found) == len(DAMAGE)
    for entry, damage in zip(found, DAMAGE):
        entry.write_bytes(damage(entry.read_bytes()))
    assert finish(check(env, letters)) == expected
    assert [json.loads(entry.read_text("utf-8"))["format"] for entry in entries(cache)] == [_FORMAT] * len(DAMAGE)
