"""Readers: prose without markup at the original offsets, encodings, headings and sections."""
from __future__ import annotations


import textwrap

import pytest

from conftest import FIXTURES, KINDS_PACK, findings_json
from poalint.config import Config
from poalint.reading import read_file, read_text
from poalint.rules.ruleset import load_ruleset

LETTERS = FIXTURES / "letters"


@pytest.fixture(scope="module")
def roles():
    return load_ruleset(Config()).roles


def test_markdown_blocks_hide_markup_but_keep_offsets(roles):
    source = "## Root Cause\n\n- **Our** *supplier* [was](https://x.example) `unverified`.\n"
    doc = read_text(source, "a.md", roles)
    heading, item = doc.blocks
    assert heading.kind == "heading" and heading.text.strip() == "Root Cause"
    assert len(item.text) == len(source[item.start:item.end])
    assert " ".join(item.text.split()) == "Our supplier was unverified ."
    # every visible word sits at its own offset in the source
    for word in ("Our", "supplier", "was", "unverified"):
        at = item.text.index(word)
        assert source[item.start + at:item.start + at + len(word)] == word
    assert "https" not in item.text


def test_a_reference_link_reads_by_its_own_letters_definitions(roles):
    # Inline content is parsed once per distinct text; a letter that defines link references
    # parses the same words differently, so it must not reuse another letter's parse.
    paragraph = "We [fixed][1] the listing.\n"
    undefined = read_text(paragraph, "a.md", roles)
    defined = read_text(paragraph + "\n[1]: https://x.example\n", "b.md", roles)
    assert " ".join(undefined.blocks[0].text.split()) == "We [fixed][1] the listing."
    assert " ".join(defined.blocks[0].text.split()) == "We fixed the listing."
    assert read_text(paragraph, "c.md", roles).blocks == undefined.blocks


