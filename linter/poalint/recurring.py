"""What is worked out from a text once and reused whenever the same text recurs in the run.

Letters kept together repeat their paragraphs (an agency's boilerplate), so functions of a
paragraph's text keep their results for the last ``TEXTS`` texts of up to ``LENGTH``
characters each: about 8 MiB per function at most, of ASCII text. A longer text is worked out
each time it occurs.

This is for plain results of a text that need no spaCy Doc: the reader's markup masking and
heading tests (reading/markdown.py, reading/sections.py), which run before any analysis, and
textstat's counts (rules/kinds/metric.py). What is worked out from a block's Doc is kept with
the Doc, in one record per block text (poalint.analysis.blocks).
"""
from __future__ import annotations

import functools

TEXTS = 1024
LENGTH = 2048


def kept_for_recurring(function):
    """``function(text, *more)``, its results kept for recurring short texts (the other
    arguments must be hashable and, like the text, all that the result depends on)."""
    kept = functools.lru_cache(maxsize=TEXTS)(function)

    @functools.wraps(function)
    def call(text: str, *more):
        return kept(text, *more) if len(text) <= LENGTH else function(text, *more)
    call.cache_info, call.cache_clear = kept.cache_info, kept.cache_clear
    return call
