"""The result cache: a re-run over unchanged letters reads stored findings and never loads spaCy.

An entry is keyed on the letter's bytes, every input that shapes the findings (rule files,
configuration, options, model) and poalint's own code. Entries are written atomically; an entry
that cannot be read back is discarded, never trusted.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from poalint.atomic import atomic_write
from poalint.findings import FileResult, Finding, Severity

CACHE_DIR_NAME = ".poalint_cache"
#: The sub-folder of validated rule files (poalint.pack_cache).
PACKS = "packs"
_FORMAT = 4  # 2: paragraph_spans; 3: score; 4: findings as rows
#: A finding is stored as the row of its fields' values, in order (a mapping per finding would
#: repeat every field name: reading 1,000 entries spent a fifth of its time on them).
_FIELDS = Finding._fields
_SEVERITY = _FIELDS.index("severity")


def default_dir(root: Path) -> Path:
    return Path(os.environ["POALINT_CACHE_DIR"]) if os.environ.get("POALINT_CACHE_DIR") else root / CACHE_DIR_NAME


def existing_packs(root: Path) -> Path | None:
    """The rule-file cache of a project whose cache folder exists already: commands that lint no
    letter (`rules`, `explain`, `test-rules`) use it, but never create a cache folder."""
    directory = default_dir(root)
    return directory / PACKS if directory.is_dir() else None


class ResultCache:
    def __init__(self, directory: Path, setup_key: str):
        self.directory = directory
        self.setup_key = setup_key

    def _path(self, data: bytes, name: str) -> Path:
        key = hashlib.sha256(self.setup_key.encode() + b"\0" + os.fsencode(name) + b"\0" + data).hexdigest()
        return self.directory / key[:2] / f"{key}.json"

    def get(self, data: bytes, name: str) -> FileResult | None:
        import orjson  # here, not at the top: `rules` and `explain` import this module but read no entry

        path = self._path(data, name)
        try:
            entry = orjson.loads(path.read_bytes())
            if entry.get("format") != _FORMAT:
                raise ValueError("old format")
            findings = tuple(Finding(*row[:_SEVERITY], Severity.parse(row[_SEVERITY]), *row[_SEVERITY + 1:])
                             for row in entry["findings"])
            spans = tuple((int(start), int(end)) for start, end in entry["paragraph_spans"])
            return FileResult(name, entry["profile"], entry["metrics"], findings, paragraph_spans=spans,
                              score=int(entry["score"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, LookupError, TypeError, AttributeError):  # AttributeError: not a mapping
            path.unlink(missing_ok=True)  # corrupt or foreign: recompute
            return None

    def put(self, data: bytes, result: FileResult) -> None:
        import orjson

        path = self._path(data, result.path)
        entry = {"format": _FORMAT, "profile": result.profile, "metrics": result.metrics,
                 "findings": [[f.severity.label if name == "severity" else getattr(f, name) for name in _FIELDS]
                              for f in result.findings],
                 "paragraph_spans": [list(span) for span in result.paragraph_spans], "score": result.score}
        try:
            self._prepare()
            path.parent.mkdir(exist_ok=True)
            atomic_write(path, orjson.dumps(entry))
        except OSError:
            pass  # a cache that cannot be written only costs time

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
