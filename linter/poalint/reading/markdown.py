"""Markdown letters, parsed with markdown-it-py.

Rules must see prose, not markup, at the exact offsets of the original file. markdown-it gives
block positions as line ranges but none inside a line, so each block's rendered text pieces are
found again, in order, in its source lines; everything between them (markers, emphasis, link
targets) is masked with spaces.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_core import inline, text_join
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from poalint.reading.document import Block, Document
from poalint.reading.plaintext import line_blocks
from poalint.recurring import kept_for_recurring
from poalint.reading.sections import SectionRoles, assign_sections, looks_like_heading, quoted_spans
from poalint.reading.suppressions import find_directives

_PROSE_TOKENS = {"text", "code_inline"}
_LINE_END = re.compile(r"\r\n|\r|\n")
# "<insert date>" parses as an HTML tag; letters hold no real HTML, so inline tags stay text
# (HTML comments, which are invisible when rendered, do not).


@functools.cache
def _parser() -> MarkdownIt:
    # Front matter is configuration (poalint.reading.front_matter), never letter text. Inline content is
    # parsed by _inline_prose, once per distinct text, instead of by these two core rules.
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).disable(["inline", "text_join"])


class _InlineProse(NamedTuple):
    """What a block's inline content holds for rules: its prose pieces in order (text, is code),
    its HTML comments, and whether it is all bold (a heading written as a paragraph)."""

    pieces: tuple[tuple[str, bool], ...]
    comments: tuple[str, ...]
    bold_only: bool


def _inline_prose(content: str, env: dict) -> _InlineProse:
    # Link reference definitions change how inline content parses: only without any does the
    # same content always parse alike.
    return _prose_of(content, env) if env.get("references") else _recurring_prose(content)


@kept_for_recurring
def _recurring_prose(content: str) -> _InlineProse:
    return _prose_of(content, {})


def _prose_of(content: str, env: dict) -> _InlineProse:
    token = Token("inline", "", 0, content=content, children=[])
    state = StateCore("", _parser(), env, [token])
    inline(state)
    text_join(state)
    children = token.children
    pieces = tuple((c.content, c.type == "code_inline") for c in children
                   if c.content and (c.type in _PROSE_TOKENS or (c.type == "html_inline" and not _is_comment(c))))
    comments = tuple(c.content for c in children if _is_comment(c))
    return _InlineProse(pieces, comments, _is_bold_only(children))


def _is_comment(token: Token) -> bool:
    return token.type == "html_inline" and token.content.startswith("<!--")


_NOT_LINE_END = re.compile(r"[^\r\n]")


@kept_for_recurring
def _masked(region: str, pieces: tuple[tuple[str, bool], ...]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``region`` with everything but the given pieces, found in order, replaced by spaces; and
    the spans of the pieces that are code."""
    kept: list[str] = []
    code: list[tuple[int, int]] = []
    cursor = 0
    for piece, is_code in pieces:
        found = region.find(piece, cursor)
        if found < 0:
            # An entity or escape rendered differently: keep the rest rather than lose words.
            break
        kept += (_NOT_LINE_END.sub(" ", region[cursor:found]), piece)
        cursor = found + len(piece)
        if is_code:
            code.append((found, cursor))
    else:
        kept.append(_NOT_LINE_END.sub(" ", region[cursor:]))
        return "".join(kept), tuple(code)
    kept.append(region[cursor:])
    return "".join(kept), tuple(code)


# markdown-it splits a table row at each pipe that does not follow a backslash.
_CELL_BORDER = re.compile(r"(?<!\\)\|")


