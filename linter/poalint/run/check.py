"""One `poalint check` run: which files, which configuration and rules for each, and their results.

Rules, the spaCy pipeline and the linter are built only when a letter is not in the cache.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from poalint import __version__
from poalint.run.cache import ResultCache, default_dir
from poalint.fingerprint import code_fingerprint, files_fingerprint
from poalint.config import Config, discover, load_config
from poalint.errors import PoalintError, unknown_rule_id, with_path
from poalint.escaping import printable
from poalint.run.files import expand
from poalint.reporting.findings import FileResult, Severity
from poalint.reading.front_matter import LetterOptions, letter_options
from poalint.rules.packs import builtin_rules_dir, rule_files
from poalint.reading import letter_text, read_bytes, read_stdin, read_text

STDIN = "-"
_FORKED_RUN: "CheckRun | None" = None  # the run a forked worker belongs to


@dataclass
class _Pending:
    """A letter read and waiting for analysis."""

    name: str
    config: Config
    data: bytes
    text: str
    variables: object
    cache: ResultCache | None
    options: LetterOptions = LetterOptions()


#: The prefilter's RE2 Sets (poalint.rules.matching.prefilter) cost a run about 0.2 s before they pay:
#: building them and their automata's first states, against 3-6 ms saved per 2 KiB letter. In
#: fresh processes they broke even at about 24 letters (16: 0.59 s without, 0.82 s with; 24:
#: 0.87 s and 0.88 s; 32: 0.96 s and 0.71 s), so a run analysing fewer lints without them.
PREFILTER_MIN_LETTERS = 24

#: Forking the workers and gathering their results costs a run 20-50 ms. With 2 workers on 2 cores
#: it lost on 4 and 6 letters of 2 KiB that share no wording and paid from 8 (medians of 14
#: alternating runs: 4 letters 1.02 s in one process, 1.04 s in two; 6: 1.04 s and 1.09 s;
#: 8: 1.15 s and 1.02 s), so each worker gets at least this many letters, or the run has fewer.
MIN_LETTERS_PER_WORKER = 4


def _input_error(exc: PoalintError, name: str) -> FileResult:
    if exc.path != name:  # a rule or configuration error stops the whole run
        raise exc
    return FileResult(name, "", error=exc.reason(), skipped=exc.skip)


def _internal_error(exc: Exception, name: str) -> FileResult:
    """A bug or an exhausted resource (MemoryError, RecursionError) while reading or linting one
    letter: that letter's error line, and the run goes on. POALINT_DEBUG=1 shows the traceback."""
    if os.environ.get("POALINT_DEBUG"):
        raise exc
    detail = printable(str(exc))
    return FileResult(name, "", error=f"internal error: {type(exc).__name__}{': ' + detail if detail else ''} "
                                      "(set POALINT_DEBUG=1 for details)")


def _analyse_in_worker(pending: _Pending) -> FileResult:
    return _FORKED_RUN._analyse(pending)


@dataclass(frozen=True)
class CheckOptions:
    profile: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules_paths: tuple[Path, ...] = ()
    config_path: Path | None = None
    fail_on: str | None = None
    model: str | None = None
    stdin_name: str = "stdin.md"
    use_cache: bool = True
    template: bool = False
    vars_path: Path | None = None


