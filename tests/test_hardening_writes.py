"""Writing respects what is there (issue 18, rows 10, 13, 18 and 23): `-o` writes into device
nodes and FIFOs and through symlinks, as `cp` does, and never replaces them; `--fix` keeps
symlinks, hard links, mode and owner, refuses a read-only letter, and leaves a letter edited
during the run as it is; a SIGTERM while a report is written leaves no temporary file."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from poalint.atomic import atomic_write

PLACEHOLDER_LETTER = "# Root cause\n\nOur ASIN is [ASIN] and we are sorry.\n"
WORDY_LETTER = "We scan in order to catch errors.\n"
WORDY_FIXED = "We scan to catch errors.\n"


def _report_args(path, report):
    return ("check", "--no-cache", "--select", "unfilled-placeholder", "--format", "json", "-o", report, path)


def _device(path: Path, major: int, minor: int) -> Path:
    """A character device node of the test's own (never the real /dev/null or /dev/full)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(major, minor))
    except PermissionError:
        pytest.skip("creating a device node needs root (CAP_MKNOD)")
    return path


def _leftovers(*folders: Path) -> list[str]:
    return [p.name for folder in folders for p in folder.iterdir() if p.name.endswith(".tmp")]


# Row 10: -o writes into what is at PATH, never replaces it unless it is a regular file.

def test_output_into_a_null_device_keeps_the_device_node(run, letter, tmp_path):
    null = _device(tmp_path / "null", 1, 3)
    result = run(*_report_args(letter(PLACEHOLDER_LETTER), null))
    assert result.exit_code == 1  # the letter's error finding; the report went into the device
    assert stat.S_ISCHR(null.stat().st_mode) and null.stat().st_rdev == os.makedev(1, 3)
    assert _leftovers(tmp_path) == []


def test_output_into_a_full_device_is_a_one_line_error(run, letter, tmp_path):
    full = _device(tmp_path / "full", 1, 7)
    result = run(*_report_args(letter(PLACEHOLDER_LETTER), full))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"poalint: error: {full}: cannot write the report: No space left on device"]
    assert stat.S_ISCHR(full.stat().st_mode) and full.stat().st_rdev == os.makedev(1, 7)
    assert _leftovers(tmp_path) == []


