"""Schema validation of data/ozg/ and the importers (issue: OZG status)."""

import csv
import io
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from wachhund.commands.importers import catalog, dashboard, wsp
from wachhund.ozg.schema import load_model
from tests.support import ROOT, build_site, tree_digest
from wachhund.lib.yamlfile import DataError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ozg"
STADT = """\
slug: teststadt
name: Teststadt
ars: "059990000000"
ebene: kommune
beobachtungen:
  - ozg_id: 10000
    datum: 2025-01-10
    reifegrad: 1
    quelle: https://example.org/a
"""


@pytest.fixture
def data_dir(tmp_path):
    root = tmp_path / "proj"
    target = root / "data" / "ozg"
    shutil.copytree(FIXTURES, target)
    return target


def problems_for(data_dir, text):
    (data_dir / "kommunen" / "teststadt.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_model(data_dir)
    return str(info.value)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("reifegrad: 1", "reifegrad: 5", "data/ozg/kommunen/teststadt.yaml:8: reifegrad must be 0-4, got 5"),
        ("ozg_id: 10000", "ozg_id: 424242", "teststadt.yaml:6: unknown OZG-ID 424242"),
        ("    reifegrad: 1\n", "    reifegrad: 1\n    reifegrad: 2\n", "teststadt.yaml:9: duplicate key 'reifegrad' (first on line 8)"),
        ("datum: 2025-01-10", "datum: 2025-02-30", "teststadt.yaml:7: '2025-02-30' is not a valid date"),
        ("datum: 2025-01-10", "datum: 10.01.2025", "teststadt.yaml:7: datum must be a date YYYY-MM-DD, got '10.01.2025'"),
        ("quelle: https://example.org/a", "quelle: javascript:alert(1)", "teststadt.yaml:9: quelle must be an http(s) URL, got 'javascript:alert(1)'"),
        ("quelle: https://example.org/a", "quelle: data:text/html,<b>x</b>", "teststadt.yaml:9: quelle must be an http(s) URL"),
        ("    quelle: https://example.org/a\n", "", "teststadt.yaml:6: source missing"),
        ("reifegrad: 1", "reifegrad: [1", "teststadt.yaml:9: not valid YAML"),
        ("reifegrad: 1", "reifegrad: drei", "reifegrad must be 0-4, got 'drei'"),
        ("reifegrad: 1", "reifegrad: 1\n    url: javascript:alert(1)", "teststadt.yaml:9: url must be an http(s) URL"),
        ("reifegrad: 1", "reifegrad: 1\n    farbe: rot", "teststadt.yaml:9: unknown field 'farbe'"),
        ('ars: "059990000000"', "ars: 5999", "teststadt.yaml:3: ars must be a 12-digit key"),
        # One ARS rule: twelve ASCII digits (a regex \d{12}$ let these through).
        ('ars: "059990000000"', 'ars: "\u0660\u0665\u0669\u0669\u0669\u0660\u0660\u0660\u0660\u0660\u0660\u0660"',
         "teststadt.yaml:3: ars must be a 12-digit key"),
        ('ars: "059990000000"', 'ars: "059990000000\\n"', "teststadt.yaml:3: ars must be a 12-digit key"),
    ],
)
def test_schema_errors_name_file_line_and_field(data_dir, old, new, expected):
    assert old in STADT
    assert expected in problems_for(data_dir, STADT.replace(old, new, 1))


def test_all_problems_reported_at_once(data_dir):
    text = STADT.replace("reifegrad: 1", "reifegrad: 9").replace("ozg_id: 10000", "ozg_id: 1")
    message = problems_for(data_dir, text)
    assert "reifegrad must be 0-4" in message and "unknown OZG-ID 1" in message


def test_real_data_validates_and_keeps_unmatched_wsp_entries():
    model = load_model(ROOT / "data" / "ozg")
    assert len(model.catalogue) == 557
    assert list(model.kommunen)[:2] == ["duisburg", "nrw"]
    nrw = model.summary("nrw")
    assert nrw["online"] == 22 and nrw["ohne_ozg_zuordnung"] == 209
    duisburg = {s.ozg_id: s for s in model.statuses("duisburg")}
    assert duisburg[10173].online and duisburg[10023].online
    assert sum(1 for s in duisburg.values() if s.known) == 2


def test_catalogue_import_is_deterministic_and_current(tmp_path):
    sources = ROOT / "data" / "sources"
    assert catalog.run(sources, tmp_path) is True
    first = (tmp_path / "katalog.yaml").read_bytes()
    assert catalog.run(sources, tmp_path) is False
    assert (tmp_path / "katalog.yaml").read_bytes() == first
    assert first == (ROOT / "data" / "ozg" / "katalog.yaml").read_bytes()


