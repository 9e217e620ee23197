"""make update-opendata (issue 27): both catalogue shapes served from 127.0.0.1, the change store,
the hold-back rule, the statistics and the feed entries of what was imported."""

import datetime as dt
import subprocess
import sys
import urllib.parse
from pathlib import Path

import aiohttp
import pytest

from tests.opendata_server import PortalServer, ckan_package, dcat_dataset, fixture

from wachhund.commands.opendata import HELD_BACK, run
from wachhund.opendata.catalog import CatalogError
from wachhund.opendata.model import Catalogue, entries, statistics, theme_sentence
from wachhund.opendata.settings import Portal
from wachhund.opendata.store import read_events, read_imports

DAY1, DAY2, DAY3 = dt.date(2026, 11, 20), dt.date(2026, 12, 5), dt.date(2026, 12, 6)


@pytest.fixture
def server():
    instance = PortalServer()
    yield instance
    instance.close()


def dcat_portal(url):
    return Portal("duisburg", "Open Data Duisburg", "dcat-us", url, "Lizenzhinweis")


def ckan_portal(url, rows=1000):
    return Portal("ruhr", "Open Data Ruhr", "ckan", url, "", "stadt-beispiel", rows)


def imported(tmp_path, portal, datum, accept=False, warnings=None):
    return run(tmp_path, portal, portal.url, datum, allow_private=True, accept=accept,
               warn=(warnings.append if warnings is not None else lambda m: None), root=tmp_path)


def catalogue(tmp_path, portal) -> Catalogue:
    return Catalogue(portal, read_events(tmp_path / f"{portal.slug}.jsonl", "x"),
                     read_imports(tmp_path / f"{portal.slug}.importe.csv", "y"))


def files(folder: Path) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.glob("*")) if p.is_file()}


def test_dcat_fields_repeating_interval_access_url_and_html_titles(tmp_path, server):
    server.datasets = [
        dcat_dataset(1, modified="R/P1D", accrualPeriodicity="R/P1D"),
        dcat_dataset(2, modified="2019-01-15T08:30:00+01:00"),
        dcat_dataset(3, distribution=[{"mediaType": "text/html", "accessURL": "https://portal.example/karte"}]),
        dcat_dataset(4, title="<b>fett</b> & <script>alert(1)</script>"),
        dcat_dataset(5, title="Steuer\x07daten"),
    ]
    portal = dcat_portal(server.dcat_url)
    warnings = []
    imported(tmp_path, portal, DAY1, warnings=warnings)
    state = {e.id: e.fields for e in catalogue(tmp_path, portal).datasets()}
    assert state["ds-00001"]["geaendert"] == "" and state["ds-00001"]["frequenz"] == "R/P1D"  # not a date
    assert state["ds-00002"]["geaendert"] == "2019-01-15"
    assert state["ds-00003"]["formate"] == ["HTML"] and state["ds-00003"]["downloads"] == 0
    assert state["ds-00003"]["verteilungen"] == 1
    assert state["ds-00004"]["titel"] == "<b>fett</b> & <script>alert(1)</script>"  # text, as written
    assert state["ds-00005"]["titel"] == "Steuer\ufffddaten"  # the build refuses control characters
    assert any("record 5: title: control character U+0007" in w for w in warnings), warnings
    stats = statistics(catalogue(tmp_path, portal).datasets(), DAY1)
    assert (stats.undated, stats.frequency_only, stats.access_only) == (1, 1, 1)


def test_same_answer_twice_on_one_day_changes_no_byte_and_a_later_day_only_the_imports(tmp_path, server):
    server.datasets = [dcat_dataset(n) for n in range(1, 30)]
    portal = dcat_portal(server.dcat_url)
    imported(tmp_path, portal, DAY1)
    before = files(tmp_path)
    assert imported(tmp_path, portal, DAY1)["written"] == 0
    assert files(tmp_path) == before  # bytes and modification times
    imported(tmp_path, portal, DAY2)
    after = files(tmp_path)
    assert after["duisburg.jsonl"] == before["duisburg.jsonl"]
    assert after["duisburg.importe.csv"][0].decode().splitlines()[-1].startswith("2026-12-05,")


