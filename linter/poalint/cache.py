"""The result cache: a re-run over unchanged letters reads stored findings and never loads spaCy.

An entry is keyed on the letter's bytes, every input that shapes the findings (rule files,
configuration, options, model) and poalint's own code. Entries are written atomically; an entry
that cannot be read back is discarded, never trusted.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from poalint.atomic import atomic_write
from poalint.engine import FileResult
from poalint.findings import Finding, Severity

CACHE_DIR_NAME = ".poalint_cache"
_FORMAT = 3  # 2: paragraph_spans; 3: score


def default_dir(root: Path) -> Path:
    return Path(os.environ["POALINT_CACHE_DIR"]) if os.environ.get("POALINT_CACHE_DIR") else root / CACHE_DIR_NAME


def code_fingerprint() -> str:
    """poalint's own source: a changed engine must not reuse results of the old one."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def files_fingerprint(paths) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


class ResultCache:
    def __init__(self, directory: Path, setup_key: str):
        self.directory = directory
        self.setup_key = setup_key

    def _path(self, data: bytes, name: str) -> Path:
        key = hashlib.sha256(self.setup_key.encode() + b"\0" + name.encode() + b"\0" + data).hexdigest()
        return self.directory / key[:2] / f"{key}.json"

    def get(self, data: bytes, name: str) -> FileResult | None:
        path = self._path(data, name)
        try:
            entry = json.loads(path.read_text("utf-8"))
            if entry.get("format") != _FORMAT:
                raise ValueError("old format")
            findings = tuple(Finding(**{**f, "severity": Severity.parse(f["severity"])}) for f in entry["findings"])
            spans = tuple((int(start), int(end)) for start, end in entry["paragraph_spans"])
            return FileResult(name, entry["profile"], entry["metrics"], findings, paragraph_spans=spans,
                              score=int(entry["score"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):  # AttributeError: not a mapping
            path.unlink(missing_ok=True)  # corrupt or foreign: recompute
            return None

    def put(self, data: bytes, result: FileResult) -> None:
        path = self._path(data, result.path)
        entry = {"format": _FORMAT, "profile": result.profile, "metrics": result.metrics,
                 "findings": [{**asdict(f), "severity": f.severity.label} for f in result.findings],
                 "paragraph_spans": [list(span) for span in result.paragraph_spans], "score": result.score}
        try:
            self._prepare()
            path.parent.mkdir(exist_ok=True)
            atomic_write(path, json.dumps(entry).encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _prepare(self) -> None:
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / ".gitignore").write_text("# Created by poalint\n*\n", "utf-8")
