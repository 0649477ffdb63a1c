"""Train rules/models/wording.npz, the model behind the wording rules' `classifier:`.

    pip install -r tools/requirements.txt
    python tools/train_wording_model.py [--corpus ../shared/corpus] [--report | --letters]

Training data: the sentences the rules were tuned on and no other, so that the sentence bank's
held-out third and the unseen halves of the fresh sets stay a measure (docs/quality.md):
  - the wording rules' own fail and pass examples;
  - tests/fixtures/wording/*.yaml (written apart from the corpus), all of them;
  - tools/training/*.yaml: sentences written for training alone, by writers who saw neither the
    rules nor the corpus (wording-15*: ordinary letter sentences with no fault, as "clean");
  - the fresh wording sets of FRESH_TUNED, their "tune" halves (sha256 % 2 == 0);
  - tests/fixtures/fresh/wording-3.yaml, all of it;
  - the sentence bank's tuning part (sha256 % 3 != 0), when the corpus is there;
  - the sentences of the corpus's tuning letters (dev-001 ... dev-044) that hold none of the
    letter's labelled faults: salutations, headings, form questions and courtesies, as "clean".
A `flag` sentence is labelled with its rule; a bank sentence with its category, or "clean" for the
five categories that are no fault. A `keep` sentence is only "not this rule" (the sets keep other
kinds' sentences too), and a letter's unlabelled sentence may be a fault the labels missed: each is
first linted alone by the rules' patterns (the model switched off). A keep sentence a pattern flags
takes that rule as its label; a letter sentence a pattern flags is left out; the rest are "clean". The cues are poalint's own
(poalint.analysis.wording_model.cues), so the model reads a sentence as the linter will.

--report prints each label's cross-validated precision and recall on the training data at several
probabilities, and the least probability (in steps of 0.01) from which on the model alone is right
85 % of the time at every step (the precision poalint's wording rules aim at). A rule's
`min_probability` is that figure, raised above any of the rule's own `keep` or pass sentences, or
a sentence of the tuning letters not of its kind, that the model would otherwise flag, and until
the model adds no more findings of its label on the tune halves of the fresh letter sets than the
model before it did (--letters counts them; docs/quality.md#the-wording-model); a label that never
reaches 85 % gets no `classifier:`. Never chosen from the held-out parts.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
from collections import Counter
from pathlib import Path

import numpy
import yaml
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

from poalint.analysis import wording_model
from poalint.analysis.pipeline import Pipeline
from poalint.analysis.wording_model import CLEAN, cue_key, cues
from poalint.config import Config
from poalint.reading import read_text
from poalint.rules.engine import Linter
from poalint.rules.ruleset import load_ruleset
from poalint.settings import WORDING_MODEL_FILE

ROOT = Path(__file__).resolve().parent.parent
#: The bank's categories, by the rule that judges each.
BANK_CATEGORY = {"vague-wording": "vague", "generic-promise": "generic-promise", "excuse-as-root-cause": "excuse",
                 "blame-shifting": "blame", "disputes-notice": "disputes-notice",
                 "complains-about-amazon": "complaint", "emotional-language": "emotional",
                 "threatening-language": "threat", "passive-evasion": "passive-evasion"}
#: The model's settings, chosen by cross-validation on the training data (docs/quality.md).
SETTINGS = {"C": 100, "max_iter": 5000, "class_weight": "balanced"}
#: The corpus's letters from this number on are held out (benchmarks/corpus_quality.py).
FIRST_HELD_OUT = 45
#: Fresh wording sets whose tune halves (sha256 % 2 == 0) are trained on; their unseen halves stay a measure.
FRESH_TUNED = ("wording", "wording-2", "wording-6a", "wording-6b", "wording-7", "wording-8", "wording-9", "wording-10",
               "wording-11", "wording-12", "wording-13")
#: The vocabularies of rules/features.yaml whose one-word entries give a word its class, a cue of its
#: own (poalint.analysis.wording_model.unit_cues); a word in two takes the first.
WORD_CLASSES = ("seller-pronouns", "seller-roles", "third-parties", "amazon", "amazon-actions", "failure-words",
                "negations", "causal", "hedges", "evaluative", "emotional", "frequency")
#: --report suggests, per label, the least probability from which on the model alone is right this often.
LEAST_PRECISION = 0.85
#: The probabilities --report prints precision and recall at.
LEVELS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
#: The probabilities it looks for that least one among, from the highest down.
STEPS = [round(0.99 - i / 100, 2) for i in range(50)]
#: Weights this small change almost no label (6 of 4,426 bank and fresh-set sentences, measured when
#: it was set); leaving them out keeps the file under 2 MB.
SMALLEST_WEIGHT = 0.3


def digest(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)


def word_classes() -> dict[str, str]:
    vocabularies = yaml.safe_load((ROOT / "rules" / "features.yaml").read_text("utf-8"))["vocabularies"]
    found: dict[str, str] = {}
    for name in WORD_CLASSES:
        for entry in vocabularies[name]:
            if " " not in str(entry):
                found.setdefault(str(entry), name)
    return found


def labelled(corpus: Path) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    kept: list[str] = []

    def add(path: Path, keep_it) -> None:
        for rule, sets in yaml.safe_load(path.read_text("utf-8")).items():
            rows.extend((s, rule) for s in sets.get("flag", []) if keep_it(s))
            kept.extend(s for s in sets.get("keep", []) if keep_it(s))

    for rule in load_ruleset(Config()).rules:
        if rule.id in BANK_CATEGORY:
            rows.extend((s, rule.id) for s in rule.examples.get("fail", []))
            kept.extend(rule.examples.get("pass", []))
    for path in sorted(glob.glob(str(ROOT / "tests/fixtures/wording/*.yaml")) +
                       glob.glob(str(ROOT / "tools/training/*.yaml"))):
        add(Path(path), lambda s: True)
    for name in FRESH_TUNED:
        add(ROOT / f"tests/fixtures/fresh/{name}.yaml", lambda s: digest(s) % 2 == 0)
    add(ROOT / "tests/fixtures/fresh/wording-3.yaml", lambda s: True)
    bank = corpus / "sentences" / "sentences.yaml"
    if bank.is_file():
        rule_of = {category: rule for rule, category in BANK_CATEGORY.items()}
        rows.extend((e["text"], rule_of.get(e["category"], CLEAN))
                    for e in yaml.safe_load(bank.read_text("utf-8")) if digest(e["text"]) % 3 != 0)
    else:
        print(f"(no sentence bank at {bank}: trained without it)")
    letter_sentences = clean_letter_sentences(corpus)
    flagged = pattern_findings(kept + letter_sentences)
    rows.extend((s, flagged[s][0] if flagged[s] else CLEAN) for s in kept)
    rows.extend((s, CLEAN) for s in letter_sentences if not flagged[s])
    return rows


def wording_findings(texts: list[str], with_model: bool = True) -> dict[str, set[tuple[str, str]]]:
    """The built-in wording rules' findings (rule, text) on each text; with the model switched off,
    the patterns' alone."""

    class Silent(wording_model.WordingModel):
        def classify(self, text: str) -> tuple[str, float]:
            return CLEAN, 1.0

    original = wording_model.wording_model
    if not with_model:
        labels = (*sorted(BANK_CATEGORY), CLEAN)  # no model file is read: this one may not exist yet
        silent = Silent(labels, numpy.zeros(len(labels)), numpy.zeros(0, dtype=numpy.uint64), numpy.zeros((0, len(labels))))
        wording_model.wording_model = lambda: silent  # looked up by this name at run time
    ruleset = load_ruleset(Config())
    linter = Linter(ruleset, Pipeline.load(None))
    found = {}
    for text in set(texts):
        result = linter.lint(read_text(text, "x.md", ruleset.roles), "poa")
        found[text] = {(f.rule, f.text) for f in result.findings if f.rule in BANK_CATEGORY}
    wording_model.wording_model = original
    return found