def test_removed_modified_moving_back_and_added_are_dated_by_the_import(tmp_path, server):
    server.datasets = fixture("duisburg-1.json")
    portal = dcat_portal(server.dcat_url)
    imported(tmp_path, portal, DAY1)
    server.datasets = fixture("duisburg-2.json")
    assert imported(tmp_path, portal, DAY2)["removed"] == 1
    lines = (tmp_path / "duisburg.jsonl").read_text(encoding="utf-8").splitlines()
    assert '{"datensatz": "beispiel-002", "datum": "2026-12-05", "ereignis": "entfernt"}' in lines
    assert lines == sorted(lines)  # sorted by dataset, then day
    cat = catalogue(tmp_path, portal)
    kinds = {e.id: e.kind for e in cat.changes(DAY2)}
    assert kinds == {"beispiel-001": "aktualisiert", "beispiel-002": "entfernt", "beispiel-006": "zurueckdatiert",
                     "beispiel-007": "neu"}
    removed = next(e for e in cat.changes(DAY2) if e.kind == "entfernt")
    assert removed.title == "Gewerbeflächen (Beispiel)"  # named by its last title
    moved_back = {e.id: e for e in cat.datasets()}["beispiel-006"]
    assert moved_back.fields["geaendert"] == "2023-01-01"
    assert [e.id for e in cat.datasets(DAY1)] != [e.id for e in cat.datasets()]  # history kept


def test_a_truncated_answer_names_the_record_and_writes_nothing(tmp_path, server):
    server.datasets = [dcat_dataset(n) for n in range(1, 40)]
    portal = dcat_portal(server.dcat_url)
    imported(tmp_path, portal, DAY1)
    before = files(tmp_path)
    server.truncate_at = 17
    with pytest.raises(CatalogError, match=r"record 17: malformed or truncated JSON"):
        imported(tmp_path, portal, DAY2)
    server.truncate_at, server.short = None, True  # fewer bytes than Content-Length
    with pytest.raises((OSError, aiohttp.ClientPayloadError), match="content length|incomplete"):
        imported(tmp_path, portal, DAY2)
    assert files(tmp_path) == before


def test_a_malformed_record_is_named(tmp_path, server):
    server.datasets = [dcat_dataset(n) for n in range(1, 9)]
    server.datasets[4] = dcat_dataset(5, identifier=None)
    with pytest.raises(CatalogError, match=r"data\.json: record 5: identifier is missing"):
        imported(tmp_path, dcat_portal(server.dcat_url), DAY1)
    server.datasets[4] = dcat_dataset(5, modified="gestern")
    with pytest.raises(CatalogError, match=r"record 5: modified 'gestern' is neither a date"):
        imported(tmp_path, dcat_portal(server.dcat_url), DAY1)
    server.datasets[4] = dcat_dataset(2)  # the same identifier twice
    with pytest.raises(CatalogError, match=r"record 5: identifier 'ds-00002' appears twice \(first as record 2\)"):
        imported(tmp_path, dcat_portal(server.dcat_url), DAY1)
    assert list(tmp_path.iterdir()) == []


def test_the_shape_is_detected_and_checked_against_the_configured_kind(tmp_path, server):
    server.packages = [ckan_package(1)]
    wrong = Portal("duisburg", "Open Data Duisburg", "dcat-us", server.ckan_url, "")
    server.answer = b'{"success": true, "result": {"count": 1, "results": []}}'
    with pytest.raises(CatalogError, match="the answer is ckan, but portal 'duisburg' is configured as dcat-us"):
        imported(tmp_path, wrong, DAY1)
    server.answer = b'{"datasets": []}'
    with pytest.raises(CatalogError, match="neither a DCAT-US data.json"):
        imported(tmp_path, wrong, DAY1)


