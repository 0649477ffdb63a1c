"""A Markdown letter in the HTML report, shown as its text: headings, paragraphs, lists, quotes,
tables and emphasis rendered from markdown-it's tokens, with the findings' spans marked.

Findings point at offsets in the letter's source, and markdown-it gives blocks as line ranges but
no offsets inside a line. So each inline text token is found again, in order, in its block's
source lines (as poalint.reading.markdown does), and marked by its own offsets. Raw HTML in the
letter is parsed as text (``html: False``), so it is escaped like the rest of the letter.
"""
from __future__ import annotations

import functools
import re
from typing import NamedTuple, Protocol

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin


class Marker(Protocol):
    def text(self, source: str, start: int, end: int, shown: str | None = None) -> str:
        """``source[start:end]`` (or ``shown``, what it stands for) as HTML, with its highlights."""

    def plain(self, text: str) -> str:
        """Text from the letter whose place is not known, as HTML with no highlight."""


class Block(NamedTuple):
    """One top-level block: where it starts in the source, and its tokens."""

    start: int
    tokens: list[Token]


_LINE_END = re.compile(r"\r\n|\r|\n")
_CONTAINERS = {"bullet_list", "ordered_list", "list_item", "blockquote", "table", "thead", "tbody", "tr", "th", "td"}
_EMPHASIS = {"em": "em", "strong": "strong", "s": "s"}


@functools.cache
def _parser() -> MarkdownIt:
    # text_join off: escapes and entities stay tokens of their own, with their source as markup.
    return MarkdownIt("commonmark", {"html": False}).enable("table").use(front_matter_plugin).disable("text_join")


def line_starts(source: str) -> list[int]:
    """Offset of each line's start, and the source's length last (markdown-it's lines end at
    "\\n", "\\r\\n" or a lone "\\r")."""
    return [0, *(m.end() for m in _LINE_END.finditer(source)), len(source)]


def blocks(source: str, starts: list[int]) -> list[Block]:
    """The letter's top-level blocks in order (front matter, headings, paragraphs, lists…)."""
    found: list[Block] = []
    for token in _parser().parse(source):
        if token.level == 0 and token.map and not token.type.endswith("_close"):
            found.append(Block(starts[min(token.map[0], len(starts) - 1)], []))
        if found:
            found[-1].tokens.append(token)
    return found


def render(source: str, tokens: list[Token], starts: list[int], mark: Marker) -> str:
    """One or more blocks' tokens as HTML."""
    out: list[str] = []
    cursor = 0  # where in the source the next inline text is looked for
    for token in tokens:
        kind, _, side = token.type.rpartition("_")
        if token.type == "inline":
            first, last = token.map or (None, None)
            if first is not None:
                cursor = max(cursor, starts[min(first, len(starts) - 1)])
            limit = starts[min(last, len(starts) - 1)] if last is not None else len(source)
            html, cursor = _inline(source, token.children or [], cursor, limit, mark)
            out.append(html)
        elif token.type in ("fence", "code_block", "front_matter") and token.map:
            first, last = token.map
            if token.type == "fence":  # the lines between the fences
                first, last = first + 1, first + 1 + token.content.count("\n")
            start, end = starts[min(first, len(starts) - 1)], starts[min(last, len(starts) - 1)]
            out.append(f'<pre class="md-code">{mark.text(source, start, end)}</pre>')
        elif token.type == "hr":
            out.append("<hr>")
        elif kind == "heading":
            out.append(f'<p class="md-h md-{token.tag}">' if side == "open" else "</p>")
        elif kind == "paragraph":
            if not token.hidden:  # a tight list's items have hidden paragraphs
                out.append("<p>" if side == "open" else "</p>")
        elif kind in _CONTAINERS:
            start_at = token.attrs.get("start") if token.type == "ordered_list_open" else None
            attribute = f' start="{int(start_at)}"' if start_at is not None else ""
            out.append(f"<{token.tag}{attribute}>" if side == "open" else f"</{token.tag}>")
    return "".join(out)


def _inline(source: str, children: list[Token], cursor: int, limit: int, mark: Marker) -> tuple[str, int]:
    out: list[str] = []
    for child in children:
        kind, _, side = child.type.rpartition("_")
        if child.type in ("text", "text_special", "code_inline"):
            # An escape or entity is found by its source (markup) and shown as what it stands for.
            written = child.markup if child.type == "text_special" else child.content
            found = source.find(written, cursor, limit) if written else -1
            if found < 0:
                piece = mark.plain(child.content)
            else:
                cursor = found + len(written)
                piece = mark.text(source, found, cursor, child.content if child.type == "text_special" else None)
            out.append(f"<code>{piece}</code>" if child.type == "code_inline" else piece)
        elif kind in _EMPHASIS:
            found = source.find(child.markup, cursor, limit)
            cursor = found + len(child.markup) if found >= 0 else cursor
            out.append(f"<{_EMPHASIS[kind]}>" if side == "open" else f"</{_EMPHASIS[kind]}>")
        elif child.type == "softbreak":  # the line end, marked when a span goes on past it
            line_end = _LINE_END.search(source, cursor, limit)
            if line_end is None:
                out.append("\n")
            else:
                out.append(mark.text(source, line_end.start(), line_end.end(), "\n"))
                cursor = line_end.end()
        elif child.type == "hardbreak":
            out.append("<br>")
        elif kind == "link":
            # A letter's link is shown as its text: the page links to nothing outside itself.
            out.append('<span class="md-link">' if side == "open" else "</span>")
            if side == "close" and source.startswith("](", cursor):
                target_end = source.find(")", cursor, limit)
                cursor = target_end + 1 if target_end >= 0 else cursor
        elif child.type == "image":
            out.append(f'<span class="md-link">[{mark.plain(child.content)}]</span>')
    return "".join(out), cursor
