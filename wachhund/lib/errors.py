"""The one error type of the reader: a message tied to a file and line."""


class ContentError(Exception):
    """Bad input in a content file; str() gives ``path:line: message``."""

    def __init__(self, path, line, message):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")