def _cell_spans(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where each cell's text is in a table row's line ``source[start:end]``, in order, as
    markdown-it splits the row: the edges before a leading and after a trailing pipe are not
    cells, and a cell's surrounding spaces are not its text.

    markdown-it maps a cell's inline token to the whole row; found here instead, each cell is
    masked and analysed as its own text, so a wide row costs its length, not its length times
    its cells."""
    edges = [start - 1, *(m.start() for m in _CELL_BORDER.finditer(source, start, end)), end]
    spans = []
    for left, right in zip(edges, edges[1:]):
        left += 1
        while left < right and source[left] in " \t":
            left += 1
        while right > left and source[right - 1] in " \t":
            right -= 1
        spans.append((left, right))
    if len(spans) > 1 and not source[spans[0][0]:spans[0][1]].strip(" \t>"):  # a leading pipe (in a quote)
        spans.pop(0)
    if len(spans) > 1 and spans[-1][0] == spans[-1][1]:  # a trailing pipe
        spans.pop()
    return spans


def _is_bold_only(children) -> bool:
    kinds = [c.type for c in children if not (c.type == "text" and not c.content.strip(": "))]
    return len(kinds) >= 3 and kinds[0] == "strong_open" and kinds[-1] == "strong_close" \
        and "strong_open" not in kinds[1:]


def _sections_of_list(blocks: list[Block], items: list[int], roles: SectionRoles) -> list[Block]:
    """The blocks of a top-level list (from ``items[0]``), with the items that are numbered
    headings made headings: "2. Root Cause Analysis" over paragraphs is a list to Markdown and a
    heading to a reader. An item is one when its first line reads as a heading and the list is
    one of sections: a single item, or items with more under their first line. A list of one-line
    items ("1. Root cause 2. Corrective actions" as a letter's contents) stays a list."""
    listed = blocks[items[0]:]
    firsts = {i - items[0] for i in items}  # each item's first block, as an index into ``listed``
    if any(block.quoted for block in listed):
        return listed
    sections = len(items) == 1 or len(listed) > len(items) or any("\n" in blocks[i].text.strip() for i in items)
    if not sections:
        return listed
    out: list[Block] = []
    for at, block in enumerate(listed):
        first_line, _, rest = block.text.partition("\n")
        if at not in firsts or not looks_like_heading(first_line, roles):
            out.append(block)
            continue
        out.append(replace(block, kind="heading", text=first_line))
        if rest.strip():
            out.extend(line_blocks(rest, roles, base=block.start + len(first_line) + 1))
    return out


def parse(source: str, path: str, roles: SectionRoles) -> Document:
    # markdown-it's lines end at "\n", "\r\n" or a lone "\r": count them the same way.
    line_starts = [0, *(m.end() for m in _LINE_END.finditer(source)), len(source)]

    def span(line_range) -> tuple[int, int]:
        first, last = line_range
        start, end = line_starts[first], line_starts[min(last, len(line_starts) - 1)]
        while end > start and source[end - 1] in "\r\n":
            end -= 1
        return start, end

    blocks: list[Block] = []
    code_spans: list[tuple[int, int]] = []  # inline code: not the letter's own wording
    quote_depth = 0
    item_depth = 0
    #: for each open list, the index of the first block of each of its items
    lists: list[list[int]] = []
    opener = None
    cells: Iterator[tuple[int, int]] = iter(())  # the cells of the table row being read
    directives: list = []
    env: dict = {}
    for token in _parser().parse(source, env):
        if token.type == "html_block" and token.map:
            start, end = span(token.map)
            directives += find_directives(source[start:end], start)
        elif token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append([])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            items = lists.pop()
            if not lists and items:
                blocks[items[0]:] = _sections_of_list(blocks, items, roles)
        elif token.type == "list_item_open":
            item_depth += 1
            lists[-1].append(len(blocks))
        elif token.type == "list_item_close":
            item_depth -= 1
            if lists[-1][-1] == len(blocks):
                lists[-1].pop()  # an empty item ("-" alone) has no block
        elif token.type == "tr_open" and token.map:
            cells = iter(_cell_spans(source, *span(token.map)))
        elif token.type.endswith("_open"):
            opener = token
        elif token.type == "inline" and token.map and opener is not None:
            if opener.type in ("th_open", "td_open"):
                # A cell that markdown-it adds to a short row has no text in the file.
                start, end = next(cells, (0, 0))
                if start == end:
                    continue
            else:
                start, end = span(token.map)
            region = source[start:end]
            prose = _inline_prose(token.content, env)
            text, code = _masked(region, prose.pieces)
            cursor = 0
            for comment in prose.comments:
                cursor = max(region.find(comment, cursor), 0)
                directives += find_directives(comment, start + cursor)
            code_spans.extend((start + s, start + e) for s, e in code)
            quoted = quote_depth > 0
            if opener.type == "heading_open":
                blocks.append(Block("heading", start, text, quoted, level=int(opener.tag[1])))
            elif opener.type == "paragraph_open" and prose.bold_only and "\n" not in region:
                blocks.append(Block("heading", start, text, quoted))
            elif opener.type == "paragraph_open" and not item_depth and not quoted:
                # A paragraph may still hold plain-text headings ("Root Cause:", "WHAT WE FIXED").
                blocks.extend(line_blocks(text, roles, base=start))
            else:
                blocks.append(Block("item" if item_depth else "paragraph", start, text, quoted))
    blocks, sections = assign_sections(blocks, roles)
    return Document(path, source, blocks, sections, sorted(quoted_spans(blocks) + code_spans),
                    directives=directives)
