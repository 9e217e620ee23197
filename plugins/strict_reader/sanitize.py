"""The allowlist behind every post and page: nh3 (ammonia) on the rendered HTML.

A Markdown postprocessor once raw HTML is back in the document, so the body and the
``Summary:`` (same Markdown instance) are cleaned before any template or feed sees them.
Our own extensions' output (OZG tables, figures, footnotes, contents) is on the list;
link-health markers are added after it, from validated state. `data-*` attributes are
named one by one (tools act on them), so any other is dropped. The strict reader's
checks tell authors what is wrong; this is the guarantee when a check misses something.
"""

import nh3
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "u", "ul", "var", "wbr",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "role", "tabindex", "aria-label", "aria-labelledby",
          "aria-describedby", "aria-hidden"},
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "th": {"scope", "colspan", "rowspan", "headers", "style"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"}, "del": {"datetime"}, "ins": {"datetime"},
    "blockquote": {"cite"}, "q": {"cite"},
    "details": {"open"},
}
# The data attributes our OZG directive writes, on the elements it writes them on (its markup
# contract, ozg_status/render.py and render_kennzahlen.py); its output passes through here too.
# Authors may not write them (checks.py refuses them with the line): no data-pagefind-* (search
# index), no data-link-status/-originalurl/-versiondate/-versionurl (link marking, added later).
EXTENSION_DATA_ATTRIBUTES = {
    "table": {"data-kommune"},
    "p": {"data-kommune", "data-reihe"},
    "tr": {"data-ozg-id", "data-leika", "data-reifegrad", "data-reihe"},
    "span": {"data-sort"},
}
# The data attributes an author may write. None: nothing in the theme reads one from a post.
AUTHOR_DATA_ATTRIBUTES = frozenset()
ALLOWED_ATTRIBUTES = {
    tag: ATTRIBUTES.get(tag, set()) | EXTENSION_DATA_ATTRIBUTES.get(tag, set())
    | (AUTHOR_DATA_ATTRIBUTES if tag == "*" else set())
    for tag in ATTRIBUTES.keys() | EXTENSION_DATA_ATTRIBUTES.keys()
}
URL_SCHEMES = {"http", "https", "mailto"}
# Python-Markdown aligns table columns with style="text-align: …"; nothing else survives.
STYLE_PROPERTIES = {"text-align"}
PRIORITY = 10  # after raw HTML (30), footnotes (25) and ampersands (20); before link marking (5)


# Built once: nh3.clean() converts the allowlist for every call, which cost more than
# the cleaning itself on short strings (the table of contents cleans each heading).
_CLEANER = nh3.Cleaner(
    tags=TAGS,
    attributes=ALLOWED_ATTRIBUTES,  # names are compared lowercased, as parsed
    url_schemes=URL_SCHEMES,
    filter_style_properties=STYLE_PROPERTIES,
    link_rel=None,
    strip_comments=True,
)


def sanitize(html: str) -> str:
    return _CLEANER.clean(html)


class _Sanitize(Postprocessor):
    def run(self, text):
        return sanitize(text)


class SanitizeExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(_Sanitize(md), "wachhund_sanitize", PRIORITY)
