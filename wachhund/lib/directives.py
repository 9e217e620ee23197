"""`{% name … %}` directives: a line of a post replaced by HTML the build makes.

One Python-Markdown preprocessor shape for every directive (ozg, anfrage, opendaten).
It runs before the metadata extension, so the line numbers it reports are the file's;
errors carry `.lineno` (LineError) and the strict reader names the post.
"""

import re

from markdown.preprocessors import Preprocessor

from wachhund.lib.errors import LineError

FENCE = re.compile(r"^\s*(```|~~~)")
OPTION = re.compile(r'\s*(?P<key>[a-z_]+)="(?P<value>[^"]*)"')


def latin1_markup(html: str) -> str:
    """Characters beyond Latin-1 (the dash, quotes in names) as numeric references:
    one "–" in a post makes CPython store the whole post with 2 bytes per character,
    which doubled content memory at 5,000 posts."""
    return html if html.isascii() else html.encode("latin-1", "xmlcharrefreplace").decode("latin-1")


def parse_options(text: str, lineno: int, label: str, allowed) -> dict:
    """`name="value" …` -> {name: value}, each name once and one of `allowed`; errors name `label`."""
    options, position = {}, 0
    while position < len(text):
        match = OPTION.match(text, position)
        if not match:
            raise LineError(lineno, f"cannot read options of {label!r} near {text[position:][:40]!r}; "
                            'expected name="value"')
        key = match.group("key")
        if key not in allowed:
            raise LineError(lineno, f"unknown option {key!r} for {label!r}; expected: {', '.join(sorted(allowed))}")
        if key in options:
            raise LineError(lineno, f"option {key!r} given twice")
        options[key] = match.group("value")
        position = match.end()
    return options


class LineDirective(Preprocessor):
    """Finds `{% <name> … %}` on a line of its own, outside fenced code, and puts the HTML
    `render(body, line)` returns in its place. The HTML takes exactly the directive's one
    line (its blank lines around it inside that line), so a later preprocessor, another
    directive included, still counts the file's lines whatever the order."""

    name = ""  # the directive's word
    usage = "one line ending in %}"  # what an author must write, for the error

    def __init__(self, md):
        super().__init__(md)
        self._starts = re.compile(rf"^\s*\{{%\s*{self.name}\b")
        self._whole = re.compile(rf"^\s*\{{%\s*{self.name}\b(?P<body>.*?)%\}}\s*$")

    def render(self, body: str, line: int) -> str:
        raise NotImplementedError

    def run(self, lines):
        if not any("{%" in line for line in lines):
            return lines  # no directive of any kind (most posts, every summary): nothing to scan
        out, in_fence = [], False
        for number, line in enumerate(lines, start=1):
            if FENCE.match(line):
                in_fence = not in_fence
            if in_fence or not self._starts.match(line):
                out.append(line)
                continue
            match = self._whole.match(line)
            if not match:
                raise LineError(number, f"{self.name} directive must be {self.usage}")
            html = latin1_markup(str(self.render(match.group("body"), number)))
            out.append("\n" + self.md.htmlStash.store(html) + "\n")
        return out
