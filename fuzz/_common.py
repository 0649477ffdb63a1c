"""Shared set-up of the fuzz targets: working corpus, seeds and libFuzzer arguments.

Run a target for a bounded time (see fuzz/README.md):

    python fuzz/fuzz_readers.py -max_total_time=60

With no corpus directory on the command line, the target fuzzes into fuzz/.work/<target>/
(ignored by git), seeded from the repository's own letters and rule files; crashes are written
to fuzz/crashes/.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent


def libfuzzer_argv(target: str, seeds) -> list[str]:
    """sys.argv for atheris.Setup, adding a seeded working corpus and a crash folder by default."""
    argv = list(sys.argv)
    if not any(not a.startswith("-") for a in argv[1:]):
        work = FUZZ / ".work" / target
        work.mkdir(parents=True, exist_ok=True)
        for seed in seeds():
            (work / f"seed-{hashlib.sha1(seed).hexdigest()[:16]}").write_bytes(seed)
        argv.append(str(work))
    if not any(a.startswith("-artifact_prefix=") for a in argv):
        crashes = FUZZ / "crashes"
        crashes.mkdir(exist_ok=True)
        argv.append(f"-artifact_prefix={crashes}/{target}-")
    return argv