def test_wsp_import_is_idempotent(tmp_path):
    ozg = tmp_path / "ozg"
    (ozg / "kommunen").mkdir(parents=True)
    shutil.copy(ROOT / "data/ozg/katalog.yaml", ozg / "katalog.yaml")
    sources = ROOT / "data" / "sources"
    assert wsp.run(sources, ozg) == 368
    assert wsp.run(sources, ozg) == 0
    assert (ozg / "kommunen/nrw.yaml").read_bytes() == (ROOT / "data/ozg/kommunen/nrw.yaml").read_bytes()


# --- the federal dashboard export, served from 127.0.0.1 ---------------------

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
    """A local export server; `redirect` sends the next answer elsewhere, `truncate`
    announces the whole body but sends only part of it and hangs up."""
    state = {"body": export_csv(), "paths": [], "redirect": None, "truncate": False}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state["paths"].append(self.path)
            if state["redirect"]:
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
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/api/v1/data/{{ars}}?filetype=csv"
    yield state
    server.shutdown()


def run_update(data_dir, server, date, *extra):
    return dashboard.main(
        ["--ars", "059990000000", "--url", server["url"], "--data-dir", str(data_dir), "--date", date, *extra]
    )


def test_dashboard_update_leaves_hand_kept_yaml_alone(data_dir, export_server):
    """Imported status goes to the store; the hand-kept observations stay as written
    (idempotence and change records: tests/test_dashboard_import.py)."""
    hand = (data_dir / "kommunen" / "teststadt.yaml").read_bytes()
    assert run_update(data_dir, export_server, "2026-11-01", "--allow-private") == 0
    assert export_server["paths"] == ["/api/v1/data/059990000000?filetype=csv&includeBelow=true&includeAbove=true"]
    assert (data_dir / "kommunen" / "teststadt.yaml").read_bytes() == hand
    rows = (data_dir / "dashboard" / "status" / "05999.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[:4] for r in rows[1:]] == [
        ["059990000000", "99041006000000", "10000", "10000"],
        ["059990000000", "99108001000000", "10173", "10173"],
        ["059990000000", "99999999999999", "19999", ""],  # kept, though the catalogue does not know it
    ]


def test_dashboard_refuses_loopback_without_flag(data_dir, export_server):
    digest = tree_digest(data_dir)
    assert run_update(data_dir, export_server, "2026-11-01") == 2
    assert export_server["paths"] == []
    assert tree_digest(data_dir) == digest


def test_dashboard_rejects_a_file_that_is_not_an_export(data_dir, export_server):
    export_server["body"] = b"<html>Wartungsarbeiten</html>"
    digest = tree_digest(data_dir)
    assert run_update(data_dir, export_server, "2026-11-01", "--allow-private") == 1
    assert tree_digest(data_dir) == digest


def test_dashboard_connects_to_the_address_it_checked(data_dir, export_server, monkeypatch):
    """One DNS answer per hop, checked, and connected to: a name that would answer
    differently on a second lookup (DNS rebinding) cannot redirect the download."""
    import socket

    port = int(export_server["url"].split(":")[2].split("/")[0])
    real = socket.getaddrinfo
    lookups = []

    def rebinding(host, *args, **kwargs):
        if host != "export.test":
            return real(host, *args, **kwargs)
        lookups.append(host)
        # First answer: the export server. Any later answer: a loopback address where
        # nothing listens, so a client that looked up twice would fail.
        address = "127.0.0.1" if len(lookups) == 1 else "127.0.0.2"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = export_server["url"].replace("127.0.0.1", "export.test")
    code = dashboard.main(["--ars", "059990000000", "--url", url, "--data-dir", str(data_dir),
                           "--date", "2026-11-01", "--allow-private"])
    assert code == 0 and lookups == ["export.test"]
    assert export_server["paths"] == ["/api/v1/data/059990000000?filetype=csv&includeBelow=true&includeAbove=true"]


def test_dashboard_ignores_proxy_variables(data_dir, export_server, monkeypatch):
    proxied = []

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self):
            proxied.append(self.path)
            self.send_response(502)
            self.end_headers()

        def log_message(self, *args):
            pass

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.server_address[1]}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        assert run_update(data_dir, export_server, "2026-11-01", "--allow-private") == 0
    finally:
        proxy.shutdown()
    assert proxied == [] and len(export_server["paths"]) == 1


def test_dashboard_truncated_download_writes_nothing(data_dir, export_server):
    export_server["truncate"] = True
    digest = tree_digest(data_dir)
    assert run_update(data_dir, export_server, "2026-11-01", "--allow-private") == 1
    assert tree_digest(data_dir) == digest


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/export.csv"])
def test_dashboard_refuses_a_redirect_to_another_scheme(data_dir, export_server, target):
    """--allow-private lifts the address rule, never the scheme rule."""
    export_server["redirect"] = target
    digest = tree_digest(data_dir)
    assert run_update(data_dir, export_server, "2026-11-01", "--allow-private") == 2
    assert tree_digest(data_dir) == digest


