"""Stand-in open-data portals on 127.0.0.1 for the tests, the browser test and the benchmark:
a DCAT-US data.json at /data.json and a CKAN package_search at /ckan/api/3/action/package_search."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "opendata"


def dcat_dataset(number: int, **fields) -> dict:
    """A made-up DCAT-US dataset; `fields` replace or (None) remove entries."""
    record = {
        "@type": "dcat:Dataset",
        "identifier": f"ds-{number:05d}",
        "title": f"Beispieldatensatz {number}",
        "description": "Erfundene Testdaten.",
        "issued": "2015-03-01",
        "modified": f"20{10 + number % 16:02d}-0{1 + number % 9}-15",
        "accessLevel": "public",
        "theme": [("Wirtschaft", "Verkehr", "Umwelt", "Bildung")[number % 4]],
        "keyword": ["test"],
        "publisher": {"@type": "org:Organization", "name": "Stadt Beispiel"},
        "landingPage": f"https://portal.example/dataset/ds-{number:05d}",
        "distribution": [{"@type": "dcat:Distribution", "format": ("csv", "pdf")[number % 2],
                          "downloadURL": f"https://portal.example/files/{number}.dat"}],
    }
    for key, value in fields.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def dcat_catalogue(datasets: list) -> dict:
    return {"@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld", "@type": "dcat:Catalog",
            "conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": datasets}


def ckan_package(number: int, **fields) -> dict:
    record = {
        "id": f"0000-{number:05d}",
        "name": f"paket-{number:05d}",
        "title": f"Paket {number}",
        "metadata_created": "2016-01-01T10:00:00.000000",
        "metadata_modified": f"20{10 + number % 16:02d}-02-03T04:05:06.123456",
        "num_resources": 1,
        "resources": [{"format": "CSV", "url": f"https://portal.example/r/{number}.csv"}],
        "groups": [{"name": "wirtschaft", "title": "Wirtschaft", "display_name": "Wirtschaft"}],
        "tags": [{"name": "test", "display_name": "test"}],
        "organization": {"name": "stadt-beispiel", "title": "Stadt Beispiel"},
    }
    for key, value in fields.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


class PortalServer:
    """`datasets` (DCAT-US) and `packages` (CKAN) are what the portals list now; a test
    changes them between imports. `truncate_at` cuts the data.json body inside that record
    (sent with a matching Content-Length, as a broken server would); `short` announces more
    bytes than it sends; `max_rows` caps CKAN pages; `count_extra` makes CKAN's count lie."""

    def __init__(self, datasets=None, packages=None):
        self.datasets = list(datasets or [])
        self.packages = list(packages or [])
        self.truncate_at = None
        self.short = False
        self.max_rows = 1000
        self.count_extra = 0
        self.answer = None  # bytes sent instead of the catalogue
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                body = server.body(self.path)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body) + (100 if server.short else 0)))
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.dcat_url = f"{self.base}/data.json"
        self.ckan_url = f"{self.base}/ckan/"

    def close(self):
        self.http.shutdown()
        self.http.server_close()

    def body(self, path):
        if self.answer is not None:
            return self.answer
        parts = urllib.parse.urlsplit(path)
        if parts.path == "/data.json":
            text = json.dumps(dcat_catalogue(self.datasets), ensure_ascii=False, indent=1)
            if self.truncate_at is not None:  # cut in the middle of that record's title
                text = text[:text.index(json.dumps(self.datasets[self.truncate_at - 1]["title"], ensure_ascii=False))]
            return text.encode()
        if parts.path == "/ckan/api/3/action/package_search":
            query = dict(urllib.parse.parse_qsl(parts.query))
            assert query["sort"] == "name asc", query
            organisation = query["fq"].removeprefix("organization:")
            listed = sorted((p for p in self.packages if p["organization"]["name"] == organisation),
                            key=lambda p: p["name"])
            start, rows = int(query["start"]), min(int(query["rows"]), self.max_rows)
            result = {"count": len(listed) + self.count_extra, "results": listed[start:start + rows], "sort": "name asc"}
            return json.dumps({"help": "…", "success": True, "result": result}).encode()
        return None


def fixture(name: str) -> list:
    """A catalogue state from tests/fixtures/opendata/ (its dataset list)."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["dataset"]
