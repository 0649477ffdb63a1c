"""The run's seams: preparing one job, the session it draws on, the workers, and the outcome."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import KINDS_PACK
from poalint.reporting.findings import FileResult
from poalint.run.check import CheckOptions, CheckRun
from poalint.run.outcome import Outcome
from poalint.run.prepare import Cached, Pending, prepare
from poalint.run.session import Session

HEDGED = "# Plan\n\nWe will try to ship as soon as possible. Hopefully the buyers agree.\n"
PLAIN = "# Plan\n\nWe shipped every order on 3 May 2024.\n"
ONLY_HEDGES = CheckOptions(use_cache=False, rules_paths=(KINDS_PACK,), select=("test-existence",))


def test_prepare_gives_the_letter_to_analyse_a_missing_files_result_or_the_cached_result(tmp_path, monkeypatch):
    monkeypatch.setenv("POALINT_CACHE_DIR", str(tmp_path / "cache"))
    letter = tmp_path / "letter.md"
    letter.write_text(HEDGED, "utf-8")
    options = CheckOptions(rules_paths=(KINDS_PACK,), select=("test-existence",))
    session = Session(options, report_error=lambda line: None)
    config = session.config_for(letter)
    cache = session.cache(config)

    pending = prepare(letter, config, cache, options)
    assert isinstance(pending, Pending)
    assert (pending.name, pending.text, pending.data, pending.is_file) == (str(letter), HEDGED, HEDGED.encode(), True)

    missing = prepare(tmp_path / "gone.md", config, cache, options)
    assert isinstance(missing, FileResult) and missing.error == "no such file" and not missing.findings

    linted = FileResult(str(letter), "poa", findings=(), score=100, profile_reason="set by --profile")
    cache.put(pending.data, linted)
    cached = prepare(letter, config, cache, options)
    assert isinstance(cached, Cached) and cached.letter == pending
    assert (cached.result.path, cached.result.score) == (str(letter), 100)
    assert isinstance(prepare(letter, config, None, options), Pending)  # no cache: nothing is read from it


def test_a_template_filled_from_vars_is_prepared_as_no_file_of_its_own(tmp_path):
    letter = tmp_path / "letter.md"
    letter.write_text("We refunded order {{ order_id }}.\n", "utf-8")
    values = tmp_path / "vars.yaml"
    values.write_text("order_id: 123-4567890-1234567\n", "utf-8")
    options = CheckOptions(use_cache=False, vars_path=values)
    config = Session(options).config_for(letter)
    pending = prepare(letter, config, None, options)
    assert pending.text == "We refunded order 123-4567890-1234567.\n" and not pending.is_file


def test_a_run_whose_letters_all_come_from_the_cache_builds_no_rules_and_no_linter(tmp_path, monkeypatch):
    monkeypatch.setenv("POALINT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "letter.md").write_text(HEDGED, "utf-8")
    options = CheckOptions(rules_paths=(KINDS_PACK,), select=("test-existence",))
    first = CheckRun(options, report_error=lambda line: None)
    first.lint_all(first.jobs([str(tmp_path)]))
    again = CheckRun(options, report_error=lambda line: None)
    again.lint_all(again.jobs([str(tmp_path)]))
    assert again.results == first.results and first.results[0].findings
    assert again.session._rulesets == {} and again.session._linters == {}
    assert again.sources == first.sources == {str(tmp_path / "letter.md"): HEDGED}


def _linted(tmp_path, letters: dict[str, str], options=ONLY_HEDGES) -> tuple[CheckRun, list[str]]:
    for name, text in letters.items():
        (tmp_path / name).write_text(text, "utf-8")
    lines: list[str] = []
    run = CheckRun(options, report_error=lines.append)
    run.lint_all(run.jobs([str(tmp_path / name) for name in letters]))
    return run, lines


@pytest.mark.parametrize(("fail_on", "fail_under", "exit_zero", "code"), [
    (None, None, False, 0),  # hedges are warnings; by default only errors fail
    ("warning", None, False, 1),
    ("warning", None, True, 0),
    (None, 100, False, 1),  # the hedged letter scores under 100
    (None, 100, True, 0),
    (None, 1, False, 0),
])
def test_the_exit_code_follows_fail_on_fail_under_and_exit_zero(tmp_path, fail_on, fail_under, exit_zero, code):
    options = CheckOptions(use_cache=False, rules_paths=(KINDS_PACK,), select=("test-existence",), fail_on=fail_on)
    run, lines = _linted(tmp_path, {"hedged.md": HEDGED, "plain.md": PLAIN}, options)
    score = run.results[0].score
    assert run.results[0].findings and not run.results[1].findings and score < 100
    lines.clear()
    assert Outcome(run, fail_under=fail_under, exit_zero=exit_zero).exit_code() == code
    under = [f"poalint: {tmp_path / 'hedged.md'}: readiness score {score} is under --fail-under 100"]
    assert lines == (under if fail_under == 100 else [])


@pytest.mark.parametrize("exit_zero", [False, True])
def test_a_letter_that_cannot_be_read_makes_the_exit_code_2_whatever_the_policy(tmp_path, exit_zero):
    run, lines = _linted(tmp_path, {"plain.md": PLAIN})
    run.lint_all([tmp_path / "gone.md"])
    assert lines == [f"poalint: error: {tmp_path / 'gone.md'}: no such file"]
    assert Outcome(run, fail_under=100, exit_zero=exit_zero).exit_code() == 2
    assert lines[1:] == []  # no --fail-under lines: the run is broken first


def test_show_fixes_prints_the_diff_and_changes_no_file(tmp_path):
    text = "# Plan\n\nWe check stock in order to ship on time.\n"
    options = CheckOptions(use_cache=False, select=("wordy-phrase",))
    run, lines = _linted(tmp_path, {"letter.md": text}, options)
    shown: list[str] = []
    assert Outcome(run).show_fixes(shown.append) == 1
    assert "-We check stock in order to ship on time.\n+We check stock to ship on time.\n" in "".join(shown)
    assert lines == ["poalint: 1 fix available"] and (tmp_path / "letter.md").read_text("utf-8") == text


def test_apply_fixes_writes_the_letter_and_lints_it_again(tmp_path):
    options = CheckOptions(use_cache=False, select=("wordy-phrase",))
    run, lines = _linted(tmp_path, {"letter.md": "We check stock in order to ship on time.\n"}, options)
    outcome = Outcome(run)
    outcome.apply_fixes([tmp_path / "letter.md"], workers=1)
    assert (tmp_path / "letter.md").read_text("utf-8") == "We check stock to ship on time.\n"
    assert outcome.run is not run and outcome.run.results[0].findings == ()
    assert lines == ["poalint: fixed 1 finding"] and outcome.exit_code() == 0


@pytest.mark.parametrize("letters, workers, forked", [(7, 2, None), (8, 2, 2), (9, 8, 2), (12, 3, 3)])
def test_workers_are_forked_only_for_enough_letters(monkeypatch, tmp_path, letters, workers, forked):
    """Each worker gets at least MIN_LETTERS_PER_WORKER letters: fewer would cost more to fork
    than they save, so the run uses fewer workers or none."""
    import multiprocessing.context

    from poalint.run.workers import MIN_LETTERS_PER_WORKER

    assert MIN_LETTERS_PER_WORKER == 4  # the parameters above are worked out for it
    pools = []
    real_pool = multiprocessing.context.BaseContext.Pool

    def counted_pool(context, processes=None, *args, **kwargs):
        pools.append(processes)
        return real_pool(context, processes, *args, **kwargs)

    monkeypatch.setattr(multiprocessing.context.BaseContext, "Pool", counted_pool)
    for i in range(letters):
        (tmp_path / f"{i:02}.md").write_text(f"We will try to ship order {i} sooner.\n", "utf-8")
    check = CheckRun(CheckOptions(use_cache=False), report_error=print)
    check.lint_all(check.jobs([str(tmp_path)]), workers)
    assert pools == ([forked] if forked else [])
    assert len(check.results) == letters
    assert all("vague-wording" in {f.rule for f in r.findings} for r in check.results)
    assert [Path(r.path).name for r in check.results] == [f"{i:02}.md" for i in range(letters)]
