"""The federal dashboard's two API generations, answers we do not know, and bad days held back (issue 25).

A local stand-in of the Open-PVOG API on 127.0.0.1 behaves as the public integration
notes describe it: the export wants `Accept: application/octet-stream` (406 for
`text/csv`), answers 413 when told the export is too large, and serves the paged form
`…/open-pvog/{ars}?page=N&size=…` as JSON (`content`, `totalPages`, pages from 0).
The /v1/data generation is the ExportServer of tests/dashboardserver.py.
"""

import csv
import io
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wachhund.commands.importers import dashboard, dashboard_fetch
from tests.support import tree_digest
from tests.dashboardserver import (DUISBURG, ESSEN, FIELDS, NRW, RATINGEN, catalogue_and_mapping, expected_counts,
                                   fixture_records, ranking_of)

NEW_FIELDS = FIELDS + ["begruendung_nicht_beruecksichtigt", "datenstand_pvog_import", "export_datum", "neue_kennung"]
REASON = 'Leistung wird vom Land erbracht <b>"fett"</b>'


def pvog_records(records=None):
    """The fixture with the Open-PVOG columns, one reason, and a column nobody knows yet."""
    result = []
    for r in records if records is not None else fixture_records():
        art_not = r["art_flaechendeckung"] == "nicht in Auswertung berücksichtigt"
        result.append({**r, "begruendung_nicht_beruecksichtigt": REASON if art_not else "",
                       "datenstand_pvog_import": "2026-11-18T03:15:00", "export_datum": "2026-11-20",
                       "neue_kennung": "x"})
    return result


