"""One `poalint check` run: which letters, and their results in order.

Each job is prepared (poalint.run.prepare) with what the session (poalint.run.session) built for
its configuration; the letters the cache does not hold are then analysed (poalint.run.workers).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from poalint.errors import with_path
from poalint.reporting.findings import FileResult, Severity
from poalint.run.files import expand
from poalint.run.prepare import STDIN, Cached, Pending, job_name, prepare
from poalint.run.session import CheckOptions, Session
from poalint.run.workers import analyse_all


@dataclass
class CheckRun:
    options: CheckOptions
    report_error: Callable[[str], None] = print
    results: list[FileResult] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    raw: dict[str, bytes] = field(default_factory=dict)  # the bytes read, for --fix to write back like them
    #: Letters whose linted text is not a file's text (standard input, templates filled from --vars):
    #: --fix never writes them and --diff-base never diffs them.
    not_files: set[str] = field(default_factory=set)
    #: The lowest severity that fails each letter (--fail-on, or its configuration's fail_on).
    fail_levels: dict[str, Severity] = field(default_factory=dict)
    session: Session = field(init=False)

    def __post_init__(self):
        self.session = Session(self.options, self.report_error)

    def jobs(self, paths: list[str]) -> list:
        inputs = [p if p == STDIN else Path(p) for p in paths]
        files = expand([p for p in inputs if p != STDIN], self.session.config_for)
        return ([STDIN] if STDIN in inputs else []) + files

    def active_rules(self) -> tuple:
        return self.session.active_rules()

    def lint_all(self, jobs: list, workers: int = 1) -> None:
        """Lint every job, in order, reporting each letter that cannot be linted on one line."""
        slots = [self._prepare(job) for job in jobs]
        pending = [slot for slot in slots if isinstance(slot, Pending)]
        for letter in pending:
            self.session.linter(letter.config)  # built once, before any fork, so workers inherit it
        analysed = iter(analyse_all(self.session, pending, workers))
        for slot in slots:
            if isinstance(slot, Pending):
                result = next(analysed)
            else:
                result = slot.result if isinstance(slot, Cached) else slot
            if isinstance(slot, Pending) and result.error is None and slot.cache:
                slot.cache.put(slot.data, result)
            if result.error:
                level = "warning" if result.skipped else "error"
                note = "; skipped" if result.skipped else ""
                self.report_error(f"poalint: {level}: {with_path(result.path, result.error)}{note}")
            self.results.append(result)

    def _prepare(self, job) -> FileResult | Cached | Pending:
        name = job_name(job, self.options)
        config = self.session.config_for(Path(name) if job == STDIN else job)
        self.fail_levels[name] = Severity.parse(self.options.fail_on or config.fail_on or "error")
        cache = self.session.cache(config) if self.options.use_cache else None
        if cache is None:
            self.session.ruleset(config)  # rule and configuration problems surface before any letter is read
        prepared = prepare(job, config, cache, self.options)
        letter = prepared.letter if isinstance(prepared, Cached) else prepared
        if isinstance(letter, Pending):
            self.sources[name] = letter.text
            self.raw[name] = letter.data
            if not letter.is_file:
                self.not_files.add(name)
        return prepared
