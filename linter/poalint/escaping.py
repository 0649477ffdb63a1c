"""Text from outside (file names, letter text, rule messages) made safe to print on one line.

A terminal obeys escape sequences, and a CI log obeys lines that start with `::` (GitHub's
workflow commands): a file name holding ``\\n::add-mask::`` or ``\\x1b[2J`` must print as those
characters, not act on them. Every character that is not printable (C0 and C1 controls, line and
paragraph separators, bidirectional and other format characters) is shown as its Python escape.
"""
from __future__ import annotations


def _escape(ch: str) -> str:
    return ch.encode("unicode_escape", "backslashreplace").decode("ascii")


def printable(text: str) -> str:
    """``text`` with every unprintable character shown as its escape (``\\n``, ``\\x1b``,
    ``\\u202e``); printable text, the usual case, is returned as it is."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)
