"""The result cache: a re-run over unchanged letters reads stored findings and never loads spaCy.

An entry is keyed on the letter's bytes, every input that shapes the findings (rule files,
configuration, options, model) and poalint's own code: all public, so each entry also carries an
HMAC under a secret key of the user's own, outside the project. Entries are written atomically;
an entry that cannot be read back, does not verify or holds a value of the wrong type is
discarded, never trusted, and every cache problem only costs the time to lint again.
"""
from __future__ import annotations

import hashlib
import os
from contextlib import suppress
from itertools import product
from pathlib import Path

from poalint.atomic import atomic_write
from poalint.sealing import sealed, secret_key, unsealed
from poalint.reporting.findings import FileResult, Finding, Severity

CACHE_DIR_NAME = ".poalint_cache"
#: The sub-folder of validated rule files (poalint.rules.pack_cache).
PACKS = "packs"
_FORMAT = 7  # 2: paragraph_spans; 3: score; 4: findings as rows; 5: MAC, deductions, headings; 6: profile_reason; 7: reasons
#: A finding is stored as the row of its fields' values, in order (a mapping per finding would
#: repeat every field name: reading 1,000 entries spent a fifth of its time on them).
_FIELDS = Finding._fields
_SEVERITY = _FIELDS.index("severity")
_OPTIONAL_TEXT = (str, type(None))
#: Each field's type in a stored row: an entry is trusted only with every value of its type, or a
#: reporter would fail on it in every later run.
_FIELD_TYPES = {"start": int, "end": int, "line": int, "column": int, "end_line": int, "end_column": int,
                "rule": str, "severity": str, "message": str, "suggestion": _OPTIONAL_TEXT, "text": _OPTIONAL_TEXT,
                "fix": _OPTIONAL_TEXT, "fix_safe": bool}
#: Every row's tuple of exact value types (an optional text is str or None): one set lookup per
#: row rather than an isinstance call per value, which cost a cached re-run a tenth of its time.
_ROW_SIGNATURES = frozenset(product(*(kind if isinstance(kind, tuple) else (kind,)
                                      for kind in (_FIELD_TYPES[name] for name in _FIELDS))))
_NUMBER = (int, float)



def default_dir(root: Path) -> Path:
    return Path(os.environ["POALINT_CACHE_DIR"]) if os.environ.get("POALINT_CACHE_DIR") else root / CACHE_DIR_NAME


def existing_packs(root: Path) -> Path | None:
    """The rule-file cache of a project whose cache folder exists already: commands that lint no
    letter (`rules`, `explain`, `test-rules`) use it, but never create a cache folder."""
    directory = default_dir(root)
    return directory / PACKS if directory.is_dir() else None


def _result(body: bytes, name: str) -> FileResult | None:
    """The result an entry holds, if every value has its type."""
    import orjson  # here, not at the top: `rules` and `explain` import this module but read no entry

    entry = orjson.loads(body)
    if type(entry) is not dict or entry.get("format") != _FORMAT:
        return None
    rows, metrics, spans = entry["findings"], entry["metrics"], entry["paragraph_spans"]
    deductions, headings = entry["deductions"], entry["headings"]
    valid = (type(rows) is list and all(type(row) is list and tuple(map(type, row)) in _ROW_SIGNATURES for row in rows)
             and type(entry["profile"]) is str and type(entry["profile_reason"]) is str and type(entry["score"]) is int
             and type(entry["reasons"]) is list and all(type(r) is str for r in entry["reasons"])
             and (entry["reason_source"] is None or type(entry["reason_source"]) is str)
             and isinstance(entry["score_start"], _NUMBER)
             and type(metrics) is dict and all(isinstance(value, _NUMBER) for value in metrics.values())
             and _pairs(spans, int, int) and _pairs(headings, str, int)
             and (deductions is None or _pairs(deductions, str, _NUMBER)))
    if not valid:
        return None
    findings = tuple(Finding(*row[:_SEVERITY], Severity.parse(row[_SEVERITY]), *row[_SEVERITY + 1:]) for row in rows)
    return FileResult(name, entry["profile"], metrics, findings, paragraph_spans=tuple(map(tuple, spans)),
                      score=entry["score"], score_start=entry["score_start"],
                      deductions=None if deductions is None else tuple(map(tuple, deductions)),
                      headings=tuple(map(tuple, headings)), profile_reason=entry["profile_reason"],
                      reasons=tuple(entry["reasons"]), reason_source=entry["reason_source"])


def _pairs(value, first: type | tuple, second: type | tuple) -> bool:
    return type(value) is list and all(type(pair) is list and len(pair) == 2 and isinstance(pair[0], first)
                                       and isinstance(pair[1], second) for pair in value)


class ResultCache:
    """Results by letter. Every entry carries a MAC under this user's secret key: an entry's
    path depends only on public inputs, and one copied or committed into the cache folder by
    someone else does not verify (docs/cli.md, "The result cache")."""

    def __init__(self, directory: Path, setup_key: str):
        self.directory = directory
        self.setup_key = setup_key
        self._key: bytes | None | bool = False  # False: not looked up yet (once per cache, not per entry)

    def _path(self, data: bytes, name: str) -> Path:
        key = hashlib.sha256(self.setup_key.encode() + b"\0" + os.fsencode(name) + b"\0" + data).hexdigest()
        return self.directory / key[:2] / f"{key}.json"

    def _secret_key(self) -> bytes | None:
        if self._key is False:
            self._key = secret_key()
        return self._key

    def get(self, data: bytes, name: str) -> FileResult | None:
        """The stored result, or None: a missing, unreadable, unsigned or malformed entry only
        costs the time to lint the letter again."""
        key = self._secret_key()
        if key is None:
            return None
        path = self._path(data, name)
        try:
            body = unsealed(path.read_bytes(), key, path.stem)
            result = _result(body, name) if body is not None else None
        except FileNotFoundError:
            return None
        except (OSError, ValueError, LookupError, TypeError):  # not a file, not JSON, wrong shape
            result = None
        if result is None:
            with suppress(OSError):  # a cache the user cannot write keeps its bad entry
                path.unlink()
        return result

    def put(self, data: bytes, result: FileResult) -> None:
        import orjson

        key = self._secret_key()
        if key is None:
            return
        path = self._path(data, result.path)
        entry = {"format": _FORMAT, "profile": result.profile, "profile_reason": result.profile_reason,
                 "reasons": result.reasons, "reason_source": result.reason_source, "metrics": result.metrics,
                 "findings": [[f.severity.label if name == "severity" else getattr(f, name) for name in _FIELDS]
                              for f in result.findings],
                 "paragraph_spans": result.paragraph_spans, "score": result.score,
                 "score_start": result.score_start, "deductions": result.deductions, "headings": result.headings}
        try:
            self._prepare()
            path.parent.mkdir(exist_ok=True)
            atomic_write(path, sealed(orjson.dumps(entry), key, path.stem))
        except (OSError, TypeError):  # TypeError: a value orjson cannot write; the cache only costs time
            pass

    def packs(self) -> Path | None:
        """The folder for validated rule files, beside the results; None if it cannot be made."""
        try:
            self._prepare()
        except OSError:
            return None
        return self.directory / PACKS

    def _prepare(self) -> None:
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / ".gitignore").write_text("# Created by poalint\n*\n", "utf-8")
