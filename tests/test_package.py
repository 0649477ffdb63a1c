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
    assert "poalint/schema/rules.schema.json" in names and "poalint/schema/config.schema.json" in names
    assert not any(name.startswith(("tests/", "rules/")) for name in names)


def test_installed_wheel_lints_outside_the_repo(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, timeout=300)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "letter.md").write_text("Dear team,\n\nWe refunded order {{order_id}} on 3 May 2024.\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import poalint, poalint.loader as l; "
                            "print(poalint.__file__); print(l.builtin_rules_dir())"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    module_file, rules_dir = where.stdout.split()
    assert module_file.startswith(str(target)) and rules_dir.startswith(str(target))
    proc = subprocess.run([sys.executable, "-m", "poalint", "check", "letter.md"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "letter.md:3:19: error unfilled-placeholder" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "poalint", "test-rules", "-q"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
