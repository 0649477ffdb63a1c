"""Measure the built-in rules against the labelled corpus (../shared/corpus by default).

    python benchmarks/corpus_quality.py [CORPUS_DIR] [--part PART]... [--model NAME]... [-v]

PART is tuning, held-out, published, repo-held-out or sentences (default: all five); NAME is blank or
en_core_web_sm (default: both, side by side; the trained one is skipped with a note when it is
not installed). -v lists every disagreement, missed label and stray finding.

For each part of the letters it prints how often the letter-level judgements (root cause,
actions, prevention, senior review, placeholders, profile) agree with the labels, each wording
family's recall (labelled phrases hit by a finding of the family) and precision (findings of the
family on a labelled phrase), and any finding on a tricky negative; for the sentence bank, each
category's recall and precision, and any wording finding on a positive or neutral sentence.
docs/quality.md explains the parts and every figure.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from poalint.analysis.pipeline import Pipeline
from poalint.config import Config
from poalint.errors import PoalintError
from poalint.reading import read_file, read_text
from poalint.rules.engine import Linter
from poalint.rules.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
PARTS = ("tuning", "held-out", "published", "repo-held-out", "sentences")
#: Ten more held-out letters, in the repository itself (so measured where ../shared is absent too).
REPO_HELD_OUT = ROOT / "tests" / "fixtures" / "heldout"
#: The pipelines compared: the blank default (None) and the trained one, by the name --model takes.
MODELS = {"blank": None, "en_core_web_sm": "en_core_web_sm"}
#: more/ letters from this number on are held out (dev-045 … dev-064); the ones before it are tuned on.
FIRST_HELD_OUT = 45

#: label field → the rule whose firing means "judged absent" (presence labels), and the rules
#: whose firing means "judged lacking" on adequacy labels, as the corpus README defines each field:
#: a root cause "specific and owned", preventive measures "concrete, not hedged intentions" (so
#: `weak-*` counts), but immediate actions only "corrective steps already completed" (so
#: `future-only-actions` counts and `weak-corrective-actions`, about their specifics, does not).
SECTIONS = {"has_root_cause": ("missing-root-cause", {"weak-root-cause"}),
            "has_immediate_actions": ("missing-corrective-actions", {"future-only-actions"}),
            "has_preventive_measures": ("missing-preventive-measures", {"weak-preventive-measures"})}
SENIOR_REVIEW = "missing-senior-review-request"
PLACEHOLDER_RULE = "unfilled-placeholder"
JUDGEMENTS = (*SECTIONS, "requests_senior_review", "has_placeholders", "profile", "suspension_reason")
#: The corpus's `suspension_reason` labels → poalint's reason ids (docs/reasons.md).
REASON_IDS = {"late_shipment_rate": "late-shipment", "intellectual_property": "intellectual-property",
              "order_defect_rate": "order-defect-rate", "used_sold_as_new": "used-sold-as-new",
              "related_accounts": "related-accounts", "restricted_products": "restricted-products",
              "review_manipulation": "review-manipulation", "cancellation_rate": "cancellation-rate",
              "listing_policy": "listing-policy", "valid_tracking_rate": "valid-tracking",
              "product_safety": "product-safety", "section_3": "business-practices",
              "kyc_verification": "identity-verification", "expired_products": "expired-products",
              "fba_reimbursement_abuse": "fba-reimbursement", "price_gouging": "pricing",
              "inauthentic": "inauthentic", "dropshipping": "dropshipping"}
#: wording family → (its rules, the label fields their findings should land on). generic-promise
#: counts as vague (empty promises are what the labels file under vague_phrases); an excuse, like
#: blame, pushes the cause outside the seller, and the labels file both under blame_or_emotional.
FAMILIES = {
    "vague": (("vague-wording", "generic-promise"), ("vague_phrases",)),
    "passive": (("passive-evasion",), ("passive_evasions",)),
    "blame/emotion/threat": (("blame-shifting", "excuse-as-root-cause", "emotional-language",
                              "threatening-language", "disputes-notice", "complains-about-amazon"),
                             ("blame_or_emotional",)),
}
PLACEHOLDERS = ((PLACEHOLDER_RULE,), ("placeholders",))
WORDING_RULES = frozenset(rule for rules, _ in FAMILIES.values() for rule in rules)

#: sentence-bank category → the rule that should flag it
CATEGORY_RULES = {
    "vague": "vague-wording", "generic-promise": "generic-promise", "excuse": "excuse-as-root-cause",
    "blame": "blame-shifting", "disputes-notice": "disputes-notice", "complaint": "complains-about-amazon",
    "emotional": "emotional-language", "threat": "threatening-language", "passive-evasion": "passive-evasion",
}
#: categories no wording rule should flag
CLEAN_CATEGORIES = ("owned-root-cause", "done-action", "planned-action", "preventive-control", "neutral")
#: A bank sentence with one of these `section`s goes under a heading of that role, so that rules
#: scoped to a section (or testing `role:`) read it there; any other sits between the salutation
#: and the sign-off, with no heading.
SECTION_HEADINGS = {"root-cause": "Root cause", "corrective": "Corrective actions taken",
                    "preventive": "Preventive measures"}
SALUTATION = "Dear Seller Performance Team,"
SIGN_OFF = "Sincerely,\nDana Reyes"


# ---------------------------------------------------------------- the parts of the corpus
@dataclass(frozen=True)
class Labelled:
    name: str
    path: Path
    label: dict
    presence: bool  # published/: the labels mean presence, not adequacy


def letters(corpus: Path, part: str) -> list[Labelled]:
    """The labelled letters of one part (tuning, held-out, published or repo-held-out)."""
    if part == "repo-held-out":
        labels = yaml.safe_load((REPO_HELD_OUT / "labels.yaml").read_text("utf-8"))
        return [Labelled(name, REPO_HELD_OUT / "letters" / name, label, False) for name, label in sorted(labels.items())]
    if part == "published":
        labels = yaml.safe_load((corpus / "published" / "labels.yaml").read_text("utf-8"))["letters"]
        return [Labelled(f"published/{name}", _only(corpus / "published", name), label, True)
                for name, label in sorted(labels.items())]
    first = yaml.safe_load((corpus / "labels.yaml").read_text("utf-8"))
    more = yaml.safe_load((corpus / "more" / "labels.yaml").read_text("utf-8"))
    held_out = {name: label for name, label in more.items() if _number(name) >= FIRST_HELD_OUT}
    if part == "held-out":
        return [Labelled(name, corpus / "more" / "letters" / name, label, False) for name, label in sorted(held_out.items())]
    return [*(Labelled(name, corpus / "letters" / name, label, False) for name, label in sorted(first.items())),
            *(Labelled(name, corpus / "more" / "letters" / name, label, False)
              for name, label in sorted(more.items()) if name not in held_out)]


def _only(folder: Path, stem: str) -> Path:
    (path,) = [p for p in folder.glob(f"{stem}.*") if p.suffix in (".txt", ".md")]
    return path


def _number(name: str) -> int:
    return int(name.split("-")[1].split(".")[0])


def bank(corpus: Path, part: str) -> list[dict]:
    """The sentence-bank entries of the tuning or held-out part (by the hash of their text)."""
    entries = yaml.safe_load((corpus / "sentences" / "sentences.yaml").read_text("utf-8"))
    held_out = part == "held-out"
    return [e for e in entries if (int(hashlib.sha256(e["text"].encode()).hexdigest(), 16) % 3 == 0) == held_out]


# ---------------------------------------------------------------- letters
@dataclass
class Tally:
    right: int = 0
    judged: int = 0
    wrong: list = field(default_factory=list)

    def add(self, agrees: bool, what: str) -> None:
        self.judged += 1
        self.right += agrees
        if not agrees:
            self.wrong.append(what)


@dataclass
class Family:
    hit: int = 0        # labelled phrases a finding of the family overlaps
    labelled: int = 0
    on_label: int = 0   # findings of the family that overlap a labelled phrase
    findings: int = 0
    misses: list = field(default_factory=list)
    stray: list = field(default_factory=list)


@dataclass
class LetterReport:
    judgements: dict = field(default_factory=lambda: {name: Tally() for name in JUDGEMENTS})
    families: dict = field(default_factory=lambda: {name: Family() for name in [*FAMILIES, "placeholders"]})
    tricky: list = field(default_factory=list)
    findings: dict = field(default_factory=dict)  # letter name → its findings
    #: Letters given a reason that is not their label (not counting "unsure": no reason given).
    confident_wrong_reasons: list = field(default_factory=list)
    #: reason rule → [(letter, its quality label)] of each letter of that reason it fired on, and
    #: the letters of that reason it was run on.
    reason_rules: dict = field(default_factory=dict)

    def sections(self) -> Tally:
        return _sum(self.judgements[name] for name in SECTIONS)

    def all_judgements(self) -> Tally:
        return _sum(self.judgements.values())

    def wording(self) -> Family:
        total = Family()
        for name in FAMILIES:
            for key in ("hit", "labelled", "on_label", "findings"):
                setattr(total, key, getattr(total, key) + getattr(self.families[name], key))
        return total


def _sum(tallies) -> Tally:
    total = Tally()
    for tally in tallies:
        total.right, total.judged = total.right + tally.right, total.judged + tally.judged
        total.wrong += tally.wrong
    return total


def spans_of(text: str, phrase: str) -> list[tuple[int, int]]:
    out, i = [], text.find(phrase)
    while i != -1:
        out.append((i, i + len(phrase)))
        i = text.find(phrase, i + 1)
    return out


def overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(corpus: Path, part: str, linter: Linter) -> LetterReport:
    report = LetterReport()
    ruleset = linter.ruleset
    # Rules that flag words (not sentences or whole letters) must stay off the tricky negatives.
    phrase_rules = WORDING_RULES | {r.id for r in ruleset.rules if r.kind in ("existence", "substitution")}
    for letter in letters(corpus, part):
        label, name = letter.label, letter.name
        document = read_file(letter.path, ruleset.roles)
        # Templates and appeals are POAs (with holes); the escalation label decides that profile.
        profile = "escalation" if label["kind"] == "escalation" else "poa"
        result = linter.lint(document, profile)
        findings = result.findings
        report.findings[name] = findings
        _judge_reason(report, letter, result.reasons, ruleset, {f.rule for f in findings})
        fired = {f.rule for f in findings}
        detected = ruleset.detect_profile(document.source).name
        report.judgements["profile"].add(detected == profile, f"{name} (labelled {label['kind']}, detected {detected})")
        for field_name, (absent, inadequate) in SECTIONS.items():
            lacking = {absent} if letter.presence else {absent, *inadequate}
            _judge(report, letter, field_name, not fired & lacking)
        if profile == "escalation":  # the rule runs on escalations only
            _judge(report, letter, "requests_senior_review", SENIOR_REVIEW not in fired)
        report.judgements["has_placeholders"].add((PLACEHOLDER_RULE in fired) == label["has_placeholders"],
                                                  f"{name} (labelled {label['has_placeholders']})")
        text = document.source
        for family, (rules, fields) in [*FAMILIES.items(), ("placeholders", PLACEHOLDERS)]:
            if all(f not in label for f in fields):
                continue  # published/ labels no passive evasions or placeholder texts
            _score_family(report.families[family], name, text, [p for f in fields for p in label.get(f, [])],
                          [f for f in findings if f.rule in rules])
        for phrase in label.get("tricky_negatives", []):
            for span in spans_of(text, phrase):
                report.tricky += [f"{name}:{f.line} {f.rule} on tricky negative {phrase!r}"
                                  for f in findings if f.rule in phrase_rules and overlaps(span, (f.start, f.end))]
    return report


def _judge_reason(report: LetterReport, letter: Labelled, detected: tuple[str, ...], ruleset, fired: set) -> None:
    """Whether the first reason detected is the labelled one; and, for each rule of the labelled
    reason, whether it fired (it runs only where its reason was detected, as for a user)."""
    if not letter.label.get("suspension_reason"):
        return
    truth = REASON_IDS[letter.label["suspension_reason"]]
    first = detected[0] if detected else None
    report.judgements["suspension_reason"].add(first == truth, f"{letter.name} (labelled {truth}, detected {first})")
    if first is not None and first != truth:
        report.confident_wrong_reasons.append(f"{letter.name}: labelled {truth}, detected {', '.join(detected)}")
    for rule in ruleset.rules:
        if rule.reason == truth:
            ran, flagged = report.reason_rules.setdefault(rule.id, ([], []))
            ran.append(letter.name)
            if rule.id in fired:
                flagged.append(f"{letter.name} ({letter.label.get('quality', '?')})")


def _judge(report: LetterReport, letter: Labelled, field_name: str, predicted: bool) -> None:
    truth = letter.label[field_name]
    if letter.presence and letter.label.get("truncated") and not truth:
        return  # the section may lie past the cut: nothing to judge
    report.judgements[field_name].add(predicted == truth, f"{letter.name} (labelled {truth})")


def _score_family(stats: Family, name: str, text: str, phrases: list[str], findings: list) -> None:
    occurrences = [span for phrase in phrases for span in spans_of(text, phrase)]
    stats.labelled += len(phrases)
    stats.findings += len(findings)
    for phrase in phrases:
        if any(overlaps(span, (f.start, f.end)) for span in spans_of(text, phrase) for f in findings):
            stats.hit += 1
        else:
            stats.misses.append(f"{name}: {phrase!r}")
    for f in findings:
        if any(overlaps((f.start, f.end), span) for span in occurrences):
            stats.on_label += 1
        else:
            stats.stray.append(f"{name}:{f.line} {f.rule} {f.text!r}")


# ---------------------------------------------------------------- the sentence bank
@dataclass
class Category:
    sentences: int = 0
    hit: int = 0            # sentences with a finding of the category's rule overlapping `mark`
    flagged: int = 0        # sentences (of any category) the rule flags
    flagged_right: int = 0  # … of this category, or with it in `also`
    misses: list = field(default_factory=list)
    stray: list = field(default_factory=list)


@dataclass
class BankReport:
    categories: dict = field(default_factory=lambda: {c: Category() for c in CATEGORY_RULES})
    #: clean category → [sentences, sentences with a wording finding, the findings described]
    false_alarms: dict = field(default_factory=lambda: {c: [0, 0, []] for c in CLEAN_CATEGORIES})

    def overall(self) -> Category:
        total = Category()
        for c in self.categories.values():
            total.sentences, total.hit = total.sentences + c.sentences, total.hit + c.hit
            total.flagged, total.flagged_right = total.flagged + c.flagged, total.flagged_right + c.flagged_right
        return total


def bank_letter(entry: dict) -> tuple[str, int]:
    """A tiny letter holding one bank sentence, and the sentence's offset in it."""
    heading = SECTION_HEADINGS.get(entry["section"])
    head = f"{SALUTATION}\n\n" + (f"## {heading}\n\n" if heading else "")
    return f"{head}{entry['text']}\n\n{SIGN_OFF}\n", len(head)


