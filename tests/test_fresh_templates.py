"""unfilled-placeholder on templates from a writer who saw neither the rules nor the corpus
(tests/fixtures/fresh/templates.yaml): every slot the writer listed, in the many conventions
real templates use, and the brackets and parentheses that are no slot ("(see attachment 2)",
"[sic]"). Split by sha256(text) % 2; the rule was improved on the 'tune' half only. Held to the
figures measured (docs/quality.md); raise them as the rule improves."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from test_fresh_root_cause import half
from test_wording_generalisation import linter
from poalint.reading import read_text

TEMPLATES = yaml.safe_load((Path(__file__).parent / "fixtures" / "fresh" / "templates.yaml").read_text("utf-8"))
#: half → fewest slots found (none of the not-slots may be flagged)
FLOORS = {"tune": 72, "unseen": 33}


@pytest.mark.parametrize("part", FLOORS)
def test_slots_of_fresh_templates(part):
    ruleset, lint = linter()
    found, flagged_not_slots = 0, []
    for template in (t for t in TEMPLATES if half(t["text"]) == part):
        text = template["text"]
        spans = [(f.start, f.end) for f in lint.lint(read_text(text, "template.md", ruleset.roles), "poa").findings
                 if f.rule == "unfilled-placeholder"]

        def flagged(words: str) -> bool:
            start = text.index(words)
            return any(s < start + len(words) and start < e for s, e in spans)
        found += sum(map(flagged, template["slots"]))
        flagged_not_slots += [words for words in template["not_slots"] if flagged(words)]
    assert found >= FLOORS[part]
    assert not flagged_not_slots


def test_no_slot_found_in_fresh_letters_that_have_none():
    """The fresh letters that are not templates (a "filled template" keeps its brackets, rightly
    flagged): their parentheses and brackets are the writers' own."""
    ruleset, lint = linter()
    fresh = Path(__file__).parent / "fixtures" / "fresh"
    found = [(name, letter["id"]) for name in ("root-cause", "root-cause-2", "root-cause-3", "root-cause-4", "actions",
                                               "letters-wording")
             for letter in yaml.safe_load((fresh / f"{name}.yaml").read_text("utf-8"))
             if "template" not in letter.get("style", "") and any(f.rule == "unfilled-placeholder"
                    for f in lint.lint(read_text(letter["text"], "letter.md", ruleset.roles), "poa").findings)]
    assert not found