def test_output_into_a_fifo_streams_to_its_reader(run, letter, tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run(*_report_args(letter(PLACEHOLDER_LETTER), fifo))
    reader.join(timeout=30)
    assert result.exit_code == 1
    assert json.loads(received[0])["summary"]["error"] == 1
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert _leftovers(tmp_path) == []


def test_output_through_a_symlink_writes_its_target_atomically(run, letter, tmp_path):
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "report.json"
    target.write_text("old report\n", "utf-8")
    target.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(Path("reports") / "report.json")
    result = run(*_report_args(letter(PLACEHOLDER_LETTER), link))
    assert result.exit_code == 1
    assert link.is_symlink() and os.readlink(link) == str(Path("reports") / "report.json")
    assert json.loads(target.read_text("utf-8"))["summary"]["error"] == 1
    assert target.stat().st_mode & 0o777 == 0o640
    assert _leftovers(tmp_path, tmp_path / "reports") == []


def test_output_through_a_link_to_standard_output_writes_into_the_pipe(tmp_path):
    """`-o /dev/stdout`: a link to /proc/self/fd/1, whose target (`pipe:[…]`) has no path to
    rename a file over. The test's own link, so the real /dev/stdout is never at risk."""
    (tmp_path / "letter.md").write_text(PLACEHOLDER_LETTER, "utf-8")
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    done = subprocess.run([sys.executable, "-m", "poalint", *_report_args("letter.md", stdout)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    report, summary = done.stdout.rsplit("\n", 2)[:2]
    assert json.loads(report)["summary"]["error"] == 1 and summary.startswith("poalint: 1 error")
    assert stdout.is_symlink() and os.readlink(stdout) == "/proc/self/fd/1"


def test_output_never_writes_through_a_dangling_symlink(run, letter, tmp_path):
    """As `cp` does: a link to nothing may be someone's trap (a link in /tmp to a file they want made)."""
    link = tmp_path / "report.json"
    link.symlink_to(tmp_path / "elsewhere" / "made.json")
    result = run(*_report_args(letter(PLACEHOLDER_LETTER), link))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"poalint: error: {link}: cannot write the report: not writing through a dangling symbolic link"]
    assert link.is_symlink() and not (tmp_path / "elsewhere").exists()


# Row 13: --fix leaves a letter edited while the run lints as it is.

def test_fix_leaves_a_letter_edited_during_the_run_as_it_is(run, letter, monkeypatch):
    from poalint.run.check import CheckRun

    edited = letter(WORDY_LETTER, "edited.md")
    untouched = letter(WORDY_LETTER, "untouched.md")
    saved_meanwhile = "We scan in order to catch errors. A sentence saved while poalint ran.\n"
    lint_all = CheckRun.lint_all
    runs = []

    def lint_then_save_an_edit(self, jobs, workers=1):
        lint_all(self, jobs, workers)
        if not runs:  # the first pass: the author saves an edit before the fixes are written
            edited.write_text(saved_meanwhile, "utf-8")
        runs.append(self)
    monkeypatch.setattr(CheckRun, "lint_all", lint_then_save_an_edit)
    result = run("check", "--no-cache", "--fix", "--select", "wordy-phrase", edited, untouched)
    assert edited.read_text("utf-8") == saved_meanwhile
    assert untouched.read_text("utf-8") == WORDY_FIXED  # the other letter is still fixed
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"poalint: error: {edited}: changed since poalint read it; not fixed (run --fix again)",
        "poalint: fixed 1 finding"]
    assert _leftovers(edited.parent) == []


# Row 18: --fix keeps symlinks, hard links, mode and owner, and refuses what the user cannot write.

def test_fix_through_a_symlink_writes_its_target(run, letter, tmp_path):
    target = letter(WORDY_LETTER, "real.md")
    link = tmp_path / "link.md"
    link.symlink_to("real.md")
    result = run("check", "--no-cache", "--fix", "--select", "wordy-phrase", link)
    assert result.exit_code == 0
    assert link.is_symlink() and os.readlink(link) == "real.md"
    assert target.read_text("utf-8") == WORDY_FIXED


def test_fix_keeps_hard_links(run, letter, tmp_path):
    first = letter(WORDY_LETTER, "first.md")
    second = tmp_path / "second.md"
    os.link(first, second)
    result = run("check", "--no-cache", "--fix", "--select", "wordy-phrase", first)
    assert result.exit_code == 0
    assert first.stat().st_ino == second.stat().st_ino and first.stat().st_nlink == 2
    assert second.read_text("utf-8") == WORDY_FIXED
    assert _leftovers(tmp_path) == []


def _given_to_another_user(path: Path, mode: int) -> Path:
    """The letter with this mode, owned by uid 4321 and gid 4322 (tests run as root)."""
    path.chmod(mode)
    try:
        os.chown(path, 4321, 4322)
    except PermissionError:
        pytest.skip("giving a file to another user needs root")
    return path


def test_fix_keeps_mode_and_owner(run, letter):
    path = _given_to_another_user(letter(WORDY_LETTER, "theirs.md"), 0o640)
    result = run("check", "--no-cache", "--fix", "--select", "wordy-phrase", path)
    assert result.exit_code == 0
    assert path.read_text("utf-8") == WORDY_FIXED
    info = path.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (4321, 4322, 0o640)


def test_fix_rewrites_in_place_a_letter_whose_owner_cannot_be_kept(run, letter, monkeypatch):
    """A user who may write another user's letter (through its group) may not give a new file
    to that user: the letter is then rewritten in place, so it keeps its owner. The refusal a
    non-root user meets is reproduced by making chown fail as it would for them."""
    path = _given_to_another_user(letter(WORDY_LETTER, "group-writable.md"), 0o664)
    inode = path.stat().st_ino

    def chown_as_a_user(*args):
        raise PermissionError(1, "Operation not permitted")
    monkeypatch.setattr("poalint.atomic.os.chown", chown_as_a_user)
    result = run("check", "--no-cache", "--fix", "--select", "wordy-phrase", path)
    assert result.exit_code == 0
    assert path.read_text("utf-8") == WORDY_FIXED
    info = path.stat()
    assert (info.st_ino, info.st_uid, info.st_gid, info.st_mode & 0o7777) == (inode, 4321, 4322, 0o664)
    assert _leftovers(path.parent) == []


def test_fix_refuses_a_read_only_letter(run, letter):
    """Root may write anything, so a file with no write bit at all is what read-only means."""
    read_only = letter(WORDY_LETTER, "read-only.md")
    read_only.chmod(0o444)
    writable = letter(WORDY_LETTER, "writable.md")
    result = run("check", "--no-cache", "--fix", "--select", "wordy-phrase", read_only, writable)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"poalint: error: {read_only}: the file is read-only for you; not fixed", "poalint: fixed 1 finding"]
    assert read_only.read_text("utf-8") == WORDY_LETTER and read_only.stat().st_mode & 0o777 == 0o444
    assert writable.read_text("utf-8") == WORDY_FIXED


# Row 23: SIGTERM while a report is written leaves no temporary file.

PAUSING_REPORT = """
import sys, time
from pathlib import Path
import poalint.cli
from poalint.cli import main

write = poalint.cli.write
ready = Path(sys.argv[1])

def write_then_pause(*args):
    write(*args)
    ready.touch()  # the report is half-way out: the test sends SIGTERM now
    time.sleep(60)

poalint.cli.write = write_then_pause
sys.argv = ["poalint", *sys.argv[2:]]
main()
"""


def test_sigterm_while_writing_a_report_leaves_no_temporary_file(tmp_path):
    (tmp_path / "letter.md").write_text(PLACEHOLDER_LETTER, "utf-8")
    ready = tmp_path / "ready"
    process = subprocess.Popen([sys.executable, "-c", PAUSING_REPORT, ready, *_report_args("letter.md", "report.json")],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), process.communicate(timeout=10)
        assert _leftovers(tmp_path)  # the report's temporary file is there while it is written
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        process.kill()
    assert process.returncode == -signal.SIGTERM  # still ends as killed by the signal
    assert _leftovers(tmp_path) == [] and not (tmp_path / "report.json").exists()


def test_sigterm_handling_is_restored_after_a_write(tmp_path):
    atomic_write(tmp_path / "entry.bin", b"data")
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    assert (tmp_path / "entry.bin").read_bytes() == b"data"
