"""Rule files as validated data, cached by their text: a later run skips YAML parsing and schema
validation, most of the cost of loading rules (docs/performance.md).

Like Python's own bytecode cache, it never changes a result: an entry is keyed on the rule file's
exact text and on poalint's code, holds only what the file says (never a letter), and is trusted
only if it reads back whole. A file whose data JSON cannot hold exactly (a YAML date, say) is
simply not cached. The entries live in ``packs/`` of the result cache's folder (poalint.cache), so
`--no-cache` leaves both alone.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from poalint.atomic import atomic_write
from poalint.fingerprint import code_fingerprint

_FORMAT = 1


def _entry(directory: Path, text: str) -> Path:
    key = hashlib.sha256(f"{_FORMAT}\0{code_fingerprint()}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    return directory / f"{key}.json"


def lookup(directory: Path, text: str):
    """The validated data of a rule file with exactly this text, or None."""
    try:
        data = json.loads(_entry(directory, text).read_bytes())["data"]
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
    path = _entry(directory, text)
    try:
        path.parent.mkdir(exist_ok=True)
        atomic_write(path, encoded.encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written only costs time
