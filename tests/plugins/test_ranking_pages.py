"""The ranking page, feeds and exports after a dashboard import (issue 14)."""

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bs4 import BeautifulSoup

from wachhund.commands.importers import dashboard
from tests.support import build_site

FIELDS = ["leika_key", "leika_name", "leika_bezeichnung", "ars", "ars_name", "ars_federal_state", "bundesland",
          "ozgid", "ozg_bezeichnung", "url", "online_status", "aktiv", "art_flaechendeckung"]

BUND, NRW = "000000000000", "050000000000"

DUISBURG, ESSEN, DUESSELDORF = "051120000000", "051130000000", "051110000000"

KREIS_ME, RATINGEN, VELBERT = "051580000000", "051580028028", "051580032032"

NAMES = {BUND: "Bund", NRW: "Nordrhein-Westfalen", DUISBURG: "Duisburg", ESSEN: "Essen",
         DUESSELDORF: '<script>alert("x")</script>Düsseldorf', KREIS_ME: "Kreis Mettmann",
         RATINGEN: "Ratingen; Stadt", VELBERT: 'Velbert, "Stadt"'}

FLAECHE = {"bund": "bundesweit flächendeckend", "land": "landesweit flächendeckend",
           "kreis": "kreisweit flächendeckend", "eine": "in mind. einer Kommune verfügbar",
           "nicht": "nicht in Auswertung berücksichtigt"}


def record(ars, leika, ozgid, status="ok", aktiv="ja", art="eine", url=""):
    return {
        "leika_key": leika, "leika_name": f"Leistung {leika}", "leika_bezeichnung": "", "ars": ars,
        "ars_name": NAMES[ars], "ars_federal_state": ars[:2], "bundesland": "Nordrhein-Westfalen",
        "ozgid": ozgid, "ozg_bezeichnung": "", "url": url or f"https://dienst.example/{ars}/{leika}?a=1,2",
        "online_status": status, "aktiv": aktiv, "art_flaechendeckung": FLAECHE.get(art, art),
    }


def fixture_records(flip=False):
    """Realistic rows: country and Land level, a Kreis, kreisfreie Städte, Gemeinden,
    `aktiv: nein`, "nicht in Auswertung", a LeiKa-only row, an unknown enumeration
    value, an OZG-ID outside the catalogue, duplicate rows of one service."""
    return [
        record(BUND, "99041006000000", "10000", art="bund"),                      # everyone
        record(NRW, "99041007000000", "10001", art="land"),                       # all of NRW
        record(NRW, "99041008000000", "10002", art="eine"),                       # covers nothing below
        record(NRW, "99041009000000", "10003", aktiv="", art="kreis"),            # Land key needs landesweit
        record(KREIS_ME, "99041010000000", "10004", art="kreis"),                 # both Gemeinden of the Kreis
        record(DUISBURG, "99108001000000", "10173", status="nicht ok" if flip else "ok"),
        record(DUISBURG, "99088031000000", "10023", aktiv="nein"),                # switched off
        record(DUISBURG, "99013001000000", ""),                                  # LeiKa only -> 10011
        record(DUISBURG, "99013001000000", "", status="nicht ok"),                # duplicate, worse
        record(ESSEN, "99108001000000", "10173", art="nicht"),                    # not evaluated
        record(ESSEN, "99088031000000", "10023", status="nicht ok"),
        record(ESSEN, "99999999999999", "19999"),                                # not in the catalogue
        record(DUESSELDORF, "99108001000000", "10173", art="kreis"),
        record(DUESSELDORF, "99088031000000", "10023"),
        record(DUESSELDORF, "99041011000000", "10005", status="teilweise"),       # unknown value
        record(RATINGEN, "99108001000000", "10173"),
        record(VELBERT, "99088031000000", "10023", url="https://velbert.example/a,b;c"),
    ]


