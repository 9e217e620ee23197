"""Data text is clean text (issue 22, item 9): control characters, lone surrogates and
U+FFFE/U+FFFF in hand-kept YAML stop the build with file:line; the importers replace
them in what they write and warn with the row, so an odd name upstream never stops an import."""

import json
import shutil

import pytest

from tests.support import ROOT, build_site, copy_project, replace, tree_digest
from wachhund.lib.yamlfile import DataError, load_file, load_text

KENNZAHLEN = "data/ozg/kennzahlen.yaml"


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


@pytest.mark.parametrize("spelling, shown", [('"Nordrhein-Westfalen\\a"', "U+0007 in a text value"),
                                             ("Nordrhein-Westfalen\x07", "U+0007;"),
                                             ('"Nordrhein-\\u0085Westfalen"', "U+0085 in a text value")])
def test_a_control_character_in_an_indicator_stops_the_build(project, tmp_path, spelling, shown):
    """The issue's case: a control character in a charted series' `gebiet` made a broken SVG with exit 0."""
    out = tmp_path / "out"
    assert build_site(project, out).returncode == 0
    before = tree_digest(out)
    text = (project / KENNZAHLEN).read_text(encoding="utf-8")
    first = text.index("reihe: ozg_land_mind1kommune")
    at = text.index("gebiet: Nordrhein-Westfalen", first)
    line = text.count("\n", 0, at) + 1
    (project / KENNZAHLEN).write_text(
        text[:at] + "gebiet: " + spelling + text[at + len("gebiet: Nordrhein-Westfalen"):], encoding="utf-8")
    result = build_site(project, out)
    assert result.returncode != 0
    assert f"{KENNZAHLEN}:{line}: control character {shown}" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(out) == before


# --- importers ----------------------------------------------------------------------------------

def sources_copy(tmp_path):
    sources, ozg = tmp_path / "sources", tmp_path / "ozg"
    shutil.copytree(ROOT / "data/sources", sources)
    shutil.copytree(ROOT / "data/ozg", ozg, ignore=shutil.ignore_patterns("dashboard"))
    return sources, ozg


def test_kennzahlen_importer_replaces_control_characters_and_warns(tmp_path, capsys):
    from wachhund.commands.importers import kennzahlen

    sources, ozg = sources_copy(tmp_path)
    csv_path = sources / "kennzahlen.csv"
    lines = csv_path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, text in enumerate(lines, start=1) if text.startswith("ozg_land_mind1kommune,"))
    lines[number - 1] = lines[number - 1].replace(",Nordrhein-Westfalen,", ",Nordrhein\x07-Westfalen\x85,", 1)
    csv_path.write_text("\n".join(lines), encoding="utf-8")
    kennzahlen.run(sources, ozg)
    err = capsys.readouterr().err
    assert f"warning: data/sources/kennzahlen.csv:{number}: gebiet: control character U+0007 replaced by U+FFFD" in err
    written = (ozg / "kennzahlen.yaml").read_text(encoding="utf-8")
    assert "gebiet: Nordrhein\ufffd-Westfalen\n" in written  # NEL: a space, trimmed like any other
    assert "\x07" not in written and "\x85" not in written
    load_file(ozg / "kennzahlen.yaml")  # the build accepts what the importer wrote


def test_catalogue_importer_replaces_control_characters_and_warns(tmp_path, capsys):
    from wachhund.commands.importers import catalog

    sources, ozg = sources_copy(tmp_path)
    replace(tmp_path, "sources/ozg_leistungen_kdn2019.csv", "10000,Elterngeld,", "10000,Eltern\x1b[31mgeld\x9b,")
    catalog.run(sources, ozg)
    err = capsys.readouterr().err
    assert "warning: data/sources/ozg_leistungen_kdn2019.csv:2: ozg_leistung: control character U+001B replaced by U+FFFD" in err
    assert load_file(ozg / "katalog.yaml")["leistungen"][0]["name"] == "Eltern\ufffd[31mgeld\ufffd"


def test_dashboard_import_replaces_control_characters_warns_and_the_site_builds(project, tmp_path, capsys):
    """A municipality's name with control characters and a lone surrogate (JSON allows "\\ud800"),
    an enumeration value with one: imported with U+FFFD and a warning naming the record."""
    from tests.commands.test_dashboard_import import DUISBURG, ExportServer, update

    server = ExportServer()
    try:
        for row in server.records:
            if row["ars"] == DUISBURG:
                row["ars_name"] = "Duis\x07burg\x1b[0m \ud800"
                row["online_status"] = "ok\x00"
        assert update(project, server.url("json"), "2026-11-20") == 0
    finally:
        server.http.shutdown()
    err = capsys.readouterr().err
    assert "ars_name: control character U+0007 replaced by U+FFFD" in err
    assert "record 6: online_status: control character U+0000 replaced by U+FFFD" in err
    store = project / "data/ozg/dashboard"
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(store.rglob("*.csv")))
    assert "Duis\ufffdburg\ufffd[0m \ufffd" in text and not any(c in text for c in "\x00\x07\x1b")
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    for feed in (out / "feeds").rglob("*.xml"):
        body = feed.read_text(encoding="utf-8")
        assert not any(c in body for c in "\x00\x07\x1b"), feed


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
