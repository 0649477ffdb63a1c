"""Template mode: letters with declared variables, as agencies keep them.

Variables (``{{ name }}`` by default) are not unfilled placeholders: for the NLP each becomes a
neutral stand-in of the same length, so sentences still parse and offsets still hold, and no
finding may point inside one. With a vars file the template is rendered by plain substitution
(no template code is ever run) and linted as the letter a seller would send.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from poalint.reading.document import Document
from poalint.reading.letter_text import check_text_length
from poalint.errors import PoalintError
from poalint.regex import RegexError, compile_regex
from poalint.settings import load_yaml

DEFAULT_VARIABLE = r"\{\{\s*(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}"
_STAND_IN = "Acme"


def variable_pattern(expression: str | None, where: str = "template_variable"):
    """The variable pattern, compiled on RE2 like every configurable regular expression."""
    try:
        pattern = compile_regex(expression or DEFAULT_VARIABLE)
    except RegexError as exc:
        raise PoalintError(f"invalid regular expression: {exc}", key=where) from None
    if "name" not in pattern.groupindex:
        raise PoalintError("the variable pattern needs a group named `name`, e.g. (?P<name>\\w+)", key=where)
    return pattern


def stand_in(length: int) -> str:
    return (_STAND_IN if length >= len(_STAND_IN) else "A" * length).ljust(length)


def neutralise(document: Document, pattern: re.Pattern) -> Document:
    """The document with every variable replaced by a stand-in, and the variables' spans noted."""
    spans: list[tuple[int, int]] = []
    blocks = []
    for block in document.blocks:
        text = block.text
        for match in pattern.finditer(block.text):
            text = text[:match.start()] + stand_in(match.end() - match.start()) + text[match.end():]
            spans.append((block.start + match.start(), block.start + match.end()))
        blocks.append(replace(block, text=text) if text != block.text else block)
    return replace(document, blocks=blocks, variables=sorted(spans))


def load_values(path: Path) -> dict[str, str]:
    data, _ = load_yaml(path, "vars file")
    if not isinstance(data, dict) or not all(isinstance(v, (str, int, float)) for v in data.values()):
        raise PoalintError("a vars file must be a mapping of variable names to text or numbers", path=str(path))
    return {str(k): str(v) for k, v in data.items()}


def render(source: str, name: str, pattern: re.Pattern, values: dict[str, str], vars_path: Path) -> str:
    """Plain substitution; every variable must have a value and every value must be used."""
    source = str(source)  # RE2's sub builds its result as type(source)(): a plain str, not a LetterText
    used = {m["name"] for m in pattern.finditer(source)}
    missing = sorted(used - set(values))
    if missing:
        raise PoalintError(f"variable {missing[0]!r} has no value in {vars_path}", path=name)
    unused = sorted(set(values) - used)
    if unused:
        raise PoalintError(f"{vars_path} sets {unused[0]!r}, which this template never uses", path=name)
    # A value used many times multiplies: measure the result before building it.
    check_text_length(len(source) + sum(len(values[m["name"]]) - (m.end() - m.start()) for m in pattern.finditer(source)),
                      name, f"filled in from {vars_path}, the letter would be")
    return pattern.sub(lambda m: values[m["name"]], source)