def test_a_2000_dataset_catalogue(tmp_path, server):
    server.datasets = [dcat_dataset(n) for n in range(1, 2001)]
    portal = dcat_portal(server.dcat_url)
    assert imported(tmp_path, portal, DAY1)["datasets"] == 2000
    cat = catalogue(tmp_path, portal)
    stats = statistics(cat.datasets(), DAY1)
    assert stats.count == 2000 and sum(count for _, count in stats.formats) == 2000
    assert stats.only_pdf == 1000  # every second dataset has one PDF
    # modified 20(10 + n % 16)-…: before 2024-11-20 are the years 2010-2023 and 2024 before 20 Nov
    expected = sum(1 for n in range(1, 2001)
                   if dt.date(2010 + n % 16, 1 + n % 9, 15) < dt.date(2024, 11, 20))
    assert stats.stale == expected
    server.datasets = server.datasets[:1999]
    imported(tmp_path, portal, DAY2)
    assert len((tmp_path / "duisburg.jsonl").read_text().splitlines()) == 2001


def test_ckan_pages_with_rows_and_start_sorted_by_name(tmp_path, server):
    server.packages = [ckan_package(n) for n in range(2500, 0, -1)]  # the portal's order is not ours
    server.packages.append(ckan_package(9999, organization={"name": "andere", "title": "Andere"}))
    portal = ckan_portal(server.ckan_url)
    assert imported(tmp_path, portal, DAY1)["datasets"] == 2500
    queries = [dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r).query)) for r in server.requests]
    assert [q["start"] for q in queries] == ["0", "1000", "2000"]
    assert all(q["sort"] == "name asc" and q["fq"] == "organization:stadt-beispiel" and q["rows"] == "1000"
               for q in queries)
    first = {e.id: e for e in catalogue(tmp_path, portal).datasets()}["0000-00001"]
    assert first.fields["link"] == f"{server.ckan_url}dataset/paket-00001"
    assert first.fields["themen"] == ["Wirtschaft"] and first.fields["geaendert"] == "2011-02-03"
    server.requests.clear()
    server.max_rows = 300  # a portal that allows fewer rows than asked for: continue where it stopped
    imported(tmp_path, portal, DAY2)
    assert len(server.requests) == 9
    assert catalogue(tmp_path, portal).imports[-1].datasets == 2500


def test_ckan_count_mismatch_writes_nothing(tmp_path, server):
    server.packages = [ckan_package(n) for n in range(1, 31)]
    portal = ckan_portal(server.ckan_url, rows=10)
    server.count_extra = 1
    with pytest.raises(CatalogError, match="announced 31 datasets .* but 30 arrived"):
        imported(tmp_path, portal, DAY1)
    server.count_extra = -5  # fewer announced than listed: the pages run past the count
    with pytest.raises(CatalogError, match="announced 25 datasets .* but 30 arrived"):
        imported(tmp_path, portal, DAY1)
    assert list(tmp_path.iterdir()) == []


def test_ckan_truncated_page_names_the_record_across_pages(tmp_path, server):
    server.packages = [ckan_package(n) for n in range(1, 31)]
    portal = ckan_portal(server.ckan_url, rows=10)
    server.packages[13] = ckan_package(14, num_resources=3)  # record 14: on the second page
    with pytest.raises(CatalogError, match=r"start=10.*record 14: num_resources is 3 but 1 resources"):
        imported(tmp_path, portal, DAY1)
    assert list(tmp_path.iterdir()) == []


def command(project, *args):
    return subprocess.run([sys.executable, "-m", "wachhund.commands.opendata", "--allow-private", *args],
                          cwd=project, capture_output=True, text=True, timeout=120)


