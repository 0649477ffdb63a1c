"""`--diff-base REV`: keep only findings on lines changed since REV, so a gate over a large
template repository blames only what a pull request touched."""
from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

from poalint.errors import PoalintError
from poalint.reading import EXTENSIONS

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)
#: `--numstat` counts `-` added and `-` deleted lines for a file git cannot diff as text.
_BINARY = re.compile(r"-\t-\t")
ALL_LINES = None  # a file git does not know yet, or cannot diff line by line: every line is new
_TIMEOUT = 60


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        # `replace`: only hunk headers are read, and a letter's lines may be in any encoding.
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, encoding="utf-8", errors="replace",
                              timeout=_TIMEOUT)
    except FileNotFoundError:
        raise PoalintError("--diff-base needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise PoalintError(f"git {args[0]} did not answer within {_TIMEOUT} s", key="--diff-base") from None


def _commit(rev: str, folder: Path) -> str:
    """The commit ``rev`` names, as a hash; a one-line error if it names none. The hash, not the
    text given, reaches `git diff`, so a revision such as `--output=FILE` is never an option."""
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], folder)
    if found.returncode == 0:
        return found.stdout.strip()
    if _git(["rev-parse", "--git-dir"], folder).returncode != 0:
        raise PoalintError("--diff-base needs the letters to be in a git repository", path=str(folder))
    raise PoalintError("not a commit in this repository", key=f"--diff-base {rev}")


def changed_lines(rev: str, path: Path) -> set[int] | None:
    """Lines of ``path`` (1-based) added or changed since ``rev``; ALL_LINES for a new file, a
    Word letter, or a file git calls binary (its line numbers are not the letter's)."""
    folder = path.resolve().parent
    commit = _commit(rev, folder)
    if _git(["ls-files", "--error-unmatch", "--", path.name], folder).returncode != 0:
        return ALL_LINES
    diff = _git(["diff", "--numstat", "--patch", "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv",
                 "--end-of-options", commit, "--", path.name], folder)
    if diff.returncode != 0:
        detail = (diff.stderr.strip().splitlines() or ["git diff failed"])[0]
        raise PoalintError(f"git diff: {detail}", key=f"--diff-base {rev}")
    if not diff.stdout:
        return set()
    if _BINARY.match(diff.stdout) or EXTENSIONS.get(path.suffix.lower()) == "docx":
        return ALL_LINES
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
