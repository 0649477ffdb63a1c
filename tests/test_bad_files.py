"""Letters that cannot be read: each gives its one-line message (docs/cli.md, "Letters that
cannot be read") and never stops the other letters from being linted. A file that cannot be
read is an error (exit code 2); a file that is not a letter at all (binary, over the size
limit) is skipped with a warning, and exit code 2 only when nothing could be linted."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import poalint.run.prepare

GOOD = "We will try to check the stock more carefully.\n"
SIZE_LIMIT = "2,097,152"


def make_bad_files(folder: Path) -> dict[str, str]:
    """Every kind of bad letter, by name → its one-line reason."""
    (folder / "empty.md").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\t\r\n   \n")
    with open(folder / "huge.md", "wb") as out:  # 50 MB, sparse: the size is checked before reading
        out.truncate(50 * 1024 * 1024)
    (folder / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00\xff\xfe binary")
    (folder / "broken.md").symlink_to(folder / "nowhere.md")
    return {
        "empty.md": "empty letter: nothing to lint",
        "blank.txt": "empty letter: nothing to lint",
        "huge.md": f"file is 52,428,800 bytes, over the {SIZE_LIMIT}-byte limit",
        "binary.txt": "binary file (contains NUL bytes); not a letter",
        "broken.md": "no such file",
        "missing.md": "no such file",
    }


SKIPPED = {"huge.md", "binary.txt"}


def errors(result) -> list[str]:
    """The one-line messages, with skipped files' warnings written as errors for comparison."""
    lines = result.stderr.splitlines()
    assert all(line.startswith("poalint: ") for line in lines), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return [line.replace("poalint: warning: ", "poalint: error: ").removesuffix("; skipped")
            for line in lines if line.startswith(("poalint: error: ", "poalint: warning: "))]


@pytest.mark.parametrize("name", ["empty.md", "blank.txt", "huge.md", "binary.txt", "broken.md", "missing.md"])
def test_each_bad_file_alone(run, tmp_path, name):
    reasons = make_bad_files(tmp_path)
    for extra in ((), ("--exit-zero",), ("--format", "json")):
        result = run("check", "--no-cache", *extra, name)
        assert result.exit_code == 2, result.output
        assert errors(result) == [f"poalint: error: {name}: {reasons[name]}"]


def test_one_bad_file_among_many_does_not_stop_the_others(run, tmp_path):
    reasons = make_bad_files(tmp_path)
    (tmp_path / "a-good.md").write_text(GOOD, "utf-8")
    (tmp_path / "z-good.txt").write_text(GOOD, "utf-8")
    names = ["a-good.md", *reasons, "z-good.txt"]
    result = run("check", "--no-cache", "--format", "json", *names)
    assert result.exit_code == 2  # the empty, blank and missing letters are errors
    assert errors(result) == [f"poalint: error: {name}: {reason}" for name, reason in reasons.items()]
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert list(files) == names
    for name in ("a-good.md", "z-good.txt"):
        assert "vague-wording" in [f["rule"] for f in files[name]["findings"]]
    for name, reason in reasons.items():
        assert files[name]["error"] == reason and files[name]["findings"] == []
        assert files[name]["skipped"] == (name in SKIPPED)


def test_files_that_are_not_letters_are_skipped_not_errors(run, tmp_path):
    make_bad_files(tmp_path)
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    result = run("check", "--no-cache", "--select", "vague-wording", "good.md", "huge.md", "binary.txt")
    assert result.exit_code == 0  # only a warning: the letter itself has no error-level finding
    assert "poalint: warning: binary.txt: binary file (contains NUL bytes); not a letter; skipped" in result.stderr
    assert result.stdout.splitlines()[-1].startswith("poalint: 0 errors, 2 warnings, 0 infos in 1 file checked "
                                                      "(2 skipped, not letters)")


def test_directory_search_skips_broken_links_and_lints_the_rest(run, tmp_path):
    make_bad_files(tmp_path)
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    result = run("check", "--no-cache", "--format", "json", ".")
    assert result.exit_code == 2  # the empty, blank, huge and binary letters are found and refused
    paths = [f["path"] for f in json.loads(result.stdout)["files"]]
    assert "broken.md" not in paths and "good.md" in paths  # a dangling link is not a letter file
    assert len(errors(result)) == 4


