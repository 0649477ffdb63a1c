"""GitHub Actions workflow commands: one `::error|warning|notice` annotation per finding."""
from __future__ import annotations

from poalint.escaping import printable
from poalint.reporting.findings import Severity
from poalint.reporting.formats import summary_line

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


# The same escaping as @actions/core's command.ts, so the runner decodes exactly what we meant.
def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: dict, message: str) -> str:
    props = ",".join(f"{key}={_prop(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{_data(message)}"


def render(results, context) -> str:
    out = []
    for result in results:
        # Escaped like every printed name, so the annotation names the file as the log shows it.
        path = printable(result.path)
        if result.error:
            out.append(_command("error", {"file": path}, result.error))
        for f in result.findings:
            location = {"file": path, "line": f.line, "col": f.column,
                        "endLine": f.end_line, "endColumn": f.end_column}
            out.append(_command(_COMMANDS[f.severity], {**location, "title": f"poalint ({f.rule})"}, f.message))
    out.append(summary_line(results))
    return "\n".join(out) + "\n"
