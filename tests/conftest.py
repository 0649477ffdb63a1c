from __future__ import annotations

import json
import os
import resource
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from poalint.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
KINDS_PACK = FIXTURES / "rules" / "kinds.yaml"
CORPUS = ROOT.parent / "shared" / "corpus"


def benchmark_module(name: str):
    """benchmarks/NAME.py (a script, not a package) imported as a module, once per process."""
    import importlib.util

    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules[name]


def capped_poalint(args, cwd, *, memory: int, env=None, stdin=None, shell_input: str | None = None,
                   timeout: float = 120) -> subprocess.CompletedProcess:
    """`poalint ARGS` in a child process whose address space is capped at ``memory`` bytes, so
    that a blow-up on broken code fails the test instead of the machine. ``shell_input`` is a
    shell command piped into it (`yes | poalint check -`)."""
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    command = [sys.executable, "-m", "poalint", *map(str, args)]
    if shell_input:
        command = f"{shell_input} | {shlex.join(command)}"
    return subprocess.run(command, shell=bool(shell_input), cwd=cwd, stdin=stdin, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=cap, env={**os.environ, **(env or {})})


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Invoke the CLI in-process from an empty directory; returns the click Result."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
    return invoke


@pytest.fixture
def letter(tmp_path):
    """Write a letter into the temporary directory and return its path."""
    def write(text: str, name: str = "letter.md", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
        return path
    return write


def findings_json(result) -> list[dict]:
    return [f for file in json.loads(result.output)["files"] for f in file["findings"]]
