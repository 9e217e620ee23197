"""A stand-in for the federal OZG dashboard's export on 127.0.0.1 (one fixture in every shape it
serves) and the plain re-statement of the counting method the dashboard tests compare against
(tests/commands/test_dashboard_import.py, test_federal_api.py, tests/plugins/test_ranking_pages.py)."""

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wachhund.commands.importers import dashboard

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




def update(project, url, date, ars=NRW):
    return dashboard.main(["--ars", ars, "--url", url, "--data-dir", str(project / "data" / "ozg"),
                           "--date", date, "--allow-private"])


def catalogue_and_mapping(project):
    from wachhund.commands.importers.wsp import leika_to_ozg
    from wachhund.ozg.schema import load_model

    ids = set(load_model(project / "data" / "ozg").catalogue)
    mapping = {k: v for k, v in leika_to_ozg(project / "data/sources/ozg_leika_zuordnung_kdn2019.csv").items() if v in ids}
    return ids, mapping


def ranking_of(project):
    from wachhund.ozg.ranking import compute
    from wachhund.ozg.schema import load_model
    from wachhund.ozg.status_store import read_store

    data = project / "data" / "ozg"
    return compute(read_store(data), load_model(data).catalogue)


# The small CSV export of the schema and importer tests (a Teststadt with three rows).
EXPORT_HEADER = "leika_key;leika_name;leika_bezeichnung;ars;ars_name;bundesland;ozgid;ozg_bezeichnung;url;online_status;aktiv;art_flaechendeckung\n"


def export_csv(elterngeld_status="ok"):
    return (
        EXPORT_HEADER
        + f"99041006000000;Elterngeld;Elterngeld;059990000000;Teststadt;NRW;10000;Elterngeld;https://example.org/eg;{elterngeld_status};ja;bundesweit flächendeckend\n"
        + "99108001000000;Bewohnerparkausweis;Bewohnerparkausweis;059990000000;Teststadt;NRW;10173;Parkausweise;https://example.org/park;ok;ja;in mind. einer Kommune verfügbar\n"
        + "99999999999999;Neu;Neue Leistung;059990000000;Teststadt;NRW;19999;Nicht im Katalog;;nicht ok;ja;nicht in Auswertung berücksichtigt\n"
    ).encode("utf-8")


@pytest.fixture
def export_server():
    """A local export server; `redirect` sends the answers to paths under `redirect_from`
    (default: every path) elsewhere, `truncate` announces the whole body but sends only part
    of it and hangs up."""
    state = {"body": export_csv(), "paths": [], "redirect": None, "redirect_from": "/", "truncate": False}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state["paths"].append(self.path)
            if state["redirect"] and self.path.startswith(state["redirect_from"]):
                self.send_response(302)
                self.send_header("Location", state["redirect"])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Content-Length", str(len(state["body"])))
            self.end_headers()
            self.wfile.write(state["body"][: len(state["body"]) // 2] if state["truncate"] else state["body"])
            if state["truncate"]:
                self.close_connection = True

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["port"] = server.server_address[1]
    state["url"] = f"http://127.0.0.1:{state['port']}/api/v1/data/{{ars}}?filetype=csv"
    yield state
    server.shutdown()
