"""The one exception type the CLI turns into a one-line message and exit code 2."""


class PoalintError(Exception):
    """A problem with the user's input, rules or configuration: reported in one line, exit 2."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 key: str | None = None):
        self.path = path
        self.line = line
        self.key = key
        self.detail = message
        super().__init__(self.render())

    def render(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.detail}"
