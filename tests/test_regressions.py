"""Crashes found by the fuzz targets (fuzz/), each kept as a test once fixed."""
from __future__ import annotations

import pytest

from poalint.errors import PoalintError
from poalint.rules.loader import load_rule_file
from poalint.reading import read_text
from poalint.reading.sections import SectionRoles


@pytest.mark.parametrize("source", ["# a\r\rb\r\rc", "a\rb\r\r# c\r\rd", "Root cause\r\r- item\r"])
def test_markdown_with_lone_carriage_returns(source):
    """fuzz_readers: markdown-it ends a line at a lone "\\r" too; the reader counted only "\\n" and
    indexed past its line table (IndexError). Fixed in readers/markdown.py (line starts)."""
    document = read_text(source, "letter.md", SectionRoles())
    assert [b.text.strip() for b in document.blocks][-1] in ("c", "d", "item")
    for block in document.blocks:
        assert 0 <= block.start <= block.end <= len(source)


def test_yaml_control_character_is_a_one_line_error_with_its_line(tmp_path):
    """fuzz_rules: PyYAML's ReaderError (a control character) has no mark and a two-line message;
    the error was two lines long and had no line number. Fixed in loader.load_yaml."""
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - id: x\n    message: \"a\x0fb\"\n", "utf-8")
    with pytest.raises(PoalintError) as caught:
        load_rule_file(path, "user")
    assert "\n" not in str(caught.value)
    assert caught.value.line == 3
    assert str(caught.value) == f"{path}:3: invalid YAML: unacceptable character #x000f: control characters are not allowed"


def test_re2_error_quoting_a_multi_line_pattern_stays_one_line(tmp_path):
    """fuzz_rules: RE2's error quotes the pattern as written, newlines included, so an alias
    spanning lines gave a multi-line error. Fixed in kinds/matching.compile_regex (escaped, cut)."""
    path = tmp_path / "roles.yaml"
    path.write_text('section_roles:\n  - role: x\n    aliases: ["(stop\\n\\nit' + "y" * 300 + '"]\n', "utf-8")
    with pytest.raises(PoalintError) as caught:
        load_rule_file(path, "user")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:3: section_roles.0.aliases.0: invalid regular expression ")
    assert "missing ): (stop\\n\\nityyy" in message and message.endswith("…")


def test_vars_render_a_letter_text_on_re2():
    """Not from the fuzzer: on RE2, `sub` builds its result as type(text)(), which a LetterText
    (a str carrying reader notes) cannot do. Fixed in template.render (substitutes on a str)."""
    from pathlib import Path

    from poalint.reading import LetterText
    from poalint.reading.template import render, variable_pattern

    source = LetterText("Dear {{ seller }}, order {{order}}.", notes=["a note"])
    assert render(source, "t.md", variable_pattern(None), {"seller": "Ann", "order": "1"}, Path("v.yaml")) == \
        "Dear Ann, order 1."


def test_a_section_role_without_aliases_claims_no_heading(tmp_path):
    """Not from the fuzzer: a role's aliases were joined into one expression, and no aliases made
    the empty expression, which matches every heading that no earlier role claimed. Fixed in
    ruleset._any_of (no expressions: nothing to match)."""
    from poalint.config import Config
    from poalint.rules.ruleset import load_ruleset

    path = tmp_path / "roles.yaml"
    path.write_text("section_roles:\n  - role: unused\n    aliases: []\n", "utf-8")
    ruleset = load_ruleset(Config(), (path,))
    document = read_text("# Root Cause\n\nWe checked.\n\n# Our Story\n\nText.\n", "letter.md", ruleset.roles)
    assert [section.role for section in document.sections] == ["opening", "root-cause", "other"]