def evaluate_bank(corpus: Path, part: str, linter: Linter) -> BankReport:
    report = BankReport()
    rules = [r for r in linter.ruleset.rules if r.id in WORDING_RULES]
    by_rule = {rule: category for category, rule in CATEGORY_RULES.items()}
    for entry in bank(corpus, part):
        source, offset = bank_letter(entry)
        document = read_text(source, "sentence.md", linter.ruleset.roles)
        end = offset + len(entry["text"])
        findings = [f for f in linter.lint(document, "poa", only=rules).findings if overlaps((f.start, f.end), (offset, end))]
        category, also = entry["category"], entry.get("also", [])
        described = [f"{f.rule} {f.text!r}: {entry['text']!r}" for f in findings]
        if category in CATEGORY_RULES:
            stats = report.categories[category]
            stats.sentences += 1
            mark = offset + entry["text"].index(entry["mark"])
            if any(f.rule == CATEGORY_RULES[category] and overlaps((f.start, f.end), (mark, mark + len(entry["mark"])))
                   for f in findings):
                stats.hit += 1
            else:
                stats.misses.append(f"{entry['mark']!r} in {entry['text']!r}")
        else:
            alarms = [d for f, d in zip(findings, described) if by_rule.get(f.rule) not in also]
            tally = report.false_alarms[category]
            tally[0] += 1
            tally[1] += bool(alarms)
            tally[2] += alarms
        for rule in {f.rule for f in findings} & set(by_rule):
            stats, right = report.categories[by_rule[rule]], by_rule[rule] in (category, *also)
            stats.flagged += 1
            stats.flagged_right += right
            if not right:
                stats.stray.append(f"[{category}] {entry['text']!r}")
    return report


