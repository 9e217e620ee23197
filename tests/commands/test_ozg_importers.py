"""The OZG importers (catalogue, WSP, dashboard): deterministic, idempotent, through the network guard."""

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from wachhund.commands.importers import catalog, dashboard, wsp
from tests.dashboardserver import export_server  # noqa: F401 - a fixture the tests below use
from tests.support import ROOT, tree_digest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ozg"


@pytest.fixture
def data_dir(tmp_path):
    root = tmp_path / "proj"
    target = root / "data" / "ozg"
    shutil.copytree(FIXTURES, target)
    return target


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


def run_update(data_dir, server, date, *extra):
    return dashboard.main(
        ["--ars", "059990000000", "--url", server["url"], "--data-dir", str(data_dir), "--date", date, *extra]
    )


def test_dashboard_update_leaves_hand_kept_yaml_alone(data_dir, export_server):
    """Imported status goes to the store; the hand-kept observations stay as written
    (idempotence and change records: tests/commands/test_dashboard_import.py)."""
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