@dataclass
class CheckRun:
    options: CheckOptions
    report_error: callable = print
    results: list[FileResult] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    raw: dict[str, bytes] = field(default_factory=dict)  # the bytes read, for --fix to write back like them
    #: Letters whose linted text is not a file's text (standard input, templates filled from --vars):
    #: --fix never writes them and --diff-base never diffs them.
    not_files: set[str] = field(default_factory=set)
    fail_levels: dict[str, Severity] = field(default_factory=dict)
    _configs: dict = field(default_factory=dict)
    _rulesets: dict = field(default_factory=dict)
    _linters: dict = field(default_factory=dict)
    #: Rules as a letter's front matter sets them, compiled, by configuration, rule and settings.
    _reconfigured: dict = field(default_factory=dict)
    _letters_to_analyse: int = 0
    _pipelines: dict = field(default_factory=dict)
    _caches: dict = field(default_factory=dict)

    # Configuration and rules ---------------------------------------------------------------
    def config_for(self, where: Path) -> Config:
        folder = where if where.is_dir() else where.parent
        if folder not in self._configs:
            config = load_config(self.options.config_path) if self.options.config_path else discover(folder.resolve())
            if config.ignored:  # each untrusted configuration file is one warning in a run
                warned = {warning for earlier in self._configs.values() for warning in earlier.ignored}
                for warning in (w for w in config.ignored if w not in warned):
                    self.report_error(f"poalint: warning: {warning}")
            self._configs[folder] = config
        return self._configs[folder]

    def ruleset(self, config: Config):
        if config not in self._rulesets:
            from poalint.rules.ruleset import load_ruleset

            cache = self._cache(config).packs() if self.options.use_cache else None
            self._rulesets[config] = load_ruleset(config, self.options.rules_paths, self.options.select,
                                                  self.options.ignore, cache=cache)
        return self._rulesets[config]

    def active_rules(self) -> tuple:
        """Every rule of every configuration in this run (loads rules that the cache spared)."""
        rules = {r.id: r for config in set(self._configs.values()) for r in self.ruleset(config).rules}
        return tuple(rules.values())

    def _linter(self, config: Config):
        if config not in self._linters:
            from poalint.rules.engine import Linter
            from poalint.analysis.pipeline import Pipeline

            model = self.options.model or config.model
            if model not in self._pipelines:
                self._pipelines[model] = Pipeline.load(model)
            self._linters[config] = Linter(self.ruleset(config), self._pipelines[model],
                                           config.require_suppression_reason,
                                           prefilter=self._letters_to_analyse >= PREFILTER_MIN_LETTERS)
        return self._linters[config]

    def _cache(self, config: Config) -> ResultCache:
        if config not in self._caches:
            o = self.options
            locations = [builtin_rules_dir(), *config.rule_paths, *o.rules_paths]
            inputs = [p for location in locations for p in rule_files(location)]
            if config.path:
                inputs.append(config.path)
            if o.vars_path:
                inputs.append(o.vars_path)
            setup = "\0".join([__version__, code_fingerprint(), files_fingerprint(inputs), repr(o.select),
                               repr(o.ignore), str(o.profile or config.profile), str(o.model or config.model),
                               str(o.template), str(o.vars_path), sys.version.split()[0]])
            self._caches[config] = ResultCache(default_dir(config.root), setup)
        return self._caches[config]

    # Linting --------------------------------------------------------------------------------
    def jobs(self, paths: list[str]) -> list:
        inputs = [p if p == STDIN else Path(p) for p in paths]
        files = expand([p for p in inputs if p != STDIN], self.config_for)
        return ([STDIN] if STDIN in inputs else []) + files

    def lint_all(self, jobs: list, workers: int = 1) -> None:
        """Lint every job, in order. Letters the cache does not hold are analysed by up to
        ``workers`` forked processes, as many as have MIN_LETTERS_PER_WORKER letters each."""
        slots: list[FileResult | _Pending] = [self._prepare(job) for job in jobs]
        pending = [slot for slot in slots if isinstance(slot, _Pending)]
        self._letters_to_analyse = len(pending)
        for slot in pending:
            self._linter(slot.config)  # built once, before any fork, so workers inherit it
        analysed = iter(self._analyse_all(pending, workers))
        for slot in slots:
            result = next(analysed) if isinstance(slot, _Pending) else slot
            if isinstance(slot, _Pending) and result.error is None and slot.cache:
                slot.cache.put(slot.data, result)
            if result.error:
                level = "warning" if result.skipped else "error"
                note = "; skipped" if result.skipped else ""
                self.report_error(f"poalint: {level}: {with_path(result.path, result.error)}{note}")
            self.results.append(result)

    def _prepare(self, job) -> FileResult | _Pending:
        """A cached result, an unreadable file's result, or the letter still to analyse."""
        name = self.options.stdin_name if job == STDIN else str(job)
        config = self.config_for(Path(name) if job == STDIN else job)
        self.fail_levels[name] = Severity.parse(self.options.fail_on or config.fail_on or "error")
        # Rule and configuration problems surface before any letter is read.
        cache = self._cache(config) if self.options.use_cache else None
        if cache is None:
            self.ruleset(config)
        try:
            data = read_stdin(name, config.max_file_size) if job == STDIN else read_bytes(job, config.max_file_size)
            letter = letter_text(data, name)
            options = letter_options(letter, name)
            text, variables = self._letter_text(letter, name, config, options.template)
            text = letter.with_text(text)  # keeps the reader's notes (and a .docx layout) through templates
            cached = cache.get(data, name) if cache else None
        except PoalintError as exc:
            return _input_error(exc, name)
        except Exception as exc:
            return _internal_error(exc, name)
        self.sources[name] = text
        self.raw[name] = data
        if job == STDIN or text != letter:
            self.not_files.add(name)
        return cached or _Pending(name, config, data, text, variables, cache, options)

    def _analyse(self, pending: _Pending) -> FileResult:
        try:
            document = read_text(pending.text, pending.name, self.ruleset(pending.config).roles, pending.variables)
            profile = self.options.profile or pending.options.profile or pending.config.profile
            return self._linter(pending.config).lint(document, profile, adjust=self._letter_rules(pending))
        except PoalintError as exc:
            return _input_error(exc, pending.name)
        except Exception as exc:  # in a forked worker too: the parent gets the letter's error line
            return _internal_error(exc, pending.name)

    def _letter_rules(self, pending: _Pending):
        """How a letter's front matter changes the rules run on it (None: it doesn't)."""

        options = pending.options
        if not (options.ignore or options.rules):
            return None
        ruleset, linter = self.ruleset(pending.config), self._linter(pending.config)
        for rule_id in (*options.ignore, *options.rules):
            if rule_id not in ruleset.known_ids:
                raise PoalintError(unknown_rule_id(rule_id, ruleset.known_ids, "the front matter"), path=pending.name,
                                   line=options.line)

        def adjust(rules):
            chosen = []
            for rule in rules:
                if rule.id in options.ignore:
                    continue
                if rule.id in options.rules:
                    rule = self._reconfigure(pending, rule, linter)
                    if rule is None:
                        continue
                chosen.append(rule)
            return chosen
        return adjust

    def _reconfigure(self, pending: _Pending, rule, linter):
        """The rule with the letter's front-matter settings, compiled once per run for all the
        letters that set it alike (a compiled rule also keeps its matches in the Docs it read)."""
        from poalint.rules.ruleset import reconfigure

        settings = pending.options.rules[rule.id]
        try:
            # Validated before anything else reads them: only then is their size the letter's.
            changed = reconfigure(rule, settings)
        except PoalintError as exc:
            raise PoalintError(f"{exc.detail} (in the front matter's settings for {rule.id})",
                               path=pending.name, line=pending.options.line, key=exc.key) from None
        key = (pending.config, rule, json.dumps(settings, sort_keys=True, default=str))
        if key not in self._reconfigured:
            if changed is not None:
                changed.compile(linter.pipeline)
            self._reconfigured[key] = changed
        return self._reconfigured[key]

    def _analyse_all(self, pending: list[_Pending], workers: int) -> list[FileResult]:
        if not pending:
            return []  # every result came from the cache
        import multiprocessing

        workers = min(workers, len(pending) // MIN_LETTERS_PER_WORKER)
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return [self._analyse(p) for p in pending]
        global _FORKED_RUN
        _FORKED_RUN = self
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                chunk = max(1, min(32, len(pending) // (workers * 4)))
                return pool.map(_analyse_in_worker, pending, chunksize=chunk)
        finally:
            _FORKED_RUN = None

    def _letter_text(self, source: str, name: str, config: Config, template: bool = False):
        """(text to lint, template variable pattern or None): the letter as written, or in
        template mode with its variables left to be neutralised or, given a vars file, filled in."""
        # With `templates:` declared, only those files are templates (and take --vars); otherwise
        # --template or --vars makes every letter of the run one.
        declared = config.is_template(Path(name)) if config.templates else self.options.vars_path is not None
        if not (self.options.template or template or declared):
            return source, None
        from poalint.reading.template import load_values, render, variable_pattern

        try:
            pattern = variable_pattern(config.template_variable)
        except PoalintError as exc:
            raise PoalintError(exc.detail, path=str(config.path), key=exc.key) from None
        if self.options.vars_path:
            values = load_values(self.options.vars_path)
            return render(source, name, pattern, values, self.options.vars_path), None
        return source, pattern

    def broken(self) -> bool:
        """Exit code 2: a letter could not be read, or nothing at all could be linted (files that
        are not letters, binary or too large, are only skipped)."""
        return any(r.error and not r.skipped for r in self.results) or \
            (bool(self.results) and all(r.error for r in self.results))

    def failing(self) -> bool:
        return any(f.severity >= self.fail_levels[r.path] for r in self.results for f in r.findings)
