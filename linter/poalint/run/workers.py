"""Analysing the letters a run read: in this process, or in forked workers when there are enough."""
from __future__ import annotations

from poalint.errors import PoalintError, unknown_reason, unknown_rule_id
from poalint.reading import read_text
from poalint.reporting.findings import FileResult
from poalint.run.prepare import Pending, input_error, internal_error
from poalint.run.session import Session

#: Forking the workers and gathering their results costs a run 20-50 ms. With 2 workers on 2 cores
#: it lost on 4 and 6 letters of 2 KiB that share no wording and paid from 8 (medians of 14
#: alternating runs: 4 letters 1.02 s in one process, 1.04 s in two; 6: 1.04 s and 1.09 s;
#: 8: 1.15 s and 1.02 s), so each worker gets at least this many letters, or the run has fewer.
MIN_LETTERS_PER_WORKER = 4

#: The session a forked worker analyses with: inherited through fork, never pickled.
_FORKED_SESSION: Session | None = None


def analyse_all(session: Session, pending: list[Pending], workers: int) -> list[FileResult]:
    """Each letter's result, in order, from up to ``workers`` forked processes, as many as have
    MIN_LETTERS_PER_WORKER letters each. The session's linters must be built before: the workers
    inherit them."""
    if not pending:
        return []  # every result came from the cache
    import multiprocessing  # here, not at the top: 20-30 ms that a run in one process never needs

    workers = min(workers, len(pending) // MIN_LETTERS_PER_WORKER)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [analyse(session, p) for p in pending]
    global _FORKED_SESSION
    _FORKED_SESSION = session
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunk = max(1, min(32, len(pending) // (workers * 4)))
            return pool.map(_analyse_in_worker, pending, chunksize=chunk)
    finally:
        _FORKED_SESSION = None


def _analyse_in_worker(pending: Pending) -> FileResult:
    return analyse(_FORKED_SESSION, pending)


def analyse(session: Session, pending: Pending) -> FileResult:
    """One letter's findings; a letter that cannot be analysed is its own error result."""
    try:
        document = read_text(pending.text, pending.name, session.ruleset(pending.config).roles, pending.variables)
        return session.linter(pending.config).lint(document, session.options.profile, pending.options.profile,
                                                   pending.config.profile, adjust=_letter_rules(session, pending),
                                                   reasons=(session.options.reasons, _letter_reasons(session, pending)))
    except PoalintError as exc:
        return input_error(exc, pending.name)
    except Exception as exc:  # in a forked worker too: the parent gets the letter's error line
        return internal_error(exc, pending.name)


def _letter_reasons(session: Session, pending: Pending) -> tuple[str, ...]:
    """The suspension reasons a letter's front matter declares, each one a pack declares."""
    declared = session.ruleset(pending.config).reasons
    for reason in pending.options.reasons:
        if reason not in declared:
            raise PoalintError(unknown_reason(reason, declared, "the front matter"), path=pending.name,
                               line=pending.options.reason_line, key="poalint.reason")
    return pending.options.reasons


def _letter_rules(session: Session, pending: Pending):
    """How a letter's front matter changes the rules run on it (None: it doesn't)."""
    options = pending.options
    if not (options.ignore or options.rules):
        return None
    known = session.ruleset(pending.config).known_ids
    for rule_id in (*options.ignore, *options.rules):
        if rule_id not in known:
            raise PoalintError(unknown_rule_id(rule_id, known, "the front matter"), path=pending.name,
                               line=options.line)

    def adjust(rules):
        chosen = []
        for rule in rules:
            if rule.id in options.ignore:
                continue
            if rule.id in options.rules:
                rule = session.reconfigured(pending.config, rule, options.rules[rule.id], pending.name, options.line)
                if rule is None:
                    continue
            chosen.append(rule)
        return chosen
    return adjust
