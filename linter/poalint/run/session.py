"""What one `poalint check` run builds once and shares between its letters: configurations, rule
sets, result caches, spaCy pipelines, linters, and rules as letters' front matter sets them.

Rule sets, pipelines and linters are built only when asked for, so a run whose letters all come
from the cache never loads them.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from poalint import __version__
from poalint.config import Config, discover, load_config
from poalint.errors import PoalintError, unknown_reason
from poalint.fingerprint import code_fingerprint, files_fingerprint, model_fingerprint
from poalint.rules.packs import builtin_rules_dir, rule_files
from poalint.run.cache import ResultCache, default_dir


@dataclass(frozen=True)
class CheckOptions:
    profile: str | None = None
    #: --reason: the suspension reasons the letters answer (none: detect each letter's).
    reasons: tuple[str, ...] = ()
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
class Session:
    options: CheckOptions
    report_error: Callable[[str], None] = print
    _configs: dict = field(default_factory=dict)  # by folder
    _rulesets: dict = field(default_factory=dict)  # by configuration
    _caches: dict = field(default_factory=dict)  # by configuration
    _pipelines: dict = field(default_factory=dict)  # by model
    _linters: dict = field(default_factory=dict)  # by configuration
    #: Rules as a letter's front matter sets them, compiled, by configuration, rule and settings.
    _reconfigured: dict = field(default_factory=dict)

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
            # Here, not at the top: loading rules imports YAML, which a fully cached run never needs.
            from poalint.rules.ruleset import load_ruleset

            packs = self.cache(config).packs() if self.options.use_cache else None
            ruleset = load_ruleset(config, self.options.rules_paths, self.options.select, self.options.ignore,
                                   cache=packs)
            for reason in self.options.reasons:
                if reason not in ruleset.reasons:
                    raise PoalintError(unknown_reason(reason, ruleset.reasons, "--reason"))
            self._rulesets[config] = ruleset
        return self._rulesets[config]

    def active_rules(self) -> tuple:
        """Every rule of every configuration in this run (loads rules that the cache spared)."""
        rules = {r.id: r for config in set(self._configs.values()) for r in self.ruleset(config).rules}
        return tuple(rules.values())

    def cache(self, config: Config) -> ResultCache:
        """The result cache for letters under ``config``, keyed on every input that shapes findings."""
        if config not in self._caches:
            o = self.options
            locations = [builtin_rules_dir(), *config.rule_paths, *o.rules_paths]
            inputs = [p for location in locations for p in rule_files(location)]
            if config.path:
                inputs.append(config.path)
            if o.vars_path:
                inputs.append(o.vars_path)
            setup = "\0".join([__version__, code_fingerprint(), model_fingerprint(), files_fingerprint(inputs), repr(o.select),
                               repr(o.ignore), repr(o.reasons), str(o.profile or config.profile), str(o.model or config.model),
                               str(o.template), str(o.vars_path), sys.version.split()[0]])
            self._caches[config] = ResultCache(default_dir(config.root), setup)
        return self._caches[config]

    def linter(self, config: Config):
        if config not in self._linters:
            # Here, not at the top: the engine imports YAML and RE2, and the analysis modules, which
            # a fully cached run never needs.
            from poalint.analysis.pipeline import Pipeline
            from poalint.rules.engine import Linter

            model = self.options.model or config.model
            if model not in self._pipelines:
                self._pipelines[model] = Pipeline.load(model)
            self._linters[config] = Linter(self.ruleset(config), self._pipelines[model],
                                           config.require_suppression_reason)
        return self._linters[config]

    def reconfigured(self, config: Config, rule, settings: dict, name: str, line: int | None):
        """``rule`` with a letter's front-matter ``settings``, compiled once per run for all the
        letters that set it alike (a compiled rule also keeps its matches in the Docs it read);
        None when the settings turn it off."""
        from poalint.rules.ruleset import reconfigure  # imports YAML: see ruleset() above

        try:
            # Validated before anything else reads them: only then is their size the letter's.
            changed = reconfigure(rule, settings)
        except PoalintError as exc:
            raise PoalintError(f"{exc.detail} (in the front matter's settings for {rule.id})",
                               path=name, line=line, key=exc.key) from None
        key = (config, rule, json.dumps(settings, sort_keys=True, default=str))
        if key not in self._reconfigured:
            if changed is not None:
                changed.compile(self.linter(config).pipeline)
            self._reconfigured[key] = changed
        return self._reconfigured[key]
