"""The importers replace control characters, lone surrogates and U+FFFE/U+FFFF in what they
fetch and warn (issue 22, item 9)."""

import shutil

from tests.support import ROOT, build_site, replace
from wachhund.lib.yamlfile import load_file


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
    from tests.dashboardserver import DUISBURG, ExportServer, update

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
