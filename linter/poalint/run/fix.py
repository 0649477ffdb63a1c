"""`--fix`: apply the replacements of substitution findings, touching nothing outside their spans.

Written back in the letter's own encoding (UTF-8 with or without BOM, UTF-16 with BOM, or
Windows-1252) and, since replacements never hold line breaks, with its own line endings.
"""
from __future__ import annotations

import codecs
import difflib
import os
from pathlib import Path

from poalint.atomic import atomic_file
from poalint.errors import PoalintError
from poalint.reporting.findings import Finding


def fixable(findings, unsafe: bool) -> list[Finding]:
    """The findings whose fix may be applied, in text order, without overlaps."""
    chosen: list[Finding] = []
    for finding in sorted(f for f in findings if f.fix is not None and (f.fix_safe or unsafe)):
        if not chosen or finding.start >= chosen[-1].end:
            chosen.append(finding)
    return chosen


def apply(text: str, fixes: list[Finding]) -> str:
    parts, cursor = [], 0
    for finding in fixes:
        parts += [text[cursor:finding.start], finding.fix]
        cursor = finding.end
    return "".join(parts) + text[cursor:]


def encode_like(text: str, original: bytes) -> bytes | None:
    """``text`` in the encoding ``original`` was read with, or None when it cannot be written so."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                       (codecs.BOM_UTF8, "utf-8")):
        if original.startswith(bom):
            return bom + text.encode(codec)
    try:
        original.decode("utf-8")
        return text.encode("utf-8")
    except UnicodeDecodeError:
        try:
            return text.encode("cp1252")
        except UnicodeEncodeError:
            return None


def write_fixed(path: Path, data: bytes, linted: bytes) -> None:
    """Replace the letter at ``path`` with ``data`` (atomically, keeping links, mode and owner),
    unless the user may not write it, or it no longer holds the bytes ``linted`` that the fixes
    were computed from: an edit saved while poalint ran is never overwritten."""
    try:
        if not _writable(path):
            raise PoalintError("the file is read-only for you; not fixed", path=str(path))
        with atomic_file(path, "wb") as out:
            out.write(data)
            # Checked last, once the new text is written out beside it, to leave the smallest window.
            with open(path, "rb") as current:
                if current.read(len(linted) + 1) != linted:
                    raise PoalintError("changed since poalint read it; not fixed (run --fix again)", path=str(path))
    except OSError as exc:
        raise PoalintError(f"cannot write the fixes: {exc.strerror or exc}; not fixed", path=str(path)) from None


def _writable(path: Path) -> bool:
    """Whether the user may write ``path``. Root may write any file, so for root a file with no
    write bit at all counts as read-only, as it does for `rm` and editors."""
    if os.geteuid() == 0:
        return bool(os.stat(path).st_mode & 0o222)
    return os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=f"a/{path}", tofile=f"b/{path}"))


def plan(results, sources: dict[str, str], raw: dict[str, bytes], unsafe: bool, skip: set[str]):
    """(path, text before, text after, fixes) for every letter with a fix to apply."""
    for result in results:
        if result.error or result.path in skip or result.path.lower().endswith(".docx"):
            continue
        fixes = fixable(result.findings, unsafe)
        if fixes and result.path in raw:
            before = sources[result.path]
            yield result.path, before, apply(before, fixes), fixes
