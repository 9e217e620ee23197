"""A Markdown reader that refuses bad posts instead of building a wrong site.

Pelican's stock reader silently ends the metadata block at the first line that
is not ``Key: value``, decodes with a message that names no line, and only
notices a missing title or a bad date without saying where. This reader
checks all of that first and raises errors of the form ``file:line: message``.
It also keeps what Python-Markdown already computed (table of contents) and
the reading time, so templates never parse the HTML again.
"""

from .reader import StrictMarkdownReader, register

__all__ = ["StrictMarkdownReader", "register"]