# ---------------------------------------------------------------- printing
def ratio(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f} %)" if b else "n/a"


def share(a: int, b: int) -> float | None:
    return a / b if b else None


def describe(corpus: Path, part: str) -> str:
    if part == "sentences":
        return "sentence bank: tuning (sha256(text) % 3 != 0) and held-out (% 3 == 0) entries"
    names = [letter.name for letter in letters(corpus, part)]
    return f"{len(names)} letters, {names[0]} … {names[-1]}"


def table(head: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(map(str, row)) + " |" for row in rows])


def print_letters(reports: dict[str, LetterReport], verbose: bool) -> None:
    models = list(reports)
    any_report = next(iter(reports.values()))
    rows = [[name, any_report.judgements[name].judged, *(ratio(r.judgements[name].right, r.judgements[name].judged)
                                                          for r in reports.values())] for name in JUDGEMENTS]
    for title, method in (("**sections (root cause, actions, prevention)**", LetterReport.sections),
                          ("**all judgements**", LetterReport.all_judgements)):
        tallies = [method(r) for r in reports.values()]
        rows.append([title, tallies[0].judged, *(f"**{ratio(t.right, t.judged)}**" for t in tallies)])
    print(table(["judgement", "letters judged", *models], rows))
    print()
    rows = []
    for family in [*FAMILIES, "**overall**", "placeholders"]:
        stats = [r.wording() if family == "**overall**" else r.families[family] for r in reports.values()]
        cells = [cell for s in stats for cell in (ratio(s.hit, s.labelled), ratio(s.on_label, s.findings))]
        rows.append([family, stats[0].labelled, *cells])
    print(table(["wording family", "labelled phrases", *(f"{k} ({m})" for m in models for k in ("recall", "precision"))], rows))
    print()
    for model, report in reports.items():
        print(f"Findings on tricky negatives ({model}): {len(report.tricky)}")
        for line in report.tricky:
            print("  " + line)
        print(f"Letters given a wrong reason, not just none ({model}): {len(report.confident_wrong_reasons)}")
        for line in report.confident_wrong_reasons:
            print("  " + line)
    first = next(iter(reports.values()))
    if first.reason_rules:
        print()
        print(table(["reason rule", "letters of its reason", *(f"fired on ({m})" for m in models)],
                    [[rule, len(first.reason_rules[rule][0]),
                      *("; ".join(r.reason_rules[rule][1]) or "none" for r in reports.values())]
                     for rule in sorted(first.reason_rules)]))
    if verbose:
        for model, report in reports.items():
            for name, tally in report.judgements.items():
                for wrong in tally.wrong:
                    print(f"WRONG {model} {name}: {wrong}")
            for family, s in report.families.items():
                for miss in s.misses:
                    print(f"MISS  {model} {family}: {miss}")
                for stray in s.stray:
                    print(f"STRAY {model} {family}: {stray}")


