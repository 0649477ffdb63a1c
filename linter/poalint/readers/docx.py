"""Word letters (.docx), read with python-docx.

A .docx has no text of its own to point into, so the reader builds one: each paragraph of the
body on a line, a blank line between paragraphs; a list item is a ``- `` line; a table row is
its cells' text joined by `` | ``. Findings' offsets, lines and columns are into that text;
``Document.paragraph_spans`` says where each Word paragraph is in it, for ``¶N`` positions.

Word styles give the structure: "Heading 1".."Heading 9" and "Title" are headings (with their
level), a short paragraph in bold only is a heading, list styles and numbering make items.
Headers, footers, text boxes, comments and footnotes are not read.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from poalint.document import Block, Document
from poalint.errors import PoalintError
from poalint.readers import LetterText
from poalint.readers.plaintext import line_blocks
from poalint.sections import SectionRoles, assign_sections, quoted_spans

_HEADING_STYLE = re.compile(r"Heading ([1-9])")
_LIST_STYLES = ("List Bullet", "List Number")
_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\v": " ", "\f": " "})
_CELL_SEPARATOR = " | "
_MAX_BOLD_HEADING_WORDS = 16


@dataclass(frozen=True)
class Piece:
    """One Word paragraph (or table row) as one line of the extracted text."""

    kind: str  # "heading", "bold" (a paragraph in bold only), "paragraph", "item" or "row"
    line: str
    level: int = 0  # heading level from the Word style
    prefix: int = 0  # characters before the Word text: the "- " of an item
    separators: tuple[int, ...] = ()  # a row: where each " | " between cells starts in the line


def _style_chain(paragraph):
    style = paragraph.style
    for _ in range(10):  # styles inherit; a cycle is not worth trusting
        if style is None:
            return
        yield style
        style = style.base_style


def _heading_level(paragraph) -> int:
    for style in _style_chain(paragraph):
        if style.name == "Title":
            return 1
        match = _HEADING_STYLE.fullmatch(style.name or "")
        if match:
            return int(match[1])
    return 0


def _is_list_item(paragraph) -> bool:
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None:
        return True
    return any((style.name or "").startswith(_LIST_STYLES) for style in _style_chain(paragraph))


def _runs(paragraph):
    from docx.text.hyperlink import Hyperlink

    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            yield from item.runs
        else:
            yield item


def _is_bold(run, paragraph) -> bool:
    if run.bold is not None:
        return run.bold
    if run.style is not None and run.style.font.bold is not None:
        return run.style.font.bold
    for style in _style_chain(paragraph):
        if style.font.bold is not None:
            return style.font.bold
    return False


def _paragraph_piece(paragraph) -> Piece | None:
    text = paragraph.text.translate(_BREAKS)
    if not text.strip():
        return None
    level = _heading_level(paragraph)
    if level:
        return Piece("heading", text, level=level)
    if _is_list_item(paragraph):
        return Piece("item", "- " + text, prefix=2)
    runs = [r for r in _runs(paragraph) if r.text.strip()]
    if runs and all(_is_bold(r, paragraph) for r in runs):
        return Piece("bold", text)
    return Piece("paragraph", text)


def _row_pieces(table):
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:  # a merged cell is repeated once per grid column it spans
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text.translate(_BREAKS))
        if not any(c.strip() for c in cells):
            continue
        separators, at = [], 0
        for cell in cells[:-1]:
            at += len(cell)
            separators.append(at)
            at += len(_CELL_SEPARATOR)
        yield Piece("row", _CELL_SEPARATOR.join(cells), separators=tuple(separators))


def extract(data: bytes, path: str) -> LetterText:
    """The plain text of a .docx, carrying its layout for :func:`parse`."""
    import zipfile

    import docx

    try:
        word = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise PoalintError("not a Word .docx file (not a zip archive)", path=path) from None
    except Exception as exc:  # a zip that is not a Word document, or broken XML inside
        reason = " ".join(str(exc).split())[:120]
        raise PoalintError(f"not a readable Word .docx file ({type(exc).__name__}: {reason})", path=path) from None
    pieces: list[Piece] = []
    from docx.table import Table

    for item in word.iter_inner_content():
        if isinstance(item, Table):
            pieces.extend(_row_pieces(item))
        else:
            piece = _paragraph_piece(item)
            if piece is not None:
                pieces.append(piece)
    text = "\n\n".join(p.line for p in pieces) + ("\n" if pieces else "")
    return LetterText(text, layout=tuple(pieces))


def _lines(source: str):
    offset = 0
    for raw in source.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        if line.strip():
            yield offset, line
        offset += len(raw)


def _bold_heading(line: str, roles: SectionRoles) -> bool:
    stripped = line.strip()
    words = stripped.split()
    return len(words) <= _MAX_BOLD_HEADING_WORDS and (stripped[-1] not in ".!?,;" or roles.is_question_line(stripped))


def parse(source: str, path: str, roles: SectionRoles) -> Document:
    lines = list(_lines(source))
    layout = getattr(source, "layout", None)
    if layout is None or [p.line for p in layout] != [line for _, line in lines]:
        # Text that no longer matches the Word layout (a rendered template): read each line as
        # a paragraph of plain text.
        layout = [Piece("paragraph", line) for _, line in lines]
    blocks: list[Block] = []
    spans: list[tuple[int, int]] = []
    for (start, line), piece in zip(lines, layout):
        spans.append((start + piece.prefix, start + len(line)))
        if piece.kind == "heading" or (piece.kind == "bold" and _bold_heading(line, roles)):
            blocks.append(Block("heading", start, line, level=piece.level))
        elif piece.kind == "item":
            blocks.append(Block("item", start, " " * piece.prefix + line[piece.prefix:]))
        elif piece.kind == "row":
            masked = list(line)
            for at in piece.separators:
                masked[at:at + len(_CELL_SEPARATOR)] = " " * len(_CELL_SEPARATOR)
            blocks.append(Block("paragraph", start, "".join(masked)))
        else:
            # Like a Markdown paragraph, a Word paragraph may hold a plain-text heading or an
            # inline label ("Root Cause: …"), or be a list item typed by hand.
            blocks.extend(line_blocks(line, roles, base=start))
    blocks, sections = assign_sections(blocks, roles)
    return Document(path, source, blocks, sections, quoted_spans(blocks), paragraph_spans=spans)
