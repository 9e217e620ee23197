"""`{% anfrage id="<slug>" %}`: a question's status box in a post (a Python-Markdown extension).

Runs as a preprocessor before the metadata extension, so line numbers are the file's;
an unknown id raises LineError, which the strict reader reports as
``content/posts/x.md:12: …`` with the known ids.
"""

import re

from markdown.extensions import Extension

from wachhund.lib.directives import LineDirective
from wachhund.lib.errors import LineError

from .render import box

ID = re.compile(r'^\s+id="(?P<id>[^"]*)"\s*$')


class AnfragePreprocessor(LineDirective):
    name = "anfrage"
    usage = 'one line: {% anfrage id="<slug>" %}'

    def __init__(self, md, anfragen, output_dir):
        super().__init__(md)
        self.anfragen = anfragen
        self.output_dir = output_dir

    def render(self, body, number):
        match = ID.match(body)
        if not match:
            raise LineError(number, f"anfrage directive must be {self.usage}")
        slug = match.group("id")
        if slug not in self.anfragen.lagen:
            known = ", ".join(sorted(self.anfragen.lagen)) or "none yet (data/anfragen/ has no question)"
            raise LineError(number, f"unknown anfrage id {slug!r}; known: {known}")
        return box(self.anfragen.lagen[slug], f"/{self.output_dir}/{slug}/")


class AnfrageExtension(Extension):
    def __init__(self, anfragen, output_dir="anfragen", **kwargs):
        self.anfragen = anfragen
        self.output_dir = output_dir
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # After whitespace normalisation (30), before meta (27): the line numbers are the file's.
        md.preprocessors.register(AnfragePreprocessor(md, self.anfragen, self.output_dir), "anfrage_directive", 28.5)