def print_bank(reports: dict[str, BankReport], verbose: bool) -> None:
    models = list(reports)
    rows = []
    for category, rule in [*CATEGORY_RULES.items(), ("**overall**", "")]:
        stats = [r.overall() if not rule else r.categories[category] for r in reports.values()]
        cells = [cell for s in stats for cell in (ratio(s.hit, s.sentences), ratio(s.flagged_right, s.flagged))]
        rows.append([category, rule, stats[0].sentences, *cells])
    print(table(["category", "rule", "sentences", *(f"{k} ({m})" for m in models for k in ("recall", "precision"))], rows))
    print()
    rows = [[category, next(iter(reports.values())).false_alarms[category][0],
             *(r.false_alarms[category][1] for r in reports.values())] for category in CLEAN_CATEGORIES]
    print(table(["clean category", "sentences", *(f"with a wording finding ({m})" for m in models)], rows))
    if verbose:
        for model, report in reports.items():
            for category, stats in report.categories.items():
                for miss in stats.misses:
                    print(f"MISS  {model} {category}: {miss}")
                for stray in stats.stray:
                    print(f"STRAY {model} {CATEGORY_RULES[category]}: {stray}")
            for category, (_, _, alarms) in report.false_alarms.items():
                for alarm in alarms:
                    print(f"ALARM {model} [{category}] {alarm}")


