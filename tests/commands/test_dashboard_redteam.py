"""The federal dashboard import against hostile and unlucky answers (red team of issue 25).

Every test here failed before its fix: a gzip-compressed export, paged JSON that lies about
its pages, row order deciding what is stored, a --date older than the last import, a Stand
in the future, a deprecated column going away, bytes that are no UTF-8, a column named twice.
The stand-ins are those of tests/commands/test_federal_api.py, on 127.0.0.1.
"""

import csv
import gzip
import io
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wachhund.commands.importers import dashboard, dashboard_fetch
from tests.support import tree_digest
from tests.dashboardserver import DUISBURG, ESSEN, NRW, catalogue_and_mapping, expected_counts, fixture_records, \
    ranking_of
from tests.commands.test_federal_api import NEW_FIELDS, OpenPvog, imports_of, pvog_records, update
from tests.dashboardserver import export_server  # noqa: F401 - a fixture `redirecting` builds on


@pytest.fixture
def pvog():
    server = OpenPvog()
    yield server
    server.http.shutdown()


def export(records, fields=NEW_FIELDS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(fields)
    writer.writerows([[r.get(f, "") for f in fields] for r in records])
    return out.getvalue().encode("utf-8")


def counts_of(project):
    return {ars: mu.count for ars, mu in ranking_of(project).municipalities.items()}


def expected(project):
    ids, mapping = catalogue_and_mapping(project)
    return expected_counts(fixture_records(), ids, mapping)


# --- transfer ----------------------------------------------------------------------------

@pytest.fixture
def gzip_server():
    """The Open-PVOG export compressed (Content-Encoding: gzip) with the Content-Length of the
    compressed body, as a server or CDN sends a stored export: aiohttp asks for gzip itself.
    `state["truncate"]`: half the compressed body, then the connection is closed."""
    body = gzip.compress(export(pvog_records()))
    state = {"truncate": False}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if state["truncate"] else body)
            self.close_connection = True

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    state["url"] = f"http://127.0.0.1:{port}/api/public/v1/dash/open-pvog/{{ars}}/export?filetype=csv"
    yield state
    server.shutdown()


def test_a_gzip_compressed_export_is_read_not_called_incomplete(project, gzip_server, monkeypatch, capsys):
    """The Content-Length of a compressed answer counts the compressed bytes; the body read is
    the inflated one. Every gzip answer was once "download incomplete: 4167 of 752 bytes".
    A compressed answer cut off half way still writes nothing."""
    monkeypatch.setattr(dashboard_fetch, "BACKOFF", 0.01)
    gzip_server["truncate"] = True
    digest = tree_digest(project / "data")
    assert update(project, gzip_server["url"], "2026-11-20") == 1
    assert "Nothing was written" in capsys.readouterr().err
    assert tree_digest(project / "data") == digest
    gzip_server["truncate"] = False
    assert update(project, gzip_server["url"], "2026-11-20") == 0, capsys.readouterr().err
    assert counts_of(project) == expected(project)


