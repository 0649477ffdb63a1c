"""Word .docx letters (¶ positions, structure from styles) and encodings (UTF-16, Windows-1252)."""
from __future__ import annotations

import codecs
import json

import docx
import pytest

from conftest import KINDS_PACK, findings_json
from poalint.config import Config
from poalint.reading import CP1252_NOTE, decode, letter_text, read_file, read_text
from poalint.rules.ruleset import load_ruleset

PLACEHOLDER = "unfilled-placeholder"


@pytest.fixture(scope="module")
def roles():
    return load_ruleset(Config()).roles


def build_letter(path):
    """A .docx with a Title, Word headings, a bold-only heading, bullets, smart quotes and a table.

    Its Word paragraphs, numbered as poalint numbers them:
      ¶1 Title  ¶2 greeting  ¶3 Heading 1  ¶4 root cause  ¶5 bold heading  ¶6-7 list items
      ¶8 smart quotes  ¶9 Heading 2  ¶10-11 table rows
    """
    word = docx.Document()
    word.add_paragraph("Plan of Action for Brightwater Pet Supply", style="Title")
    word.add_paragraph("Dear Seller Performance Team,")
    word.add_paragraph("")  # empty paragraphs are not counted
    word.add_heading("Root Cause", level=1)
    word.add_paragraph("Our supplier sent the wrong invoices for order [ORDER ID] in March.")
    bold = word.add_paragraph()
    bold.add_run("Corrective ").bold = True
    bold.add_run("Actions").bold = True
    word.add_paragraph("We refunded every affected buyer on 3 May 2024.", style="List Bullet")
    word.add_paragraph("We removed listing XXX from sale.", style="List Number")
    word.add_paragraph("Amazon asked us to reply “as soon as possible” and we will fix it as soon as possible.")
    word.add_heading("Preventive Measures", level=2)
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Owner"
    table.cell(0, 1).text = "Check"
    table.cell(1, 0).text = "[SELLER NAME]"
    table.cell(1, 1).text = "Daily invoice review"
    word.save(path)
    return path


@pytest.fixture
def word_letter(tmp_path):
    return build_letter(tmp_path / "letter.docx")


def test_docx_text_has_one_paragraph_per_line(word_letter):
    text = letter_text(word_letter.read_bytes(), str(word_letter))
    assert str(text) == (
        "Plan of Action for Brightwater Pet Supply\n\n"
        "Dear Seller Performance Team,\n\n"
        "Root Cause\n\n"
        "Our supplier sent the wrong invoices for order [ORDER ID] in March.\n\n"
        "Corrective Actions\n\n"
        "- We refunded every affected buyer on 3 May 2024.\n\n"
        "- We removed listing XXX from sale.\n\n"
        "Amazon asked us to reply “as soon as possible” and we will fix it as soon as possible.\n\n"
        "Preventive Measures\n\n"
        "Owner | Check\n\n"
        "[SELLER NAME] | Daily invoice review\n"
    )


def test_docx_structure_comes_from_word_styles(word_letter, roles):
    doc = read_file(word_letter, roles)
    headings = [(s.title, s.role, s.heading.level) for s in doc.sections if s.heading]
    assert headings[1:] == [("Root Cause", "root-cause", 1), ("Corrective Actions", "corrective", 0),
                            ("Preventive Measures", "preventive", 2)]
    assert headings[0][:1] == ("Plan of Action for Brightwater Pet Supply",) and headings[0][2] == 1
    items = [b for b in doc.blocks if b.kind == "item"]
    assert [b.text for b in items] == ["  We refunded every affected buyer on 3 May 2024.",
                                       "  We removed listing XXX from sale."]
    assert all(doc.sections[b.section].role == "corrective" for b in items)
    rows = [b for b in doc.blocks if "invoice review" in b.text or "Owner" in b.text]
    assert [b.kind for b in rows] == ["paragraph", "paragraph"] and "|" not in rows[1].text
    for block in doc.blocks:  # the Document invariant holds for the extracted text
        assert len(block.text) == len(doc.source[block.start:block.end])
    assert len(doc.paragraph_spans) == 11
    start, end = doc.paragraph_spans[5]  # ¶6, a list item: its Word text, without "- "
    assert doc.source[start:end] == "We refunded every affected buyer on 3 May 2024."
    assert doc.paragraph_position(start - 2) == (6, 1)  # on the "- " marker


