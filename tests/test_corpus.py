"""The built-in rules (default blank pipeline) against labelled letters: in ../shared/corpus the
tuning part (letters/ and more/ dev-025 … dev-044), the held-out part (more/ dev-045 … dev-064)
and the published letters, skipped where that corpus is absent (it ships beside the repository,
not in it); and the ten held-out letters in tests/fixtures/heldout, always. Measured by
benchmarks/corpus_quality.py, which docs/quality.md explains."""
from __future__ import annotations

import pytest
from conftest import CORPUS, benchmark_module

HAS_CORPUS = (CORPUS / "more" / "labels.yaml").is_file()
needs_corpus = pytest.mark.skipif(not HAS_CORPUS, reason=f"the labelled corpus is not at {CORPUS} (it ships beside the repository)")

corpus_quality = benchmark_module("corpus_quality")

LETTER_PARTS = ("tuning", "held-out", "published", "repo-held-out")

# Quality bars: the figures docs/quality.md records (blank pipeline), less a small margin, so that
# a change that makes judgement worse fails here; raise them whenever the rules improve.
#: part → judgement → least share of the judged letters agreeing with the labels
JUDGEMENT_FLOORS = {
    "tuning": {"has_root_cause": 0.95, "has_immediate_actions": 0.95, "has_preventive_measures": 0.97,
               "requests_senior_review": 0.97, "has_placeholders": 0.97, "profile": 0.97, "suspension_reason": 0.97},
    "held-out": {"has_root_cause": 0.75, "has_immediate_actions": 0.92, "has_preventive_measures": 0.87,
                 "requests_senior_review": 0.97, "has_placeholders": 0.97, "profile": 0.87, "suspension_reason": 0.90},
    # published/017 is a template whose "actions" section holds only instructions to the seller:
    # its label says the section is there, poalint that no step is reported; both are true.
    "published": {"has_root_cause": 0.92, "has_immediate_actions": 0.87, "has_preventive_measures": 0.78,
                  "has_placeholders": 0.92, "profile": 0.92},
    "repo-held-out": {"has_root_cause": 0.57, "has_immediate_actions": 0.97, "has_preventive_measures": 0.97,
                      "requests_senior_review": 0.97, "has_placeholders": 0.97, "profile": 0.97,
                      "suspension_reason": 0.75},
}
#: part → least share of the section judgements (root cause, actions, prevention) agreeing
SECTION_FLOORS = {"tuning": 0.95, "held-out": 0.85, "published": 0.87, "repo-held-out": 0.85}
#: part → wording family → (least recall, least precision); None where the part labels no such phrase
WORDING_FLOORS = {
    # Precision here is against the labels, which list some of a letter's wording problems, not
    # all: an excuse, an empty promise or a plea the labels leave out counts as stray. The sentence
    # bank (tests/test_sentence_bank.py), labelled sentence by sentence, measures precision truly.
    # passive: dev-044 labels agentless passives of completed steps with a date or a count ("the
    # listing was closed on 10 January"), which passive-evasion leaves alone by design; dev-014's
    # and dev-029's strays are agentless failures ("tracking information was not uploaded") the
    # labels leave out. The wording model's whole-sentence findings on bare acknowledgements ("we
    # now understand exactly how it happened, and we have fixed it") are empty claims the labels
    # leave out too; they were read one by one (docs/quality.md#the-wording-model). Held-out
    # blame/emotion/threat: one more stray since the retraining on sets 6a-13, an agency's remark that
    # Section 3 deactivations come from "Amazon's automated systems", read as a complaint. Since the
    # retraining on sets 14 and 15: published blame/emotion/threat 3/14 -> 3/17 precision, each
    # new finding read (docs/quality.md#the-wording-model).
    "tuning": {"vague": (0.87, 0.52), "passive": (0.54, 0.68), "blame/emotion/threat": (0.94, 0.80)},
    "held-out": {"vague": (0.67, 0.69), "passive": (0.30, 0.70), "blame/emotion/threat": (0.62, 0.69)},
    "published": {"vague": (0.45, 0.45), "passive": None, "blame/emotion/threat": (0.30, 0.17)},
    "repo-held-out": {"vague": (0.83, 0.53), "passive": (0.67, 0.97), "blame/emotion/threat": (0.72, 0.80)},
}
#: part → (least overall wording recall, least overall wording precision)
OVERALL_WORDING_FLOORS = {"tuning": (0.87, 0.67), "held-out": (0.62, 0.70), "published": (0.42, 0.36),
                          "repo-held-out": (0.77, 0.67)}
#: Labelled placeholders unfilled-placeholder does not flag today (not part of issue 21's work):
#: strict, so the test says so once they are flagged.
PLACEHOLDER_GAPS = {
    "dev-029.md": "'{{field}}' and '[NOTE]' are not recognised as placeholders",
    "dev-063.txt": "a '{{! ... }}' template comment is not recognised",
}


