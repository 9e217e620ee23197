"""A stand-in froide instance on 127.0.0.1 serving the exact shapes of FragDenStaat's read
API (froide/foirequest/serializers.py, api_views.py): the slug search and one detail per request.

    server = FroideServer()
    server.requests["mein-slug"] = froide_request(4711, "mein-slug", status="awaiting_response")
    ... --url server.base --allow-private
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def froide_request(ident, slug, status="awaiting_response", resolution="", title="Stand der Online-Dienste",
                   due_date="2026-10-02T00:00:00+02:00", resolved_on=None, last_message="2026-09-01T10:15:00+02:00",
                   public_body="Stadt Beispielstadt", costs=0.0):
    """One request as /api/v1/request/<id>/ answers it (the fields froide's serializer writes)."""
    return {
        "resource_uri": f"/api/v1/request/{ident}/",
        "id": ident,
        "url": f"/anfrage/{slug}/",
        "jurisdiction": "/api/v1/jurisdiction/1/",
        "is_foi": True,
        "checked": True,
        "refusal_reason": "",
        "costs": costs,
        "public": True,
        "law": "/api/v1/law/2/",
        "description": "Welche OZG-Leistungen bieten Sie online an?",
        "redacted_description": "Welche OZG-Leistungen bieten Sie online an?",
        "summary": "",
        "same_as_count": 0,
        "same_as": None,
        "due_date": due_date,
        "resolved_on": resolved_on,
        "last_message": last_message,
        "created_at": "2026-09-01T10:15:00.123456+02:00",
        "last_modified_at": "2026-09-01T10:20:00+02:00",
        "status": status,
        "public_body": None if public_body is None else {
            "resource_uri": "/api/v1/publicbody/99/", "id": 99, "name": public_body,
            "slug": "stadt-beispielstadt", "other_names": "", "description": "", "url": "https://example.org/",
            "parent": None, "root": None, "depth": 0, "classification": None, "email": "", "contact": "",
            "address": "", "fax": "", "request_note": "", "number_of_requests": 3,
            "site_url": "https://fragdenstaat.de/behoerde/stadt-beispielstadt/", "jurisdiction": None,
            "laws": [], "categories": [], "regions": [], "source_reference": "", "alternative_emails": None,
            "wikidata_item": "", "extra_data": {}, "geo": None, "change_proposals": {},
        },
        "resolution": resolution,
        "slug": slug,
        "title": title,
        "reference": "",
        "user": None,
        "project": None,
        "campaign": None,
        "tags": [],
        "messages": [],
    }


class FroideServer:
    """`requests` {slug: detail}; `gone` ids answer 404; `truncated` ids send half the body
    with the full Content-Length; `raw` {id: bytes} answers bytes as they are; `paths` logs requests."""

    def __init__(self):
        self.requests, self.gone, self.truncated, self.raw, self.paths = {}, set(), set(), {}, []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.paths.append(self.path)
                status, body, cut = server.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if cut else body)
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.http.server_address[1]}"

    def by_id(self):
        return {r["id"]: r for r in self.requests.values()}

    def answer(self, path):
        parts = urlsplit(path)
        not_found = (404, json.dumps({"detail": "Nicht gefunden."}).encode(), False)
        if parts.path == "/api/v1/request/":
            slug = parse_qs(parts.query).get("slug", [""])[0]
            found = [r for r in self.requests.values() if r["slug"] == slug]
            listed = [{k: v for k, v in r.items() if k != "messages"} for r in found]
            meta = {"limit": 50, "next": None, "offset": 0, "previous": None, "total_count": len(listed)}
            return 200, json.dumps({"meta": meta, "objects": listed}).encode(), False
        pieces = parts.path.strip("/").split("/")
        if len(pieces) == 4 and pieces[:3] == ["api", "v1", "request"] and pieces[3].isdigit():
            ident = int(pieces[3])
            if ident in self.gone:
                return not_found
            if ident in self.raw:
                return 200, self.raw[ident], False
            request = self.by_id().get(ident)
            if request is None:
                return not_found
            return 200, json.dumps(request, ensure_ascii=False).encode(), ident in self.truncated
        return not_found

    def close(self):
        self.http.shutdown()
        self.http.server_close()
