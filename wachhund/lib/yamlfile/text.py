"""Clean text: the characters no text in our data may hold, found or replaced.

Refused: C0 control characters except tab, line feed and carriage return, DEL,
C1 control characters (U+0080-U+009F), lone surrogates and the noncharacters
U+FFFE and U+FFFF. They are invisible in an editor, mean nothing in a name or a
note, and most are not allowed in XML 1.0, so one of them breaks a feed or an
SVG chart. A carriage return in a value is whitespace like tab and line feed
(allowed in XML, trimmed or escaped wherever we write it). In a file's raw text
a CR is allowed only as part of a CR LF line end: YAML counts a lone CR (an old
Mac line end) as a line break and editors do not, so every line number after
it would be wrong.
"""

import re

UNCLEAN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
UNCLEAN_IN_FILE = re.compile(UNCLEAN.pattern + "|\r(?!\n)")
# Controls that break lines or pages somewhere: a space keeps the words apart.
BREAKS = re.compile("[\x0b\x0c\x85]")
REPLACEMENT = "\ufffd"


def describe(char: str) -> str:
    """E.g. "control character U+0007", "lone surrogate U+D800", "noncharacter U+FFFE"."""
    code = ord(char)
    kind = "lone surrogate" if 0xD800 <= code <= 0xDFFF else "noncharacter" if code >= 0xFFFE else "control character"
    return f"{kind} U+{code:04X}"


def text_problem(value: str) -> str | None:
    """What is wrong with `value` as data text (a message without file and line), or None.
    For readers of machine-written files: `file:line: ` + this."""
    found = UNCLEAN.search(value)
    return None if found is None else f"{describe(found.group())} in a text value; remove it"


def file_problem(text: str) -> tuple[int, str] | None:
    """(line, message) of the first character a data file may not hold anywhere, or None."""
    if not _may_be_unclean(text):
        return None
    found = UNCLEAN_IN_FILE.search(text)
    if found is None:
        return None
    return text.count("\n", 0, found.start()) + 1, f"{describe(found.group())}; remove it"


# A screen at C speed: a character-class search over a large file costs about 20 ns a
# character (a second for the dashboard store of all NRW), these byte scans a tenth of it.
_C0 = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20)) + b"\x7f"
_NOT_C0 = bytes(sorted(set(range(256)) - set(_C0)))
_MULTIBYTE = [re.compile(p) for p in (rb"\xc2[\x80-\x9f]", rb"\xed[\xa0-\xbf]", rb"\xef\xbf[\xbe\xbf]")]  # C1, surrogates


def _may_be_unclean(text: str) -> bool:
    raw = text.encode("utf-8", "surrogatepass")
    return (bool(raw.translate(None, _NOT_C0)) or raw.count(b"\r") != raw.count(b"\r\n")
            or any(pattern.search(raw) for pattern in _MULTIBYTE))


def clean_text(value: str) -> str:
    """`value` as the importers write it: the line and page breaks VT, FF and NEL become
    a space, every other refused character U+FFFD, which keeps the place of what was
    lost visible (on the page and in the data's diff) and invents no word boundary."""
    return value if UNCLEAN.search(value) is None else UNCLEAN.sub(REPLACEMENT, BREAKS.sub(" ", value))


def replaced(value: str) -> str | None:
    """What cleaning `value` replaces, for an importer's warning
    ("control character U+0007 replaced by U+FFFD"), or None."""
    found = UNCLEAN.search(value)
    if found is None:
        return None
    by = "a space" if BREAKS.fullmatch(found.group()) else "U+FFFD"
    return f"{describe(found.group())} replaced by {by}"
