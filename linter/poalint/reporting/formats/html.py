"""HTML: one self-contained page (inline CSS from html.css; no script, font, image or any other request) per run.

For each letter: the readiness score, what took points off and how, the required-content
checklist, the metrics, and the letter (a Markdown letter rendered as its text, others as
written) with each finding's span highlighted by severity and its message and fix beside it.
Several letters get a table of contents. Everything that comes from a letter (its text, its path,
messages that quote it) is escaped. The page is made from the results and the run's rules alone:
it reads no rule file or configuration and runs no rule's expression. See docs/html-report.md.
"""
from __future__ import annotations

import functools
from importlib import resources

from poalint.reporting.findings import Severity
from poalint.reporting.formats import plural, summary
from poalint.reporting.formats.html_letter import esc, letter_text, place_of

_READABILITY_NAMES = {
    "automated_readability_index": "Automated Readability Index (US grade)",
    "flesch_kincaid_grade": "Flesch–Kincaid grade",
    "flesch_reading_ease": "Flesch reading ease",
    "gunning_fog": "Gunning fog index",
    "smog_index": "SMOG index",
    "coleman_liau_index": "Coleman–Liau index",
    "dale_chall_readability_score": "Dale–Chall score",
}


@functools.cache
def _stylesheet() -> str:
    """The page's CSS (html.css beside this module, shipped in the wheel), read once per process."""
    return resources.files(__package__).joinpath("html.css").read_text("utf-8")


def _score_panel(result) -> str:
    score = result.score
    if score is None:
        return '<section class="panel"><h3>Readiness</h3><p>No score.</p></section>'
    out = ['<section class="panel score">']
    out.append(f'<h3>Readiness score</h3><p class="score-value" data-score="{score}">{score}<span class="muted"> / 100</span></p>')
    out.append(f'<div class="bar" role="img" aria-label="Score {score} of 100"><span style="width:{score}%"></span></div>')
    deductions = sorted(result.deductions or (), key=lambda item: (-item[1], item[0]))
    if deductions:
        counts: dict[str, int] = {}
        for f in result.findings:
            counts[f.rule] = counts.get(f.rule, 0) + 1
        rows = "".join(f'<tr><td>{esc(rule)}</td><td class="num">{counts.get(rule, 0)}</td>'
                       f'<td class="num">−{points:g}</td></tr>' for rule, points in deductions)
        out.append(f'<table class="deductions"><caption class="muted">What took points off (from {result.score_start:g})'
                   '</caption><thead><tr><th scope="col">Rule</th><th scope="col" class="num">Findings</th>'
                   f'<th scope="col" class="num">Points</th></tr></thead><tbody>{rows}</tbody></table>')
    elif result.deductions is not None:
        out.append('<p>Nothing took points off.</p>')
    out.append(f'<div class="how-scored"><p class="muted">{_how_scored(result)}</p></div></section>')
    return "".join(out)


def _how_scored(result) -> str:
    """How the score is computed (poalint.reporting.score), said in the page: its reader has no docs."""
    start = result.score_start
    how = (f"How the score is computed: it starts at {start:g} and each rule with findings takes off points. "
           "A finding weighs the points set for its rule, or else for its severity, and one rule takes off at "
           "most its cap, so many small findings of one kind cannot outweigh a missing section; the result is "
           "rounded and kept between 0 and 100.")
    if result.deductions is None:  # a result stored before results carried their deductions
        return how
    value = start - sum(points for _, points in result.deductions)
    points = sorted((points for _, points in result.deductions), reverse=True)  # as in the table
    sum_text = f"{start:g}" + "".join(f" − {p:g}" for p in points) + f" = {value:g}".replace("-", "−")
    if value != result.score:
        sum_text += f", so {result.score}"
    return f"{how} For this letter: {esc(sum_text)}."


def _checklist(result, context, source: str, number: int, ids: dict) -> str:
    """A line for each rule of the run that declares a ``checklist:`` item (rule YAML), those
    that apply to the letter's profile first; a suspension reason's items only on a letter about
    that reason (another case's evidence is no part of this letter's checklist)."""
    headings: dict[str, int] = {}
    for role, offset in result.headings:
        headings.setdefault(role, offset)
    items = []
    listed = sorted((rule for rule in context.rules if rule.checklist and (rule.reason is None or rule.reason in result.reasons)),
                    key=lambda rule: not rule.applies_to(result.profile, result.reasons))
    for rule in listed:
        section = rule.checklist.section
        found = [f for f in result.findings if f.rule == rule.id]
        weak = [f for f in result.findings if f.rule in rule.checklist.weak]
        if found or weak:
            f = (found or weak)[0]
            status, css = ("Missing", "missing") if found else ("Weak", "weak")
            detail = f'{esc(f.message)} <a href="#{ids[f]}">See the finding and its fix</a>.'
        elif not rule.applies_to(result.profile, result.reasons):
            status, css = "Not applicable", "skipped"
            checked_in = "POAs and escalations" if rule.profile == "poa" else f"{esc(rule.profile)} letters"
            detail = f"Only checked in {checked_in}; this letter was linted as a {esc(result.profile)}."
        else:
            status, css = "Present", "present"
            detail = _where_present(result, source, number, headings.get(section) if section else None, bool(section))
        items.append(f'<li class="check-{css}" data-rule="{esc(rule.id)}" data-status="{css}">'
                     f'<span class="status">{status}:</span> <strong>{esc(rule.checklist.label)}</strong>. {detail}</li>')
    if not items:
        return ""
    return ('<section class="panel"><h3>Required content</h3><ul class="checklist">' + "".join(items)
            + "</ul></section>")