def test_guard_checks_the_address_of_every_hop(export_server):
    """A hop to an address the policy does not allow is refused before anything
    connects to it (127.0.0.2: loopback, but not the allowed 127.0.0.1)."""
    from wachhund.lib.net import AddressPolicy, UnsafeURL
    from wachhund.lib.net.guarded import download

    port = export_server["url"].split(":")[2].split("/")[0]
    export_server["redirect"] = f"http://127.0.0.2:{port}/elsewhere.csv"
    policy = AddressPolicy(allowed_hosts=frozenset({"127.0.0.1"}))
    with pytest.raises(UnsafeURL):
        download(export_server["url"].format(ars="059990000000"), policy, {}, 1 << 20)
    assert export_server["paths"] == ["/api/v1/data/059990000000?filetype=csv"]


# --- generated pages and exports of the real site -----------------------------

def test_ozg_pages_and_exports_round_trip(site):
    model = load_model(ROOT / "data" / "ozg")
    for slug in model.kommunen:
        summary = model.summary(slug)
        data = json.loads((site / "ozg" / f"{slug}.json").read_text(encoding="utf-8"))
        assert data["zusammenfassung"]["reifegrad_3_plus"] == summary["reifegrad_3_plus"]
        rows = list(csv.DictReader(io.StringIO((site / "ozg" / f"{slug}.csv").read_text(encoding="utf-8"))))
        with_id = [r for r in rows if r["ozg_id"]]
        assert len(with_id) == summary["gesamt"] == 557
        assert sum(r["online"] == "ja" for r in with_id) == summary["online"]
        assert sum(1 for r in rows if not r["ozg_id"]) == summary["ohne_ozg_zuordnung"]
        assert [r["online"] == "ja" for r in with_id] == [
            bool(item["online"]) for item in data["leistungen"] if item["ozg_id"]
        ]
        page = BeautifulSoup((site / "ozg" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert page.select_one("svg.ozg-chart")
        assert page.select_one("table.ozg-history")
        assert page.find("a", href=f"/ozg/{slug}.csv") and page.find("a", href=f"/ozg/{slug}.json")
        ids = {tr["data-ozg-id"] for tr in page.select("table.ozg-table tr[data-ozg-id]") if tr["data-ozg-id"]}
        assert len(ids) == 557
    overview = (site / "ozg" / "index.html").read_text(encoding="utf-8")
    assert "31. Dezember 2022" in overview and "1.381 Tagen" in overview  # Duisburg, data of 12 Oct 2026
    box = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(".ozg-box")
    assert "von 557 Leistungen" in box.get_text()


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    # Control characters are refused in hand-kept data since issue 22 (tests/test_clean_text.py).
    "Steuerzeichen und ' Anführung \"",
]


def test_hostile_strings_in_data_are_escaped(project, tmp_path):
    text = (project / "data/ozg/kommunen/duisburg.yaml").read_text(encoding="utf-8")
    hostile = "\n".join(
        f"""  - leika: "9900000000000{i}"
    leika_name: {json.dumps(value)}
    datum: 2026-10-13
    online: ja
    quelle_dokument: {json.dumps(value)}
    zustaendig: {json.dumps(value)}
    onlinedienst: {json.dumps(value)}
    notiz: {json.dumps(value)}"""
        for i, value in enumerate(HOSTILE)
    )
    (project / "data/ozg/kommunen/duisburg.yaml").write_text(text + hostile + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    for path in [out / "ozg/duisburg/index.html", out / "ozg/duisburg.csv", out / "ozg/duisburg.json"]:
        body = path.read_text(encoding="utf-8")
        assert "\x07" not in body and "\x1b" not in body
        if path.suffix == ".html":
            assert "<script>alert" not in body and "<img src=x" not in body
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
            page = BeautifulSoup(body, "html.parser")
            assert not page.find("img")
            assert all(not s.get("src", "").startswith("x") for s in page.find_all("script"))


@pytest.mark.parametrize("formula", ['=HYPERLINK("https://evil.example/","Quelle")', "@SUM(1+1)*cmd|' /C calc'!A0",
                                     "+1+1", "-2+3", "\tTab", "\rReturn"])
def test_csv_export_neutralises_formulas(data_dir, formula):
    """Cells from data that a spreadsheet would execute start with an apostrophe."""
    from wachhund.ozg.exports import to_csv

    path = data_dir / "kommunen" / "teststadt.yaml"
    quoted = formula.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    path.write_text(path.read_text(encoding="utf-8") + (
        f'  - leika: "99000000000002"\n    leika_name: "{quoted}"\n    datum: 2025-07-01\n'
        f'    online: nein\n    quelle_dokument: "{quoted}"\n'), encoding="utf-8")
    rows = list(csv.reader(io.StringIO(to_csv(load_model(data_dir), "teststadt"), newline="")))
    cells = [cell for row in rows for cell in row]
    stored = formula.strip()  # the data layer already trims leading tabs and line breaks
    assert (("'" + stored) if stored[0] in "=+-@" else stored) in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
