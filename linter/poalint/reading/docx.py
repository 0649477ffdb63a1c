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

from docx.oxml.ns import qn
from docx.styles import BabelFish
from docx.text.font import Font

from poalint.reading.document import Block, Document
from poalint.errors import PoalintError
from poalint.escaping import printable
from poalint.reading.letter_text import LetterText
from poalint.reading.plaintext import line_blocks
from poalint.reading.sections import SectionRoles, assign_sections, quoted_spans

_HEADING_STYLE = re.compile(r"Heading ([1-9])")
_LIST_STYLES = ("List Bullet", "List Number")
_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\v": " ", "\f": " "})
_CELL_SEPARATOR = " | "
_MAX_BOLD_HEADING_WORDS = 16
#: The most a .docx's parts may hold uncompressed (the file size limit applies to the compressed
#: file): python-docx parses every XML part whole, and lxml takes several times the XML's size.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
#: Far more than any letter has; each paragraph and cell costs python-docx objects and time.
MAX_PARAGRAPHS = 10_000
MAX_TABLE_CELLS = 5_000


@dataclass(frozen=True)
class Piece:
    """One Word paragraph (or table row) as one line of the extracted text."""

    kind: str  # "heading", "bold" (a paragraph in bold only), "paragraph", "item" or "row"
    line: str
    level: int = 0  # heading level from the Word style
    prefix: int = 0  # characters before the Word text: the "- " of an item
    separators: tuple[int, ...] = ()  # a row: where each " | " between cells starts in the line


class _StyleSheet:
    """The document's styles, looked up by id in a dict and resolved once per style.

    python-docx finds a style by an XPath search of styles.xml on every look-up, and again for
    each base style: 3-6 ms a paragraph. The results are the same as python-docx's: a missing
    or mistyped style id means the default style of that type, and styles inherit through
    ``basedOn`` (ten levels at most; a cycle is not worth trusting)."""

    def __init__(self, styles_element):
        self._by_id: dict = {}
        self._defaults: dict = {}
        for style in styles_element.style_lst:
            self._by_id.setdefault(style.styleId, style)  # python-docx takes the first of an id
            if style.default:
                self._defaults[style.type] = style  # and the last default of a type, as the spec says
        self._paragraph_styles: dict = {}

    def _get(self, style_id: str | None, style_type):
        style = self._by_id.get(style_id) if style_id is not None else None
        return style if style is not None and style.type == style_type else self._defaults.get(style_type)

    def _chain(self, style) -> list:
        chain = []
        while style is not None and len(chain) < 10:
            chain.append(style)
            style = self._by_id.get(style.basedOn_val) if style.basedOn_val is not None else None
        return chain

    def paragraph_style(self, paragraph) -> "_ParagraphStyle":  # a <w:p>
        """What a paragraph's style (with the styles it is based on) says about it."""
        from docx.enum.style import WD_STYLE_TYPE

        style_id = paragraph.style
        if style_id not in self._paragraph_styles:
            chain = self._chain(self._get(style_id, WD_STYLE_TYPE.PARAGRAPH))
            names = [BabelFish.internal2ui(style.name_val) or "" for style in chain]
            self._paragraph_styles[style_id] = _ParagraphStyle(
                level=next((_heading_level(name) for name in names if _heading_level(name)), 0),
                is_list=any(name.startswith(_LIST_STYLES) for name in names),
                bold=next((bold for bold in (Font(style).bold for style in chain) if bold is not None), False))
        return self._paragraph_styles[style_id]

    def run_bold(self, run) -> bool | None:
        """Whether a run's (a <w:r>'s) character style is bold (None: it does not say)."""
        from docx.enum.style import WD_STYLE_TYPE

        style = self._get(run.style, WD_STYLE_TYPE.CHARACTER)
        return Font(style).bold if style is not None else None


@dataclass(frozen=True)
class _ParagraphStyle:
    level: int  # heading level: "Title" is 1, "Heading N" is N, 0 for other styles
    is_list: bool
    bold: bool


def _heading_level(style_name: str) -> int:
    if style_name == "Title":
        return 1
    match = _HEADING_STYLE.fullmatch(style_name)
    return int(match[1]) if match else 0


