from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from poalint.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
KINDS_PACK = FIXTURES / "rules" / "kinds.yaml"
CORPUS = ROOT.parent / "shared" / "corpus"


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
