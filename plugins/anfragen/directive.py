"""`{% anfrage id="<slug>" %}`: a question's status box in a post (a Python-Markdown extension).

Runs as a preprocessor before the metadata extension, so line numbers are the file's;
an unknown id raises LineError, which the strict reader reports as
``content/posts/x.md:12: …`` with the known ids.
"""

import re

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from wachhund.lib.errors import LineError

from .render import box

DIRECTIVE = re.compile(r'^\s*\{%\s*anfrage\s+id="(?P<id>[^"]*)"\s*%\}\s*$')
STARTS_LIKE = re.compile(r"^\s*\{%\s*anfrage\b")
FENCE = re.compile(r"^\s*(```|~~~)")


class AnfragePreprocessor(Preprocessor):
    def __init__(self, md, anfragen, output_dir):
        super().__init__(md)
        self.anfragen = anfragen
        self.output_dir = output_dir

    def run(self, lines):
        out, in_fence = [], False
        for number, line in enumerate(lines, start=1):
            if FENCE.match(line):
                in_fence = not in_fence
            if in_fence or not STARTS_LIKE.match(line):
                out.append(line)
                continue
            match = DIRECTIVE.match(line)
            if not match:
                raise LineError(number, 'anfrage directive must be one line: {% anfrage id="<slug>" %}')
            slug = match.group("id")
            if slug not in self.anfragen.lagen:
                known = ", ".join(sorted(self.anfragen.lagen)) or "none yet (data/anfragen/ has no question)"
                raise LineError(number, f"unknown anfrage id {slug!r}; known: {known}")
            html = box(self.anfragen.lagen[slug], f"/{self.output_dir}/{slug}/")
            # Non-Latin-1 characters as references, as the ozg directive does (memory of long posts).
            html = str(html).encode("latin-1", "xmlcharrefreplace").decode("latin-1")
            # One list item for one line (its blank lines inside it): the preprocessors after
            # this one (the ozg directive) still count the file's lines.
            out.append("\n" + self.md.htmlStash.store(html) + "\n")
        return out


class AnfrageExtension(Extension):
    def __init__(self, anfragen, output_dir="anfragen", **kwargs):
        self.anfragen = anfragen
        self.output_dir = output_dir
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # After whitespace normalisation (30) and line keeping (29), before the ozg directive (28),
        # which adds lines, and meta (27): the line numbers are the file's.
        md.preprocessors.register(AnfragePreprocessor(md, self.anfragen, self.output_dir), "anfrage_directive", 28.5)
