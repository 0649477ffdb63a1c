"""Which files a `poalint check PATH…` run lints."""
from __future__ import annotations

from pathlib import Path

from poalint.config import Config
from poalint.reading import EXTENSIONS


def expand(paths: list[Path], config_for) -> list[Path]:
    """Files as given, and the letters found in directories (hidden folders and excludes skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            config: Config = config_for(path)
            for candidate in sorted(path.rglob("*")):
                relative = candidate.relative_to(path).parts
                if candidate.suffix.lower() in EXTENSIONS and candidate.is_file() \
                        and not any(part.startswith(".") for part in relative) \
                        and not config_for(candidate.parent).excluded(candidate) and not config.excluded(candidate):
                    found.append(candidate)
        else:
            found.append(path)
    return list(dict.fromkeys(found))
