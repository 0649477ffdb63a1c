"""A pipeline keeps the analyses of the block texts it analysed last (poalint.analysis.blocks.RecentBlocks),
with the matches rules found in them, so a paragraph that recurs in later letters is neither tokenised nor
matched again: a speed-up that must never change a finding, whatever the paragraph's place,
section, quoting or profile in the letter that repeats it."""
from __future__ import annotations

import random
import re

import poalint.analysis.pipeline as nlp
from poalint.analysis.blocks import BlockAnalysis, RecentBlocks
from conftest import ROOT
from poalint.config import Config
from poalint.rules.engine import Linter
from poalint.analysis.pipeline import Pipeline
from poalint.reading import read_text
from poalint.rules.ruleset import load_ruleset


def _paragraphs() -> list[str]:
    letters = sorted((ROOT / "examples").iterdir()) + sorted((ROOT / "tests" / "fixtures" / "heldout" / "letters").iterdir())
    return [p.strip() for path in letters for p in re.split(r"\n\s*\n", path.read_text("utf-8")) if p.strip()]


def _recombined(count: int) -> list[tuple[str, str]]:
    """Letters drawn from the paragraphs of the example and held-out letters, so that the same
    paragraph comes back at other offsets, under other headings, after other paragraphs, quoted
    ("> ") or as a list item ("- ")."""
    pool = _paragraphs()
    rng = random.Random(3)
    letters = []
    for i in range(count):
        chosen = rng.sample(pool, rng.randint(4, 12))
        shown = [rng.choice(["> ", "- ", ""]) + p if rng.random() < 0.2 and "\n" not in p else p for p in chosen]
        letters.append((f"letter-{i}.md", "\n\n".join(shown) + "\n"))
    return letters


def _findings(letters, linter: Linter, ruleset) -> dict:
    return {(name, profile): linter.lint(read_text(text, name, ruleset.roles), profile).findings
            for name, text in letters for profile in ("auto", "poa", "escalation")}


def test_recent_docs_change_no_finding(monkeypatch):
    letters = _recombined(60)
    ruleset = load_ruleset(Config())
    kept = Pipeline.load(None)
    with_recent = _findings(letters, Linter(ruleset, kept), ruleset)
    assert len(kept.recent) > 0
    assert sum(len(findings) for findings in with_recent.values()) > 300  # the letters do hold findings
    monkeypatch.setattr(nlp, "RECENT_CHARACTERS", 0)
    none_kept = Pipeline.load(None)
    assert _findings(letters, Linter(load_ruleset(Config()), none_kept), ruleset) == with_recent
    assert len(none_kept.recent) == 0


def test_a_recurring_paragraph_gets_the_same_analysis_and_its_findings_move_with_it():
    ruleset = load_ruleset(Config())
    pipeline = Pipeline.load(None)
    linter = Linter(ruleset, pipeline)
    shared = "The delays were not our fault; the carrier lost the parcels."
    first = read_text(f"{shared}\n", "first.md", ruleset.roles)
    second = read_text(f"# Root cause\n\nWe checked every order.\n\n{shared}\n", "second.md", ruleset.roles)
    first_result, second_result = linter.lint(first), linter.lint(second)

    (first_analysis,) = [analysis for block, analysis in pipeline.analyse(first) if block.text == shared]
    (second_analysis,) = [analysis for block, analysis in pipeline.analyse(second) if block.text == shared]
    assert second_analysis is first_analysis
    shift = second.source.index(shared)
    moved = {(f.rule, f.start + shift, f.end + shift, f.text) for f in first_result.findings if f.text}
    assert moved and moved <= {(f.rule, f.start, f.end, f.text) for f in second_result.findings}


def test_another_profiles_rules_find_their_matches_in_the_kept_analyses():
    ruleset = load_ruleset(Config())
    pipeline = Pipeline.load(None)
    linter = Linter(ruleset, pipeline)
    document = read_text("We are sorry. Our carrier lost the parcels.\n", "letter.md", ruleset.roles)
    poa = linter.lint(document, "poa")
    # The escalation rules derive again, in their own letter scope, what they need.
    assert linter.lint(document, "escalation").findings == \
        Linter(load_ruleset(Config()), Pipeline.load(None)).lint(document, "escalation").findings
    assert linter.lint(document, "poa").findings == poa.findings


def test_recent_blocks_keep_the_last_used_texts_up_to_their_length():
    nlp = Pipeline.load(None).nlp
    recent = RecentBlocks(max_characters=10)
    recent.add("abcd", BlockAnalysis.tokenised(nlp, "abcd"))
    recent.add("efgh", BlockAnalysis.tokenised(nlp, "efgh"))
    assert recent.get("abcd").doc.text == "abcd"  # now the last used
    recent.add("ij", BlockAnalysis.tokenised(nlp, "ij"))
    assert all(t in recent for t in ("abcd", "efgh", "ij"))
    recent.add("klm", BlockAnalysis.tokenised(nlp, "klm"))  # 13 characters: the least recently used goes
    assert "efgh" not in recent and all(t in recent for t in ("abcd", "ij", "klm"))
    recent.add("a text longer than ten", BlockAnalysis.tokenised(nlp, "a text longer than ten"))
    assert len(recent) == 0


def test_a_letter_longer_than_what_is_kept_is_still_analysed_whole(monkeypatch):
    monkeypatch.setattr(nlp, "RECENT_CHARACTERS", 30)
    ruleset = load_ruleset(Config())
    pipeline = Pipeline.load(None)
    paragraphs = [f"Paragraph {i} says that we will try to fix it." for i in range(5)]
    document = read_text("\n\n".join(paragraphs + paragraphs[:1]) + "\n", "long.md", ruleset.roles)
    analysed = pipeline.analyse(document)
    assert [analysis.doc.text for _, analysis in analysed] == paragraphs + paragraphs[:1]
    assert len(pipeline.recent) <= 1
