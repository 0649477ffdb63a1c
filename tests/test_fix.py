"""--fix, --unsafe-fixes and --diff: substitution replacements, written atomically in the
letter's own encoding, BOM and line endings; and a property test that a fix never changes text
outside the matched spans."""
from __future__ import annotations

import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import findings_json
from poalint.config import Config
from poalint.rules.engine import Linter
from poalint.run.fix import apply, fixable
from poalint.analysis.pipeline import Pipeline
from poalint.reading import read_text
from poalint.rules.ruleset import load_ruleset

UNSAFE_PACK = textwrap.dedent("""\
    rules:
      - id: house-words
        kind: substitution
        severity: info
        message: "Write “{replacement}”, not “{match}”."
        description: House style (test rule).
        swap: {utilise: use}
""")


def test_fix_writes_safe_fixes_keeping_bom_and_crlf(run, letter):
    path = letter(b"\xef\xbb\xbfWe scan in order to catch errors.\r\nWe audit on a weekly basis.\r\n", "a.txt")
    result = run("check", "--fix", "--select", "wordy-phrase", path)
    assert result.exit_code == 0
    assert "fixed 2 findings" in result.stderr
    assert path.read_bytes() == b"\xef\xbb\xbfWe scan to catch errors.\r\nWe audit weekly.\r\n"
    assert "0 infos in 1 file checked" in result.stdout  # re-linted after fixing


def test_fix_keeps_utf16_and_cp1252(run, letter):
    utf16 = letter("\ufeffWe scan in order to check.\n".encode("utf-16-le"), "u.txt")
    run("check", "--fix", "--select", "wordy-phrase", utf16)
    assert utf16.read_bytes() == "\ufeffWe scan to check.\n".encode("utf-16-le")
    legacy = letter("Caf\u00e9 staff scan in order to check.\n".encode("cp1252"), "c.txt")
    run("check", "--fix", "--select", "wordy-phrase", legacy)
    assert legacy.read_bytes() == "Caf\u00e9 staff scan to check.\n".encode("cp1252")


def test_unsafe_fixes_need_the_flag(run, letter, tmp_path):
    rules = tmp_path / "house.yaml"
    rules.write_text(UNSAFE_PACK, "utf-8")
    path = letter("We utilise a checklist.\n", "a.md")
    run("check", "--fix", "--rules", rules, "--select", "house-words", path)
    assert path.read_text("utf-8") == "We utilise a checklist.\n"
    run("check", "--fix", "--unsafe-fixes", "--rules", rules, "--select", "house-words", path)
    assert path.read_text("utf-8") == "We use a checklist.\n"


def test_diff_changes_nothing(run, letter):
    path = letter("We scan in order to catch errors.\n", "a.md")
    result = run("check", "--diff", "--select", "wordy-phrase", path)
    assert result.exit_code == 1
    assert "-We scan in order to catch errors.\n+We scan to catch errors.\n" in result.stdout
    assert path.read_text("utf-8") == "We scan in order to catch errors.\n"
    clean = letter("We scan to catch errors.\n", "b.md")
    assert run("check", "--diff", "--select", "wordy-phrase", clean).exit_code == 0


def test_no_fix_across_markup_or_for_docx_and_rendered_templates(run, letter, tmp_path):
    path = letter("We scan in **order** to catch errors.\n", "a.md")
    found = findings_json(run("check", "--select", "wordy-phrase", "--format", "json", path))
    assert found and found[0]["fix"] is None  # replacing would drop the bold markup
    template = letter("We refund {{ order }} in order to help.\n", "t.md")
    values = tmp_path / "v.yaml"
    values.write_text("order: 113-4455667-8899001\n", "utf-8")
    run("check", "--fix", "--vars", values, "--select", "wordy-phrase", template)
    assert template.read_text("utf-8") == "We refund {{ order }} in order to help.\n"


_LINTER = None


def linter():
    global _LINTER
    if _LINTER is None:
        ruleset = load_ruleset(Config(), select=("wordy-phrase",))
        _LINTER = Linter(ruleset, Pipeline.load(None))
    return _LINTER


WORDY = ["in order to", "due to the fact that", "on a daily basis", "each and every", "In order to"]
pieces = st.lists(st.one_of(st.sampled_from(WORDY), st.text(alphabet=st.characters(blacklist_categories=("Cs",)),
                                                           max_size=20)), max_size=12)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces)
def test_a_fix_never_changes_text_outside_its_spans(parts):
    text = " ".join(parts) + "\n"
    if not text.strip():
        return
    lint = linter()
    result = lint.lint(read_text(text, "letter.md", lint.ruleset.roles), "poa")
    fixes = fixable(result.findings, unsafe=True)
    after = apply(text, fixes)
    cursor_before = cursor_after = 0
    for f in fixes:
        gap = f.start - cursor_before
        assert after[cursor_after:cursor_after + gap] == text[cursor_before:f.start]
        assert text[f.start:f.end] == f.text
        cursor_after += gap + len(f.fix)
        cursor_before = f.end
    assert after[cursor_after:] == text[cursor_before:]


def test_fix_never_writes_the_file_named_by_stdin_filename(run, letter):
    path = letter("We scan to catch errors.\n", "a.md")
    result = run("check", "--fix", "--select", "wordy-phrase", "--stdin-filename", path, "-",
                 input="We scan in order to catch errors.\n")
    assert "fixed 0 findings" in result.stderr
    assert path.read_text("utf-8") == "We scan to catch errors.\n"
