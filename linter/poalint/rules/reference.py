"""Rule and reason documentation generated from their own definitions (`poalint explain`,
`poalint rules`, docs/rules.md and docs/reasons.md)."""
from __future__ import annotations

import textwrap

from poalint.escaping import printable
from poalint.rules.kinds.base import Rule
from poalint.rules.reasons import Reason


def example_text(example) -> str:
    if isinstance(example, str):
        return example
    text = example["text"]
    return f"{text}  (×{example['repeat']})" if example.get("repeat") else text


def _examples(rule: Rule, width: int):
    """(heading, shortened example texts) for the rule's fail and pass examples."""
    for verdict, label in (("fail", "Flagged"), ("pass", "Not flagged")):
        examples = rule.examples.get(verdict, [])
        if examples:
            yield label, [textwrap.shorten(" ".join(example_text(e).split()), width) for e in examples]


def _pipeline_note(rule: Rule) -> list[str]:
    if not rule.requires:
        return []
    return [f"Sharper with a trained pipeline ({', '.join(sorted(rule.requires))}); "
            "a lexical fallback runs on the default pipeline."]


def _model_note(rule: Rule) -> list[str]:
    classifier = rule.spec.get("classifier")
    if not classifier:
        return []
    return [f"Also flags each whole sentence that the wording model labels {classifier['label']} "
            f"with a probability of at least {classifier['min_probability']} (docs/quality.md#the-wording-model)."]


def _suggestion_variants(rule: Rule) -> list[str]:
    """Each of the rule's `suggestions` as "for <reasons>, when <its `when`, as written>: <text>"."""
    shown = []
    for variant in rule.spec.get("suggestions", ()):
        parts = []
        if "reason" in variant:
            reasons = variant["reason"]
            parts.append(f"for {reasons if isinstance(reasons, str) else ', '.join(reasons)} letters")
        if "when" in variant:
            when = variant["when"]
            if isinstance(when, dict):
                count = len(when.get("patterns", ()))
                when = [*when.get("phrases", ()), *(f"/{r}/" for r in when.get("regex", ()))] + \
                    ([f"{count} token pattern{'s' * (count > 1)}"] if count else [])
            parts.append(f"when {', '.join(when)}")
        shown.append(f"{', '.join(parts)}: {variant['text']}")
    return shown + [f"for {reason} letters (the reason file's example): {text}" for reason, text in rule.reason_examples]


def explain(rule: Rule) -> str:
    lines = [
        f"{rule.id}  ({rule.kind}, {rule.severity.label}, profile: {rule.profile}, "
        f"{f'reason: {rule.reason}, ' if rule.reason else ''}pack: {rule.origin.pack})",
        "",
        textwrap.fill(" ".join(rule.description.split()), 96, break_on_hyphens=False),
        "",
        f"Message:    {rule.message}",
    ]
    if rule.suggestion:
        lines.append(f"Suggestion: {rule.suggestion}")
    lines += [f"  {variant}" for variant in _suggestion_variants(rule)]
    lines.append(f"Scope:      {rule.scope.describe()}")
    lines += _pipeline_note(rule) + _model_note(rule)
    for label, texts in _examples(rule, 110):
        lines += ["", f"{label}:", *(f"  - {text}" for text in texts)]
    lines += [
        "",
        "Disable it:",
        f"  on the command line:  poalint check --ignore {rule.id} …",
        f"  in .poalint.yaml:     rules: {{{rule.id}: {{off: true}}}}",
        f"Defined in {rule.origin.path}:{rule.origin.line}",
    ]
    return "\n".join(lines) + "\n"


#: The narrowest summary column beside the others; in a narrower terminal each summary goes on
#: the lines under its row instead, indented by SUMMARY_INDENT.
MIN_SUMMARY_WIDTH = 40
SUMMARY_INDENT = 4


def table(rules: list[Rule], width: int) -> str:
    """`poalint rules`: a header, columns as wide as their longest entry, and each summary wrapped
    to ``width`` with its continuation lines under the summary column."""
    header = ("ID", "KIND", "SEVERITY", "PROFILE", "PACK")
    rows = [tuple(printable(cell) for cell in (r.id, r.kind, r.severity.label, r.profile, r.origin.pack))
            for r in rules]
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    beside = sum(widths) + 2 * len(widths)
    below = width - beside < MIN_SUMMARY_WIDTH
    indent = SUMMARY_INDENT if below else beside
    lines = []
    for cells, summary in [(header, "SUMMARY"), *zip(rows, (printable(r.summary) for r in rules))]:
        row = "".join(f"{cell:<{w}}  " for cell, w in zip(cells, widths))
        wrapped = textwrap.wrap(summary, max(width - indent, MIN_SUMMARY_WIDTH), break_on_hyphens=False) or [""]
        if below:
            lines += [row.rstrip(), *(" " * indent + line for line in wrapped)]
        else:
            lines += [row + wrapped[0], *(" " * indent + line for line in wrapped[1:])]
    return "\n".join(lines) + "\n"


