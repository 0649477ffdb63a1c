"""Where rule files are: the built-in packs, and the files of a pack folder.

Kept apart from poalint.rules.loader so that a run whose results are all cached can fingerprint the
rule files without importing the YAML and schema machinery.
"""
from __future__ import annotations

from pathlib import Path

from poalint.errors import PoalintError
# Defined with the settings files, since the analysis stage reads one of its files (features.yaml).
from poalint.settings import builtin_rules_dir  # noqa: F401

RULE_FILE_SUFFIXES = (".yaml", ".yml")


def rule_files(location: Path) -> list[Path]:
    """A rule file, or every rule file of a pack (a folder), in a stable order."""
    if location.is_dir():
        return sorted(p for p in location.rglob("*") if p.suffix in RULE_FILE_SUFFIXES and p.is_file())
    if location.exists():
        return [location]
    raise PoalintError("rule file or pack not found", path=str(location))