def revision() -> str:
    def git(*args):
        return subprocess.run(["git", *args], check=False, cwd=ROOT, capture_output=True, text=True).stdout.strip()
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def linters(names: list[str]) -> dict[str, Linter]:
    """One Linter per pipeline asked for that is installed; a note for each that is not."""
    ruleset = load_ruleset(Config())
    out = {}
    for name in names:
        try:
            pipeline = Pipeline.load(MODELS[name])
        except PoalintError as error:
            print(f"Note: the {name} pipeline is skipped: {error}")
            continue
        out["blank" if MODELS[name] is None else "trained"] = Linter(ruleset, pipeline)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--part", action="append", choices=PARTS, help="measure only this part (repeatable)")
    parser.add_argument("--model", action="append", choices=list(MODELS), help="only this pipeline (repeatable)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list disagreements, misses and stray findings")
    args = parser.parse_args(argv)
    by_model = linters(args.model or list(MODELS))
    print(f"Corpus quality, {datetime.date.today().isoformat()}, commit {revision()}, corpus {args.corpus}")
    print("Pipelines: " + ", ".join(f"{model} = {linter.pipeline.name}" for model, linter in by_model.items()) + "\n")
    for part in args.part or PARTS:
        if part != "repo-held-out" and not args.corpus.is_dir():
            print(f"Note: the {part} part is skipped: no corpus at {args.corpus}\n")
            continue
        print(f"## {part} ({describe(args.corpus, part)})\n")
        if part == "sentences":
            for half in ("tuning", "held-out"):
                print(f"### sentence bank, {half} part\n")
                print_bank({m: evaluate_bank(args.corpus, half, linter) for m, linter in by_model.items()}, args.verbose)
                print()
        else:
            print_letters({m: evaluate(args.corpus, part, linter) for m, linter in by_model.items()}, args.verbose)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
