"""Readers turn a file's bytes into a Document. One module per format."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from poalint.document import Document
from poalint.errors import PoalintError
from poalint.sections import SectionRoles

MAX_BYTES = 2 * 1024 * 1024
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text"}


def decode(data: bytes, path: str) -> str:
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise PoalintError("binary file (contains NUL bytes); not a letter", path=path)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PoalintError(f"not valid UTF-8 (byte {exc.start}); save the letter as UTF-8", path=path) from None


def read_text(source: str, path: str, roles: SectionRoles, variables: re.Pattern | None = None) -> Document:
    """Parse text that is already decoded, choosing the format by the file name; in template mode
    (``variables``), the variables become neutral stand-ins."""
    if not source.strip():
        raise PoalintError("empty letter: nothing to lint", path=path)
    fmt = EXTENSIONS.get(Path(path).suffix.lower(), "text")
    if fmt == "markdown":
        from poalint.readers.markdown import parse
    else:
        from poalint.readers.plaintext import parse
    document = parse(source, path, roles)
    if variables is not None:
        from poalint.template import neutralise

        document = neutralise(document, variables)
    return document


def read_file(path: Path, roles: SectionRoles, max_bytes: int = MAX_BYTES) -> Document:
    return read_text(decode(read_bytes(path, max_bytes), str(path)), str(path), roles)


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A letter's bytes, or a one-line error naming the file."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise PoalintError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", path=str(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise PoalintError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise PoalintError("is a directory", path=str(path)) from None
    except PermissionError:
        raise PoalintError("permission denied", path=str(path)) from None
    except OSError as exc:
        raise PoalintError(exc.strerror or str(exc), path=str(path)) from None
