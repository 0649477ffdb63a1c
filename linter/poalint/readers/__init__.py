"""Readers turn a file's bytes into a Document. One module per format."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from poalint.document import Document
from poalint.errors import PoalintError
from poalint.sections import SectionRoles

MAX_BYTES = 2 * 1024 * 1024
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text", ".docx": "docx"}

CP1252_NOTE = "Not UTF-8: read as Windows-1252; save the letter as UTF-8."


class LetterText(str):
    """A letter's text, carrying what was learnt from its bytes: ``notes`` for the reader (e.g.
    the encoding fallback) and, for a .docx, its ``layout`` (poalint.readers.docx.Layout).

    Any str operation (template rendering) gives a plain str; :meth:`with_text` carries the
    notes over to such a text, and the layout only when the text is unchanged.
    """

    notes: tuple[str, ...]
    layout: object

    def __new__(cls, text: str, notes=(), layout=None) -> "LetterText":
        self = super().__new__(cls, text)
        self.notes = tuple(notes)
        self.layout = layout
        return self

    def __reduce__(self):
        # Sent to --jobs workers: keep the notes and the layout across pickling.
        return LetterText, (str(self), self.notes, self.layout)

    def with_text(self, text: str) -> "LetterText":
        if text is self or isinstance(text, LetterText):
            return text
        return LetterText(text, self.notes, self.layout if text == str(self) else None)


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
        from poalint.readers.docx import extract

        return extract(data, path)
    return decode(data, path)


def read_text(source: str, path: str, roles: SectionRoles, variables: re.Pattern | None = None) -> Document:
    """Parse text that is already decoded, choosing the format by the file name; in template mode
    (``variables``), the variables become neutral stand-ins."""
    if not source.strip():
        raise PoalintError("empty letter: nothing to lint", path=path)
    fmt = EXTENSIONS.get(Path(path).suffix.lower(), "text")
    if fmt == "markdown":
        from poalint.readers.markdown import parse
    elif fmt == "docx":
        from poalint.readers.docx import parse
    else:
        from poalint.readers.plaintext import parse
    document = parse(source, path, roles)
    document.notes.extend(getattr(source, "notes", ()))
    if variables is not None:
        from poalint.template import neutralise

        document = neutralise(document, variables)
    return document


def read_file(path: Path, roles: SectionRoles, max_bytes: int = MAX_BYTES) -> Document:
    return read_text(letter_text(read_bytes(path, max_bytes), str(path)), str(path), roles)


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A letter's bytes, or a one-line error naming the file."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise PoalintError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", path=str(path),
                               skip=True)
        return path.read_bytes()
    except FileNotFoundError:
        raise PoalintError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise PoalintError("is a directory", path=str(path)) from None
    except PermissionError:
        raise PoalintError("permission denied", path=str(path)) from None
    except OSError as exc:
        raise PoalintError(exc.strerror or str(exc), path=str(path)) from None
