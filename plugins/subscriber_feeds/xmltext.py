"""Text that is safe inside XML 1.0 (data may carry control characters), and
text that an RSS reader cannot take for markup."""

import html
import re

_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What an HTML parser would read as the start of a tag, comment or character reference.
_MARKUP_START = re.compile(r"<[A-Za-z/!?]|&[A-Za-z#]")


def xml_safe(value):
    if value is None:
        return None
    return _INVALID.sub("", str(value))


def rss_text(value):
    """Plain text for an RSS title or channel description, which have no type attribute.

    Readers differ: some show these elements as text, feedparser takes the channel
    description as HTML and a title as HTML once it holds an entity or a closing tag.
    Text without a tag or reference start reads the same either way and is written as
    it is; other text is HTML-escaped first (then XML-escaped by the writer), so every
    reader that renders HTML shows `<img …>` literally and none builds an element."""
    value = xml_safe(value)
    if value is None or not _MARKUP_START.search(value):
        return value
    return html.escape(value, quote=False)