def test_an_import_removing_more_than_half_is_held_back_unless_accepted(project, server):
    server.datasets = [dcat_dataset(n) for n in range(1, 11)]
    result = command(project, "--portal", "duisburg", "--url", server.dcat_url, "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    store = project / "data/offene-daten"
    before = files(store)
    server.datasets = server.datasets[:4]  # 6 of 10 gone
    result = command(project, "--portal", "duisburg", "--url", server.dcat_url, "--date", "2026-12-05")
    assert result.returncode == HELD_BACK
    assert "would remove 6 of 10 datasets; held back, nothing written" in result.stderr
    assert "ARGS=--annehmen" in result.stderr
    assert files(store) == before
    server.datasets = [dcat_dataset(n) for n in range(1, 6)]  # exactly half: not held back
    result = command(project, "--portal", "duisburg", "--url", server.dcat_url, "--date", "2026-12-05")
    assert result.returncode == 0, result.stderr
    server.datasets = server.datasets[:1]
    result = command(project, "--portal", "duisburg", "--url", server.dcat_url, "--date", "2026-12-06", "--annehmen")
    assert result.returncode == 0, result.stderr
    assert "4 removed" in result.stdout
    result = command(project, "--portal", "duisburg", "--url", server.dcat_url, "--date", "2026-12-01")
    assert result.returncode == 1 and "older than the portal's last import" in result.stderr


def test_network_only_through_the_guard(project, server):
    server.datasets = [dcat_dataset(1)]
    result = subprocess.run([sys.executable, "-m", "wachhund.commands.opendata", "--portal", "duisburg",
                             "--url", server.dcat_url], cwd=project, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "refused" in result.stderr and "127.0.0.1" in result.stderr
    assert server.requests == [] and not (project / "data/offene-daten").exists()
    result = command(project, "--portal", "duisburg", "--url", "file:///etc/passwd")
    assert result.returncode == 2
    result = command(project, "--portal", "nirgendwo")
    assert result.returncode == 2 and "unknown portal 'nirgendwo'; known: duisburg" in result.stderr


def test_age_is_measured_to_the_imports_date_not_the_clock(tmp_path, server):
    server.datasets = [dcat_dataset(1, modified="2024-12-01"), dcat_dataset(2, modified="2024-12-10")]
    portal = dcat_portal(server.dcat_url)
    imported(tmp_path, portal, dt.date(2026, 12, 5))
    datasets = catalogue(tmp_path, portal).datasets()
    assert statistics(datasets, dt.date(2026, 12, 5)).stale == 1  # only 1 December 2024 is over two years
    assert statistics(datasets, dt.date(2026, 11, 30)).stale == 0
    assert statistics(datasets, dt.date(2026, 12, 11)).stale == 2
    assert statistics(datasets, dt.date(2028, 2, 29)).stale == 2  # 29 February counts back to 28 February


def test_feed_entries_per_import(tmp_path, server):
    server.datasets = fixture("duisburg-1.json")
    portal = dcat_portal(server.dcat_url)
    imported(tmp_path, portal, DAY1)
    cats = {"duisburg": catalogue(tmp_path, portal)}
    assert entries(cats, "https://w.example", "offene-daten") == []  # the first import is the baseline
    server.datasets = fixture("duisburg-2.json")
    imported(tmp_path, portal, DAY2)
    imported(tmp_path, portal, DAY3)  # nothing changed: no entry
    cats = {"duisburg": catalogue(tmp_path, portal)}
    (entry,) = entries(cats, "https://w.example", "offene-daten")
    assert entry.title == ("Open Data Duisburg: 1 neu, 1 aktualisiert, 1 Änderungsdatum zurückgesetzt, "
                           "1 entfernt (Stand 5. Dezember 2026)")
    assert entry.link == "https://w.example/offene-daten/duisburg/"
    assert entry.date.date() == DAY2 and entry.date.tzinfo is not None
    assert "entfernt: Gewerbeflächen (Beispiel)" in entry.content
    assert entries(cats, "https://w.example", "offene-daten")[0].id == entry.id  # stable
    server.datasets = [d for d in server.datasets if d["identifier"] != "beispiel-003"]  # the HTML title
    imported(tmp_path, portal, dt.date(2026, 12, 7))
    newest, older = entries({"duisburg": catalogue(tmp_path, portal)}, "https://w.example", "offene-daten")
    assert older.id == entry.id and newest.date.date() == dt.date(2026, 12, 7)
    assert "entfernt: Wochenmärkte &lt;b&gt;Beispiel&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in newest.content
    assert "<script>" not in newest.content and "<b>" not in newest.content


def test_theme_sentence_figures(tmp_path, server):
    server.datasets = fixture("duisburg-1.json")
    portal = dcat_portal(server.dcat_url)
    imported(tmp_path, portal, DAY1)
    figures = theme_sentence(catalogue(tmp_path, portal), "Wirtschaft")
    assert figures["count"] == 3 and figures["oldest"].fields["geaendert"] == "2014-06-30"
