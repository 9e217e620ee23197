"""Text that is safe inside XML 1.0 (data may carry control characters), and
text that an RSS reader cannot take for markup."""

import html
import re

_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What an HTML parser may read as markup: any `<` (HTML5 starts a tag only before a
# letter, `/`, `!` or `?`, but feedparser's older parser also eats `<>`), and a `&`
# that may start a character reference. A lone `>` or `& ` is text in every parser.
_MARKUP_START = re.compile(r"<|&[A-Za-z#]")


def xml_safe(value):
    return None if value is None else _INVALID.sub("", str(value))


def rss_text(value):
    """Plain text for an RSS title or channel description, which have no type attribute.

    Readers differ: some show these elements as text, feedparser takes the channel
    description as HTML and a title as HTML once it holds an entity or a closing tag.
    Text without `<` or a reference start reads the same either way and is written as
    it is; other text is HTML-escaped first (then XML-escaped by the writer), so every
    reader that renders HTML shows `<img …>` literally and none builds an element."""
    value = xml_safe(value)
    if value is None or not _MARKUP_START.search(value):
        return value
    return html.escape(value, quote=False)
