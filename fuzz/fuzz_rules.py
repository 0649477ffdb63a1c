"""Fuzz the rule loader: any bytes as a rule file either load, compile and lint a letter, or
fail with a PoalintError naming the file. Anything else (a traceback, a hang) is a crash.

    python fuzz/fuzz_rules.py -max_total_time=60
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import atheris

from _common import ROOT, libfuzzer_argv

import spacy  # noqa: F401  (imported before instrumentation: only poalint is instrumented)

with atheris.instrument_imports(include=["poalint"]):
    from poalint.config import Config
    from poalint.rules.engine import Linter
    from poalint.errors import PoalintError
    from poalint.rules.loader import load_rule_file
    from poalint.analysis.pipeline import Pipeline
    from poalint.reading import read_text
    from poalint.rules.ruleset import assemble, load_ruleset

PIPELINE = Pipeline.load(None)
BUILTIN = load_ruleset(Config())
LETTER = read_text((ROOT / "examples" / "weak-poa.txt").read_text("utf-8"), "weak-poa.txt", BUILTIN.roles)
RULE_FILE = Path(tempfile.mkdtemp(prefix="poalint-fuzz-rules-")) / "fuzz.yaml"


def check(data: bytes) -> None:
    RULE_FILE.write_bytes(data)
    try:
        rule_file = load_rule_file(RULE_FILE, "fuzz")
        ruleset = assemble([rule_file])
        if not ruleset.rules:
            return
        linter = Linter(ruleset, PIPELINE)
        linter.lint(LETTER, "poa", only=ruleset.rules)
    except PoalintError as exc:
        assert exc.path == str(RULE_FILE) or exc.path is None, f"error names another file: {exc!r}"
        assert "\n" not in str(exc), f"a multi-line error: {exc!r}"


def seeds():
    for path in sorted((ROOT / "rules").rglob("*.yaml")) + sorted((ROOT / "tests/fixtures/rules").glob("*.yaml")):
        yield path.read_bytes()


if __name__ == "__main__":
    os.environ.setdefault("POALINT_DEBUG", "")
    atheris.Setup(libfuzzer_argv("rules", seeds), check)
    atheris.Fuzz()
