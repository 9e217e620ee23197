"""Every URL taken from data passes the one URL rule when it is read (issue 22, item 5).

The dashboard store under data/ozg/dashboard/ is plain CSV that `make update-ozg`
writes and git carries; a hostile or broken line in it must be refused with
file:line, like a hand-kept YAML file is (the build stopping: tests/site/test_data_urls_build.py).
"""

import csv

import pytest

from wachhund.lib.yamlfile import DataError

ESSEN = "051130000000"
STATUS_HEADER = ["ars", "leika_key", "ozgid", "ozg_id", "datum", "vorhanden", "online_status", "aktiv",
                 "art_flaechendeckung", "url"]
GOOD_URL = "https://dienst.example/essen?a=1,2"
SOURCE = "https://dashboard.example/export/050000000000?includeBelow=true&filetype=csv"
HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "\x01javascript:alert(1)",
    "\u00a0javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/<script>alert(1)</script>",
    "https://example.org/a b",
    "https://exa mple.org/",
]


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


def read(project):
    from wachhund.ozg.status_store import read_store

    return read_store(project / "data/ozg", lambda path: str(path.relative_to(project)))


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_import_source_names_its_line(project, url):
    write_store(project / "data/ozg", source=url)
    with pytest.raises(DataError) as error:
        read(project)
    assert f"data/ozg/dashboard/importe.csv:3: quelle: expected an http(s) URL, got {url!r}" in str(error.value)


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_service_url_names_its_line(project, url):
    write_store(project / "data/ozg", status_url=url)
    with pytest.raises(DataError) as error:
        read(project)
    assert f"data/ozg/dashboard/status/05113.csv:3: url: expected an http(s) URL or nothing, got {url!r}" in str(error.value)


def test_an_import_without_source_is_refused_and_good_urls_pass(project):
    write_store(project / "data/ozg", source="")
    with pytest.raises(DataError, match="importe.csv:3: quelle: expected an http"):
        read(project)
    write_store(project / "data/ozg")
    store = read(project)
    assert [i.quelle for i in store.imports] == [SOURCE, SOURCE]
    assert [r.url for r in store.rows] == [GOOD_URL, GOOD_URL]


def test_the_other_fields_are_still_checked(project):
    """The URL check replaces none of the checks before it."""
    write_store(project / "data/ozg")
    path = project / "data/ozg/dashboard/importe.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2026-11-20,050000000000", "2026-11-20,05000000000x"),
                    encoding="utf-8")
    status = project / "data/ozg/dashboard/status/05113.csv"
    status.write_text(status.read_text(encoding="utf-8").replace(f"{ESSEN},99108001000000", f"{ESSEN},9910800100000", 1),
                      encoding="utf-8")
    regions = project / "data/ozg/dashboard/regionen.csv"
    regions.write_text(regions.read_text(encoding="utf-8") + "0511,Kurz,Nordrhein-Westfalen\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        read(project)
    message = str(error.value)
    assert "data/ozg/dashboard/importe.csv:3: expected datum, a 12-digit ars" in message
    assert "data/ozg/dashboard/status/05113.csv:2: leika_key: expected 14 digits" in message
    assert "data/ozg/dashboard/regionen.csv:3: ars: expected 12 digits" in message


def test_the_catalogue_source_url_passes_the_rule(project):
    from wachhund.ozg.schema import load_model

    path = project / "data/ozg/katalog.yaml"
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("  url: https://github.com/kdn-nrw/OZG-Datenbank-NRW") + 1
    path.write_text(text.replace("  url: https://github.com/kdn-nrw/OZG-Datenbank-NRW", "  url: javascript:alert(1)"),
                    encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_model(project / "data/ozg", project)
    assert f"data/ozg/katalog.yaml:{line}: url must be an http(s) URL, got 'javascript:alert(1)'" in str(error.value)
