"""Hostile inputs to the readers (issue 18, rows 3, 4, 11, 12, 14, 19 and 23): every bound is
checked on what is read and analysed, and each bad letter is one line on stderr while the others
are still linted."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import ROOT, capped_poalint
from poalint.config import Config
from poalint.errors import PoalintError
from poalint.reading import MAX_BLOCK_CHARS, letter_text, read_text
from poalint.rules.ruleset import load_ruleset

GOOD = "Root Cause\n\nOur supplier sent the wrong size. We did not check the listing before we sold it.\n"
ROLES = load_ruleset(Config()).roles
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PARAGRAPH = "<w:p><w:r><w:t>We check every listing against the supplier's sheet.</w:t></w:r></w:p>"


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("poalint: ")]


def poalint(*args, cwd: Path, stdin=None, shell_input: str | None = None, memory: int = 1_500_000_000,
            timeout: float = 120):
    return capped_poalint(args, cwd, memory=memory, stdin=stdin, shell_input=shell_input, timeout=timeout,
                          env={"POALINT_CACHE_DIR": str(cwd / ".cache")})


def word_file(document_xml: bytes | None = None, styles_xml: bytes | None = None) -> bytes:
    """A .docx from python-docx's template, with its document.xml or styles.xml replaced."""
    word = docx.Document()
    word.add_paragraph("Our supplier sent the wrong size.")
    out = io.BytesIO()
    word.save(out)
    replace = {"word/document.xml": document_xml, "word/styles.xml": styles_xml}
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename) or source.read(info.filename))
    return rebuilt.getvalue()


