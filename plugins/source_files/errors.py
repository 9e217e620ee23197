"""The plugin's one error: every refused file, each as ``path: message``."""


class SourceFileError(Exception):
    """Files the site must not read or publish; str() lists one ``path: message`` a line."""

    def __init__(self, problems):
        self.problems = list(problems)  # [(shown path, message)]
        super().__init__("\n".join(f"{path}: {message}" for path, message in self.problems))