def test_docx_text_output_gives_word_paragraphs(run, word_letter):
    result = run("check", "--no-cache", "--select", PLACEHOLDER, word_letter)
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if PLACEHOLDER in line]
    assert [line.split(": error")[0] for line in lines] == [
        f"{word_letter}:¶4:48", f"{word_letter}:¶7:20", f"{word_letter}:¶11:1"]
    assert "   ¶4 | Our supplier sent the wrong invoices for order [ORDER ID] in March." in result.stdout


def test_docx_json_keeps_lines_and_adds_paragraph(run, word_letter):
    output = json.loads(run("check", "--no-cache", "--select", PLACEHOLDER, "--format", "json", word_letter).output)
    source = str(letter_text(word_letter.read_bytes(), str(word_letter)))
    found = output["files"][0]["findings"]
    assert [(f["text"], f["paragraph"], f["line"], f["column"]) for f in found] == [
        ("[ORDER ID]", 4, 7, 48), ("XXX", 7, 13, 22), ("[SELLER NAME]", 11, 21, 1)]
    for f in found:
        assert source[f["start"]:f["end"]] == f["text"]


def test_docx_smart_quotes_are_quotations(run, word_letter):
    found = findings_json(run("check", "--no-cache", "--rules", KINDS_PACK, "--select", "test-existence",
                              "--format", "json", word_letter))
    assert [(f["text"], f["paragraph"], f["column"]) for f in found] == [("as soon as possible", 8, 67)]


def test_docx_results_come_back_from_the_cache(run, word_letter):
    first = run("check", "--select", PLACEHOLDER, "--format", "json", word_letter).output
    again = run("check", "--select", PLACEHOLDER, "--format", "json", word_letter).output
    assert again == first and '"paragraph": 11' in again


def test_docx_is_found_in_directories(run, word_letter):
    result = run("check", "--no-cache", "--select", PLACEHOLDER, "--format", "json", word_letter.parent)
    assert [f["path"] for f in json.loads(result.output)["files"]] == [str(word_letter)]


def test_plain_text_findings_have_no_paragraph(run, letter):
    path = letter("We refunded XXX buyers.\n", "a.txt")
    result = run("check", "--no-cache", "--select", PLACEHOLDER, "--format", "json", path)
    assert "paragraph" not in findings_json(result)[0]
    assert f"{path}:1:13: error" in run("check", "--no-cache", "--select", PLACEHOLDER, path).stdout


def test_bold_paragraph_that_is_a_sentence_stays_prose(tmp_path, roles):
    word = docx.Document()
    word.add_paragraph("Dear team,")
    word.add_paragraph().add_run("We have refunded every buyer and we checked every order again.").bold = True
    word.save(tmp_path / "b.docx")
    doc = read_file(tmp_path / "b.docx", roles)
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


def test_plain_text_headings_inside_word_paragraphs(tmp_path, roles):
    word = docx.Document()
    word.add_paragraph("Root Cause: our buyer skipped the invoice check.")
    word.add_paragraph("WHAT WE FIXED")
    word.add_paragraph("We retrained the team.")
    word.save(tmp_path / "p.docx")
    doc = read_file(tmp_path / "p.docx", roles)
    assert [s.role for s in doc.sections if s.heading] == ["root-cause", "corrective"]


@pytest.mark.parametrize("data, message", [
    (b"Dear team, this is not a Word file.", "not a Word .docx file (not a zip archive)"),
    (b"PK\x05\x06" + b"\x00" * 18, "not a"),  # an empty zip
])
def test_corrupt_docx_is_one_line_and_exit_2(run, letter, data, message):
    path = letter(data, "broken.docx")
    good = letter("We refunded every buyer on 3 May 2024.\n", "good.txt")
    result = run("check", "--no-cache", path, good)
    assert result.exit_code == 2
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"poalint: error: {path}: ") and message in err[0]
    assert "in 1 file checked" in result.stdout


