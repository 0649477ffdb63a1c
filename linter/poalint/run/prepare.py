"""One job of a run (a letter's path, or standard input) read and made ready: its cached result,
an unreadable file's result, or the letter still to analyse."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from poalint.config import Config
from poalint.errors import PoalintError
from poalint.escaping import printable
from poalint.reading import letter_text, read_bytes, read_stdin
from poalint.reading.front_matter import LetterOptions, letter_options
from poalint.reading.template import load_values, render, variable_pattern
from poalint.reporting.findings import FileResult
from poalint.run.cache import ResultCache
from poalint.run.session import CheckOptions

STDIN = "-"


@dataclass(frozen=True)
class Pending:
    """A letter read and waiting for analysis."""

    name: str
    config: Config
    data: bytes
    text: str
    variables: object  # the template variable pattern to neutralise, or None
    cache: ResultCache | None
    options: LetterOptions = LetterOptions()
    #: False for a letter whose linted text is not a file's text (standard input, a template
    #: filled from --vars): --fix never writes it and --diff-base never diffs it.
    is_file: bool = True


@dataclass(frozen=True)
class Cached:
    """A letter whose result the cache holds."""

    letter: Pending
    result: FileResult


def job_name(job, options: CheckOptions) -> str:
    return options.stdin_name if job == STDIN else str(job)


def prepare(job, config: Config, cache: ResultCache | None, options: CheckOptions) -> FileResult | Cached | Pending:
    """``job`` read under ``config``: its cached result (``cache`` None: none is read), the
    result of a letter that cannot be read, or the letter still to analyse."""
    name = job_name(job, options)
    try:
        data = read_stdin(name, config.max_file_size) if job == STDIN else read_bytes(job, config.max_file_size)
        letter = letter_text(data, name)
        letter_settings = letter_options(letter, name)
        text, variables = _letter_text(letter, name, config, options, letter_settings.template)
        text = letter.with_text(text)  # keeps the reader's notes (and a .docx layout) through templates
        cached = cache.get(data, name) if cache else None
    except PoalintError as exc:
        return input_error(exc, name)
    except Exception as exc:
        return internal_error(exc, name)
    pending = Pending(name, config, data, text, variables, cache, letter_settings,
                      is_file=job != STDIN and text == letter)
    return Cached(pending, cached) if cached else pending


def input_error(exc: PoalintError, name: str) -> FileResult:
    if exc.path != name:  # a rule or configuration error stops the whole run
        raise exc
    return FileResult(name, "", error=exc.reason(), skipped=exc.skip)


def internal_error(exc: Exception, name: str) -> FileResult:
    """A bug or an exhausted resource (MemoryError, RecursionError) while reading or linting one
    letter: that letter's error line, and the run goes on. POALINT_DEBUG=1 shows the traceback."""
    if os.environ.get("POALINT_DEBUG"):
        raise exc
    detail = printable(str(exc))
    return FileResult(name, "", error=f"internal error: {type(exc).__name__}{': ' + detail if detail else ''} "
                                      "(set POALINT_DEBUG=1 for details)")


def _letter_text(source: str, name: str, config: Config, options: CheckOptions, template: bool):
    """(text to lint, template variable pattern or None): the letter as written, or in
    template mode with its variables left to be neutralised or, given a vars file, filled in."""
    # With `templates:` declared, only those files are templates (and take --vars); otherwise
    # --template or --vars makes every letter of the run one.
    declared = config.is_template(Path(name)) if config.templates else options.vars_path is not None
    if not (options.template or template or declared):
        return source, None
    try:
        pattern = variable_pattern(config.template_variable)
    except PoalintError as exc:
        raise PoalintError(exc.detail, path=str(config.path), key=exc.key) from None
    if options.vars_path:
        values = load_values(options.vars_path)
        return render(source, name, pattern, values, options.vars_path), None
    return source, pattern
