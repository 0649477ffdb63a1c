"""Rule files as validated data, cached by their text: a later run skips YAML parsing and schema
validation, most of the cost of loading rules (docs/performance.md).

Like Python's own bytecode cache, it never changes a result: an entry is keyed on the rule file's
exact text and on poalint's code, holds only what the file says (never a letter), and is trusted
only if it reads back whole. A file whose data JSON cannot hold exactly (a YAML date, say) is
simply not cached. The entries live in ``packs/`` of the result cache's folder (poalint.run.cache), so
`--no-cache` leaves both alone.

The built-in packs also ship their validated data (``validated.json`` beside them, written by
``python -m poalint.rules.pack_cache`` and checked fresh by the tests), so a first run, or one with
`--no-cache`, does not parse or validate them either. It is found by the text's SHA-256: a
built-in file that has been edited is simply checked like any other.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from poalint.atomic import atomic_write
from poalint.sealing import sealed, secret_key, unsealed
from poalint.fingerprint import code_fingerprint
from poalint.rules.checks import checked_data
from poalint.rules.packs import builtin_rules_dir, rule_files

_FORMAT = 1
SHIPPED = "validated.json"


def _entry(directory: Path, text: str) -> Path:
    key = hashlib.sha256(f"{_FORMAT}\0{code_fingerprint()}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    return directory / f"{key}.json"


def lookup(directory: Path, text: str):
    """The validated data of a rule file with exactly this text, or None. Entries are signed
    like the result cache's (poalint.sealing): one that someone else wrote is not believed."""
    key = secret_key()
    path = _entry(directory, text)
    try:
        body = unsealed(path.read_bytes(), key, path.stem) if key else None
        data = json.loads(body)["data"] if body else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def store(directory: Path, text: str, data) -> None:
    try:
        encoded = json.dumps({"data": data}, ensure_ascii=False)
    except (TypeError, ValueError):
        return
    if json.loads(encoded)["data"] != data:
        return
    key = secret_key()
    if key is None:
        return
    path = _entry(directory, text)
    try:
        path.parent.mkdir(exist_ok=True)
        atomic_write(path, sealed(encoded.encode("utf-8"), key, path.stem))
    except OSError:
        pass  # a cache that cannot be written only costs time


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=None)
def _shipped_index() -> dict:
    try:
        index = json.loads((builtin_rules_dir() / SHIPPED).read_bytes())
    except (OSError, ValueError):
        return {}
    return index if isinstance(index, dict) else {}


def shipped(text: str):
    """The validated data the built-in packs ship for a file with exactly this text, or None."""
    data = _shipped_index().get(_digest(text))
    return data if isinstance(data, dict) else None


def fresh_shipped_index() -> str:
    """The contents of ``validated.json`` for the built-in packs as they are now; raises on any
    error in them, as a run would."""
    index = {}
    for path in rule_files(builtin_rules_dir()):
        text = path.read_text("utf-8")
        index[_digest(text)] = checked_data(path, text)
    # One rule file per line, without spaces: a change to one file is one changed line, and the
    # file stays small enough to ship (indented, it was over 4 MB).
    entries = (f"{json.dumps(digest)}:{json.dumps(data, ensure_ascii=False, separators=(',', ':'))}"
               for digest, data in index.items())
    return "{\n" + ",\n".join(entries) + "\n}\n"


if __name__ == "__main__":
    (builtin_rules_dir() / SHIPPED).write_text(fresh_shipped_index(), "utf-8")
