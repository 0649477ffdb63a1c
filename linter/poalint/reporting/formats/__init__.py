"""Output formats: one module each, all with ``render(results, context) -> str``.

``write`` streams a report instead, so that the report of a run of thousands of letters is never
held whole in memory: through the module's own ``write(results, context, stream)``, or, for the
JSON-based formats, by encoding ``document(results, context)`` (the value their report is) piece
by piece.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, replace

from poalint.escaping import printable
from poalint.reporting.findings import Severity

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "html")


@dataclass(frozen=True)
class ReportContext:
    version: str
    color: bool = False
    quiet: bool = False
    sources: dict | None = None  # path → original text, for showing source lines
    rules: tuple = ()  # every rule active in the run (poalint.rules.kinds.base.Rule), for SARIF's driver


#: How Python keeps the bytes of a file name that are not UTF-8 (PEP 383): no UTF-8 text may hold them.
_UNDECODED = re.compile("[\ud800-\udfff]")


def shown_path(path: str) -> str:
    """A path as reports show it: bytes of the file name that are not UTF-8 become U+FFFD."""
    return _UNDECODED.sub("\ufffd", path)


def _shown(results, context: ReportContext):
    """The results and the context's sources with their paths as reports show them."""
    if not any(_UNDECODED.search(r.path) for r in results):
        return results, context
    sources = {shown_path(path): text for path, text in context.sources.items()} if context.sources else None
    return [replace(r, path=shown_path(r.path)) for r in results], replace(context, sources=sources)


def summary(results) -> dict:
    counts = {s.label: 0 for s in sorted(Severity, reverse=True)}
    for result in results:
        for finding in result.findings:
            counts[finding.severity.label] += 1
    checked = sum(1 for r in results if r.error is None)
    skipped = sum(1 for r in results if r.error and r.skipped)
    return {**counts, "files": checked, "errors_reading": len(results) - checked - skipped, "skipped": skipped}


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _counts(counts: dict) -> str:
    return ", ".join(plural(counts[s], s) for s in ("error", "warning", "info"))


def summary_line(results) -> str:
    """`poalint: 1 error, 0 warnings, 0 infos in 1 file checked; score 62/100`, shared by the
    plain-text formats; with several letters, the lowest score and its letter."""
    counts = summary(results)
    line = f"poalint: {_counts(counts)} in {plural(counts['files'], 'file')} checked"
    problems = [f"{plural(counts['errors_reading'], 'file')} could not be linted"] if counts["errors_reading"] else []
    problems += [f"{counts['skipped']} skipped, not letters"] if counts["skipped"] else []
    if problems:
        line += f" ({'; '.join(problems)})"
    scored = [r for r in results if r.error is None and r.score is not None]
    if len(scored) == 1:
        line += f"; score {scored[0].score}/100"
    elif scored:
        lowest = min(scored, key=lambda r: r.score)
        # Escaped: in a CI log, a file name holding "\n::add-mask::" would be a workflow command.
        line += f"; lowest score {lowest.score}/100 ({printable(shown_path(lowest.path))})"
    return line


def profile_text(result) -> str:
    """`profile: escalation (detected: …); reason: late-shipment (detected: …)`: the profile and
    the suspension reasons a letter was linted for, and why, escaped."""
    why = f" ({printable(result.profile_reason)})" if result.profile_reason else ""
    about = f" ({printable(result.reason_source)})" if result.reason_source else ""
    return f"profile: {printable(result.profile)}{why}; reason: {printable(', '.join(result.reasons) or 'none')}{about}"


def letter_lines(results) -> list[str]:
    """One line per letter, for a run of several, as ruff and Vale sum up before their total:
    `letters/b.txt: score 0/100; 4 errors, 19 warnings, 0 infos; profile: poa (set by --profile)`."""
    lines = []
    for result in results:
        path = printable(shown_path(result.path))
        if result.skipped:
            lines.append(f"{path}: skipped, not a letter")
        elif result.error:
            lines.append(f"{path}: could not be linted")
        else:
            score = "" if result.score is None else f"score {result.score}/100; "
            lines.append(f"{path}: {score}{_counts(summary([result]))}; {profile_text(result)}")
    return lines


def write(name: str, results, context: ReportContext, stream) -> None:
    """Write the format's report to a text stream, piece by piece where the format allows (a run
    of 1,000 letters peaked at 234 MiB when its SARIF report was encoded whole, at 171 MiB
    streamed)."""
    module = importlib.import_module(f"poalint.reporting.formats.{name}")
    results, context = _shown(results, context)
    if hasattr(module, "write"):
        module.write(results, context, stream)
    elif hasattr(module, "document"):
        # orjson is imported only for the formats that encode JSON.
        from poalint.reporting.formats.encoding import write_json

        write_json(module.document(results, context), stream)
        stream.write("\n")
    else:
        stream.write(module.render(results, context))


def statistics_table(results) -> str:
    """Findings per rule, most frequent first: `  12  warning  vague-wording`."""
    counts: dict[tuple[str, str], int] = {}
    for result in results:
        for f in result.findings:
            counts[(f.rule, f.severity.label)] = counts.get((f.rule, f.severity.label), 0) + 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{n:>5}  {severity:<7}  {printable(rule)}\n" for (rule, severity), n in rows)