class LyingPages(OpenPvog):
    """413 for the export; the paged form in one of several ways the answer can mislead."""

    def __init__(self, mode):
        super().__init__()
        self.mode = mode

    def answer(self, path, accept):
        parts = urllib.parse.urlsplit(path)
        if parts.path.endswith("/export"):
            return 413, "application/json", b'{"status":413}'
        page = int(dict(urllib.parse.parse_qsl(parts.query)).get("page", "0"))
        size, records = self.PAGE, self.records
        pages = -(-len(records) // size)
        body = {"size": size}
        if self.mode == "total-too-low":  # totalPages says 2; `last` and totalElements say otherwise
            body.update(content=records[page * size:(page + 1) * size], totalPages=2,
                        totalElements=len(records), number=page, last=page >= pages - 1)
        elif self.mode == "total-too-low-count-only":  # totalPages 2, only totalElements tells
            body.update(content=records[page * size:(page + 1) * size], totalPages=2,
                        totalElements=len(records), number=page)
        elif self.mode == "counted-from-1":  # page=0 is read as page 1; the answer says `number: 1`
            number = max(page, 1)
            body.update(content=records[(number - 1) * size:number * size], totalPages=pages, number=number)
        elif self.mode == "page-ignored":  # the server answers the first page whatever is asked
            body.update(content=records[:size], totalPages=pages)
        return 200, "application/json", json.dumps(body).encode()


@pytest.fixture
def lying():
    servers = []

    def make(mode):
        servers.append(LyingPages(mode))
        return servers[-1]

    yield make
    for server in servers:
        server.http.shutdown()


@pytest.mark.parametrize("mode", ["total-too-low", "counted-from-1"])
def test_paged_json_is_read_to_its_real_end(project, lying, mode, capsys):
    """totalPages too low while `last: false` (and totalElements) say there is more; pages counted
    from 1 as the first answer's `number` says: once 10 of 17 rows, or the first page twice and the
    last never, were imported as complete."""
    server = lying(mode)
    assert update(project, server.url, "2026-11-20") == 0, capsys.readouterr().err
    [log] = imports_of(project)
    assert log["zeilen"] == "17"
    assert counts_of(project) == expected(project)


@pytest.mark.parametrize("mode, finding", [
    ("total-too-low-count-only", "10 Datensätze gelesen, die Schnittstelle nennt 17 (totalElements)"),
    ("page-ignored", "die Antwort auf Seite 2 gleicht der auf Seite 1"),
])
def test_paged_json_that_cannot_be_complete_stops_and_writes_nothing(project, lying, mode, finding, capsys):
    server = lying(mode)
    digest = tree_digest(project / "data")
    assert update(project, server.url, "2026-11-20") == 1
    err = capsys.readouterr().err
    assert finding in err and "Nothing was written" in err
    assert tree_digest(project / "data") == digest


# --- the export's content ------------------------------------------------------------------

def test_the_stored_names_and_reasons_do_not_depend_on_row_order(project, tmp_path, pvog):
    """Two rows for one key with different names, two rows for one service with different
    reasons and states: the store once kept whichever came last, so the same data in another order gave
    other bytes (README: deterministic output)."""
    from tests.support import copy_project

    records = pvog_records()
    essen = next(r for r in records if r["ars"] == ESSEN and r["begruendung_nicht_beruecksichtigt"])
    other = {**essen, "ars_name": "Essen, Stadt", "begruendung_nicht_beruecksichtigt": "Andere Begründung",
             "online_status": "nicht ok"}  # (the status was independent of row order already)
    trees = []
    for index, rows in enumerate((records + [other], [other] + records)):
        target = copy_project(tmp_path / f"order{index}") if index else project
        pvog.export_body = (export(rows), "application/octet-stream")
        assert update(target, pvog.url, "2026-11-20") == 0
        trees.append({p: d for p, d in tree_digest(target / "data/ozg").items() if p != "dashboard/importe.csv"})
    assert trees[0] == trees[1]


def test_a_stand_after_the_import_date_is_not_shown(project, pvog, capsys):
    """datenstand_pvog_import 2099-01-01 on 2026-11-20 cannot be the date of the data: it was
    stored as the Stand shown with every figure."""
    pvog.records = [{**r, "datenstand_pvog_import": "2099-01-01T00:00:00"} for r in pvog_records()]
    assert update(project, pvog.url, "2026-11-20") == 0
    [log] = imports_of(project)
    assert log["stand"] == ""
    err = capsys.readouterr().err
    assert "datenstand_pvog_import" in err and "2099-01-01" in err
    assert ranking_of(project).municipalities[DUISBURG].stand.isoformat() == "2026-11-20"


def test_the_deprecated_export_datum_going_away_is_no_bad_day(project, pvog, capsys):
    """export_datum is deprecated upstream and not read; its removal once held back every import
    (issue 25: held back when "a column we need has gone")."""
    assert update(project, pvog.url, "2026-11-20") == 0
    pvog.export_body = (export(pvog_records(), [f for f in NEW_FIELDS if f != "export_datum"]),
                        "application/octet-stream")
    assert update(project, pvog.url, "2026-11-21") == 0, capsys.readouterr().err
    # a column that is read still holds the import back
    pvog.export_body = (export(pvog_records(), [f for f in NEW_FIELDS if f not in ("export_datum", "ars_name")]),
                        "application/octet-stream")
    assert update(project, pvog.url, "2026-11-22") == dashboard.HELD_BACK


def refused(project, pvog, body: bytes, capsys, ctype="application/octet-stream") -> str:
    """Serve `body` as the export: the import fails (exit 1), data/ is as it was; its stderr."""
    pvog.export_body = (body, ctype)
    digest = tree_digest(project / "data")
    assert update(project, pvog.url, "2026-11-20") == 1
    assert tree_digest(project / "data") == digest
    return capsys.readouterr().err


def test_bytes_that_are_no_utf8_are_named_by_their_line(project, pvog, capsys):
    """A Latin-1 'ü' in row 12: the message once said only "in a line after line 1"."""
    body = export(pvog_records())
    lines = body.split(b"\n")
    lines[11] = lines[11].replace(b"Leistung", b"Leist\xfcng", 1)
    err = refused(project, pvog, b"\n".join(lines), capsys)
    assert "not UTF-8 text" in err and "line 12" in err and "0xfc" in err


def test_a_column_named_twice_stops_the_import(project, pvog, capsys):
    """Two `ars` columns (or `ozgid` and `ozgId`) with different values: the first was used,
    silently."""
    rows = [{**r, "ars2": ESSEN if r["ars"] == DUISBURG else r["ars"]} for r in pvog_records()]
    body = export(rows, NEW_FIELDS + ["ars2"]).replace(b";ars2\n", b";ars\n", 1)
    err = refused(project, pvog, body, capsys)
    assert "line 1" in err and "ars" in err and "twice" in err


# --- the store ------------------------------------------------------------------------------

def test_a_date_older_than_the_last_import_is_refused(project, pvog, capsys):
    """Imports on the 20th and 22nd (no change), then --date 2026-11-21 with a flipped status:
    it was taken, and the store's current state became the 21st's, although the 22nd's import
    had seen the service online."""
    assert update(project, pvog.url, "2026-11-20") == 0
    assert update(project, pvog.url, "2026-11-22") == 0
    digest = tree_digest(project / "data")
    pvog.records = pvog_records(fixture_records(flip=True))
    assert update(project, pvog.url, "2026-11-21") == 1
    assert "2026-11-22" in capsys.readouterr().err
    assert tree_digest(project / "data") == digest


# --- what reaches the terminal ---------------------------------------------------------------

@pytest.fixture
def raw_server():
    """Answers with header bytes no well-behaved server sends: a redirect whose Location holds an
    ANSI escape sequence, then an HTML page whose Content-Type holds one."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve():
        while True:
            try:
                conn, _address = listener.accept()
            except OSError:
                return
            with conn:
                path = conn.recv(65536).split(b" ")[1]
                if path.startswith(b"/go/"):
                    conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /x/\x1b[2J\x1b[31mROT\r\n"
                                 b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                else:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\x1b]0;titel\x07\r\n"
                                 b"Content-Length: 6\r\nConnection: close\r\n\r\n<html>")

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/go/{{ars}}/export"
    listener.close()


def test_no_escape_sequence_of_a_server_reaches_the_terminal(project, raw_server, pvog, capsys):
    """The diagnosis showed the redirect's address and the Content-Type raw (its first bytes were
    already escaped): a server could clear the author's terminal or retitle it. So could a column
    name in the export's header. (A redirect to an address with control characters is now refused
    by the URL rule before it is followed.)"""
    # The redirect: a Location with control characters is no URL (the one URL rule), refused unfollowed.
    assert update(project, raw_server, "2026-11-20") == 2
    captured = capsys.readouterr()
    assert "Adresse abgelehnt" in captured.out
    assert "\x1b" not in captured.err + captured.out and "\x07" not in captured.err + captured.out
    # The page itself: its Content-Type is shown escaped in the diagnosis.
    assert update(project, raw_server.replace("/go/", "/page/"), "2026-11-20") == 1
    captured = capsys.readouterr()
    assert "Inhaltstyp:  text/html\\x1b]0;titel\\x07" in captured.err
    assert "\x1b" not in captured.err + captured.out and "\x07" not in captured.err + captured.out
    pvog.export_body = (export(pvog_records(), NEW_FIELDS + ["neu\x1b[2J"]), "application/octet-stream")
    assert update(project, pvog.url, "2026-11-20") == 0
    captured = capsys.readouterr()
    assert "unbekannte Spalte(n) neue_kennung, neu\\x1b[2_j" in captured.err and "\x1b" not in captured.err


@pytest.mark.parametrize("name", ["status/05112.csv", "regionen.csv", "importe.csv", "begruendungen.csv"])
def test_a_store_file_saved_by_hand_in_latin1_is_named_by_file_and_line(project, pvog, name, capsys):
    """git carries the store and an author may edit it: a file saved in Windows-1252 once stopped
    the import (and the build's read_store) with only "'utf-8' codec can't decode byte 0xfc in
    position 161", no file, no line. A byte order mark, as some editors write, is read past."""
    from wachhund.lib.yamlfile import DataError
    from wachhund.ozg.status_store import read_store

    assert update(project, pvog.url, "2026-11-20") == 0
    path = project / "data/ozg/dashboard" / name
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    bad = len(lines)  # the last line: importe.csv and begruendungen.csv have one row
    edited = lines[bad - 1].encode("cp1252", "replace").replace(b",", b"\xfc,", 1)
    path.write_bytes("".join(lines[:bad - 1]).encode("utf-8") + edited)
    with pytest.raises(DataError) as raised:
        read_store(project / "data/ozg")
    assert f"{name}:{bad}: not UTF-8 text (byte 0xfc" in str(raised.value)
    digest = tree_digest(project / "data")
    assert update(project, pvog.url, "2026-11-21") == 1
    assert f"{name}:{bad}: not UTF-8 text" in capsys.readouterr().err
    assert tree_digest(project / "data") == digest
    path.write_text("\ufeff" + text, encoding="utf-8")
    assert len(read_store(project / "data/ozg").rows) == 16


def test_a_json_record_naming_a_column_twice_stops_the_import(project, pvog, capsys):
    """`ozgid` and `ozgId` in one record (both the column ozgid): one of them was dropped,
    silently, as the JSON was turned into columns."""
    records = [{**r, "ozgId": "10001"} for r in pvog_records()]
    err = refused(project, pvog, json.dumps({"content": records, "totalPages": 1}).encode(), capsys, "application/json")
    assert "record 1: a column appears twice: ozgid" in err


def test_paged_json_with_aktiv_as_a_boolean_counts_like_the_csv(project, pvog, capsys):
    """The paged JSON is typed: `"aktiv": true` became the text 'True', an unknown value, so every
    service counted as not available (a warning per row) the day NRW answered 413, and the
    ranking fell to zero with no bad day held back (the row count was the same)."""
    pvog.too_large = True
    pvog.records = [{**r, "aktiv": {"ja": True, "nein": False}.get(r["aktiv"], r["aktiv"])} for r in pvog_records()]
    assert update(project, pvog.url, "2026-11-20") == 0
    assert "unknown aktiv" not in capsys.readouterr().err
    assert counts_of(project) == expected(project)


def test_a_city_export_lacking_a_federal_service_does_not_remove_it_from_nrw(project, pvog, monkeypatch):
    """NRW (darunter) and Berlin (darueber) both bring the rows of the country key 000000000000.
    Where Berlin's export lacks a federal service that NRW's has, Berlin's import (later in the
    run, same day) replaces the day's row and the service vanishes from the store: every NRW
    municipality loses it from its count, and each day's NRW import reports it as a new change."""
    from tests.support import replace
    from tests.commands.test_federal_api import BERLIN, BUND, city

    replace(project, "pelicanconf.py", '"SIDEBAR_KOMMUNE": "duisburg",', f'''"SIDEBAR_KOMMUNE": "duisburg",
    "DASHBOARD_URL": "{pvog.url}",
    "IMPORT": [{{"ars": "{NRW}", "umfang": "darunter"}}, {{"ars": "{BERLIN}", "umfang": "darueber"}}],
    "VERGLEICHSGRUPPE_BUND": [{{"ars": "{BERLIN}", "name": "Berlin"}}],''')
    monkeypatch.setattr(dashboard, "ROOT", project)
    federal = {**pvog_records()[0], "leika_key": "99041099000000", "ozgid": "10002"}  # only in NRW's export
    berlin = [r for r in fixture_records() if r["ars"] == BUND] + [city(BERLIN, "Berlin", "99108001000000", "10173")]
    pvog.by_ars = {NRW: pvog_records() + [federal], BERLIN: pvog_records(berlin)}
    run = ["--data-dir", str(project / "data" / "ozg"), "--allow-private", "--date"]
    assert dashboard.main([*run, "2026-11-20"]) == 0
    status = (project / "data/ozg/dashboard/status/00000.csv").read_text(encoding="utf-8")
    assert "99041099000000" in status
    assert dashboard.main([*run, "2026-11-21"]) == 0  # the next day: no change, no row saying it is gone
    assert (project / "data/ozg/dashboard/status/00000.csv").read_text(encoding="utf-8") == status
    imports = (project / "data/ozg/dashboard/importe.csv").read_text(encoding="utf-8").splitlines()
    assert [line.rsplit(",", 1)[1] for line in imports if line.startswith("2026-11-21")] == ["0", "0"]


def test_a_malformed_date_is_a_usage_error_not_a_traceback(project, pvog, capsys):
    """`make update-ozg ARGS='--date 2026-13-01'` ended in a ValueError traceback."""
    with pytest.raises(SystemExit) as raised:
        update(project, pvog.url, "2026-13-01")
    assert raised.value.code == 2
    assert "--date expects YYYY-MM-DD, got '2026-13-01'" in capsys.readouterr().err
    assert not pvog.requests


def snapshot(root):
    """Every file's bytes and modification time, and every folder's, under `root`."""
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*"))}


def test_pruefen_changes_no_byte_no_mtime_and_makes_no_folder(project, pvog, tmp_path):
    """(Held: the existing test compares bytes; this one modification times and folders too, on a
    first run and after one, with a change, a held-back day and an unknown answer.)"""
    before = snapshot(project / "data")
    assert update(project, pvog.url, "2026-11-20", "--pruefen") == 0
    assert snapshot(project / "data") == before and not (project / "data/ozg/dashboard").exists()
    assert update(project, pvog.url, "2026-11-20") == 0
    before = snapshot(project / "data")
    pvog.records = pvog_records(fixture_records(flip=True))
    assert update(project, pvog.url, "2026-11-21", "--pruefen") == 0
    pvog.records = pvog_records()[:5]
    assert update(project, pvog.url, "2026-11-21", "--pruefen") == dashboard.HELD_BACK
    pvog.export_body = (b"<html>Wartung</html>", "text/html")
    assert update(project, pvog.url, "2026-11-21", "--pruefen") == 1
    assert snapshot(project / "data") == before


@pytest.fixture
def redirecting(export_server):
    """The export server, reached as `localhost` (the one host the test allows), redirecting
    /go/… to `redirecting["redirect"]`."""
    export_server.update(body=export(pvog_records()), redirect_from="/go/")
    return export_server


@pytest.mark.parametrize("location", ["http://127.0.0.1:{port}/x", "http://10.1.2.3:{port}/x", "http://[::1]:{port}/x",
                                      "http://[::ffff:127.0.0.1]:{port}/x", "http://0.0.0.0:{port}/x",
                                      "//127.0.0.1:{port}/x", "gopher://localhost:{port}/x"])
def test_a_redirect_to_a_private_address_is_refused_without_allow_private(project, redirecting, monkeypatch, location,
                                                                         capsys):
    """(Held.) Without --allow-private (the policy here allows the one host `localhost`, as a
    public host would be), a redirect to loopback, private or unspecified addresses, however
    written, or to another scheme, is refused before any request: exit 2, nothing written."""
    from wachhund.lib.net import AddressPolicy

    monkeypatch.setattr(dashboard_fetch, "AddressPolicy",
                        lambda allow_private: AddressPolicy(allowed_hosts=frozenset({"localhost"})))
    redirecting["redirect"] = location.format(port=redirecting["port"])
    digest = tree_digest(project / "data")
    code = dashboard.main(["--ars", NRW, "--url", f"http://localhost:{redirecting['port']}/go/{{ars}}/export",
                           "--data-dir", str(project / "data/ozg"), "--date", "2026-11-20"])
    assert code == 2 and "Adresse abgelehnt" in capsys.readouterr().out
    assert redirecting["paths"] == [f"/go/{NRW}/export?includeBelow=true&includeAbove=true"]
    assert tree_digest(project / "data") == digest
    # the same server, the export itself: read (the policy is what refused)
    redirecting["redirect"] = f"http://localhost:{redirecting['port']}/x"
    assert dashboard.main(["--ars", NRW, "--url", f"http://localhost:{redirecting['port']}/go/{{ars}}/export",
                           "--data-dir", str(project / "data/ozg"), "--date", "2026-11-20"]) == 0


@pytest.mark.parametrize("too_large", [False, True])
def test_a_changed_vocabulary_upstream_is_held_back_not_a_fall_to_zero(project, pvog, too_large, capsys):
    """Upstream writes "OK" for "ok": the same rows, every key, every column, so nothing held the
    day back, and every service counted as not available: all of NRW fell to zero in the ranking
    (issue 25: "never shows a municipality dropping to zero because upstream had a bad day")."""
    assert update(project, pvog.url, "2026-11-20") == 0
    before = counts_of(project)
    digest = tree_digest(project / "data")
    pvog.too_large = too_large  # the paged JSON, too
    pvog.records = [{**r, "online_status": r["online_status"].upper()} for r in pvog_records()]
    capsys.readouterr()
    assert update(project, pvog.url, "2026-11-21") == dashboard.HELD_BACK
    err = capsys.readouterr().err
    assert "17 von 17 Zeilen mit einem unbekannten Wert (online_status 'OK', online_status 'NICHT OK'" in err
    assert tree_digest(project / "data") == digest and counts_of(project) == before
    assert update(project, pvog.url, "2026-11-21", "--annehmen") == 0
    assert set(counts_of(project).values()) == {0}


@pytest.mark.parametrize("template", ["/{ars}?q={x}", "/{ars}/{", "/{ars}/{0}"])
def test_a_url_template_with_other_braces_is_a_usage_error_not_a_traceback(project, template, capsys):
    """A brace other than {ars} in URL='…' (a KeyError, ValueError or IndexError from str.format)
    ended in a traceback."""
    with pytest.raises(SystemExit) as raised:
        update(project, "http://127.0.0.1:9" + template, "2026-11-20")
    assert raised.value.code == 2
    assert "may hold no braces but {ars}" in capsys.readouterr().err


class ManyPages(OpenPvog):
    """413, then `count` made-up records in pages of 1,000 (the stand-in's own size)."""

    PAGE = 1000

    def __init__(self, count):
        super().__init__()
        self.too_large = True
        base = pvog_records()[5]  # a Duisburg row
        text = "Beschreibung der Leistung, wie sie der Export mitliefert. " * 8  # read, never stored
        self.records = [{**base, "leika_key": f"99{i:012d}", "url": f"https://dienst.example/{i}/antrag/online",
                         "leika_bezeichnung": text} for i in range(count)]


def test_the_paged_form_is_not_held_in_memory_whole(project, monkeypatch):
    """The 413 path is NRW's daily path (README: ~20 minutes of paging), and it kept every record
    of every page as a dict until the last page had come: about 1.1 GiB for all NRW (545 MiB peak
    at 300,000 rows, measured), where the issue allows 400 MiB. The pages now wait on disk and are
    read back one at a time: Python's allocations peak far below the records' own size."""
    import tracemalloc

    monkeypatch.setattr(dashboard_fetch, "MAX_RATE", 1000.0)
    server = ManyPages(20_000)
    try:
        tracemalloc.start()
        assert update(project, server.url, "2026-11-20") == 0
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        server.http.shutdown()
    [log] = imports_of(project)
    assert log["zeilen"] == "20000"
    assert peak < 30 * 1024 * 1024, f"{peak / 2**20:.1f} MiB"


def test_names_from_the_api_reach_the_terminal_escaped():
    """The list of regional keys (/open-ars) is read as the API sends it: a name with an escape
    sequence went to the terminal raw in the name findings."""
    from tests.commands.test_federal_api import KOELN

    findings = dashboard.name_findings({}, [(KOELN, "Köln")], {KOELN: "Köln\x1b[2J\x1b]0;x\x07, Stadt"})
    assert findings == [f"{KOELN} (Köln): keine Zeile im Export "
                        "(laut Schlüsselliste: „Köln\\x1b[2J\\x1b]0;x\\x07, Stadt“)"]


def test_a_date_after_today_is_a_usage_error(project, pvog, capsys):
    """A typo (2027 for 2026) taken as the import's day would make every real import until then
    "older than the newest data in the store"."""
    import datetime as dt

    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(SystemExit) as raised:
        update(project, pvog.url, tomorrow.isoformat())
    assert raised.value.code == 2
    assert f"--date {tomorrow} is after today" in capsys.readouterr().err
    assert not pvog.requests and not (project / "data/ozg/dashboard").exists()
