"""Mark links while Markdown renders a post.

As a postprocessor after the sanitiser (plugins/strict_reader), the body and the
`Summary:` (which Pelican renders with the same Markdown instance) are marked in
the one pass that makes them, from the validated link state; no template or
later signal has to parse the HTML again.
"""

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from .annotate import annotate

# After raw HTML (30) and ampersands (20) are restored: OZG tables and
# hand-written HTML links are marked too.
PRIORITY = 5


class _MarkLinks(Postprocessor):
    def __init__(self, md, state, settings):
        super().__init__(md)
        self.state, self.settings = state, settings

    def run(self, text):
        cited = []
        text = annotate(text, self.state, self.settings, cited.append)
        # A new list each run: the summary's conversion must not change the body's.
        if (metadata := getattr(self.md, "document_metadata", None)) is not None:
            metadata["cited_links"] = tuple(cited)
        return text


class LinkHealthExtension(Extension):
    def __init__(self, state, settings, **kwargs):
        self.state, self.settings = state, settings
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.postprocessors.register(_MarkLinks(md, self.state, self.settings), "link_health", PRIORITY)
