"""The built-in rules against the labelled corpus in ../shared/corpus (skipped where it is absent)."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import CORPUS, ROOT

pytestmark = pytest.mark.skipif(not (CORPUS / "labels.yaml").is_file(),
                                reason=f"the labelled corpus is not at {CORPUS} (it ships beside the repo in CI only)")


@pytest.fixture(scope="module")
def report():
    spec = importlib.util.spec_from_file_location("corpus_quality", ROOT / "benchmarks" / "corpus_quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.evaluate(CORPUS)


@pytest.mark.parametrize("judgement", ["has_root_cause", "has_immediate_actions", "has_preventive_measures",
                                       "requests_senior_review", "has_placeholders", "profile (auto-detected)"])
def test_document_judgements_agree_with_labels(report, judgement):
    agree, wrong = report.agreement[judgement]
    assert agree >= 22, f"{judgement}: {agree}/24 agree; wrong on {wrong}"


@pytest.mark.parametrize("family", ["vague-wording", "passive-evasion", "blame-emotion-threat"])
def test_wording_families_recall_and_precision(report, family):
    stats = report.families[family]
    recall = stats["hit"] / stats["labelled"]
    precision = stats["on_label"] / stats["findings"] if stats["findings"] else 0.0
    assert recall >= 0.85, f"{family} recall {recall:.0%}; missed: {stats['misses']}"
    assert precision >= 0.85, f"{family} precision {precision:.0%}; stray: {stats['stray']}"


def test_no_finding_on_tricky_negatives(report):
    assert report.tricky == []


def test_every_labelled_placeholder_is_flagged_and_nothing_else(report):
    stats = report.families["placeholders"]
    assert stats["misses"] == [] and stats["stray"] == []
