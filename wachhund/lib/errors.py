"""Errors tied to a line: ContentError names the file too; LineError is raised inside
Markdown extensions, which know the line only (the reader adds the file)."""


class ContentError(Exception):
    """Bad input in a content file; str() gives ``path:line: message``."""

    def __init__(self, path, line, message):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class LineError(Exception):
    """A problem at `lineno` of the post being read (a directive, an image)."""

    def __init__(self, lineno, msg):
        super().__init__(msg)
        self.lineno = lineno
        self.msg = msg
