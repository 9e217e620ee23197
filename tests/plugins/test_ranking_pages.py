"""The ranking page, feeds and exports after a dashboard import (issue 14)."""

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup

from tests.support import build_site
from tests.dashboardserver import (DUISBURG, ESSEN, DUESSELDORF, VELBERT, fixture_records, expected_counts, ranks,
                                   ExportServer, update, catalogue_and_mapping)


@pytest.fixture
def server():
    export = ExportServer()
    yield export
    export.http.shutdown()


def test_ranking_page_feeds_and_exports(project, server, tmp_path):
    assert update(project, server.url("csv"), "2026-11-20") == 0
    server.records = fixture_records(flip=True)
    assert update(project, server.url("csv"), "2026-11-21") == 0
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    ids, mapping = catalogue_and_mapping(project)
    expected = expected_counts(fixture_records(flip=True), ids, mapping)
    soup = BeautifulSoup((out / "ozg/rangliste/index.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.select_one("table.ozg-table.ozg-rangliste")
    rows = table.select("tbody tr")
    assert {r["data-ars"]: int(r["data-ozg-online"]) for r in rows} == expected
    assert {r["data-ars"]: int(r["data-rang"]) for r in rows} == ranks(expected)
    group = soup.select("table.ozg-vergleichsgruppe tbody tr")
    assert {r["data-ars"] for r in group} == {DUISBURG, ESSEN, DUESSELDORF}
    assert "ozg-hervorgehoben" in soup.select_one(f'table.ozg-rangliste tr[data-ars="{DUISBURG}"]')["class"]
    assert "<script>alert" not in (out / "ozg/rangliste/index.html").read_text(encoding="utf-8")
    assert "keine Lizenzangabe der Quelle" in soup.get_text()
    # the municipality's page lists what is available, with the service's link
    page = BeautifulSoup((out / f"ozg/gemeinde/{VELBERT}/index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in page.select("ul.ozg-verfuegbar a")}
    assert "https://velbert.example/a,b;c" in links
    # Duisburg's hand-kept page: hand observation wins for 10173, the import fills the rest
    duisburg = BeautifulSoup((out / "ozg/duisburg/index.html").read_text(encoding="utf-8"), "html.parser")
    eg = duisburg.select_one('tr[data-ozg-id="10000"]')
    assert "ja" in eg.get_text() and "Dashboard" in eg.get_text()
    park = duisburg.select_one('tr[data-ozg-id="10173"]')
    assert "Dashboard" not in park.get_text() and "ja" in park.get_text()
    # change feeds: one entry for the one flip, none for the first import
    feed = (out / f"feeds/ozg-dashboard/{DUISBURG}.atom.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 1 and "nicht mehr" in feed
    assert (out / f"feeds/ozg-dashboard/{ESSEN}.atom.xml").read_text(encoding="utf-8").count("<entry>") == 0
    assert (out / "feeds/ozg-dashboard.atom.xml").read_text(encoding="utf-8").count("<entry>") == 1
    exported = json.loads((out / "ozg/rangliste.json").read_text(encoding="utf-8"))
    assert {k["ars"]: k["online_verfuegbar"] for k in exported["kommunen"]} == expected
    assert exported["lizenz"] == "keine Lizenzangabe der Quelle"
    exported_csv = list(csv.DictReader(io.StringIO((out / "ozg/rangliste.csv").read_text(encoding="utf-8"))))
    assert {r["ars"]: int(r["rang"]) for r in exported_csv} == ranks(expected)
