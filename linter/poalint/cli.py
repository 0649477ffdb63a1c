"""The `poalint` command. Heavy modules (spaCy, textstat) are imported only by commands that lint."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from poalint import __version__
from poalint.errors import PoalintError
from poalint.reporters import FORMATS

FAIL_ON = click.Choice(["error", "warning", "info"])


def _split_ids(values: tuple[str, ...]) -> tuple[str, ...]:
    """--select a,b --select c → (a, b, c)."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _ruleset_for(config, rules_paths, select=(), ignore=()):
    from poalint.ruleset import load_ruleset

    return load_ruleset(config, tuple(Path(p) for p in rules_paths), select, ignore)


def _config(config_path: str | None, where: Path):
    from poalint.config import discover, load_config

    return load_config(Path(config_path)) if config_path else discover(where.resolve())


class _Group(click.Group):
    """Turns every expected failure into one line on stderr and exit code 2, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PoalintError as exc:
            click.echo(f"poalint: error: {exc}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.exceptions.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:  # POALINT_DEBUG=1 shows the traceback
            if os.environ.get("POALINT_DEBUG"):
                raise
            click.echo(f"poalint: internal error: {type(exc).__name__}: {exc} "
                       "(set POALINT_DEBUG=1 for details)", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="poalint")
def cli() -> None:
    """poalint: lint Amazon seller appeal letters (Plans of Action and escalations)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--profile", type=click.Choice(["auto", "poa", "escalation"]),
              help="Which rules apply. auto (default) picks escalation when the letter presents itself as one.")
@click.option("--select", multiple=True, metavar="RULE[,RULE]", help="Run only these rules.")
@click.option("--ignore", multiple=True, metavar="RULE[,RULE]", help="Skip these rules.")
@click.option("--rules", "rules_paths", multiple=True, type=click.Path(), metavar="PATH",
              help="Extra rule file or pack (folder); repeatable.")
