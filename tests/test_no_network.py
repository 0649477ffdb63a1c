"""No network: the whole CLI, cold and without a cache, in every output format, with sockets
disabled in the interpreter (docs/security.md)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from poalint.reporting.formats import FORMATS

GUARD = '''
import os, socket

_LOG = os.environ["POALINT_NETWORK_LOG"]


def _refuse(what):
    def refused(*args, **kwargs):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{what} {args[:2]!r}\\n")
        raise OSError(f"network disabled by the test: {what}")
    return refused


for name in ("connect", "connect_ex", "sendto", "sendmsg"):  # binding to loopback is not traffic
    setattr(socket.socket, name, _refuse(f"socket.{name}"))
for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "create_connection"):
    setattr(socket, name, _refuse(name))
'''


@pytest.fixture
def guarded_env(tmp_path) -> dict:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, "utf-8")
    log = tmp_path / "network.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POALINT_", "HTTP", "HTTPS"))}
    env.update(PYTHONPATH=os.pathsep.join(filter(None, [str(guard), env.get("PYTHONPATH")])),
               POALINT_NETWORK_LOG=str(log), HOME=str(tmp_path / "home"), NO_COLOR="1",
               POALINT_CACHE_DIR=str(tmp_path / "cache-that-must-not-exist"),
               # Python would otherwise cache the guard's bytecode in tmp_path, which the tests watch.
               PYTHONDONTWRITEBYTECODE="1")
    return env


def letter_for_test(tmp_path: Path) -> Path:
    """A letter from the labelled corpus when it is present, else the bundled weak example."""
    candidates = sorted((CORPUS / "letters").glob("*.md")) if CORPUS.is_dir() else []
    source = candidates[0] if candidates else ROOT / "examples" / "weak-poa.txt"
    target = tmp_path / f"letter{source.suffix}"
    target.write_bytes(source.read_bytes())
    return target


def test_the_guard_works(guarded_env, tmp_path):
    done = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80))"],
                          env=guarded_env, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode != 0 and "network disabled by the test" in done.stderr
    assert "create_connection" in (tmp_path / "network.log").read_text("utf-8")


@pytest.mark.parametrize("output_format", list(FORMATS))
def test_check_never_touches_the_network(guarded_env, tmp_path, output_format):
    letter = letter_for_test(tmp_path)
    done = subprocess.run([sys.executable, "-m", "poalint", "check", "--no-cache", "--exit-zero",
                           "--format", output_format, "-o", str(tmp_path / f"report.{output_format}"), str(letter)],
                          env=guarded_env, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr
    assert (tmp_path / f"report.{output_format}").stat().st_size > 0
    assert not (tmp_path / "network.log").exists(), (tmp_path / "network.log").read_text("utf-8")
    assert not (tmp_path / "cache-that-must-not-exist").exists()


def test_other_commands_never_touch_the_network(guarded_env, tmp_path):
    for args in (["rules"], ["explain", "vague-wording"], ["schema"], ["test-rules", "-q"],
                 ["check", "--no-cache", "--exit-zero", "--statistics", str(letter_for_test(tmp_path))]):
        done = subprocess.run([sys.executable, "-m", "poalint", *args], env=guarded_env, capture_output=True,
                              text=True, cwd=tmp_path, timeout=120)
        assert done.returncode == 0, (args, done.stderr)
    assert not (tmp_path / "network.log").exists(), (tmp_path / "network.log").read_text("utf-8")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_writes_only_what_it_is_asked_to(guarded_env, tmp_path):
    """No writes unless asked: with --no-cache nothing at all; -o writes only its report; with the
    cache on, only the cache folder and the per-user key that seals its entries (in HOME's
    .cache, outside every project). Letters, rules and configuration are never touched."""
    work = tmp_path / "work"
    work.mkdir()
    letter = letter_for_test(tmp_path).rename(work / "letter.md")
    (work / ".poalint.yaml").write_text("fail_on: warning\n", "utf-8")
    (tmp_path / "home").mkdir()
    env = {k: v for k, v in guarded_env.items() if k not in ("POALINT_CACHE_DIR", "XDG_CACHE_HOME")}
    before, home = _snapshot(tmp_path), _snapshot(tmp_path / "home")

    def check(*args):
        done = subprocess.run([sys.executable, "-m", "poalint", "check", "--exit-zero", *args, str(letter)],
                              env=env, capture_output=True, text=True, cwd=work, timeout=120)
        assert done.returncode == 0, done.stderr
    check("--no-cache")
    assert _snapshot(tmp_path) == before
    check("--no-cache", "--format", "html", "-o", str(work / "report.html"))
    after = _snapshot(tmp_path)
    assert set(after) - set(before) == {"work/report.html"}
    assert {k: v for k, v in after.items() if k in before} == before
    check()
    added = set(_snapshot(tmp_path)) - set(after)
    in_home = {path for path in added if path.startswith("home/")}
    assert in_home == {"home/.cache/poalint/cache-key"}, in_home
    assert added - in_home and all(path.startswith("work/.poalint_cache/") for path in added - in_home), added
    assert set(_snapshot(tmp_path / "home")) - set(home) == {".cache/poalint/cache-key"}
    assert not (tmp_path / "network.log").exists()