def counted(r):
    return (r["online_status"] == "ok" and r["aktiv"] != "nein"
            and r["art_flaechendeckung"] in set(FLAECHE.values()) - {FLAECHE["nicht"]})


def expected_counts(records, catalogue_ids, leika_map):
    """The method from the issue, written out plainly for the fixture."""
    need = {BUND: {FLAECHE["bund"]}, NRW: {FLAECHE["bund"], FLAECHE["land"]},
            KREIS_ME: {FLAECHE["bund"], FLAECHE["land"], FLAECHE["kreis"]}}
    above = {DUISBURG: [NRW, BUND], ESSEN: [NRW, BUND], DUESSELDORF: [NRW, BUND],
             RATINGEN: [KREIS_ME, NRW, BUND], VELBERT: [KREIS_ME, NRW, BUND]}
    result = {}
    for town, higher in above.items():
        ids = set()
        for r in records:
            ozg = int(r["ozgid"]) if r["ozgid"] and int(r["ozgid"]) in catalogue_ids else leika_map.get(r["leika_key"])
            if ozg is None or not counted(r):
                continue
            if r["ars"] == town or (r["ars"] in higher and r["art_flaechendeckung"] in need[r["ars"]]):
                ids.add(ozg)
        result[town] = len(ids)
    return result


def ranks(counts):
    ordered = sorted(counts.values(), reverse=True)
    return {ars: 1 + sum(1 for v in ordered if v > c) for ars, c in counts.items()}


def as_csv(records, delimiter=",", bom=False, camel=False):
    out = io.StringIO()
    header = [_camel(f) for f in FIELDS] if camel else FIELDS
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[r[f] for f in FIELDS] for r in records])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def as_xlsx(records):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(FIELDS)
    for r in records:
        # Keys as numbers, as Excel makes them: the leading zero of an ARS is lost.
        sheet.append([int(r[f]) if f in ("ars", "leika_key", "ozgid") and r[f] else r[f] for f in FIELDS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class ExportServer:
    """Answers /export/<shape>/<ars>; JSON pages by ?page=N; `truncate` sends half."""

    def __init__(self):
        self.records = fixture_records()
        self.truncate = False
        self.paths = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.paths.append(self.path)
                if self.path.startswith("/redirect/"):
                    self.send_response(302)
                    self.send_header("Location", self.path.replace("/redirect/", "/export/", 1))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = server.body(self.path)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if server.truncate else body)
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.http.server_address[1]}"

    def body(self, path):
        shape = path.split("/")[2]
        if shape == "csv":
            return as_csv(self.records)
        if shape == "csv-semicolon-bom-camel":
            return as_csv(self.records, ";", bom=True, camel=True)
        if shape == "xlsx":
            return as_xlsx(self.records)
        page = int(path.split("page=")[1]) if "page=" in path else 0
        size = 5
        content = [{_camel(k): (int(v) if k == "ozgid" and v else (v or None)) for k, v in r.items()}
                   for r in self.records[page * size:(page + 1) * size]]
        pages = -(-len(self.records) // size)
        return json.dumps({"content": content, "totalPages": pages, "number": page, "size": size}).encode()

    def url(self, shape, prefix="export"):
        return f"{self.base}/{prefix}/{shape}/{{ars}}?includeBelow=true"


@pytest.fixture
def server():
    export = ExportServer()
    yield export
    export.http.shutdown()


def update(project, url, date, ars=NRW):
    return dashboard.main(["--ars", ars, "--url", url, "--data-dir", str(project / "data" / "ozg"),
                           "--date", date, "--allow-private"])


def catalogue_and_mapping(project):
    from wachhund.commands.importers.wsp import leika_to_ozg
    from wachhund.ozg.schema import load_model

    ids = set(load_model(project / "data" / "ozg").catalogue)
    mapping = {k: v for k, v in leika_to_ozg(project / "data/sources/ozg_leika_zuordnung_kdn2019.csv").items() if v in ids}
    return ids, mapping


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
