"""The wheel: built from this checkout, it carries the rule packs and schemas and lints a letter
from a directory outside the repository."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (path,) = out.glob("poalint-*.whl")
    return path


def test_wheel_ships_packs_and_schemas(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "poalint/builtin_rules/roles.yaml" in names
    assert "poalint/builtin_rules/poa/placeholders.yaml" in names
    assert "poalint/builtin_rules/models/wording.npz" in names  # the wording rules' `classifier:`
    assert "poalint/schema/rules.schema.json" in names and "poalint/schema/config.schema.json" in names
    assert "poalint/reporting/formats/html.css" in names  # the HTML report's stylesheet
    assert not any(name.startswith(("tests/", "rules/")) for name in names)


def test_installed_wheel_lints_outside_the_repo(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bindir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                   check=True, timeout=600)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "letter.md").write_text("Dear team,\n\nWe refunded order {{order_id}} on 3 May 2024.\n", "utf-8")
    where = subprocess.run([str(bindir / "python"), "-c", "import poalint.rules.packs as p; print(p.builtin_rules_dir())"],
                           cwd=work, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(venv))
    proc = subprocess.run([str(bindir / "poalint"), "check", "letter.md"], cwd=work,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "letter.md:3:19: error unfilled-placeholder" in proc.stdout
    proc = subprocess.run([str(bindir / "python"), "-m", "poalint", "test-rules", "-q"], cwd=work,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