def test_empty_docx_is_an_empty_letter(run, tmp_path):
    word = docx.Document()
    word.add_paragraph("   ")
    word.save(tmp_path / "empty.docx")
    result = run("check", "--no-cache", tmp_path / "empty.docx")
    assert result.exit_code == 2 and "empty letter" in result.stderr


def test_docx_template_variables(run, tmp_path):
    word = docx.Document()
    word.add_heading("Root Cause", level=1)
    word.add_paragraph("We are {{ seller_name }} and we refunded order [ORDER ID].")
    word.save(tmp_path / "t.docx")
    found = findings_json(run("check", "--no-cache", "--template", "--select", PLACEHOLDER, "--format", "json",
                              tmp_path / "t.docx"))
    assert [(f["text"], f["paragraph"]) for f in found] == [("[ORDER ID]", 2)]
    (tmp_path / "v.yaml").write_text("seller_name: Brightwater Pet Supply\n", "utf-8")
    found = findings_json(run("check", "--no-cache", "--vars", tmp_path / "v.yaml", "--select", PLACEHOLDER,
                              "--format", "json", tmp_path / "t.docx"))
    assert [(f["text"], f["paragraph"]) for f in found] == [("[ORDER ID]", 2)]


# Encodings ----------------------------------------------------------------------------------

LETTER = "Dear team,\r\nWe sell café mugs and refunded XXX buyers “quickly”.\r\n"


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF16_LE + LETTER.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + LETTER.encode("utf-16-be"),
    codecs.BOM_UTF8 + LETTER.encode("utf-8"),
    LETTER.encode("utf-8"),
], ids=["utf-16-le", "utf-16-be", "utf-8-bom", "utf-8"])
def test_unicode_encodings_read_alike_without_a_note(run, letter, data):
    path = letter(data, "letter.txt")
    assert str(decode(data, str(path))) == LETTER
    result = run("check", "--no-cache", "--select", PLACEHOLDER, "--format", "json", path)
    found = findings_json(result)
    assert [(f["rule"], f["text"], f["line"], f["column"], f["start"]) for f in found] == [
        (PLACEHOLDER, "XXX", 2, 32, 43)]
    assert LETTER[43:46] == "XXX" and LETTER.splitlines()[1][31:34] == "XXX"


def test_windows_1252_is_read_with_an_encoding_note(run, letter):
    data = b"Dear team,\r\nWe sell caf\xe9 mugs and refunded XXX buyers \x93quickly\x94.\r\n"
    path = letter(data, "letter.txt")
    assert decode(data, str(path)).notes == (CP1252_NOTE,)
    result = run("check", "--no-cache", "--select", PLACEHOLDER, "--format", "json", path)
    found = findings_json(result)
    assert [(f["rule"], f["severity"], f["text"], f["line"], f["column"]) for f in found] == [
        ("encoding", "info", None, 1, 1), (PLACEHOLDER, "error", "XXX", 2, 32)]
    assert found[0]["message"] == "Not UTF-8: read as Windows-1252; save the letter as UTF-8."
    assert found[0]["end_column"] == len("Dear team,") + 1
    text = run("check", "--no-cache", "--select", PLACEHOLDER, path).stdout
    assert f"{path}:1:1: info encoding Not UTF-8: read as Windows-1252" in text
    assert "We sell café mugs and refunded XXX buyers “quickly”." in text
    assert text.count("info encoding") == 1


def test_encoding_note_is_once_per_file_and_survives_the_cache(run, letter):
    path = letter(b"We refunded XXX buyers, caf\xe9.\n", "a.txt")
    first = run("check", "--format", "json", path).output
    again = run("check", "--format", "json", path).output
    assert first == again
    assert [f["rule"] for f in findings_json(run("check", "--format", "json", path))].count("encoding") == 1