def markdown(rules: list[Rule]) -> str:
    out = ["# Rule reference", "",
           "<!-- Generated by `poalint rules --format markdown`; do not edit by hand. -->", "",
           "| id | kind | severity | profile | summary |", "|---|---|---|---|---|"]
    out += [f"| [`{r.id}`](#{r.id}) | {r.kind} | {r.severity.label} | {r.profile} | {r.summary} |" for r in rules]
    for rule in rules:
        out += ["", f"## {rule.id}", "",
                f"*{rule.kind}* · **{rule.severity.label}** · profile `{rule.profile}` · scope {rule.scope.describe()} "
                + (f"· reason [`{rule.reason}`](reasons.md#{rule.reason}) " if rule.reason else "")
                + f"· pack `{rule.origin.pack}`", "",
                " ".join(rule.description.split()), "",
                f"- Message: {rule.message}"]
        if rule.suggestion:
            out.append(f"- Suggestion: {rule.suggestion}")
        out += [f"  - {variant}" for variant in _suggestion_variants(rule)]
        out += [f"- {note}" for note in _pipeline_note(rule) + _model_note(rule)]
        for label, texts in _examples(rule, 160):
            out += ["", f"{label}:", "", *(f"- {text}" for text in texts)]
        out += ["", f"Disable: `--ignore {rule.id}` or `rules: {{{rule.id}: {{off: true}}}}` in `.poalint.yaml`."]
    return "\n".join(out) + "\n"


def _rules_for(reason: Reason, rules: list[Rule]) -> list[Rule]:
    return [rule for rule in rules if rule.reason == reason.id]


def explain_reason(reason: Reason, rules: list[Rule]) -> str:
    """`poalint explain REASON`: what the reason is, what shows a letter is about it, its rules."""
    own = _rules_for(reason, rules)
    lines = [f"{reason.id}  (suspension reason: {reason.name})", "",
             textwrap.fill(f"The investigator looks first for: {reason.asks}", 96, break_on_hyphens=False), "",
             "Names (the words that name the reason; one in the opening is enough to detect it):",
             *(f"  /{pattern}/" for pattern in reason.names), "",
             "Signs (words of its subject matter; each adds a little evidence):",
             *(f"  /{pattern}/" for pattern in reason.signs), "",
             *(["The example each section rule gives such a letter:",
                *(textwrap.fill(f"{role}: {text}", 96, initial_indent="  ", subsequent_indent="    ",
                                break_on_hyphens=False) for role, text in reason.examples), ""] if reason.examples else []),
             "Rules for letters about it:" if own else "No rules of its own yet.",
             *(f"  {rule.id}  {printable(rule.summary)}" for rule in own), "",
             f"Declare it:  poalint check --reason {reason.id} …  or  `reason: {reason.id}` under `poalint:` "
             "in a Markdown letter's front matter",
             f"Defined in {reason.path}"]
    return "\n".join(lines) + "\n"


def reasons_table(reasons: dict[str, Reason], rules: list[Rule]) -> str:
    """`poalint rules --reasons`: each reason's id, name and rules."""
    rows = [(reason.id, reason.name, ", ".join(rule.id for rule in _rules_for(reason, rules)) or "-")
            for reason in sorted(reasons.values(), key=lambda r: r.id)]
    header = ("ID", "NAME", "RULES")
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    return "".join("  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths)).rstrip() + "\n"
                   for row in (header, *rows))


def reasons_markdown(reasons: dict[str, Reason], rules: list[Rule]) -> str:
    """docs/reasons.md: every reason, its markers and its rules."""
    ordered = sorted(reasons.values(), key=lambda r: r.id)
    out = ["# Suspension reasons", "",
           "<!-- Generated by `poalint rules --reasons --format markdown`; do not edit by hand. -->", "",
           "poalint detects which suspension reason a letter answers from its words, or takes it from",
           "`--reason` or `reason:` in the front matter, and then runs that reason's rules as well as the",
           "general ones. A reason is detected when a word that *names* it is in the letter's opening (its",
           "first 150 words), or when the letter names it elsewhere and shows its *signs*; a second reason",
           "is reported only when its evidence is nearly as strong as the first's. A template's instructions",
           "that list cases as examples (a bracket or parenthesis with \"e.g.\", \"for example\", \"such as\")",
           "are not the letter's words and are not read. When no reason is named clearly, none is",
           "reported (`\"reason\": null` in JSON) and only the general rules run.",
           "[poa-guide.md](poa-guide.md#what-each-kind-of-case-asks-for) explains what each case asks for.", "",
           "| id | reason | rules |", "|---|---|---|"]
    out += [f"| [`{r.id}`](#{r.id}) | {r.name} | "
            + (", ".join(f"[`{rule.id}`](rules.md#{rule.id})" for rule in _rules_for(r, rules)) or "–") + " |"
            for r in ordered]
    for reason in ordered:
        out += ["", f"## {reason.id}", "", f"**{reason.name}.** The investigator looks first for: {reason.asks}", "",
                "Names: " + ", ".join(f"`{p}`" for p in reason.names), "",
                "Signs: " + ", ".join(f"`{p}`" for p in reason.signs)]
        if reason.examples:
            out += ["", "The example each section rule gives such a letter:", "",
                    *(f"- {role}: {text}" for role, text in reason.examples)]
        own = _rules_for(reason, rules)
        if own:
            out += ["", "Rules:", "", *(f"- [`{rule.id}`](rules.md#{rule.id}): {rule.summary}" for rule in own)]
    return "\n".join(out) + "\n"
