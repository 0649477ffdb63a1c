"""Sealing cache entries: an HMAC under a random key of the user's own, kept outside every project.

An entry's file name depends only on public inputs (the letter, the rules, poalint's code), so
anyone who can write into a cache folder (a pull request, a shared branch cache) could forge one.
The result cache (poalint.run.cache) and the validated rule files (poalint.rules.pack_cache) both
seal what they write and believe only what carries this user's seal.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from functools import lru_cache
from pathlib import Path

KEY_FILE = "cache-key"
KEY_BYTES = 32
_MAC_START, _MAC_END, _MAC_LENGTH = b',"mac":"', b'"}', 64
_TRAILER = len(_MAC_START) + _MAC_LENGTH + len(_MAC_END)


def key_dir() -> Path:
    """Where this user's cache key lives: their own cache folder, outside every project."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "poalint"


def secret_key() -> bytes | None:
    """This user's cache key, made on first use; None when it cannot be made or trusted (then no
    entry is read or written: the cache only costs time)."""
    return _key_at(key_dir() / KEY_FILE)


@lru_cache(maxsize=4)
def _key_at(path: Path) -> bytes | None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            _create_key(path)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            status = os.fstat(descriptor)
            key = os.read(descriptor, KEY_BYTES + 1)
        finally:
            os.close(descriptor)
    except OSError:
        return None
    # Another user's key, or one that others may read or change, is one they could sign with.
    mine = not hasattr(os, "geteuid") or status.st_uid == os.geteuid()
    private = stat.S_ISREG(status.st_mode) and not status.st_mode & 0o077
    return key if mine and private and len(key) == KEY_BYTES else None


def _create_key(path: Path) -> None:
    """Written whole under a temporary name, then linked into place: of processes that start
    together, one key wins and none reads half of one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key.")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(secrets.token_bytes(KEY_BYTES))
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


def sealed(body: bytes, key: bytes, name: str) -> bytes:
    """An entry's JSON mapping with its MAC as the last member: still JSON, and the MAC is read
    back by position, without parsing."""
    return body[:-1] + _MAC_START + _mac(body, key, name) + _MAC_END


def unsealed(raw: bytes, key: bytes, name: str) -> bytes | None:
    """The entry's JSON without its MAC, or None if the MAC is not this key's for this entry."""
    mac = raw[-len(_MAC_END) - _MAC_LENGTH:-len(_MAC_END)]
    body = raw[:-_TRAILER] + b"}"
    if raw[-_TRAILER:-_TRAILER + len(_MAC_START)] != _MAC_START or not hmac.compare_digest(mac, _mac(body, key, name)):
        return None
    return body


def _mac(body: bytes, key: bytes, name: str) -> bytes:
    # The entry's name (its path) is signed too: an entry moved under another letter's name fails.
    return hmac.new(key, name.encode() + b"\0" + body, hashlib.sha256).hexdigest().encode()