class OpenPvog:
    """/api/public/v1/dash/open-pvog/<ars>/export and /api/public/v1/dash/open-pvog/<ars>?page=N."""

    PAGE = 5  # the stand-in's own page size ("unless the answer says otherwise")

    def __init__(self):
        self.records = pvog_records()
        self.too_large = False
        self.fail = {}  # page -> how many more times it answers 503
        self.retry_after = None  # the Retry-After of those 503 answers
        self.requests = []  # (path, Accept, monotonic time)
        self.export_body = None  # bytes and content type to answer the export with instead
        self.by_ars = {}  # ars -> records, where a key has its own
        self.open_ars = [{"ars": "053150000000", "name": "Köln, Stadt"}, {"ars": "110000000000", "name": "Berlin"}]
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Accept", ""), time.monotonic()))
                status, ctype, body = server.answer(self.path, self.headers.get("Accept", ""))
                self.send_response(status)
                if status == 503 and server.retry_after is not None:
                    self.send_header("Retry-After", server.retry_after)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.http.server_address[1]}/api/public/v1/dash"
        self.url = self.base + "/open-pvog/{ars}/export?filetype=csv"

    def csv(self, records):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(NEW_FIELDS)
        writer.writerows([[r.get(f, "") for f in NEW_FIELDS] for r in records])
        return out.getvalue().encode("utf-8")

    def answer(self, path, accept):
        parts = urllib.parse.urlsplit(path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        if parts.path.endswith("/export"):
            if "text/csv" in accept or "application/octet-stream" not in accept:
                return 406, "application/json", b'{"status":406,"error":"Not Acceptable"}'
            if self.export_body is not None:
                return 200, self.export_body[1], self.export_body[0]
            if self.too_large:
                return 413, "application/json", b'{"status":413,"error":"Payload Too Large"}'
            ars = parts.path.rsplit("/", 2)[1]
            return 200, "application/octet-stream", self.csv(self.by_ars.get(ars, self.records))
        if parts.path.endswith("/open-ars"):  # the API's list of regional keys
            return 200, "application/json", json.dumps(self.open_ars).encode()
        page = int(query.get("page", "0"))
        if self.fail.get(page, 0) > 0:
            self.fail[page] -= 1
            return 503, "text/plain", b"busy"
        content = self.records[page * self.PAGE:(page + 1) * self.PAGE]
        pages = -(-len(self.records) // self.PAGE)
        body = {"content": content, "totalPages": pages, "number": page, "size": self.PAGE}
        return 200, "application/json", json.dumps(body).encode()


@pytest.fixture
def pvog():
    server = OpenPvog()
    yield server
    server.http.shutdown()


def update(project, url, date, *extra, ars=NRW):
    return dashboard.main(["--ars", ars, "--url", url, "--data-dir", str(project / "data" / "ozg"),
                           "--date", date, "--allow-private", *extra])


def imports_of(project):
    text = (project / "data/ozg/dashboard/importe.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_open_pvog_export_with_its_accept_stand_reasons_and_an_unknown_column(project, pvog, capsys):
    assert update(project, pvog.url, "2026-11-20") == 0
    [(path, accept, _t)] = pvog.requests
    assert accept == "application/octet-stream"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert query == {"filetype": ["csv"], "includeBelow": ["true"], "includeAbove": ["true"]}
    ids, mapping = catalogue_and_mapping(project)
    ranking = ranking_of(project)
    assert {ars: mu.count for ars, mu in ranking.municipalities.items()} == expected_counts(fixture_records(), ids, mapping)
    # the data's own date is the Stand, not the day of the import
    [log] = imports_of(project)
    assert log["stand"] == "2026-11-18" and log["datum"] == "2026-11-20" and log["umfang"] == "darunter"
    assert ranking.municipalities[DUISBURG].stand.isoformat() == "2026-11-18"
    assert "begruendung_nicht_beruecksichtigt" in log["spalten"].split()
    reasons = (project / "data/ozg/dashboard/begruendungen.csv").read_text(encoding="utf-8")
    assert ESSEN in reasons and "vom Land erbracht" in reasons
    err = capsys.readouterr().err
    assert "unbekannte Spalte(n) neue_kennung: nicht übernommen" in err
    assert "export_datum" not in err


def test_a_406_answer_is_diagnosed_and_writes_nothing(project, pvog, capsys, monkeypatch):
    monkeypatch.setattr(dashboard_fetch, "ACCEPT_EXPORT", "text/csv")  # what a wrong client would send
    digest = tree_digest(project / "data")
    assert update(project, pvog.url, "2026-11-20") == 1
    err = capsys.readouterr().err
    assert "HTTP-Status: 406" in err and "Accept" in err and 'OZG["DASHBOARD_URL"]' in err
    assert "Inhaltstyp:  application/json" in err and "Not Acceptable" in err
    assert tree_digest(project / "data") == digest


def test_413_reads_the_paged_form_one_request_at_a_time_with_retries(project, pvog, monkeypatch, capsys):
    monkeypatch.setattr(dashboard_fetch, "BACKOFF", 0.05)
    pvog.too_large = True
    pvog.fail = {2: 2}  # the third page is busy twice, then answers
    assert update(project, pvog.url, "2026-11-20") == 0
    paths = [urllib.parse.urlsplit(p) for p, _a, _t in pvog.requests]
    assert paths[0].path.endswith(f"/open-pvog/{NRW}/export")
    pages = [dict(urllib.parse.parse_qsl(p.query)) for p in paths[1:]]
    assert all(p.path.endswith(f"/open-pvog/{NRW}") for p in paths[1:])
    assert [q["page"] for q in pages] == ["0", "1", "2", "2", "2", "3"]
    assert all(q["size"] == "100" and q["includeBelow"] == "true" and q["includeAbove"] == "true"
               and "filetype" not in q for q in pages)
    assert all(a == "application/json" for _p, a, _t in pvog.requests[1:])
    starts = [t for _p, _a, t in pvog.requests]
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.19  # at most 5 a second
    ids, mapping = catalogue_and_mapping(project)
    assert {ars: mu.count for ars, mu in ranking_of(project).municipalities.items()} == \
        expected_counts(fixture_records(), ids, mapping)
    assert "HTTP 413" in capsys.readouterr().err


def test_a_page_that_never_arrives_writes_nothing(project, pvog, monkeypatch, capsys):
    monkeypatch.setattr(dashboard_fetch, "BACKOFF", 0.01)
    assert update(project, pvog.url, "2026-11-20") == 0
    digest = tree_digest(project / "data")
    pvog.too_large = True
    pvog.records = pvog_records(fixture_records(flip=True))
    pvog.fail = {3: 99}
    assert update(project, pvog.url, "2026-11-21") == 1
    err = capsys.readouterr().err
    assert "Seite 4" in err and "HTTP 503" in err and "Nothing was written" in err
    assert tree_digest(project / "data") == digest


@pytest.mark.parametrize("body, ctype, finding", [
    (b"<!DOCTYPE html><html><body>Wartungsarbeiten</body></html>", "text/html; charset=utf-8", "HTML-Seite"),
    (b"", "application/octet-stream", "leere Antwort"),
    (b"spalte_a;spalte_b\n1;2\n", "application/octet-stream", "missing column(s) leika_key"),
    (b'{"fehler": "kein Zugriff"}', "application/json", "JSON ohne Liste 'content'"),
])
def test_an_unknown_answer_stops_with_a_german_diagnosis(project, pvog, capsys, body, ctype, finding):
    pvog.export_body = (body, ctype)
    digest = tree_digest(project / "data")
    assert update(project, pvog.url, "2026-11-20") == 1
    err = capsys.readouterr().err
    assert "kein Datenexport des Dashboards" in err and finding in err
    assert f"Adresse:     {pvog.url.format(ars=NRW)}&includeBelow=true&includeAbove=true" in err
    assert "HTTP-Status: 200" in err and f"Inhaltstyp:  {ctype}" in err
    assert f"Erste Bytes: {body[:20].decode()!r}"[:-1] in err or not body
    assert 'OZG["DASHBOARD_URL"]' in err
    assert tree_digest(project / "data") == digest


def test_older_import_logs_are_read_and_kept(project, pvog):
    store = project / "data/ozg/dashboard"
    store.mkdir(parents=True)
    (store / "importe.csv").write_text(
        "datum,ars,quelle,zeilen,aenderungen\n2026-11-01,050000000000,https://alt.example/v1,17,0\n", encoding="utf-8")
    assert update(project, pvog.url, "2026-11-20") == 0
    rows = imports_of(project)
    assert [(r["datum"], r["quelle"], r["stand"], r["umfang"]) for r in rows] == [
        ("2026-11-01", "https://alt.example/v1", "", "darunter"),
        ("2026-11-20", pvog.url.format(ars=NRW) + "&includeBelow=true&includeAbove=true", "2026-11-18", "darunter")]


# --- a bad day upstream is held back ----------------------------------------------------

@pytest.mark.parametrize("damage, figure", [
    (lambda rs: rs[:12], "12 Zeilen statt 17"),  # 29 % fewer
    (lambda rs: [r for r in rs if r["ars"] != RATINGEN], f"{RATINGEN} (Ratingen; Stadt)"),  # 6 % fewer, a town gone
    (lambda rs: [{**r, "ars_name": None} for r in rs], "Spalte(n) fehlen"),
])
def test_a_bad_day_is_held_back_until_annehmen(project, pvog, capsys, damage, figure):
    assert update(project, pvog.url, "2026-11-20") == 0
    before = ranking_of(project).municipalities[RATINGEN].count
    digest = tree_digest(project / "data")
    records = damage(pvog_records())
    if records[0]["ars_name"] is None:
        fields = [f for f in NEW_FIELDS if f != "ars_name"]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows([[r[f] for f in fields] for r in records])
        pvog.export_body = (out.getvalue().encode(), "application/octet-stream")
    else:
        pvog.records = records
    capsys.readouterr()
    assert update(project, pvog.url, "2026-11-21") == dashboard.HELD_BACK
    captured = capsys.readouterr()
    assert figure in captured.err and "ARGS=--annehmen" in captured.err
    assert "zurückgehalten" in captured.out
    assert tree_digest(project / "data") == digest
    assert ranking_of(project).municipalities[RATINGEN].count == before
    assert update(project, pvog.url, "2026-11-21", "--annehmen") == 0
    assert tree_digest(project / "data") != digest


def test_a_small_drop_is_taken(project, pvog):
    assert update(project, pvog.url, "2026-11-20") == 0
    pvog.records = pvog_records([r for r in fixture_records() if r["leika_key"] != "99041011000000"])  # one row
    assert update(project, pvog.url, "2026-11-21") == 0


def test_pruefen_fetches_and_reports_but_writes_nothing(project, pvog, capsys):
    assert update(project, pvog.url, "2026-11-20") == 0
    digest = tree_digest(project / "data")
    pvog.records = pvog_records(fixture_records(flip=True))
    assert update(project, pvog.url, "2026-11-21", "--pruefen") == 0
    out = capsys.readouterr().out
    assert "1 Änderung(en)" in out and "Probelauf" in out
    assert tree_digest(project / "data") == digest


# --- several keys in one run; Germany's largest cities -------------------------------------

BERLIN, MUENCHEN, BAYERN, KOELN, BUND = "110000000000", "091620000000", "090000000000", "053150000000", "000000000000"


def city(ars, name, leika, ozgid, status="ok", art="in mind. einer Kommune verfügbar"):
    return {"leika_key": leika, "leika_name": "", "leika_bezeichnung": "", "ars": ars, "ars_name": name,
            "ars_federal_state": ars[:2], "bundesland": "", "ozgid": ozgid, "ozg_bezeichnung": "",
            "url": f"https://dienst.example/{ars}/{leika}", "online_status": status, "aktiv": "ja",
            "art_flaechendeckung": art}


def national_exports(flip=False):
    """What the stand-in answers per key: NRW with every key below it, two cities with the keys above."""
    bund = [r for r in fixture_records() if r["ars"] == BUND]
    return {
        NRW: pvog_records(fixture_records(flip=flip)),  # flip: Duisburg 4 -> 3
        BERLIN: pvog_records(bund + [
            city(BERLIN, "Berlin", "99108001000000", "10173", "nicht ok" if flip else "ok"),
            city(BERLIN, "Berlin", "99088031000000", "10023", art="landesweit flächendeckend"),
            city(BERLIN, "Berlin", "99041007000000", "10001", "nicht ok")]),
        MUENCHEN: pvog_records(bund + [
            city(BAYERN, "Bayern", "99041007000000", "10001", art="landesweit flächendeckend"),
            city(MUENCHEN, "München, Landeshauptstadt", "99108001000000", "10173")]),
    }


def configure(project, pvog, monkeypatch):
    from tests.support import replace

    replace(project, "pelicanconf.py", '"SIDEBAR_KOMMUNE": "duisburg",', f'''"SIDEBAR_KOMMUNE": "duisburg",
    "DASHBOARD_URL": "{pvog.url}",
    "IMPORT": [{{"ars": "{NRW}", "umfang": "darunter"}}, {{"ars": "{BERLIN}", "umfang": "darueber"}},
               {{"ars": "{MUENCHEN}", "umfang": "darueber"}}, {{"ars": "{DUISBURG}", "umfang": "darueber"}},
               {{"ars": "{KOELN}", "umfang": "darueber"}}],
    "VERGLEICHSGRUPPE_BUND": [{{"ars": "{BERLIN}", "name": "Berlin"}}, {{"ars": "{MUENCHEN}", "name": "Nürnberg"}},
                              {{"ars": "{DUISBURG}", "name": "Duisburg"}}, {{"ars": "{ESSEN}", "name": "Essen"}},
                              {{"ars": "{KOELN}", "name": "Köln"}}],''')
    monkeypatch.setattr(dashboard, "ROOT", project)


def run_settings(project, date):
    return dashboard.main(["--data-dir", str(project / "data" / "ozg"), "--date", date, "--allow-private"])


def test_several_keys_in_one_run_and_the_national_table(project, pvog, monkeypatch, capsys, tmp_path):
    from bs4 import BeautifulSoup

    from tests.support import build_site

    configure(project, pvog, monkeypatch)
    pvog.by_ars = national_exports()
    assert run_settings(project, "2026-11-20") == 0
    out = capsys.readouterr().out
    asked = [urllib.parse.urlsplit(p) for p, _a, _t in pvog.requests]
    assert [p.path.rsplit("/", 2)[1] for p in asked[:3]] == [NRW, BERLIN, MUENCHEN]  # Duisburg, Köln: inside NRW
    scopes = [dict(urllib.parse.parse_qsl(p.query)) for p in asked[:3]]
    assert [(q["includeBelow"], q["includeAbove"]) for q in scopes] == [("true", "true"), ("false", "true"), ("false", "true")]
    assert f"OZG-Import {DUISBURG} (darueber): übersprungen – schon im Import von {NRW} enthalten" in out
    # names are checked, a mismatch and a key without data reported, never silently used
    assert f"{MUENCHEN}: OZG['VERGLEICHSGRUPPE_BUND'] nennt „Nürnberg“, der Export „München, Landeshauptstadt“" in out
    # Köln brought no rows: its name is looked up in the API's list of regional keys
    assert f"{KOELN} (Köln): keine Zeile im Export (laut Schlüsselliste: „Köln, Stadt“)" in out
    assert sum(p.endswith("/dash/open-ars") for p, _a, _t in pvog.requests) == 1
    assert "OZG-Name" not in out.split(BERLIN)[0]
    ranking = ranking_of_national(project)
    # Berlin 3 (own 2 + Bund), München 3 (own 1 + Bayern landesweit + Bund), Duisburg 4, Essen 2
    assert [(rank, mu.ars, mu.count) for rank, mu in ranking.national] == [
        (1, DUISBURG, 4), (2, BERLIN, 3), (2, MUENCHEN, 3), (4, ESSEN, 2)]
    assert BERLIN not in ranking.municipalities and MUENCHEN not in ranking.municipalities
    # a change in Berlin is no change of the NRW ranking or its feeds
    pvog.by_ars = national_exports(flip=True)
    assert run_settings(project, "2026-11-21") == 0
    ranking = ranking_of_national(project)
    assert [(c.ars, c.ozg_id, c.online) for c in ranking.changes] == [(DUISBURG, 10173, False)]  # none of Berlin's
    assert [(rank, mu.ars, mu.count) for rank, mu in ranking.national] == [
        (1, DUISBURG, 3), (1, MUENCHEN, 3), (3, BERLIN, 2), (3, ESSEN, 2)]
    site = tmp_path / "out"
    result = build_site(project, site)
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((site / "ozg/rangliste/index.html").read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("table.ozg-rangliste-bund tbody tr[data-ars][data-ozg-online][data-rang]")
    assert [r["data-ars"] for r in rows] == [DUISBURG, MUENCHEN, BERLIN, ESSEN]
    got = {r["data-ars"]: (int(r["data-ozg-online"]), int(r["data-rang"])) for r in rows}
    assert got == {DUISBURG: (3, 1), MUENCHEN: (3, 1), BERLIN: (2, 3), ESSEN: (2, 3)}
    nrw = {r["data-ars"] for r in soup.select("table.ozg-rangliste tbody tr")}
    assert DUISBURG in nrw and BERLIN not in nrw and MUENCHEN not in nrw
    assert not (site / f"ozg/gemeinde/{BERLIN}").exists()
    assert not (site / f"feeds/ozg-dashboard/{BERLIN}.atom.xml").exists()
    # Duisburg's history, chart and table, once two imports exist
    verlauf = BeautifulSoup((site / f"ozg/gemeinde/{DUISBURG}/index.html").read_text(encoding="utf-8"),
                            "html.parser").select("table.ozg-verlauf tbody tr")
    assert [(r["data-datum"], r["data-ozg-online"]) for r in verlauf] == [("2026-11-20", "4"), ("2026-11-21", "3")]
    assert (site / f"ozg/gemeinde/{DUISBURG}/verlauf.svg").read_text(encoding="utf-8").startswith("<svg")
    # Duisburg's page and box give its national rank
    page = BeautifulSoup((site / f"ozg/gemeinde/{DUISBURG}/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Unter Deutschlands 4 größten Städten: Rang 1" in " ".join(page.get_text().split())
    assert page.select_one("figure.ozg-zeitreihe img")["src"].endswith(f"/ozg/gemeinde/{DUISBURG}/verlauf.svg")
    box = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(".ozg-box")
    assert "Rang 1" in box.get_text() and "4 größten Städten" in " ".join(box.get_text().split())
    # the reason the dashboard gives for leaving Essen's service out, escaped, on Essen's page
    essen = (site / f"ozg/gemeinde/{ESSEN}/index.html").read_text(encoding="utf-8")
    assert "<b>" not in essen.split("ozg-begruendungen")[1].split("</ul>")[0]
    [reason] = BeautifulSoup(essen, "html.parser").select("ul.ozg-begruendungen li")
    assert reason["data-leika"] == "99108001000000" and reason.get_text().endswith(REASON)


def ranking_of_national(project):
    from wachhund.ozg.ranking import compute
    from wachhund.ozg.schema import load_model
    from wachhund.ozg.settings import get_settings
    from wachhund.lib.settings import settings_file
    from wachhund.ozg.status_store import read_store

    data = project / "data" / "ozg"
    group = get_settings(settings_file(project / "pelicanconf.py"), project).vergleichsgruppe_bund
    return compute(read_store(data), load_model(data).catalogue, group)


def test_a_control_character_in_a_csv_cell_is_replaced_and_named_by_its_column(project, pvog, capsys):
    """The CSV rows are read by position (the fast path); a warning still names line and column."""
    records = [{**r, "ars_name": "Duis\x07burg"} if r["ars"] == DUISBURG else r for r in pvog_records()]
    records[5] = {**records[5], "leika_name": "x\x1by"}  # the first of Duisburg's rows
    pvog.records = records
    assert update(project, pvog.url, "2026-11-20") == 0
    err = capsys.readouterr().err
    assert "line 7: ars_name: control character U+0007 replaced by U+FFFD" in err
    assert "line 7: leika_name: control character U+001B replaced by U+FFFD" in err
    regions = (project / "data/ozg/dashboard/regionen.csv").read_text(encoding="utf-8")
    assert "Duis\ufffdburg" in regions and "\x07" not in regions


def test_name_findings_say_where_the_name_came_from():
    group = [(BERLIN, "Berlin"), (MUENCHEN, "Nürnberg"), (KOELN, "Köln")]
    regions = {BERLIN: ("Berlin", "Berlin"), MUENCHEN: ("München, Landeshauptstadt", "Bayern")}
    assert dashboard.name_findings(regions, group, {KOELN: "Kiel, Landeshauptstadt"}) == [
        f"{MUENCHEN}: OZG['VERGLEICHSGRUPPE_BUND'] nennt „Nürnberg“, der Export „München, Landeshauptstadt“ – "
        "Schlüssel oder Name in pelicanconf.py prüfen",
        f"{KOELN}: OZG['VERGLEICHSGRUPPE_BUND'] nennt „Köln“, die Schlüsselliste der Schnittstelle "
        "„Kiel, Landeshauptstadt“ – Schlüssel oder Name in pelicanconf.py prüfen",
        f"{KOELN} (Köln): keine Zeile im Export (laut Schlüsselliste: „Kiel, Landeshauptstadt“)"]
    [unread] = dashboard.name_findings(regions, group[2:], "https://x.example/open-ars: HTTP 404")
    assert "Schlüsselliste nicht lesbar: https://x.example/open-ars: HTTP 404" in unread
    assert dashboard.name_matches("Frankfurt am Main", "Frankfurt am Main, Stadt")
    assert not dashboard.name_matches("Essen", "Essenbach")


def test_a_url_cell_ending_in_a_line_break_is_stored_on_one_line(project, pvog):
    """A quoted CSV cell may hold a line break; the URL rule once let a final one pass, and the
    store (one record per line) was then written in a form the next import could not read."""
    records = pvog_records()
    records[5] = {**records[5], "url": "https://service.duisburg.example/antrag\n"}
    pvog.records = records
    assert update(project, pvog.url, "2026-11-20") == 0
    from wachhund.ozg.status_store import read_store

    store = read_store(project / "data" / "ozg")  # raises on a record broken over two lines
    assert "https://service.duisburg.example/antrag" in {row.url for row in store.rows}
    assert update(project, pvog.url, "2026-11-21") == 0


def test_warnings_of_one_kind_are_shown_five_times_and_then_counted(project, pvog, capsys):
    """A change upstream hits every row alike (all URLs relative, a new word for `aktiv`): a
    warning per row would be 645,000 lines for NRW, in the terminal and in `make update`'s
    memory. Each kind is shown five times, then its rows are counted in one line."""
    from tests.dashboardserver import record

    extra = [record(DUISBURG, f"9920{i:010d}", "", url=f"ftp://dienst.example/{i}") for i in range(9)]
    extra += [record(ESSEN, f"9930{i:010d}", "", aktiv="vielleicht") for i in range(7)]
    extra += [{**record(ESSEN, f"9940{i:010d}", ""), "leika_name": "Antrag\x07"} for i in range(6)]
    extra += [record(RATINGEN, f"9950{i:010d}", "", art=f"seit {i + 1}.11.2026") for i in range(12)]
    pvog.records = pvog_records(fixture_records() + extra)
    assert update(project, pvog.url, "2026-11-20") == 0
    err = capsys.readouterr().err
    assert err.count("is not an http(s) URL; left out") == 5
    assert err.count("unknown aktiv 'vielleicht' (known") == 5
    assert err.count("unknown online_status 'teilweise'") == 1  # a kind with one row: just its line
    assert "url: not an http(s) URL: 9 Zeilen insgesamt, die ersten 5 sind oben genannt" in err
    assert "unknown aktiv 'vielleicht': 7 Zeilen insgesamt, die ersten 5 sind oben genannt" in err
    assert "teilweise': 1 Zeilen" not in err
    assert err.count(": leika_name: ") == 6  # a character cleaned out of a column: five rows, then the count
    assert [line for line in err.splitlines() if "leika_name: " in line and "6 Zeilen insgesamt" in line]
    # a value that differs in every row: its column's first five values, then five rows of the
    # column's further values, then their count
    assert err.count("unknown art_flaechendeckung 'seit") == 10
    assert "unknown art_flaechendeckung, further values: 7 Zeilen insgesamt" in err


def test_a_second_import_while_one_runs_changes_nothing_and_says_why(project, pvog, capsys):
    """Two imports at once (a timer and a hand) would both read the old store and the later
    writer would undo the other's changes: a second one finds the data held and stops. The
    import holds the data while it fetches; a dry run (--pruefen) holds nothing."""
    import os

    fcntl = pytest.importorskip("fcntl")  # no flock on Windows: nothing is held there
    data = project / "data" / "ozg"
    held_while_fetching = []

    def answer(path, accept, answer=pvog.answer):
        probe = os.open(data, os.O_RDONLY)
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held_while_fetching.append(False)
        except BlockingIOError:
            held_while_fetching.append(True)
        finally:
            os.close(probe)
        return answer(path, accept)

    pvog.answer = answer
    before = tree_digest(data)
    held = os.open(data, os.O_RDONLY)  # what a running import holds
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert update(project, pvog.url, "2026-11-20") == 1
    finally:
        os.close(held)
    assert "ein anderer Lauf aktualisiert diese Daten gerade" in capsys.readouterr().err
    assert tree_digest(data) == before and not pvog.requests  # nothing fetched, nothing written
    assert update(project, pvog.url, "2026-11-20") == 0  # free again once that run has ended
    assert held_while_fetching and all(held_while_fetching)
    held_while_fetching.clear()
    assert update(project, pvog.url, "2026-11-21", "--pruefen") == 0
    assert held_while_fetching and not any(held_while_fetching)


def test_a_busy_page_is_asked_for_again_when_the_server_says(project, pvog, monkeypatch, capsys):
    """A server that answers 503 with Retry-After: 2 gets the page again after 2 s, not after
    the 1 s of the first backoff (asking sooner is what gets a client banned)."""
    pvog.too_large = True
    pvog.fail = {1: 1}
    pvog.retry_after = "2"
    assert update(project, pvog.url, "2026-11-20") == 0
    busy, again = [t for p, _a, t in pvog.requests if "page=1&" in p]
    assert again - busy >= 2.0
    assert "HTTP 503; neuer Versuch in 2 s" in capsys.readouterr().err


@pytest.mark.parametrize("paged", [False, True], ids=["csv", "paged-json"])
def test_an_ozg_id_written_with_leading_zeros_names_the_same_service(project, pvog, capsys, paged):
    """`07` and `7` name one OZG-Leistung: an export that starts writing leading zeros (or stops)
    changes no service, instead of making each one new and the stored one gone."""
    pvog.too_large = paged
    assert update(project, pvog.url, "2026-11-20") == 0
    store = tree_digest(project / "data/ozg/dashboard/status")
    pvog.records = [{**r, "ozgid": r["ozgid"] and f"00{r['ozgid']}"} for r in pvog_records()]
    assert update(project, pvog.url, "2026-11-21") == 0
    assert "Zeilen, 0 Änderung(en)" in capsys.readouterr().out
    assert tree_digest(project / "data/ozg/dashboard/status") == store