def _where_present(result, source: str, number: int, heading_at: int | None, has_role: bool) -> str:
    """Where the rule found what it asks for: its section's heading when the letter has one. (The
    engine reports absences only; the page runs no rule's expressions to guess more.)"""
    if heading_at is not None and heading_at < len(source):
        place = place_of(result, source, heading_at)
        line_end = source.find("\n", heading_at)
        heading = source[heading_at:line_end if line_end >= 0 else len(source)].strip()
        return (f'Found; its section starts at <a href="#L{number}-{place.line}">{esc(place.label)}</a> '
                f'(“{esc(heading[:80])}”).')
    if has_role:
        return "Found in the letter's text (the letter has no heading for it)."
    return "Found in the letter's text."


def _limits(rule) -> str:
    parts = []
    for limit, severity in getattr(rule, "minimums", ()):
        parts.append(f"at least {limit:,g} ({severity.label} below)")
    for limit, severity in getattr(rule, "maximums", ()):
        parts.append(f"at most {limit:,g} ({severity.label} above)")
    return "; ".join(parts)


def _metrics(result, context) -> str:
    metrics = result.metrics
    letter_rules = [r.for_profile(result.profile) for r in context.rules
                    if r.kind == "metric" and r.applies_to(result.profile, result.reasons)]
    letter_rules = [r for r in letter_rules if r.scope.kind == "letter"]
    rows = []
    if "words" in metrics:
        targets = "; ".join(t for t in (_limits(r) for r in letter_rules if r.metric == "words") if t)
        rows.append(("Words", f"{metrics['words']:,}" + (f" <span class=\"muted\">(target: {esc(targets)})</span>" if targets else "")))
    if "sentences" in metrics:
        rows.append(("Sentences", f"{metrics['sentences']:,}"))
    if "paragraphs" in metrics:
        rows.append(("Paragraphs", f"{metrics['paragraphs']:,}"))
    graded = False
    for name, label in _READABILITY_NAMES.items():
        if name in metrics:
            graded = True
            limits = "; ".join(t for t in (_limits(r) for r in letter_rules if r.metric == name) if t)
            rows.append((f"Reading grade: {label}", f"{metrics[name]:g}"
                         + (f" <span class=\"muted\">(target: {esc(limits)})</span>" if limits else "")))
    if not graded:
        rows.append(("Reading grade", '<span class="muted">not measured (no readability rule ran)</span>'))
    body = "".join(f'<tr><th scope="row">{esc(name)}</th><td>{value}</td></tr>' for name, value in rows)
    return f'<section class="panel"><h3>Metrics</h3><table class="metrics"><tbody>{body}</tbody></table></section>'


def _letter(result, context, number: int) -> str:
    source = (context.sources or {}).get(result.path)
    head = f'<article id="letter-{number}" class="letter"><h2>{esc(result.path)}</h2>'
    if result.error:
        return head + f'<p class="check-missing">This letter could not be linted: {esc(result.error)}</p></article>'
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in sorted(Severity, reverse=True)}
    found = ", ".join(f"{n} {s.label}{'s' if n != 1 else ''}" for s, n in counts.items())
    ids = {f: f"f{number}-{i}" for i, f in enumerate(result.findings, 1)}
    profile = esc(result.profile) + (f" ({esc(result.profile_reason)})" if result.profile_reason else "")
    reason = esc(", ".join(result.reasons) or "none") + (f" ({esc(result.reason_source)})" if result.reason_source else "")
    out = [head, f'<p class="muted">Profile: {profile} · Reason: {reason} · {found}</p>', '<div class="overview">',
           _score_panel(result),
           _checklist(result, context, source or "", number, ids),
           _metrics(result, context), '</div>', '<section class="body"><h3>The letter and its findings</h3>']
    out.append('<p class="legend muted">Highlights: <span class="sev-error"><mark class="hl sev-error">error</mark></span>'
               '<span class="sev-warning"><mark class="hl sev-warning">warning</mark></span>'
               '<span class="sev-info"><mark class="hl sev-info">info</mark></span> '
               'Each highlight ends with the number of its note.</p>')
    if source is None:
        out.append("<p>The letter's text is not available.</p>")
    else:
        out.append(letter_text(result, source, number, ids))
    out.append("</section></article>")
    return "".join(out)


def render(results, context) -> str:
    counts = summary(results)
    title = "poalint report" + (f": {results[0].path}" if len(results) == 1 else "")
    parts = ['<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
             # Nothing may load: no script, font, image or stylesheet from anywhere.
             '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">\n',
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
             f'<meta name="generator" content="poalint {esc(context.version)}">\n',
             f'<title>{esc(title)}</title>\n<style>\n{_stylesheet()}</style>\n</head>\n<body>\n',
             '<header><h1>poalint report</h1>',
             f'<p class="muted">poalint {esc(context.version)} · {plural(counts["files"], "letter")} checked · '
             f'{", ".join(plural(counts[s], s) for s in ("error", "warning", "info"))}</p></header>\n']
    if len(results) > 1:
        items = []
        for i, r in enumerate(results, 1):
            what = "could not be linted" if r.error else f"score {r.score}" if r.score is not None else ""
            items.append(f'<li><a href="#letter-{i}">{esc(r.path)}</a> <span class="muted">{esc(what)}</span></li>')
        parts.append(f'<nav aria-labelledby="toc"><h2 id="toc">Contents</h2><ol>{"".join(items)}</ol></nav>\n')
    parts.append("<main>\n")
    parts.extend(_letter(r, context, i) + "\n" for i, r in enumerate(results, 1))
    parts.append("</main>\n</body>\n</html>\n")
    return "".join(parts)
