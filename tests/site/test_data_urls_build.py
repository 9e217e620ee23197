"""A URL from data that breaks the one URL rule stops the build with file and line (issue 22, item 5)."""

import csv

import pytest

from tests.support import build_site

ESSEN = "051130000000"
STATUS_HEADER = ["ars", "leika_key", "ozgid", "ozg_id", "datum", "vorhanden", "online_status", "aktiv",
                 "art_flaechendeckung", "url"]
GOOD_URL = "https://dienst.example/essen?a=1,2"
SOURCE = "https://dashboard.example/export/050000000000?includeBelow=true&filetype=csv"


def write_csv(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def write_store(data, status_url=GOOD_URL, source=SOURCE):
    """A store as `make update-ozg` writes it; the second data line of each file carries
    the URLs under test, so the error must name line 3."""
    store = data / "dashboard"
    row = [ESSEN, "99108001000000", "10173", "10173", "2026-11-20", "ja", "ok", "ja", "in mind. einer Kommune verfügbar"]
    write_csv(store / "status/05113.csv", [STATUS_HEADER, row[:4] + ["2026-11-19"] + row[5:] + [GOOD_URL], row + [status_url]])
    write_csv(store / "regionen.csv", [["ars", "name", "bundesland"], [ESSEN, "Essen", "Nordrhein-Westfalen"]])
    write_csv(store / "importe.csv", [["datum", "ars", "quelle", "zeilen", "aenderungen"],
                                      ["2026-11-19", "050000000000", SOURCE, "1", "1"],
                                      ["2026-11-20", "050000000000", source, "1", "0"]])


@pytest.mark.parametrize("where", ["importe", "status"])
def test_the_build_stops_with_file_and_line_and_keeps_the_old_site(project, tmp_path, where):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("the previous site", encoding="utf-8")
    hostile = "JaVaScRiPt:alert(document.domain)"
    write_store(project / "data/ozg", **({"source": hostile} if where == "importe" else {"status_url": hostile}))
    result = build_site(project, out)
    assert result.returncode != 0
    shown = {"importe": "data/ozg/dashboard/importe.csv:3: quelle: expected an http(s) URL",
             "status": "data/ozg/dashboard/status/05113.csv:3: url: expected an http(s) URL or nothing"}[where]
    assert f"{shown}, got {hostile!r}" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "the previous site"
