"""Data text is clean text (issue 22, item 9): control characters, lone surrogates and
U+FFFE/U+FFFF in YAML are refused with file:line by the loader (tests/commands/test_clean_text_imports.py:
the importers replace them; tests/site/test_clean_text_build.py: the build stops)."""

import pytest

from tests.support import ROOT
from wachhund.lib.yamlfile import DataError, load_file, load_text


def refusal(text: str) -> str:
    with pytest.raises(DataError) as error:
        load_text(text, "data/x.yaml")
    return str(error.value)


# (YAML text, the message the loader must give)
REFUSED = [
    # raw in the file: libyaml refused most of these with no line, and counts NEL as a line break
    ('a: 1\nb: "x\x07y"\n', "data/x.yaml:2: control character U+0007; remove it"),
    ("a: 1\nb: x\x1by\n", "data/x.yaml:2: control character U+001B; remove it"),
    ("a: 1\nb: x\x7fy\n", "data/x.yaml:2: control character U+007F; remove it"),
    ("a: 1\nb: x\x85y\nc: 3\n", "data/x.yaml:2: control character U+0085; remove it"),
    ("a: 1\nb: x\x9by\n", "data/x.yaml:2: control character U+009B; remove it"),
    ("a: 1\rb: x\n", "data/x.yaml:1: control character U+000D; remove it"),  # a lone CR: an old Mac line end
    # escaped in a double-quoted scalar: libyaml decodes them into the value
    ('a: 1\nb: "x\\x07y"\n', "data/x.yaml:2: control character U+0007 in a text value; remove it"),
    ('a: 1\nb: "\\e[31mrot"\n', "data/x.yaml:2: control character U+001B in a text value; remove it"),
    ('a: 1\nb: "\\0"\n', "data/x.yaml:2: control character U+0000 in a text value; remove it"),
    ('a: 1\nb: "x\\u0085"\n', "data/x.yaml:2: control character U+0085 in a text value; remove it"),
    ('a: 1\nb: "x\\N"\n', "data/x.yaml:2: control character U+0085 in a text value; remove it"),
    ('a: 1\nb: "x\\x9F"\n', "data/x.yaml:2: control character U+009F in a text value; remove it"),
    ('a: 1\nb: "x\\x7f"\n', "data/x.yaml:2: control character U+007F in a text value; remove it"),
    ('a: 1\nb: "\\uFFFE"\n', "data/x.yaml:2: noncharacter U+FFFE in a text value; remove it"),
    ('a: 1\nb: "\\uffff"\n', "data/x.yaml:2: noncharacter U+FFFF in a text value; remove it"),
    ('a: 1\n"k\\x01": 2\n', "data/x.yaml:2: control character U+0001 in a text value; remove it"),  # in a key
    ('a: 1\nliste:\n  - ok\n  - "\\a"\n', "data/x.yaml:4: control character U+0007 in a text value; remove it"),
    ('a: 1\nb: "\\ud800"\n', "data/x.yaml:2: "),  # a lone surrogate: libyaml's own error, with the line
]


@pytest.mark.parametrize("text, message", REFUSED)
def test_control_characters_in_yaml_are_refused_with_file_and_line(text, message):
    assert refusal(text).startswith(message)


@pytest.mark.parametrize("text, value", [
    ('b: "Tab\\tund\\nZeile"\n', "Tab\tund\nZeile"),
    ("b: |\n  zwei\n  Zeilen\n", "zwei\nZeilen\n"),
    ("a: 1\r\nb: Windows\r\n", "Windows"),  # CR LF line ends, as an editor on Windows saves them
    ('b: "ein\\rWagenrücklauf"\n', "ein\rWagenrücklauf"),  # whitespace, allowed in XML
    ('b: "\\u00a0geschützt\\u2011Bindestrich 😀"\n', "\u00a0geschützt\u2011Bindestrich 😀"),
])
def test_clean_text_is_loaded(text, value):
    assert load_text(text, "data/x.yaml")["b"] == value


def test_every_data_file_of_the_project_is_clean():
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        load_file(path, str(path.relative_to(ROOT)))


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x0c", "\x1f", "\x7f", "\x80", "\x85", "\x9f", "\ud800", "\udfff",
                                  "\ufffe", "\uffff", "\r"])
def test_a_store_file_check_finds_each_kind_in_a_large_text(char):
    """`file_problem` (for machine-written files such as the dashboard store) screens at byte
    speed first; the screen must let every refused character through to the exact search."""
    from wachhund.lib.yamlfile import file_problem

    row = "051120000000,99108001000000,10173,2026-11-20,ok,in mind. einer Kommune verfügbar § 3 °,Straße\r\n"
    text = row * 2000 + "Duis" + char + "burg\r\n" + row * 10
    assert file_problem(text) == (2001, f"{'control character' if char < chr(0xD800) else 'lone surrogate' if char < chr(0xE000) else 'noncharacter'} U+{ord(char):04X}; remove it")
    assert file_problem(row * 2000 + "\t\xa0\u2028😀\ufffd\n") is None
