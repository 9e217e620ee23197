"""The federal dashboard import at any size, its store, the ranking and its pages (issue 14).

A local export server on 127.0.0.1 serves one fixture in every supported shape.
The expected counts come from `expected_counts`, a plain re-statement of the
counting method over the fixture, not from the plugin's code.
"""

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wachhund.commands.importers import dashboard
from tests.support import tree_digest

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


def ranking_of(project):
    from wachhund.ozg.ranking import compute
    from wachhund.ozg.schema import load_model
    from wachhund.ozg.status_store import read_store

    data = project / "data" / "ozg"
    return compute(read_store(data), load_model(data).catalogue)


@pytest.mark.parametrize("shape", ["csv", "csv-semicolon-bom-camel", "xlsx", "json"])
def test_every_shape_gives_the_counts_of_the_method(project, server, shape, capsys):
    assert update(project, server.url(shape), "2026-11-20") == 0
    ids, mapping = catalogue_and_mapping(project)
    expected = expected_counts(fixture_records(), ids, mapping)
    ranking = ranking_of(project)
    assert {ars: mu.count for ars, mu in ranking.municipalities.items()} == expected
    assert {ars: mu.rank for ars, mu in ranking.municipalities.items()} == ranks(expected)
    # the fixture's sanity: the rules make a difference
    assert expected[DUISBURG] == 4 and expected[RATINGEN] == 4 and expected[ESSEN] == 2
    where = {"json": "record 15", "xlsx": "row 16"}.get(shape, "line 16")
    assert f"{where}: unknown online_status 'teilweise'" in capsys.readouterr().err
    if shape == "json":
        # includeBelow/includeAbove are set explicitly on every request (issue 25)
        scope = "includeBelow=true&includeAbove=true"
        assert [p.split("?")[1] for p in server.paths] == [
            scope, f"{scope}&page=1", f"{scope}&page=2", f"{scope}&page=3"]


def test_reimport_changes_no_byte_and_one_flip_records_one_dated_change(project, server):
    data = project / "data" / "ozg"
    assert update(project, server.url("csv"), "2026-11-20") == 0
    first = tree_digest(data)
    assert update(project, server.url("csv"), "2026-11-20") == 0
    assert tree_digest(data) == first
    # a day later, same data: only the import log grows, by one line
    assert update(project, server.url("csv-semicolon-bom-camel"), "2026-11-21") == 0
    changed = {p for p in tree_digest(data) if tree_digest(data)[p] != first.get(p)}
    assert changed == {"dashboard/importe.csv"}
    status = (data / "dashboard/status/05112.csv").read_text(encoding="utf-8")
    server.records = fixture_records(flip=True)
    assert update(project, server.url("csv"), "2026-11-22") == 0
    after = (data / "dashboard/status/05112.csv").read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in status.splitlines()]
    assert len(added) == 1 and added[0].startswith("051120000000,99108001000000,10173,10173,2026-11-22,ja,nicht ok,")
    ranking = ranking_of(project)
    assert [(c.datum.isoformat(), c.ars, c.ozg_id, c.online) for c in ranking.changes] == [
        ("2026-11-22", DUISBURG, 10173, False)]
    assert ranking.municipalities[DUISBURG].delta == -1 and ranking.municipalities[ESSEN].delta == 0
    log = (data / "dashboard/importe.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in log[1:]] == ["2026-11-20", "2026-11-21", "2026-11-22"]
    assert [line.rsplit(",", 1)[1] for line in log[1:]] == ["16", "0", "1"]  # 17 rows, one key twice


def test_a_service_that_leaves_the_export_is_recorded_once(project, server):
    assert update(project, server.url("csv"), "2026-11-20") == 0
    server.records = [r for r in fixture_records() if not (r["ars"] == RATINGEN)] + [
        record(RATINGEN, "99088031000000", "10023")]
    assert update(project, server.url("csv"), "2026-11-21") == 0
    assert update(project, server.url("csv"), "2026-11-22") == 0
    rows = (project / "data/ozg/dashboard/status/05158.csv").read_text(encoding="utf-8").splitlines()
    gone = [r for r in rows if r.startswith(f"{RATINGEN},99108001000000")]
    assert [r.split(",")[4:6] for r in gone] == [["2026-11-20", "ja"], ["2026-11-21", "nein"]]


@pytest.mark.parametrize("breakage, message", [
    (lambda rs: [{k: v for k, v in r.items() if k != "aktiv"} for r in rs], "missing column(s) aktiv"),
    (lambda rs: rs[:3] + [{**rs[3], "leika_key": "9904100900000"}] + rs[4:], "line 5: leika_key: expected 14 digits"),
    (lambda rs: rs[:6] + [{**rs[6], "ars": "51120000000"}] + rs[7:], "line 8: ars: expected 12 digits"),
])
def test_structural_errors_name_the_row_and_write_nothing(project, server, breakage, message, capsys):
    records = breakage(fixture_records())
    fields = [f for f in FIELDS if f in records[0]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    server.body = lambda path: out.getvalue().encode()
    digest = tree_digest(project / "data")
    assert update(project, server.url("csv"), "2026-11-20") == 1
    assert message in capsys.readouterr().err
    assert tree_digest(project / "data") == digest


def test_truncated_export_writes_nothing_and_a_redirect_is_followed(project, server):
    assert update(project, server.url("csv"), "2026-11-20") == 0
    digest = tree_digest(project / "data")
    server.truncate = True
    server.records = fixture_records(flip=True)
    assert update(project, server.url("csv"), "2026-11-21") == 1
    assert tree_digest(project / "data") == digest
    server.truncate = False
    assert update(project, server.url("csv", prefix="redirect"), "2026-11-21") == 0
    assert ranking_of(project).changes[0].ars == DUISBURG


def test_a_short_row_names_its_line(project, server, capsys):
    body = as_csv(fixture_records())
    server.body = lambda path: body.rsplit(b",", 3)[0]  # the last row cut off, without Content-Length lies
    assert update(project, server.url("csv"), "2026-11-20") == 1
    assert "line 18: expected 13 fields" in capsys.readouterr().err
    assert not (project / "data/ozg/dashboard").exists()


def test_a_large_export_is_read_to_its_end(server):
    """The guard reads until the body ends: one read() returns only what has arrived."""
    from wachhund.lib.net import AddressPolicy
    from wachhund.lib.net.guarded import download

    body = as_csv(fixture_records() * 2000)  # about 4 MB
    server.body = lambda path: body
    _url, got = download(server.url("csv").format(ars=NRW), AddressPolicy(allow_private=True), {}, 1 << 30)
    assert len(body) > 3_000_000 and got == body


def test_make_update_ozg_passes_a_url_with_ampersands_whole(project, server):
    """The README's command: `make update-ozg ARS=… URL='…{ars}…&…'` (a shell would
    cut an unquoted URL at `&`)."""
    import subprocess

    from tests.support import ROOT

    url = server.url("csv") + "&filetype=csv"
    result = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "update-ozg", f"ARS={NRW}", f"URL={url}",
         f"ARGS=--data-dir {project / 'data/ozg'} --date 2026-11-20 --allow-private"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert server.paths == [f"/export/csv/{NRW}?filetype=csv&includeBelow=true&includeAbove=true"]
    assert (project / "data/ozg/dashboard/status/05112.csv").exists()
