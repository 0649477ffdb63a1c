"""Fingerprints that key the caches: poalint's own code, and the input files of a run."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from poalint.settings import MAX_SETTINGS_BYTES, WORDING_MODEL_FILE, builtin_rules_dir, read_limited


@lru_cache(maxsize=None)
def code_fingerprint() -> str:
    """poalint's own source: a changed engine must not reuse what the old one computed."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=None)
def model_fingerprint() -> str:
    """The built-in wording model's bytes: a retrained model must not reuse the old one's findings.
    Shipped with poalint, so read whole (a user's files go through files_fingerprint's limit)."""
    path = builtin_rules_dir() / WORDING_MODEL_FILE
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "no model"


def files_fingerprint(paths) -> str:
    digest = hashlib.sha256()
    for path in paths:  # rule, configuration and vars files: read before they are parsed, so bounded here too
        digest.update(str(path).encode() + b"\0")
        digest.update(read_limited(Path(path), MAX_SETTINGS_BYTES))
    return digest.hexdigest()
