"""A letter's text as the readers hand it on, and the bound on its length.

Kept apart from the readers' entry points (``poalint.reading``) so that the Word reader and the
template filler, which that module loads lazily, can use them without importing it back.
"""
from __future__ import annotations

from poalint.errors import PoalintError

#: The longest text a letter may have, once extracted (a .docx) or filled in (a template): about
#: 1,500 pages. Work is linear in it, but memory is not free.
MAX_TEXT_CHARS = 10_000_000


class LetterText(str):
    """A letter's text, carrying what was learnt from its bytes: ``notes`` for the reader (e.g.
    the encoding fallback) and, for a .docx, its ``layout`` (poalint.reading.docx.Layout).

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


def check_text_length(length: int, path: str, how: str = "the letter is") -> None:
    if length > MAX_TEXT_CHARS:
        raise PoalintError(f"{how} {length:,} characters long, over the limit of {MAX_TEXT_CHARS:,}", path=path)