def body(xml: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>{xml}</w:body></w:document>'.encode()


# Row 3: a wide Markdown table ---------------------------------------------------------------

def test_markdown_table_cells_are_blocks_of_their_own_text():
    source = "| Owner | Check |\n|---|---|\n| Ann | Daily *invoice* review |\n| Ann | Weekly review |\n"
    document = read_text(source, "letter.md", ROLES)
    cells = [(block.start, block.text) for block in document.blocks]
    assert [text for _, text in cells] == ["Owner", "Check", "Ann", "Daily  invoice  review", "Ann",
                                           "Weekly review"]
    # Each block is where its cell is (the second "Ann" is in the last row, not the first).
    assert all(source[start:start + len(text)].replace("*", " ") == text for start, text in cells)
    assert cells[4][0] == source.index("| Ann | Weekly") + 2


def test_a_wide_markdown_table_is_read_in_linear_time():
    """A 3-row table of 60 KB took 37 s and 513 MB to lint: each of its 4,000 cells re-masked
    its whole row and became a block as long as the row (80 million characters to analyse)."""
    columns = 2000
    rows = ["| " + " | ".join(f"cell{i}" for i in range(columns)) + " |",
            "|" + "---|" * columns,
            "| " + " | ".join(f"we{i}" for i in range(columns)) + " |"]
    source = "Root Cause\n\n" + "\n".join(rows) + "\n"
    assert len(source) > 40_000
    started = time.monotonic()
    document = read_text(source, "table.md", ROLES)
    assert time.monotonic() - started < 10
    assert len(document.blocks) == 1 + 2 * columns
    assert sum(len(block.text) for block in document.blocks) < len(source)


# Row 4: .docx size, paragraphs and style look-ups -----------------------------------------------

def test_docx_with_many_paragraphs_reads_quickly():
    """Style look-ups cost 3-6 ms a paragraph: 8,000 paragraphs took 25-50 s."""
    data = word_file(body(PARAGRAPH * 8000))
    started = time.monotonic()
    text = letter_text(data, "letter.docx")
    assert time.monotonic() - started < 8
    assert text.count("We check every listing") == 8000


def test_docx_over_the_paragraph_limit_is_one_line_error():
    """30,000 paragraphs in a 44 KB file took 107 s."""
    data = word_file(body(PARAGRAPH * 30_000))
    assert len(data) < 100_000
    started = time.monotonic()
    with pytest.raises(PoalintError) as raised:
        letter_text(data, "letter.docx")
    assert time.monotonic() - started < 8
    assert str(raised.value) == "letter.docx: the document has 30,000 paragraphs, over the limit of 10,000"


def test_docx_over_the_table_cell_limit_is_one_line_error():
    row = "<w:tr>" + "<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>" * 100 + "</w:tr>"
    data = word_file(body(f"<w:tbl>{row * 60}</w:tbl>"))
    with pytest.raises(PoalintError) as raised:
        letter_text(data, "letter.docx")
    assert str(raised.value) == "letter.docx: the document has 6,000 table cells, over the limit of 5,000"


def test_docx_uncompressed_size_is_bounded_before_parsing(tmp_path):
    """A 1 MB .docx took about 1 GB of memory: the limit applied to its compressed size only. In a
    child process capped at 700 MB, the reader refuses it with a one-line error."""
    data = word_file(body("<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 1_500_000))
    assert len(data) < 2 * 1024 * 1024
    (tmp_path / "big.docx").write_bytes(data)
    script = ("import resource, sys\nfrom pathlib import Path\n"
              "resource.setrlimit(resource.RLIMIT_AS, (700_000_000, 700_000_000))\n"
              "from poalint.errors import PoalintError\nfrom poalint.reading import letter_text\n"
              "try:\n    letter_text(Path('big.docx').read_bytes(), 'big.docx')\n"
              "except PoalintError as exc:\n    print(exc)\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip().startswith("big.docx: its parts hold 51,"), result.stdout + result.stderr
    assert "bytes uncompressed, over the limit of" in result.stdout


# Row 12: a zip that is not quite a Word document ---------------------------------------------

@pytest.mark.parametrize("document_xml, styles_xml", [
    (f"<w:document {W_NS}/>".encode(), None),  # no <w:body>
    (f"<w:styles {W_NS}/>".encode(), None),  # the wrong root element in document.xml
    (None, f"<w:document {W_NS}><w:body/></w:document>".encode()),  # the wrong root in styles.xml
    # Attribute values python-docx parses only when they are read:
    (body('<w:p><w:pPr><w:pStyle w:val="X"/></w:pPr><w:r><w:t>Hi</w:t></w:r></w:p>'),
     f'<w:styles {W_NS}><w:style w:type="zzz" w:styleId="X"/></w:styles>'.encode()),
    (body('<w:p><w:r><w:rPr><w:b w:val="maybe"/></w:rPr><w:t>Hi</w:t></w:r></w:p>'), None),
    (body('<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="abc"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>'), None),
], ids=["no-body", "document-root", "styles-root", "style-type", "bold-value", "grid-span"])
def test_docx_without_body_or_with_wrong_roots_is_one_line_error(run, tmp_path, document_xml, styles_xml):
    (tmp_path / "broken.docx").write_bytes(word_file(document_xml, styles_xml))
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    result = run("check", "--no-cache", "--format", "json", "broken.docx", "good.txt")
    assert result.exit_code == 2
    [error] = errors(result)
    assert error.startswith("poalint: error: broken.docx: not a readable Word .docx file (")
    assert "internal error" not in result.stderr
    files = json.loads(result.stdout)["files"]
    assert [f["path"] for f in files] == ["broken.docx", "good.txt"] and "error" not in files[1]


# Row 11: spaCy's max_length is never reached ---------------------------------------------------

LONG_PARAGRAPH = "We check every listing. " * 46_000  # 1,104,000 characters, one paragraph


def test_a_paragraph_over_the_block_limit_is_one_line_error(run, tmp_path):
    (tmp_path / "long.txt").write_text(GOOD + "\n" + LONG_PARAGRAPH + "\n", "utf-8")
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    result = run("check", "--no-cache", "long.txt", "good.txt")
    assert result.exit_code == 2
    assert errors(result)[0] == (f"poalint: error: long.txt:5: a paragraph of {len(LONG_PARAGRAPH):,} "
                                 f"characters, over the limit of {MAX_BLOCK_CHARS:,}; split it into paragraphs")
    assert "good.txt:" in result.stdout


def test_a_long_block_from_standard_input_is_one_line_error(run):
    result = run("check", "--no-cache", "-", input=LONG_PARAGRAPH)
    assert result.exit_code == 2
    assert errors(result)[0].startswith("poalint: error: stdin.md:1: a paragraph of 1,104,000 characters")


def test_a_long_block_from_a_vars_value_is_one_line_error(run, tmp_path):
    (tmp_path / "template.txt").write_text("Root Cause\n\n{{ reason }} {{ reason }}\n", "utf-8")
    (tmp_path / "vars.yaml").write_text("reason: " + "We check every listing. " * 25_000 + "\n", "utf-8")
    result = run("check", "--no-cache", "--vars", "vars.yaml", "template.txt")
    assert result.exit_code == 2
    assert errors(result)[0].startswith("poalint: error: template.txt:3: a paragraph of 1,199,999 characters")


def test_a_template_that_renders_past_the_text_limit_is_refused_before_rendering(tmp_path):
    """A 7 KB template using a 500 KB value a thousand times would render 500 MB."""
    (tmp_path / "template.txt").write_text("Root Cause\n\n" + "{{ reason }}\n\n" * 1000, "utf-8")
    (tmp_path / "vars.yaml").write_text("reason: " + "x" * 500_000 + "\n", "utf-8")
    result = poalint("check", "--no-cache", "--vars", "vars.yaml", "template.txt", cwd=tmp_path,
                     memory=1_200_000_000)
    assert result.returncode == 2
    assert errors(result)[0].startswith("poalint: error: template.txt: filled in from vars.yaml, the letter "
                                        "would be 500,"), result.stderr


# Row 14: bounded reads; no devices or FIFOs -----------------------------------------------------

def test_endless_standard_input_is_bounded(tmp_path):
    result = poalint("check", "--no-cache", "-", cwd=tmp_path, shell_input="yes")
    assert result.returncode == 2
    assert errors(result) == ["poalint: warning: stdin.md: standard input is over the 2,097,152-byte limit; "
                              "skipped"], result.stderr


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_device_or_fifo_named_as_a_letter_is_refused(tmp_path, kind):
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe.md")
        name, what = "pipe.md", "a named pipe (FIFO)"
    else:
        name, what = "/dev/zero", "a character device"
    result = poalint("check", "--no-cache", name, "good.txt", cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert errors(result) == [f"poalint: error: {name}: {what}, not a regular file"]
    assert "good.txt:" in result.stdout


@pytest.mark.parametrize("option", ["--rules", "--config", "rule_paths"])
def test_rule_and_configuration_files_must_be_regular(tmp_path, option):
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    if option == "rule_paths":
        (tmp_path / ".poalint.yaml").write_text("rule_paths: [/dev/zero]\n", "utf-8")
        args = ()
    else:
        args = (option, "/dev/zero")
    result = poalint("check", *args, "good.txt", cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert errors(result) == ["poalint: error: /dev/zero: a character device, not a regular file"], result.stderr


@pytest.mark.parametrize("name, option", [("big.yaml", "--rules"), ("big.yaml", "--config"),
                                          ("pyproject.toml", None)])
def test_rule_and_configuration_files_are_bounded(run, tmp_path, name, option):
    padding = "#" + "x" * 99 + "\n"
    head = "[tool.poalint]\n" if name == "pyproject.toml" else ""
    (tmp_path / name).write_text(head + padding * 10_000, "utf-8")
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    result = run("check", "--no-cache", *((option, name) if option else ()), "good.txt")
    assert result.exit_code == 2
    shown = name if option else tmp_path / name  # a discovered configuration is named by its full path
    assert errors(result) == [f"poalint: error: {shown}: file is {len(head) + 1_010_000:,} bytes, over the "
                              "1,000,000-byte limit"]


# Row 19: configuration another user could have written ------------------------------------------

def _world_writable_project(tmp_path: Path, mode: int) -> Path:
    shared = tmp_path / "shared"
    (shared / "mine").mkdir(parents=True)
    shared.chmod(mode)
    (shared / ".poalint.yaml").write_text("not_a_key: 1\n", "utf-8")  # an error if it applied
    (shared / "mine" / "letter.txt").write_text(GOOD, "utf-8")
    return shared


def test_configuration_in_a_world_writable_folder_is_ignored(run, tmp_path):
    shared = _world_writable_project(tmp_path, 0o777)
    result = run("check", "shared/mine/letter.txt")
    assert result.exit_code in (0, 1)
    assert errors(result) == [f"poalint: warning: {shared / '.poalint.yaml'}: ignored: its folder is writable by "
                              "every user"]
    assert "letter.txt:" in result.stdout
    assert not (shared / ".poalint_cache").exists()


def test_configuration_owned_by_another_user_is_ignored(run, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("chown to another user needs root")
    project = tmp_path / "project"
    for folder in ("a", "b"):
        (project / folder).mkdir(parents=True)
        (project / folder / "letter.txt").write_text(GOOD, "utf-8")
    (project / "pyproject.toml").write_text("[tool.poalint]\nnot_a_key = 1\n", "utf-8")
    os.chown(project / "pyproject.toml", 65534, 65534)
    result = run("check", "--no-cache", "project/a/letter.txt", "project/b/letter.txt")  # one warning
    assert result.exit_code in (0, 1)
    assert errors(result) == [f"poalint: warning: {project / 'pyproject.toml'}: ignored: owned by another user "
                              "(uid 65534)"]


def test_own_configuration_in_a_sticky_shared_folder_applies(run, tmp_path):
    """As in /tmp: others may add files there but not replace this one, so it is trusted."""
    _world_writable_project(tmp_path, 0o1777)
    result = run("check", "--no-cache", "shared/mine/letter.txt")
    assert result.exit_code == 2
    assert "not_a_key: unknown key" in result.stderr


# Row 23: pyproject.toml whose `tool` is not a table -------------------------------------------------

def test_pyproject_tool_that_is_not_a_table_is_one_line_error(run, tmp_path):
    (tmp_path / "pyproject.toml").write_text("tool = 5\n", "utf-8")
    (tmp_path / "letter.txt").write_text(GOOD, "utf-8")
    result = run("check", "--no-cache", "letter.txt")
    assert result.exit_code == 2
    assert errors(result) == [f"poalint: error: {tmp_path / 'pyproject.toml'}: tool: must be a table, not an integer"]


# The fuzz target runs its new seeds without atheris --------------------------------------------------

def test_fuzz_readers_target_passes_its_seeds():
    sys.path.insert(0, str(ROOT / "fuzz"))
    try:
        import fuzz_readers
    finally:
        sys.path.remove(str(ROOT / "fuzz"))
    seeds = list(fuzz_readers.seeds())
    kinds = {fuzz_readers.name_of(seed) for seed in seeds}
    assert {"letter.md", "letter.docx", "letter.txt"} <= kinds and any("\n" in name for name in kinds)
    for seed in seeds:
        fuzz_readers.check(seed)


def test_the_benchmark_without_its_letters_says_so_in_one_line(tmp_path):
    """A benchmark run pointed at a folder without the corpus letters fails as a usage error, not a traceback."""
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--letters", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"bench.py: error: --letters {tmp_path}: no dev-001.md there " \
                                                     "(the shared corpus's letters folder)"
