"""`--diff-base REV`: keep only findings on lines changed since REV, so a gate over a large
template repository blames only what a pull request touched."""
from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

from poalint.errors import PoalintError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)
ALL_LINES = None  # a file git does not know yet: every line is new


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise PoalintError("--diff-base needs git, which is not installed") from None


def changed_lines(rev: str, path: Path) -> set[int] | None:
    """Lines of ``path`` (1-based) added or changed since ``rev``; ALL_LINES for a new file."""
    folder = path.resolve().parent
    known = _git(["ls-files", "--error-unmatch", path.name], folder)
    if known.returncode != 0:
        if _git(["rev-parse", "--git-dir"], folder).returncode != 0:
            raise PoalintError("--diff-base needs the letters to be in a git repository", path=str(path))
        return ALL_LINES
    diff = _git(["diff", "--unified=0", "--no-color", "--no-ext-diff", rev, "--", path.name], folder)
    if diff.returncode != 0:
        detail = (diff.stderr.strip().splitlines() or ["git diff failed"])[0]
        raise PoalintError(f"--diff-base {rev}: {detail}")
    lines: set[int] = set()
    for match in _HUNK.finditer(diff.stdout):
        start, count = int(match[1]), int(match[2]) if match[2] is not None else 1
        lines.update(range(start, start + count))
    return lines


def only_changed(result, rev: str):
    """The result with only the findings on changed lines; letter-level findings stay when the
    letter changed at all."""
    if result.error:
        return result
    lines = changed_lines(rev, Path(result.path))
    if lines is ALL_LINES:
        return result
    kept = tuple(f for f in result.findings
                 if (f.text is None and lines) or any(line in lines for line in range(f.line, f.end_line + 1)))
    return replace(result, findings=kept)
