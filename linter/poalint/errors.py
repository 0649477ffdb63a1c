"""The one exception type the CLI turns into a one-line message and exit code 2."""
from poalint.escaping import printable


class PoalintError(Exception):
    """A problem with the user's input, rules or configuration: reported in one line, exit 2."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 key: str | None = None, skip: bool = False):
        self.path = path
        self.skip = skip  # not a letter at all (binary, over the size limit): skipped with a warning
        self.line = line
        self.key = key
        self.detail = message
        super().__init__(self.render())

    def render(self) -> str:
        return with_path(self.path, self.reason()) if self.path else printable(self.reason())

    def reason(self) -> str:
        """The message without the file: `12: rules.x: problem` (line and key when known)."""
        line = f"{self.line}: " if self.line and self.path else ""
        key = f"{self.key}: " if self.key else ""
        return f"{line}{key}{self.detail}"


def did_you_mean(word: str, choices) -> str:
    """` (did you mean 'x'?)` naming the one of ``choices`` closest to a mistyped ``word``, or ''."""
    import difflib  # only an error needs it

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_rule_id(rule_id: str, known, where: str = "") -> str:
    """The error for a rule id no pack defines, with the closest known id when one is close."""
    hint = did_you_mean(rule_id, sorted(known)) or " (see `poalint rules`)"
    return f"unknown rule id {rule_id!r}{f' in {where}' if where else ''}{hint}"


def unknown_reason(reason: str, known, where: str) -> str:
    """The error for a suspension reason no pack declares, with the closest one when one is close."""
    hint = did_you_mean(reason, sorted(known)) or " (see `poalint rules --reasons`)"
    return f"unknown reason {reason!r} in {where}{hint}"


def with_path(path: str, reason: str) -> str:
    """`file:12: key: problem` for a reason that starts with its line, else `file: problem`;
    on one line whatever the file is called (a name may hold a newline and `::add-mask::`)."""
    path, reason = printable(path), printable(reason)
    return f"{path}:{reason}" if reason[:1].isdigit() else f"{path}: {reason}"