def test_a_directory_without_letters(run, tmp_path):
    (tmp_path / "letters.md").mkdir()  # a directory named like a letter is searched, not read
    result = run("check", "--no-cache", "letters.md")
    assert result.exit_code == 0
    assert result.stderr == "poalint: warning: no letters (.md, .markdown, .txt, .text, .docx) found in the given paths\n"


def test_invalid_utf8_is_read_as_windows_1252_with_a_note(run, tmp_path):
    (tmp_path / "cp1252.txt").write_bytes(b"We will try to fix it \x93soon\x94 \x96 our fault.\n")
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    result = run("check", "--no-cache", "--format", "json", "--fail-on", "warning", "cp1252.txt", "good.md")
    assert result.exit_code == 1 and result.stderr == ""
    files = json.loads(result.stdout)["files"]
    first = files[0]["findings"]
    notes = [f for f in first if f["rule"] == "encoding"]
    assert len(notes) == 1 and notes[0]["severity"] == "info" and notes[0]["line"] == 1
    assert notes[0]["message"] == "Not UTF-8: read as Windows-1252; save the letter as UTF-8."
    assert "vague-wording" in [f["rule"] for f in first]
    assert not [f for f in files[1]["findings"] if f["rule"] == "encoding"]


def test_no_read_permission_for_real(run, tmp_path):
    path = tmp_path / "secret.md"
    path.write_text(GOOD, "utf-8")
    path.chmod(0)
    try:
        try:
            path.read_bytes()
        except PermissionError:
            pass
        else:
            pytest.skip("this user (root?) can read a file without read permission; see the simulated test")
        (tmp_path / "good.md").write_text(GOOD, "utf-8")
        result = run("check", "--no-cache", "secret.md", "good.md")
        assert result.exit_code == 2
        assert errors(result) == ["poalint: error: secret.md: permission denied"]
        assert "good.md:1:" in result.stdout
    finally:
        path.chmod(0o644)


def test_no_read_permission_simulated(run, tmp_path, monkeypatch):
    (tmp_path / "secret.md").write_text(GOOD, "utf-8")
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    original = os.open  # letters are opened with os.open (poalint.reading.read_limited)

    def open_file(path, flags, *args, **kwargs):
        if Path(path).name == "secret.md":
            raise PermissionError(13, "Permission denied", str(path))
        return original(path, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", open_file)
    result = run("check", "--no-cache", "secret.md", "good.md")
    assert result.exit_code == 2
    assert errors(result) == ["poalint: error: secret.md: permission denied"]
    assert "good.md:1:" in result.stdout


@pytest.mark.parametrize("replacement, reason", [(None, "no such file"), ("directory", "is a directory")])
def test_a_file_that_disappears_mid_run(run, tmp_path, monkeypatch, replacement, reason):
    """Found when the paths are expanded, gone (or replaced by a folder) when it is read."""
    for name in ("a.md", "gone.md", "z.md"):
        (tmp_path / name).write_text(GOOD, "utf-8")
    original = poalint.run.prepare.read_bytes

    def read_bytes(path, *args):
        if path.name == "gone.md" and path.is_file():
            path.unlink()
            if replacement == "directory":
                path.mkdir()
        return original(path, *args)
    monkeypatch.setattr(poalint.run.prepare, "read_bytes", read_bytes)
    result = run("check", "--no-cache", "--format", "json", ".")
    assert result.exit_code == 2
    assert errors(result) == [f"poalint: error: gone.md: {reason}"]
    files = json.loads(result.stdout)["files"]
    assert [f["path"] for f in files] == ["a.md", "gone.md", "z.md"]
    assert all(f["findings"] for f in files if f["path"] != "gone.md")


def test_a_file_whose_size_changes_mid_read(run, tmp_path, monkeypatch):
    """The size check and the read are two steps; a file that grows in between is read up to the
    size limit (and a file truncated to nothing is an empty letter)."""
    (tmp_path / "shrinks.md").write_text(GOOD, "utf-8")
    original = os.open  # letters are opened with os.open after their type is checked

    def open_file(path, flags, *args, **kwargs):
        if Path(path).name == "shrinks.md":
            os.truncate(path, 0)
        return original(path, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", open_file)
    result = run("check", "--no-cache", "shrinks.md")
    assert result.exit_code == 2
    assert errors(result) == ["poalint: error: shrinks.md: empty letter: nothing to lint"]