@click.option("--config", "config_path", type=click.Path(), help="Configuration file (default: nearest .poalint.yaml).")
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default="text", show_default=True)
@click.option("--fail-on", type=FAIL_ON, help="Lowest severity that makes the exit code 1 (default: error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("--model", help="An installed trained spaCy pipeline to use instead of the default blank one.")
@click.option("--stdin-filename", help="Name (and so format) of the letter read from '-'.")
@click.option("-q", "--quiet", is_flag=True, help="Only the finding lines and the summary.")
@click.option("--no-color", is_flag=True, help="No colour (also when NO_COLOR is set).")
def check(paths, profile, select, ignore, rules_paths, config_path, output_format, fail_on, exit_zero,
          model, stdin_filename, quiet, no_color):
    """Lint letters (.md, .txt); directories are searched; '-' reads standard input."""
    from poalint.engine import FileResult, Linter
    from poalint.files import expand
    from poalint.findings import Severity
    from poalint.nlp import Pipeline
    from poalint.readers import decode, read_file, read_text
    from poalint.reporters import ReportContext, renderer

    select, ignore = _split_ids(select), _split_ids(ignore)
    stdin_name = stdin_filename or "stdin.md"
    inputs = [p if p == "-" else Path(p) for p in paths]
    configs = {}

    def config_for(where: Path):
        key = where if where.is_dir() else where.parent
        if key not in configs:
            configs[key] = _config(config_path, key)
        return configs[key]

    files = expand([p for p in inputs if p != "-"], config_for)
    jobs = (["-"] if "-" in inputs else []) + files
    if not jobs:
        click.echo("poalint: warning: no letters (.md, .markdown, .txt) found in the given paths", err=True)
    rulesets, linters, pipelines = {}, {}, {}
    results, sources, fail_levels = [], {}, {}
    for job in jobs:
        config = config_for(Path(stdin_name).parent if job == "-" else job)
        if config not in rulesets:
            rulesets[config] = _ruleset_for(config, rules_paths, select, ignore)
        ruleset = rulesets[config]
        name = stdin_name if job == "-" else str(job)
        fail_levels[name] = Severity.parse(fail_on or config.fail_on or "error")
        try:
            if job == "-":
                document = read_text(decode(sys.stdin.buffer.read(), name), name, ruleset.roles)
            else:
                document = read_file(job, ruleset.roles)
        except PoalintError as exc:
            click.echo(f"poalint: error: {exc}", err=True)
            results.append(FileResult(name, "", error=exc.detail))
            continue
        model_name = model or config.model
        if model_name not in pipelines:
            pipelines[model_name] = Pipeline.load(model_name)
        if config not in linters:
            linters[config] = Linter(ruleset, pipelines[model_name])
        results.append(linters[config].lint(document, profile or config.profile))
        sources[name] = document.source

    color = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty() and output_format == "text"
    active = {rule.id: rule for ruleset in rulesets.values() for rule in ruleset.rules}
    context = ReportContext(__version__, color=color, quiet=quiet, sources=sources, rules=tuple(active.values()))
    click.echo(renderer(output_format)(results, context), nl=False)
    if any(r.error for r in results):
        sys.exit(2)
    failing = any(f.severity >= fail_levels[r.path] for r in results for f in r.findings)
    sys.exit(1 if failing and not exit_zero else 0)


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
@click.option("--rules", "rules_paths", multiple=True, type=click.Path(), metavar="PATH", help="Extra rule file or pack.")
@click.option("--config", "config_path", type=click.Path(), help="Configuration file.")
def list_rules(output_format, rules_paths, config_path):
    """List the rules: id, kind, severity, profile, pack and summary."""
    ruleset = _ruleset_for(_config(config_path, Path.cwd()), rules_paths)
    if output_format == "markdown":
        from poalint.reference import markdown

        click.echo(markdown(ruleset.rules), nl=False)
        return
    width = max((len(r.id) for r in ruleset.rules), default=10)
    for r in ruleset.rules:
        click.echo(f"{r.id:<{width}}  {r.kind:<15} {r.severity.label:<7}  {r.profile:<10} {r.origin.pack:<8} {r.summary}")


@cli.command()
@click.argument("rule_id")
@click.option("--rules", "rules_paths", multiple=True, type=click.Path(), metavar="PATH", help="Extra rule file or pack.")
def explain(rule_id, rules_paths):
    """Explain a rule: why it exists, examples, how to disable it."""
    from poalint.reference import explain as render

    click.echo(render(_ruleset_for(_config(None, Path.cwd()), rules_paths).by_id(rule_id)), nl=False)


@cli.command("test-rules")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--model", help="Run the examples on this trained spaCy pipeline.")
@click.option("-q", "--quiet", is_flag=True, help="Only failures and the summary.")
def test_rules(paths, model, quiet):
    """Run every rule's own fail/pass examples (built-in rules, or the rule files/packs given)."""
    from poalint.config import Config
    from poalint.engine import Linter
    from poalint.nlp import Pipeline
    from poalint.selftest import run_examples

    ruleset = _ruleset_for(Config(), paths)
    if paths:
        chosen = {Path(p).resolve() for p in paths}
        tested = [r for r in ruleset.rules
                  if any(Path(r.origin.path).resolve() == c or c in Path(r.origin.path).resolve().parents for c in chosen)]
    else:
        tested = ruleset.rules
    results = run_examples(Linter(ruleset, Pipeline.load(model)), tested)
    failures = [r for r in results if not r.ok]
    for r in results:
        if not r.ok or not quiet:
            status = "ok  " if r.ok else "FAIL"
            label = f"{r.verdict} example {r.index}" if r.index else f"{r.verdict} examples"
            click.echo(f"{status} {r.rule}: {label}" + (f": {r.detail}" if r.detail else ""))
    click.echo(f"test-rules: {len(results) - len(failures)} passed, {len(failures)} failed "
               f"({len(tested)} rules)")
    sys.exit(1 if failures else 0)


@cli.command()
@click.option("--config", "which", flag_value="config", help="Print the configuration file schema instead.")
def schema(which):
    """Print the JSON Schema of rule files (for editor completion)."""
    import json

    from poalint.loader import schema as load_schema

    click.echo(json.dumps(load_schema(which or "rules"), indent=2))


def main() -> None:
    cli(prog_name="poalint")
