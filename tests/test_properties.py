"""Property-based tests of the engine (hypothesis): any text, any Markdown, never a traceback;
every finding points inside the file at exactly its text; same input, same output; findings
sorted and never duplicated."""
from __future__ import annotations

import os
from typing import NamedTuple

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is a test extra: pip install -e '.[test]'")
from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from poalint.config import Config  # noqa: E402
from poalint.rules.engine import Linter  # noqa: E402
from poalint.errors import PoalintError  # noqa: E402
from poalint.analysis.pipeline import Pipeline  # noqa: E402
from poalint.reading import read_text  # noqa: E402
from poalint.rules.ruleset import load_ruleset  # noqa: E402

#: POALINT_PROPERTY_EXAMPLES=2000 for a longer hunt; the default keeps the file under ~30 s.
EXAMPLES = int(os.environ.get("POALINT_PROPERTY_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(load_ruleset(Config()), Pipeline.load(None))


def lint(linter: Linter, source: str, name: str):
    """The result, or None for a letter the reader refuses with its one-line error."""
    try:
        document = read_text(source, name, linter.ruleset.roles)
    except PoalintError as exc:
        assert "\n" not in str(exc) and exc.path == name
        return None, None
    return document, linter.lint(document, "auto")


def check_findings(document, result) -> None:
    source = document.source
    findings = result.findings
    assert list(findings) == sorted(set(findings)), "findings are sorted and unique"
    for f in findings:
        assert 0 <= f.start <= f.end <= len(source), f
        if f.text is not None:
            assert f.text == source[f.start:f.end], f
        assert (f.line, f.column) == document.position(f.start), f
        assert f.line <= f.end_line and (f.line < f.end_line or f.column <= f.end_column), f


# Arbitrary Unicode, and text made of the pieces letters are made of ---------------------------
WORDS = ["we", "will", "try", "to", "hopefully", "Amazon", "our", "supplier", "root cause", "sorry",
         "[Seller Name]", "{{order_id}}", "XXXX", "ASIN B0DK9PX3WM", "15 May 2024", "40 units", "etc.",
         "“quoted”", '"quoted"', "’", "café", "٣", "\u00a0", "\u200b", "\t", "  ", ".", ",", ":", "?", "!"]
LINE_ENDS = ["\n", "\r\n", "\r", "\n\n", "\u2028", "\x0b", "\x0c"]

words = st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=12).map(" ".join)
line = st.tuples(st.sampled_from(["", "# ", "## ", "### ", "- ", "* ", "1. ", "2) ", "> ", "> > ", "    ",
                                  "Root Cause: ", "ROOT CAUSE", "Step 1: ", "| a | b |\n|---|---|\n| ", "```\n",
                                  "<!-- poalint-disable -->", "<!-- ", "---\n", "***", "<insert date> ",
                                  "**", "_", "`", "[link](http://x) ", "![img](y) ", "\\", "&amp; "]),
                 words, st.sampled_from(["", "**", "`", "_", " -->", ":", "  "]),
                 st.sampled_from(LINE_ENDS)).map("".join)
markdown = st.lists(line, max_size=25).map("".join)
front_matter = st.tuples(st.sampled_from(["", "---\nprofile: poa\n---\n", "---\n: [\n---\n", "---\n---\n"]),
                         markdown).map("".join)


@SETTINGS
@given(source=st.text(max_size=3000), name=st.sampled_from(["letter.md", "letter.txt"]))
def test_any_unicode_text(linter, source, name):
    document, result = lint(linter, source, name)
    if document is None:
        return
    check_findings(document, result)


@SETTINGS
@given(source=front_matter, name=st.sampled_from(["letter.md", "letter.txt", "letter.markdown"]))
def test_any_markdown(linter, source, name):
    document, result = lint(linter, source, name)
    if document is None:
        return
    check_findings(document, result)


@settings(SETTINGS, max_examples=max(1, EXAMPLES // 4))
@given(source=markdown)
def test_same_input_same_output(linter, source):
    first = lint(linter, source, "letter.md")[1]
    second = lint(linter, source, "letter.md")[1]
    assert first == second


inline_content = st.lists(st.sampled_from(WORDS + ["**", "*", "_", "`", "\\*", "&amp;", "&copy;", "<!-- x -->", "<b>",
                                                   "[a](http://x)", "![i](y)", "<http://x>", "\\", "[b][1]"]),
                          max_size=20).map(" ".join)


@SETTINGS
@given(content=inline_content)
def test_inline_content_reads_as_markdown_its_own_pipeline_does(content):
    """The reader parses inline content itself, once per distinct text, with markdown-it's own
    inline and text_join rules: what it keeps equals what markdown-it's full pipeline gives."""
    from markdown_it import MarkdownIt

    from poalint.reading import markdown

    (token,) = MarkdownIt("commonmark").enable("table").parseInline(content)
    children = token.children
    expected = (
        tuple((c.content, c.type == "code_inline") for c in children
              if c.content and (c.type in ("text", "code_inline")
                                or (c.type == "html_inline" and not c.content.startswith("<!--")))),
        tuple(c.content for c in children if c.type == "html_inline" and c.content.startswith("<!--")),
    )
    prose = markdown._inline_prose(content, {})
    assert (prose.pieces, prose.comments) == expected
    assert prose.bold_only == markdown._is_bold_only(children)


unicode_text = st.text(st.characters(exclude_categories=("Cs",)))  # no lone surrogates: no UTF-8 text holds one
json_values = st.recursive(
    # orjson writes floats under 0.0001 without an exponent, the standard library with one; a
    # report's numbers are counts, positions, scores and metrics rounded to one decimal.
    st.none() | st.booleans() | st.integers(-(2 ** 63), 2 ** 63 - 1) | unicode_text
    | st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: x == 0 or abs(x) >= 1e-4),
    lambda members: st.lists(members, max_size=6) | st.dictionaries(unicode_text, members, max_size=6),
    max_leaves=30)


@SETTINGS
@given(value=json_values)
def test_reports_are_json_as_the_standard_library_indents_it(value):
    """The JSON-based reports are encoded by orjson, a list or a mapping holding one member by
    member: the text is exactly the standard library's, the contract docs/json-output.md states."""
    import json

    from poalint.reporting.formats.encoding import json_text

    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False) + "\n"


PARAGRAPH_WORDS = ["Dear Seller Performance Team,", "Thank you.", "Regards,", "We", "refunded", "the", "buyers",
                   "sellers'", "don't", "’s", "re-trained", "3", "orders.", "Why?", "Done!", "e.g.", "“quoted.”",
                   "(ASIN B0DK9PX3WM)", "...", "-", "—", "café", "٣", "'", '"', ":", ";"]
paragraphs = st.lists(st.lists(st.sampled_from(PARAGRAPH_WORDS) | st.text(max_size=6), max_size=14).map(" ".join),
                      max_size=8)


class _Block(NamedTuple):
    text: str
    kind: str = "paragraph"


@pytest.fixture(scope="module")
def blank() -> Pipeline:
    return Pipeline.load(None)


@SETTINGS
@given(texts=paragraphs)
@example(texts=["Dear Seller Performance Team,", "We refunded 3 buyers.", "Thank you.", "Regards,", "Jo Lee"])
@example(texts=["Thank you.", "Done!"])  # sentences of one or two words: textstat would skip them
@example(texts=["We buy e.g. three pallets.", "Removed the listing"])  # textstat would cut at "e.g."
def test_readability_index_summed_by_block_is_textstats_formula_over_reader_sentences(blank, texts):
    """The Automated Readability Index is summed from textstat's counts of each block (so that
    recurring blocks are counted once) over the sentences a reader counts (each given an end mark):
    it must equal textstat's formula applied to textstat's character and word counts of the whole
    text textstat is given, with the reader's sentence count. (It used textstat's own sentence
    count until the reader's sentences replaced it: textstat cuts at "e.g.", skips sentences of
    one or two words, and runs list items without a full stop into one.)"""
    import textstat

    from poalint.analysis.blocks import BlockAnalysis
    from poalint.rules.kinds import metric

    blocks = []
    for text in texts:
        analysis = BlockAnalysis.tokenised(blank.nlp, text)
        analysis.doc = blank.nlp(analysis.doc)
        blocks.append((_Block(text), analysis))
    whole = "\n\n".join(metric._reader_texts(blocks))
    sentences = sum(1 for _, analysis in blocks for sentence in analysis.sentences if sentence.words)
    chars, tokens, words = (textstat.char_count(whole), textstat.lexicon_count(whole, removepunct=False),
                            textstat.lexicon_count(whole))
    expected = 0.0
    if sentences and chars and words:
        # term for term as textstat 0.7.8 computes it (the order decides a tie at .x5)
        expected = round(4.71 * (chars / tokens) + 0.5 * (words / sentences) - 21.43, 1)
    assert metric._automated_readability_index(blocks) == expected
    if sentences and textstat.sentence_count(whole) == sentences:  # textstat agrees on the sentences
        assert expected == metric._textstat("automated_readability_index")(blocks)