def pattern_findings(sentences: list[str]) -> dict[str, list[str]]:
    """The wording rules each sentence gets from the built-in rules' patterns alone."""
    return {sentence: sorted({rule for rule, _ in found}) for sentence, found in wording_findings(sentences, False).items()}


def letters_report() -> None:
    """Per rule, the findings the model adds (present with it, absent without) on the tune halves of
    the fresh letter sets: whole letters by other writers, where most sentences hold no fault."""
    letters = [letter["text"] for path in sorted(glob.glob(str(ROOT / "tests/fixtures/fresh/root-cause*.yaml")) +
                                                 glob.glob(str(ROOT / "tests/fixtures/fresh/actions*.yaml")))
               for letter in yaml.safe_load(Path(path).read_text("utf-8")) if digest(letter["text"]) % 2 == 0]
    with_model, patterns = wording_findings(letters), wording_findings(letters, False)
    added = Counter(rule for text in letters for rule, _ in with_model[text] - patterns[text])
    print(f"findings the model adds on {len(letters)} letters (the fresh letter sets' tune halves): "
          f"{sum(added.values())}; " + ", ".join(f"{rule} {count}" for rule, count in sorted(added.items())))


def clean_letter_sentences(corpus: Path) -> list[str]:
    """Sentences of the tuning letters that overlap none of their labelled faults or placeholders."""
    roles, nlp = load_ruleset(Config()).roles, Pipeline.load(None).nlp
    found = []
    for folder in (corpus, corpus / "more"):
        labels_file = folder / "labels.yaml"
        if not labels_file.is_file():
            continue
        for name, label in sorted(yaml.safe_load(labels_file.read_text("utf-8")).items()):
            if int(name[4:7]) >= FIRST_HELD_OUT:
                continue
            text = (folder / "letters" / name).read_text("utf-8")
            faults = [f for key in ("vague_phrases", "blame_or_emotional", "passive_evasions", "placeholders")
                      for f in label.get(key) or []]
            for block in read_text(text, name, roles).blocks:
                for sentence in nlp(" ".join(block.text.split())).sents:
                    words = sentence.text.strip()
                    if words and not any(f in words or words in f for f in faults):
                        found.append(words)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--report", action="store_true", help="cross-validated precision and recall per label")
    parser.add_argument("--letters", action="store_true",
                        help="only count the findings the built-in model adds on other writers' letters")
    args = parser.parse_args()
    if args.letters:
        letters_report()
        return
    rows = labelled(args.corpus)
    texts, labels = [t for t, _ in rows], [label for _, label in rows]
    vectoriser = DictVectorizer()
    word_class = word_classes()
    matrix = vectoriser.fit_transform([cues(t, word_class) for t in texts])
    model = LogisticRegression(**SETTINGS)
    model.fit(matrix, labels)
    names = vectoriser.get_feature_names_out()
    kept = numpy.flatnonzero(abs(model.coef_).max(axis=0) >= SMALLEST_WEIGHT)
    keys = numpy.array([cue_key(names[i]) for i in kept], dtype=numpy.uint64)
    order = numpy.argsort(keys)
    out = ROOT / "rules" / WORDING_MODEL_FILE
    out.parent.mkdir(exist_ok=True)
    with out.open("wb") as file:  # numpy.savez_compressed would add ".npz" to a str path
        numpy.savez_compressed(file, labels=numpy.array(model.classes_, dtype=str),
                               bias=model.intercept_.astype(numpy.float32), keys=keys[order],
                               weights=model.coef_[:, kept[order]].T.astype(numpy.float16),
                               class_words=numpy.array(list(word_class), dtype=str),
                               class_names=numpy.array(list(word_class.values()), dtype=str))
    print(f"{out.relative_to(ROOT)}: {len(rows)} sentences, {len(kept)} of {len(names)} cues kept")
    if args.report:
        probabilities = cross_val_predict(LogisticRegression(**SETTINGS),
                                          matrix, labels, cv=5, method="predict_proba")
        classes = list(model.classes_)
        for label in classes:
            if label == CLEAN:
                continue
            k, total = classes.index(label), labels.count(label)
            def found(least: float) -> tuple[int, int]:
                said = [i for i, p in enumerate(probabilities) if p.argmax() == k and p[k] >= least]
                return sum(labels[i] == label for i in said), len(said)

            cells = []
            for least in LEVELS:
                right, said = found(least)
                cells.append(f"{least}: {right}/{total} at {right / max(said, 1):.0%}")
            least_precise = None
            for least in STEPS:  # down while the model stays right often enough
                right, said = found(least)
                if not said or right / said < LEAST_PRECISION:
                    break
                least_precise = least
            print(f"{label:24} min_probability {least_precise or 'none'}\n    " + "  ".join(cells))


if __name__ == "__main__":
    main()