def _letters(*parts):
    return [letter for part in parts if HAS_CORPUS or part == "repo-held-out"
            for letter in corpus_quality.letters(CORPUS, part)]


def _by_part(cases):
    """pytest params of (part, …) cases, those of the corpus beside the repository marked to skip without it."""
    return [pytest.param(*case, marks=[] if case[0] == "repo-held-out" else needs_corpus, id="-".join(case))
            for case in cases]


@pytest.fixture(scope="module")
def reports():
    linter = corpus_quality.linters(["blank"])["blank"]
    return {part: corpus_quality.evaluate(CORPUS, part, linter) for part in LETTER_PARTS
            if HAS_CORPUS or part == "repo-held-out"}


def _share(tally) -> float:
    return tally.right / tally.judged


@pytest.mark.parametrize("part,judgement", _by_part((part, judgement) for part, floors in JUDGEMENT_FLOORS.items()
                                                     for judgement in floors))
def test_letter_judgements_agree_with_the_labels(reports, part, judgement):
    tally = reports[part].judgements[judgement]
    assert _share(tally) >= JUDGEMENT_FLOORS[part][judgement], \
        f"{part} {judgement}: {tally.right}/{tally.judged} agree; wrong on {tally.wrong}"


@pytest.mark.parametrize("part", _by_part((part,) for part in LETTER_PARTS))
def test_no_letter_is_given_a_wrong_reason(reports, part):
    # Naming no reason costs the letter only its reason's rules; naming a wrong one runs rules
    # that ask for another case's evidence, so detection stays silent rather than guess.
    assert reports[part].confident_wrong_reasons == []


@needs_corpus
def test_published_escalation_requests_are_not_judged(reports):
    # No published letter is an escalation, so the senior-review judgement has nothing to judge.
    assert reports["published"].judgements["requests_senior_review"].judged == 0


@pytest.mark.parametrize("part", _by_part((part,) for part in LETTER_PARTS))
def test_section_judgements_overall(reports, part):
    tally = reports[part].sections()
    assert _share(tally) >= SECTION_FLOORS[part], f"{part}: {tally.right}/{tally.judged}; wrong on {tally.wrong}"


@needs_corpus
def test_truncated_published_letters_are_not_judged_on_sections_past_the_cut(reports):
    letters = [letter for letter in _letters("published")
               if letter.label["truncated"] and not letter.label["has_preventive_measures"]]
    judged = reports["published"].judgements["has_preventive_measures"].judged
    assert letters and judged == len(_letters("published")) - len(letters)


@pytest.mark.parametrize("part,family", _by_part((part, family) for part, floors in WORDING_FLOORS.items()
                                                  for family, floor in floors.items() if floor))
def test_wording_families_recall_and_precision(reports, part, family):
    stats = reports[part].families[family]
    least_recall, least_precision = WORDING_FLOORS[part][family]
    assert stats.hit / stats.labelled >= least_recall, f"{part} {family} recall {stats.hit}/{stats.labelled}; missed: {stats.misses}"
    precision = stats.on_label / stats.findings if stats.findings else 1.0
    assert precision >= least_precision, f"{part} {family} precision {stats.on_label}/{stats.findings}; stray: {stats.stray}"


@pytest.mark.parametrize("part", _by_part((part,) for part in LETTER_PARTS))
def test_wording_overall(reports, part):
    total = reports[part].wording()
    least_recall, least_precision = OVERALL_WORDING_FLOORS[part]
    assert total.hit / total.labelled >= least_recall, f"{part}: recall {total.hit}/{total.labelled}"
    assert total.on_label / total.findings >= least_precision, f"{part}: precision {total.on_label}/{total.findings}"


@pytest.mark.parametrize("letter", [letter for letter in _letters("tuning", "held-out", "repo-held-out") if letter.label["tricky_negatives"]],
                         ids=lambda letter: letter.name)
def test_no_finding_on_tricky_negatives(reports, letter):
    found = [line for report in reports.values() for line in report.tricky if line.startswith(letter.name + ":")]
    assert found == []


@pytest.mark.parametrize("letter", [pytest.param(letter, marks=pytest.mark.xfail(strict=True, reason=PLACEHOLDER_GAPS[letter.name]))
                                    if letter.name in PLACEHOLDER_GAPS else letter
                                    for letter in _letters("tuning", "held-out", "repo-held-out")],
                         ids=lambda letter: letter.name)
def test_every_labelled_placeholder_is_flagged_and_nothing_else(reports, letter):
    stats = [r.families["placeholders"] for r in reports.values()]
    missed = [line for s in stats for line in s.misses if line.startswith(letter.name + ":")]
    stray = [line for s in stats for line in s.stray if line.startswith(letter.name + ":")]
    assert (missed, stray) == ([], [])
