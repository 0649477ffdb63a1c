"""Readers turn a file's bytes into a Document. One module per format."""
from __future__ import annotations

import codecs
import re
import sys
from pathlib import Path

from poalint.reading.document import Document
from poalint.errors import PoalintError
from poalint.reading.sections import SectionRoles
from poalint.reading.letter_text import MAX_TEXT_CHARS, LetterText, check_text_length  # noqa: F401 (re-exported)
from poalint.settings import read_limited

MAX_BYTES = 2 * 1024 * 1024
#: The longest block (paragraph, list item, table cell) analysed: a tenth of spaCy's max_length,
#: and over ten thousand words, far more than any letter's paragraph.
MAX_BLOCK_CHARS = 100_000
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text", ".docx": "docx"}

CP1252_NOTE = "Not UTF-8: read as Windows-1252; save the letter as UTF-8."


def _latin1_fallback(error: UnicodeDecodeError):
    # The five bytes Windows-1252 leaves undefined read as the C1 controls (as browsers do).
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("poalint-cp1252", _latin1_fallback)


def decode(data: bytes, path: str) -> LetterText:
    """Text of a letter's bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, or else
    Windows-1252, with a note saying so."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return LetterText(data.decode("utf-16"))  # the BOM picks the byte order and is dropped
        except UnicodeDecodeError as exc:
            raise PoalintError(f"not valid UTF-16 (byte {exc.start})", path=path) from None
    if b"\x00" in data:
        raise PoalintError("binary file (contains NUL bytes); not a letter", path=path, skip=True)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return LetterText(data.decode("utf-8"))
    except UnicodeDecodeError:
        return LetterText(data.decode("cp1252", errors="poalint-cp1252"), notes=[CP1252_NOTE])


def letter_text(data: bytes, path: str) -> LetterText:
    """The text to lint from a letter's bytes: decoded, or extracted from a Word .docx."""
    if EXTENSIONS.get(Path(path).suffix.lower()) == "docx":
        # Each reader is imported only for its own format: python-docx and markdown-it cost start-up time.
        from poalint.reading.docx import extract

        return extract(data, path)
    return decode(data, path)


def read_text(source: str, path: str, roles: SectionRoles, variables: re.Pattern | None = None) -> Document:
    """Parse text that is already decoded, choosing the format by the file name; in template mode
    (``variables``), the variables become neutral stand-ins.

    Every text that is analysed passes here (a file's, standard input's, a filled-in template's),
    so the bounds on what spaCy is given are checked here."""
    if not source.strip():
        raise PoalintError("empty letter: nothing to lint", path=path)
    check_text_length(len(source), path)
    fmt = EXTENSIONS.get(Path(path).suffix.lower(), "text")
    # Each reader is imported only for its own format: python-docx and markdown-it cost start-up time.
    if fmt == "markdown":
        from poalint.reading.markdown import parse
    elif fmt == "docx":
        from poalint.reading.docx import parse
    else:
        from poalint.reading.plaintext import parse
    document = parse(source, path, roles)
    for block in document.blocks:
        if len(block.text) > MAX_BLOCK_CHARS:
            # spaCy refuses a text over its max_length (E088); far below it, the letter is not one.
            raise PoalintError(f"a {'paragraph' if block.kind != 'heading' else 'heading'} of {len(block.text):,} "
                               f"characters, over the limit of {MAX_BLOCK_CHARS:,}; split it into paragraphs",
                               path=path, line=document.position(block.start)[0])
    document.notes.extend(getattr(source, "notes", ()))
    if variables is not None:
        from poalint.reading.template import neutralise

        document = neutralise(document, variables)
    return document


def read_file(path: Path, roles: SectionRoles, max_bytes: int = MAX_BYTES) -> Document:
    return read_text(letter_text(read_bytes(path, max_bytes), str(path)), str(path), roles)


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A letter's bytes, or a one-line error naming the file."""
    try:
        return read_limited(path, max_bytes)
    except FileNotFoundError:
        raise PoalintError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise PoalintError("is a directory", path=str(path)) from None
    except PermissionError:
        raise PoalintError("permission denied", path=str(path)) from None
    except OSError as exc:
        raise PoalintError(exc.strerror or str(exc), path=str(path)) from None


def read_stdin(name: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Standard input's bytes, up to the limit (``yes | poalint check -`` must end)."""
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PoalintError(f"standard input is over the {max_bytes:,}-byte limit", path=name, skip=True)
    return data