def test_encoding_note_with_other_rules_and_fail_on_info(run, letter):
    path = letter(b"We will try to refund the buyers. Caf\xe9.\n", "a.md")
    result = run("check", "--no-cache", "--rules", KINDS_PACK, "--select", "test-existence", "--format", "json",
                 path)
    # sorted by position: the note spans line 1, the hedge starts there too but ends first
    assert [f["rule"] for f in findings_json(result)] == ["test-existence", "encoding"]
    clean = letter(b"We refunded every buyer on 3 May 2024. Caf\xe9.\n", "b.md")
    assert run("check", "--no-cache", "--select", PLACEHOLDER, clean).exit_code == 0
    assert run("check", "--no-cache", "--select", PLACEHOLDER, "--fail-on", "info", clean).exit_code == 1


def test_undefined_windows_1252_bytes_do_not_fail(letter):
    data = b"Caf\xe9 \x81\x8d\x8f\x90\x9d ok"
    assert str(decode(data, "x.txt")) == "Café \x81\x8d\x8f\x90\x9d ok"


def test_binary_is_still_refused_but_utf16_is_not(run, letter):
    path = letter(b"We\x00sell\x00", "bin.txt")
    result = run("check", "--no-cache", path)
    assert result.exit_code == 2 and "binary file" in result.stderr
    assert str(decode(codecs.BOM_UTF16_LE + "We sell.".encode("utf-16-le"), "x.txt")) == "We sell."


def test_a_docx_is_never_decoded_as_text(word_letter):
    data = word_letter.read_bytes()
    assert b"\x00" in data or data.startswith(b"PK")
    text = letter_text(data, str(word_letter))
    assert text.notes == () and text.startswith("Plan of Action")


def test_read_text_takes_notes_from_the_letter_text(roles):
    doc = read_text(decode(b"Caf\xe9 owners refunded.\n", "a.txt"), "a.txt", roles)
    assert doc.notes == [CP1252_NOTE] and doc.source == "Café owners refunded.\n"


# max_file_size --------------------------------------------------------------------------------

@pytest.mark.parametrize("limit, exit_code", [(100, 2), (195, 0)])
def test_max_file_size_from_the_configuration(run, tmp_path, limit, exit_code):
    body = "We refunded every buyer on 3 May 2024.\n" * 5  # 195 bytes
    folder = tmp_path / f"limit{limit}"  # configurations are discovered once per folder and run
    folder.mkdir()
    (folder / ".poalint.yaml").write_text(f"max_file_size: {limit}\n", "utf-8")
    path = folder / "a.txt"
    path.write_text(body, "utf-8")
    result = run("check", "--no-cache", "--select", PLACEHOLDER, path)
    assert result.exit_code == exit_code
    if exit_code:
        assert f"{path}: file is {len(body):,} bytes, over the {limit}-byte limit" in result.stderr


def test_max_file_size_default_and_validation(run, tmp_path):
    assert Config().max_file_size == 2 * 1024 * 1024
    (tmp_path / "v").mkdir()
    path = tmp_path / "v" / "a.txt"
    path.write_text("We refunded every buyer.\n", "utf-8")
    (tmp_path / "v" / ".poalint.yaml").write_text("max_file_size: big\n", "utf-8")
    result = run("check", "--no-cache", path)
    assert result.exit_code == 2 and "max_file_size" in result.stderr


def test_max_file_size_applies_to_docx(run, tmp_path):
    (tmp_path / "small").mkdir()
    (tmp_path / "small" / ".poalint.yaml").write_text("max_file_size: 1000\n", "utf-8")
    path = build_letter(tmp_path / "small" / "letter.docx")
    result = run("check", "--no-cache", path)
    assert result.exit_code == 2 and "over the 1,000-byte limit" in result.stderr


def test_docx_sarif_carries_the_paragraph(run, word_letter):
    output = json.loads(run("check", "--no-cache", "--select", PLACEHOLDER, "--format", "sarif", word_letter).output)
    results = output["runs"][0]["results"]
    assert [(r["properties"]["paragraph"], r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"])
            for r in results] == [(4, "[ORDER ID]"), (7, "XXX"), (11, "[SELLER NAME]")]
