"""Every regular expression a user or a rule file supplies (rule regexes, section aliases,
profile markers, template variables), compiled on RE2, whose matching time is linear in the text.

Shared by the reading stage (template variables) and the rules (their regexes), so that neither
imports the other to get it.
"""
from __future__ import annotations

import re2

#: Limits on what a rule file may ask of the regex engine (docs/rule-language.md, "Limits").
MAX_REGEX_LENGTH = 5_000
_REGEX_MEMORY = 8 << 20  # RE2's own default: a pattern whose program needs more is refused

# Python's \s, \d and \w are Unicode-aware; RE2's are ASCII. These keep Python's meaning
# (\s: exactly str.isspace(); \d: decimal digits; \w: letters, numbers and "_").
_SPACE = r"\t-\r\x{1c}-\x{20}\x{85}\p{Z}"
_CLASS_BODY = {"s": _SPACE, "d": r"\p{Nd}", "w": r"\p{L}\p{N}_"}
_OUTSIDE = {"s": f"[{_SPACE}]", "S": f"[^{_SPACE}]", "d": r"\p{Nd}", "D": r"\P{Nd}",
            "w": r"[\p{L}\p{N}_]", "W": r"[^\p{L}\p{N}_]"}


class RegexError(ValueError):
    """A regular expression that RE2 cannot run (or that is over a limit), with the reason."""


def _unicode_classes(expression: str) -> str:
    r"""Rewrite Python's Unicode \s \S \d \D \w \W for RE2 (inside a [...] class, only the
    positive forms: there RE2's ASCII \S, \D and \W remain)."""
    out, i, in_class = [], 0, False
    while i < len(expression):
        ch = expression[i]
        if ch == "\\" and i + 1 < len(expression):
            nxt = expression[i + 1]
            table = _CLASS_BODY if in_class else _OUTSIDE
            out.append(table.get(nxt, ch + nxt))
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            i += 1
            # A "]" (after an optional "^") first in a class is a literal.
            if expression.startswith("^", i):
                out.append("^")
                i += 1
            if expression.startswith("]", i):
                out.append("\\]")
                i += 1
            continue
        if ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def compile_regex(expression: str, ignore_case: bool = False) -> "re2._Regexp":
    """Compile a rule's regular expression on RE2, whose matching time is linear in the text.

    Python syntax that needs backtracking (backreferences, lookaround, atomic groups, possessive
    quantifiers) is refused with a RegexError; there is no fallback to Python's ``re``."""
    if not isinstance(expression, str):
        raise RegexError("a regular expression must be a string")
    if len(expression) > MAX_REGEX_LENGTH:
        raise RegexError(f"the regular expression is {len(expression):,} characters long, "
                         f"over the limit of {MAX_REGEX_LENGTH:,}")
    options = re2.Options()
    options.log_errors = False
    options.max_mem = _REGEX_MEMORY
    options.case_sensitive = not ignore_case
    try:
        return re2.compile(_unicode_classes(expression), options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise RegexError(_one_line(reason) + _hint(reason, expression)) from None


def _one_line(reason: str, limit: int = 200) -> str:
    """RE2 quotes the offending part of the pattern: escape its newlines and controls, and cut it."""
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in reason)
    return text if len(text) <= limit else text[:limit] + "…"


_BACKTRACKING = ("invalid perl operator: (?=", "invalid perl operator: (?!", "invalid perl operator: (?<=",
                 "invalid perl operator: (?<!", "invalid perl operator: (?>")


def _hint(reason: str, expression: str) -> str:
    backreference = (reason.startswith("invalid escape sequence: \\") and reason[-1:].isdigit()
                     or reason == "invalid perl operator: (?P" and "(?P=" in expression)
    possessive = reason.startswith("bad repetition operator: ") and reason.endswith("+")
    if backreference or possessive or reason.startswith(_BACKTRACKING):
        return (" (lookaround, backreferences, atomic groups and possessive quantifiers need backtracking; "
                "poalint runs regular expressions on RE2, which guarantees linear time)")
    if reason == "invalid escape sequence: \\Z":
        return " (write \\z for the end of the text)"
    return ""


class ExpressionSet:
    """Which of several expressions occur in a text, found by one RE2 search per 50 expressions
    rather than one per expression. Each expression is also compiled alone (and so checked as
    ``compile_regex`` checks it), for the matches themselves."""

    #: Expressions per RE2 Set: one automaton for hundreds grows with the product of their
    #: partial matches and needs far more memory than several small ones.
    PER_SET = 50

    def __init__(self, expressions: list[str], ignore_case: bool = False):
        self.compiled = [compile_regex(expression, ignore_case) for expression in expressions]
        options = re2.Options()
        options.log_errors = False
        options.max_mem = _REGEX_MEMORY
        options.case_sensitive = not ignore_case
        #: Each Set, and the index of its first expression.
        self._sets: list[tuple[re2.Set, int, int]] = []
        for first in range(0, len(expressions), self.PER_SET):
            chunk = expressions[first:first + self.PER_SET]
            one = re2.Set.SearchSet(options)
            # A Set finds nothing at all when its automaton runs out of memory; this empty
            # expression, which every text matches, tells that apart from "none occurs".
            one.Add("")
            for expression in chunk:
                one.Add(_unicode_classes(expression))
            one.Compile()
            self._sets.append((one, first, len(chunk)))

    def found(self, text: str | bytes) -> set[int]:
        """The indices of the expressions that occur in ``text`` (UTF-8 when bytes)."""
        result: set[int] = set()
        for one, first, count in self._sets:
            hits = one.Match(text) or ()
            if 0 in hits:
                result.update(first + hit - 1 for hit in hits if hit)
            else:  # out of memory: each expression on its own
                result.update(i for i in range(first, first + count) if self.compiled[i].search(text))
        return result
