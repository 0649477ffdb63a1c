"""How a `poalint check` run ends: its fixes (--fix, --diff), the findings it keeps (--diff-base)
and its exit code (--fail-on, --fail-under, --exit-zero, letters that could not be linted)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from poalint.errors import PoalintError, with_path
from poalint.run.check import CheckRun
from poalint.run.diff import only_changed
from poalint.run.fix import encode_like, plan, unified_diff, write_fixed
from poalint.run.prepare import STDIN


@dataclass
class Outcome:
    run: CheckRun
    unsafe_fixes: bool = False  # --fix and --diff apply the replacements not marked safe too
    diff_base: str | None = None
    fail_under: int | None = None
    exit_zero: bool = False
    fixes_refused: bool = False  # a letter's fixes could not be written

    def show_fixes(self, write: Callable[[str], None]) -> int:
        """--diff: write the fixes as a unified diff, changing no file; the exit code."""
        count = 0
        for path, before, after, fixes in self._plan():
            write(unified_diff(path, before, after))
            count += len(fixes)
        self.run.report_error(f"poalint: {count} fix{'es' if count != 1 else ''} available")
        return 1 if count else 0

    def apply_fixes(self, jobs: list, workers: int) -> None:
        """--fix: write the fixes atomically, in each letter's own encoding, then lint the letters
        again. A letter that cannot be written is one line on stderr, and the exit code 2."""
        run, fixed = self.run, 0
        for path, _, after, fixes in self._plan():
            data = encode_like(after, run.raw[path])
            if data is None:
                run.report_error(f"poalint: warning: {path}: a fix cannot be written in the letter's encoding; "
                                 "left as it was")
                continue
            try:
                write_fixed(Path(path), data, run.raw[path])
            except PoalintError as exc:
                self.fixes_refused = True
                run.report_error(f"poalint: error: {exc}")
                continue
            fixed += len(fixes)
        run.report_error(f"poalint: fixed {fixed} finding{'s' if fixed != 1 else ''}")
        if fixed:
            self.run = CheckRun(run.options, report_error=run.report_error)
            self.run.lint_all([job for job in jobs if job != STDIN], workers)

    def keep_changed_lines(self) -> None:
        """--diff-base: keep only the findings on lines changed since that revision."""
        if self.diff_base:
            run = self.run
            run.results = [r if r.path in run.not_files else only_changed(r, self.diff_base) for r in run.results]

    def broken(self) -> bool:
        """Exit code 2: a letter could not be read, or nothing at all could be linted (files that
        are not letters, binary or too large, are only skipped)."""
        results = self.run.results
        return any(r.error and not r.skipped for r in results) or (bool(results) and all(r.error for r in results))

    def failing(self) -> bool:
        """A finding at or above its letter's --fail-on severity."""
        levels = self.run.fail_levels
        return any(f.severity >= levels[r.path] for r in self.run.results for f in r.findings)

    def under_fail_under(self) -> list:
        return [r for r in self.run.results if self.fail_under is not None and r.score is not None
                and r.score < self.fail_under]

    def exit_code(self) -> int:
        """2 when a letter could not be linted or fixed; otherwise 1 for a failing finding or a
        score under --fail-under (each such letter one line on stderr), unless --exit-zero."""
        if self.broken() or self.fixes_refused:
            return 2
        under = self.under_fail_under()
        for r in under:
            self.run.report_error(
                f"poalint: {with_path(r.path, f'readiness score {r.score} is under --fail-under {self.fail_under}')}")
        return 1 if (self.failing() or under) and not self.exit_zero else 0

    def _plan(self):
        run = self.run
        return plan(run.results, run.sources, run.raw, self.unsafe_fixes, run.not_files)