def test_a_paragraph_seen_before_reads_as_it_did_the_first_time(roles):
    from poalint import recurring
    from poalint.reading import markdown

    source = ("## Root Cause\n\nOur **packer** sent `9` returns <!-- poalint-disable-line --> as new.\n\n"
              "**Corrective Actions**\n\n1. We [moved](https://x.example) returns to a separate shelf.\n")
    markdown._recurring_prose.cache_clear()
    markdown._masked.cache_clear()
    first = read_text(source, "a.md", roles)
    again = read_text(source, "a.md", roles)
    assert markdown._recurring_prose.cache_info().hits > 0 and markdown._masked.cache_info().hits > 0
    assert (again.blocks, again.sections, again.quoted_spans, again.directives) == \
        (first.blocks, first.sections, first.quoted_spans, first.directives)
    assert [b.kind for b in first.blocks] == ["heading", "paragraph", "heading", "item"]
    assert len(first.directives) == 1
    # A paragraph longer than any kept is read all the same, and not kept.
    kept = markdown._recurring_prose.cache_info().currsize
    long = " ".join(["We checked every order."] * (recurring.LENGTH // 10))
    assert read_text(long + "\n", "b.md", roles).blocks[0].text == long
    assert markdown._recurring_prose.cache_info().currsize == kept


def test_markdown_fixture_findings_point_into_the_source(run):
    path = LETTERS / "markdown-markup.md"
    found = findings_json(run("check", "--rules", KINDS_PACK, "--select", "test-existence",
                              "--format", "json", path))
    source = path.read_text("utf-8")
    # the blockquoted notice is skipped; the bold list item is flagged at its exact place
    assert len(found) == 1
    f = found[0]
    assert source[f["start"]:f["end"]] == f["text"] == "as soon as possible"
    line = source.splitlines()[f["line"] - 1]
    assert line[f["column"] - 1:f["end_column"] - 1] == "as soon as possible"
    assert line.startswith("- **We will fix")


def test_bom_and_crlf(run):
    path = LETTERS / "crlf-bom.txt"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    found = findings_json(run("check", "--rules", KINDS_PACK, "--select", "test-existence",
                              "--format", "json", path))
    text = raw.decode("utf-8-sig")
    assert [(f["line"], f["text"].lower()) for f in found] == [(4, "we will try to")]
    for f in found:
        assert text[f["start"]:f["end"]] == f["text"]
        assert f["line"] == text[:f["start"]].count("\n") + 1


def test_plain_text_heading_shapes(roles):
    doc = read_file(LETTERS / "plain-headings.txt", roles)
    got = [(s.title, s.role) for s in doc.sections if s.heading]
    assert got == [
        ("1) Reason for the suspension", "root-cause"),
        ("A. What went wrong", "root-cause"),
        ("WHAT WE FIXED", "corrective"),
        ("The steps you have taken to prevent the issue from happening again.", "preventive"),
    ]


@pytest.mark.parametrize("line, role", [
    ("Root Cause:", "root-cause"),
    ("ROOT CAUSE ANALYSIS", "root-cause"),
    ("Step 2: Corrective Actions", "corrective"),
    ("**Immediate Actions Taken**", "corrective"),
    ("Steps to prevent this going forward:", "preventive"),
    ("The root cause(s) of the issue.", "root-cause"),
    ("The actions you have taken to resolve the issue.", "corrective"),
    ("Preventative Controls", "preventive"),
    ("C) What we have done to stop and prevent these late shipments from coming back:", "preventive"),
])
def test_heading_variants_get_their_role(roles, line, role):
    doc = read_text(f"Dear team,\n\n{line}\n\nWe checked every order.\n", "a.md", roles)
    headings = [s for s in doc.sections if s.heading]
    assert [(s.role) for s in headings] == [role]


def test_inline_heading_label_splits_off(roles):
    doc = read_text("Root Cause: our buyer skipped the invoice check.\n", "a.txt", roles)
    assert [s.role for s in doc.sections if s.heading] == ["root-cause"]
    assert doc.blocks[1].text.strip() == "our buyer skipped the invoice check."


def test_sentences_that_end_in_a_colon_are_not_headings(roles):
    doc = read_text("Amazon's notice of 4 March 2025 reads:\n\nWe refunded.\n", "a.md", roles)
    assert all(b.kind != "heading" for b in doc.blocks)
    long_item = "2) We now check every parcel before it leaves so that wrong items never reach a buyer again.\n"
    assert all(b.kind != "heading" for b in read_text(f"Dear team,\n\n{long_item}", "a.txt", roles).blocks)


def test_empty_section_is_a_heading_followed_by_a_heading(roles):
    doc = read_file(LETTERS / "empty-sections.md", roles)
    root = [s for s in doc.sections if s.role == "root-cause"][0]
    assert not [b for b in doc.blocks if b.section == root.index and b.kind != "heading"]


def test_markdown_subheading_inherits_its_parent_role(roles):
    doc = read_text("## Root Cause\n\n### Supplier\n\nOur supplier.\n\n## Notes\n\nHi.\n", "a.md", roles)
    assert [s.role for s in doc.sections if s.heading] == ["root-cause", "root-cause", "other"]


def test_a_numbered_markdown_line_over_its_own_paragraphs_is_a_heading(roles):
    """ "2. Root Cause Analysis" with paragraphs under it is a list of one item to Markdown, and a
    heading to a reader; a list of several items stays a list."""
    text = ("Dear team,\n\n1. Summary\n\nWe sell cookware.\n\n2. Root Cause Analysis\n\n"
            "Nobody updated the shipping template when the stock moved.\n\n3. Corrective Actions\n\n"
            "- We moved 38 SKUs to a 3-day template on 15 March.\n- We added a location column.\n")
    doc = read_text(text, "a.md", roles)
    assert [(s.role, s.title) for s in doc.sections if s.heading] == [("root-cause", "Root Cause Analysis"),
                                                                       ("corrective", "Corrective Actions")]
    listed = read_text("This letter covers:\n\n1. Root cause\n2. Corrective actions\n3. Prevention\n", "b.md", roles)
    assert [b.kind for b in listed.blocks] == ["paragraph", "item", "item", "item"]
    # the text right under a numbered heading, with no blank line, is part of its item to Markdown
    tight = read_text("1. Root cause\nOur buyer relied on a European test report.\n\n2. Actions taken\n\n"
                      "- We removed 260 units on 3 May.\n", "c.md", roles)
    assert [(b.kind, b.text.strip()) for b in tight.blocks] == [
        ("heading", "Root cause"), ("paragraph", "Our buyer relied on a European test report."),
        ("heading", "Actions taken"), ("item", "We removed 260 units on 3 May.")]
    assert tight.source[tight.blocks[1].start:tight.blocks[1].end] == tight.blocks[1].text


@pytest.mark.parametrize("text, blocks", [
    ("-\n", []),
    ("- \n\nWe refunded 12 buyers.\n", [("paragraph", "We refunded 12 buyers.")]),
    ("1. Root cause\n-\n\nNobody checked the labels.\n", [("heading", "Root cause"), ("paragraph", "Nobody checked the labels.")]),
])
def test_empty_list_items_have_no_block(roles, text, blocks):
    assert [(b.kind, b.text.strip()) for b in read_text(text, "a.md", roles).blocks] == blocks


@pytest.mark.parametrize("data, message", [
    (b"", "empty letter"),
    (b"  \n\n\t\n", "empty letter"),
    (b"PK\x03\x04\x00\x00binary", "binary file"),
])
def test_bad_input_is_one_line_and_exit_2(run, letter, data, message):
    path = letter(data, "bad.txt")
    result = run("check", path)
    assert result.exit_code == 2
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0] and message in err[0]
    assert "Traceback" not in result.output


def test_a_bad_file_does_not_stop_the_others(run, letter):
    good = letter("We refunded every buyer on 3 May 2024.\n", "good.md")
    result = run("check", "missing.md", good)
    assert result.exit_code == 2
    assert "missing.md: no such file" in result.stderr
    assert "in 1 file checked" in result.stdout


def test_inline_code_is_not_the_letters_wording(run, letter):
    path = letter("We renamed the `ship_as_soon_as_possible` flag. The template said `as soon as possible`.\n")
    found = findings_json(run("check", "--rules", KINDS_PACK, "--select", "test-existence", "--format", "json", path))
    assert found == []


@pytest.mark.parametrize("text", ["It was **not** our fault.\n", "It was not\nour fault.\n", "It was not  our fault.\n"])
def test_phrases_match_across_markup_line_breaks_and_double_spaces(run, letter, tmp_path, text):
    rules = tmp_path / "r.yaml"
    rules.write_text(textwrap.dedent("""\
        rules:
          - id: not-our-fault
            kind: existence
            severity: warning
            message: "{match}"
            description: Blame.
            phrases: ["not our fault"]
    """), "utf-8")
    path = letter(text)
    found = findings_json(run("check", "--rules", rules, "--select", "not-our-fault", "--format", "json", path))
    assert len(found) == 1
    f = found[0]
    assert text[f["start"]:f["end"]] == f["text"] and f["text"].startswith("not") and f["text"].endswith("fault")
    assert f["message"] == "not our fault"
