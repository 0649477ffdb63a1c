"""Fuzz the document readers: any bytes, under any letter extension, either become a Document or
fail with a one-line PoalintError. Anything else is a crash.

    python fuzz/fuzz_readers.py -max_total_time=60

Input layout: the first byte picks the file name's extension, the rest is the file's bytes.
"""
from __future__ import annotations

import io

import atheris

from _common import ROOT, libfuzzer_argv

with atheris.instrument_imports(include=["poalint"]):
    from poalint.config import Config
    from poalint.errors import PoalintError
    from poalint.readers import letter_text, read_text
    from poalint.ruleset import load_ruleset

NAMES = ("letter.md", "letter.txt", "letter.docx", "letter.markdown", "letter")
ROLES = load_ruleset(Config()).roles


def check(data: bytes) -> None:
    name = NAMES[data[0] % len(NAMES)] if data else NAMES[0]
    try:
        text = letter_text(data[1:], name)
        document = read_text(text, name, ROLES)
    except PoalintError as exc:
        assert "\n" not in str(exc), f"a multi-line error: {exc!r}"
        return
    for block in document.blocks:
        assert 0 <= block.start <= block.end <= len(document.source), (block, len(document.source))
    for start, end in document.quoted_spans:
        assert 0 <= start <= end <= len(document.source), (start, end)


def seeds():
    for path in sorted((ROOT / "examples").iterdir()) + sorted((ROOT / "tests/fixtures/letters").iterdir()):
        ext = NAMES.index("letter.md") if path.suffix == ".md" else NAMES.index("letter.txt")
        yield bytes([ext]) + path.read_bytes()
    import docx

    document = docx.Document()
    document.add_heading("Root Cause", level=1)
    document.add_paragraph("Our supplier shipped the wrong size. We did not check the listing.")
    document.add_paragraph("We removed the listing.", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    yield bytes([NAMES.index("letter.docx")]) + out.getvalue()


if __name__ == "__main__":
    atheris.Setup(libfuzzer_argv("readers", seeds), check)
    atheris.Fuzz()
