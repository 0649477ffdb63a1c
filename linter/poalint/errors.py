"""The one exception type the CLI turns into a one-line message and exit code 2."""


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
        return with_path(self.path, self.reason()) if self.path else self.reason()

    def reason(self) -> str:
        """The message without the file: `12: rules.x: problem` (line and key when known)."""
        line = f"{self.line}: " if self.line and self.path else ""
        key = f"{self.key}: " if self.key else ""
        return f"{line}{key}{self.detail}"


def with_path(path: str, reason: str) -> str:
    """`file:12: key: problem` for a reason that starts with its line, else `file: problem`."""
    return f"{path}:{reason}" if reason[:1].isdigit() else f"{path}: {reason}"
