"""Fuzz the document readers: any bytes, under any letter file name, either become a Document or
fail with a PoalintError that prints on one line. Anything else is a crash.

    python fuzz/fuzz_readers.py -max_total_time=60

Input layout: the first byte picks the file name (extension, and odd names: a newline, a
terminal escape, a GitHub workflow command), the rest is the file's bytes. A Markdown letter's
front matter is read too (YAML aliases included), as `poalint check` reads it.

Without atheris installed, this module still imports, so that a test can run ``check`` on the
seeds (tests/test_hardening_inputs.py).
"""
from __future__ import annotations

import contextlib
import io

try:
    import atheris
except ImportError:  # only ``check`` and ``seeds`` are wanted (a test), not fuzzing
    atheris = None

from _common import ROOT, libfuzzer_argv

with atheris.instrument_imports(include=["poalint"]) if atheris else contextlib.nullcontext():
    from poalint.config import Config
    from poalint.errors import PoalintError
    from poalint.escaping import printable
    from poalint.reading.front_matter import letter_options
    from poalint.reading import letter_text, read_text
    from poalint.rules.ruleset import load_ruleset

NAMES = ("letter.md", "letter.txt", "letter.docx", "letter.markdown", "letter",
         "odd\n::error::name.md", "esc\x1b[2Jape.txt", "line\u2028sep.docx")
ROLES = load_ruleset(Config()).roles


def name_of(data: bytes) -> str:
    return NAMES[data[0] % len(NAMES)] if data else NAMES[0]


def check(data: bytes) -> None:
    name = name_of(data)
    try:
        text = letter_text(data[1:], name)
        letter_options(text, name)
        document = read_text(text, name, ROLES)
    except PoalintError as exc:
        assert "\n" not in exc.reason(), f"a multi-line error: {exc!r}"
        assert printable(str(exc)).isprintable(), f"an error that does not print on one line: {exc!r}"
        return
    for block in document.blocks:
        assert 0 <= block.start <= block.end <= len(document.source), (block, len(document.source))
    for start, end in document.quoted_spans:
        assert 0 <= start <= end <= len(document.source), (start, end)


def _docx(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _letter(document) -> None:
    document.add_heading("Root Cause", level=1)
    document.add_paragraph("Our supplier shipped the wrong size. We did not check the listing.")
    document.add_paragraph("We removed the listing.", style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Owner"  # a vertically merged cell
    table.cell(0, 1).text, table.cell(0, 2).text = "Check", "When"
    table.cell(1, 1).text, table.cell(1, 2).text = "Invoice | review", "Daily"


def _many_paragraphs(document) -> None:
    for i in range(300):
        document.add_paragraph(f"Step {i}: we check every listing.", style="List Number" if i % 3 else None)


def seeds():
    for path in sorted((ROOT / "examples").iterdir()) + sorted((ROOT / "tests/fixtures/letters").iterdir()):
        ext = NAMES.index("letter.md") if path.suffix == ".md" else NAMES.index("letter.txt")
        yield bytes([ext]) + path.read_bytes()
    md, odd_md = NAMES.index("letter.md"), NAMES.index("odd\n::error::name.md")
    yield bytes([md]) + ("| Owner | Check \\| step | `code` |\n|---|:-:|--|\n| Ann | *Daily* | x |\n> | a | b |\n"
                         "> |---|---|\n> | quoted | cell |\n| short |\n").encode()
    yield bytes([md]) + ("| " + " | ".join(f"c{i}" for i in range(300)) + " |\n|" + "---|" * 300 + "\n").encode()
    yield bytes([odd_md]) + (b"---\nbase: &a {ignore: [x]}\npoalint: {rules: {r: *a}, ignore: *a}\n---\n"
                             b"Root Cause\n\nWe fixed it.\n")
    yield bytes([NAMES.index("esc\x1b[2Jape.txt")]) + b"\x00binary"
    docx_names = (NAMES.index("letter.docx"), NAMES.index("line\u2028sep.docx"))
    yield bytes([docx_names[0]]) + _docx(_letter)
    yield bytes([docx_names[1]]) + _docx(_many_paragraphs)


if __name__ == "__main__":
    atheris.Setup(libfuzzer_argv("readers", seeds), check)
    atheris.Fuzz()
