"""Plain-text letters: paragraphs are separated by blank lines; headings and list items are lines."""
from __future__ import annotations

import re

from poalint.reading.document import Block, Document
from poalint.reading.sections import SectionRoles, assign_sections, inline_heading_length, looks_like_heading, quoted_spans

# A marker and the spaces after it; "-" and "•" may be glued to the item's first word ("-Removed").
_BULLET = re.compile(r"^[ \t]*(?:(?:[-*•–]|\(?[0-9]{1,2}[.)]|\(?[a-h][.)])[ \t]+|[-•](?=[^\W\d_]))")


def _lines(source: str):
    """(start offset, line without its line ending) for each line."""
    offset = 0
    for raw in source.splitlines(keepends=True):
        yield offset, raw.rstrip("\r\n")
        offset += len(raw)


def line_blocks(source: str, roles: SectionRoles, base: int = 0) -> list[Block]:
    """Blocks of a run of plain-text lines starting at offset ``base`` (shared with Markdown)."""
    blocks: list[Block] = []
    paragraph: list[tuple[int, str]] = []

    def flush() -> None:
        if paragraph:
            start = paragraph[0][0]
            end = paragraph[-1][0] + len(paragraph[-1][1])
            blocks.append(Block("paragraph", base + start, source[start:end]))
            paragraph.clear()

    item_open = False  # the last line read was (part of) a list item: the next may continue it
    for start, line in _lines(source):
        if not line.strip():
            flush()
            item_open = False
            continue
        if item_open and (line[0] in " \t" or line.lstrip()[0].islower()) and not _BULLET.match(line):
            # A wrapped item: an indented line, or one going on in lower case, is still the item.
            item = blocks[-1]
            blocks[-1] = Block("item", item.start, item.text + source[item.end - base:start + len(line)])
            continue
        item_open = False
        if looks_like_heading(line, roles):
            flush()
            blocks.append(Block("heading", base + start, line))
            continue
        label = inline_heading_length(line, roles)
        if label:
            flush()
            blocks.append(Block("heading", base + start, line[:label]))
            paragraph.append((start + label, line[label:]))
            continue
        bullet = _BULLET.match(line)
        if bullet:
            flush()
            masked = " " * bullet.end() + line[bullet.end():]
            blocks.append(Block("item", base + start, masked))
            item_open = True
            continue
        paragraph.append((start, line))
    flush()
    return blocks


def parse(source: str, path: str, roles: SectionRoles) -> Document:
    blocks, sections = assign_sections(line_blocks(source, roles), roles)
    return Document(path, source, blocks, sections, quoted_spans(blocks))