_PARAGRAPH, _RUN, _HYPERLINK = qn("w:p"), qn("w:r"), qn("w:hyperlink")
# What python-docx reads as a run's text, each child as its str(): w:t, tabs, breaks.
_RUN_TEXT = {qn(f"w:{tag}") for tag in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab")}


def _runs(p) -> list:
    """A paragraph's runs, those in hyperlinks included, in order. python-docx's own accessors
    run an XPath query on each call, a millisecond a paragraph in a large document."""
    runs = []
    for child in p:
        if child.tag == _RUN:
            runs.append(child)
        elif child.tag == _HYPERLINK:
            runs.extend(r for r in child if r.tag == _RUN)
    return runs


def _run_text(r) -> str:
    return "".join(str(e) for e in r if e.tag in _RUN_TEXT)


def _is_bold(r, style: _ParagraphStyle, styles: _StyleSheet) -> bool:
    direct = Font(r).bold
    if direct is not None:
        return direct
    character_bold = styles.run_bold(r)
    return character_bold if character_bold is not None else style.bold


def _paragraph_piece(p, styles: _StyleSheet) -> Piece | None:
    runs = [(r, _run_text(r)) for r in _runs(p)]
    text = "".join(run_text for _, run_text in runs).translate(_BREAKS)
    if not text.strip():
        return None
    style = styles.paragraph_style(p)
    if style.level:
        return Piece("heading", text, level=style.level)
    if style.is_list or (p.pPr is not None and p.pPr.numPr is not None):
        return Piece("item", "- " + text, prefix=2)
    if all(_is_bold(r, style, styles) for r, run_text in runs if run_text.strip()):
        return Piece("bold", text)
    return Piece("paragraph", text)


def _cell_text(tc) -> str:
    """As python-docx's cell text: its paragraphs' text, one a line."""
    return "\n".join("".join(_run_text(r) for r in _runs(p)) for p in tc if p.tag == _PARAGRAPH)


def _row_pieces(table):
    # A vertically merged cell holds its text in its first row; the rows below repeat it. Kept by
    # grid column while the rows are walked, instead of python-docx's search for the cell above
    # (a search per cell, and recursive: a long merge is quadratic, or a RecursionError).
    merged_from: dict[int, object] = {}
    for tr in table._tbl.tr_lst:
        cells, seen, column = [], set(), tr.grid_before
        for tc in tr.tc_lst:
            holder = merged_from.get(column, tc) if tc.vMerge == "continue" else tc
            merged_from[column] = holder
            column += tc.grid_span
            if id(holder) not in seen:  # a merged cell counts once in its row
                seen.add(id(holder))
                cells.append(_cell_text(holder).translate(_BREAKS))
        if not any(c.strip() for c in cells):
            continue
        separators, at = [], 0
        for cell in cells[:-1]:
            at += len(cell)
            separators.append(at)
            at += len(_CELL_SEPARATOR)
        yield Piece("row", _CELL_SEPARATOR.join(cells), separators=tuple(separators))


def _open(data: bytes, path: str):
    """The python-docx Document of a .docx, once its size uncompressed and the shape of its
    document and styles parts are known to be safe to read; else a one-line error."""
    import zipfile

    import docx
    from docx.oxml.document import CT_Document
    from docx.oxml.styles import CT_Styles

    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile:
        raise PoalintError("not a Word .docx file (not a zip archive)", path=path) from None
    if unpacked > MAX_UNPACKED_BYTES:
        # zipfile never inflates a part past the size its directory declares, so this bounds memory.
        raise PoalintError(f"its parts hold {unpacked:,} bytes uncompressed, over the limit of "
                           f"{MAX_UNPACKED_BYTES:,}", path=path)
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # a zip that is not a Word document, or broken XML inside
        raise _unreadable(exc, path) from None
    if not isinstance(word.element, CT_Document):
        raise _unreadable(f"its document part is <{word.element.tag}>, not a Word document", path)
    if word.element.body is None:
        raise _unreadable("its document has no body", path)
    try:
        styles = word.styles.element
    except Exception as exc:  # a broken styles part, read only now
        raise _unreadable(exc, path) from None
    if not isinstance(styles, CT_Styles):
        raise _unreadable(f"its styles part is <{styles.tag}>, not a list of styles", path)
    return word


def _unreadable(problem, path: str) -> PoalintError:
    if isinstance(problem, Exception):
        problem = f"{type(problem).__name__}: {' '.join(str(problem).split())[:120]}"
    return PoalintError(f"not a readable Word .docx file ({printable(problem)})", path=path)


def _check_counts(body, path: str) -> None:
    for tag, what, limit in (("w:tc", "table cells", MAX_TABLE_CELLS), ("w:p", "paragraphs", MAX_PARAGRAPHS)):
        count = sum(1 for _ in body.iter(qn(tag)))
        if count > limit:
            raise PoalintError(f"the document has {count:,} {what}, over the limit of {limit:,}", path=path)


def extract(data: bytes, path: str) -> LetterText:
    """The plain text of a .docx, carrying its layout for :func:`parse`."""
    from docx.exceptions import InvalidXmlError
    from docx.table import Table

    word = _open(data, path)
    _check_counts(word.element.body, path)
    pieces: list[Piece] = []
    try:
        styles = _StyleSheet(word.styles.element)
        for item in word.iter_inner_content():
            if isinstance(item, Table):
                pieces.extend(_row_pieces(item))
            else:
                piece = _paragraph_piece(item._p, styles)
                if piece is not None:
                    pieces.append(piece)
    except (ValueError, InvalidXmlError) as exc:  # python-docx reads an attribute's value only when asked
        raise _unreadable(exc, path) from None
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
